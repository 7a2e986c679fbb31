// A tree-shaped structure (every node has at most one parent, nothing required) whose subtrees repeat:
// 500,000 identical pairs in series. Subtrees that are the same gate over the same classes of children
// get one class, so the system's A(t) at a time t costs one closed form per class, not per node: the
// interval availability (hundreds of evaluations of A(t)) of a million-component model takes
// milliseconds instead of a minute. Classes of leaves are given by the caller (instances whose
// components have the same laws). A gate's children are symmetric (independent units in series,
// parallel or k-of-n), so a class lists its children's classes sorted, with their multiplicities.
//
// Build: O(nodes log nodes). Evaluate: O(sum over classes of distinct child classes).
#pragma once

#include <vector>

#include "analytic/closed_forms.h"
#include "model/structure_graph.h"

namespace nines::analytic {

class TreeClasses {
public:
    // `leaf_class[i]` in [0, leaf_classes): the class of instance i. The graph must be a tree (is_tree).
    TreeClasses(const StructureGraph& g, const std::vector<int>& leaf_class, int leaf_classes);

    // The root's up/down probabilities given each leaf class's.
    UpDown evaluate(const std::vector<UpDown>& leaf_values) const;

    int class_count() const { return leaf_classes_ + static_cast<int>(gates_.size()); }

private:
    struct GateClass {
        GateKind kind;
        int need_up;
        std::vector<std::pair<int, int>> children;  // (class, multiplicity), sorted by class
    };
    int leaf_classes_;
    int root_class_;
    std::vector<GateClass> gates_;  // class leaf_classes_ + j is gates_[j]; every child class before its parents
};

}  // namespace nines::analytic
