// The distance to the nearest cut set: how many further unit failures would bring the system down.
// Importance splitting uses it as its importance function (sim/splitting.h); failure biasing by
// uniformisation biases the failures that lower it (sim/uniformised_biasing.h).
#pragma once

#include <cstdint>
#include <vector>

#include "model/structure_graph.h"

namespace nines::sim {

// For a leaf 0 when down, 1 when up; for a gate that fails when `threshold` of its children are down,
// the sum of its `threshold` smallest child distances (0 when down). Equal to min over minimal cut sets
// of (members still up) when no instance is shared between branches, an upper bound otherwise.
// `node_down` as StructureState keeps it; `scratch` is resized as needed and holds every node's
// distance afterwards (index = node).
int distance_to_cut_set(const StructureGraph& g, const std::vector<std::uint8_t>& node_down, std::vector<int>& scratch);

// Which working units would lower the distance if they failed (`closer[i]` = 1), in one pass down the
// graph after one distance pass up it, instead of one distance pass per unit. In a tree a unit's
// failure lowers its leaf by 1, and a gate's distance drops by 1 exactly when a child whose distance
// drops by 1 is among its `threshold` smallest (its distance at most the threshold-th smallest): so a
// unit is closer exactly when every gate on its path to the root is up and takes its child that way.
// When some node has several parents (shared instances, requirements) a drop can reach the root
// along several paths at once, and the one-pass rule is not exact: the graph is then judged unit by
// unit, flipping each in a copy of the state. Returns the distance.
class CloserUnits {
public:
    explicit CloserUnits(const StructureGraph& g);
    int find(const std::vector<std::uint8_t>& node_down, std::vector<std::uint8_t>& closer);
    bool one_pass() const { return tree_; }

private:
    const StructureGraph* g_;
    bool tree_ = true;
    std::vector<int> distance_, scratch_;
    std::vector<std::uint8_t> taken_;  // per node: a drop of 1 here lowers the root
};

}  // namespace nines::sim
