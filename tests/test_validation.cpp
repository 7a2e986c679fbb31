// Statistical validation of the kernel against exact answers solved independently here. Each check
// uses the run's own standard error (|estimate - exact| < 4 SE) and also shows that a deliberately
// wrong answer would be rejected (> 4 SE away), so the test can fail.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace nines;
using nines::test::check_agrees;
using nines::test::run_yaml;

namespace {

double steady(double mttf, double mttr) { return mttf / (mttf + mttr); }

std::string exp_component(const std::string& name, double mttf, double mttr, int count = 1) {
    return "  " + name + ": { count: " + std::to_string(count) + ", failure: { mttf: " + std::to_string(mttf) +
           "h }, repair: { mttr: " + std::to_string(mttr) + "h } }\n";
}

}  // namespace

TEST_CASE("one exponential component: steady state after warm-up", "[validation]") {
    const auto r = run_yaml("components:\n" + exp_component("a", 100, 5) +
                            "system: a\nsimulation: { horizon: 20500h, warmup: 500h, replications: 400, seed: 1 }\n");
    check_agrees(r.availability, steady(100, 5), steady(100, 5.5), "A = MTTF/(MTTF+MTTR)");
    // Component failure frequency 1/(MTTF+MTTR) per hour.
    CHECK(r.components[0].failures_per_year == Approx(8760.0 / 105).epsilon(0.02));
}

TEST_CASE("one exponential component: interval availability over [0, T] from an all-up start", "[validation]") {
    const double lam = 1.0 / 100, mu = 1.0 / 5, T = 50;
    const double exact = mu / (lam + mu) + lam / ((lam + mu) * (lam + mu) * T) * (1 - std::exp(-(lam + mu) * T));
    const auto r = run_yaml("components:\n" + exp_component("a", 100, 5) +
                            "system: a\nsimulation: { horizon: 50h, replications: 40000, seed: 2, grid: 5h }\n");
    // The steady state is the wrong answer here: the transient from all-up is what the run measures.
    check_agrees(r.availability, exact, mu / (lam + mu), "interval availability");
    // Point availability A(t) = mu/(lam+mu) + lam/(lam+mu) exp(-(lam+mu) t) on the grid.
    for (std::size_t g = 1; g < r.grid_t_h.size(); g += 3) {
        const double t = r.grid_t_h[g];
        const double a_t = mu / (lam + mu) + lam / (lam + mu) * std::exp(-(lam + mu) * t);
        const double se = std::sqrt(a_t * (1 - a_t) / 40000.0);
        INFO("t = " << t << ": A(t) " << r.point_availability[g] << ", exact " << a_t);
        CHECK(std::fabs(r.point_availability[g] - a_t) < 4 * se);
    }
}

TEST_CASE("series and parallel of non-identical units", "[validation]") {
    const double a1 = steady(100, 5), a2 = steady(200, 20), a3 = steady(50, 1);
    const std::string comps = "components:\n" + exp_component("a", 100, 5) + exp_component("b", 200, 20) + exp_component("c", 50, 1);
    const std::string sim = "simulation: { horizon: 50500h, warmup: 500h, replications: 200, seed: 3 }\n";
    const auto s = run_yaml(comps + "system: { series: [a, b, c] }\n" + sim);
    check_agrees(s.availability, a1 * a2 * a3, a1 * a2, "series");
    const auto p = run_yaml(comps + "system: { parallel: [a, b, c] }\n" + sim);
    const double par = 1 - (1 - a1) * (1 - a2) * (1 - a3);
    const double wrong = 1 - (1 - a1) * (1 - a2);
    check_agrees(p.unavailability, 1 - par, 1 - wrong, "parallel (unavailability)");
}

TEST_CASE("2-of-3 with non-identical units", "[validation]") {
    const double a1 = steady(100, 10), a2 = steady(150, 20), a3 = steady(80, 5);
    const double exact = a1 * a2 * a3 + a1 * a2 * (1 - a3) + a1 * (1 - a2) * a3 + (1 - a1) * a2 * a3;
    const double abar = (a1 + a2 + a3) / 3;  // wrong: treat the units as identical with the mean availability
    const double wrong_identical = 3 * abar * abar - 2 * abar * abar * abar;
    const auto r = run_yaml("components:\n" + exp_component("a", 100, 10) + exp_component("b", 150, 20) +
                            exp_component("c", 80, 5) +
                            "system: { k_of_n: { k: 2, of: [a, b, c] } }\n"
                            "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 4 }\n");
    check_agrees(r.unavailability, 1 - exact, 1 - wrong_identical, "2-of-3 (unavailability)");
}

TEST_CASE("5-component bridge built from shared components", "[validation]") {
    const double mttf[5] = {100, 120, 80, 150, 90};
    const double mttr[5] = {10, 5, 8, 12, 6};
    double a[5];
    for (int i = 0; i < 5; ++i) a[i] = steady(mttf[i], mttr[i]);
    // Exact by enumerating all 32 states; the system is up when a path {1,4}, {2,5}, {1,3,5}, {2,3,4} is up.
    double exact = 0;
    for (int s = 0; s < 32; ++s) {
        auto up = [&](int i) { return (s >> (i - 1)) & 1; };
        double p = 1;
        for (int i = 1; i <= 5; ++i) p *= up(i) ? a[i - 1] : 1 - a[i - 1];
        const bool sys = (up(1) && up(4)) || (up(2) && up(5)) || (up(1) && up(3) && up(5)) || (up(2) && up(3) && up(4));
        if (sys) exact += p;
    }
    // Wrong: the bridge without its middle unit (two series paths in parallel).
    const double wrong = 1 - (1 - a[0] * a[3]) * (1 - a[1] * a[4]);
    std::string y = "components:\n";
    for (int i = 0; i < 5; ++i) y += exp_component("c" + std::to_string(i + 1), mttf[i], mttr[i]);
    y += "system:\n  parallel:\n    - { series: [c1, c4] }\n    - { series: [c2, c5] }\n"
         "    - { series: [c1, c3, c5] }\n    - { series: [c2, c3, c4] }\n"
         "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 5 }\n";
    const auto r = run_yaml(y);
    check_agrees(r.unavailability, 1 - exact, 1 - wrong, "bridge (unavailability)");
}

TEST_CASE("Weibull failures with lognormal repairs: A = MTTF/(MTTF+MTTR)", "[validation]") {
    const double mttf = 100 * std::tgamma(1.5);
    const double mttr = 5 * std::exp(0.5 * 0.8 * 0.8);
    const auto r = run_yaml(R"(
components:
  a: { failure: { weibull: { shape: 2, scale: 100h } }, repair: { lognormal: { median: 5h, sigma: 0.8 } } }
system: a
simulation: { horizon: 102000h, warmup: 2000h, replications: 300, seed: 6 }
)");
    // Wrong: using the lognormal median instead of its mean for the repair time.
    check_agrees(r.availability, mttf / (mttf + mttr), mttf / (mttf + 5), "Weibull/lognormal availability");
}

TEST_CASE("non-repairable 1-of-2 Weibull: mission reliability R(t) and MTTF", "[validation]") {
    const double beta = 1.5, eta = 1000;
    const int n = 4000;
    const auto r = run_yaml(R"(
components:
  u: { count: 2, failure: { weibull: { shape: 1.5, scale: 1000h } } }
system: { parallel: [u] }
simulation: { horizon: 20000h, replications: 4000, seed: 7, grid: 250h }
)");
    REQUIRE(r.censored == 0);
    int compared = 0;
    for (std::size_t g = 1; g < r.grid_t_h.size(); ++g) {
        const double t = r.grid_t_h[g];
        if (t > 3000) break;
        const double q = 1 - std::exp(-std::pow(t / eta, beta));
        const double exact = 1 - q * q;
        const double wrong = 1 - q;  // a single unit
        const double se = std::sqrt(exact * (1 - exact) / n);
        INFO("t = " << t << ": R " << r.reliability[g] << ", exact " << exact);
        CHECK(std::fabs(r.reliability[g] - exact) < 4 * se);
        if (t >= 500 && t <= 2000) CHECK(std::fabs(r.reliability[g] - wrong) > 4 * se);  // where the single unit differs clearly
        ++compared;
    }
    CHECK(compared == 12);
    // MTTF = integral of R = 2 E[T1] - E[min(T1, T2)], min of two Weibulls is Weibull(beta, eta 2^(-1/beta)).
    const double m1 = eta * std::tgamma(1 + 1 / beta);
    check_agrees(r.mttf_h, 2 * m1 - m1 * std::pow(2.0, -1 / beta), m1, "MTTF of 1-of-2");
}

TEST_CASE("repairable parallel pair: failure frequency, MTBF and mean outage", "[validation]") {
    const double lam = 1.0 / 100, mu = 1.0 / 10;
    const double a = mu / (lam + mu);
    const double nu = 2 * a * (1 - a) * lam;  // system failures per hour
    const auto r = run_yaml("components:\n" + exp_component("u", 100, 10, 2) +
                            "system: { parallel: [u] }\n"
                            "simulation: { horizon: 200500h, warmup: 500h, replications: 200, seed: 8 }\n");
    // Wrong: a single unit's failure frequency times the probability the other is down, without the 2.
    check_agrees(r.failures_per_year, nu * 8760, a * (1 - a) * lam * 8760, "system failures per year");
    INFO("MTBF " << r.mtbf_h.mean << " [" << r.mtbf_h.lo << ", " << r.mtbf_h.hi << "], exact " << 1 / nu);
    CHECK(r.mtbf_h.lo < 1 / nu);
    CHECK(r.mtbf_h.hi > 1 / nu);
    // Mean down time: the first of two exponential repairs, 1 / (2 mu); wrong: one repair, 1 / mu.
    check_agrees(r.mean_outage_h, 1 / (2 * mu), 1 / mu * 0.75, "mean outage");
    check_agrees(r.unavailability, (1 - a) * (1 - a), (1 - a), "pair unavailability");
}

TEST_CASE("web servers that require a shared zone", "[validation]") {
    const double az = steady(500, 10), aw = steady(100, 10);
    const double exact = az * (1 - (1 - aw) * (1 - aw));
    const double wrong_independent = 1 - (1 - az * aw) * (1 - az * aw);  // the zone counted twice as if independent
    const auto r = run_yaml("components:\n" + exp_component("zone", 500, 10) +
                            "  web: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h }, requires: [ zone ] }\n"
                            "system: { parallel: [web] }\n"
                            "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 9 }\n");
    check_agrees(r.unavailability, 1 - exact, 1 - wrong_independent, "web requiring a shared zone");
}

TEST_CASE("model M: 50 pairs in series within the CI of (1-(1-a)^2)^50", "[validation]") {
    std::string y = "components:\n";
    for (int p = 0; p < 50; ++p) y += exp_component("p" + std::to_string(p), 1000, 10, 2);
    y += "system:\n  series:\n";
    for (int p = 0; p < 50; ++p) y += "    - { parallel: [p" + std::to_string(p) + "] }\n";
    y += "simulation: { horizon: 10y, replications: 400, seed: 10 }\n";
    const auto r = run_yaml(y);
    const double a = 1000.0 / 1010.0;
    const double exact = std::pow(1 - (1 - a) * (1 - a), 50);
    CHECK(std::fabs(exact - 0.9951103) < 1e-7);
    check_agrees(r.availability, exact, std::pow(1 - (1 - a) * (1 - a), 55), "model M");
}

TEST_CASE("per-year downtime samples are consistent with the mean and the budget probability", "[validation]") {
    const auto r = run_yaml("components:\n" + exp_component("a", 1000, 10) +
                            "system: a\nbudget: 100h\nsimulation: { horizon: 5y, replications: 200, seed: 11 }\n");
    REQUIRE(r.year_downtime.count == 1000);
    CHECK(r.year_downtime.mean == Approx(r.downtime_h_per_year.mean).epsilon(1e-9));
    std::int64_t over = 0;
    for (double d : r.year_downtime_samples_h) over += d > 100 ? 1 : 0;
    CHECK(r.budget_exceeded.mean == Approx(static_cast<double>(over) / 1000));
    CHECK(r.year_downtime.p50 <= r.year_downtime.p95);
    CHECK(r.year_downtime.p95 <= r.year_downtime.p99);
    CHECK(r.year_downtime.p99 <= r.year_downtime.max);
}
