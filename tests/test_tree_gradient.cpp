// Birnbaum importances of tree-shaped structures from the closed forms (tree_gradient.h), checked
// against the BDD's on trees of every gate kind, and the rates `analyze` derives from them when a
// tree's diagram does not fit, against a formula written here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "analytic/analysis.h"
#include "analytic/component_measures.h"
#include "analytic/structure_function.h"
#include "analytic/tree_gradient.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"

using namespace nines;
using namespace nines::analytic;

namespace {

void check_against_bdd(const std::string& text) {
    const Model m = io::read_scenario_text(text, "tree.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    std::vector<double> a;
    std::vector<double> q;
    for (const Instance& inst : m.instances) {
        const ComponentMeasures cm = component_measures(m.components[static_cast<std::size_t>(inst.component)]);
        a.push_back(cm.availability);
        q.push_back(cm.mdt_h / (cm.mttf_h + cm.mdt_h));
    }
    const auto closed = tree_birnbaum(g, tree_node_values(g, a, q));
    REQUIRE(closed.has_value());
    std::vector<double> exact;
    StructureFunction::build(g, 20'000'000).evaluate_with_birnbaum(a, q, exact);
    REQUIRE(closed->size() == exact.size());
    const double largest = *std::max_element(exact.begin(), exact.end());
    REQUIRE(largest > 0);
    for (std::size_t i = 0; i < exact.size(); ++i) {
        INFO(m.instance_name(static_cast<int>(i)) << ": closed form " << (*closed)[i] << ", BDD " << exact[i]);
        CHECK(std::fabs((*closed)[i] - exact[i]) <= 1e-12 * largest);
    }
}

}  // namespace

TEST_CASE("tree Birnbaum importances equal the BDD's for every gate kind", "[tree][analytic]") {
    const std::string units =
        "components:\n"
        "  a: { failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
        "  b: { failure: { mttf: 300h }, repair: { mttr: 30h } }\n"
        "  c: { failure: { mttf: 500h }, repair: { mttr: 5h } }\n"
        "  d: { failure: { mttf: 200h }, repair: { mttr: 20h } }\n"
        "  e: { failure: { mttf: 800h }, repair: { mttr: 40h } }\n"
        "  f: { failure: { mttf: 100h }, repair: { mttr: 25h } }\n"
        "  s: { count: 5, failure: { mttf: 400h }, repair: { mttr: 16h } }\n";
    // Series over a parallel pair and a 2-of-3 of unequal units (the distribution route).
    check_against_bdd(units + "system: { series: [a, { parallel: [b, c] }, { k_of_n: { k: 2, of: [d, e, f] } }] }\n");
    // A 3-of-5 of identical units (the binomial route) in parallel with a series pair.
    check_against_bdd(units + "system: { parallel: [{ k_of_n: { k: 3, of: s } }, { series: [a, b] }] }\n");
    // Nested: a 2-of-3 of gates, each a different kind.
    check_against_bdd(units + "system: { k_of_n: { k: 2, of: [{ series: [a, b] }, { parallel: [c, d] }, "
                              "{ k_of_n: { k: 3, of: s } }] } }\n");
    // A capacity block of unequal weights (the distribution route with weights above 1).
    check_against_bdd(
        "components:\n"
        "  big: { count: 2, capacity: 800, failure: { mttf: 2000h }, repair: { mttr: 24h } }\n"
        "  small: { count: 4, capacity: 400, failure: { mttf: 3000h }, repair: { mttr: 12h } }\n"
        "system: { capacity: { of: [big, small], demand: 1800 } }\n");
    // A capacity block of identical units (the binomial route with a weight above 1).
    check_against_bdd(
        "components:\n"
        "  node: { count: 6, capacity: 300, failure: { mttf: 900h }, repair: { mttr: 30h } }\n"
        "system: { capacity: { of: node, demand: 1000 } }\n");
}

TEST_CASE("a k-of-n of 100,000 units too wide for its diagram: rates from the closed form", "[tree][analytic]") {
    // 99,000 of 100,000 hosts up (about 990 down on average, so the fleet is below k about a third of the
    // time): 10^8 diagram nodes, so `analyze` takes the closed form. For identical units the system fails
    // when one of exactly k up units fails: nu = k lambda P(exactly k up), written here with lgamma.
    const Model m = io::read_scenario_text(
        "components:\n"
        "  host: { count: 100000, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
        "system: { k_of_n: { k: 99000, of: host } }\n",
        "fleet.yaml");
    const AnalyticResults r = analyze(m);
    REQUIRE(r.method == "closed form");
    const double q = 10.0 / 1010.0;
    const double n = 100000, k = 99000;
    const double log_exactly_k = std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1) + k * std::log1p(-q) +
                                 (n - k) * std::log(q);
    const double nu = k / 1000.0 * std::exp(log_exactly_k);
    INFO("analyze: " << r.failure_frequency_per_h << " per h, hand: " << nu);
    CHECK(std::fabs(r.failure_frequency_per_h - nu) <= 1e-9 * nu);
    CHECK(r.mtbf_h == Approx(1 / nu).epsilon(1e-9));
    CHECK(r.mdt_h == Approx(r.unavailability / nu).epsilon(1e-9));
    REQUIRE(r.importance.size() == 100000);
    CHECK(r.importance.front().birnbaum == Approx(r.importance.back().birnbaum).epsilon(1e-12));  // all alike
}

TEST_CASE("a tree forced off its diagram gives the figures of the BDD route", "[tree][analytic]") {
    const Model m = io::read_scenario_text(
        "components:\n"
        "  lb: { count: 2, failure: { mttf: 5000h }, repair: { mttr: 2h } }\n"
        "  web: { count: 6, failure: { mttf: 700h }, repair: { mttr: 6h } }\n"
        "  db: { failure: { mttf: 3000h }, repair: { mttr: 8h } }\n"
        "  replica: { failure: { mttf: 3000h }, repair: { mttr: 8h } }\n"
        "system: { series: [{ parallel: [lb] }, { k_of_n: { k: 4, of: web } }, { parallel: [db, replica] }] }\n",
        "service.yaml");
    AnalysisOptions tiny;
    tiny.bdd_node_limit = 8;  // below the 4-of-6's 12 nodes
    const AnalyticResults closed = analyze(m, tiny);
    const AnalyticResults bdd = analyze(m);
    REQUIRE(closed.method == "closed form");
    CHECK(closed.unavailability == Approx(bdd.unavailability).epsilon(1e-12));
    CHECK(closed.failure_frequency_per_h == Approx(bdd.failure_frequency_per_h).epsilon(1e-12));
    CHECK(closed.mdt_h == Approx(bdd.mdt_h).epsilon(1e-12));
    REQUIRE(closed.importance.size() == bdd.importance.size());
    for (std::size_t i = 0; i < bdd.importance.size(); ++i) {
        CHECK(closed.importance[i].name == bdd.importance[i].name);
        CHECK(closed.importance[i].birnbaum == Approx(bdd.importance[i].birnbaum).epsilon(1e-12));
        CHECK(closed.importance[i].raw == Approx(bdd.importance[i].raw).epsilon(1e-12));
    }
}
