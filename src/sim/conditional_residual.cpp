#include "sim/conditional_residual.h"

#include <algorithm>
#include <cmath>

#include "sim/sampler.h"

namespace nines::sim {

bool has_remaining_sampler(const Distribution& law) {
    return law.kind != DistributionKind::Gamma && law.kind != DistributionKind::Empirical;
}

std::optional<double> draw_remaining(const Distribution& law, double age, RandomStream& rng) {
    const double u = rng.uniform_open();
    switch (law.kind) {
        case DistributionKind::Exponential:
            return -law.a * std::log(u);  // memoryless
        case DistributionKind::Weibull: {
            // X = c + b E^(1/k), E standard exponential; X > age is E > ((age - c) / b)^k.
            const double shape = law.a, scale = law.b, location = law.c;
            const double e0 = age > location ? std::pow((age - location) / scale, shape) : 0.0;
            const double x = location + scale * std::pow(e0 - std::log(u), 1.0 / shape);
            return std::max(0.0, x - age);
        }
        case DistributionKind::Lognormal: {
            // ln X = mu + sigma Z; given Z > z0, Z = -Phi^-1(u Phi(-z0)) (the upper tail through the
            // lower one, which keeps its precision far out).
            if (age <= 0) return std::exp(law.a + law.b * inverse_normal_cdf(u));
            const double z0 = (std::log(age) - law.a) / law.b;
            const double tail = normal_cdf(-z0);
            if (!(tail > 0)) return 0.0;  // beyond double precision: the clock rings now
            const double z = -inverse_normal_cdf(u * tail);
            return std::max(0.0, std::exp(law.a + law.b * z) - age);
        }
        case DistributionKind::Normal: {
            // The normal truncated at 0; given X > age >= 0 the truncation at 0 no longer matters.
            const double z0 = (std::max(age, 0.0) - law.a) / law.b;
            const double tail = normal_cdf(-z0);
            if (!(tail > 0)) return 0.0;
            const double z = -inverse_normal_cdf(u * tail);
            return std::max(0.0, law.a + law.b * z - age);
        }
        case DistributionKind::Uniform: {
            const double from = std::max(law.a, age);
            return std::max(0.0, from + (law.b - from) * u - age);
        }
        case DistributionKind::Fixed:
            return std::max(0.0, law.a - age);
        case DistributionKind::Gamma:
        case DistributionKind::Empirical:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace nines::sim
