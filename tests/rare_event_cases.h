// Rare-event cases with exact answers, shared by the tests of the estimators on the discrete-event
// kernel (tests/test_splitting.cpp, tests/test_uniformised_biasing.cpp) and their benchmarks
// (bench/splitting_speed.cpp, bench/splitting_coverage.cpp, bench/uniformisation_speed.cpp), which
// must build the same models and compute the same exact values. No test framework here.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace nines::test {

struct KofnExact {
    double unavailability;
    double failure_frequency;  // per hour
};

// n units, k needed, failure rate lam per working unit (failures go on while the system is down),
// repair rate mu per crew, `crews` crews first come first served: the birth-death chain.
inline KofnExact kofn_birth_death(int n, int k, double lam, double mu, int crews) {
    std::vector<double> p(static_cast<std::size_t>(n) + 1, 0.0);
    p[0] = 1;
    for (int j = 0; j < n; ++j) p[static_cast<std::size_t>(j) + 1] = p[static_cast<std::size_t>(j)] * (n - j) * lam / (std::min(j + 1, crews) * mu);
    double total = 0;
    for (double x : p) total += x;
    double u = 0;
    for (int j = n - k + 1; j <= n; ++j) u += p[static_cast<std::size_t>(j)] / total;
    return {u, p[static_cast<std::size_t>(n - k)] / total * k * lam};
}

// The scenario of that system: MTTF in hours, MTTR 1 h, a pool of `crews` crews when fewer than n.
inline std::string kofn_yaml(int n, int k, double mttf_h, int crews) {
    std::string y = "components:\n  u: { count: " + std::to_string(n) + ", failure: { mttf: " + std::to_string(mttf_h) +
                    "h }, repair: { mttr: 1h }" + (crews < n ? ", crew: shop" : "") + " }\n" +
                    "system: { k_of_n: { k: " + std::to_string(k) + ", of: u } }\n";
    if (crews < n) y += "repair: { pools: { shop: { crews: " + std::to_string(crews) + " } } }\n";
    return y;
}

// Weibull(shape 1.5, scale 2000 h) failures, lognormal(median 4 h, sigma 0.8) repairs, 2 of 4 needed,
// independent repair. Each unit is a stationary alternating renewal process, down with probability
// q = MTTR / (MTTF + MTTR) whatever the laws, and the units are independent: U = P(at least 3 of 4
// down) exactly, about 1.1e-7 (the long-run fraction of time; runs start all new, so they skip a warm-up).
inline const std::string kWeibullLognormal2of4 =
    "components:\n  u: { count: 4, failure: { weibull: { shape: 1.5, scale: 2000h } }, "
    "repair: { lognormal: { median: 4h, sigma: 0.8 } } }\nsystem: { k_of_n: { k: 2, of: u } }\n";

// P(at least 3 of 4 independent units down), each down with probability q.
inline double three_of_four_down(double q) { return 4 * q * q * q * (1 - q) + q * q * q * q; }

inline double weibull_mttf(double shape, double scale_h) { return scale_h * std::tgamma(1 + 1 / shape); }
inline double lognormal_mean(double median_h, double sigma) { return median_h * std::exp(sigma * sigma / 2); }

inline double weibull_lognormal_2of4_exact() {
    const double mttf = weibull_mttf(1.5, 2000), mttr = lognormal_mean(4, 0.8);
    return three_of_four_down(mttr / (mttf + mttr));
}

// A deliberately wrong value for the same system: the lognormal's median taken for its mean (2.6 times
// smaller), the slip a test of the estimators must reject.
inline double weibull_lognormal_2of4_median_slip() {
    const double mttf = weibull_mttf(1.5, 2000);
    return three_of_four_down(4 / (mttf + 4));
}

// 100 units: a series of 20 Weibull(1.5, 2000 h) / lognormal(median 0.25 h, sigma 0.8) 3-of-5 groups
// (each down at 3 of 5 down), independent repair.
inline std::string weibull_lognormal_100_units_yaml() {
    std::string series = "components:\n", members;
    for (int g = 0; g < 20; ++g) {
        const std::string name = "g" + std::to_string(g);
        series += "  " + name + ": { count: 5, failure: { weibull: { shape: 1.5, scale: 2000h } }, "
                  "repair: { lognormal: { median: 0.25h, sigma: 0.8 } } }\n";
        members += (g ? ", " : "") + std::string("{ k_of_n: { k: 3, of: ") + name + " } }";
    }
    return series + "system: { series: [" + members + "] }\n";
}

// U = 1 - (1 - P(at least 3 of 5 down))^20, each unit down with q as above: about 1.4e-9.
inline double weibull_lognormal_100_units_exact() {
    const double mttr = lognormal_mean(0.25, 0.8), q = mttr / (weibull_mttf(1.5, 2000) + mttr);
    double group = 0;
    for (int j = 3; j <= 5; ++j) group += std::tgamma(6) / (std::tgamma(j + 1) * std::tgamma(6 - j)) * std::pow(q, j) * std::pow(1 - q, 5 - j);
    return -std::expm1(20 * std::log1p(-group));
}

}  // namespace nines::test
