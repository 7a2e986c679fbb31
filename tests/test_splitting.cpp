// Importance splitting (sim/splitting.h) against exact answers: k-of-n systems with exponential laws
// and one or n crews (a birth-death chain solved in tests/rare_event_cases.h), and a Weibull / lognormal 2-of-4 with
// independent repair, whose steady-state unavailability is exact from the units' alternating renewal
// (q = MTTR / (MTTF + MTTR) per unit, then the binomial). Every check is |estimate - exact| < 4
// standard errors, and a deliberately wrong value must lie outside (so the check can fail).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "analytic/crosscheck.h"
#include "io/scenario_reader.h"
#include "model/error.h"
#include "sim/conditional_residual.h"
#include "sim/runner.h"
#include "sim/splitting.h"
#include "study/study.h"
#include "rare_event_cases.h"
#include "rare_event_checks.h"

using namespace nines;

using test::check_within;
using test::kofn_birth_death;
using test::kofn_yaml;
using test::kWeibullLognormal2of4;
using test::three_of_four_down;

TEST_CASE("splitting: exponential k-of-n with one crew and with a crew per unit, against the birth-death chain", "[splitting]") {
    struct Case {
        int n, k;
        double lam;
        int crews;
        double published_u;  // ../shared/benchmarks/rare-events/kofn_repair_exact.json, for the record
    };
    for (const Case& c : {Case{5, 3, 1e-3, 1, 5.981982090269e-08}, Case{5, 3, 1e-3, 5, 9.955125720539e-09},
                          Case{10, 8, 1e-4, 1, 7.197838703568e-10}}) {
        const test::KofnExact x = kofn_birth_death(c.n, c.k, c.lam, 1.0, c.crews);
        CHECK(x.unavailability == Approx(c.published_u).epsilon(1e-10));
        const Model m = io::read_scenario_text(kofn_yaml(c.n, c.k, 1 / c.lam, c.crews), "kofn.yaml");
        sim::SplittingSettings s;
        s.horizon_h = 1e5;
        s.replications = 16;
        s.threads = 2;
        s.seed = 7;
        const sim::SplittingResult r = sim::estimate_by_splitting(m, s);
        const std::string what = std::to_string(c.k) + "-of-" + std::to_string(c.n) + ", " + std::to_string(c.crews) + " crew(s)";
        // Wrong: the other crew count (one crew vs a crew per unit), a factor 3 to 6 apart here.
        const test::KofnExact other = kofn_birth_death(c.n, c.k, c.lam, 1.0, c.crews == 1 ? c.n : 1);
        check_within(r.unavailability, x.unavailability, other.unavailability, what + ": unavailability");
        // Wrong: 30 % more failures.
        check_within(r.failure_frequency_per_h, x.failure_frequency, 1.3 * x.failure_frequency, what + ": failure frequency");
        // Wrong: the mean down time of the other crew count (1 h against 1/(n-k+1) h).
        check_within(r.mean_down_time_h, x.unavailability / x.failure_frequency, other.unavailability / other.failure_frequency,
                     what + ": mean down time");
        CHECK(r.unavailability.lower <= x.unavailability);
        CHECK(r.unavailability.upper >= x.unavailability);
        CHECK(r.replications == 16);
        CHECK(r.events > r.pilot_events);
        CHECK(r.distance_all_up == c.n - c.k + 1);
    }
}

TEST_CASE("splitting: Weibull failures, lognormal repairs, 2-of-4 at 1e-7 against the exact renewal value", "[splitting]") {
    // Independent units with independent repair: each is a stationary alternating renewal process, down
    // with probability q = MTTR / (MTTF + MTTR) whatever the laws, and the units are independent, so
    // U = P(at least 3 of 4 down) exactly (the long-run fraction of time; the run starts all new, and
    // new Weibull units of shape 1.5 fail less than aged ones: the first 1e4 h are not counted).
    const double exact = test::weibull_lognormal_2of4_exact(), mttr = test::lognormal_mean(4, 0.8);
    // Wrong: the lognormal's median taken as its mean (a classic slip), 2.6 times smaller.
    const double wrong = test::weibull_lognormal_2of4_median_slip();
    const Model m = io::read_scenario_text(kWeibullLognormal2of4, "w.yaml");
    sim::SplittingSettings s;
    s.horizon_h = 2e5;
    s.warmup_h = 1e4;
    s.replications = 16;
    s.threads = 2;
    s.seed = 11;
    const sim::SplittingResult r = sim::estimate_by_splitting(m, s);
    check_within(r.unavailability, exact, wrong, "Weibull/lognormal 2-of-4: unavailability");
    CHECK(r.unavailability.lower <= exact);
    CHECK(r.unavailability.upper >= exact);
    CHECK(r.unavailability.relative_error < 0.1);
    // Every outage ends with the first of three repairs (lognormal, in progress, at various ages): the
    // mean down time is below one repair's mean.
    CHECK(r.mean_down_time_h.mean < mttr);
    CHECK(r.clocks_redrawn);
    CHECK(r.variance_ratio > 10);
    CHECK(r.largest_replication_share < 0.3);  // 16 replications that agree: about 1/16 each
}

TEST_CASE("splitting: identical results for any thread count", "[splitting]") {
    const Model m = io::read_scenario_text(kWeibullLognormal2of4, "w.yaml");
    sim::SplittingSettings s;
    s.horizon_h = 2e4;
    s.replications = 6;
    s.pilot_replications = 3;
    s.seed = 3;
    s.threads = 1;
    const sim::SplittingResult one = sim::estimate_by_splitting(m, s);
    for (int threads : {2, 3, 5}) {
        s.threads = threads;
        const sim::SplittingResult r = sim::estimate_by_splitting(m, s);
        CHECK(r.unavailability.mean == one.unavailability.mean);
        CHECK(r.unavailability.std_error == one.unavailability.std_error);
        CHECK(r.failure_frequency_per_h.mean == one.failure_frequency_per_h.mean);
        CHECK(r.events == one.events);
        CHECK(r.trajectories == one.trajectories);
        for (std::size_t j = 0; j < r.thresholds.size(); ++j) CHECK(r.thresholds[j].factor == one.thresholds[j].factor);
    }
    // And the seed matters (the comparison above could not pass by everything being constant).
    s.seed = 4;
    CHECK(sim::estimate_by_splitting(m, s).unavailability.mean != one.unavailability.mean);
}

TEST_CASE("splitting: distance to the nearest cut set", "[splitting]") {
    // series(a, parallel(b, c), 2-of-3(d, e, f)): cut sets {a}, {b, c}, {d, e}, {d, f}, {e, f}.
    const Model m = io::read_scenario_text(
        "components:\n  a: { failure: { mttf: 1000h } }\n  b: { failure: { mttf: 1000h } }\n  c: { failure: { mttf: 1000h } }\n"
        "  d: { failure: { mttf: 1000h } }\n  e: { failure: { mttf: 1000h } }\n  f: { failure: { mttf: 1000h } }\n"
        "system: { series: [a, { parallel: [b, c] }, { k_of_n: { k: 2, of: [d, e, f] } }] }\n",
        "d.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    const std::vector<std::vector<int>> cuts = {{0}, {1, 2}, {3, 4}, {3, 5}, {4, 5}};
    std::vector<int> scratch;
    std::vector<std::uint8_t> node_down;
    // Every one of the 64 states: the distance equals min over cut sets of the members still up.
    for (int state = 0; state < 64; ++state) {
        std::vector<std::uint8_t> leaf(6);
        for (int i = 0; i < 6; ++i) leaf[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((state >> i) & 1);
        g.evaluate(leaf, node_down);
        int expected = 99;
        for (const std::vector<int>& cut : cuts) {
            int up = 0;
            for (int i : cut) up += leaf[static_cast<std::size_t>(i)] ? 0 : 1;
            expected = std::min(expected, up);
        }
        INFO("state " << state);
        CHECK(sim::distance_to_cut_set(g, node_down, scratch) == expected);
    }
}

TEST_CASE("splitting: a remaining time has the law given the age", "[splitting]") {
    // P(X - a > x | X > a) = S(a + x) / S(a), checked at three points for each law by the share of
    // 40000 draws (binomial standard error). Wrong, to show the check can fail: a fresh draw, S(x).
    struct Case {
        Distribution law;
        double age;
        std::vector<double> at;
    };
    auto survival = [](const Distribution& d, double x) {
        switch (d.kind) {
            case DistributionKind::Weibull: return std::exp(-std::pow(std::max(0.0, x - d.c) / d.b, d.a));
            case DistributionKind::Lognormal: return 0.5 * std::erfc((std::log(x) - d.a) / (d.b * std::sqrt(2.0)));
            case DistributionKind::Normal: return 0.5 * std::erfc((x - d.a) / (d.b * std::sqrt(2.0)));
            case DistributionKind::Uniform: return std::clamp((d.b - x) / (d.b - d.a), 0.0, 1.0);
            default: return 0.0;
        }
    };
    const std::vector<Case> cases = {
        {Distribution::weibull(1.5, 1000, 0), 800, {100, 400, 1000}},
        {Distribution::weibull(3, 500, 50), 600, {50, 150, 300}},
        {Distribution::lognormal(std::log(4.0), 0.8), 6, {1, 4, 10}},
        {Distribution::lognormal(std::log(4.0), 0.8), 40, {5, 20, 60}},  // far in the tail: S(a) ~ 2e-3
        {Distribution::normal(100, 20), 110, {5, 15, 40}},
        {Distribution::uniform(10, 30), 20, {2, 5, 8}},
    };
    sim::RandomStream rng(5, 0, 1);
    for (const Case& c : cases) {
        const int draws = 40000;
        std::vector<int> above(c.at.size(), 0);
        for (int k = 0; k < draws; ++k) {
            const double rest = *sim::draw_remaining(c.law, c.age, rng);
            for (std::size_t j = 0; j < c.at.size(); ++j) above[j] += rest > c.at[j] ? 1 : 0;
        }
        for (std::size_t j = 0; j < c.at.size(); ++j) {
            const double p = survival(c.law, c.age + c.at[j]) / survival(c.law, c.age);
            const double fresh = survival(c.law, c.at[j]);
            const double share = static_cast<double>(above[j]) / draws;
            const double se = std::sqrt(p * (1 - p) / draws) + 1e-12;
            INFO(c.law.describe() << ", age " << c.age << ", x " << c.at[j] << ": share " << share << ", exact " << p << ", fresh " << fresh);
            CHECK(std::fabs(share - p) < 4 * se);
            CHECK(std::fabs(share - fresh) > 4 * se);
        }
    }
    CHECK(*sim::draw_remaining(Distribution::fixed(10), 4, rng) == 6);
    CHECK_FALSE(sim::draw_remaining(Distribution::gamma(2, 5), 4, rng).has_value());
}

TEST_CASE("splitting: what it does not handle is refused, by name", "[splitting]") {
    const std::string base = "components:\n  u: { count: 3, failure: { mttf: 1000h }, repair: { mttr: 1h }";
    const std::string sys = " }\nsystem: { k_of_n: { k: 2, of: u } }\n";
    CHECK_THROWS_WITH(sim::estimate_by_splitting(io::read_scenario_text(base + ", detect: { fixed: 1h }" + sys, "x.yaml"), {}),
                      Catch::Contains("detection or logistics delays (component u)"));
    const Model plain = io::read_scenario_text(base + sys, "x.yaml");
    sim::SplittingSettings s;
    s.factors = {2, 2, 2};  // two thresholds here
    CHECK_THROWS_AS(sim::estimate_by_splitting(plain, s), UnsupportedError);
}

TEST_CASE("splitting: Weibull/lognormal 2-of-3 with one crew agrees with the simulation kernel's plain run", "[splitting]") {
    // No exact value with one crew and these laws; the kernel (an independent implementation of crews
    // and laws) runs it plainly at 8e-4, where plain Monte Carlo is cheap (the two agree to 1 % here). Wrong: independent repair,
    // whose exact value (binomial of q) the estimate must reject: with one crew the second unit down
    // waits, and outages last about twice as long.
    const std::string units = "components:\n  u: { count: 3, failure: { weibull: { shape: 1.5, scale: 500h } }, "
                              "repair: { lognormal: { median: 4h, sigma: 0.8 } }, crew: shop }\n"
                              "system: { k_of_n: { k: 2, of: u } }\nrepair: { pools: { shop: { crews: 1 } } }\n";
    const Model m = io::read_scenario_text(units + "simulation: { horizon: 1000000h, warmup: 5000h, replications: 40, seed: 5 }\n", "c.yaml");
    sim::RunOptions options;
    options.settings = m.simulation;
    options.settings.threads = 2;
    const sim::SimulationResults plain = sim::run_simulation(m, options);
    sim::SplittingSettings s;
    s.horizon_h = 1e5;
    s.warmup_h = 5000;
    s.replications = 16;
    s.threads = 2;
    s.seed = 9;
    const sim::SplittingResult r = sim::estimate_by_splitting(m, s);
    const double se = std::hypot(plain.unavailability.std_error, r.unavailability.std_error);
    const double mttf = 500 * std::tgamma(1 + 1 / 1.5), mttr = 4 * std::exp(0.32), q = mttr / (mttf + mttr);
    const double independent = 3 * q * q * (1 - q) + q * q * q;
    INFO("kernel " << plain.unavailability.mean << " +- " << plain.unavailability.std_error << ", splitting " << r.unavailability.mean
                   << " +- " << r.unavailability.std_error << ", independent repair " << independent);
    CHECK(std::fabs(r.unavailability.mean - plain.unavailability.mean) < 4 * se);
    CHECK(std::fabs(r.unavailability.mean - independent) > 4 * r.unavailability.std_error);
}

// Through the study (`simulation: { method: ... }`), as `nines run` does it (tests/rare_event_checks.h).
using test::study_of;

TEST_CASE("splitting through the study: method splitting and auto on the Weibull/lognormal 2-of-4, against the exact value",
          "[splitting]") {
    const double exact = test::weibull_lognormal_2of4_exact();        // 1.1e-7
    const double wrong = test::weibull_lognormal_2of4_median_slip();  // the median taken as the mean: 2.6 times smaller
    for (const std::string method : {"splitting", "auto"}) {
        // auto picks failure biasing by uniformisation where it applies (test_uniformised_biasing.cpp); with
        // a pool of 4 crews for the 4 units (repair as independent as before, the same exact value) it does
        // not, and auto picks splitting.
        const study::StudyResults r = study_of(method, 2, 11, method == "auto");
        INFO("method " << method << ": " << r.method_reason);
        REQUIRE(r.rare_event);
        const sim::RareEventEstimate& e = *r.rare_event;
        CHECK(e.method == sim::RareEventMethod::Splitting);
        if (method == "auto") {
            // Plain Monte Carlo over 4 x 1.9e5 h would see about 0.4 outages, far from the 384 that +-10 % needs.
            CHECK(r.method_reason.find("importance splitting: plain Monte Carlo would see about") == 0);
        } else {
            CHECK(r.method_reason == "importance splitting, as the scenario asks");
        }
        // |estimate - exact| < 4 standard errors, and the wrong value outside (so the check can fail).
        test::check_accelerated_estimate(e, exact, wrong, method);
        CHECK(e.cycles % 20 == 0);                    // rounds of 20 replications
        REQUIRE(e.splitting);
        CHECK(e.splitting->largest_replication_share < 0.3);
        CHECK_FALSE(e.splitting->degenerate);
        CHECK(e.warnings.empty());
        CHECK(e.mean_down_h.mean < test::lognormal_mean(4, 0.8));  // an outage ends with the first of three repairs
        CHECK(e.failures_per_year.mean * e.mtbf_h.mean == Approx(kHoursPerYear));
        // The accelerated figures replace the plain ones, and the cross-check judges them.
        CHECK(r.simulation.unavailability.mean == e.unavailability.mean);
        CHECK(r.crosscheck.outages == e.splitting->down_entries);
        CHECK(e.splitting->down_entries >= analytic::kMinOutagesForVerdict);
    }
}

TEST_CASE("splitting through the study: identical results for any thread count", "[splitting]") {
    const study::StudyResults one = study_of("splitting", 1, 5), three = study_of("splitting", 3, 5);
    for (const study::StudyResults* r : {&three}) {
        REQUIRE(r->rare_event);
        CHECK(r->rare_event->cycles == one.rare_event->cycles);
        CHECK(r->rare_event->transitions == one.rare_event->transitions);
        CHECK(r->rare_event->unavailability.mean == one.rare_event->unavailability.mean);  // bitwise
        CHECK(r->rare_event->unavailability.lo == one.rare_event->unavailability.lo);
        CHECK(r->rare_event->unavailability.hi == one.rare_event->unavailability.hi);
        CHECK(r->rare_event->mean_down_h.mean == one.rare_event->mean_down_h.mean);
        CHECK(r->simulation.unavailability.mean == one.simulation.unavailability.mean);
    }
    // A different seed gives a different estimate (the comparison above can fail).
    CHECK(study_of("splitting", 2, 6).rare_event->unavailability.mean != one.rare_event->unavailability.mean);
}

TEST_CASE("splitting through the study: what it does not handle is refused at the method key, and auto says why plain",
          "[splitting]") {
    // Weibull units behind a detection delay: not Markovian, and splitting does not handle delays.
    const std::string delayed = "components:\n  u: { count: 3, failure: { weibull: { shape: 2, scale: 1000h } }, repair: { mttr: 1h }, "
                                "detect: { fixed: 1h } }\nsystem: { k_of_n: { k: 2, of: u } }\n"
                                "simulation: { method: splitting, replications: 4, horizon: 10000h }\n";
    test::check_refused_at_method(delayed, 4, {"simulation method 'splitting' cannot estimate this model", "detection or logistics delays"});
    study::StudyOptions options;
    // The same model under auto: plain Monte Carlo, with both accelerated methods' reasons.
    std::string automatic = delayed;
    automatic.replace(automatic.find("splitting"), 9, "auto");
    const Model a = io::read_scenario_text(automatic, "a.yaml");
    options.run.settings = a.simulation;
    const study::StudyResults r = study::run_study(a, options);
    CHECK_FALSE(r.rare_event);
    CHECK(r.method_reason.find("plain Monte Carlo: no accelerated method applies") == 0);
    CHECK(r.method_reason.find("importance splitting: splitting does not handle detection or logistics delays") != std::string::npos);
    // auto on a non-Markovian model whose outages are frequent: plain, by the splitting pilot's count.
    std::string frequent = test::kStudyWeibull2of4;
    frequent.replace(frequent.find("METHOD"), 6, "auto");
    frequent.replace(frequent.find("SEED"), 4, "3");
    frequent.replace(frequent.find("THREADS"), 7, "2");
    frequent.replace(frequent.find("scale: 2000h"), 12, "scale: 20h");
    frequent.replace(frequent.find("horizon: 200000h"), 16, "horizon: 20000h");
    frequent.replace(frequent.find("warmup: 10000h"), 14, "warmup: 1000h");
    const Model f = io::read_scenario_text(frequent, "f.yaml");
    options.run.settings = f.simulation;
    const study::StudyResults p = study::run_study(f, options);
    CHECK_FALSE(p.rare_event);
    CHECK(p.method_reason.find("plain Monte Carlo: it should see about") == 0);
}
