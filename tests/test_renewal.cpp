// The renewal-equation reference (analytic/renewal.h) against answers solved independently here:
// closed forms for exponential laws and for exponential failures with fixed repairs, the steady
// state MTTF / (MTTF + MDT) for any law, and a Volterra equation solved by the trapezoid rule on a
// fine grid (a different discretisation, on densities instead of lattice masses).
#include <cmath>
#include <functional>

#include <boost/math/special_functions/gamma.hpp>
#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "analytic/crosscheck.h"
#include "analytic/renewal.h"
#include "io/scenario_reader.h"
#include "test_support.h"

using namespace nines;
using namespace nines::analytic;

namespace {

Model read(const std::string& yaml) { return io::read_scenario_text(yaml, "t.yaml"); }

// Interval availability over [0, T] of a unit with exponential failures (rate lam) and a fixed
// repair d, from all up: A(t) = sum_k P(Poisson(lam (t - k d)) = k), so
// integral_0^T A = (1 / lam) sum_k P(Gamma(k + 1, 1) <= lam (T - k d)).
double up_time_exp_fixed(double lam, double d, double T) {
    double total = 0;
    for (int k = 0; k * d < T; ++k) total += boost::math::gamma_p(k + 1.0, lam * (T - k * d));
    return total / lam;
}

// A(t) of the same unit, for integrals of products.
double a_exp_fixed(double lam, double d, double t) {
    double total = 0;
    for (int k = 0; k * d <= t; ++k) {
        const double x = lam * (t - k * d);
        total += std::exp(-x + k * std::log(x > 0 ? x : 1e-300) - std::lgamma(k + 1.0));
    }
    return total;
}

// Composite Simpson on [a, b] with n (even) panels.
double simpson(const std::function<double(double)>& f, double a, double b, int n) {
    const double h = (b - a) / n;
    double s = f(a) + f(b);
    for (int i = 1; i < n; ++i) s += (i % 2 ? 4 : 2) * f(a + i * h);
    return s * h / 3;
}

// The reference is converged (its stated error met the 1e-4 target) and the exact value lies
// within that stated error (plus rounding): the error bound is honest.
void check_reference(const AvailabilityReference& ref, double exact_unavailability) {
    INFO("reference Q = " << ref.unavailability << " +- " << ref.error << " (" << ref.quantity << "), exact "
                          << exact_unavailability << ", difference " << ref.unavailability - exact_unavailability);
    REQUIRE(ref.applicable);
    CHECK(ref.exact);
    CHECK(ref.error <= 1e-4 * exact_unavailability);
    CHECK(std::fabs(ref.unavailability - exact_unavailability) <= ref.error + 1e-12);
    CHECK(ref.availability + ref.unavailability == Approx(1.0).epsilon(1e-12));
}

}  // namespace

TEST_CASE("renewal lattice: exponential laws match A(t) = mu/(l+mu) + l/(l+mu) e^-(l+mu)t", "[renewal]") {
    // Lattice value m is the down probability on cell [mh, (m+1)h): compare with the cell average of
    // the closed form; the difference is O(h^2) and shrinks 4x when h halves.
    const Model m = read("components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h } }\nsystem: a\n");
    const double lam = 0.01, mu = 0.2, s = lam + mu;
    auto cell_q = [&](double lo, double hi) {  // average of lam/s (1 - e^{-s t}) over [lo, hi]
        return lam / s * (1 - (std::exp(-s * lo) - std::exp(-s * hi)) / (s * (hi - lo)));
    };
    double previous = 0;
    for (double h : {1.0, 0.5, 0.25}) {
        const int cells = static_cast<int>(200 / h);
        const std::vector<double> q = lattice_unavailability(m.components[0], h, cells);
        double worst = 0;
        for (int k = 0; k < cells; ++k) worst = std::max(worst, std::fabs(q[static_cast<std::size_t>(k)] - cell_q(k * h, (k + 1) * h)));
        INFO("h = " << h << ": largest difference " << worst);
        CHECK(worst < 2e-3 * h * h);
        if (previous > 0) CHECK(worst < 0.3 * previous);
        previous = worst;
    }
}

TEST_CASE("renewal reference: exponential failures with fixed repairs, closed form", "[renewal]") {
    const double lam = 1.0 / 100, d = 10;
    const Model m = read("components:\n  a: { failure: { mttf: 100h }, repair: { fixed: 10h } }\nsystem: a\n");
    for (double T : {35.0, 1000.0, 20000.0}) {
        check_reference(interval_availability_reference(m, 0, T), 1 - up_time_exp_fixed(lam, d, T) / T);
    }
    // With a warm-up: (up time over [0, H] - up time over [0, W]) / (H - W).
    const double W = 137, H = 612;
    check_reference(interval_availability_reference(m, W, H),
                    1 - (up_time_exp_fixed(lam, d, H) - up_time_exp_fixed(lam, d, W)) / (H - W));
    // A deliberately wrong value (repair 10.5 h, 5 % off) is far outside the stated error.
    const AvailabilityReference ref = interval_availability_reference(m, 0, 1000);
    const double wrong = 1 - up_time_exp_fixed(lam, 10.5, 1000) / 1000;
    CHECK(std::fabs(ref.unavailability - wrong) > 100 * ref.error);
}

TEST_CASE("renewal reference: a non-repairable unit in parallel with a fixed-repair unit", "[renewal]") {
    // Q_sys(t) = P(n failed by t) * (1 - A_w(t)), integrated here by Simpson on a fine grid.
    const double lam = 1.0 / 50, T = 500;
    const Model m = read("components:\n  n: { failure: { mttf: 100h } }\n"
                         "  w: { failure: { mttf: 50h }, repair: { fixed: 5h } }\nsystem: { parallel: [n, w] }\n");
    double exact = 0;
    for (int k = 0; k < 100; ++k) {  // split at the kinks of A_w, multiples of 5 h
        exact += simpson([&](double t) { return -std::expm1(-t / 100) * (1 - a_exp_fixed(lam, 5, t)); }, 5.0 * k,
                         5.0 * (k + 1), 200);
    }
    check_reference(interval_availability_reference(m, 0, T), exact / T);
}

TEST_CASE("renewal reference: steady state MTTF / (MTTF + MDT) for any law", "[renewal]") {
    // Weibull failures, lognormal repair after a gamma detection delay and a uniform logistics delay:
    // after a long warm-up the interval availability is the steady state.
    const Model m = read("components:\n  a: { failure: { weibull: { shape: 2, scale: 300h } }, "
                         "repair: { lognormal: { median: 10h, sigma: 0.7 } }, detect: { gamma: { shape: 2, mean: 2h } }, "
                         "logistics: { uniform: { min: 1h, max: 5h } } }\nsystem: a\n");
    const Component& c = m.components[0];
    const double mdt = c.repair->mean() + c.detect->mean() + c.logistics->mean();
    const double q = mdt / (c.failure.mean() + mdt);
    const AvailabilityReference ref = interval_availability_reference(m, 50000, 100000);
    INFO("Q = " << ref.unavailability << " +- " << ref.error << ", steady " << q);
    REQUIRE(ref.applicable);
    CHECK(std::fabs(ref.unavailability - q) <= std::max(ref.error, 1e-6 * q));
    // The lattice process keeps every mean exactly, so its own steady state is the same.
    const std::vector<double> cells = lattice_unavailability(c, 3.0, 20000);
    CHECK(cells.back() == Approx(q).epsilon(1e-6));
}

TEST_CASE("renewal reference: Weibull series with fixed repairs (xc_false_alarm) against a Volterra solve", "[renewal]") {
    // A(t) = S(t) + integral_0^{t-100} A(t - 100 - u) f(u) du for Weibull(4, 1000 h) failures and 100 h
    // repairs, solved by the trapezoid rule with step 0.25 h; the system is three in series: A(t)^3.
    const double k = 4, scale = 1000, d = 100, T = 3000, h = 0.25;
    const int n = static_cast<int>(T / h), shift = static_cast<int>(d / h);
    std::vector<double> f(static_cast<std::size_t>(n) + 1), a(static_cast<std::size_t>(n) + 1);
    for (int i = 0; i <= n; ++i) {
        const double t = i * h, z = std::pow(t / scale, k);
        f[static_cast<std::size_t>(i)] = k / scale * std::pow(t / scale, k - 1) * std::exp(-z);
    }
    for (int i = 0; i <= n; ++i) {
        double value = std::exp(-std::pow(i * h / scale, k));
        const int top = i - shift;  // u in [0, top h]
        if (top > 0) {
            double s = 0.5 * (a[static_cast<std::size_t>(top)] * f[0] + a[0] * f[static_cast<std::size_t>(top)]);
            for (int j = 1; j < top; ++j) s += a[static_cast<std::size_t>(top - j)] * f[static_cast<std::size_t>(j)];
            value += h * s;
        }
        a[static_cast<std::size_t>(i)] = value;
    }
    double up = 0;
    for (int i = 0; i < n; ++i) up += 0.5 * h * (std::pow(a[static_cast<std::size_t>(i)], 3) + std::pow(a[static_cast<std::size_t>(i) + 1], 3));
    const double exact_q = 1 - up / T;
    const Model m = read("components:\n  a: { count: 3, failure: { weibull: { shape: 4, scale: 1000h } }, repair: { fixed: 100h } }\n"
                         "system: a\n");
    const AvailabilityReference ref = interval_availability_reference(m, 0, T);
    INFO("reference Q = " << ref.unavailability << " +- " << ref.error << ", Volterra " << exact_q);
    REQUIRE(ref.applicable);
    CHECK(ref.exact);
    // The trapezoid solve itself is good to about 1e-6 here.
    CHECK(std::fabs(ref.unavailability - exact_q) <= ref.error + 2e-6);
    CHECK(exact_q == Approx(0.2293).margin(2e-4));  // the audit's own Monte Carlo figure
}

TEST_CASE("cross-check on non-exponential models: agrees when right, catches a 5 % error", "[renewal][crosscheck]") {
    // xc_false_alarm.yaml: the old reference (steady state + start-up correction) disagreed on every seed.
    const std::string text = "components:\n  a: { count: 3, failure: { weibull: { shape: 4, scale: 1000h } }, repair: { fixed: 100h } }\n"
                             "system: a\nsimulation: { horizon: 3000h, replications: 1000, seed: 1 }\n";
    const sim::SimulationResults sim = test::run_yaml(text);
    const sim::Estimate& u = sim.unavailability;
    const CrossCheck good = cross_check(interval_availability_reference(read(text), 0, 3000), u.mean, u.std_error, u.lo,
                                        u.hi, u.has_ci, sim.system_outages);
    INFO("z = " << good.z << ", reason " << good.reason);
    CHECK(good.verdict == Verdict::Agrees);
    // The analytic side with a Weibull scale 5 % too long: the simulation must disagree.
    const Model wrong = read("components:\n  a: { count: 3, failure: { weibull: { shape: 4, scale: 1050h } }, repair: { fixed: 100h } }\n"
                             "system: a\n");
    const CrossCheck bad = cross_check(interval_availability_reference(wrong, 0, 3000), u.mean, u.std_error, u.lo, u.hi,
                                       u.has_ci, sim.system_outages);
    INFO("5 % wrong: z = " << bad.z);
    CHECK(bad.verdict == Verdict::Disagrees);
    // A reference whose numerical error is not small against the standard error gives no verdict.
    AvailabilityReference rough = interval_availability_reference(read(text), 0, 3000);
    rough.error = u.std_error;
    const CrossCheck none = cross_check(rough, u.mean, u.std_error, u.lo, u.hi, u.has_ci, sim.system_outages);
    CHECK(none.verdict == Verdict::NotApplicable);
    CHECK(none.reason.find("approximate") != std::string::npos);
}

TEST_CASE("renewal reference: a denormal MTTF ends with a correct value, in bounded memory", "[renewal][bad-input]") {
    // R07: the reader refuses durations below 1 ns (a denormal MTTF is an input error); at a tiny legal
    // MTTF (a short horizon keeps the event budget), exponential laws take the closed-form path (its quadrature once looped without bound)
    // and a fixed repair takes the lattice path. Either way the unit is down all the time.
    CHECK_THROWS_AS(read("components:\n  a: { failure: { mttf: 1e-307s }, repair: { mttr: 1h } }\nsystem: a\n"),
                    InputError);
    for (const char* repair : {"mttr: 1h", "fixed: 1h"}) {
        const Model m = read(std::string("simulation: { horizon: 1s }\ncomponents:\n  a: { failure: { mttf: 1e-3s }, "
                                         "repair: { ") + repair + " } }\nsystem: a\n");
        const AvailabilityReference ref = interval_availability_reference(m, 0, 8760);
        INFO(repair << ": Q = " << ref.unavailability << " +- " << ref.error);
        REQUIRE(ref.applicable);
        CHECK(ref.unavailability == Approx(1.0).margin(1e-9));
    }
}
