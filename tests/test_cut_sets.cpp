// Minimal cut sets from the BDD (ZBDD) against two independent answers: brute force over every state
// of small structures (random ones with shared components and modules, and the small published
// fault trees), and the top-down expansion (MOCUS) on every published fault tree it finishes on.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "analytic/bdd_cut_sets.h"
#include "analytic/cut_sets.h"
#include "analytic/structure_function.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"

using namespace nines;
using namespace nines::analytic;

namespace {

using Sets = std::set<std::vector<int>>;

std::vector<double> unavailabilities(const Model& m) {
    std::vector<double> q;
    for (const Instance& inst : m.instances) {
        const Component& c = m.components[static_cast<std::size_t>(inst.component)];
        q.push_back(c.repair->mean() / (c.failure.mean() + c.repair->mean()));
    }
    return q;
}

// Every minimal cut set by brute force: a failed set is a cut set when the system is down with exactly
// those instances down; it is minimal when bringing any one of them back up brings the system up
// (enough for a coherent structure).
Sets brute_force_cut_sets(const StructureGraph& g) {
    const int n = g.instance_count;
    std::vector<std::uint8_t> leaf(static_cast<std::size_t>(n)), nodes;
    auto down = [&](std::uint64_t s) {
        for (int i = 0; i < n; ++i) leaf[static_cast<std::size_t>(i)] = (s >> i) & 1u;
        g.evaluate(leaf, nodes);
        return nodes[static_cast<std::size_t>(g.root)] != 0;
    };
    Sets out;
    for (std::uint64_t s = 0; s < (std::uint64_t{1} << n); ++s) {
        if (!down(s)) continue;
        bool minimal = true;
        for (int i = 0; i < n && minimal; ++i) {
            if (((s >> i) & 1u) && down(s & ~(std::uint64_t{1} << i))) minimal = false;
        }
        if (!minimal) continue;
        std::vector<int> set;
        for (int i = 0; i < n; ++i) {
            if ((s >> i) & 1u) set.push_back(i);
        }
        out.insert(set);
    }
    return out;
}

Sets as_sets(const CutSetList& list) {
    Sets out;
    for (const CutSet& c : list.sets) out.insert(c.instances);
    return out;
}

Sets within(const Sets& all, int order) {
    Sets out;
    for (const auto& s : all) {
        if (static_cast<int>(s.size()) <= order) out.insert(s);
    }
    return out;
}

// A random fault tree over `events` components: gates with 2-4 inputs drawn from the events and the
// later gates, so that events and gates are shared (and some gates are modules, some not).
std::string random_tree(std::uint64_t seed, int events, int gates) {
    std::mt19937_64 rng(seed);  // its output is fixed by the standard (unlike the distributions')
    auto draw = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
    std::string y = "components:\n";
    for (int e = 0; e < events; ++e) {
        y += "  e" + std::to_string(e) + ": { failure: { mttf: " + std::to_string(100 + 37 * e) + "h }, repair: { mttr: " +
             std::to_string(5 + 3 * (e % 7)) + "h } }\n";
    }
    y += "blocks:\n";
    std::vector<bool> used(static_cast<std::size_t>(events), false);
    for (int g = gates - 1; g >= 0; --g) {
        const int inputs = 2 + draw(3);
        std::vector<std::string> kids;
        for (int k = 0; k < inputs; ++k) {
            const bool gate = g + 1 < gates && draw(3) == 0;
            std::string name;
            if (gate) {
                name = "g" + std::to_string(g + 1 + draw(gates - g - 1));
            } else {
                const int e = draw(events);
                used[static_cast<std::size_t>(e)] = true;
                name = "e" + std::to_string(e);
            }
            if (std::find(kids.begin(), kids.end(), name) == kids.end()) kids.push_back(name);
        }
        if (g == 0) {  // every event somewhere in the tree
            for (int e = 0; e < events; ++e) {
                if (!used[static_cast<std::size_t>(e)]) kids.push_back("e" + std::to_string(e));
            }
        }
        std::string list;
        for (const std::string& k : kids) list += (list.empty() ? "" : ", ") + k;
        const int kind = kids.size() < 2 ? 0 : draw(3);
        if (kind == 2 && kids.size() >= 3) {
            y += "  g" + std::to_string(g) + ": { k_of_n: { k: " + std::to_string(2 + draw(static_cast<int>(kids.size()) - 2)) +
                 ", of: [" + list + "] } }\n";
        } else {
            y += "  g" + std::to_string(g) + ": { " + (kind == 0 ? "series" : "parallel") + ": [" + list + "] }\n";
        }
    }
    y += "system: g0\n";
    return y;
}

void check_against_brute_force(const Model& m) {
    const StructureGraph g = StructureGraph::compile(m);
    const std::vector<double> q = unavailabilities(m);
    const Sets exact = brute_force_cut_sets(g);
    const StructureFunction sf = StructureFunction::build(g, 1'000'000);
    INFO(sf.module_count << " modules");
    for (int order : {1, 2, 3, g.instance_count}) {
        INFO("order " << order);
        const BddCutSets cuts = bdd_minimal_cut_sets(sf, q, order);
        CHECK(as_sets(cuts.listed) == within(exact, order));
        CHECK(cuts.all_known);
        CHECK(cuts.count_all == Approx(static_cast<double>(exact.size())));
        CHECK(cuts.listed.order_limited == (within(exact, order).size() < exact.size()));
        // Fussell-Vesely sums: over every minimal cut set, and those containing each instance.
        double total = 0;
        std::vector<double> containing(q.size(), 0.0);
        for (const auto& s : exact) {
            double p = 1;
            for (int i : s) p *= q[static_cast<std::size_t>(i)];
            total += p;
            for (int i : s) containing[static_cast<std::size_t>(i)] += p;
        }
        CHECK(cuts.total == Approx(total).epsilon(1e-12));
        for (std::size_t i = 0; i < q.size(); ++i) CHECK(cuts.containing[i] == Approx(containing[i]).epsilon(1e-12).margin(1e-300));
    }
}

}  // namespace

TEST_CASE("ZBDD minimal cut sets equal brute force on random shared fault trees", "[analytic][cut-sets]") {
    // Random structures with shared events: modules substituted into their parents, "without" across
    // shared variables, and the order limit inside the construction all meet here.
    int with_modules = 0;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        INFO("seed " << seed);
        const Model m = io::read_scenario_text(random_tree(seed, 8 + static_cast<int>(seed % 7), 4 + static_cast<int>(seed % 6)), "r.yaml");
        const StructureGraph g = StructureGraph::compile(m);
        with_modules += StructureFunction::build(g, 1'000'000).module_count > 0 ? 1 : 0;
        check_against_brute_force(m);
    }
    CHECK(with_modules >= 10);  // the module substitution was exercised
}

TEST_CASE("ZBDD minimal cut sets equal brute force on the small published fault trees", "[analytic][cut-sets][fault-trees]") {
    int checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NINES_FAULT_TREE_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        const Model m = io::read_scenario_file(entry.path().string());
        if (m.instances.size() > 18) continue;
        INFO(entry.path().filename().string());
        check_against_brute_force(m);
        ++checked;
    }
    CHECK(checked >= 5);
}

TEST_CASE("ZBDD minimal cut sets equal MOCUS's wherever MOCUS finishes", "[analytic][cut-sets][fault-trees]") {
    // The previous default (top-down expansion) is an independent algorithm: where it completes
    // within its work bound, both must list exactly the same sets, with the same probabilities.
    int compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NINES_FAULT_TREE_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        const Model m = io::read_scenario_file(entry.path().string());
        if (m.instances.size() > 200) continue;  // keeps MOCUS's share of the run short
        INFO(entry.path().filename().string());
        const StructureGraph g = StructureGraph::compile(m);
        const std::vector<double> q = unavailabilities(m);
        const StructureFunction sf = StructureFunction::build(g, 8'000'000);
        if (sf.bdd.size() > 100'000) continue;  // the large diagrams are for the slow label (bench/)
        for (int order : {2, 4}) {
            const CutSetList mocus = minimal_cut_sets(g, q, order, 200000, 400'000);
            if (mocus.truncated) continue;
            const BddCutSets zbdd = bdd_minimal_cut_sets(sf, q, order, kCutSetZbddNodeLimit, 10'000'000);
            INFO("order " << order << ": " << mocus.sets.size() << " sets by MOCUS");
            REQUIRE(zbdd.listed.sets.size() == mocus.sets.size());
            CHECK(as_sets(zbdd.listed) == as_sets(mocus));
            for (std::size_t k = 0; k < mocus.sets.size(); ++k) {
                CHECK(zbdd.listed.sets[k].probability == Approx(mocus.sets[k].probability).epsilon(1e-12));
            }
            ++compared;
        }
    }
    CHECK(compared >= 20);
}

TEST_CASE("past the ZBDD node limit, the sets up to the order are still exact and F-V is flagged", "[analytic][cut-sets]") {
    // A node limit too small for the whole family but enough for the sets up to order 2.
    const Model m = io::read_scenario_text(random_tree(7, 10, 6), "r.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    const std::vector<double> q = unavailabilities(m);
    const StructureFunction sf = StructureFunction::build(g, 1'000'000);
    const BddCutSets full = bdd_minimal_cut_sets(sf, q, 2);
    REQUIRE(full.all_known);
    const BddCutSets small = bdd_minimal_cut_sets(sf, q, 2, full.zbdd_nodes - 1);
    CHECK_FALSE(small.all_known);
    CHECK(small.listed.order_limited);  // unknown above the order: possible
    CHECK(as_sets(small.listed) == as_sets(full.listed));
    // And the analysis reports the cut-set shares of the exact unavailability: with every set listed,
    // they add up to at least 1 (P(C) summed over the sets bounds P(their union) = Q from above).
    AnalysisOptions all;
    all.max_cut_set_order = g.instance_count;
    const AnalyticResults r = analyze(m, all);
    REQUIRE(r.cut_sets_complete);
    double sum = 0;
    for (const NamedCutSet& c : r.cut_sets) {
        CHECK(c.share == Approx(c.probability / r.unavailability).epsilon(1e-12));
        sum += c.share;
    }
    CHECK(sum >= 1 - 1e-12);
}
