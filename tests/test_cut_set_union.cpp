// The exact probability of a union of cut sets (cut_set_union.h), and the certified lower bound on the
// unavailability that `analyze` gives with it when no diagram of the whole structure fits.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "analytic/analysis.h"
#include "analytic/cut_set_union.h"
#include "analytic/structure_cut_sets.h"
#include "analytic/structure_function.h"
#include "analytic/variable_order.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"
#include "slow_fault_trees.h"
#include "unit_probabilities.h"

using namespace nines;
using namespace nines::analytic;

namespace {

CutSet set_of(std::vector<int> instances) {
    CutSet c;
    c.instances = std::move(instances);
    return c;
}

}  // namespace

TEST_CASE("union of cut sets: solved by hand", "[cutsets][union]") {
    const std::vector<double> q = {0.1, 0.2, 0.3, 0.4};
    const std::vector<double> a = {0.9, 0.8, 0.7, 0.6};
    // Two of a, b, c down: qa qb + qa qc + qb qc - 2 qa qb qc (inclusion-exclusion; the three triple
    // intersections and the pairwise ones are all {a, b, c}). The sum of the three (0.11) would fail.
    const double two_of_three = 0.02 + 0.03 + 0.06 - 2 * 0.006;
    const std::vector<int> rank = {0, 1, 2, 3};
    const auto p = cut_set_union_probability({set_of({0, 1}), set_of({0, 2}), set_of({1, 2})}, a, q, rank, 1000);
    REQUIRE(p.has_value());
    CHECK(std::fabs(*p - two_of_three) < 1e-15);
    // A single event and a disjoint pair: 1 - (1 - qd)(1 - qa qb).
    const auto single = cut_set_union_probability({set_of({3}), set_of({0, 1})}, a, q, {3, 2, 1, 0}, 1000);
    REQUIRE(single.has_value());
    CHECK(std::fabs(*single - (1 - 0.6 * (1 - 0.02))) < 1e-15);
    // No set: nothing can be down.
    CHECK(*cut_set_union_probability({}, a, q, rank, 1000) == 0.0);
    // A diagram over its node limit: no value rather than a wrong one.
    CHECK_FALSE(cut_set_union_probability({set_of({0, 1}), set_of({0, 2}), set_of({1, 2})}, a, q, rank, 3).has_value());
}

TEST_CASE("union of every minimal cut set equals the exact unavailability on the published fault trees",
          "[cutsets][union]") {
    // The union of all minimal cut sets is the structure function itself, so where the family is
    // complete (no set above the order, none dropped by the list's cap) its probability must equal the
    // BDD's. The trees with large unavailabilities (edf9205: 0.21) make the overlaps count: the
    // rare-event sum in its place fails this test.
    int compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NINES_FAULT_TREE_DIR)) {
        if (entry.path().extension() != ".yaml" || slow_structure_route_trees().count(entry.path().filename().string())) continue;
        INFO(entry.path().filename().string());
        const Model m = io::read_scenario_file(entry.path().string());
        const StructureGraph g = StructureGraph::compile(m);
        std::vector<double> a;
        std::vector<double> q;
        instance_probabilities(m, a, q);
        const BddCutSets cuts = structure_minimal_cut_sets(g, q, 6);
        if (!cuts.listed.complete()) continue;
        const std::vector<int> rank =
            variable_levels(g, std::vector<std::uint8_t>(static_cast<std::size_t>(g.node_count), 0), VariableOrder::DepthFirst);
        const auto p = cut_set_union_probability(cuts.listed.sets, a, q, rank, 2'000'000);
        REQUIRE(p.has_value());
        const double exact = StructureFunction::build(g, 20'000'000).evaluate(a, q).unavailability;
        CHECK(std::fabs(*p - exact) <= 1e-12 * exact);
        ++compared;
    }
    CHECK(compared >= 10);
}

TEST_CASE("analyze without a diagram: a certified lower bound on the unavailability", "[cutsets][union][analytic]") {
    const Model tree = io::read_scenario_file(std::string(NINES_FAULT_TREE_DIR) + "/isp9605.yaml");
    // 3,200 nodes: fewer than isp9605's diagrams take, enough for the union of its 101 sets of order <= 4.
    AnalysisOptions small;
    small.bdd_node_limit = 3200;
    small.max_cut_set_order = 3;
    const AnalyticResults order3 = analyze(tree, small);
    small.max_cut_set_order = 4;
    const AnalyticResults r = analyze(tree, small);
    REQUIRE(r.method == "cut sets only");
    REQUIRE(order3.method == "cut sets only");
    REQUIRE(std::isfinite(r.unavailability_lower_bound));
    REQUIRE(std::isfinite(order3.unavailability_lower_bound));
    const double exact = analyze(tree).unavailability;  // 1.3717088054554768e-05, pinned elsewhere
    // Measured: 1.28306e-05 from the 13 sets of order 3, 1.36733e-05 from the 101 of order <= 4.
    CHECK(order3.unavailability_lower_bound <= r.unavailability_lower_bound);
    CHECK(r.unavailability_lower_bound <= exact);
    CHECK(r.unavailability_lower_bound > 0.99 * exact);
    // Not computed exactly, so no importance rows of zeros either.
    CHECK(r.importance.empty());
    CHECK(r.component_importance.empty());

    // Dependent units (one repair crew): the product of unavailabilities is not exact, so no bound
    // (neither the cut sets' lower one nor the conditioning's, probability_bracket.h).
    const Model crews = io::read_scenario_text(
        "components:\n"
        "  a: { failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
        "  b: { failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
        "repair: { crews: 1 }\n"
        "system: { parallel: [a, b] }\n",
        "crews.yaml");
    AnalysisOptions tiny;
    tiny.bdd_node_limit = 2;
    const AnalyticResults d = analyze(crews, tiny);
    REQUIRE(d.method == "cut sets only");
    CHECK(std::isnan(d.unavailability_lower_bound));
    CHECK(std::isnan(d.unavailability_upper_bound));
}

TEST_CASE("analyze a tree whose k-of-n is too wide for its diagram: the closed form, exit 0", "[union][analytic]") {
    // 3 of 6 identical units (q = 10 / 1010) with a node limit below the k-of-n's k (n - k + 1) = 16
    // nodes: once refused (exit 2 on a valid file), now the binomial sum, computed here by hand.
    const Model m = io::read_scenario_text(
        "components:\n"
        "  u: { count: 6, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
        "system: { k_of_n: { k: 3, of: u } }\n",
        "wide.yaml");
    AnalysisOptions tiny;
    tiny.bdd_node_limit = 10;
    const AnalyticResults r = analyze(m, tiny);
    CHECK(r.method == "closed form");
    REQUIRE(r.availability_computed);
    const double q = 10.0 / 1010.0;
    double down = 0;  // fewer than 3 of 6 up: 4, 5 or 6 down
    for (int d = 4; d <= 6; ++d) {
        double choose = 1;
        for (int j = 0; j < d; ++j) choose = choose * (6 - j) / (j + 1);
        down += choose * std::pow(q, d) * std::pow(1 - q, 6 - d);
    }
    CHECK(std::fabs(r.unavailability - down) <= 1e-12 * down);
    CHECK(std::fabs(r.unavailability - analyze(m).unavailability) <= 1e-12 * down);  // the BDD route agrees
    // The rates and importance from the closed forms' derivatives (tree_gradient.h), as on the BDD route.
    CHECK(r.failure_frequency_per_h == Approx(analyze(m).failure_frequency_per_h).epsilon(1e-12));
    CHECK(r.importance.size() == 6);
    CHECK(std::isnan(r.unavailability_lower_bound));  // the exact value is there: no bound
}
