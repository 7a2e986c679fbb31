// Issue 11 part B: changes as failure sources, failure domains, and downtime by cause. Every value is
// checked against a closed form derived here; each check also shows that a plausible wrong model fails
// (check_agrees: the wrong value lies more than 4 standard errors away).
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "test_support.h"

using nines::test::check_agrees;
using nines::test::run_yaml;

namespace {

const nines::sim::CauseResult& cause(const nines::sim::SimulationResults& r, const std::string& label) {
    for (const nines::sim::CauseResult& c : r.causes) {
        if (c.label == label) return c;
    }
    FAIL("no cause " << label);
    return r.causes.front();
}

// The downtime by cause adds up: the kinds' totals to the system's downtime, each kind's named causes
// to the kind's total (an outage is charged, whole, to one cause).
void check_causes_add_up(const nines::sim::SimulationResults& r) {
    double kinds = 0;
    for (const nines::sim::CauseResult& k : r.causes) {
        if (!k.name.empty()) continue;
        kinds += k.downtime_h_per_year.mean;
        double named = 0;
        bool any = false;
        for (const nines::sim::CauseResult& c : r.causes) {
            if (c.kind == k.kind && !c.name.empty()) {
                named += c.downtime_h_per_year.mean;
                any = true;
            }
        }
        if (any) CHECK(named == Approx(k.downtime_h_per_year.mean).epsilon(1e-9).margin(1e-12));
    }
    CHECK(kinds == Approx(r.downtime_h_per_year.mean).epsilon(1e-9));
}

}  // namespace

TEST_CASE("rolling deploy with bad-change probability p on n instances: mean change downtime in closed form",
          "[changes]") {
    // n = 5 instances, the system needs k = 3 up, so it goes down once m = n - k + 1 = 3 instances carry a
    // bad change. Changes come at rate lambda (1/d); a rolling change reaches instance j at j tau (tau =
    // 10 min); a bad one (p = 20 %) is noticed after D ~ Exp(delta), mean 15 min, stops rolling out, and
    // its rollback R ~ Exp(rho), mean 30 min, brings everything back at D + R. The units never fail.
    // A bad change takes the system down iff D > (m - 1) tau, from (m - 1) tau to D + R:
    //   E[down | bad] = exp(-delta (m - 1) tau) (1/delta + 1/rho)           (memorylessness of D)
    // Changes falling due during one are dropped, so (Poisson arrivals) the changes are a renewal process
    // with cycle Exp(lambda) idle + the change: good ones last (n - 1) tau, bad ones D + R:
    //   E[cycle] = 1/lambda + (1 - p)(n - 1) tau + p (1/delta + 1/rho)
    // Renewal reward: downtime per year = 8760 p E[down | bad] / E[cycle]; outages per year likewise
    // with P(D > (m - 1) tau) in place of E[down | bad].
    const double n = 5, m = 3, tau = 1.0 / 6, p = 0.2, delta = 4, rho = 2, lambda = 1.0 / 24;
    const nines::sim::SimulationResults r = run_yaml(
        "components:\n  app: { count: 5, failure: { mttf: 100000y }, repair: { mttr: 1h } }\n"
        "system: { k_of_n: { k: 3, of: app } }\n"
        "changes:\n  deploys: { touches: app, rate: 1/d, rollout: rolling, pause: 10min, bad: 20%,\n"
        "             detect: { exponential: { mean: 15min } }, rollback: { exponential: { mean: 30min } } }\n"
        "simulation: { horizon: 20y, replications: 400, seed: 11 }\n");
    const double cycle = 1 / lambda + (1 - p) * (n - 1) * tau + p * (1 / delta + 1 / rho);
    const double reach = std::exp(-delta * (m - 1) * tau);
    const double exact = 8760 * p * reach * (1 / delta + 1 / rho) / cycle;
    // Wrong: a bad change reaching every instance at once (the roll-out ignored).
    const double wrong = 8760 * p * (1 / delta + 1 / rho) / cycle;
    check_agrees(cause(r, "change:deploys").downtime_h_per_year, exact, wrong, "rolling deploy downtime per year");
    check_agrees(cause(r, "change").outages_per_year, 8760 * p * reach / cycle, 8760 * p / cycle, "rolling deploy outages per year");
    check_agrees(r.downtime_h_per_year, exact, wrong, "system downtime per year (all of it from changes)");
    check_causes_add_up(r);
}

TEST_CASE("all-at-once deploys every 6 h: healthy ones cost the restart, bad ones detection and rollback", "[changes]") {
    // The published figures: healthy deploys cost 6.6 s, bad ones 38-47 s (detection 30-35 s, then a
    // rollback of 8-12 s, both uniform), against a budget of 10 s per deploy. Deploys at 6 h, 12 h, ...
    // before the 10 y horizon: 14,599 of them, each costing (1 - p) 6.6 s + p E[D + R] (a single API
    // unit that never fails; a deploy ends long before the next).
    const double p = 0.05, restart_h = 6.6 / 3600, bad_h = (32.5 + 10) / 3600, deploys = 14599;
    const nines::sim::SimulationResults r = run_yaml(
        "components:\n  api: { failure: { mttf: 100000y }, repair: { mttr: 1h } }\nsystem: api\n"
        "changes:\n  deploys: { touches: [ api ], every: 6h, restart: { fixed: 6.6s }, bad: 5%,\n"
        "             detect: { uniform: { min: 30s, max: 35s } }, rollback: { uniform: { min: 8s, max: 12s } } }\n"
        "simulation: { horizon: 10y, replications: 300, seed: 5 }\n");
    const double exact = deploys * ((1 - p) * restart_h + p * bad_h) / 10;
    // Wrong: healthy deploys free (only bad ones cost downtime).
    const double wrong = deploys * p * bad_h / 10;
    check_agrees(cause(r, "change:deploys").downtime_h_per_year, exact, wrong, "deploy downtime per year");
    // Every deploy is an outage (the restart), exactly.
    CHECK(cause(r, "change").outages_per_year.mean == Approx(deploys / 10).epsilon(1e-12));
    CHECK(exact < deploys * (10.0 / 3600) / 10);  // within the 10 s budget
    check_causes_add_up(r);
}

TEST_CASE("a failure domain is a shared component: zone outage against the exact value", "[changes][domains]") {
    // Two web servers in one zone, the system up while the zone and a server are up. Zone: MTTF 1000 h,
    // MTTR 10 h; servers: MTTF 500 h, MTTR 20 h; all independent, so in steady state
    //   U = 1 - A_z (1 - q_w^2).
    // Domain outages: the zone fails (rate 1/1000 while up) when not both servers are down, so
    //   domain outages per year = 8760 A_z (1 - q_w^2) / 1000.
    const double az = 1000.0 / 1010, qw = 20.0 / 520;
    const nines::sim::SimulationResults r = run_yaml(
        "domains:\n  zone: { failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
        "components:\n  web: { count: 2, failure: { mttf: 500h }, repair: { mttr: 20h }, requires: [ zone ] }\n"
        "system: { parallel: [ web ] }\n"
        "simulation: { horizon: 20y, warmup: 2000h, replications: 300, seed: 3 }\n");
    const double exact = 1 - az * (1 - qw * qw);
    // Wrong: each server in a zone of its own (the domain not shared).
    const double wrong = std::pow(1 - az * (1 - qw), 2);
    check_agrees(r.unavailability, exact, wrong, "unavailability with a shared zone");
    const double outages = 8760 * az * (1 - qw * qw) / 1000;
    // Wrong: a zone outage counted once per server placed in it.
    check_agrees(cause(r, "domain:zone").outages_per_year, outages, 2 * outages, "zone outages per year");
    CHECK(cause(r, "domain").downtime_h_per_year.mean > 0);
    CHECK(cause(r, "failure:web").downtime_h_per_year.mean > 0);
    check_causes_add_up(r);
}

TEST_CASE("downtime by cause adds up with failures, maintenance, changes, domains and shocks", "[changes][causes]") {
    const nines::sim::SimulationResults r = run_yaml(
        "domains:\n  zone: { count: 2, failure: { mttf: 2000h }, repair: { mttr: 5h } }\n"
        "components:\n"
        "  web: { count: 4, failure: { mttf: 300h }, repair: { mttr: 8h }, requires: [ \"zone[i % 2]\" ],\n"
        "         maintenance: { every: 500h, duration: 2h } }\n"
        "  db: { failure: { mttf: 2000h }, repair: { mttr: 3h } }\n"
        "system: { series: [ db, { k_of_n: { k: 2, of: web } } ] }\n"
        "common_cause:\n  - { members: [ zone ], shock: { mttf: 5y } }\n"
        "changes:\n  deploys: { touches: web, every: 1d, rollout: rolling, pause: 5min, restart: { fixed: 1min }, bad: 10%,\n"
        "             detect: { exponential: { mean: 20min } }, rollback: { fixed: 10min } }\n"
        "  config: { touches: [ db ], rate: 1/w, bad: 2%, detect: { fixed: 5min }, rollback: { fixed: 5min } }\n"
        "simulation: { horizon: 5y, replications: 200, seed: 9 }\n");
    check_causes_add_up(r);
    for (const char* label : {"failure:web", "failure:db", "domain:zone", "change:deploys", "change:config", "maintenance"}) {
        INFO(label);
        CHECK(cause(r, label).downtime_h_per_year.mean > 0);
        CHECK(cause(r, label).downtime_h_per_year.has_ci);
    }
    CHECK(cause(r, "failover").downtime_h_per_year.mean == 0);  // no standby group here
    double outages = 0;
    for (const nines::sim::CauseResult& k : r.causes) {
        if (k.name.empty()) outages += k.outages_per_year.mean;
    }
    CHECK(outages * 5 * 200 == Approx(static_cast<double>(r.system_outages)).epsilon(1e-9));
}

TEST_CASE("changes give byte-identical results for any thread count", "[changes][determinism]") {
    const std::string text =
        "components:\n  app: { count: 3, failure: { mttf: 2000h }, repair: { mttr: 4h } }\n"
        "system: { k_of_n: { k: 2, of: app } }\n"
        "changes:\n  deploys: { touches: app, rate: 2/d, rollout: rolling, pause: 2min, restart: { exponential: { mean: 30s } },\n"
        "             bad: 10%, detect: { exponential: { mean: 10min } }, rollback: { exponential: { mean: 5min } } }\n"
        "simulation: { horizon: 2y, replications: 64, seed: 2 }\n";
    const nines::sim::SimulationResults one = run_yaml(text, 1);
    const nines::sim::SimulationResults two = run_yaml(text, 2);
    CHECK(one.unavailability.mean == two.unavailability.mean);
    CHECK(cause(one, "change:deploys").downtime_h_per_year.mean == cause(two, "change:deploys").downtime_h_per_year.mean);
    CHECK(cause(one, "change:deploys").downtime_h_per_year.std_error == cause(two, "change:deploys").downtime_h_per_year.std_error);
}

TEST_CASE("all-at-once changes at exponential intervals: the Markov chain against the renewal closed form",
          "[changes][analytic]") {
    // Three units, all needed, touched all at once by changes at rate lambda (3/d): a good one (1 - p)
    // restarts them for Exp(r) (mean 2 min), a bad one (p = 10 %) holds them for Exp(delta) + Exp(rho)
    // (means 10 and 20 min). The units never fail. The stream alternates idle Exp(lambda) and a change,
    // so the steady unavailability is the change's mean length over the mean cycle:
    //   U = c / (1/lambda + c),  c = (1 - p)/r + p (1/delta + 1/rho).
    const std::string text =
        "components:\n  app: { count: 3, failure: { mttf: 100000y }, repair: { mttr: 1h } }\n"
        "system: { series: [ app ] }\n"
        "changes:\n  push: { touches: app, rate: 3/d, restart: { exponential: { mean: 2min } }, bad: 10%,\n"
        "          detect: { exponential: { mean: 10min } }, rollback: { exponential: { mean: 20min } } }\n"
        "simulation: { horizon: 20y, replications: 200, seed: 4 }\n";
    const double lambda = 3.0 / 24, p = 0.1, c = (1 - p) * (2.0 / 60) + p * (30.0 / 60);
    const double exact = c / (1 / lambda + c);
    const nines::Model model = nines::io::read_scenario_text(text, "test.yaml");
    const nines::analytic::AnalyticResults a = nines::analytic::analyze(model);
    INFO(a.method << ": " << a.method_reason);
    CHECK(a.method == "CTMC");
    // The units' own failures (MTTF 100,000 y) add about 3e-9 to the unavailability.
    CHECK(a.unavailability == Approx(exact).epsilon(1e-5));
    // The simulation agrees with it; wrong: the restarts of good changes left out.
    const nines::sim::SimulationResults r = run_yaml(text);
    const double wrong = p * 0.5 / (1 / lambda + c);
    check_agrees(r.unavailability, exact, wrong, "unavailability from all-at-once changes");
    check_agrees(cause(r, "change:push").downtime_h_per_year, 8760 * exact, 8760 * wrong, "change downtime per year");
}

TEST_CASE("changes the Markov chain cannot hold say why", "[changes][analytic]") {
    const nines::Model model = nines::io::read_scenario_text(
        "components:\n  app: { count: 3, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
        "system: { k_of_n: { k: 2, of: app } }\n"
        "changes:\n  deploys: { touches: app, every: 1d, bad: 5%, detect: { mttr: 5min }, rollback: { mttr: 5min } }\n",
        "test.yaml");
    const nines::analytic::AnalyticResults a = nines::analytic::analyze(model);
    INFO(a.method << ": " << a.method_reason);
    CHECK(a.method_reason.find("exponential intervals") != std::string::npos);
}
