// Chains with a unit pinned down (importance measures by the Markov chain): the loss of the unit can
// trigger a reconfiguration at the start that never undoes itself (a failover group detects the loss
// and switches away for good), so the start state is transient and the chain is reducible. The
// long-run distribution is then that of the one closed class the start reaches; checked against
// chains written out by hand here, independently of the project's chain builder.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "analytic/chain_importance.h"
#include "analytic/ctmc.h"
#include "analytic/ctmc_builder.h"
#include "analytic/cut_sets.h"
#include "io/scenario_reader.h"
#include "model/error.h"
#include "model/structure_graph.h"
#include "hand_chain.h"

using namespace nines;
using namespace nines::analytic;
using nines::test::stationary;

namespace {

double relative(double x, double y) { return std::fabs(x - y) / std::max(std::fabs(x), std::fabs(y)); }


}  // namespace

TEST_CASE("long-run distribution: a transient start, one closed class; several closed classes refused", "[ctmc][pinned]") {
    // 0 (start, down) -> 1 at rate c; 1 (up) <-> 2 (down) at rates a and b. The start is never seen
    // again: pi = (0, b / (a + b), a / (a + b)).
    const double a = 0.01, b = 0.5, c = 2.0;
    const Ctmc chain(3, {{0, 1, c}, {1, 2, a}, {2, 1, b}}, {0, 1, 0}, 0);
    CHECK_THROWS_AS(chain.steady_state(), UnsupportedError);  // state 0 as reference: no answer
    const std::vector<double> pi = chain.long_run_distribution();
    CHECK(pi[0] == 0.0);
    CHECK(relative(pi[1], b / (a + b)) < 1e-14);
    CHECK(relative(pi[2], a / (a + b)) < 1e-14);
    // The start can end in {1} or in {2}, both absorbing: the limit depends on chance, refused.
    const Ctmc split(3, {{0, 1, c}, {0, 2, c}}, {1, 1, 0}, 0);
    CHECK_THROWS_AS(split.long_run_distribution(), UnsupportedError);
    // Irreducible: the very same numbers as steady_state().
    const Ctmc ring(3, {{0, 1, a}, {1, 2, b}, {2, 0, c}, {1, 0, b}}, {1, 1, 0}, 0);
    CHECK(ring.long_run_distribution() == ring.steady_state());
}

TEST_CASE("importance by the chain in a failover pair: the primary pinned down leaves a transient start",
          "[ctmc][pinned][failover][importance]") {
    // The pair of tests/test_failover.cpp ("failover pair of regions"). With region A pinned down the
    // group starts detecting A's loss (D_A), switches to B and never fails back: only the states with
    // A down and no repair of A are left, and D_A a0b1 (the start) and D_A a0b0 are transient. The
    // closed class, written out here: 0 Sw_B b1 (switching to B), 1 S_B b1 (B serving, the only up
    // state), 2 D_B b0 (B's failure being detected), 3 W b0 (no member up).
    // Without Ctmc::long_run_distribution the pinned chain's steady state (start as reference) has no
    // solution and chain_importance throws "no unique steady state": this test fails.
    const double lb = 1.0 / 800, mb = 1.0 / 8;
    const double de = 1.0 / 0.5, sw = 1.0 / 0.25;
    const std::vector<std::tuple<int, int, double>> closed = {
        {0, 1, sw}, {0, 3, lb},  // B carries; B lost while starting: none up
        {1, 2, lb},              // B fails: detection
        {2, 3, de}, {2, 1, mb},  // detected with nothing up: waiting; B back first: serving again
        {3, 0, mb},              // B back: started
    };
    const std::vector<double> pi = stationary(4, closed);
    const double q_a_down = 1 - pi[1];
    // A never failing: the group serves on A forever (B's failures do not matter): q = 0.
    const std::string text =
        "components:\n"
        "  a: { failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
        "  b: { failure: { mttf: 800h }, repair: { mttr: 8h } }\n"
        "blocks:\n"
        "  region_a: { series: [a] }\n"
        "  region_b: { series: [b] }\n"
        "system: { standby: { of: [region_a, region_b], mode: hot, detect: { exponential: { mean: 30min } },\n"
        "                     switch_time: { exponential: { mean: 15min } }, failback: auto,\n"
        "                     failback_time: { exponential: { mean: 1h } } } }\n";
    const Model m = io::read_scenario_text(text, "pair.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    ChainOptions options;
    options.keep_down_sets = true;
    const BuiltChain built = build_chain(m, g, options);
    const std::vector<double> steady = built.chain.steady_state();
    double Q = 0;
    for (std::size_t s = 0; s < steady.size(); ++s) Q += built.chain.is_up(static_cast<int>(s)) ? 0.0 : steady[s];
    const CutSetList cuts = minimal_cut_sets(g, std::vector<double>(m.instances.size(), 0.01), 4);
    const ChainImportance imp = chain_importance(m, g, built, steady, cuts.sets, cuts.sets, 100000);
    REQUIRE(imp.computed);
    const Importance& a = imp.importance[0];
    REQUIRE(a.name == "a");
    // Birnbaum = A(a never fails) - A(a always down) = 1 - pi(S_B).
    CHECK(relative(a.birnbaum, q_a_down) < 1e-9);
    CHECK(relative(a.raw, q_a_down / Q) < 1e-9);
    CHECK(a.rrw == std::numeric_limits<double>::infinity());
    // Wrong model, rejected by the tolerance above: B alone with no detection or switching.
    CHECK(relative(lb / (lb + mb), q_a_down) > 1e-3);
    // The pinned chain itself: reducible, its start transient (probability 0 in the long run).
    ChainOptions pin;
    pin.pinned = {1, -1};
    const Ctmc pinned = build_chain(m, g, pin).chain;
    CHECK_THROWS_AS(pinned.steady_state(), UnsupportedError);
    const std::vector<double> p = pinned.long_run_distribution();
    CHECK(p[0] == 0.0);
    double q = 0;
    for (std::size_t s = 0; s < p.size(); ++s) q += pinned.is_up(static_cast<int>(s)) ? 0.0 : p[s];
    CHECK(relative(q, q_a_down) < 1e-9);
}
