// The project's own samplers (inverse CDF where a closed form exists), so that a seed gives the same
// draws with any standard library. Parameters are precomputed once per distribution.
#pragma once

#include <cmath>

#include "model/distribution.h"
#include "sim/random_stream.h"

namespace nines::sim {

// Inverse of the standard normal CDF: Acklam's rational approximation refined by one Halley step,
// accurate to about 1e-15 over (0, 1).
double inverse_normal_cdf(double p);
double normal_cdf(double x);

struct Sampler {
    DistributionKind kind = DistributionKind::Fixed;
    double a = 0, b = 0, c = 0;       // kind-specific, precomputed (see make_sampler)
    const double* values = nullptr;   // Empirical: points into the Distribution, which must outlive this
    std::size_t count = 0;

    double draw(RandomStream& rng) const {
        switch (kind) {
            case DistributionKind::Exponential: return -a * std::log(rng.uniform_open());
            case DistributionKind::Weibull: return c + b * std::pow(-std::log(rng.uniform_open()), a);  // a = 1/shape
            case DistributionKind::Lognormal: return std::exp(a + b * inverse_normal_cdf(rng.uniform_open()));
            case DistributionKind::Normal: return draw_truncated_normal(rng);
            case DistributionKind::Gamma: return draw_gamma(rng);
            case DistributionKind::Uniform: return a + (b - a) * rng.uniform_open();
            case DistributionKind::Fixed: return a;
            case DistributionKind::Empirical: {
                const auto i = static_cast<std::size_t>(rng.uniform_open() * static_cast<double>(count));
                return values[i < count ? i : count - 1];
            }
        }
        return a;
    }

private:
    double draw_truncated_normal(RandomStream& rng) const;
    double draw_gamma(RandomStream& rng) const;
    friend Sampler make_sampler(const Distribution& d);
};

Sampler make_sampler(const Distribution& d);

}  // namespace nines::sim
