// Rewriting of the structure before its BDD is built (as fault-tree engines do: Rauzy's Aralia,
// SCRAM's preprocessor): an equivalent structure whose BDDs are smaller, never a different function.
//
// 1. Pass-through and duplicate arguments: a series or parallel gate lists each child once, and a
//    gate left with one child is replaced by that child in its parents.
// 2. Coalescing: a series child of a series gate (a parallel child of a parallel gate) that has no
//    other parent gives its children to its parent (fewer intermediate diagrams, and 3. sees the
//    arguments side by side).
// 3. Modular argument groups: the children of a series or parallel gate whose descendants nobody
//    outside the gate reaches, and which share nothing with the gate's other children, are gathered
//    under a new gate of the same kind (children that share descendants with one another under a gate
//    of their own first). Each new gate is a module (structure_function.h): one variable in its
//    parent's diagram, its own small diagram instead of a part of a large one.
//
// The instances keep their node numbers (0 .. instance_count - 1), so levels and cut sets stay
// indexed by instance; gates are renumbered. k-of-n, capacity and standby gates are kept as they are
// (they are not associative), though their children are rewritten.
//
// Complexity: O(nodes + edges log edges).
#pragma once

#include "model/structure_graph.h"

namespace nines::analytic {

// The rewritten structure: instance_count, node_count, root, kind, threshold, child_begin, children,
// weight and gate_order are filled (what the BDD construction and module detection read); the
// parents, block_node and effective_node lists are left empty (they name the original gates).
StructureGraph preprocess_for_bdd(const StructureGraph& g);

}  // namespace nines::analytic
