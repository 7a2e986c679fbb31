// Capacity blocks (issue 12): a block up while the summed capacity of its up members meets a demand,
// a weighted k-of-n. Checked against answers computed here without the structure graph: enumeration of
// capacity sums over every combination of member states, and a Markov chain with one repair crew
// written out state by state and solved by Gaussian elimination in this file.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "analytic/cut_sets.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"
#include "sim/demand_schedule.h"
#include "sim/splitting.h"
#include "study/importance_sampling.h"
#include "sim/structure_state.h"
#include "hand_chain.h"
#include "test_support.h"

using namespace nines;
using nines::test::stationary;

namespace {

// Five servers of different sizes and reliabilities; the demand needs 7 of their 12 units.
const int kCapacity[5] = {1, 2, 2, 3, 4};
const double kMttf[5] = {300, 250, 400, 200, 350};
const double kMttr[5] = {10, 20, 15, 25, 30};

std::string five_servers_yaml(double demand, const std::string& extra = "") {
    std::string y = "components:\n";
    for (int i = 0; i < 5; ++i) {
        y += "  s" + std::to_string(i) + ": { capacity: " + std::to_string(kCapacity[i]) + ", failure: { mttf: " +
             std::to_string(kMttf[i]) + "h }, repair: { mttr: " + std::to_string(kMttr[i]) + "h } }\n";
    }
    y += "system: { capacity: { of: [s0, s1, s2, s3, s4], demand: " + std::to_string(demand) + " } }\n" + extra;
    return y;
}

// P(the up servers carry at least `demand`), by enumerating the 2^5 states: no graph, no BDD.
double enumerated_availability(double demand) {
    double total = 0;
    for (unsigned s = 0; s < 32; ++s) {
        double p = 1;
        int up = 0;
        for (int i = 0; i < 5; ++i) {
            const double a = kMttf[i] / (kMttf[i] + kMttr[i]);
            if (s >> i & 1U) {
                p *= a;
                up += kCapacity[i];
            } else {
                p *= 1 - a;
            }
        }
        if (up >= demand) total += p;
    }
    return total;
}


}  // namespace

TEST_CASE("capacity: the graph weighs each member by its capacity", "[capacity]") {
    const Model m = io::read_scenario_text(five_servers_yaml(7), "t.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    REQUIRE(g.weighted);
    CHECK(g.total_weight(g.root) == 12);
    CHECK(g.need_up(g.root) == 7);
    CHECK(g.threshold[static_cast<std::size_t>(g.root)] == 6);  // down when 6 of the 12 units are down
    CHECK(g.kind[static_cast<std::size_t>(g.root)] == GateKind::KOfN);
    // Demand 12 is every member (series), demand 1 any member (parallel); a fractional demand rounds up.
    CHECK(StructureGraph::compile(io::read_scenario_text(five_servers_yaml(12), "t.yaml")).kind.back() == GateKind::Series);
    CHECK(StructureGraph::compile(io::read_scenario_text(five_servers_yaml(0.5), "t.yaml")).kind.back() == GateKind::Parallel);
    CHECK(StructureGraph::compile(io::read_scenario_text(five_servers_yaml(6.2), "t.yaml")).need_up(g.root) == 7);
    // Weights count in units of their greatest common divisor: 800 and 400 are 2 and 1 units of 400, and
    // 1800 needs 5 such units (4.5 rounded up: 4 x 400 = 1600 is short of 1800, 5 x 400 is enough).
    const StructureGraph sized = StructureGraph::compile(io::read_scenario_text(
        "components:\n  large: { count: 2, capacity: 800, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "  small: { count: 4, capacity: 400, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "system: { capacity: { of: [large, small], demand: 1800 } }\n",
        "t.yaml"));
    CHECK(sized.total_weight(sized.root) == 8);
    CHECK(sized.need_up(sized.root) == 5);
    CHECK(sized.child_weights(sized.root) == std::vector<int>{2, 2, 1, 1, 1, 1});
    // Models without capacity blocks keep unit weights (and the kernel its counting loop).
    const Model plain = io::read_scenario_text(
        "components:\n  w: { count: 3, failure: { mttf: 100h }, repair: { mttr: 1h } }\nsystem: { k_of_n: { k: 2, of: w } }\n",
        "t.yaml");
    CHECK_FALSE(StructureGraph::compile(plain).weighted);
}

TEST_CASE("capacity: incremental evaluation equals full evaluation after random flips", "[capacity][property]") {
    // Shared members, nested under series and parallel, requirements: every gate kind with weights.
    const Model m = io::read_scenario_text(
        "components:\n"
        "  zone: { count: 2, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "  big: { count: 3, capacity: 5, requires: [ \"zone[i % 2]\" ], failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "  small: { count: 4, capacity: 2, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "  lb: { count: 2, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "blocks:\n"
        "  pool: { capacity: { of: [big, small], demand: 11.5 } }\n"
        "  burst: { capacity: { of: [\"big[0]\", \"small[3]\", \"small[2]\"], demand: 6 } }\n"
        "system: { series: [ { parallel: [lb] }, { parallel: [pool, { series: [burst, \"zone[0]\"] }] } ] }\n",
        "t.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    REQUIRE(g.weighted);
    sim::StructureState state(g);
    std::vector<std::uint8_t> leaf(static_cast<std::size_t>(g.instance_count), 0), full;
    std::mt19937 rng(12);
    int root_changes = 0;
    for (int step = 0; step < 20000; ++step) {
        const int unit = static_cast<int>(rng() % static_cast<unsigned>(g.instance_count));
        leaf[static_cast<std::size_t>(unit)] ^= 1U;
        if (state.flip(unit, leaf[static_cast<std::size_t>(unit)] != 0)) ++root_changes;
        g.evaluate(leaf, full);
        REQUIRE(state.node_down() == full);
    }
    CHECK(root_changes > 100);  // the walk did reach the root both ways
}

TEST_CASE("capacity: exact availability equals enumeration of capacity sums (closed form and BDD)", "[capacity][analytic]") {
    for (double demand : {1.0, 4.0, 6.5, 7.0, 9.0, 12.0}) {
        const double exact = enumerated_availability(demand);
        INFO("demand " << demand);
        // No shared members: the closed form (a weighted k-of-n of independent units).
        const analytic::AnalyticResults closed = analytic::analyze(io::read_scenario_text(five_servers_yaml(demand), "t.yaml"));
        CHECK(std::fabs(closed.availability - exact) <= 1e-9 * exact);
        CHECK(std::fabs(closed.unavailability - (1 - exact)) <= 1e-9 * std::max(1e-3, 1 - exact));
    }
    // The same block twice in series shares its members: the BDD, which must see one set of states.
    const std::string shared = five_servers_yaml(7) + "blocks:\n  pool: { capacity: { of: [s0, s1, s2, s3, s4], demand: 7 } }\n";
    std::string twice = shared;
    twice.replace(twice.find("system:"), twice.find('\n', twice.find("system:")) - twice.find("system:"),
                  "system: { series: [pool, pool] }");
    const analytic::AnalyticResults bdd = analytic::analyze(io::read_scenario_text(twice, "t.yaml"));
    CHECK(bdd.method == "BDD");
    CHECK(std::fabs(bdd.availability - enumerated_availability(7)) <= 1e-9);
    // A deliberately wrong law (the unweighted 3-of-5 the block is not) differs by far more than 1e-9.
    CHECK(std::fabs(bdd.availability - enumerated_availability(3)) > 1e-3);
}

TEST_CASE("capacity: minimal cut sets are the minimal member sets whose loss leaves less than the demand", "[capacity][cut-sets]") {
    // Capacities 1, 2, 2, 3, 4 (total 12), demand 7: down when at least 6 units are lost.
    const Model m = io::read_scenario_text(five_servers_yaml(7), "t.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    const analytic::CutSetList cuts = analytic::minimal_cut_sets(g, std::vector<double>(5, 0.1), 5, 1000, 0);
    std::vector<std::vector<int>> sets;
    for (const analytic::CutSet& c : cuts.sets) sets.push_back(c.instances);
    std::sort(sets.begin(), sets.end());
    // By hand: {s3,s4} = 7; {s1,s4} = {s2,s4} = 6; {s1,s2,s3} = 7; {s0,s1,s3} = {s0,s2,s3} = 6; s0 with s4
    // (5) needs more, but {s0,s4,x} contains {s1|s2|s3, s4} already.
    const std::vector<std::vector<int>> expected = {{0, 1, 3}, {0, 2, 3}, {1, 2, 3}, {1, 4}, {2, 4}, {3, 4}};
    CHECK(sets == expected);
}

TEST_CASE("capacity: the Markov chain with one repair crew equals a chain solved here", "[capacity][ctmc]") {
    // Three servers (capacities 1, 2, 3), demand 3, one crew repairing in order of failure. The chain's
    // state is the queue of failed servers in failure order (head in repair): 1 + 3 + 6 + 6 = 16 states.
    const int cap[3] = {1, 2, 3};
    const double lam[3] = {1.0 / 100, 1.0 / 150, 1.0 / 80};
    const double mu[3] = {1.0 / 5, 1.0 / 8, 1.0 / 4};
    std::vector<std::vector<int>> states{{}};
    for (std::size_t at = 0; at < states.size(); ++at) {
        for (int i = 0; i < 3; ++i) {
            if (std::find(states[at].begin(), states[at].end(), i) != states[at].end()) continue;
            std::vector<int> next = states[at];
            next.push_back(i);
            if (std::find(states.begin(), states.end(), next) == states.end()) states.push_back(next);
        }
    }
    REQUIRE(states.size() == 16);
    auto index = [&](const std::vector<int>& s) {
        return static_cast<std::size_t>(std::find(states.begin(), states.end(), s) - states.begin());
    };
    std::vector<std::vector<double>> q(16, std::vector<double>(16, 0.0));
    for (std::size_t from = 0; from < 16; ++from) {
        const std::vector<int>& s = states[from];
        for (int i = 0; i < 3; ++i) {
            if (std::find(s.begin(), s.end(), i) != s.end()) continue;
            std::vector<int> next = s;
            next.push_back(i);
            q[from][index(next)] += lam[i];
        }
        if (!s.empty()) q[from][index(std::vector<int>(s.begin() + 1, s.end()))] += mu[s.front()];
        for (std::size_t to = 0; to < 16; ++to) {
            if (to != from) q[from][from] -= q[from][to];
        }
    }
    const std::vector<double> pi = stationary(q);
    double availability = 0;
    for (std::size_t k = 0; k < 16; ++k) {
        int up = 6;
        for (int i : states[k]) up -= cap[i];
        if (up >= 3) availability += pi[k];
    }
    std::string y = "components:\n";
    for (int i = 0; i < 3; ++i) {
        y += "  s" + std::to_string(i) + ": { capacity: " + std::to_string(cap[i]) + ", crew: field, failure: { mttf: " +
             std::to_string(1 / lam[i]) + "h }, repair: { mttr: " + std::to_string(1 / mu[i]) + "h } }\n";
    }
    y += "repair: { pools: { field: { crews: 1 } } }\nsystem: { capacity: { of: [s0, s1, s2], demand: 3 } }\n";
    const analytic::AnalyticResults r = analytic::analyze(io::read_scenario_text(y, "t.yaml"));
    INFO(r.method << ": " << r.method_reason);
    CHECK(r.method == "CTMC");
    CHECK(std::fabs(r.availability - availability) <= 1e-9);
    CHECK(std::fabs(r.unavailability - (1 - availability)) <= 1e-9 * (1 - availability));
}

TEST_CASE("capacity: simulation agrees with the weighted k-of-n within 4 standard errors", "[capacity][statistical]") {
    // Fixed seed; the tolerance is the run's own standard error. The wrong model, demand 6 instead of 7,
    // differs by about 20 standard errors, so the check can fail.
    const sim::SimulationResults r = test::run_yaml(
        five_servers_yaml(7, "simulation: { horizon: 5y, replications: 400, seed: 7 }\n"));
    const double exact = enumerated_availability(7);
    test::check_agrees(r.availability, exact, enumerated_availability(6), "capacity block, demand 7");
}

// ---- Demand profiles -------------------------------------------------------------------------------

namespace {

// Twelve hours at demand 4 (02:00 to 13:59) and twelve at 9, repeating daily.
std::string two_level_yaml(const std::string& extra = "") {
    std::string y = five_servers_yaml(7, extra);
    std::string profile = "{ daily: [";
    for (int h = 0; h < 24; ++h) profile += std::string(h ? ", " : "") + (h >= 2 && h < 14 ? "4" : "9");
    profile += "] }";
    const std::string from = "demand: " + std::to_string(7.0);
    y.replace(y.find(from), from.size(), "demand: " + profile);
    return y;
}

}  // namespace

TEST_CASE("demand profiles: the reader's hourly steps and the cosine law", "[capacity][profile]") {
    const Model two = io::read_scenario_text(two_level_yaml(), "t.yaml");
    const Block& b = two.blocks[static_cast<std::size_t>(two.system_block)];
    REQUIRE(b.demand_profile.size() == 24);
    CHECK(b.demand == 9);  // the peak: what the members must be able to carry
    CHECK(b.demand_profile[1] == 9);
    CHECK(b.demand_profile[2] == 4);
    // { peak, trough, peak_at }: T + (P - T) (1 + cos(2 pi (h + 0.5 - peak_at) / 24)) / 2 at each hour h.
    std::string y = five_servers_yaml(7);
    y.replace(y.find("demand: 7.000000"), std::string("demand: 7.000000").size(), "demand: { peak: 10, trough: 3, peak_at: \"14:30\" }");
    const Model cosine = io::read_scenario_text(y, "t.yaml");
    const std::vector<double>& d = cosine.blocks[static_cast<std::size_t>(cosine.system_block)].demand_profile;
    REQUIRE(d.size() == 24);
    CHECK(d[14] == Approx(10).epsilon(1e-12));  // the hour whose middle is the peak
    CHECK(d[2] == Approx(3).epsilon(1e-12));    // twelve hours later: the trough
    CHECK(d[20] == Approx(3 + 7 * (1 + std::cos(2 * M_PI * 6 / 24)) / 2).epsilon(1e-12));
}

TEST_CASE("demand profiles: a two-level profile equals the time-weighted exact value", "[capacity][profile][statistical]") {
    const double exact = 0.5 * enumerated_availability(4) + 0.5 * enumerated_availability(9);
    const analytic::AnalyticResults r = analytic::analyze(io::read_scenario_text(two_level_yaml(), "t.yaml"));
    CHECK(std::fabs(r.availability - exact) <= 1e-9);
    CHECK(std::fabs(r.unavailability - (1 - exact)) <= 1e-9);
    // The simulation steps the demand at 02:00 and 14:00 of every day. Fixed seed; tolerance from its own
    // standard error; the wrong model (the peak demand all day) lies far outside it.
    const sim::SimulationResults s =
        test::run_yaml(two_level_yaml("simulation: { horizon: 5y, warmup: 500h, replications: 400, seed: 7 }\n"));
    test::check_agrees(s.availability, exact, enumerated_availability(9), "two-level daily profile");
    // A weekly profile with the same two levels, 84 hours each, gives the same average.
    std::string y = five_servers_yaml(7, "simulation: { horizon: 5y, warmup: 500h, replications: 400, seed: 8 }\n");
    std::string weekly = "{ weekly: [";
    for (int h = 0; h < 168; ++h) weekly += std::string(h ? ", " : "") + (h < 84 ? "9" : "4");
    weekly += "] }";
    y.replace(y.find("demand: 7.000000"), std::string("demand: 7.000000").size(), "demand: " + weekly);
    CHECK(std::fabs(analytic::analyze(io::read_scenario_text(y, "t.yaml")).availability - exact) <= 1e-9);
    test::check_agrees(test::run_yaml(y).availability, exact, enumerated_availability(9), "two-level weekly profile");
}

TEST_CASE("demand profiles: the kernel's thresholds follow the demand, hour by hour", "[capacity][profile]") {
    const Model m = io::read_scenario_text(two_level_yaml(), "t.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    sim::StructureState state(g);
    // Down s3 and s4 (capacity 7 of 12 lost, 5 left): up at demand 4, down at demand 9.
    state.set_threshold(g.root, 12 - 4 + 1);
    CHECK_FALSE(state.flip(3, true));
    CHECK_FALSE(state.flip(4, true));
    CHECK(state.set_threshold(g.root, 12 - 9 + 1));  // the demand rises: the root goes down
    CHECK(state.root_down());
    CHECK(state.set_threshold(g.root, 12 - 4 + 1));  // and falls: up again
    CHECK_FALSE(state.root_down());
    CHECK_FALSE(state.set_threshold(g.root, 12 - 5 + 1));  // 5 carried, 5 needed: still up
}

TEST_CASE("DemandSchedule: change hours and thresholds of a profile", "[capacity][profile][kernel-parts]") {
    const Model m = io::read_scenario_text(two_level_yaml(), "t.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    const sim::DemandSchedule d(m, g);
    REQUIRE_FALSE(d.empty());
    CHECK(d.period_h() == 24);
    CHECK(d.change_hours() == std::vector<int>{2, 14});  // 9 -> 4 at 02:00, 4 -> 9 at 14:00
    CHECK(d.threshold(0, 0) == 12 - 9 + 1);
    CHECK(d.threshold(2, 0) == 12 - 4 + 1);
    CHECK(d.threshold(13, 0) == 12 - 4 + 1);
    CHECK(d.threshold(14, 0) == 12 - 9 + 1);
    // A constant demand needs no schedule; a profile whose steps stay within one unit changes nothing.
    CHECK(sim::DemandSchedule(io::read_scenario_text(five_servers_yaml(7), "t.yaml"), g).empty());
    std::string flat = five_servers_yaml(7);
    std::string profile = "{ daily: [";
    for (int h = 0; h < 24; ++h) profile += std::string(h ? ", " : "") + (h % 2 ? "6.2" : "6.9");
    profile += "] }";
    flat.replace(flat.find("demand: 7.000000"), std::string("demand: 7.000000").size(), "demand: " + profile);
    const Model fm = io::read_scenario_text(flat, "t.yaml");
    const sim::DemandSchedule fd(fm, StructureGraph::compile(fm));
    CHECK_FALSE(fd.empty());
    CHECK_FALSE(fd.has_changes());
}

TEST_CASE("capacity: the rare-event methods refuse what they do not model yet", "[capacity][bad-input]") {
    // Importance sampling's chain has a fixed structure (no demand profile); splitting's importance
    // function counts children (no weights). Each says so instead of estimating the wrong system.
    const Model profiled = io::read_scenario_text(two_level_yaml(), "t.yaml");
    CHECK_THROWS_AS(study::estimate_unavailability_by_importance(profiled, study::ImportanceSettings{}), UnsupportedError);
    const Model weighted = io::read_scenario_text(five_servers_yaml(7), "t.yaml");
    CHECK_THROWS_AS(sim::estimate_by_splitting(weighted, sim::SplittingSettings{}), UnsupportedError);
}
