// Failure biasing by uniformisation (sim/uniformised_biasing.h) against exact answers: the Weibull /
// lognormal 2-of-4 at ~1e-7 whose unavailability is exact from the units' alternating renewal (as in
// test_splitting.cpp), and an exponential 2-of-3 with a crew per unit (birth-death chain solved here).
// Every check is |estimate - exact| < 4 standard errors, and a deliberately wrong value must lie
// outside (so the check can fail).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "model/error.h"
#include "model/structure_graph.h"
#include "sim/cut_set_distance.h"
#include "sim/structure_state.h"
#include "study/study.h"
#include "sim/splitting.h"
#include "sim/uniformised_biasing.h"
#include "rare_event_cases.h"
#include "rare_event_checks.h"

using namespace nines;

using test::check_within;
using test::kWeibullLognormal2of4;

TEST_CASE("uniformised biasing: Weibull failures, lognormal repairs, 2-of-4 at 1e-7 against the exact renewal value", "[uniformisation]") {
    // Independent units with independent repair: U = P(at least 3 of 4 down), q = MTTR / (MTTF + MTTR)
    // per unit whatever the laws (the first 1e4 h, with new units, are not counted).
    const double exact = test::weibull_lognormal_2of4_exact(), mttr = test::lognormal_mean(4, 0.8);
    // Wrong: the lognormal's median taken as its mean, 2.6 times smaller.
    const double wrong = test::weibull_lognormal_2of4_median_slip();
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

namespace {

// Every state of the units of `yaml`: the one-pass closer set against one distance pass per unit.
void check_closer_units_in_every_state(const std::string& yaml, bool tree) {
    const Model m = io::read_scenario_text(yaml, "s.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    sim::CloserUnits closer_units(g);
    CHECK(closer_units.one_pass() == tree);
    const int units = g.instance_count;
    std::vector<std::uint8_t> closer;
    std::vector<int> scratch;
    int states_with_closer = 0;
    for (int mask = 0; mask < (1 << units); ++mask) {
        sim::StructureState state(g);
        for (int i = 0; i < units; ++i) {
            if (mask & (1 << i)) state.flip(i, true);
        }
        const int d = closer_units.find(state.node_down(), closer);
        CHECK(d == sim::distance_to_cut_set(g, state.node_down(), scratch));
        for (int i = 0; i < units; ++i) {
            bool expected = false;
            if (!(mask & (1 << i)) && d > 0) {
                state.flip(i, true);
                expected = sim::distance_to_cut_set(g, state.node_down(), scratch) < d;
                state.flip(i, false);
            }
            INFO("state " << mask << ", unit " << i);
            CHECK(static_cast<bool>(closer[static_cast<std::size_t>(i)]) == expected);
            if (expected) ++states_with_closer;
        }
    }
    CHECK(states_with_closer > 0);
}

}  // namespace

TEST_CASE("uniformised biasing: the units whose failure lowers the distance, in one pass, in every state", "[uniformisation]") {
    // A tree: series(a, parallel(b, c), 2-of-3(d, e, f), 2-of-3 over two parallel pairs and g): one pass.
    // (A unit counted only when its distance is strictly below the k-th smallest would miss the ties, as
    // in the 2-of-3 with all up, and fail here.)
    check_closer_units_in_every_state(
        "components:\n  a: { failure: { mttf: 1000h } }\n  b: { failure: { mttf: 1000h } }\n  c: { failure: { mttf: 1000h } }\n"
        "  d: { failure: { mttf: 1000h } }\n  e: { failure: { mttf: 1000h } }\n  f: { failure: { mttf: 1000h } }\n"
        "  g: { failure: { mttf: 1000h } }\n  h: { failure: { mttf: 1000h } }\n  i: { failure: { mttf: 1000h } }\n"
        "  j: { failure: { mttf: 1000h } }\n  k: { failure: { mttf: 1000h } }\n"
        "system: { series: [a, { parallel: [b, c] }, { k_of_n: { k: 2, of: [d, e, f] } },"
        " { k_of_n: { k: 2, of: [{ parallel: [g, h] }, { parallel: [i, j] }, k] } }] }\n",
        true);
    // Shared instances (a in both branches): unit by unit.
    check_closer_units_in_every_state(
        "components:\n  a: { failure: { mttf: 1000h } }\n  b: { failure: { mttf: 1000h } }\n  c: { failure: { mttf: 1000h } }\n"
        "  d: { failure: { mttf: 1000h } }\n"
        "system: { parallel: [{ series: [a, b] }, { series: [a, c] }, d] }\n",
        false);
}

// Through the study (`simulation: { method: importance | auto }`), as `nines run` does it
// (tests/rare_event_checks.h): failure biasing by uniformisation is `importance` on a model that is not
// Markovian, and what `auto` picks for it.
TEST_CASE("uniformised biasing through the study: method importance and auto on the Weibull/lognormal 2-of-4, against the exact value",
          "[uniformisation]") {
    const double exact = test::weibull_lognormal_2of4_exact();        // 1.1e-7
    const double wrong = test::weibull_lognormal_2of4_median_slip();  // the median taken as the mean: 2.6 times smaller
    for (const std::string method : {"importance", "auto"}) {
        const study::StudyResults r = test::study_of(method, 2);
        INFO("method " << method << ": " << r.method_reason);
        REQUIRE(r.rare_event);
        const sim::RareEventEstimate& e = *r.rare_event;
        CHECK(e.method == sim::RareEventMethod::Importance);
        CHECK(e.variant.find("failure biasing through uniformisation") == 0);
        CHECK(e.over_window);
        if (method == "auto") {
            // Plain Monte Carlo over 4 x 1.9e5 h would see about 0.4 outages, far from the 384 that +-10 % needs.
            CHECK(r.method_reason.find("importance sampling by failure biasing through uniformisation: plain Monte Carlo would see "
                                       "about") == 0);
        } else {
            CHECK(r.method_reason.find("importance sampling by failure biasing through uniformisation, as the scenario asks") == 0);
        }
        // |estimate - exact| < 4 standard errors, and the wrong value outside (so the check can fail).
        test::check_accelerated_estimate(e, exact, wrong, method);
        CHECK(e.cycles % 8 == 0);  // rounds of 8 replications
        REQUIRE(e.likelihood_ratio);
        CHECK(e.likelihood_ratio->sample == "branch");
        CHECK(e.likelihood_ratio->samples > e.cycles * 100);
        CHECK(e.likelihood_ratio->cycles_hitting >= 30);
        CHECK(e.likelihood_ratio->largest_share < 0.2);
        CHECK_FALSE(e.likelihood_ratio->degenerate);
        CHECK(e.warnings.empty());
        CHECK(e.mean_down_h.mean < test::lognormal_mean(4, 0.8));  // an outage ends with the first of three repairs
        CHECK(e.failures_per_year.mean * e.mtbf_h.mean == Approx(kHoursPerYear));
        // The accelerated figures replace the plain ones, and the cross-check judges them.
        CHECK(r.simulation.unavailability.mean == e.unavailability.mean);
        CHECK(r.crosscheck.outages == e.likelihood_ratio->cycles_hitting);
    }
}

TEST_CASE("uniformised biasing through the study: identical results for any thread count", "[uniformisation]") {
    const study::StudyResults one = test::study_of("importance", 1, 5), three = test::study_of("importance", 3, 5);
    REQUIRE(one.rare_event);
    REQUIRE(three.rare_event);
    CHECK(three.rare_event->cycles == one.rare_event->cycles);
    CHECK(three.rare_event->transitions == one.rare_event->transitions);
    CHECK(three.rare_event->unavailability.mean == one.rare_event->unavailability.mean);  // bitwise
    CHECK(three.rare_event->unavailability.lo == one.rare_event->unavailability.lo);
    CHECK(three.rare_event->unavailability.hi == one.rare_event->unavailability.hi);
    CHECK(three.rare_event->mean_down_h.mean == one.rare_event->mean_down_h.mean);
    CHECK(three.rare_event->likelihood_ratio->effective_sample_size == one.rare_event->likelihood_ratio->effective_sample_size);
    // A different seed gives a different estimate (the comparison above can fail).
    CHECK(test::study_of("importance", 2, 6).rare_event->unavailability.mean != one.rare_event->unavailability.mean);
}

TEST_CASE("uniformised biasing through the study: refusals at the method key; auto leaves large models to plain, not splitting",
          "[uniformisation]") {
    // A Weibull failure law of shape < 1 (decreasing hazard): neither Markovian nor bounded.
    const std::string early = "components:\n  u: { count: 3, failure: { weibull: { shape: 0.7, scale: 1000h } }, repair: { mttr: 1h } }\n"
                              "system: { k_of_n: { k: 2, of: u } }\nsimulation: { method: importance, replications: 4 }\n";
    test::check_refused_at_method(early, 4, {"simulation method 'importance' needs a Markovian model", "hazard has no bound"});
    study::StudyOptions options;
    // 24 lognormal-failure units: uniformisation refuses the law, splitting handles it but auto does not
    // pick it above 20 instances (its cost; README): plain, saying why.
    const std::string many = "components:\n  u: { count: 24, failure: { lognormal: { median: 5000h, sigma: 0.5 } }, repair: { mttr: 1h } }\n"
                             "system: { k_of_n: { k: 20, of: u } }\nsimulation: { method: auto, replications: 4, horizon: 1000h }\n";
    const Model a = io::read_scenario_text(many, "a.yaml");
    options.run.settings = a.simulation;
    const study::StudyResults r = study::run_study(a, options);
    CHECK_FALSE(r.rare_event);
    CHECK(r.method_reason.find("plain Monte Carlo: no accelerated method applies") == 0);
    CHECK(r.method_reason.find("failure biasing by uniformisation: failure biasing by uniformisation does not handle a failure law") !=
          std::string::npos);
    CHECK(r.method_reason.find("the model has 24 instances, and auto picks splitting for at most 20") != std::string::npos);
}
