// Failover groups (issue 11): failover between blocks, detection, switch times that cost time on a
// failed start too, failback with its own time, members placed in zones. The simulation is checked
// against continuous-time Markov chains written out state by state and solved here, independently of
// the project's chain builder; each check also shows that a deliberately wrong model is rejected.
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "hand_chain.h"
#include "test_support.h"

using namespace nines;
using nines::test::balance_residual;
using nines::test::check_agrees;
using nines::test::stationary;
using nines::test::run_yaml;

namespace {


// The steady-state unavailability of a scenario by the project's chain builder (it must take the
// Markov path: every model here is exponential).
double chain_unavailability(const std::string& yaml, const std::string& name) {
    const analytic::AnalyticResults r = analytic::analyze(io::read_scenario_text(yaml, name));
    REQUIRE(r.method == "CTMC");
    return r.unavailability;
}

}  // namespace

TEST_CASE("failover pair of regions: hot, exponential detection and switch, auto failback with its own time", "[failover]") {
    // Regions A (primary) and B, each a block; a = region A up, b = region B up. States (phase, carrier):
    //  0 S_A a1b1   1 S_A a1b0   2 D_A a0b1   3 D_A a0b0   4 Sw_B a0b1  5 Sw_B a1b1  6 Sw_A a1b0
    //  7 Sw_A a1b1  8 S_B a0b1   9 D_B a0b0  10 D_B a1b0  11 FB a1b1  12 FB a1b0  13 W a0b0
    // S serving, D detecting the carrier's failure, Sw switching to, FB failing back to A, W no member up.
    const double la = 1.0 / 1000, ma = 1.0 / 10, lb = 1.0 / 800, mb = 1.0 / 8;
    const double de = 1.0 / 0.5, sw = 1.0 / 0.25, fb = 1.0 / 1.0;  // detect 30 min, switch 15 min, failback 1 h
    const std::vector<std::tuple<int, int, double>> q = {
        {0, 2, la}, {0, 1, lb},                              // A fails: detection; B fails
        {1, 3, la}, {1, 0, mb},
        {2, 4, de}, {2, 0, ma}, {2, 3, lb},                  // detected: switch to B; A back first: serving again
        {3, 13, de}, {3, 1, ma}, {3, 2, mb},                 // detected with nothing up: waiting
        {4, 8, sw}, {4, 5, ma}, {4, 13, lb},                 // B carries; A back (switch goes on); B lost: none up
        {5, 11, sw}, {5, 4, la}, {5, 6, lb},                 // B carries with A up: failback at once; B lost: try A
        {6, 1, sw}, {6, 13, la}, {6, 7, mb},
        {7, 0, sw}, {7, 4, la}, {7, 6, lb},                  // A lost while starting: try B
        {8, 11, ma}, {8, 9, lb},                             // A back: failback; B fails: detection
        {9, 13, de}, {9, 8, mb}, {9, 10, ma},
        {10, 6, de}, {10, 11, mb}, {10, 9, la},              // B back with A up: serving B, then failback at once
        {11, 0, fb}, {11, 8, la}, {11, 12, lb},              // A lost during failback: B keeps the load
        {12, 1, fb}, {12, 9, la}, {12, 11, mb},              // both lost: detection of B's failure
        {13, 6, ma}, {13, 4, mb},                            // the first member back is started
    };
    const std::vector<double> pi = stationary(14, q);
    REQUIRE(balance_residual(pi, q) < 1e-12);
    const double u_exact = 1 - pi[0] - pi[1] - pi[8];
    const double failover_exact = u_exact - pi[13];  // every down state but W is a detection, switch or failback
    // Wrong model: instantaneous failover (the pair is a parallel pair of independent regions).
    const double u_parallel = (la / (la + ma)) * (lb / (lb + mb));
    const std::string text =
        "components:\n"
        "  a: { failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
        "  b: { failure: { mttf: 800h }, repair: { mttr: 8h } }\n"
        "blocks:\n"
        "  region_a: { series: [a] }\n"
        "  region_b: { series: [b] }\n"
        "system: { standby: { of: [region_a, region_b], mode: hot, detect: { exponential: { mean: 30min } },\n"
        "                     switch_time: { exponential: { mean: 15min } }, failback: auto,\n"
        "                     failback_time: { exponential: { mean: 1h } } } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 11 }\n";
    // The project's chain builder (failover phases in the state) agrees with the chain written here.
    const analytic::AnalyticResults exact = analytic::analyze(io::read_scenario_text(text, "regions.yaml"));
    CHECK(exact.method == "CTMC");
    CHECK(std::fabs(exact.unavailability - u_exact) <= 1e-9 * u_exact);
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.unavailability, u_exact, u_parallel, "failover pair of regions: unavailability");
    REQUIRE(r.has_failover);
    check_agrees(r.failover_downtime_h_per_year, failover_exact * 8760, u_exact * 8760,
                 "failover pair of regions: failover downtime (wrong: all downtime counted as failover)");
    // Failover outages: every start of a detection, switch or failback (the system is down throughout).
    const double starts = pi[0] * la + pi[1] * la + pi[8] * (ma + lb) + pi[13] * (ma + mb) + pi[5] * sw + pi[10] * mb + pi[12] * la;
    check_agrees(r.failover_outages_per_year, starts * 8760, (pi[0] + pi[1]) * la * 8760,
                 "failover pair of regions: failover outages (wrong: only primary failures)");
}

TEST_CASE("a failed start costs the switch time, then the next member is tried", "[failover]") {
    // Instance members a (primary) and b; switch time exponential (rate sw), start_success p; a failed
    // start sends the member to repair. Failback is instantaneous. States:
    //  0 S_A a1b1  1 S_A a1b0  2 Sw_B a0b1  3 Sw_B a1b1  4 S_B a0b1  5 Sw_A a1b0  6 Sw_A a1b1  7 W a0b0
    const double la = 1.0 / 500, ma = 1.0 / 20, lb = 1.0 / 500, mb = 1.0 / 20, sw = 1.0 / 2, p = 0.7;
    auto chain = [&](double start) {
        const std::vector<std::tuple<int, int, double>> q = {
            {0, 2, la}, {0, 1, lb},
            {1, 7, la}, {1, 0, mb},
            {2, 4, sw * start}, {2, 3, ma}, {2, 7, lb},
            {3, 0, sw * start}, {3, 2, la}, {3, 5, lb},
            {4, 0, ma}, {4, 7, lb},
            {5, 1, sw * start}, {5, 7, la}, {5, 6, mb},
            {6, 0, sw * start}, {6, 2, la}, {6, 5, lb},
            {7, 5, ma}, {7, 2, mb},
            // A failed start, after its switch time: the member goes to repair and the next one is tried.
            {2, 7, sw * (1 - start)}, {3, 5, sw * (1 - start)}, {5, 7, sw * (1 - start)}, {6, 2, sw * (1 - start)},
        };
        const std::vector<double> pi = stationary(8, q);
        REQUIRE(balance_residual(pi, q) < 1e-12);
        return 1 - pi[0] - pi[1] - pi[4];
    };
    const double u_exact = chain(p), u_wrong = chain(1.0);  // wrong: start failures ignored
    const std::string text =
        "components:\n"
        "  a: { failure: { mttf: 500h }, repair: { mttr: 20h } }\n"
        "  b: { failure: { mttf: 500h }, repair: { mttr: 20h } }\n"
        "system: { standby: { of: [a, b], mode: hot, start_success: 70%, switch_time: { exponential: { mean: 2h } } } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 23 }\n";
    const analytic::AnalyticResults exact = analytic::analyze(io::read_scenario_text(text, "start.yaml"));
    CHECK(exact.method == "CTMC");
    CHECK(std::fabs(exact.unavailability - u_exact) <= 1e-9 * u_exact);
    check_agrees(run_yaml(text).unavailability, u_exact, u_wrong, "failed start costing the switch time");
}

TEST_CASE("a zone-placed standby pair with instantaneous failover is a parallel pair of placed units", "[failover]") {
    // db[i] requires zone[i]; the failover group switches at once and always starts: it is up while one
    // member (db[i] and its zone) is up, so A = 1 - (1 - a_db a_zone)^2 exactly.
    const double a_db = 200.0 / 205, a_zone = 1000.0 / 1002;
    const double u_exact = (1 - a_db * a_zone) * (1 - a_db * a_zone);
    const double u_unplaced = (1 - a_db) * (1 - a_db) + (1 - a_zone * a_zone) * 0;  // wrong: zones ignored
    const std::string text =
        "components:\n"
        "  zone: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 2h } }\n"
        "  db: { count: 2, failure: { mttf: 200h }, repair: { mttr: 5h }, requires: [ \"zone[i]\" ] }\n"
        "system: { standby: { of: db, mode: hot } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 5 }\n";
    const Model m = io::read_scenario_text(text, "zones.yaml");
    REQUIRE(m.failover_groups.size() == 1);  // members with requires make it a failover group
    REQUIRE(m.standby_groups.empty());
    // Exact in the chain (instantaneous switching: the group is the parallel pair of its members).
    const analytic::AnalyticResults exact = analytic::analyze(m);
    CHECK(exact.method == "CTMC");
    CHECK(std::fabs(exact.unavailability - u_exact) <= 1e-9 * u_exact);
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.unavailability, u_exact, u_unplaced, "zone-placed standby pair");
    CHECK(r.failover_downtime_h_per_year.mean == 0.0);  // instantaneous: no failover downtime
}

TEST_CASE("failover results do not depend on the thread count", "[failover]") {
    const std::string text =
        "components:\n"
        "  a: { failure: { mttf: 300h }, repair: { mttr: 10h } }\n"
        "  b: { failure: { mttf: 300h }, repair: { mttr: 10h } }\n"
        "system: { standby: { of: [a, b], mode: hot, detect: 1min, switch_time: { uniform: { min: 1min, max: 3min } },\n"
        "                     start_success: 90%, failback: manual, failback_delay: { uniform: { min: 0h, max: 1w } },\n"
        "                     failback_time: 2min } }\n"
        "simulation: { horizon: 5y, replications: 40, seed: 3 }\n";
    const sim::SimulationResults one = run_yaml(text, 1), two = run_yaml(text, 2);
    CHECK(one.unavailability.mean == two.unavailability.mean);
    CHECK(one.failover_downtime_h_per_year.mean == two.failover_downtime_h_per_year.mean);
    CHECK(one.failover_outages == two.failover_outages);
    CHECK(one.failover_outages > 0);
}

TEST_CASE("a fixed switch time has no Markov form: the chain says why", "[failover]") {
    const std::string text =
        "components:\n"
        "  a: { failure: { mttf: 500h }, repair: { mttr: 20h } }\n"
        "  b: { failure: { mttf: 500h }, repair: { mttr: 20h } }\n"
        "system: { standby: { of: [a, b], mode: hot, detect: 60s, switch_time: 160s } }\n";
    const analytic::AnalyticResults r = analytic::analyze(io::read_scenario_text(text, "fixed.yaml"));
    CHECK(r.method != "CTMC");
    bool said = false;
    for (const std::string& n : r.notes) said = said || n.find("fixed delay has no Markov form") != std::string::npos;
    CHECK((said || r.method_reason.find("fixed delay has no Markov form") != std::string::npos));
}

TEST_CASE("simulation and chain agree: manual failback, block members with failed starts, three members", "[failover]") {
    // Two independent implementations of the same rules (the kernel's FailoverGroups and the chain
    // builder's phases): blocks of two units each, a failed promotion of a block skips it until it comes
    // back, a manual failback after an exponential operator delay. Wrong: failback at once (auto).
    const std::string base =
        "components:\n"
        "  a: { count: 2, failure: { mttf: 400h }, repair: { mttr: 10h } }\n"
        "  b: { count: 2, failure: { mttf: 400h }, repair: { mttr: 10h } }\n"
        "  c: { failure: { mttf: 300h }, repair: { mttr: 5h } }\n"
        "blocks:\n"
        "  site_a: { series: [a] }\n"
        "  site_b: { parallel: [b] }\n"
        "system: { standby: { of: [site_a, site_b, c], mode: hot, detect: { exponential: { mean: 1h } },\n"
        "                     switch_time: { exponential: { mean: 2h } }, start_success: 80%,\n"
        "                     failback_time: { exponential: { mean: 3h } }, FAILBACK } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 77 }\n";
    auto with = [&](const std::string& failback) {
        std::string text = base;
        text.replace(text.find("FAILBACK"), 8, failback);
        return text;
    };
    const std::string manual = with("failback: manual, failback_delay: { exponential: { mean: 24h } }");
    const analytic::AnalyticResults exact = analytic::analyze(io::read_scenario_text(manual, "manual.yaml"));
    REQUIRE(exact.method == "CTMC");
    const analytic::AnalyticResults wrong = analytic::analyze(io::read_scenario_text(with("failback: auto"), "auto.yaml"));
    REQUIRE(wrong.method == "CTMC");
    check_agrees(run_yaml(manual).unavailability, exact.unavailability, wrong.unavailability,
                 "manual failback over blocks (wrong: automatic failback)");
}

namespace {

const sim::CauseResult& cause_of(const sim::SimulationResults& r, const std::string& label) {
    for (const sim::CauseResult& c : r.causes) {
        if (c.label == label) return c;
    }
    FAIL("no cause " << label);
    return r.causes.front();
}

}  // namespace

TEST_CASE("failover downtime as a cause: a fixed switch time after every primary failure, nothing else", "[failover][causes]") {
    // Primary a (exponential failure and repair), standby b that does not fail in practice (MTTF 10^12 h),
    // instantaneous detection, a fixed switch time s and an instantaneous failback: every failure of a
    // is one outage of exactly s, the failover's. a fails once per cycle of mean 1/la + 1/ma, so the
    // failover downtime is 8760 s / (1/la + 1/ma) hours a year, exactly (up to the window's edges), and the
    // failure causes get nothing. Wrong attribution (the outage charged to a's failure, which set it off):
    // no failover downtime at all.
    const double s = 2.0, cycle = 500.0 + 20.0;
    const double exact = 8760 * s / cycle;
    const std::string text =
        "components:\n"
        "  a: { failure: { mttf: 500h }, repair: { mttr: 20h } }\n"
        "  b: { failure: { mttf: 1000000000000h }, repair: { mttr: 20h } }\n"
        "system: { standby: { of: [a, b], mode: hot, switch_time: { fixed: 2h }, failback: auto } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 41 }\n";
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(cause_of(r, "failover").downtime_h_per_year, exact, 0.0, "fixed switch: failover downtime");
    check_agrees(r.downtime_h_per_year, exact, 8760 * 20.0 / cycle, "fixed switch: all downtime (wrong: the repair time)");
    CHECK(cause_of(r, "failure").downtime_h_per_year.mean == 0.0);
    // The failover ledger (system down while a group changes its carrier) measures the same thing here.
    CHECK(r.failover_downtime_h_per_year.mean == Approx(cause_of(r, "failover").downtime_h_per_year.mean).epsilon(1e-12));
}

TEST_CASE("failover downtime as a cause: switching and failing back are failover, no member left is failure", "[failover][causes]") {
    // A hot pair a (primary), b; instantaneous detection, exponential switch (sw) and failback (fb), start
    // always succeeds. Each outage is charged, whole, to the event that started it: a switch or a failback
    // (failover), or the loss of the carrier with the other member down (the failure of the member that
    // went down). Up states: U0 S_A a1b1, U1 S_A a1b0, U2 S_B a0b1. Down states, one copy per cause tag:
    //  D0 Sw_B a0b1  D1 Sw_B a1b1  D2 Sw_A a1b0  D3 Sw_A a1b1  D4 FB a1b1  D5 FB a1b0  D6 W a0b0
    // (Sw switching to, FB failing back to a, W no member up). Tags: 0 failover, 1 failure:a, 2 failure:b.
    const double la = 1.0 / 500, ma = 1.0 / 20, lb = 1.0 / 400, mb = 1.0 / 10, sw = 1.0 / 2, fb = 1.0 / 1;
    enum { U0, U1, U2 };
    auto down = [](int tag, int d) { return 3 + 7 * tag + d; };
    // The tag of the outage a's failure starts from U0 (a switch to b): failover; the wrong attribution
    // charges it to a's failure, as the kernel did before the groups named their own cause.
    auto chain = [&](int switch_tag) {
        std::vector<std::tuple<int, int, double>> q = {
            {U0, down(switch_tag, 0), la}, {U0, U1, lb},
            {U1, down(1, 6), la}, {U1, U0, mb},
            {U2, down(0, 4), ma}, {U2, down(2, 6), lb},          // a back: failback; b lost with a down: waiting
        };
        for (int tag = 0; tag < 3; ++tag) {
            auto d = [&](int i) { return down(tag, i); };
            const std::vector<std::tuple<int, int, double>> inner = {
                {d(0), U2, sw}, {d(0), d(1), ma}, {d(0), d(6), lb},
                {d(1), d(4), sw}, {d(1), d(0), la}, {d(1), d(2), lb},   // b carries with a up: failback at once
                {d(2), U1, sw}, {d(2), d(6), la}, {d(2), d(3), mb},
                {d(3), U0, sw}, {d(3), d(0), la}, {d(3), d(2), lb},     // a lost while starting: try b
                {d(4), U0, fb}, {d(4), U2, la}, {d(4), d(5), lb},       // a lost during failback: b keeps the load
                {d(5), U1, fb}, {d(5), d(6), la}, {d(5), d(4), mb},
                {d(6), d(2), ma}, {d(6), d(0), mb},                     // the first member back is started
            };
            q.insert(q.end(), inner.begin(), inner.end());
        }
        const std::vector<double> pi = stationary(24, q);
        REQUIRE(balance_residual(pi, q) < 1e-12);
        std::vector<double> by_tag(3, 0.0);
        for (int tag = 0; tag < 3; ++tag) {
            for (int i = 0; i < 7; ++i) by_tag[static_cast<std::size_t>(tag)] += 8760 * pi[static_cast<std::size_t>(down(tag, i))];
        }
        return by_tag;
    };
    const std::vector<double> exact = chain(0), wrong = chain(1);
    const std::string text =
        "components:\n"
        "  a: { failure: { mttf: 500h }, repair: { mttr: 20h } }\n"
        "  b: { failure: { mttf: 400h }, repair: { mttr: 10h } }\n"
        "system: { standby: { of: [a, b], mode: hot, switch_time: { exponential: { mean: 2h } }, failback: auto,\n"
        "                     failback_time: { exponential: { mean: 1h } } } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 43 }\n";
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(cause_of(r, "failover").downtime_h_per_year, exact[0], wrong[0],
                 "failover cause (wrong: a switch charged to the failure that set it off)");
    check_agrees(cause_of(r, "failure:a").downtime_h_per_year, exact[1], wrong[1], "failure:a cause");
    // b's share is the same under both attributions (only the switch away from a differs): no wrong model.
    const sim::Estimate& b = cause_of(r, "failure:b").downtime_h_per_year;
    CHECK(std::fabs(b.mean - exact[2]) < 4 * b.std_error);
    CHECK(std::fabs(r.downtime_h_per_year.mean - (exact[0] + exact[1] + exact[2])) < 4 * r.downtime_h_per_year.std_error);
}

TEST_CASE("cold and warm failover pairs: a member at rest fails dormant_factor times as often (cold: never)", "[failover]") {
    // Instance members a (primary) and b; instantaneous detection, exponential switch and failback. A
    // member runs while it carries the load, is being started, or is being failed back to; otherwise its
    // failure rate is phi times its own (cold: phi = 0; warm: phi = dormant_factor; hot: phi = 1).
    // Up: U0 S_A a1b1 (b at rest), U1 S_A a1b0, U2 S_B a0b1. Down: D0 Sw_B a0b1, D1 Sw_B a1b1 (a at
    // rest), D2 Sw_A a1b0, D3 Sw_A a1b1 (b at rest), D4 FB a1b1 (both run), D5 FB a1b0, D6 W a0b0.
    const double la = 1.0 / 300, ma = 1.0 / 20, lb = 1.0 / 200, mb = 1.0 / 10, sw = 1.0 / 2, fb = 1.0 / 1;
    auto unavailability = [&](double phi) {
        enum { U0, U1, U2, D0, D1, D2, D3, D4, D5, D6 };
        const std::vector<std::tuple<int, int, double>> q = {
            {U0, D0, la}, {U0, U1, phi * lb},
            {U1, D6, la}, {U1, U0, mb},
            {U2, D4, ma}, {U2, D6, lb},
            {D0, U2, sw}, {D0, D1, ma}, {D0, D6, lb},
            {D1, D4, sw}, {D1, D0, phi * la}, {D1, D2, lb},
            {D2, U1, sw}, {D2, D6, la}, {D2, D3, mb},
            {D3, U0, sw}, {D3, D0, la}, {D3, D2, phi * lb},
            {D4, U0, fb}, {D4, U2, la}, {D4, D5, lb},
            {D5, U1, fb}, {D5, D6, la}, {D5, D4, mb},
            {D6, D2, ma}, {D6, D0, mb},
        };
        const std::vector<double> pi = stationary(10, q);
        REQUIRE(balance_residual(pi, q) < 1e-12);
        return 1 - pi[U0] - pi[U1] - pi[U2];
    };
    const std::string base =
        "components:\n"
        "  a: { failure: { mttf: 300h }, repair: { mttr: 20h } }\n"
        "  b: { failure: { mttf: 200h }, repair: { mttr: 10h } }\n"
        "system: { standby: { of: [a, b], MODE, switch_time: { exponential: { mean: 2h } }, failback: auto,\n"
        "                     failback_time: { exponential: { mean: 1h } } } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 47 }\n";
    auto with = [&](const std::string& mode) {
        std::string text = base;
        text.replace(text.find("MODE"), 4, mode);
        return text;
    };
    const double u_cold = unavailability(0), u_warm = unavailability(0.3), u_hot = unavailability(1);
    REQUIRE(u_cold < u_warm);
    REQUIRE(u_warm < u_hot);
    // The project's chain builder agrees with the chains written here, for all three modes.
    const std::vector<std::pair<std::string, double>> modes = {
        {"mode: cold", u_cold}, {"mode: warm, dormant_factor: 30%", u_warm}, {"mode: hot", u_hot}};
    for (const auto& [mode, u] : modes) {
        const analytic::AnalyticResults exact = analytic::analyze(io::read_scenario_text(with(mode), "modes.yaml"));
        INFO(mode);
        CHECK(exact.method == "CTMC");
        CHECK(std::fabs(exact.unavailability - u) <= 1e-9 * u);
    }
    // The simulation (FailoverGroups::rest) against the cold chain; wrong: hot standby.
    check_agrees(run_yaml(with("mode: cold")).unavailability, u_cold, u_hot, "cold failover pair (wrong: hot)");
    check_agrees(run_yaml(with("mode: warm, dormant_factor: 30%")).unavailability, u_warm, u_cold, "warm failover pair (wrong: cold)");
    // Block members: region_a = { series: [a] } rests as its unit does, so the same chains hold.
    auto as_blocks = [&](std::string text) {
        const std::string from = "system: { standby: { of: [a, b],";
        text.replace(text.find(from), from.size(),
                     "blocks:\n  region_a: { series: [a] }\n  region_b: { series: [b] }\nsystem: { standby: { of: [region_a, region_b],");
        return text;
    };
    for (const auto& [mode, u] : modes) {
        const analytic::AnalyticResults exact = analytic::analyze(io::read_scenario_text(as_blocks(with(mode)), "block_modes.yaml"));
        INFO("blocks, " << mode);
        CHECK(exact.method == "CTMC");
        CHECK(std::fabs(exact.unavailability - u) <= 1e-9 * u);
    }
    check_agrees(run_yaml(as_blocks(with("mode: cold"))).unavailability, u_cold, u_hot, "cold failover pair of blocks (wrong: hot)");
}

TEST_CASE("warm and cold block members: every unit of a member at rest ages slower (cold: not at all)", "[failover]") {
    // Two implementations of the rule (the kernel's FailoverGroups::rest over a member's units, the chain
    // builder's failure rates by member): zones of two units each, a cold pair, then a warm 2-of-3.
    // Wrong: the same groups hot.
    const std::string pair =
        "components:\n"
        "  a: { count: 2, failure: { mttf: 300h }, repair: { mttr: 20h } }\n"
        "  b: { count: 2, failure: { mttf: 200h }, repair: { mttr: 10h } }\n"
        "blocks:\n"
        "  zone_a: { series: [a] }\n"
        "  zone_b: { series: [b] }\n"
        "system: { standby: { of: [zone_a, zone_b], MODE, switch_time: { exponential: { mean: 2h } }, failback: auto,\n"
        "                     failback_time: { exponential: { mean: 1h } } } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 67 }\n";
    const std::string trio =
        "components:\n"
        "  a: { count: 2, failure: { mttf: 300h }, repair: { mttr: 20h } }\n"
        "  b: { count: 2, failure: { mttf: 250h }, repair: { mttr: 15h } }\n"
        "  c: { count: 2, failure: { mttf: 200h }, repair: { mttr: 10h } }\n"
        "blocks:\n"
        "  zone_a: { series: [a] }\n"
        "  zone_b: { series: [b] }\n"
        "  zone_c: { series: [c] }\n"
        "system: { standby: { active: 2, of: [zone_a, zone_b, zone_c], MODE, switch_time: { exponential: { mean: 2h } },\n"
        "                     failback: auto, failback_time: { exponential: { mean: 1h } } } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 71 }\n";
    auto with = [](std::string text, const std::string& mode) {
        text.replace(text.find("MODE"), 4, mode);
        return text;
    };
    const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
        {"cold pair of zones", pair, "mode: cold"}, {"warm 2 of 3 zones", trio, "mode: warm, dormant_factor: 20%"}};
    for (const auto& [what, text, mode] : cases) {
        const analytic::AnalyticResults exact = analytic::analyze(io::read_scenario_text(with(text, mode), "rest.yaml"));
        REQUIRE(exact.method == "CTMC");
        const analytic::AnalyticResults hot = analytic::analyze(io::read_scenario_text(with(text, "mode: hot"), "hot.yaml"));
        REQUIRE(hot.method == "CTMC");
        check_agrees(run_yaml(with(text, mode)).unavailability, exact.unavailability, hot.unavailability, what + " (wrong: hot)");
    }
}

TEST_CASE("2 of 3 members carrying the load: exponential detection and switch, causes split between failover and failure",
          "[failover][active]") {
    // Three like members a[1..3] (failure la, repair ma each, independent repairs), two carry the load
    // (active: 2), failback never, starts always succeed. By symmetry a state is the phase, the number of
    // carriers |C|, how many of them are down, and how many of the other members are down (Switching:
    // besides the one being started, which is up). The rules (README "Failover groups with more than one
    // active member"): a carrier lost, detection (de); then the lost carriers leave the set and the other
    // members are started in order (sw each) until two carry the load; a carrier lost during a start is
    // taken up when the start ends; no member left to start: wait for a repair.
    //  S0  serving, spare up                S1  serving, spare down
    //  D210 detecting |C|=2, 1 down, spare up       D211 ... spare down
    //  D220 both carriers down, spare up            D221 all three down
    //  Sw{c}{cd}{od}: switching with |C| = c carriers (cd of them down), od of the other members down
    //  W12 waiting with C = {up}, two down     W112 waiting, C = {down}, two down     W03 waiting, C empty
    // Outages start only in S0 and S1: S0 -> D210 with two members still up (an instantaneous failover
    // would have kept the group up: cause failover), S1 -> D211 with one up (cause the failure, failure:a).
    // Each down state has one copy per cause tag (0 failover, 1 failure:a).
    const double la = 1.0 / 500, ma = 1.0 / 20, de = 1.0 / 1, sw = 1.0 / 2;
    enum { S0, S1 };
    enum Down { D210, D211, D220, D221, Sw101, Sw100, Sw111, Sw110, Sw002, Sw001, Sw000, W12, W112, W03, kDown };
    auto down = [](int tag, int d) { return 2 + kDown * tag + d; };
    auto chain = [&](int failover_tag) {
        std::vector<std::tuple<int, int, double>> q = {
            {S0, down(failover_tag, D210), 2 * la}, {S0, S1, la},
            {S1, down(1, D211), 2 * la}, {S1, S0, ma},
        };
        for (int tag = 0; tag < 2; ++tag) {
            auto d = [&](int i) { return down(tag, i); };
            const std::vector<std::tuple<int, int, double>> inner = {
                {d(D210), S0, ma}, {d(D210), d(D220), la}, {d(D210), d(D211), la}, {d(D210), d(Sw101), de},
                {d(D211), S1, ma}, {d(D211), d(D210), ma}, {d(D211), d(D221), la}, {d(D211), d(W12), de},
                {d(D220), d(D210), 2 * ma}, {d(D220), d(D221), la}, {d(D220), d(Sw002), de},
                {d(D221), d(D211), 2 * ma}, {d(D221), d(D220), ma}, {d(D221), d(W03), de},
                // switching with one carrier: done, serving; carrier lost (kept until the start ends);
                // the member being started lost: the next one, or wait; the other member back
                {d(Sw101), S1, sw}, {d(Sw101), d(Sw111), la}, {d(Sw101), d(W12), la}, {d(Sw101), d(Sw100), ma},
                {d(Sw100), S0, sw}, {d(Sw100), d(Sw110), la}, {d(Sw100), d(Sw101), la}, {d(Sw100), d(Sw101), la},
                // the carrier lost during the start: when it ends, detection of that loss
                {d(Sw111), d(D211), sw}, {d(Sw111), d(Sw101), ma}, {d(Sw111), d(Sw110), ma}, {d(Sw111), d(W03), la},
                {d(Sw110), d(D210), sw}, {d(Sw110), d(Sw100), ma}, {d(Sw110), d(Sw111), la}, {d(Sw110), d(Sw002), la},
                // no carrier: the first start done, the second follows (or none is up: wait)
                {d(Sw002), d(W12), sw}, {d(Sw002), d(W03), la}, {d(Sw002), d(Sw001), 2 * ma},
                {d(Sw001), d(Sw101), sw}, {d(Sw001), d(Sw002), la}, {d(Sw001), d(Sw002), la}, {d(Sw001), d(Sw000), ma},
                {d(Sw000), d(Sw100), sw}, {d(Sw000), d(Sw001), la}, {d(Sw000), d(Sw001), 2 * la},
                // waiting: the first member back is started
                {d(W12), d(Sw101), 2 * ma}, {d(W12), d(W112), la},
                {d(W112), d(W12), ma}, {d(W112), d(Sw002), 2 * ma},
                {d(W03), d(Sw002), 3 * ma},
            };
            q.insert(q.end(), inner.begin(), inner.end());
        }
        const std::vector<double> pi = stationary(2 + 2 * kDown, q);
        REQUIRE(balance_residual(pi, q) < 1e-12);
        std::vector<double> by_tag(2, 0.0);
        for (int tag = 0; tag < 2; ++tag) {
            for (int i = 0; i < kDown; ++i) by_tag[static_cast<std::size_t>(tag)] += 8760 * pi[static_cast<std::size_t>(down(tag, i))];
        }
        return by_tag;
    };
    const std::vector<double> exact = chain(0), wrong = chain(1);
    const double u_exact = (exact[0] + exact[1]) / 8760;
    // Wrong model: instantaneous failover, the group up while two of the three are up.
    const double q1 = la / (la + ma);
    const double u_instant = 3 * q1 * q1 * (1 - q1) + q1 * q1 * q1;
    const std::string text =
        "components:\n"
        "  a: { count: 3, failure: { mttf: 500h }, repair: { mttr: 20h } }\n"
        "system: { standby: { active: 2, of: a, mode: hot, detect: { exponential: { mean: 1h } },\n"
        "                     switch_time: { exponential: { mean: 2h } }, failback: never } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 53 }\n";
    const analytic::AnalyticResults chain_result = analytic::analyze(io::read_scenario_text(text, "two_of_three.yaml"));
    CHECK(chain_result.method == "CTMC");
    CHECK(std::fabs(chain_result.unavailability - u_exact) <= 1e-9 * u_exact);
    // The same group with one active member (the rules for active: 1) is another chain: the builder
    // must not fall back to it.
    std::string one = text;
    one.replace(one.find("active: 2"), 9, "active: 1");
    const double u_one = analytic::analyze(io::read_scenario_text(one, "one_of_three.yaml")).unavailability;
    CHECK(std::fabs(u_one - u_exact) > 0.5 * u_exact);
    const sim::SimulationResults r = run_yaml(text);
    check_agrees(r.unavailability, u_exact, u_instant, "2 of 3 failover: unavailability (wrong: instantaneous failover)");
    check_agrees(r.unavailability, u_exact, u_one, "2 of 3 failover: unavailability (wrong: one active member)");
    check_agrees(cause_of(r, "failover").downtime_h_per_year, exact[0], wrong[0],
                 "2 of 3 failover: failover cause (wrong: every outage charged to the failure)");
    check_agrees(cause_of(r, "failure:a").downtime_h_per_year, exact[1], wrong[1], "2 of 3 failover: failure:a cause");
}

TEST_CASE("simulation and chain agree with 2 of 3 active: block members, failed starts, failback, warm members", "[failover][active]") {
    // Two independent implementations of the rules for active > 1 (the kernel's FailoverGroups and the
    // chain builder's phases). Two zones of two units each (zone_a down when either unit is, zone_b
    // when both are) and one instance; a failed start skips a zone until it comes back (an instance goes
    // to repair); auto failback to the first two members with its own time. Wrong: no failback.
    const std::string base =
        "components:\n"
        "  a: { count: 2, failure: { mttf: 400h }, repair: { mttr: 10h } }\n"
        "  b: { count: 2, failure: { mttf: 300h }, repair: { mttr: 10h } }\n"
        "  c: { failure: { mttf: 200h }, repair: { mttr: 5h } }\n"
        "blocks:\n"
        "  zone_a: { series: [a] }\n"
        "  zone_b: { parallel: [b] }\n"
        "system: { standby: { active: 2, of: [zone_a, zone_b, c], mode: hot, detect: { exponential: { mean: 1h } },\n"
        "                     switch_time: { exponential: { mean: 2h } }, start_success: 80%, FAILBACK } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 59 }\n";
    auto with = [&](const std::string& text, const std::string& key, const std::string& value) {
        std::string out = text;
        out.replace(out.find(key), key.size(), value);
        return out;
    };
    const std::string autofb = with(base, "FAILBACK", "failback: auto, failback_time: { exponential: { mean: 3h } }");
    const std::string never = with(base, "FAILBACK", "failback: never");
    const double exact = chain_unavailability(autofb, "auto.yaml");
    check_agrees(run_yaml(autofb).unavailability, exact, chain_unavailability(never, "never.yaml"),
                 "2 of 3 zones, auto failback (wrong: no failback)");
    // Manual failback after an exponential operator delay; wrong: automatic failback.
    const std::string manual = with(base, "FAILBACK", "failback: manual, failback_delay: { exponential: { mean: 24h } }, "
                                                      "failback_time: { exponential: { mean: 3h } }");
    check_agrees(run_yaml(manual).unavailability, chain_unavailability(manual, "manual.yaml"), exact,
                 "2 of 3 zones, manual failback (wrong: automatic failback)");
    // Warm instance members: a member neither carrying nor being started (nor failed back to) fails at
    // 20 % of its rate. Wrong: hot.
    const std::string warm_base =
        "components:\n"
        "  a: { failure: { mttf: 300h }, repair: { mttr: 20h } }\n"
        "  b: { failure: { mttf: 250h }, repair: { mttr: 15h } }\n"
        "  c: { failure: { mttf: 200h }, repair: { mttr: 10h } }\n"
        "system: { standby: { active: 2, of: [a, b, c], MODE, switch_time: { exponential: { mean: 2h } },\n"
        "                     failback: auto, failback_time: { exponential: { mean: 1h } } } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 300, seed: 61 }\n";
    const std::string warm = with(warm_base, "MODE", "mode: warm, dormant_factor: 20%");
    check_agrees(run_yaml(warm).unavailability, chain_unavailability(warm, "warm.yaml"),
                 chain_unavailability(with(warm_base, "MODE", "mode: hot"), "hot.yaml"), "2 of 3 warm members (wrong: hot)");
}

TEST_CASE("simulation and chain agree with two active-2-of-3 groups whose members share zones", "[failover][active]") {
    // Two failover groups with active: 2 in one model (a web tier and a database tier in series), each
    // member placed in one of three zones, so a zone incident takes a member of both groups at once and
    // both detect and switch together. The chain holds both groups' phases in one state; the kernel
    // runs the two groups apart. Wrong model: the same two tiers in zones of their own (no shared
    // incident), whose chain factorises.
    const std::string shared =
        "domains:\n"
        "  zone: { count: 3, failure: { mttf: 400h }, repair: { mttr: 12h } }\n"
        "components:\n"
        "  web: { count: 3, failure: { mttf: 300h }, repair: { mttr: 10h }, requires: [ \"zone[i]\" ] }\n"
        "  db: { count: 3, failure: { mttf: 500h }, repair: { mttr: 8h }, requires: [ \"zone[i]\" ] }\n"
        "system:\n"
        "  series:\n"
        "    - { standby: { active: 2, of: [ \"web[0]\", \"web[1]\", \"web[2]\" ], mode: hot, detect: { exponential: { mean: 1h } },\n"
        "                   switch_time: { exponential: { mean: 2h } }, failback: auto, failback_time: { exponential: { mean: 1h } } } }\n"
        "    - { standby: { active: 2, of: [ \"db[0]\", \"db[1]\", \"db[2]\" ], mode: hot, detect: { exponential: { mean: 30min } },\n"
        "                   switch_time: { exponential: { mean: 3h } }, start_success: 90%, failback: never } }\n"
        "simulation: { horizon: 100500h, warmup: 500h, replications: 200, seed: 67 }\n";
    std::string apart = shared;
    apart.replace(apart.find("  zone: { count: 3"), std::string("  zone: { count: 3").size(),
                  "  zone_db: { count: 3, failure: { mttf: 400h }, repair: { mttr: 12h } }\n  zone: { count: 3");
    apart.replace(apart.find("requires: [ \"zone[i]\" ] }\nsystem"), std::string("requires: [ \"zone[i]\" ] }\nsystem").size(),
                  "requires: [ \"zone_db[i]\" ] }\nsystem");
    check_agrees(run_yaml(shared).unavailability, chain_unavailability(shared, "shared.yaml"), chain_unavailability(apart, "apart.yaml"),
                 "two 2-of-3 groups over shared zones (wrong: zones of their own)");
}
