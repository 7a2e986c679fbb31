#include "sim/structure_state.h"

#include <algorithm>

namespace nines::sim {

StructureState::StructureState(const StructureGraph& g, bool used) : g_(&g) {
    if (!used) return;
    node_.resize(static_cast<std::size_t>(g.node_count));
    for (int n = 0; n < g.node_count; ++n) {
        Node& node = node_[static_cast<std::size_t>(n)];
        node.threshold = g.threshold[static_cast<std::size_t>(n)];
        const int first = g.parent_begin[static_cast<std::size_t>(n)];
        // Weighted graphs walk the CSR (they need each edge's weight).
        if (!g.weighted && g.parent_begin[static_cast<std::size_t>(n) + 1] - first == 1) {
            node.only_parent = g.parents[static_cast<std::size_t>(first)];
        }
    }
    down_.assign(static_cast<std::size_t>(g.node_count), 0);
    stack_.resize(static_cast<std::size_t>(g.node_count) + 1);
}

void StructureState::reset() {
    for (Node& node : node_) node.failed = 0;
    std::fill(down_.begin(), down_.end(), 0);
    if (g_->weighted) {
        for (std::size_t n = 0; n < node_.size(); ++n) node_[n].threshold = g_->threshold[n];
    }
}

bool StructureState::flip_weighted(int node, bool down) {
    const int root = g_->root;
    std::uint8_t* node_down = down_.data();
    Node* nodes = node_.data();
    int* stack = stack_.data();
    const std::uint8_t root_before = node_down[root];
    const int* parent_begin = g_->parent_begin.data();
    const int* parents = g_->parents.data();
    const int* parent_weight = g_->parent_weight.data();
    node_down[node] = down ? 1 : 0;
    int top = 0;
    stack[top++] = node;
    // A gate changes state when its down weight crosses its threshold; one flip moves every sum in the
    // same direction, so each gate still crosses (and is pushed) at most once.
    if (down) {
        while (top > 0) {
            const int n = stack[--top];
            for (int k = parent_begin[n]; k < parent_begin[n + 1]; ++k) {
                const int p = parents[k];
                const int before = nodes[p].failed;
                nodes[p].failed = before + parent_weight[k];
                if (before < nodes[p].threshold && nodes[p].failed >= nodes[p].threshold) {
                    node_down[p] = 1;
                    stack[top++] = p;
                }
            }
        }
    } else {
        while (top > 0) {
            const int n = stack[--top];
            for (int k = parent_begin[n]; k < parent_begin[n + 1]; ++k) {
                const int p = parents[k];
                const int before = nodes[p].failed;
                nodes[p].failed = before - parent_weight[k];
                if (before >= nodes[p].threshold && nodes[p].failed < nodes[p].threshold) {
                    node_down[p] = 0;
                    stack[top++] = p;
                }
            }
        }
    }
    return node_down[root] != root_before;
}

}  // namespace nines::sim
