// The system's structure function as BDDs over the raw instance states (shared components and
// requires are exact: each instance is one variable wherever it appears).
//
// Modules (Dutuit & Rauzy 1996): a gate whose descendants are reached from the rest of the structure
// only through it is independent of everything else, so it gets a BDD of its own and appears in its
// parents as one extra variable whose probability is its function's probability. This keeps
// diagrams small for large fault trees. All diagrams live in one manager; a module's nodes are
// created before any node that tests its variable, so probabilities (bottom-up) and Birnbaum
// importances (top-down, adjoints) each remain a single pass over the node array.
#pragma once

#include <vector>

#include "analytic/bdd.h"
#include "analytic/variable_order.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// Node budgets of the automatic variable order choice (see StructureFunction::build): the probe
// (about 30 ms of construction per order), the ranking round (about 0.1 s per order), then the
// middle round (about 1 s per order).
inline constexpr std::size_t kBddProbeBudget = std::size_t{1} << 15;
inline constexpr std::size_t kBddRankBudget = std::size_t{1} << 18;
inline constexpr std::size_t kBddMiddleBudget = std::size_t{1} << 21;
// Nodes (dead ones included) of the last attempt, with dynamic reordering (sifting): on nus9601 it
// fails in about 15 s of CPU at this budget.
inline constexpr std::size_t kBddSiftBudget = std::size_t{1} << 22;
// Work of the sifting's swaps (SiftingBdd::swap_work) in that attempt: the largest published tree
// sifted whole (jbd9601) takes 6.8e7, nus9601 4.7e8 before the node budget stops it; a fleet of 3,000
// hosts in three zones took over 3e9 (minutes) before this bound (about 10 s of CPU at it).
inline constexpr std::uint64_t kBddSiftWorkLimit = 1'000'000'000;

struct StructureFunction {
    Bdd bdd;
    BddRef system_up = Bdd::kFalse;
    std::vector<int> level_of_instance;   // BDD level of each instance
    int module_count = 0;                 // modules besides the root
    VariableOrder order = VariableOrder::DepthFirst;  // the heuristic that gave the levels
    bool sifted = false;  // the levels are `order`'s improved by sifting (dynamic reordering)

    // The structure is first rewritten (fault_tree_preprocessing.h: coalesced gates, modular argument
    // groups); the diagrams are those of the rewritten structure, over the same instances.
    // The variable order is chosen automatically: each heuristic of variable_order_candidates() is
    // tried against kBddProbeBudget nodes, then (most gates built in the round before first) against
    // kBddRankBudget and kBddMiddleBudget; the first diagram that fits is kept. When none fits, the order that built the
    // most gates gets the whole `node_limit`, then the same order improved by sifting gets kBddSiftBudget
    // (and kBddSiftWorkLimit of swap work).
    // Throws BddNodeLimitError when that is not enough.
    static StructureFunction build(const StructureGraph& graph, std::size_t node_limit);
    // With one given variable order (tests compare orders: the probability must not depend on it),
    // on the rewritten structure as above.
    static StructureFunction build(const StructureGraph& graph, std::size_t node_limit, VariableOrder order);
    // With dynamic reordering (sifting) started from `start`, as build() does when no static order fits
    // (tests compare it with the static orders).
    static StructureFunction build_sifted(const StructureGraph& graph, std::size_t node_limit, VariableOrder start);

    // System availability and unavailability for instance availabilities `a` and unavailabilities
    // `q` (indexed by instance; q given separately so that small unavailabilities keep their digits).
    struct Value {
        double availability = 0;
        double unavailability = 0;
    };
    Value evaluate(const std::vector<double>& a, const std::vector<double>& q) const;
    // The same, and the Birnbaum importance dA_sys/dA_i of every instance.
    Value evaluate_with_birnbaum(const std::vector<double>& a, const std::vector<double>& q,
                                 std::vector<double>& birnbaum) const;

    struct ModuleBinding {
        BddRef root;  // the module's function
        int level;    // the variable standing for it in its parents
    };
    // The modules, sorted by root (the minimal cut sets substitute each module's sets for its variable).
    const std::vector<ModuleBinding>& modules() const { return bindings_; }
    // Nodes of the system and module functions (bdd.size() also counts the construction's intermediate
    // results, which stay in the manager).
    std::size_t live_node_count() const { return live_.size(); }

private:
    StructureFunction(int variables, std::size_t node_limit) : bdd(variables, node_limit) {}
    // Builds in a SiftingBdd started from `level`, sifting whenever the diagrams double (as CUDD's
    // automatic reordering does), then copies the final functions into a Bdd under the order found
    // (each scope's variables kept in their sifted relative order, laid out as variable_levels does).
    static StructureFunction build_by_sifting(const StructureGraph& graph, const std::vector<std::uint8_t>& is_module,
                                              const std::vector<int>& level, std::size_t node_limit);
    // Sorts the bindings and lists the live nodes, once every function is built.
    void finish();
    static StructureFunction build_with_levels(const StructureGraph& graph, const std::vector<std::uint8_t>& is_module,
                                               const std::vector<int>& level, std::size_t node_limit,
                                               std::size_t* gates_built);
    // Forward pass: up[n] / down[n] = P(node n true / false), filling in module variables as it goes.
    void forward(const std::vector<double>& a, const std::vector<double>& q, std::vector<double>& p,
                 std::vector<double>& pq, std::vector<double>& up, std::vector<double>& down) const;

    std::vector<ModuleBinding> bindings_;  // sorted by root
    // The non-terminal nodes the system and module functions use, ascending. Intermediate results
    // of the construction stay in the manager, and the passes skip them.
    std::vector<BddRef> live_;
};

}  // namespace nines::analytic
