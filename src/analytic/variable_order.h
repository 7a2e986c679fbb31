// BDD variable orders for the structure function, from the shape of the structure alone (static
// heuristics: no reordering of a built diagram).
//
// The variables of a structure function are its instances and its module gates (see
// structure_function.h). Each module is a diagram of its own over disjoint variables, so an order only
// matters inside a module's "scope": the gates reached from it without entering another module, whose
// variables are the instances and sub-module gates at the bottom. Every heuristic orders each scope on
// its own, and a module's own variables are placed right after the module's variable, so a module's
// inputs always follow it (the minimal cut set construction relies on that).
//
// The size of a BDD can differ by orders of magnitude between orders and no static heuristic is best
// on every fault tree, so StructureFunction::build tries several (variable_order_candidates) against a
// growing node budget and keeps the first that fits.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/structure_graph.h"

namespace nines::analytic {

enum class VariableOrder {
    // Instances by first visit in a depth-first walk, children in the order written (the usual
    // fault-tree order: related events end up close together).
    DepthFirst,
    // Depth-first, each gate's children visited lightest first (fewest variable occurrences below),
    // so that small independent parts are finished before a large one spreads its variables.
    WeightedDepthFirst,
    // Post-order with a gate's sub-gates before its own instances (the topological order SCRAM's
    // preprocessor assigns): instances shared deep in the tree come first.
    GatesFirst,
    // FORCE (Aloul, Markov and Sakallah 2003) started from the depth-first order: each gate and its
    // children form a net, every node moves to the mean centre of its nets, and the order is the rank
    // of the positions; repeated, keeping the order of least total span of the nets.
    Force,
};

// Name for messages and tables ("depth-first", ...).
std::string variable_order_name(VariableOrder order);

// The heuristics StructureFunction::build tries, in the order it tries them.
const std::vector<VariableOrder>& variable_order_candidates();

// The BDD level of every node of `g` that is a variable (an instance, or a gate with is_module[n] = 1),
// -1 for the others. Levels are 0 .. (instances + modules - 1); instances the root does not reach come
// last. The root is never a variable (is_module[root] must be 0).
std::vector<int> variable_levels(const StructureGraph& g, const std::vector<std::uint8_t>& is_module, VariableOrder order);

// Levels laid out scope by scope: the root's scope first, in the order `scope_of(gate)` gives a scope's
// variables, each module's scope right after the module's variable (depth first), then the instances
// the root does not reach; -1 for nodes that are not variables. variable_levels uses it with each
// heuristic's scope order, and the sifted build with the order sifting found.
std::vector<int> levels_by_scope(const StructureGraph& g, const std::function<std::vector<int>(int)>& scope_of);

}  // namespace nines::analytic
