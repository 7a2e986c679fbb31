// Failure biasing by uniformisation (sim/uniformised_biasing.h) against exact answers: the Weibull /
// lognormal 2-of-4 at ~1e-7 whose unavailability is exact from the units' alternating renewal (as in
// test_splitting.cpp), and an exponential 2-of-3 with a crew per unit (birth-death chain solved here).
// Every check is |estimate - exact| < 4 standard errors, and a deliberately wrong value must lie
// outside (so the check can fail).
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "model/error.h"
#include "sim/splitting.h"
#include "sim/uniformised_biasing.h"

using namespace nines;

namespace {

void check_within(const sim::SplittingInterval& e, double exact, double wrong, const std::string& what) {
    INFO(what << ": estimate " << e.mean << " +- " << e.std_error << " (SE), exact " << exact << ", z = "
              << (e.mean - exact) / e.std_error << "; wrong " << wrong << ", z = " << (e.mean - wrong) / e.std_error);
    REQUIRE(e.std_error > 0);
    CHECK(std::fabs(e.mean - exact) < 4 * e.std_error);
    CHECK(std::fabs(e.mean - wrong) > 4 * e.std_error);
}

const std::string kWeibullLognormal2of4 =
    "components:\n  u: { count: 4, failure: { weibull: { shape: 1.5, scale: 2000h } }, "
    "repair: { lognormal: { median: 4h, sigma: 0.8 } } }\nsystem: { k_of_n: { k: 2, of: u } }\n";

double three_of_four_down(double q) { return 4 * q * q * q * (1 - q) + q * q * q * q; }

}  // namespace

TEST_CASE("uniformised biasing: Weibull failures, lognormal repairs, 2-of-4 at 1e-7 against the exact renewal value", "[uniformisation]") {
    // Independent units with independent repair: U = P(at least 3 of 4 down), q = MTTR / (MTTF + MTTR)
    // per unit whatever the laws (the first 1e4 h, with new units, are not counted).
    const double mttf = 2000 * std::tgamma(1 + 1 / 1.5), mttr = 4 * std::exp(0.32);
    const double exact = three_of_four_down(mttr / (mttf + mttr));
    // Wrong: the lognormal's median taken as its mean, 2.6 times smaller.
    const double wrong = three_of_four_down(4 / (mttf + 4));
    const Model m = io::read_scenario_text(kWeibullLognormal2of4, "w.yaml");
    sim::UniformisedBiasingSettings s;
    s.horizon_h = 2e5;
    s.warmup_h = 1e4;
    s.replications = 16;
    s.target_relative_error = 0.1;
    s.max_replications = 1024;
    s.threads = 2;
    s.seed = 11;
    const sim::UniformisedBiasingResult r = sim::estimate_by_uniformised_biasing(m, s);
    check_within(r.unavailability, exact, wrong, "Weibull/lognormal 2-of-4: unavailability");
    CHECK(r.unavailability.lower <= exact);
    CHECK(r.unavailability.upper >= exact);
    CHECK(r.unavailability.relative_error < 0.1);
    CHECK(r.mean_down_time_h.mean < mttr);
    CHECK(r.branches > r.replications * 100);
    CHECK(r.variance_ratio > 10);
    CHECK(r.largest_replication_share < 0.3);
}

TEST_CASE("uniformised biasing: exponential 2-of-3 with a crew per unit against the birth-death chain", "[uniformisation]") {
    // Failure rate 1e-3 per unit, repair rate 1 per unit: states 0..3 down, p_j ~ C(3, j) r^j.
    const double r = 1e-3;
    const double p1 = 3 * r, p2 = 3 * r * r, p3 = r * r * r, total = 1 + p1 + p2 + p3;
    const double exact = (p2 + p3) / total, frequency = p1 / total * 2 * r;
    const Model m = io::read_scenario_text(
        "components:\n  u: { count: 3, failure: { mttf: 1000h }, repair: { mttr: 1h } }\nsystem: { k_of_n: { k: 2, of: u } }\n", "e.yaml");
    sim::UniformisedBiasingSettings s;
    s.horizon_h = 1e5;
    s.replications = 16;
    s.threads = 2;
    s.seed = 5;
    const sim::UniformisedBiasingResult res = sim::estimate_by_uniformised_biasing(m, s);
    // Wrong: 30 % more (a one-crew chain would be 1.5x for the down states).
    check_within(res.unavailability, exact, 1.3 * exact, "exponential 2-of-3: unavailability");
    check_within(res.failure_frequency_per_h, frequency, 1.3 * frequency, "exponential 2-of-3: failure frequency");
}

TEST_CASE("uniformised biasing: identical results for any thread count", "[uniformisation]") {
    const Model m = io::read_scenario_text(kWeibullLognormal2of4, "w.yaml");
    sim::UniformisedBiasingSettings s;
    s.horizon_h = 2e4;
    s.replications = 6;
    s.seed = 3;
    s.threads = 1;
    const sim::UniformisedBiasingResult a = sim::estimate_by_uniformised_biasing(m, s);
    s.threads = 2;
    const sim::UniformisedBiasingResult b = sim::estimate_by_uniformised_biasing(m, s);
    CHECK(a.unavailability.mean == b.unavailability.mean);
    CHECK(a.unavailability.std_error == b.unavailability.std_error);
    CHECK(a.events == b.events);
}

TEST_CASE("uniformised biasing: refuses failure laws without a hazard bound and crew pools", "[uniformisation]") {
    const Model lognormal = io::read_scenario_text(
        "components:\n  u: { count: 3, failure: { lognormal: { median: 1000h, sigma: 1 } }, repair: { mttr: 1h } }\n"
        "system: { k_of_n: { k: 2, of: u } }\n", "l.yaml");
    CHECK_THROWS_WITH(sim::check_uniformised_biasing_supported(lognormal), Catch::Contains("hazard has no bound"));
    const Model early = io::read_scenario_text(
        "components:\n  u: { count: 3, failure: { weibull: { shape: 0.7, scale: 1000h } }, repair: { mttr: 1h } }\n"
        "system: { k_of_n: { k: 2, of: u } }\n", "w.yaml");
    CHECK_THROWS_AS(sim::check_uniformised_biasing_supported(early), UnsupportedError);
    const Model crews = io::read_scenario_text(
        "components:\n  u: { count: 3, failure: { mttf: 1000h }, repair: { mttr: 1h }, crew: shop }\n"
        "system: { k_of_n: { k: 2, of: u } }\nrepair: { pools: { shop: { crews: 1 } } }\n", "c.yaml");
    CHECK_THROWS_WITH(sim::check_uniformised_biasing_supported(crews), Catch::Contains("crew pools"));
}
