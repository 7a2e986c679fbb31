// Degraded service (issue 12): the served fraction min(1, capacity_up / demand) of capacity blocks and
// of the system, time degraded and down, unserved demand. Checked against exact values computed here by
// enumerating the 2^5 states of five independent servers (no graph, no BDD): E[min(1, C / D)],
// P(0 < C < D), P(C = 0) and E[(D - C)+] of the up capacity C.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "analytic/served_fraction.h"
#include "io/scenario_reader.h"
#include "sim/kernel_model.h"
#include "sim/simulation.h"
#include "sim/slo_windows.h"
#include "test_support.h"

using namespace nines;

namespace {

const int kCapacity[5] = {1, 2, 2, 3, 4};
const double kMttf[5] = {300, 250, 400, 200, 350};
const double kMttr[5] = {10, 20, 15, 25, 30};

std::string servers_yaml(const std::string& demand, const std::string& system_prefix, const std::string& extra) {
    std::string y = "components:\n";
    for (int i = 0; i < 5; ++i) {
        y += "  s" + std::to_string(i) + ": { capacity: " + std::to_string(kCapacity[i]) + ", failure: { mttf: " +
             std::to_string(kMttf[i]) + "h }, repair: { mttr: " + std::to_string(kMttr[i]) + "h } }\n";
    }
    y += extra;
    y += "system: " + system_prefix + "{ capacity: { of: [s0, s1, s2, s3, s4], demand: " + demand + " } }";
    if (!system_prefix.empty()) y += " ] }";
    return y + "\n";
}

// The distribution of the up capacity C of the five servers, by enumeration: P(C = c), c = 0..12.
std::vector<double> capacity_distribution() {
    std::vector<double> p(13, 0.0);
    for (unsigned s = 0; s < 32; ++s) {
        double q = 1;
        int up = 0;
        for (int i = 0; i < 5; ++i) {
            const double a = kMttf[i] / (kMttf[i] + kMttr[i]);
            if (s >> i & 1U) {
                q *= a;
                up += kCapacity[i];
            } else {
                q *= 1 - a;
            }
        }
        p[static_cast<std::size_t>(up)] += q;
    }
    return p;
}

struct Exact {
    double served = 0;        // E[min(1, C / D)]
    double available = 0;     // P(C >= D): the 0/1 view
    double degraded = 0;      // P(0 < C < D)
    double down = 0;          // P(C = 0)
    double unserved_cap = 0;  // E[(D - C)+]
};

Exact exact_at(double demand) {
    const std::vector<double> p = capacity_distribution();
    Exact e;
    for (int c = 0; c <= 12; ++c) {
        const double q = p[static_cast<std::size_t>(c)];
        e.served += q * std::min(1.0, c / demand);
        if (c >= demand) e.available += q;
        if (c > 0 && c < demand) e.degraded += q;
        if (c == 0) e.down += q;
        e.unserved_cap += q * std::max(0.0, demand - c);
    }
    return e;
}

}  // namespace

TEST_CASE("degraded service: served fraction, degraded and unserved time equal enumeration within 4 SE", "[degraded][statistical]") {
    // Fixed seed; tolerances from the run's own standard errors. The wrong model counts service as all
    // or nothing (served = P(C >= D)): about 30 standard errors away here, so the check can fail.
    const sim::SimulationResults r =
        test::run_yaml(servers_yaml("7", "", "simulation: { horizon: 5y, replications: 400, seed: 7 }\n"));
    const Exact e = exact_at(7);
    REQUIRE(r.has_capacity);
    REQUIRE(r.capacity_blocks.size() == 1);
    test::check_agrees(r.service.served_fraction, e.served, e.available, "served fraction, demand 7");
    test::check_agrees(r.capacity_blocks[0].served_fraction, e.served, e.available, "block served fraction");
    // Degraded time and unserved capacity: the wrong model is the same tier at demand 6.
    test::check_agrees(r.service.degraded_h_per_year, e.degraded * kHoursPerYear, exact_at(6).degraded * kHoursPerYear,
                       "degraded hours per year");
    test::check_agrees(r.capacity_blocks[0].unserved_capacity_h_per_year, e.unserved_cap * kHoursPerYear,
                       exact_at(6).unserved_cap * kHoursPerYear, "unserved capacity-hours per year");
    test::check_agrees(r.service.unserved_h_per_year, (1 - e.served) * kHoursPerYear, (1 - e.available) * kHoursPerYear,
                       "unserved (capacity-weighted) hours per year");
    // The 0/1 view is the time in state "up": the same integral, replication by replication.
    CHECK(r.service.state_up.mean == Approx(r.availability.mean).epsilon(1e-12));
    CHECK(r.service.state_up.mean + r.service.state_degraded.mean + r.service.state_down.mean == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("degraded service: a two-level demand profile equals the time-weighted exact value", "[degraded][profile][statistical]") {
    // Twelve hours at demand 4 (02:00 to 13:59) and twelve at 9, daily: the time average is half of
    // each level's E[min(1, C / D)]. The wrong model (the peak demand all day) is far outside.
    std::string profile = "{ daily: [";
    for (int h = 0; h < 24; ++h) profile += std::string(h ? ", " : "") + (h >= 2 && h < 14 ? "4" : "9");
    profile += "] }";
    const sim::SimulationResults r =
        test::run_yaml(servers_yaml(profile, "", "simulation: { horizon: 5y, warmup: 500h, replications: 400, seed: 9 }\n"));
    const double exact = 0.5 * exact_at(4).served + 0.5 * exact_at(9).served;
    test::check_agrees(r.service.served_fraction, exact, exact_at(9).served, "served fraction, two-level profile");
    const double unserved = 0.5 * exact_at(4).unserved_cap + 0.5 * exact_at(9).unserved_cap;
    test::check_agrees(r.capacity_blocks[0].unserved_capacity_h_per_year, unserved * kHoursPerYear,
                       exact_at(9).unserved_cap * kHoursPerYear, "unserved capacity-hours, two-level profile");
    CHECK(r.capacity_blocks[0].mean_demand == Approx(6.5));
}

TEST_CASE("degraded service: the system's served fraction through a series with a load balancer", "[degraded][statistical]") {
    // series(lb, capacity): the system serves min(lb, served), so E = P(lb up) x E[min(1, C / 7)] with the
    // load balancer independent of the servers. The wrong model ignores the load balancer.
    const std::string lb = "  lb: { failure: { mttf: 100h }, repair: { mttr: 5h } }\n";
    const sim::SimulationResults r = test::run_yaml(
        servers_yaml("7", "{ series: [ lb, ", lb + "simulation: { horizon: 5y, replications: 400, seed: 11 }\n"));
    const double a_lb = 100.0 / 105.0;
    const Exact e = exact_at(7);
    test::check_agrees(r.service.served_fraction, a_lb * e.served, e.served, "system served fraction, series with lb");
    // Down (nothing served): the load balancer down or no server up.
    const double down = 1 - a_lb * (1 - e.down);
    test::check_agrees(r.service.state_down, down, e.down, "time with nothing served");
    CHECK(r.capacity_blocks[0].served_fraction.mean > r.service.served_fraction.mean);
}

TEST_CASE("degraded service: the same figures for one and two threads", "[degraded][determinism]") {
    const std::string y = servers_yaml("7.5", "", "simulation: { horizon: 2y, replications: 64, seed: 3 }\n");
    const sim::SimulationResults one = test::run_yaml(y, 1);
    const sim::SimulationResults two = test::run_yaml(y, 2);
    CHECK(one.service.served_fraction.mean == two.service.served_fraction.mean);
    CHECK(one.service.served_fraction.std_error == two.service.served_fraction.std_error);
    CHECK(one.capacity_blocks[0].unserved_capacity_h_per_year.mean == two.capacity_blocks[0].unserved_capacity_h_per_year.mean);
}

TEST_CASE("degraded service: without capacity blocks the served fraction is the availability", "[degraded]") {
    const sim::SimulationResults r = test::run_yaml(
        "components:\n  a: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h } }\nsystem: { parallel: a }\n"
        "simulation: { horizon: 2y, replications: 50, seed: 1 }\n");
    CHECK_FALSE(r.has_capacity);
    CHECK(r.service.served_fraction.mean == Approx(r.availability.mean).epsilon(1e-12));
    CHECK(r.service.degraded_h_per_year.mean == 0);
    CHECK(r.service.unserved_h_per_year.mean == Approx(r.downtime_h_per_year.mean).epsilon(1e-9));
}

TEST_CASE("degraded service: the exact served fraction equals enumeration (closed form to 1e-12)", "[degraded][analytic]") {
    for (const double demand : {1.0, 4.0, 6.5, 7.0, 12.0}) {
        const Model m = io::read_scenario_text(servers_yaml(std::to_string(demand), "", ""), "t.yaml");
        const analytic::ServedExact e = analytic::exact_served(m, m.system_block);
        const Exact x = exact_at(demand);
        INFO("demand " << demand);
        REQUIRE(e.applicable);
        CHECK(std::fabs(e.served - x.served) < 1e-12);
        CHECK(std::fabs(e.degraded - x.degraded) < 1e-12);
        CHECK(std::fabs(e.down - x.down) < 1e-12);
        CHECK(std::fabs(e.unserved_capacity - x.unserved_cap) < 1e-12);
    }
    // The two-level profile: the time average of the levels.
    std::string profile = "{ daily: [";
    for (int h = 0; h < 24; ++h) profile += std::string(h ? ", " : "") + (h >= 2 && h < 14 ? "4" : "9");
    profile += "] }";
    const Model m = io::read_scenario_text(servers_yaml(profile, "", ""), "t.yaml");
    const analytic::ServedExact e = analytic::exact_served(m, m.system_block);
    CHECK(std::fabs(e.served - (0.5 * exact_at(4).served + 0.5 * exact_at(9).served)) < 1e-12);
    // analyze reports it for every capacity block.
    const analytic::AnalyticResults r = analytic::analyze(m);
    REQUIRE(r.served.size() == 1);
    CHECK(r.served[0].served == e.served);
    // Capacities in units of their common divisor: 800 and 400 are 2 and 1 units; demand 1800 needs 4.5 units.
    const Model big = io::read_scenario_text(
        "components:\n  l: { count: 2, capacity: 800, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
        "  s: { count: 2, capacity: 400, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
        "system: { capacity: { of: [l, s], demand: 1800 } }\n", "t.yaml");
    const double a = 100.0 / 110.0;
    // P(C = c) over the 16 states, written out: C = 800 x (large up) + 400 x (small up).
    double served = 0;
    for (int large = 0; large <= 2; ++large) {
        for (int small = 0; small <= 2; ++small) {
            const double pl = (large == 1 ? 2 * a * (1 - a) : large == 2 ? a * a : (1 - a) * (1 - a));
            const double ps = (small == 1 ? 2 * a * (1 - a) : small == 2 ? a * a : (1 - a) * (1 - a));
            served += pl * ps * std::min(1.0, (800.0 * large + 400.0 * small) / 1800.0);
        }
    }
    CHECK(std::fabs(analytic::exact_served(big, big.system_block).served - served) < 1e-12);
}

TEST_CASE("load sharing: three units, demand 2, factor 1, one crew against the birth-death chain", "[degraded][load-sharing][statistical]") {
    // Each unit fails at lambda x (3 / n_up)^1 while n_up units are up, so the tier fails at 3 lambda
    // whatever n_up >= 1 is; one crew repairs at mu. The chain n_up = 3, 2, 1, 0 is birth-death:
    // pi(n - 1) = pi(n) x 3 lambda / mu. Availability (n_up >= 2) = (1 + r) / (1 + r + r^2 + r^3),
    // r = 3 lambda / mu. The wrong model (no load sharing: n_up x lambda) gives 1.3 / 1.366 against
    // 1.3 / 1.417 and lies far outside the interval.
    const double lambda = 1.0 / 100, mu = 1.0 / 10;
    const double r = 3 * lambda / mu;
    const double exact = (1 + r) / (1 + r + r * r + r * r * r);
    const double no_sharing = (1 + r) / (1 + r + r * 2 * lambda / mu + r * 2 * lambda / mu * lambda / mu);
    const std::string y =
        "components:\n  u: { count: 3, crew: field, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
        "repair: { pools: { field: { crews: 1 } } }\n"
        "system: { capacity: { of: u, demand: 2, load_sharing: { factor: 1 } } }\n"
        "simulation: { horizon: 5y, replications: 400, seed: 5 }\n";
    const sim::SimulationResults s = test::run_yaml(y);
    test::check_agrees(s.availability, exact, no_sharing, "load sharing, factor 1");
    // The served fraction of the same chain: n_up / 2 capped at 1.
    const double pi3 = 1 / (1 + r + r * r + r * r * r);
    const double served = pi3 * (1 + r + r * r * 0.5);
    test::check_agrees(s.service.served_fraction, served, exact, "served fraction with load sharing");
    // Factor 0 is no load sharing: the same draws as without the key, bit for bit.
    std::string y0 = y;
    y0.replace(y0.find("factor: 1"), 9, "factor: 0");
    std::string plain = y;
    plain.replace(plain.find(", load_sharing: { factor: 1 }"), std::string(", load_sharing: { factor: 1 }").size(), "");
    CHECK(test::run_yaml(y0).availability.mean == test::run_yaml(plain).availability.mean);
    // The exact served fraction refuses load sharing (simulation only).
    const Model m = io::read_scenario_text(y, "t.yaml");
    CHECK_FALSE(analytic::exact_served(m, m.system_block).applicable);
}

TEST_CASE("capacity-weighted SLO: window downtime counts the unserved share", "[degraded][slo]") {
    // Two pieces: half the demand unserved over [0, 10], all of it over [20, 30].
    const std::vector<std::pair<double, double>> pieces = {{0, 10}, {20, 30}};
    const std::vector<double> shares = {0.5, 1.0};
    sim::DowntimeIndex index;
    index.assign(pieces, &shares);
    CHECK(index.up_to(5) == Approx(2.5));
    CHECK(index.up_to(25) == Approx(10));
    CHECK(index.between(5, 25) == Approx(7.5));
    // The rolling breach time against a brute-force evaluation on a 0.01 h grid; the unweighted count
    // (the wrong model) differs.
    const double length = 15, budget = 6;
    const double exact = sim::rolling_breach_time(pieces, 0, 60, length, budget, &shares);
    double grid = 0;
    for (double t = 0.005; t < 60; t += 0.01) grid += index.between(t - length, t) > budget ? 0.01 : 0.0;
    CHECK(std::fabs(exact - grid) < 0.05);
    CHECK(std::fabs(sim::rolling_breach_time(pieces, 0, 60, length, budget) - exact) > 1.0);
}

TEST_CASE("capacity-weighted SLO: a month burns its budget by the unserved share", "[degraded][slo][statistical]") {
    // One tier whose monthly downtime, capacity-weighted, is the mean unserved hours per month: the
    // mean over months of the weighted window downtime equals the unserved hours per year / 12 (the
    // months of a 365-day year average 730 h), and lies below the 0/1 SLO's figure.
    const std::string base = servers_yaml("7", "", "simulation: { horizon: 3y, replications: 200, seed: 4 }\n");
    const sim::SimulationResults w = test::run_yaml(base + "slo: { target: 99%, window: month, measure: capacity_weighted }\n");
    const sim::SimulationResults plain = test::run_yaml(base + "slo: { target: 99%, window: month }\n");
    REQUIRE(w.slos.size() == 1);
    CHECK(w.slos[0].capacity_weighted);
    CHECK(w.slos[0].downtime_h.mean == Approx(w.service.unserved_h_per_year.mean / 12).epsilon(1e-9));
    CHECK(plain.slos[0].downtime_h.mean == Approx(plain.downtime_h_per_year.mean / 12).epsilon(1e-9));
    CHECK(w.slos[0].downtime_h.mean < plain.slos[0].downtime_h.mean);
    // The rest of the run is the same: the measure changes no draw.
    CHECK(w.availability.mean == plain.availability.mean);
}

TEST_CASE("degraded service: the interval served fraction from an all-up start", "[degraded][analytic]") {
    const Model m = io::read_scenario_text(servers_yaml("7", "", ""), "t.yaml");
    // After the transient: the stationary value.
    const analytic::AvailabilityReference late = analytic::interval_served_reference(m, 5000, 20000);
    REQUIRE(late.applicable);
    CHECK(std::fabs(late.availability - exact_at(7).served) < 1e-12);
    // Over the first 200 h: the time average of E[min(1, C(t) / 7)] with A_i(t) = A + (1 - A) e^-(lambda + mu) t,
    // by the trapezoid rule on a 0.001 h grid here.
    auto served_at = [](double t) {
        double s = 0;
        for (unsigned st = 0; st < 32; ++st) {
            double q = 1;
            int up = 0;
            for (int i = 0; i < 5; ++i) {
                const double lam = 1 / kMttf[i], mu = 1 / kMttr[i];
                const double a = mu / (lam + mu) + lam / (lam + mu) * std::exp(-(lam + mu) * t);
                q *= (st >> i & 1U) ? a : 1 - a;
                up += (st >> i & 1U) ? kCapacity[i] : 0;
            }
            s += q * std::min(1.0, up / 7.0);
        }
        return s;
    };
    double sum = 0;
    const int n = 200000;
    for (int k = 0; k <= n; ++k) sum += (k == 0 || k == n ? 0.5 : 1.0) * served_at(200.0 * k / n);
    const double expected = sum / n;
    const analytic::AvailabilityReference early = analytic::interval_served_reference(m, 0, 200);
    CHECK(std::fabs(early.availability - expected) < 1e-9);
    CHECK(std::fabs(early.availability - exact_at(7).served) > 1e-4);  // the transient matters here
    // Not applicable through a series (the system is not one capacity block).
    const Model lb = io::read_scenario_text(
        servers_yaml("7", "{ series: [ lb, ", "  lb: { failure: { mttf: 100h }, repair: { mttr: 5h } }\n"), "t.yaml");
    CHECK_FALSE(analytic::interval_served_reference(lb, 0, 1000).applicable);
}

TEST_CASE("degraded service: the graded structure function on a k-of-n of capacity blocks", "[degraded][kernel-parts]") {
    // k_of_n 2 of (A, B, x): the largest v such that two children serve at least v.
    const Model m = io::read_scenario_text(
        "components:\n  a: { count: 4, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "  b: { count: 4, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "  x: { failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "blocks:\n  A: { capacity: { of: a, demand: 4 } }\n  B: { capacity: { of: b, demand: 4 } }\n"
        "system: { k_of_n: { k: 2, of: [A, B, x] } }\n", "t.yaml");
    const sim::KernelModel km(m, m.simulation);
    sim::Simulation s(km);
    s.reset_state();
    CHECK(s.served().system_served(s.structure(), 0) == 1.0);
    const int a0 = m.components[0].first_instance, b0 = m.components[1].first_instance, x = m.components[2].first_instance;
    s.flip_instance(a0, true);  // A serves 3/4
    s.flip_instance(b0, true);
    s.flip_instance(b0 + 1, true);  // B serves 1/2
    // A serves 0.75, B 0.5, x 1: the second largest is 0.75 (the system is down in the 0/1 view).
    CHECK(s.structure().root_down());
    CHECK(s.served().system_served(s.structure(), 0) == Approx(0.75));
    s.flip_instance(x, true);  // 0.75, 0.5, 0: 0.5
    CHECK(s.served().system_served(s.structure(), 0) == Approx(0.5));
    s.flip_instance(a0 + 1, true);
    s.flip_instance(a0 + 2, true);
    s.flip_instance(a0 + 3, true);  // 0, 0.5, 0: 0
    CHECK(s.served().system_served(s.structure(), 0) == 0.0);
    s.flip_instance(x, false);  // 0, 0.5, 1: 0.5
    CHECK(s.served().system_served(s.structure(), 0) == Approx(0.5));
}
