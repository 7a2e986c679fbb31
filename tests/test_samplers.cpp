// Samplers: the inverse normal CDF against the CDF, pinned draws (known answers for this generator),
// and sample means against exact means for every distribution.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "model/distribution.h"
#include "sim/sampler.h"

using namespace nines;
using sim::RandomStream;

TEST_CASE("inverse normal CDF inverts the CDF to near machine precision", "[sampler]") {
    for (double p : {1e-300, 1e-100, 1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-9,
                     1 - 1e-15}) {
        const double x = sim::inverse_normal_cdf(p);
        const double back = p > 0.5 ? 1 - 0.5 * std::erfc(x / std::sqrt(2.0)) : sim::normal_cdf(x);
        INFO("p = " << p << ", x = " << x);
        CHECK(std::fabs(back - p) <= 1e-13 * std::max(p, 1e-300) + 1e-16);
    }
    CHECK(sim::inverse_normal_cdf(0.5) == Approx(0.0).margin(1e-15));
    CHECK(sim::inverse_normal_cdf(0.975) == Approx(1.959963984540054).epsilon(1e-14));
    CHECK(sim::inverse_normal_cdf(0.025) == Approx(-1.959963984540054).epsilon(1e-14));
}

namespace {

struct Moments {
    double mean = 0;
    double sd = 0;
};

Moments sample(const Distribution& d, int n, std::uint64_t seed) {
    const sim::Sampler s = sim::make_sampler(d);
    RandomStream rng(seed, 0, 0);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
        const double x = s.draw(rng);
        REQUIRE(x >= 0.0);
        sum += x;
        sum2 += x * x;
    }
    Moments m;
    m.mean = sum / n;
    m.sd = std::sqrt(std::max(0.0, sum2 / n - m.mean * m.mean));
    return m;
}

void check_mean(const Distribution& d, double exact_mean) {
    const int n = 400000;
    const Moments m = sample(d, n, 11);
    const double se = m.sd / std::sqrt(static_cast<double>(n));
    INFO(d.describe() << ": sample mean " << m.mean << ", exact " << exact_mean << ", SE " << se);
    if (se == 0) {
        CHECK(m.mean == Approx(exact_mean));
    } else {
        CHECK(std::fabs(m.mean - exact_mean) < 4 * se);
        CHECK(std::fabs(m.mean - 1.05 * exact_mean) > 4 * se);  // a 5% error would be caught
    }
    CHECK(d.mean() == Approx(exact_mean).epsilon(1e-12));
}

}  // namespace

TEST_CASE("every distribution's sample mean matches its exact mean", "[sampler]") {
    check_mean(Distribution::exponential(1000.0), 1000.0);
    check_mean(Distribution::weibull(1.5, 2000.0), 2000.0 * std::tgamma(1 + 1 / 1.5));
    check_mean(Distribution::weibull(0.7, 100.0, 50.0), 50.0 + 100.0 * std::tgamma(1 + 1 / 0.7));
    check_mean(Distribution::lognormal(std::log(2.0), 0.6), 2.0 * std::exp(0.18));
    // Truncated normal: mean = mu + sigma phi(a) / (1 - Phi(a)), a = -mu/sigma; here mu = 2, sigma = 2.
    const double a = -1.0;
    const double phi = std::exp(-0.5 * a * a) / std::sqrt(2 * M_PI);
    check_mean(Distribution::normal(2.0, 2.0), 2.0 + 2.0 * phi / (0.5 * std::erfc(a / std::sqrt(2.0))));
    check_mean(Distribution::gamma(2.5, 4.0), 10.0);
    check_mean(Distribution::gamma(0.5, 4.0), 2.0);
    check_mean(Distribution::uniform(1.0, 3.0), 2.0);
    check_mean(Distribution::fixed(4.0), 4.0);
    check_mean(Distribution::empirical({1.0, 2.0, 6.0}), 3.0);
}

TEST_CASE("Weibull sampler follows its CDF", "[sampler]") {
    // P(X <= scale) = 1 - 1/e for any shape.
    const sim::Sampler s = sim::make_sampler(Distribution::weibull(2.0, 100.0));
    RandomStream rng(3, 0, 0);
    const int n = 200000;
    int below = 0;
    for (int i = 0; i < n; ++i) below += s.draw(rng) <= 100.0 ? 1 : 0;
    const double p = 1 - std::exp(-1.0);
    CHECK(std::fabs(below / static_cast<double>(n) - p) < 4 * std::sqrt(p * (1 - p) / n));
}

TEST_CASE("pinned draws: the samplers give the same numbers on every platform build", "[sampler]") {
    RandomStream rng(2024, 1, 2);
    const sim::Sampler e = sim::make_sampler(Distribution::exponential(100.0));
    const sim::Sampler w = sim::make_sampler(Distribution::weibull(1.3, 8760.0));
    const sim::Sampler l = sim::make_sampler(Distribution::lognormal(std::log(2.0), 0.6));
    const double x1 = e.draw(rng);
    const double x2 = w.draw(rng);
    const double x3 = l.draw(rng);
    CHECK(x1 == Approx(76.697040045349013).epsilon(1e-12));
    CHECK(x2 == Approx(2225.3637802915609).epsilon(1e-12));
    CHECK(x3 == Approx(1.0481920619963649).epsilon(1e-12));
    // The same draws from the uniforms by the inverse-CDF formulas, computed here independently.
    RandomStream again(2024, 1, 2);
    const double u1 = again.uniform_open(), u2 = again.uniform_open(), u3 = again.uniform_open();
    CHECK(x1 == Approx(-100.0 * std::log(u1)).epsilon(1e-14));
    CHECK(x2 == Approx(8760.0 * std::pow(-std::log(u2), 1 / 1.3)).epsilon(1e-14));
    CHECK(std::log(x3 / 2.0) / 0.6 == Approx(sim::inverse_normal_cdf(u3)).epsilon(1e-12));
    CHECK(sim::normal_cdf(std::log(x3 / 2.0) / 0.6) == Approx(u3).epsilon(1e-12));
}
