// The Markov chain at scale: lumping of interchangeable units checked against the unlumped chain on
// models with every kind of dependency, against the 36 k-of-n systems solved in rational arithmetic
// (tests/data/kofn_repair_exact.json), and the iterative solver against the sparse LU.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analytic/analysis.h"
#include "analytic/chain_importance.h"
#include "analytic/ctmc.h"
#include "analytic/ctmc_builder.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"
#include "hand_chain.h"

using namespace nines;
using namespace nines::analytic;

namespace {

Model read(const std::string& yaml) { return io::read_scenario_text(yaml, "t.yaml"); }

BuiltChain chain_of(const Model& m, bool lump) {
    ChainOptions options;
    options.lump = lump;
    return build_chain(m, StructureGraph::compile(m), options);
}

double relative(double x, double y) { return std::fabs(x - y) / std::max(std::fabs(x), std::fabs(y)); }

// The lumped and the unlumped chain must give the same steady state, failure frequency, MTTF and
// interval availability; the lumped one must be smaller.
void check_lumping_exact(const std::string& yaml, int lumped_states) {
    const Model m = read(yaml);
    const BuiltChain full = chain_of(m, false), lumped = chain_of(m, true);
    INFO(describe_chain(full) << " vs " << describe_chain(lumped));
    CHECK(lumped.chain.states() == lumped_states);
    CHECK(lumped.chain.states() < full.chain.states());
    const std::vector<double> pf = full.chain.steady_state(), pl = lumped.chain.steady_state();
    CHECK(relative(full.chain.steady_unavailability(), lumped.chain.steady_unavailability()) < 1e-10);
    CHECK(relative(full.chain.failure_frequency(pf), lumped.chain.failure_frequency(pl)) < 1e-10);
    CHECK(relative(full.chain.mean_time_to_failure(), lumped.chain.mean_time_to_failure()) < 1e-10);
    CHECK(relative(full.chain.interval_availability(0, 300), lumped.chain.interval_availability(0, 300)) < 1e-10);
}

}  // namespace

TEST_CASE("lumped chain equals the unlumped chain", "[ctmc][lumping]") {
    SECTION("k-of-n sharing one pool of two crews with a parallel pair, priorities") {
        check_lumping_exact("components:\n"
                            "  u: { count: 5, failure: { mttf: 100h }, repair: { mttr: 10h }, crew: shop }\n"
                            "  v: { count: 2, failure: { mttf: 200h }, repair: { mttr: 5h }, crew: shop, priority: 1 }\n"
                            "repair: { pools: { shop: { crews: 2 } } }\n"
                            "system: { series: [ { k_of_n: { k: 3, of: u } }, { parallel: [v] } ] }\n", 63);
    }
    SECTION("warm standby, two primaries, start failures, one crew") {
        check_lumping_exact("components:\n  s: { count: 4, failure: { mttf: 100h }, repair: { mttr: 8h } }\n"
                            "repair: { crews: 1 }\n"
                            "system: { standby: { active: 2, of: s, mode: warm, dormant_factor: 0.2, start_success: 90% } }\n", 36);
    }
    SECTION("cold standby and a beta-factor common cause on a parallel group") {
        check_lumping_exact("components:\n  s: { count: 3, failure: { mttf: 100h }, repair: { mttr: 8h } }\n"
                            "  p: { count: 3, failure: { mttf: 50h }, repair: { mttr: 2h } }\n"
                            "repair: { crews: 2 }\n"
                            "common_cause: [ { members: [p], beta: 5% } ]\n"
                            "system: { series: [ { standby: { active: 2, of: s, mode: cold, start_success: 95% } }, "
                            "{ parallel: [p] } ] }\n", 121);
    }
    SECTION("a shock common cause, detection and logistics delays, spares") {
        check_lumping_exact("components:\n"
                            "  a: { count: 4, failure: { mttf: 60h }, repair: { mttr: 4h }, crew: c, spares: parts,"
                            " detect: { exponential: { mean: 1h } }, logistics: { exponential: { mean: 2h } } }\n"
                            "repair: { pools: { c: { crews: 1 } } }\n"
                            "spares: { parts: { stock: 1, lead_time: { exponential: { mean: 30h } } } }\n"
                            "common_cause: [ { members: [a], shock: { exponential: { mean: 2000h } } } ]\n"
                            "system: { k_of_n: { k: 2, of: a } }\n", 105);
    }
}

TEST_CASE("lumping counts units: a k-of-n of 20 identical units with one crew has 21 states", "[ctmc][lumping]") {
    const Model m = read("components:\n  u: { count: 20, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
                         "repair: { crews: 1 }\nsystem: { k_of_n: { k: 17, of: u } }\n");
    const BuiltChain built = chain_of(m, true);
    CHECK(built.chain.states() == 21);
    REQUIRE(built.classes.size() == 1);
    CHECK(built.classes.front().size() == 20);
    // Birth-death chain on the number down j: up rate (20 - j) lam, down rate mu; down when j > 3.
    const double lam = 1e-3, mu = 0.1;
    std::vector<double> w{1.0};
    for (int j = 1; j <= 20; ++j) w.push_back(w.back() * (20 - j + 1) * lam / mu);
    double total = 0, down = 0;
    for (int j = 0; j <= 20; ++j) {
        total += w[static_cast<std::size_t>(j)];
        if (j > 3) down += w[static_cast<std::size_t>(j)];
    }
    CHECK(relative(built.chain.steady_unavailability(), down / total) < 1e-10);
    // Units that are not interchangeable are not lumped: a wrong lumping of u[0] with the others
    // would change the answer, so make u[0] different and check the classes leave it out.
    const Model odd = read("components:\n  u: { count: 3, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n"
                           "  w: { failure: { mttf: 1000h }, repair: { mttr: 20h } }\n"
                           "repair: { crews: 1 }\nsystem: { k_of_n: { k: 2, of: [u, w] } }\n");
    const std::vector<std::vector<int>> classes = interchangeable_classes(odd, StructureGraph::compile(odd));
    CHECK(classes == std::vector<std::vector<int>>{{0, 1, 2}});
}

TEST_CASE("the 36 k-of-n systems with 1..n crews solved in rational arithmetic", "[ctmc][lumping][rare-events]") {
    std::ifstream in(std::string(NINES_TEST_DIR) + "/data/kofn_repair_exact.json");
    REQUIRE(in);
    const nlohmann::json cases = nlohmann::json::parse(in);
    REQUIRE(cases.size() == 36);
    for (const auto& c : cases) {
        const int n = c["n"], k = c["k"], crews = c["crews"];
        const double lam = std::stod(c["lam"].get<std::string>()), mu = c["mu"].get<double>();
        INFO(k << " of " << n << ", lambda " << lam << ", " << crews << " crews");
        const std::string yaml = "components:\n  u: { count: " + std::to_string(n) + ", failure: { mttf: " +
                                 fmt::format("{:.17g}", 1 / lam) + "h }, repair: { mttr: " + fmt::format("{:.17g}", 1 / mu) +
                                 "h } }\nrepair: { crews: " + std::to_string(crews) + " }\n" +
                                 "system: { k_of_n: { k: " + std::to_string(k) + ", of: u } }\n";
        const Model m = read(yaml);
        const AnalyticResults r = analyze(m);
        CHECK(relative(r.unavailability, c["U"].get<double>()) < 1e-9);
        CHECK(relative(r.failure_frequency_per_h, c["failure_frequency"].get<double>()) < 1e-9);
        CHECK(relative(r.mdt_h, c["MDT"].get<double>()) < 1e-9);
        // Lumped: n + 1 states whatever the crews (the queue of identical units is a count).
        CHECK(chain_of(m, true).chain.states() == n + 1);
        // The iterative solver meets the same figures.
        Ctmc iterative = chain_of(m, true).chain;
        iterative.set_solver(CtmcSolver::Iterative);
        CHECK(relative(iterative.steady_unavailability(), c["U"].get<double>()) < 1e-9);
        CHECK(iterative.last_solve().residual <= kIterativeTolerance);
    }
}

TEST_CASE("iterative solver against the sparse LU on a chain of thousands of states", "[ctmc][solver]") {
    // Three classes of units and two shared crews: a chain with queues, thousands of states.
    const Model m = read("components:\n"
                         "  a: { count: 4, failure: { mttf: 300h }, repair: { mttr: 10h }, crew: c }\n"
                         "  b: { count: 3, failure: { mttf: 500h }, repair: { mttr: 20h }, crew: c }\n"
                         "  d: { count: 3, failure: { mttf: 800h }, repair: { mttr: 5h }, crew: c, priority: 1 }\n"
                         "repair: { pools: { c: { crews: 2 } } }\n"
                         "system: { series: [ { k_of_n: { k: 4, of: a } }, { k_of_n: { k: 3, of: b } }, { parallel: [d] } ] }\n");
    Ctmc direct = chain_of(m, true).chain;
    INFO(direct.states() << " states");
    CHECK(direct.states() > 1000);
    direct.set_solver(CtmcSolver::Direct);
    Ctmc iterative = direct;
    iterative.set_solver(CtmcSolver::Iterative);
    const std::vector<double> pd = direct.steady_state(), pi = iterative.steady_state();
    CHECK(iterative.last_solve().solver == "BiCGSTAB+ILUT, Gauss-Seidel");
    CHECK(iterative.last_solve().residual <= kIterativeTolerance);
    double worst = 0;
    for (std::size_t s = 0; s < pd.size(); ++s) {
        if (pd[s] > 1e-250) worst = std::max(worst, relative(pd[s], pi[s]));
    }
    CHECK(worst < 1e-7);  // every state probability, however small, to 7 digits
    CHECK(relative(direct.steady_unavailability(), iterative.steady_unavailability()) < 1e-9);
    CHECK(relative(direct.mean_time_to_failure(), iterative.mean_time_to_failure()) < 1e-9);
}

namespace {

// pi Q = 0, sum(pi) = 1 on a small dense chain (tests/hand_chain.h, independent of the engine).
std::vector<double> stationary(int n, const std::vector<Transition>& rates) {
    std::vector<test::HandRate> hand;
    for (const Transition& t : rates) hand.emplace_back(t.from, t.to, t.rate);
    return test::stationary(n, hand);
}

const Importance& row(const AnalyticResults& r, const std::string& name) {
    for (const Importance& i : r.importance) {
        if (i.name == name) return i;
    }
    FAIL("no importance row for " << name);
    return r.importance.front();
}

}  // namespace

TEST_CASE("importance and cut sets by the Markov chain: a pair sharing one crew, by hand", "[ctmc][importance]") {
    // a, b in parallel, one crew, first come first served. States: 0 both up; 1 a in repair; 2 b in
    // repair; 3 a in repair, b waiting; 4 b in repair, a waiting. Down: 3, 4.
    const double la = 1.0 / 100, ma = 1.0 / 10, lb = 1.0 / 300, mb = 1.0 / 20;
    const std::vector<double> pi = stationary(5, {{0, 1, la}, {0, 2, lb}, {1, 0, ma}, {1, 3, lb}, {2, 0, mb}, {2, 4, la},
                                                  {3, 2, ma}, {4, 1, mb}});
    const double Q = pi[3] + pi[4], qa = pi[1] + pi[3] + pi[4], qb = pi[2] + pi[3] + pi[4];
    // b never fails: the system never goes down. b always down (holding no crew): a alone, la / (la + ma).
    const double q_b_down = la / (la + ma), q_a_down = lb / (lb + mb);
    const AnalyticResults r = analyze(read("components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
                                           "  b: { failure: { mttf: 300h }, repair: { mttr: 20h } }\n"
                                           "repair: { crews: 1 }\nsystem: { parallel: [a, b] }\n"));
    REQUIRE(r.method == "CTMC");
    CHECK(relative(r.unavailability, Q) < 1e-10);
    REQUIRE(r.importance.size() == 2);
    const Importance& a = row(r, "a");
    const Importance& b = row(r, "b");
    CHECK(relative(a.unavailability, qa) < 1e-10);
    CHECK(relative(b.unavailability, qb) < 1e-10);
    CHECK(relative(b.birnbaum, q_b_down) < 1e-10);  // A(b up) - A(b down) = 1 - (1 - q_b_down)
    CHECK(relative(a.birnbaum, q_a_down) < 1e-10);
    CHECK(relative(b.raw, q_b_down / Q) < 1e-10);
    CHECK(std::isinf(b.rrw));
    CHECK(relative(b.criticality, q_b_down * qb / Q) < 1e-10);
    CHECK(relative(a.fussell_vesely, 1.0) < 1e-12);  // the one cut set {a, b} is down whenever the system is
    // The cut set's probability is the joint one (the chain), not the product qa x qb (independence):
    // a model that multiplied would fail here, the two differ by a third.
    REQUIRE(r.cut_sets.size() == 1);
    CHECK(relative(r.cut_sets.front().probability, Q) < 1e-10);
    CHECK(relative(qa * qb, Q) > 0.1);
    // The count the report prints ("1 of order <= 4"): the chain's path left it at 0 once.
    CHECK(r.cut_set_count == 1);
}

TEST_CASE("importance by the lumped chain equals the unlumped chain", "[ctmc][importance][lumping]") {
    // A 2-of-4 with one crew and a beta-factor common cause, in series with a unit of its own crew:
    // class averages (F-V, cut sets, q) on the lumped chain against plain indicators on the full one.
    const Model m = read("components:\n  u: { count: 4, failure: { mttf: 100h }, repair: { mttr: 10h }, crew: c }\n"
                         "  v: { failure: { mttf: 1000h }, repair: { mttr: 30h } }\n"
                         "repair: { pools: { c: { crews: 1 } } }\ncommon_cause: [ { members: [u], beta: 10% } ]\n"
                         "system: { series: [ { k_of_n: { k: 2, of: u } }, v ] }\n");
    const StructureGraph g = StructureGraph::compile(m);
    std::vector<double> q(m.instances.size(), 0.1);
    const CutSetList cuts = minimal_cut_sets(g, q, 10);
    REQUIRE(cuts.complete());
    auto measures = [&](bool lump) {
        ChainOptions options;
        options.lump = lump;
        options.keep_down_sets = true;
        const BuiltChain built = build_chain(m, g, options);
        return chain_importance(m, g, built, built.chain.steady_state(), cuts.sets, cuts.sets, 100000);
    };
    const ChainImportance full = measures(false), lumped = measures(true);
    REQUIRE(full.computed);
    REQUIRE(lumped.computed);
    // Chains with one unit pinned are exact for each unit: the same on both.
    for (std::size_t i = 0; i < full.importance.size(); ++i) {
        INFO(full.importance[i].name);
        CHECK(relative(full.importance[i].birnbaum, lumped.importance[i].birnbaum) < 1e-9);
        CHECK(relative(full.importance[i].raw, lumped.importance[i].raw) < 1e-9);
        CHECK(relative(full.importance[i].rrw, lumped.importance[i].rrw) < 1e-9);
    }
    // Single units of a class differ slightly on the full chain (a shock queues its victims in
    // instance order, so u[0] is repaired first); the lumped chain gives each the class average,
    // exactly. v is in no class.
    double q_full = 0, fv_full = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        q_full += full.importance[i].unavailability / 4;
        fv_full += full.importance[i].fussell_vesely / 4;
        CHECK(relative(lumped.importance[i].unavailability, lumped.importance[0].unavailability) < 1e-12);
    }
    CHECK(relative(q_full, lumped.importance[0].unavailability) < 1e-9);
    CHECK(relative(fv_full, lumped.importance[0].fussell_vesely) < 1e-9);
    CHECK(relative(full.importance[4].unavailability, lumped.importance[4].unavailability) < 1e-9);
    CHECK(relative(full.importance[4].fussell_vesely, lumped.importance[4].fussell_vesely) < 1e-9);
    // Cut sets: {v} alone, and the four triples of u, whose total is the same on both.
    double triples_full = 0, triples_lumped = 0;
    for (std::size_t c = 0; c < cuts.sets.size(); ++c) {
        if (cuts.sets[c].instances.size() == 1) {
            CHECK(relative(full.cut_set_probability[c], lumped.cut_set_probability[c]) < 1e-9);
        } else {
            triples_full += full.cut_set_probability[c];
            triples_lumped += lumped.cut_set_probability[c];
        }
    }
    CHECK(relative(triples_full, triples_lumped) < 1e-9);
}
