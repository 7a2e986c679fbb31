#include "analytic/gate_logic.h"

#include <algorithm>

namespace nines::analytic {

namespace {

bool all_ones(const std::vector<int>& weights) {
    return std::all_of(weights.begin(), weights.end(), [](int w) { return w == 1; });
}

}  // namespace

// A gate is never of kind Instance (leaves are, and no algorithm asks about them); such a node is
// treated as the one-child series gate it would be.

UpDown closed_form_gate(GateKind kind, int need_up, const std::vector<UpDown>& children, const std::vector<int>& weights) {
    switch (kind) {
        case GateKind::Instance:
        case GateKind::Series: return series(children);
        case GateKind::Parallel: return parallel(children);
        // A capacity block is computed as a (weighted) k-of-n (computed_kind); the case is for completeness.
        case GateKind::Capacity:
        case GateKind::KOfN: return all_ones(weights) ? k_of_n(need_up, children) : weighted_k_of_n(need_up, children, weights);
        // No children in the graph, so "up" ({1, 0}) as before the kind was explicit; the closed form is
        // only used for models without dependencies, and a standby group is one.
        case GateKind::Standby: return series(children);
    }
    return series(children);  // not reached: the switch covers every kind
}

// Groups carry no weights: only unweighted trees are grouped into classes (analysis.cpp, tree_classes.h).
UpDown closed_form_gate(GateKind kind, int need_up, const std::vector<UnitGroup>& groups) {
    switch (kind) {
        case GateKind::Instance:
        case GateKind::Series:
        case GateKind::Standby: return series(groups);
        case GateKind::Parallel: return parallel(groups);
        case GateKind::Capacity:
        case GateKind::KOfN: {
            // The recursion over the units one by one (O(n k), as for the ungrouped gate).
            std::vector<UpDown> units;
            for (const UnitGroup& g : groups) units.insert(units.end(), static_cast<std::size_t>(g.count), g.unit);
            return k_of_n(need_up, units);
        }
    }
    return series(groups);  // not reached: the switch covers every kind
}

BddRef bdd_gate(Bdd& bdd, GateKind kind, int need_up, const std::vector<BddRef>& children, const std::vector<int>& weights) {
    BddRef f = Bdd::kTrue;
    // Folding from the last child keeps intermediate diagrams small: children come roughly in
    // level order, so each step adds a node above the accumulated result instead of rebuilding it.
    switch (kind) {
        case GateKind::Instance:
        case GateKind::Series:
        // A standby group has no children in the graph: up (kTrue), as before the kind was explicit. The BDD
        // assumes independent components, which a standby group's are not: analyze uses the CTMC for them.
        case GateKind::Standby:
            f = Bdd::kTrue;
            for (auto k = children.rbegin(); k != children.rend(); ++k) f = bdd.and_(*k, f);
            break;
        case GateKind::Parallel:
            f = Bdd::kFalse;
            for (auto k = children.rbegin(); k != children.rend(); ++k) f = bdd.or_(*k, f);
            break;
        case GateKind::Capacity:
        case GateKind::KOfN:
            f = all_ones(weights) ? bdd.at_least(children, need_up) : bdd.at_least_weighted(children, weights, need_up);
            break;
    }
    return f;
}

CutSetExpansion cut_set_expansion(GateKind kind) {
    switch (kind) {
        case GateKind::Instance:
        case GateKind::Series: return CutSetExpansion::AnyChild;
        // No children in the graph, so no cut set through the group, as before the kind was explicit;
        // the CTMC, not this enumeration, is exact for standby groups.
        case GateKind::Standby: return CutSetExpansion::AnyChild;
        case GateKind::Parallel:
        case GateKind::KOfN:
        case GateKind::Capacity: return CutSetExpansion::ChildCombinations;
    }
    return CutSetExpansion::AnyChild;  // not reached
}

}  // namespace nines::analytic
