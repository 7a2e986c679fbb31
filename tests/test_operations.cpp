// Operations: repair crews (shared, limited), priorities, detection and logistics delays. The simulation
// and the CTMC engine are both checked against chains solved by hand here, and the "unlimited crews"
// answer, which ignores the queue, must be rejected.
#include <cmath>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "analytic/crosscheck.h"
#include "analytic/ctmc.h"
#include "test_support.h"

using namespace nines;
using nines::test::check_agrees;
using nines::test::run_yaml;

namespace {
Model read(const std::string& yaml) { return io::read_scenario_text(yaml, "ops.yaml"); }
}  // namespace

TEST_CASE("parallel pair with one shared crew, and with unlimited crews", "[operations]") {
    const double lam = 1.0 / 100, mu = 1.0 / 10;
    // One crew: 0 -> 1 at 2 lam, 1 -> 2 at lam, 1 -> 0 at mu, 2 -> 1 at mu (one repair at a time).
    const double r1 = 2 * lam / mu, r2 = r1 * lam / mu;
    const double q_one_crew = r2 / (1 + r1 + r2);
    const double nu_one_crew = lam * r1 / (1 + r1 + r2);  // failures: from state 1 at rate lam
    // Unlimited crews: independent units.
    const double q_unlimited = (lam / (lam + mu)) * (lam / (lam + mu));
    const std::string units = "components:\n  u: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
                              "system: { parallel: [u] }\nsimulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 31 }\n";
    const std::string one_crew = units + "repair: { crews: 1 }\n";

    const analytic::AnalyticResults exact = analytic::analyze(read(one_crew));
    CHECK(exact.method == "CTMC");
    CHECK(std::fabs(exact.unavailability - q_one_crew) <= 1e-9 * q_one_crew);
    CHECK(std::fabs(exact.failure_frequency_per_h - nu_one_crew) <= 1e-9 * nu_one_crew);
    CHECK(*exact.mttf_h == Approx((3 * lam + mu) / (2 * lam * lam)).epsilon(1e-9));  // the first failure needs no crew queue

    const sim::SimulationResults r = run_yaml(one_crew);
    check_agrees(r.unavailability, q_one_crew, q_unlimited, "pair, one crew");
    check_agrees(r.failures_per_year, nu_one_crew * 8760, 1.2 * nu_one_crew * 8760, "pair, one crew: failures per year");
    // An outage ends when the one repair in progress ends: 1 / mu; with two crews it would be 1 / (2 mu).
    check_agrees(r.mean_outage_h, 1 / mu, 1 / (2 * mu), "pair, one crew: mean outage");
    REQUIRE(r.pools.size() == 1);
    // Utilisation = P(crew busy) = 1 - pi0.
    CHECK(r.pools[0].utilisation == Approx(1 - 1 / (1 + r1 + r2)).epsilon(0.03));
    CHECK(r.components[0].mean_wait_h > 0);

    const sim::SimulationResults free = run_yaml(units);
    check_agrees(free.unavailability, q_unlimited, q_one_crew, "pair, unlimited crews");
    CHECK(free.components[0].mean_wait_h == 0);
}

TEST_CASE("2-of-3 with one crew", "[operations]") {
    const double lam = 1.0 / 200, mu = 1.0 / 20;
    // Birth-death: k down -> k+1 at (3-k) lam; k -> k-1 at mu (one crew).
    double p[4] = {1, 0, 0, 0};
    p[1] = p[0] * 3 * lam / mu;
    p[2] = p[1] * 2 * lam / mu;
    p[3] = p[2] * lam / mu;
    const double total = p[0] + p[1] + p[2] + p[3];
    const double q_exact = (p[2] + p[3]) / total;  // 2-of-3 is down with two or three units down
    const double a = mu / (lam + mu), q = 1 - a;
    const double q_unlimited = 3 * q * q * a + q * q * q;
    const std::string text = "components:\n  u: { count: 3, failure: { mttf: 200h }, repair: { mttr: 20h } }\n"
                             "system: { k_of_n: { k: 2, of: u } }\nrepair: { crews: 1 }\n"
                             "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 32 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(read(text));
    CHECK(std::fabs(exact.unavailability - q_exact) <= 1e-9 * q_exact);
    check_agrees(run_yaml(text).unavailability, q_exact, q_unlimited, "2-of-3, one crew");
}

TEST_CASE("the cross-check uses the Markov chain when crews are limited", "[operations][crosscheck]") {
    const std::string text = "components:\n  u: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
                             "  v: { failure: { mttf: 300h }, repair: { mttr: 5h } }\n"
                             "system: { series: [ { parallel: [u] }, v ] }\nrepair: { crews: 1 }\n"
                             "simulation: { horizon: 5000h, replications: 600, seed: 33 }\n";
    const Model m = read(text);
    const analytic::AvailabilityReference ref = analytic::interval_availability_reference(m, 0, 5000);
    REQUIRE(ref.applicable);
    CHECK(ref.exact);
    const sim::SimulationResults r = run_yaml(text);
    const sim::Estimate& u = r.unavailability;
    const analytic::CrossCheck check = analytic::cross_check(ref, u.mean, u.std_error, u.lo, u.hi, u.has_ci, r.system_outages);
    INFO("z = " << check.z);
    CHECK(check.verdict == analytic::Verdict::Agrees);
    // Non-exponential repairs with limited crews: no method applies, and the reason says why.
    const Model weibull = read("components:\n  u: { count: 2, failure: { weibull: { shape: 2, scale: 100h } }, repair: { mttr: 10h } }\n"
                               "system: { parallel: [u] }\nrepair: { crews: 1 }\n");
    const analytic::AvailabilityReference none = analytic::interval_availability_reference(weibull, 0, 5000);
    CHECK_FALSE(none.applicable);
    CHECK(none.reason.find("limited repair crews") != std::string::npos);
    {  // a valid file: analyze says why it cannot compute the availability (exit 0, not 2)
        const analytic::AnalyticResults a = analytic::analyze(weibull);
        CHECK_FALSE(a.availability_computed);
        CHECK_THAT(a.method_reason, Catch::Contains("no exact method applies"));
    }
}

TEST_CASE("detection and logistics delays: A = MTTF / (MTTF + delays + MTTR)", "[operations]") {
    const std::string text = "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h }, detect: { fixed: 3h },"
                             " logistics: { uniform: { min: 1h, max: 3h } } }\n"
                             "system: a\nsimulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 34 }\n";
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.availability, 100.0 / (100 + 3 + 2 + 5), 100.0 / 105, "detection and logistics");
    // The analytic module uses the same mean down time.
    const analytic::AnalyticResults a = analytic::analyze(read(text));
    CHECK(a.availability == Approx(100.0 / 110).epsilon(1e-12));
}

TEST_CASE("priority: the favoured component waits less for the shared crew", "[operations]") {
    const std::string text = "components:\n"
                             "  db:  { count: 2, failure: { mttf: 50h }, repair: { mttr: 10h }, crew: ops, priority: 10 }\n"
                             "  web: { count: 4, failure: { mttf: 50h }, repair: { mttr: 10h }, crew: ops }\n"
                             "system: { series: [ { parallel: [db] }, { k_of_n: { k: 1, of: web } } ] }\n"
                             "repair: { pools: { ops: { crews: 1 } } }\n"
                             "simulation: { horizon: 20000h, replications: 50, seed: 35 }\n";
    const sim::SimulationResults r = run_yaml(text);
    INFO("db waits " << r.components[0].mean_wait_h << " h, web waits " << r.components[1].mean_wait_h << " h");
    CHECK(r.components[0].mean_wait_h < 0.5 * r.components[1].mean_wait_h);
    // The CTMC models priorities too; with them the database pair is far more available than the web group.
    const analytic::AnalyticResults a = analytic::analyze(read(text));
    CHECK(a.method == "CTMC");
}

TEST_CASE("beta-factor pair: simulation and Markov chain against the chain solved by hand", "[operations][common-cause]") {
    const double lam = 1.0 / 100, mu = 1.0 / 10, beta = 0.1;
    // Lumped by the number down: 0 -> 1 at 2 (1 - beta) lam, 0 -> 2 at beta lam (the shock takes both),
    // 1 -> 2 at lam (own failure or shock), 1 -> 0 at mu, 2 -> 1 at 2 mu (unlimited crews).
    // Balance: state 0: (2 - beta) lam pi0 = mu pi1; state 2: 2 mu pi2 = beta lam pi0 + lam pi1.
    const double pi1 = (2 - beta) * lam / mu;
    const double pi2 = (beta * lam + lam * pi1) / (2 * mu);
    const double q_exact = pi2 / (1 + pi1 + pi2);
    const double q_independent = (lam / (lam + mu)) * (lam / (lam + mu));
    const std::string text = "components:\n  u: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
                             "system: { parallel: [u] }\ncommon_cause: [ { members: [u], beta: 10% } ]\n"
                             "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 36 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(read(text));
    CHECK(exact.method == "CTMC");
    CHECK(std::fabs(exact.unavailability - q_exact) <= 1e-9 * q_exact);
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.unavailability, q_exact, q_independent, "beta-factor pair");
    // Each unit still fails at lam in all: (1 - beta) lam on its own plus beta lam from the shock.
    CHECK(r.components[0].failures_per_year == Approx(2 * 8760.0 * lam * (1 - q_exact - pi1 / (1 + pi1 + pi2) / 2)).epsilon(0.05));
}

TEST_CASE("explicit shocks: simulation agrees with the Markov chain", "[operations][common-cause]") {
    const std::string text = "components:\n  a: { failure: { mttf: 200h }, repair: { mttr: 10h } }\n"
                             "  b: { failure: { mttf: 300h }, repair: { mttr: 5h } }\n"
                             "system: { parallel: [a, b] }\ncommon_cause: [ { members: [a, b], shock: { mttf: 500h } } ]\n"
                             "repair: { crews: 1 }\n"
                             "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 37 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(read(text));
    const analytic::AnalyticResults without = analytic::analyze(read(
        "components:\n  a: { failure: { mttf: 200h }, repair: { mttr: 10h } }\n  b: { failure: { mttf: 300h }, repair: { mttr: 5h } }\n"
        "system: { parallel: [a, b] }\nrepair: { crews: 1 }\n"));
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.unavailability, exact.unavailability, without.unavailability, "shocks with one crew");
}

TEST_CASE("hidden failure with periodic inspection: mean unavailability 1 - (1 - exp(-lam tau)) / (lam tau)", "[operations]") {
    // Repair (one second) is negligible against the inspection interval.
    const double lam = 1.0 / 500, tau = 200;
    const double exact = 1 - (1 - std::exp(-lam * tau)) / (lam * tau);
    const std::string text = "components:\n  p: { failure: { mttf: 500h }, repair: { fixed: 1s }, hidden: true, inspect_every: 200h }\n"
                             "system: p\nsimulation: { horizon: 200000h, replications: 100, seed: 38 }\n";
    const sim::SimulationResults r = run_yaml(text);
    // Wrong: detection after half an interval on average, as if failures were spread evenly (tau / 2).
    const double wrong = (tau / 2) / (500 + tau / 2);
    check_agrees(r.unavailability, exact, wrong, "hidden failure, periodic inspection");
    {  // a valid file: analyze says why it cannot compute the availability (exit 0, not 2)
        const analytic::AnalyticResults a = analytic::analyze(read(text));
        CHECK_FALSE(a.availability_computed);
        CHECK_THAT(a.method_reason, Catch::Contains("periodic inspections"));
    }
}

namespace {
// Solves pi Q = 0, sum(pi) = 1 for a small chain by Gaussian elimination (independent of the engine).
std::vector<double> solve_chain(int n, const std::vector<std::tuple<int, int, double>>& rates) {
    std::vector<std::vector<double>> a(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(n) + 1, 0.0));
    for (auto [from, to, r] : rates) {
        a[static_cast<std::size_t>(to)][static_cast<std::size_t>(from)] += r;
        a[static_cast<std::size_t>(from)][static_cast<std::size_t>(from)] -= r;
    }
    for (int j = 0; j <= n; ++j) a[static_cast<std::size_t>(n) - 1][static_cast<std::size_t>(j)] = 1.0;  // normalisation
    for (int col = 0; col < n; ++col) {
        int pivot = col;
        for (int r = col + 1; r < n; ++r) {
            if (std::fabs(a[static_cast<std::size_t>(r)][static_cast<std::size_t>(col)]) > std::fabs(a[static_cast<std::size_t>(pivot)][static_cast<std::size_t>(col)])) pivot = r;
        }
        std::swap(a[static_cast<std::size_t>(col)], a[static_cast<std::size_t>(pivot)]);
        for (int r = 0; r < n; ++r) {
            if (r == col) continue;
            const double f = a[static_cast<std::size_t>(r)][static_cast<std::size_t>(col)] / a[static_cast<std::size_t>(col)][static_cast<std::size_t>(col)];
            for (int j = col; j <= n; ++j) a[static_cast<std::size_t>(r)][static_cast<std::size_t>(j)] -= f * a[static_cast<std::size_t>(col)][static_cast<std::size_t>(j)];
        }
    }
    std::vector<double> pi(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) pi[static_cast<std::size_t>(i)] = a[static_cast<std::size_t>(i)][static_cast<std::size_t>(n)] / a[static_cast<std::size_t>(i)][static_cast<std::size_t>(i)];
    return pi;
}
}  // namespace

TEST_CASE("spares pool with exponential lead time: simulation and Markov chain against the chain by hand", "[operations][spares]") {
    const double lam = 1.0 / 100, mu = 1.0 / 5, nu = 1.0 / 50;  // failure, repair, part delivery
    // States: A up, 1 part on hand; B repairing, order out; C up, order out; D failed, waiting, two
    // orders out; E repairing, part restocked. A->B lam; B->C mu; B->E nu; C->A nu; C->D lam; D->B 2 nu; E->A mu.
    const std::vector<double> pi = solve_chain(5, {{0, 1, lam}, {1, 2, mu}, {1, 4, nu}, {2, 0, nu}, {2, 3, lam}, {3, 1, 2 * nu}, {4, 0, mu}});
    const double q_exact = pi[1] + pi[3] + pi[4];
    const double q_no_wait = 5.0 / 105;  // as if a part were always there
    const std::string text = "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h }, spares: parts }\n"
                             "spares: { parts: { stock: 1, lead_time: { exponential: { mean: 50h } } } }\n"
                             "system: a\nsimulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 39 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(read(text));
    CHECK(exact.method == "CTMC");
    CHECK(std::fabs(exact.unavailability - q_exact) <= 1e-9 * q_exact);
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.unavailability, q_exact, q_no_wait, "spares with lead time");
    CHECK(r.components[0].stockouts > 0);
    // Waiting in D lasts 1 / (2 nu) on average.
    CHECK(r.components[0].mean_spare_wait_h == Approx(1 / (2 * nu)).epsilon(0.05));
}

TEST_CASE("a repair goes through detection, logistics, a spare part and a crew, in that order", "[operations][spares]") {
    // With detection and logistics delays in front, the part must still be taken (and waited for).
    const std::string text = "components:\n  a: { count: 3, failure: { mttf: 50h }, repair: { mttr: 5h }, detect: { fixed: 1h },"
                             " logistics: { fixed: 2h }, spares: parts, crew: one }\n"
                             "spares: { parts: { stock: 1, lead_time: { fixed: 100h } } }\nrepair: { pools: { one: { crews: 1 } } }\n"
                             "system: { k_of_n: { k: 1, of: a } }\nsimulation: { horizon: 5000h, replications: 20, seed: 40 }\n";
    const sim::SimulationResults r = run_yaml(text);
    CHECK(r.components[0].stockouts > 0);
    CHECK(r.components[0].mean_spare_wait_h > 0);
    CHECK(r.components[0].mean_spare_wait_h <= 100.0);
    // Down time per repair: at least detection + logistics + repair (3 + 5 h).
    CHECK(r.components[0].downtime_h_per_year / r.components[0].failures_per_year > 8.0);
}

TEST_CASE("cold standby with start failures: simulation and Markov chain against the chain by hand", "[operations][standby]") {
    const double lam = 1.0 / 100, mu = 1.0 / 10, p = 0.9;
    // S0 A active, B standby; S1 A down, B active; S2 both down; S3 A active, B down.
    // A failure demands B (start succeeds with p); a repaired unit joins an empty group without a start
    // attempt (a repair ends with a tested unit); a repaired primary takes the load back.
    const std::vector<double> pi = solve_chain(4, {{0, 1, lam * p}, {0, 2, lam * (1 - p)}, {1, 2, lam}, {1, 0, mu},
                                                   {2, 3, mu}, {2, 1, mu}, {3, 2, lam}, {3, 0, mu}});
    const double q_exact = pi[2];
    const double q_parallel = (lam / (lam + mu)) * (lam / (lam + mu));  // wrong: two independent active units
    const std::string text = "components:\n  db: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
                             "system: { standby: { active: 1, of: db, mode: cold, start_success: 90% } }\n"
                             "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 41 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(read(text));
    CHECK(exact.method == "CTMC");
    CHECK(std::fabs(exact.unavailability - q_exact) <= 1e-9 * q_exact);
    check_agrees(run_yaml(text).unavailability, q_exact, q_parallel, "cold standby with start failures");
}

TEST_CASE("a unit back from repair carries load without a start attempt; start_success is for dormant units", "[operations][standby]") {
    // Cold spare, start 90 %, MTTF 200 h, MTTR 20 h, unlimited crews.
    // S0 A active, B dormant; S1 A in repair, B active; S2 both in repair; S3 A active, B in repair.
    // Both ways back from repair are free: into an empty group (S2 -> S1, S2 -> S3) and failback of the
    // primary while the spare runs (S1 -> S0). Only a demand on the dormant spare (S0) can fail.
    const double lam = 1.0 / 200, mu = 1.0 / 20, p = 0.9;
    const std::vector<double> pi = solve_chain(4, {{0, 1, lam * p}, {0, 2, lam * (1 - p)}, {1, 2, lam}, {1, 0, mu},
                                                   {2, 1, mu}, {2, 3, mu}, {3, 2, lam}, {3, 0, mu}});
    const double a_exact = 1 - pi[2];
    CHECK(a_exact == Approx(1 - 1.0 / 111).epsilon(1e-12));  // the same chain lumped by number down, by hand
    // Wrong: a unit back from repair must pass a start attempt when the group is empty (the old rule).
    const std::vector<double> old = solve_chain(4, {{0, 1, lam * p}, {0, 2, lam * (1 - p)}, {1, 2, lam}, {1, 0, mu},
                                                    {2, 1, mu * p}, {2, 3, mu * p}, {3, 2, lam}, {3, 0, mu}});
    const std::string text = "components:\n  db: { count: 2, failure: { mttf: 200h }, repair: { mttr: 20h } }\n"
                             "system: { standby: { active: 1, of: db, mode: cold, start_success: 90% } }\n"
                             "simulation: { horizon: 200500h, warmup: 500h, replications: 400, seed: 47 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(read(text));
    CHECK(exact.method == "CTMC");
    CHECK(std::fabs(exact.availability - a_exact) <= 1e-9);
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.unavailability, 1 - a_exact, old[2], "cold spare: back from repair without a start attempt");
}

TEST_CASE("standby 2 of 3: a unit back from repair joins a short group", "[operations][standby]") {
    // Cold, every start succeeds: with d units down the group runs min(2, 3 - d) units, so the chain is a
    // birth-death chain on d: d -> d + 1 at 2 lam, 2 lam, lam; d -> d - 1 at d mu (unlimited crews).
    const double lam = 1.0 / 300, mu = 1.0 / 100;
    const std::vector<double> pi = solve_chain(4, {{0, 1, 2 * lam}, {1, 2, 2 * lam}, {2, 3, lam},
                                                   {1, 0, mu}, {2, 1, 2 * mu}, {3, 2, 3 * mu}});
    const double q_exact = pi[2] + pi[3];
    CHECK(1 - q_exact == Approx(0.87097).epsilon(1e-5));
    // Wrong: the returning primary displaces the running spare and the group stays short (sim 80.7 %).
    const double q_wrong = 1 - 0.8074;
    const std::string text = "components:\n  u: { count: 3, failure: { mttf: 300h }, repair: { mttr: 100h } }\n"
                             "system: { standby: { active: 2, of: u, mode: cold, start_success: 100% } }\n"
                             "simulation: { horizon: 100500h, warmup: 500h, replications: 100, seed: 48 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(read(text));
    CHECK(std::fabs(exact.unavailability - q_exact) <= 1e-9 * q_exact);
    check_agrees(run_yaml(text).unavailability, q_exact, q_wrong, "standby 2 of 3");
}

TEST_CASE("cold standby with a switch time against its semi-Markov chain", "[operations][standby]") {
    // S0 one active, one dormant; W switching for a fixed d (the starting unit's clock runs), the other in
    // repair; S1 one active, one in repair; S2 both in repair. From W: the switch ends (prob e^{-a d},
    // a = lam + mu) to S1, the starting unit fails (to S2) or the other comes back from repair and
    // carries the load at once (to S0: the starting unit goes back to standby). Down: W and S2.
    const double lam = 1.0 / 500, mu = 1.0 / 50, d = 1.0, a = lam + mu, e = std::exp(-a * d);
    // Embedded jump chain (S0 -> W; W -> S1, S2, S0; S1 -> S2, S0; S2 -> S1), solved by hand, then each
    // state weighted by its mean sojourn time.
    const double p_w1 = e, p_w2 = (1 - e) * lam / a, p_w0 = (1 - e) * mu / a, p_12 = lam / a, p_10 = mu / a;
    // Balance: x0 = p_w0 xW + p_10 x1; xW = x0; x1 = p_w1 xW + x2; x2 = p_w2 xW + p_12 x1. With x0 = 1:
    const double xw = 1, x1 = (p_w1 + p_w2) / (1 - p_12), x2 = p_w2 + p_12 * x1;
    const double t0 = 1 / lam, tw = (1 - e) / a, t1 = 1 / a, t2 = 1 / (2 * mu);
    const double total = t0 + xw * tw + x1 * t1 + x2 * t2;
    const double q_exact = (xw * tw + x2 * t2) / total;
    CHECK(p_w0 + p_10 * x1 == Approx(1.0).epsilon(1e-12));  // the balance of S0 closes
    // Wrong: the switch-over not counted as down time.
    const double q_wrong = x2 * t2 / total;
    const std::string text = "components:\n  db: { count: 2, failure: { mttf: 500h }, repair: { mttr: 50h } }\n"
                             "system: { standby: { active: 1, of: db, mode: cold, switch_time: 1h } }\n"
                             "simulation: { horizon: 200500h, warmup: 500h, replications: 400, seed: 49 }\n";
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.unavailability, q_exact, q_wrong, "cold standby with a switch time");
    const double nu = (1 + x1 * p_12) / total * 8760;  // outages begin at S0 -> W and S1 -> S2
    check_agrees(r.failures_per_year, nu, nu * 1.1, "cold standby with a switch time: failures per year");
}

TEST_CASE("warm standby: simulation and Markov chain against the chain by hand", "[operations][standby]") {
    const double lam = 1.0 / 100, mu = 1.0 / 10, phi = 0.3;
    const std::vector<double> pi = solve_chain(4, {{0, 1, lam}, {0, 3, phi * lam}, {1, 0, mu}, {1, 2, lam},
                                                   {2, 3, mu}, {2, 1, mu}, {3, 2, lam}, {3, 0, mu}});
    const double q_exact = pi[2];
    const std::vector<double> cold = solve_chain(4, {{0, 1, lam}, {1, 0, mu}, {1, 2, lam}, {2, 3, mu}, {2, 1, mu}, {3, 2, lam}, {3, 0, mu}});
    const std::string text = "components:\n  db: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
                             "system: { standby: { active: 1, of: db, mode: warm, dormant_factor: 0.3 } }\n"
                             "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 42 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(read(text));
    CHECK(std::fabs(exact.unavailability - q_exact) <= 1e-9 * q_exact);
    check_agrees(run_yaml(text).unavailability, q_exact, cold[2] * 1.0 + (q_exact - cold[2]) * 2.0, "warm standby");
}

TEST_CASE("standby switch time: the group is down while a unit starts", "[operations][standby]") {
    const std::string text = "components:\n  db: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
                             "system: { standby: { active: 1, of: db, mode: cold, switch_time: 6min } }\n"
                             "simulation: { horizon: 50000h, replications: 50, seed: 43 }\n";
    const sim::SimulationResults r = run_yaml(text);
    // Almost every outage is a switch-over of exactly 6 minutes.
    CHECK(r.outage.p50 == Approx(0.1).epsilon(1e-9));
    CHECK(r.failures_per_year.mean == Approx(8760.0 / 1010).epsilon(0.1));  // one switch per primary failure
    {  // a valid file: analyze says why it cannot compute the availability (exit 0, not 2)
        const analytic::AnalyticResults a = analytic::analyze(read(text));
        CHECK_FALSE(a.availability_computed);
        CHECK_THAT(a.method_reason, Catch::Contains("switch time"));
    }
}

TEST_CASE("standby: a failed start costs the switch time too, then the next unit is tried", "[operations][standby]") {
    // Primary a (exponential failure, fixed 20 h repair); cold standbys b, c that do not fail in practice
    // and are repaired in a fixed 5 h after a failed start; start_success p, switch time s = 2 h. After a
    // failure of a at 0: b's start ends at 2 h (up with p); if it failed, b is in repair until 7 h and c's
    // start ends at 4 h (up with p); if that failed too, the group waits for b, back (a tested unit, no
    // start) at 7 h. Everything is settled long before a is back at 20 h, so each cycle (20 h + Exp(500 h))
    // has one outage of mean D = p s + (1 - p)(p 2s + (1 - p)(s + 5)).
    const double p = 0.7, s = 2.0, r = 5.0, cycle = 520.0;
    const double d_exact = p * s + (1 - p) * (p * 2 * s + (1 - p) * (s + r));
    // Wrong: a failed start takes no time (the rule before issue 11): b's repair starts at 0, c is up at
    // 2 h with p, else b is back at 5 h.
    const double d_wrong = p * s + (1 - p) * (p * s + (1 - p) * r);
    const std::string text = "components:\n"
                             "  a: { failure: { mttf: 500h }, repair: { fixed: 20h } }\n"
                             "  b: { failure: { mttf: 1000000000000h }, repair: { fixed: 5h } }\n"
                             "  c: { failure: { mttf: 1000000000000h }, repair: { fixed: 5h } }\n"
                             "system: { standby: { active: 1, of: [a, b, c], mode: cold, start_success: 70%, switch_time: 2h } }\n"
                             "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 50 }\n";
    const Model m = read(text);
    REQUIRE(m.standby_groups.size() == 1);  // a plain standby group (a constant switch time, bare instances)
    check_agrees(run_yaml(text).unavailability, d_exact / cycle, d_wrong / cycle, "failed start costing the switch time");
    // Fixed delays have no Markov form: the chain says so rather than approximate them (the switch time
    // alone: "standby switch time: the group is down while a unit starts" above).
    const analytic::AnalyticResults a = analytic::analyze(m);
    CHECK_FALSE(a.availability_computed);
    CHECK_THAT(a.method_reason, Catch::Contains("a Markov chain needs exponential distributions"));
}

TEST_CASE("preventive maintenance: planned downtime every interval, and renewal", "[operations][maintenance]") {
    // A unit that never fails in practice: its unavailability is duration / interval exactly.
    const std::string planned = "components:\n  a: { failure: { mttf: 1000000y }, repair: { mttr: 1h }, maintenance: { every: 100h, duration: 2h } }\n"
                                "system: a\nsimulation: { horizon: 10000h, replications: 5, seed: 44 }\n";
    const sim::SimulationResults p = run_yaml(planned);
    // Due at 100 h, 200 h, ..., 9,900 h: 99 maintenances of 2 h in 10,000 h.
    CHECK(p.unavailability.mean == Approx(198.0 / 10000).epsilon(1e-9));
    CHECK(p.components[0].failures_per_year == 0);  // maintenance is not a failure
    CHECK(p.failures_per_year.mean == 0);          // nor a system failure
    CHECK(p.planned_outages_per_year.mean == Approx(99 * 8760.0 / 10000).epsilon(1e-9));  // each one is a planned outage

    // Wear-out (Weibull shape 4) with renewal every 200 h: far fewer failures than without maintenance.
    const std::string wear = "components:\n  a: { failure: { weibull: { shape: 4, scale: 500h } }, repair: { mttr: 10h }";
    const sim::SimulationResults with = run_yaml(wear + ", maintenance: { every: 200h, duration: 1h } }\nsystem: a\n"
                                                        "simulation: { horizon: 20000h, replications: 50, seed: 45 }\n");
    const sim::SimulationResults without = run_yaml(wear + " }\nsystem: a\nsimulation: { horizon: 20000h, replications: 50, seed: 45 }\n");
    INFO("failures/y with maintenance " << with.components[0].failures_per_year << ", without " << without.components[0].failures_per_year);
    // P(failure within 200 h of renewal) = 1 - exp(-(200/500)^4) = 2.5%: about 1.3 failures a year, against ~17 without.
    CHECK(with.components[0].failures_per_year < 0.2 * without.components[0].failures_per_year);
    {  // a valid file: analyze says why it cannot compute the availability (exit 0, not 2)
        const analytic::AnalyticResults a = analytic::analyze(read(wear + ", maintenance: { every: 200h, duration: 1h } }\nsystem: a\n"));
        CHECK_FALSE(a.availability_computed);
        CHECK_THAT(a.method_reason, Catch::Contains("preventive maintenance"));
    }

    // Staggered across instances: two units maintained at different times never both down for it.
    const std::string pair = "components:\n  u: { count: 2, failure: { mttf: 1000000y }, repair: { mttr: 1h }, maintenance: { every: 100h, duration: 2h } }\n"
                             "system: { parallel: [u] }\nsimulation: { horizon: 10000h, replications: 3, seed: 46 }\n";
    CHECK(run_yaml(pair).unavailability.mean == 0);
}

TEST_CASE("exponential detection and logistics delays in the Markov chain", "[operations][ctmc]") {
    // One unit: up -> (lam) detecting -> (d) logistics -> (g) repairing -> (mu) up. A = (1/lam) / (1/lam + 1/d + 1/g + 1/mu).
    const std::string text = "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h }, detect: { exponential: { mean: 1h } },"
                             " logistics: { exponential: { mean: 3h } }, crew: c }\nrepair: { pools: { c: { crews: 1 } } }\nsystem: a\n"
                             "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 47 }\n";
    const analytic::AnalyticResults a = analytic::analyze(read(text));
    CHECK(a.method == "CTMC");
    CHECK(a.availability == Approx(100.0 / 109).epsilon(1e-10));
    check_agrees(run_yaml(text).availability, 100.0 / 109, 100.0 / 105, "delays, simulated");
}

TEST_CASE("long-horizon interval availability of a chain: deviation solve against uniformization", "[operations][ctmc]") {
    // One unit: both methods must give mu/(lam+mu) + lam/((lam+mu)^2 T) (1 - exp(-(lam+mu) T)).
    const double lam = 0.01, mu = 0.2;
    const analytic::Ctmc one(2, {{0, 1, lam}, {1, 0, mu}}, {1, 0}, 0);  // NOLINT
    for (double T : {500.0, 5000.0}) {
        const double exact = mu / (lam + mu) + lam / ((lam + mu) * (lam + mu) * T) * (1 - std::exp(-(lam + mu) * T));
        const std::vector<double> c = one.cumulative_long(T);
        CHECK(c[0] / T == Approx(exact).epsilon(1e-12));
        CHECK(one.interval_availability(0, T) == Approx(exact).epsilon(1e-10));
    }
}

TEST_CASE("inspections that take time: planned downtime, and hidden failures found when the inspection ends", "[operations]") {
    // A unit that never fails: out of service 2 h at every 100 h inspection (100 h, ..., 9,900 h).
    const sim::SimulationResults idle = run_yaml(
        "components:\n  p: { failure: { mttf: 1000000y }, repair: { mttr: 1h }, hidden: true, inspect_every: 100h, inspection_duration: 2h }\n"
        "system: p\nsimulation: { horizon: 10000h, replications: 3, seed: 48 }\n");
    CHECK(idle.unavailability.mean == Approx(198.0 / 10000).epsilon(1e-9));
    CHECK(idle.components[0].failures_per_year == 0);

    // A hidden failure at a fixed 150 h is found when the 200 h inspection ends (202 h) and repaired in
    // 10 h: down 150 h to 212 h. The 100 h inspection took 2 h; the clock stopped then, so the failure
    // comes at 152 h: down from 152 h to 212 h, 60 h, plus the 2 h inspection.
    const sim::SimulationResults once = run_yaml(
        "components:\n  p: { failure: { fixed: 150h }, repair: { fixed: 10h }, hidden: true, inspect_every: 100h, inspection_duration: 2h }\n"
        "system: p\nsimulation: { horizon: 250h, replications: 1, seed: 49 }\n");
    CHECK(once.unavailability.mean * 250 == Approx(62.0).epsilon(1e-9));
}

TEST_CASE("downtime share: exact identities of a run", "[operations][components]") {
    // In a series system of single units every instant a unit is down is system downtime, so a unit's
    // share of the system downtime is its own downtime over the system's, exactly (to rounding); and
    // in a parallel pair the system is down only when both are, so each has 100 %. A rule that counted
    // outages (or the outages' whole length) would differ: c, down rarely but inside outages of a, would
    // get a larger share. The maintenance on b overlaps failures of a.
    const auto r = test::run_yaml(
        "components:\n"
        "  a: { failure: { mttf: 200h }, repair: { mttr: 10h } }\n"
        "  b: { failure: { mttf: 2000h }, repair: { mttr: 2h }, maintenance: { every: 300h, duration: 5min } }\n"
        "  c: { failure: { mttf: 5000h }, repair: { mttr: 30min } }\n"
        "system: { series: [a, b, c] }\nsimulation: { horizon: 2y, replications: 200, seed: 11 }\n");
    const double system_h = r.downtime_h_per_year.mean;
    double sum = 0;
    for (const auto& c : r.components) {
        INFO(c.name);
        REQUIRE(c.downtime_share == Approx(c.downtime_h_per_year / system_h).epsilon(1e-9));
        sum += c.downtime_share;
    }
    REQUIRE(sum >= 1.0 - 1e-9);  // overlaps count for each component down
    REQUIRE(r.components[0].downtime_share > 0.8);
    REQUIRE(r.components[2].outage_share > r.components[2].downtime_share);

    const auto pair = test::run_yaml(
        "components:\n  a: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
        "system: { parallel: [a] }\nsimulation: { horizon: 1y, replications: 100, seed: 3 }\n");
    REQUIRE(pair.components[0].downtime_share == Approx(1.0).epsilon(1e-12));
}
