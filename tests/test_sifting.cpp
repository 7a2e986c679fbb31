// Dynamic reordering (src/analytic/sifting_bdd.*, StructureFunction::build_sifted): swaps keep every
// function, sifting finds the known optimum of a classic example, and the structure function built
// with sifting equals the statically ordered one on published fault trees (probability, every
// Birnbaum importance, and the invariants the later passes rely on).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "analytic/component_measures.h"
#include "analytic/sifting_bdd.h"
#include "analytic/structure_function.h"
#include "analytic/variable_order.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"

using namespace nines;
using namespace nines::analytic;

namespace {

// The truth table of f over `n` variables (bit v of the index is variable v), read off the diagram by
// following each assignment: it does not depend on the order, so it must survive any reordering.
std::vector<std::uint8_t> truth_table(const SiftingBdd& s, SiftingBdd::Ref f, int n) {
    std::vector<std::uint8_t> t(std::size_t{1} << n);
    for (std::size_t x = 0; x < t.size(); ++x) {
        SiftingBdd::Ref r = f;
        while (r > 1) r = ((x >> s.var(r)) & 1u) ? s.high(r) : s.low(r);
        t[x] = static_cast<std::uint8_t>(r);
    }
    return t;
}

// Nodes reachable from the roots, checking on the way that every child sits at a deeper level.
std::size_t checked_size(const SiftingBdd& s, const std::vector<SiftingBdd::Ref>& roots) {
    std::vector<std::uint8_t> seen(s.capacity(), 0);
    std::vector<SiftingBdd::Ref> work(roots.begin(), roots.end());
    std::size_t count = 0;
    while (!work.empty()) {
        const SiftingBdd::Ref n = work.back();
        work.pop_back();
        if (n < 2 || seen[static_cast<std::size_t>(n)]) continue;
        seen[static_cast<std::size_t>(n)] = 1;
        ++count;
        REQUIRE(s.level(s.low(n)) > s.level(n));
        REQUIRE(s.level(s.high(n)) > s.level(n));
        REQUIRE(s.low(n) != s.high(n));
        work.push_back(s.low(n));
        work.push_back(s.high(n));
    }
    return count;
}

}  // namespace

TEST_CASE("sifting keeps random functions and their canonical form", "[analytic][sifting]") {
    // Random and/or/ite combinations of 9 variables, several roots sharing nodes; after sifting, each
    // truth table is unchanged and the diagram holds exactly the reachable nodes (no duplicates: a swap
    // that forgot to relabel a node or to re-link its children fails the truth tables; one that left
    // a dead node behind fails the count).
    constexpr int n = 9;
    std::mt19937 rng(15);
    for (int round = 0; round < 20; ++round) {
        SiftingBdd s(n, 100000);
        std::vector<SiftingBdd::Ref> pool;
        for (int v = 0; v < n; ++v) {
            pool.push_back(s.variable(v));
            s.ref(pool.back());
        }
        for (int k = 0; k < 30; ++k) {
            auto pick = [&]() { return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)]; };
            const int op = std::uniform_int_distribution<int>(0, 2)(rng);
            const SiftingBdd::Ref f = op == 0 ? s.and_(pick(), pick()) : op == 1 ? s.or_(pick(), pick()) : s.ite(pick(), pick(), pick());
            s.ref(f);
            pool.push_back(f);
        }
        std::vector<std::vector<std::uint8_t>> before;
        for (SiftingBdd::Ref f : pool) before.push_back(truth_table(s, f, n));
        s.collect();
        const std::size_t size_before = s.size();
        REQUIRE(checked_size(s, pool) == size_before);
        s.sift(SiftingBdd::SiftLimits{});
        CHECK(s.size() <= size_before);  // sifting keeps the best order it saw, the first one included
        REQUIRE(checked_size(s, pool) == s.size());
        for (std::size_t i = 0; i < pool.size(); ++i) CHECK(truth_table(s, pool[i], n) == before[i]);
        // The diagrams still answer new operations under the new order.
        const SiftingBdd::Ref g = s.and_(pool[n], pool[n + 1]);
        std::vector<std::uint8_t> expected(before[n].size());
        for (std::size_t x = 0; x < expected.size(); ++x) expected[x] = before[n][x] & before[n + 1][x];
        CHECK(truth_table(s, g, n) == expected);
    }
}

TEST_CASE("sifting finds the linear order of x0 y0 + x1 y1 + x2 y2 + x3 y3", "[analytic][sifting]") {
    // Ordered x0 x1 x2 x3 y0 y1 y2 y3 the diagram has 2^5 - 2 = 30 nodes; with each xi next to its yi it
    // has 8, the optimum (each variable tested once per level). Sifting from the bad order reaches it.
    SiftingBdd s(8, 1000);
    SiftingBdd::Ref f = SiftingBdd::kFalse;
    s.ref(f);
    for (int i = 3; i >= 0; --i) {
        const SiftingBdd::Ref term = s.and_(s.variable(i), s.variable(4 + i));
        const SiftingBdd::Ref next = s.or_(term, f);
        s.ref(next);
        s.deref(f);
        f = next;
    }
    s.collect();
    CHECK(s.size() == 30);
    const std::vector<std::uint8_t> before = truth_table(s, f, 8);
    s.sift(SiftingBdd::SiftLimits{});
    CHECK(s.size() == 8);
    CHECK(checked_size(s, {f}) == 8);
    CHECK(truth_table(s, f, 8) == before);
}

TEST_CASE("sifting stops at its work bound", "[analytic][sifting]") {
    // The same function; sifting it takes well over 10 units of swap work (a swap counts at least 1),
    // so a bound of 10 stops it with its own error (build() then says so in its refusal).
    SiftingBdd s(8, 1000);
    SiftingBdd::Ref f = SiftingBdd::kFalse;
    s.ref(f);
    for (int i = 3; i >= 0; --i) {
        const SiftingBdd::Ref next = s.or_(s.and_(s.variable(i), s.variable(4 + i)), f);
        s.ref(next);
        s.deref(f);
        f = next;
    }
    s.set_swap_work_limit(10);
    CHECK_THROWS_AS(s.sift(SiftingBdd::SiftLimits{}), SiftingWorkLimitError);
    CHECK(s.swap_work() > 10);
    // Without a bound (0) it completes, as before.
    SiftingBdd unbounded(2, 100);
    const SiftingBdd::Ref g = unbounded.and_(unbounded.variable(0), unbounded.variable(1));
    unbounded.ref(g);
    unbounded.sift(SiftingBdd::SiftLimits{});
    CHECK(unbounded.size() == 2);
}

namespace {

std::vector<std::filesystem::path> fault_trees(const std::vector<std::string>& names) {
    std::vector<std::filesystem::path> files;
    for (const std::string& name : names) files.emplace_back(std::string(NINES_FAULT_TREE_DIR) + "/" + name + ".yaml");
    return files;
}

}  // namespace

TEST_CASE("the structure function built with sifting equals the static one", "[analytic][sifting]") {
    // Probability to 1e-12 relative and every Birnbaum importance to 1e-9 on trees with modules, shared events
    // and k-of-n gates, and each module's diagram below its variable (the cut-set and importance passes
    // rely on it). A copy that mapped a variable to the wrong level fails the probabilities.
    for (const auto& path : fault_trees({"baobab1", "Baobab1_split", "Baobab2_split", "baobab3", "das9201", "das9208", "edf9205", "isp9605", "edfpa15r", "Lift"})) {
        INFO(path.filename().string());
        const Model m = io::read_scenario_file(path.string());
        const StructureGraph g = StructureGraph::compile(m);
        std::vector<double> a, q;
        for (const Instance& inst : m.instances) {
            const ComponentMeasures cm = component_measures(m.components[static_cast<std::size_t>(inst.component)]);
            a.push_back(cm.availability);
            q.push_back(cm.mdt_h / (cm.mttf_h + cm.mdt_h));
        }
        const StructureFunction reference = StructureFunction::build(g, 2'000'000, VariableOrder::DepthFirst);
        std::vector<double> birnbaum_ref;
        const auto expected = reference.evaluate_with_birnbaum(a, q, birnbaum_ref);
        for (VariableOrder start : {VariableOrder::DepthFirst, VariableOrder::Force}) {
            const StructureFunction sf = StructureFunction::build_sifted(g, 2'000'000, start);
            CHECK(sf.sifted);
            CHECK(sf.module_count == reference.module_count);
            // Only the final functions are copied: every node but the terminals is live.
            CHECK(sf.live_node_count() + 2 == sf.bdd.size());
            // Children before parents and at deeper levels, as a Bdd built directly (the cut-set
            // construction walks levels; a layout that broke a scope's sifted order fails here).
            for (BddRef n = 2; n < static_cast<BddRef>(sf.bdd.size()); ++n) {
                REQUIRE(sf.bdd.low(n) < n);
                REQUIRE(sf.bdd.high(n) < n);
                REQUIRE(sf.bdd.level(sf.bdd.low(n)) > sf.bdd.level(n));
                REQUIRE(sf.bdd.level(sf.bdd.high(n)) > sf.bdd.level(n));
            }
            for (const StructureFunction::ModuleBinding& b : sf.modules()) {
                std::vector<BddRef> work{b.root};
                std::vector<std::uint8_t> visited(sf.bdd.size(), 0);
                while (!work.empty()) {
                    const BddRef n = work.back();
                    work.pop_back();
                    if (n < 2 || visited[static_cast<std::size_t>(n)]) continue;
                    visited[static_cast<std::size_t>(n)] = 1;
                    REQUIRE(sf.bdd.level(n) > b.level);
                    REQUIRE(n < b.root + 1);
                    work.push_back(sf.bdd.low(n));
                    work.push_back(sf.bdd.high(n));
                }
            }
            std::vector<double> birnbaum;
            const auto got = sf.evaluate_with_birnbaum(a, q, birnbaum);
            CHECK(std::fabs(got.unavailability - expected.unavailability) <= 1e-12 * expected.unavailability);
            CHECK(std::fabs(got.availability - expected.availability) <= 1e-12 * expected.availability);
            REQUIRE(birnbaum.size() == birnbaum_ref.size());
            for (std::size_t i = 0; i < birnbaum.size(); ++i) {
                INFO("instance " << i << ": " << birnbaum[i] << " against " << birnbaum_ref[i]);
                // Differences of node probabilities, summed over other nodes in another diagram: rounding
                // differs more than for P(top), so 1e-9 relative (a wrong level changes the leading digits).
                CHECK(std::fabs(birnbaum[i] - birnbaum_ref[i]) <= 1e-9 * std::fabs(birnbaum_ref[i]));
            }
        }
    }
}
