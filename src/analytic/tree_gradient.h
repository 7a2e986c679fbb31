// The Birnbaum importance of every instance of a tree-shaped structure (every node one parent, nothing
// required: is_tree in analysis.cpp) from the closed forms alone, without the structure's diagram: for
// when that diagram does not fit, as for a k-of-n of 100,000 hosts needing 99,000 up (10^8 nodes).
//
// dA_sys/dA_i is the product, along the path from the root to instance i, of each gate's derivative
// with respect to the child on the path. A gate is down when its children's down weight reaches its
// threshold t, so its derivative with respect to child c (of weight w) is the probability that the
// other children's down weight lies in [t - w, t - 1]: c then decides the gate. Series and parallel
// gates take prefix and suffix products; a gate of identical children the binomial probability (in
// logarithms, for 10^6 children); any other the distribution of the down weight of the children
// before and after c, kept below t.
//
// Complexity: O(children) per series, parallel or identical gate; O(children x t) time and memory for
// the others, refused (nullopt) above kTreeGradientWork.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "analytic/closed_forms.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// Children x threshold above which a gate of unequal children is not differentiated (80 MB of doubles).
inline constexpr std::size_t kTreeGradientWork = 10'000'000;

// Every node's up/down probabilities by the closed forms, bottom up, for independent instances up with
// probability a[i] and down with q[i]; `g` must be a tree (the root's entry is the system's).
std::vector<UpDown> tree_node_values(const StructureGraph& g, const std::vector<double>& a, const std::vector<double>& q);

// dA_sys/dA_i for every instance, from the nodes' values as tree_node_values gives them. nullopt when
// some gate exceeds kTreeGradientWork.
std::optional<std::vector<double>> tree_birnbaum(const StructureGraph& g, const std::vector<UpDown>& value);

}  // namespace nines::analytic
