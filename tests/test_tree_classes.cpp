// Classes of identical subtrees (analytic/tree_classes.h), which give the interval availability of
// million-component trees: against enumeration of every state, and the interval availability of pairs
// in series against an integral computed here from the closed form of one unit.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "analytic/tree_classes.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"

using namespace nines;
using namespace nines::analytic;

namespace {

Model read(const std::string& yaml) { return io::read_scenario_text(yaml, "t.yaml"); }

// P(system up) and P(system down) by enumerating all 2^n states of the instances.
UpDown enumerate(const StructureGraph& g, const std::vector<UpDown>& unit) {
    const int n = g.instance_count;
    UpDown r{0, 0};
    std::vector<std::uint8_t> leaf(static_cast<std::size_t>(n)), node;
    for (std::uint32_t s = 0; s < (1u << n); ++s) {
        double p = 1;
        for (int i = 0; i < n; ++i) {
            leaf[static_cast<std::size_t>(i)] = (s >> i) & 1u;
            p *= leaf[static_cast<std::size_t>(i)] ? unit[static_cast<std::size_t>(i)].down : unit[static_cast<std::size_t>(i)].up;
        }
        g.evaluate(leaf, node);
        (node[static_cast<std::size_t>(g.root)] ? r.down : r.up) += p;
    }
    return r;
}

}  // namespace

TEST_CASE("tree classes: the root's probabilities equal enumeration of all states", "[analytic][tree]") {
    // Repeated subtrees (a 2-of-3 twice, a pair three times) beside different ones, nested three deep.
    const Model m = read(
        "components:\n"
        "  a: { count: 3, failure: { mttf: 100h }, repair: { mttr: 5h } }\n"
        "  b: { count: 3, failure: { mttf: 100h }, repair: { mttr: 5h } }\n"
        "  p: { count: 2, failure: { mttf: 50h }, repair: { mttr: 9h } }\n"
        "  r: { count: 2, failure: { mttf: 50h }, repair: { mttr: 9h } }\n"
        "  s: { count: 2, failure: { mttf: 50h }, repair: { mttr: 9h } }\n"
        "  x: { failure: { mttf: 70h }, repair: { mttr: 3h } }\n"
        "system: { series: [ { k_of_n: { k: 2, of: a } }, { k_of_n: { k: 2, of: b } },\n"
        "                    { parallel: [ { parallel: p }, { series: [ { parallel: r }, x ] } ] }, { parallel: s } ] }\n");
    const StructureGraph g = StructureGraph::compile(m);
    REQUIRE(g.instance_count == 13);
    // Classes of leaves: instances of a, b share one; p, r, s another; x its own.
    std::vector<int> leaf_class;
    for (const Instance& inst : m.instances) {
        const std::string& name = m.components[static_cast<std::size_t>(inst.component)].name;
        leaf_class.push_back(name == "a" || name == "b" ? 0 : name == "x" ? 2 : 1);
    }
    const TreeClasses tree(g, leaf_class, 3);
    // Leaves 3, gates: 2-of-3 (once for a and b), pair (p, r, s), r-pair series x, parallel, root.
    CHECK(tree.class_count() == 3 + 5);
    for (const std::vector<UpDown>& values : {std::vector<UpDown>{{0.9, 0.1}, {0.7, 0.3}, {0.999, 0.001}},
                                              std::vector<UpDown>{{1e-3, 1 - 1e-3}, {0.5, 0.5}, {0.25, 0.75}}}) {
        std::vector<UpDown> per_instance;
        for (int c : leaf_class) per_instance.push_back(values[static_cast<std::size_t>(c)]);
        const UpDown exact = enumerate(g, per_instance);
        const UpDown got = tree.evaluate(values);
        CHECK(got.up == Approx(exact.up).epsilon(1e-12));
        CHECK(got.down == Approx(exact.down).epsilon(1e-12));
    }
}

TEST_CASE("tree classes: 1000 identical pairs in series are three classes with exact probabilities", "[analytic][tree]") {
    std::string yaml = "components:\n";
    for (int p = 0; p < 1000; ++p) yaml += "  p" + std::to_string(p) + ": { count: 2, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n";
    yaml += "system:\n  series:\n";
    for (int p = 0; p < 1000; ++p) yaml += "    - { parallel: [p" + std::to_string(p) + "] }\n";
    const Model m = read(yaml);
    const StructureGraph g = StructureGraph::compile(m);
    const TreeClasses tree(g, std::vector<int>(static_cast<std::size_t>(g.instance_count), 0), 1);
    CHECK(tree.class_count() == 3);  // a unit, a pair, the series
    const double q = 1e-6;           // small: the down probability must keep its digits
    const UpDown v = tree.evaluate({{1 - q, q}});
    CHECK(v.up == Approx(std::pow(1 - q * q, 1000)).epsilon(1e-13));
    CHECK(v.down == Approx(-std::expm1(1000 * std::log1p(-q * q))).epsilon(1e-12));  // 1e-9, not 1 - 0.999999999
}

TEST_CASE("interval availability of pairs in series equals the integral of its closed form", "[analytic][tree]") {
    // 200 pairs, exponential MTTF 1000 h, MTTR 10 h, from all up over 2000 h: Q(t) = 1 - (1 - q(t)^2)^200 with
    // q(t) = lam / (lam + mu) (1 - exp(-(lam + mu) t)), integrated here by composite Simpson on 200,000 steps.
    auto scenario = [](int pairs) {
        std::string yaml = "components:\n";
        for (int p = 0; p < pairs; ++p) yaml += "  p" + std::to_string(p) + ": { count: 2, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n";
        yaml += "system:\n  series:\n";
        for (int p = 0; p < pairs; ++p) yaml += "    - { parallel: [p" + std::to_string(p) + "] }\n";
        return read(yaml);
    };
    const double lam = 1e-3, mu = 0.1, horizon = 2000;
    auto q_sys = [&](double t) {
        const double q = lam / (lam + mu) * -std::expm1(-(lam + mu) * t);
        return -std::expm1(200 * std::log1p(-q * q));
    };
    const int steps = 200000;
    const double h = horizon / steps;
    double sum = q_sys(0) + q_sys(horizon);
    for (int k = 1; k < steps; ++k) sum += (k % 2 ? 4 : 2) * q_sys(k * h);
    const double exact = sum * h / 3 / horizon;
    const AvailabilityReference ref = interval_availability_reference(scenario(200), 0, horizon);
    REQUIRE(ref.applicable);
    CHECK(ref.exact);
    CHECK(ref.unavailability == Approx(exact).epsilon(1e-9));
    // The check can fail: one pair more changes the answer by far more than the tolerance.
    const AvailabilityReference wrong = interval_availability_reference(scenario(201), 0, horizon);
    CHECK(std::fabs(wrong.unavailability - exact) > 1e-3 * exact);
}

TEST_CASE("interval reference of a tree through its classes equals the BDD's", "[analytic][tree]") {
    // The same structure once as a tree (classes) and once with a component of negligible unavailability
    // (q ~ 1e-19) used twice, which makes it shared and sends it through the BDD; the two references must
    // agree. Several laws and nested gates (a 2-of-3 of series of a unit and a pair): a class numbering
    // that mixed up leaves and gates fails here. Exponential laws take the exact integral, Weibull and
    // lognormal the renewal lattice.
    auto scenario = [](int groups, bool exponential, bool shared) {
        const std::string unit_laws = exponential ? "failure: { mttf: 700h }, repair: { mttr: 9h }"
                                                  : "failure: { weibull: { shape: 1.5, scale: 700h } }, repair: { lognormal: { median: 9h, sigma: 0.5 } }";
        std::string yaml = "components:\n";
        for (int g = 0; g < groups; ++g) {
            const std::string n = std::to_string(g);
            yaml += "  u" + n + ": { count: 3, " + unit_laws + " }\n";
            yaml += "  p" + n + ": { count: 6, failure: { mttf: 300h }, repair: { mttr: 20h } }\n";
        }
        if (shared) yaml += "  z: { failure: { mttf: 100000000y }, repair: { mttr: 1s } }\n";
        yaml += "system:\n  series:\n";
        for (int g = 0; g < groups; ++g) {
            const std::string n = std::to_string(g);
            yaml += "    - { k_of_n: { k: 2, of: [";
            for (int k = 0; k < 3; ++k) {
                yaml += std::string(k ? ", " : "") + "{ series: [ \"u" + n + "[" + std::to_string(k) + "]\", { parallel: [ \"p" + n +
                        "[" + std::to_string(2 * k) + "]\", \"p" + n + "[" + std::to_string(2 * k + 1) + "]\" ] } ] }";
            }
            yaml += "] } }\n";
        }
        if (shared) yaml += "    - { parallel: [z] }\n    - { series: [z] }\n";
        return read(yaml);
    };
    for (bool exponential : {true, false}) {
        INFO((exponential ? "exponential: exact integral" : "Weibull/lognormal: renewal lattice"));
        const AvailabilityReference tree = interval_availability_reference(scenario(20, exponential, false), 0, 4000);
        const AvailabilityReference bdd = interval_availability_reference(scenario(20, exponential, true), 0, 4000);
        REQUIRE(tree.applicable);
        REQUIRE(bdd.applicable);
        CHECK(tree.quantity == bdd.quantity);  // the same method (and lattice)
        CHECK(tree.unavailability == Approx(bdd.unavailability).epsilon(1e-9));
        // The check can fail: 19 groups differ by far more than the tolerance.
        const AvailabilityReference fewer = interval_availability_reference(scenario(19, exponential, false), 0, 4000);
        CHECK(std::fabs(fewer.unavailability - bdd.unavailability) > 1e-3 * bdd.unavailability);
    }
}
