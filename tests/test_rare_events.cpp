// Rare events: the regenerative importance-sampling estimator against unavailabilities known exactly,
// from small Markov chains solved by hand here (not by the analytic module, which shares the
// estimator's description of the operations), and against the analytic CTMC for a richer model.
// Every check also shows it has power: a deliberately wrong model's value lies outside 4 standard
// errors (check_agrees), so a test that cannot fail would be caught.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "io/scenario_reader.h"
#include "study/importance_sampling.h"
#include "study/study.h"
#include "test_support.h"

using namespace nines;
using nines::test::check_agrees;

namespace {

Model read(const std::string& yaml) { return io::read_scenario_text(yaml, "rare.yaml"); }

sim::RareEventEstimate estimate(const std::string& yaml, study::FailureBiasing biasing, std::int64_t cycles, int threads = 2,
                                std::uint64_t seed = 11) {
    study::ImportanceSettings s;
    s.biasing = biasing;
    s.cycles = cycles;
    s.seed = seed;
    s.threads = threads;
    return study::estimate_unavailability_by_importance(read(yaml), s);
}

// Stationary distribution of a 3-state chain given by its rates q[i][j] (i != j), by hand: the
// balance equations with pi0 = 1, then normalised.
struct Three {
    double p0, p1, p2;
};
Three solve3(double q01, double q02, double q10, double q12, double q20, double q21) {
    // Balance of states 1 and 2:
    //   p1 (q10 + q12) = q01 + p2 q21
    //   p2 (q20 + q21) = q02 + p1 q12
    const double a = q10 + q12, b = q20 + q21;
    const double p2 = (q02 * a + q01 * q12) / (a * b - q21 * q12);
    const double p1 = (q01 + p2 * q21) / a;
    const double total = 1 + p1 + p2;
    return {1 / total, p1 / total, p2 / total};
}

}  // namespace

TEST_CASE("importance sampling: 3-of-5 with 5 crews at 1e-8 against the birth-death chain", "[rare]") {
    // k down -> k+1 at (5 - k) lambda, k -> k-1 at k mu (a crew each); down when 3 are down.
    const double lam = 1e-3, mu = 1;
    double p[6] = {1, 0, 0, 0, 0, 0}, total = 1;
    for (int k = 1; k <= 5; ++k) {
        p[k] = p[k - 1] * (5 - k + 1) * lam / (k * mu);
        total += p[k];
    }
    const double exact = (p[3] + p[4] + p[5]) / total;
    REQUIRE(exact == Approx(9.955125720539e-09).epsilon(1e-9));  // the benchmark file's value
    // Wrong model: one crew instead of five (6e-8).
    double w[6] = {1, 0, 0, 0, 0, 0}, wt = 1;
    for (int k = 1; k <= 5; ++k) {
        w[k] = w[k - 1] * (5 - k + 1) * lam / mu;
        wt += w[k];
    }
    const double wrong = (w[3] + w[4] + w[5]) / wt;
    const std::string yaml = "components:\n  u: { count: 5, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
                             "system: { k_of_n: { k: 3, of: [u] } }\nrepair: { crews: 5 }\n";
    for (auto biasing : {study::FailureBiasing::Balanced, study::FailureBiasing::Distance}) {
        const sim::RareEventEstimate r = estimate(yaml, biasing, 20000);
        INFO(study::failure_biasing_name(biasing) << ": relative error " << r.relative_error);
        check_agrees(r.unavailability, exact, wrong, "3-of-5, 5 crews");
        CHECK(r.relative_error < 0.2);
        CHECK(r.variance_ratio > 100);  // plain Monte Carlo would need far more work
        REQUIRE(r.likelihood_ratio);
        CHECK_FALSE(r.likelihood_ratio->degenerate);
        CHECK(r.warnings.empty());
        // Failure frequency and mean down time from the same cycles (benchmark file: 2.985e-8 per h, 0.3335 h).
        check_agrees(r.failures_per_year, 2.9850448952096224e-08 * 8760, 6e-8 * 8760, "3-of-5 failure frequency");
        check_agrees(r.mean_down_h, 0.33350003333333333, 1.0, "3-of-5 mean down time");
    }
}

TEST_CASE("importance sampling: cold standby with start failures and one crew, against the hand-solved chain", "[rare]") {
    // db x2, one active, one cold standby (start succeeds with s), one crew. States: 0 both up; 1 one
    // down (repairing), the other active; 2 both down (group down). 0 -> 1 at lam s, 0 -> 2 at lam (1 - s)
    // (the start fails), 1 -> 2 at lam, 1 -> 0 at mu, 2 -> 1 at mu (the repaired unit takes the load).
    const double lam = 1e-5, mu = 1, s = 0.999;
    const Three exact = solve3(lam * s, lam * (1 - s), mu, lam, 0, mu);
    // Wrong model: starts never fail (the same chain with s = 1): U is ten times smaller.
    const Three wrong = solve3(lam, 0, mu, lam, 0, mu);
    const std::string yaml =
        "components:\n  db: { count: 2, failure: { mttf: 100000h }, repair: { mttr: 1h } }\n"
        "blocks:\n  database: { standby: { active: 1, of: db, mode: cold, start_success: 99.9% } }\n"
        "system: database\nrepair: { crews: 1 }\n";
    // The analytic module's chain (built by the same operations description) must agree exactly.
    const analytic::AnalyticResults chain = analytic::analyze(read(yaml));
    REQUIRE(chain.unavailability == Approx(exact.p2).epsilon(1e-9));
    const sim::RareEventEstimate r = estimate(yaml, study::FailureBiasing::Balanced, 20000);
    check_agrees(r.unavailability, exact.p2, wrong.p2, "cold standby, start failures, one crew");
    // The distance needs minimal cut sets, which leave standby groups out: refused, not guessed.
    CHECK_THROWS_AS(estimate(yaml, study::FailureBiasing::Distance, 1000), UnsupportedError);
}

TEST_CASE("importance sampling: a shared crew, cold standby with start failures and a pair, against the CTMC", "[rare]") {
    // Too large to solve by hand: the analytic module's CTMC is the exact value. The wrong value is
    // the same model with unlimited crews (the queue for the one crew ignored).
    const std::string body =
        "components:\n  db: { count: 2, failure: { mttf: 100000h }, repair: { mttr: 2h } }\n"
        "  lb: { count: 2, failure: { mttf: 50000h }, repair: { mttr: 4h } }\n"
        "blocks:\n  database: { standby: { active: 1, of: db, mode: cold, start_success: 99% } }\n"
        "system: { series: [database, { parallel: [lb] }] }\n";
    const double exact = analytic::analyze(read(body + "repair: { crews: 1 }\n")).unavailability;
    const double wrong = analytic::analyze(read(body)).unavailability;
    REQUIRE(exact < 1e-6);
    const sim::RareEventEstimate r = estimate(body + "repair: { crews: 1 }\n", study::FailureBiasing::Balanced, 40000);
    check_agrees(r.unavailability, exact, wrong, "shared crew, cold standby, pair");
}

TEST_CASE("importance sampling: beta-factor common cause, against the hand-solved chain", "[rare]") {
    // A pair, each failing at lam: (1 - beta) lam on its own, and a shock at beta lam failing every
    // member that is up. Unlimited crews. 0 -> 1 at 2 (1 - beta) lam, 0 -> 2 at beta lam, 1 -> 2 at
    // (1 - beta) lam + beta lam, 1 -> 0 at mu, 2 -> 1 at 2 mu.
    const double lam = 1e-5, mu = 0.5, beta = 0.05;
    const Three exact = solve3(2 * (1 - beta) * lam, beta * lam, mu, lam, 0, 2 * mu);
    // Wrong model: no common cause (beta = 0): about 400 times smaller.
    const Three wrong = solve3(2 * lam, 0, mu, lam, 0, 2 * mu);
    const std::string yaml = "components:\n  u: { count: 2, failure: { mttf: 100000h }, repair: { mttr: 2h } }\n"
                             "system: { parallel: [u] }\ncommon_cause:\n  - { members: [u], beta: 5% }\n";
    REQUIRE(analytic::analyze(read(yaml)).unavailability == Approx(exact.p2).epsilon(1e-9));
    for (auto biasing : {study::FailureBiasing::Balanced, study::FailureBiasing::Distance}) {
        const sim::RareEventEstimate r = estimate(yaml, biasing, 20000);
        INFO(study::failure_biasing_name(biasing));
        check_agrees(r.unavailability, exact.p2, wrong.p2, "beta-factor pair");
    }
}

TEST_CASE("importance sampling: identical results for any thread count, and a target stops the doubling", "[rare]") {
    const std::string yaml = "components:\n  u: { count: 4, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
                             "system: { k_of_n: { k: 3, of: [u] } }\nrepair: { crews: 1 }\n";
    const sim::RareEventEstimate one = estimate(yaml, study::FailureBiasing::Balanced, 5000, 1);
    const sim::RareEventEstimate three = estimate(yaml, study::FailureBiasing::Balanced, 5000, 3);
    CHECK(one.unavailability.mean == three.unavailability.mean);  // bitwise
    CHECK(one.unavailability.std_error == three.unavailability.std_error);
    CHECK(one.transitions == three.transitions);
    study::ImportanceSettings s;
    s.cycles = 1000;
    s.target_relative_error = 0.05;
    s.threads = 2;
    const sim::RareEventEstimate t = study::estimate_unavailability_by_importance(read(yaml), s);
    CHECK(t.target_reached);
    CHECK(t.relative_error <= 0.05);
    CHECK(t.cycles > 1000);
}

TEST_CASE("importance sampling refuses what it cannot estimate", "[rare]") {
    study::ImportanceSettings s;
    CHECK_THROWS_AS(study::estimate_unavailability_by_importance(
                        read("components:\n  u: { count: 2, failure: { weibull: { shape: 2, scale: 1000h } }, repair: { mttr: 1h } }\n"
                             "system: { parallel: [u] }\n"),
                        s),
                    UnsupportedError);
    CHECK_THROWS_AS(study::estimate_unavailability_by_importance(
                        read("components:\n  u: { count: 2, failure: { mttf: 1000h } }\nsystem: { parallel: [u] }\n"), s),
                    UnsupportedError);
}

TEST_CASE("simulation method: auto explains its choice, and refusals name the method key", "[rare]") {
    // auto at 1e-8: plain Monte Carlo would see far fewer than the ~384 outages +-10 % needs.
    const std::string rare = "components:\n  u: { count: 5, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
                             "system: { k_of_n: { k: 3, of: [u] } }\nrepair: { crews: 5 }\n"
                             "simulation: { method: auto, replications: 20, seed: 5, threads: 2 }\n";
    study::StudyOptions options;
    options.run.settings = read(rare).simulation;
    const study::StudyResults r = study::run_study(read(rare), options);
    REQUIRE(r.rare_event);
    CHECK(r.rare_event->method == sim::RareEventMethod::Importance);
    CHECK(r.method_reason.find("importance sampling: plain Monte Carlo would see about") == 0);
    CHECK(r.rare_event->target_reached);
    CHECK(r.simulation.unavailability.mean == r.rare_event->unavailability.mean);  // the accelerated figures replace the plain ones
    // auto on a model whose outages are frequent: plain (the same model with 100 h MTTF: U ~ 1e-2).
    std::string frequent = rare;
    frequent.replace(frequent.find("mttf: 1000h"), 11, "mttf: 10h");
    options.run.settings = read(frequent).simulation;
    const study::StudyResults p = study::run_study(read(frequent), options);
    CHECK_FALSE(p.rare_event);
    CHECK(p.method_reason.find("plain Monte Carlo: it should see about") == 0);

    // importance on a Weibull model of decreasing hazard (not Markovian, and uniformisation has no bound
    // for it; shape >= 1 would run by uniformisation, test_uniformised_biasing.cpp): one InputError at the
    // method key.
    const std::string weibull = "components:\n  u: { count: 2, failure: { weibull: { shape: 0.7, scale: 1000h } }, repair: { mttr: 1h } }\n"
                                "system: { parallel: [u] }\nsimulation: { method: importance, replications: 10 }\n";
    options.run.settings = read(weibull).simulation;
    CHECK_THROWS_WITH(study::run_study(read(weibull), options),
                      Catch::Contains("needs a Markovian model") && Catch::Contains("weibull"));
    try {
        study::run_study(read(weibull), options);
    } catch (const InputError& e) {
        CHECK(e.where().line == 4);  // the simulation line, where `method` is
    }
    // Splitting's refusals: test_splitting.cpp ("splitting through the study").
}

TEST_CASE("plain Monte Carlo honours until: relative_error", "[rare]") {
    // A pair at 1e-4: replications double from 50 until the unavailability's 95% half-width is at most
    // 10 % of it. Without the target 50 replications of one year give about 20 %, so the check can fail.
    const std::string yaml = "components:\n  u: { count: 2, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
                             "system: { parallel: [u] }\nsimulation: { until: relative_error <= 10%, replications: 50, "
                             "horizon: 1y, seed: 3, threads: 2 }\n";
    study::StudyOptions options;
    options.run.settings = read(yaml).simulation;
    const study::StudyResults r = study::run_study(read(yaml), options);
    CHECK_FALSE(r.rare_event);
    REQUIRE(r.precision);
    CHECK(r.precision->met);
    const sim::Estimate& u = r.simulation.unavailability;
    CHECK(0.5 * (u.hi - u.lo) / u.mean <= 0.10);
    CHECK(r.simulation.replications > 50);
}

TEST_CASE("importance sampling beyond 64 instances: 50 pairs in series, against the closed form", "[rare]") {
    // 100 instances (the Markov state's sets hold 256). Each pair is down with probability q^2,
    // q = lambda / (lambda + mu), independently (unlimited crews): U = 1 - (1 - q^2)^50.
    std::string yaml = "components:\n";
    std::string series;
    for (int p = 0; p < 50; ++p) {
        const std::string name = "p" + std::to_string(p);
        yaml += "  " + name + ": { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n";
        series += "    - { parallel: [" + name + "] }\n";
    }
    yaml += "system:\n  series:\n" + series;
    const double lam = 1e-3, q = 1.0 / 1001, exact = 1 - std::pow(1 - q * q, 50);
    const double wrong_q = 1.0 / 901, wrong = 1 - std::pow(1 - wrong_q * wrong_q, 50);  // mttf 900 h: 23 % higher
    // System failures: a pair with one unit down loses the other while every other pair is up.
    const double frequency = 50 * 2 * q * (1 - q) * lam * std::pow(1 - q * q, 49);
    // The distance-based biasing (balanced failure biasing spreads its failures over all 99 units that
    // are up, one of which completes the pair: about 40 hits in 8,192 cycles, +-30 %).
    const sim::RareEventEstimate r = estimate(yaml, study::FailureBiasing::Distance, 4096);
    INFO("relative error " << r.relative_error);
    check_agrees(r.unavailability, exact, wrong, "50 pairs in series");
    CHECK(r.relative_error < 0.05);
    check_agrees(r.failures_per_year, frequency * 8760, 1.2 * frequency * 8760, "50 pairs: failure frequency");
    // Mean down time: about half an hour (the pair's two crews); wrong: one unit's repair, 1 h.
    check_agrees(r.mean_down_h, exact / frequency, 1.0, "50 pairs: mean down time");
    // The same bits on one thread (the wider states change nothing about the batch streams).
    const sim::RareEventEstimate one = estimate(yaml, study::FailureBiasing::Distance, 4096, 1);
    CHECK(one.unavailability.mean == r.unavailability.mean);
    CHECK(one.unavailability.std_error == r.unavailability.std_error);
    CHECK(one.mean_down_h.std_error == r.mean_down_h.std_error);
    CHECK(one.transitions == r.transitions);
    // 257 instances: more than the state holds, refused with the reason.
    const std::string big = "components:\n  u: { count: 257, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
                            "system: { k_of_n: { k: 250, of: [u] } }\n";
    study::ImportanceSettings s;
    CHECK_THROWS_WITH(study::estimate_unavailability_by_importance(read(big), s), Catch::Contains("at most 256 instances"));
}

TEST_CASE("likelihood-ratio diagnostics warn when balanced failure biasing carries the estimate on a few cycles", "[rare]") {
    // A pair (mttf 1000 h) in series with 38 units that almost never fail (mttf 1e10 h): U ~ 1.0e-6, all
    // but 0.4 % of it from the pair. Balanced failure biasing picks the first failure uniformly, so 38
    // of 40 cycles start with a unit that ends the cycle at once (a hit with a likelihood ratio ~ 1e-5),
    // and the pair is lost in about one cycle in 1,560 (2/40 x 0.5/39), each carrying a likelihood ratio
    // near 1e-3 x 40^2 and most of the estimate. Thousands of cycles hit, yet the estimate rests on
    // two or three: the diagnostics must say so rather than let a confident interval stand.
    const std::string yaml = "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
                             "  b: { count: 38, failure: { mttf: 10000000000h }, repair: { mttr: 1h } }\n"
                             "system:\n  series:\n    - { parallel: [a] }\n    - b\n";
    const sim::RareEventEstimate bad = estimate(yaml, study::FailureBiasing::Balanced, 4096, 2, 5);
    REQUIRE(bad.likelihood_ratio);
    INFO("hits " << bad.likelihood_ratio->cycles_hitting << ", largest share " << bad.likelihood_ratio->largest_share
                 << ", effective sample " << bad.likelihood_ratio->effective_sample_size);
    CHECK(bad.likelihood_ratio->cycles_hitting > 1000);  // plenty of hits: the count alone would not warn
    CHECK(bad.likelihood_ratio->largest_share > 0.2);
    CHECK(bad.likelihood_ratio->degenerate);
    REQUIRE_FALSE(bad.warnings.empty());
    CHECK_THAT(bad.warnings.front(), Catch::Contains("likelihood ratios look degenerate"));
    // The distance-based biasing follows the rates to the pair: no warning, and the exact value (the
    // pair's q^2 and the 38 units' q, q = lambda / (lambda + mu)) within its interval; the wrong model
    // (the pair repaired in 1.2 h: 44 % higher) outside 4 standard errors.
    const sim::RareEventEstimate good = estimate(yaml, study::FailureBiasing::Distance, 4096, 2, 5);
    const double qa = 1.0 / 1001, qb = 1.0 / (1e10 + 1);
    const double exact = 1 - (1 - qa * qa) * std::pow(1 - qb, 38);
    const double qw = 1.2 / 1001.2;
    check_agrees(good.unavailability, exact, qw * qw, "pair and 38 reliable units");
    REQUIRE(good.likelihood_ratio);
    CHECK_FALSE(good.likelihood_ratio->degenerate);
    CHECK(good.warnings.empty());
}
