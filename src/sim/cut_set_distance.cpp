#include "sim/cut_set_distance.h"

#include <algorithm>

#include "sim/structure_state.h"

namespace nines::sim {

int distance_to_cut_set(const StructureGraph& g, const std::vector<std::uint8_t>& node_down, std::vector<int>& scratch) {
    const auto nodes = static_cast<std::size_t>(g.node_count);
    if (scratch.size() < nodes + g.children.size()) scratch.resize(nodes + g.children.size());  // values, then one gate's children
    for (int i = 0; i < g.instance_count; ++i) scratch[static_cast<std::size_t>(i)] = node_down[static_cast<std::size_t>(i)] ? 0 : 1;
    int* children = scratch.data() + nodes;
    for (int n : g.gate_order) {
        const auto nu = static_cast<std::size_t>(n);
        if (node_down[nu]) {
            scratch[nu] = 0;
            continue;
        }
        const int begin = g.child_begin[nu], count = g.child_count(n), need = g.threshold[nu];
        for (int k = 0; k < count; ++k) children[k] = scratch[static_cast<std::size_t>(g.children[static_cast<std::size_t>(begin + k)])];
        std::nth_element(children, children + (need - 1), children + count);
        int sum = 0;
        std::sort(children, children + need);
        for (int k = 0; k < need; ++k) sum += children[k];
        scratch[nu] = sum;
    }
    return scratch[static_cast<std::size_t>(g.root)];
}

CloserUnits::CloserUnits(const StructureGraph& g) : g_(&g) {
    for (int n = 0; n < g.node_count; ++n) {
        if (g.parent_begin[static_cast<std::size_t>(n) + 1] - g.parent_begin[static_cast<std::size_t>(n)] > 1) tree_ = false;
    }
    taken_.assign(static_cast<std::size_t>(g.node_count), 0);
}

int CloserUnits::find(const std::vector<std::uint8_t>& node_down, std::vector<std::uint8_t>& closer) {
    const StructureGraph& g = *g_;
    const auto units = static_cast<std::size_t>(g.instance_count);
    closer.assign(units, 0);
    const int d = distance_to_cut_set(g, node_down, distance_);
    if (d == 0) return 0;
    if (!tree_) {
        // Flip each working unit and its ancestors' states as StructureState would, then back.
        StructureState state(g);
        for (std::size_t i = 0; i < units; ++i) {
            if (node_down[i]) state.flip(static_cast<int>(i), true);
        }
        for (std::size_t i = 0; i < units; ++i) {
            if (node_down[i]) continue;
            state.flip(static_cast<int>(i), true);
            closer[i] = distance_to_cut_set(g, state.node_down(), scratch_) < d ? 1 : 0;
            state.flip(static_cast<int>(i), false);
        }
        return d;
    }
    std::fill(taken_.begin(), taken_.end(), 0);
    taken_[static_cast<std::size_t>(g.root)] = 1;
    const std::size_t nodes = static_cast<std::size_t>(g.node_count);
    if (scratch_.size() < g.children.size()) scratch_.resize(g.children.size());
    for (auto it = g.gate_order.rbegin(); it != g.gate_order.rend(); ++it) {
        const auto n = static_cast<std::size_t>(*it);
        if (!taken_[n] || node_down[n]) continue;
        const int begin = g.child_begin[n], count = g.child_count(*it), need = g.threshold[n];
        int* values = scratch_.data();
        for (int k = 0; k < count; ++k) values[k] = distance_[static_cast<std::size_t>(g.children[static_cast<std::size_t>(begin + k)])];
        std::nth_element(values, values + (need - 1), values + count);
        const int kth = values[need - 1];
        for (int k = 0; k < count; ++k) {
            const auto c = static_cast<std::size_t>(g.children[static_cast<std::size_t>(begin + k)]);
            if (distance_[c] > 0 && distance_[c] <= kth) taken_[c] = 1;
        }
    }
    for (std::size_t i = 0; i < units && i < nodes; ++i) closer[i] = taken_[i] && !node_down[i] ? 1 : 0;
    return d;
}

}  // namespace nines::sim
