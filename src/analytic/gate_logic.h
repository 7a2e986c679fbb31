// How each gate kind combines its children in each exact algorithm: the closed form, the BDD and the
// cut-set enumeration (MOCUS). One exhaustive `switch` per algorithm, all in gate_logic.cpp, so a new
// block kind (model/block_kind.h) is handled, or stated as not handled, in one file of this layer:
// the compiler stops there (-Wswitch, warnings are errors) and nowhere else in analytic.
#pragma once

#include <vector>

#include "analytic/bdd.h"
#include "analytic/closed_forms.h"
#include "model/block_kind.h"

namespace nines::analytic {

// The gate's up/down probabilities from its children's (independent children: the closed form is
// used only for structures without shared nodes). `need_up`: StructureGraph::need_up of the gate, in the
// unit of `weights` (StructureGraph::child_weights: the children's edge weights, all 1 unless the block
// weighs them, as a capacity block does). Series and parallel do not depend on positive weights.
UpDown closed_form_gate(GateKind kind, int need_up, const std::vector<UpDown>& children, const std::vector<int>& weights);

// The same with the children given as groups of identical ones (tree_classes.h).
UpDown closed_form_gate(GateKind kind, int need_up, const std::vector<UnitGroup>& groups);

// The gate's "up" function from its children's.
BddRef bdd_gate(Bdd& bdd, GateKind kind, int need_up, const std::vector<BddRef>& children, const std::vector<int>& weights);

// How MOCUS expands a gate's "down" event: the union of its children's cut sets (down when any child
// is), or products over every choice of `threshold` children (down when that many are; with weighted
// children, over every minimal choice whose weight reaches the threshold).
enum class CutSetExpansion { AnyChild, ChildCombinations };
CutSetExpansion cut_set_expansion(GateKind kind);

}  // namespace nines::analytic
