// The up/down state of every node of the structure graph, kept up to date incrementally: flipping one
// unit (a leaf) walks up only through the gates whose failed-children count crosses their threshold.
// Used for the system itself and, in models with planned outages, for a shadow holding only the units
// down for maintenance or inspection.
#pragma once

#include <cstdint>
#include <vector>

#include "model/structure_graph.h"

namespace nines::sim {

class StructureState {
public:
    // `used`: false leaves the state empty (a shadow the model does not need).
    explicit StructureState(const StructureGraph& g, bool used = true);
    void reset();  // every node up

    bool is_down(int node) const { return down_[static_cast<std::size_t>(node)] != 0; }
    bool root_down() const { return down_[static_cast<std::size_t>(g_->root)] != 0; }
    const std::vector<std::uint8_t>& node_down() const { return down_; }
    // The summed weight of a gate's children that are down (their count when unweighted).
    int failed_weight(int node) const { return node_[static_cast<std::size_t>(node)].failed; }

    // Puts a unit (or a gate, see set_gate) down or up and propagates; true when the root changed.
    [[gnu::always_inline]] inline bool flip(int node, bool down);
    // A gate whose state is decided outside the graph (a standby group): forced down or up.
    bool set_gate(int node, bool down) {
        node_[static_cast<std::size_t>(node)].failed = down ? 1 : 0;
        return flip(node, down);
    }
    // A weighted gate's threshold changes (a capacity block's demand): the gate is re-judged and, if its
    // state changes, the change propagates; true when the root changed. Only for weighted graphs.
    bool set_threshold(int node, int threshold) {
        node_[static_cast<std::size_t>(node)].threshold = threshold;
        const bool down = node_[static_cast<std::size_t>(node)].failed >= threshold;
        if (down == is_down(node)) return false;
        return flip_weighted(node, down);
    }
    // A flip of this node is about to come (the next event is its unit's): start fetching its records.
    void prefetch(int node) const {
        __builtin_prefetch(&node_[static_cast<std::size_t>(node)]);
        __builtin_prefetch(&down_[static_cast<std::size_t>(node)], 1);
    }
    // Would putting this working unit down bring the root down? (Flips it and back.)
    bool would_bring_down(int unit) {
        const bool down = flip(unit, true);
        flip(unit, false);
        return down;
    }

private:
    // flip() for a graph with weighted edges (capacity blocks): the same walk, adding each child's weight.
    bool flip_weighted(int node, bool down);

    // What a flip reads and writes of one node, in one 16-byte record: at 10^6 units the graph's
    // separate arrays (parent_begin, parents, threshold, and the counts) cost a cache miss each per
    // flip; most nodes have one parent, kept here so the walk up does not read the graph's CSR at all.
    struct alignas(16) Node {
        int failed = 0;       // children down (their summed weight in a weighted graph)
        int threshold = 0;    // the graph's; in weighted graphs changed by set_threshold
        int only_parent = -1; // the parent when there is exactly one, else -1 (then the graph's CSR)
        int unused = 0;
    };

    const StructureGraph* g_;
    std::vector<Node> node_;
    std::vector<std::uint8_t> down_;   // per node; leaves are the units' own states
    std::vector<int> stack_;           // propagation work list
};

inline bool StructureState::flip(int node, bool down) {
    // Models without weighted edges take the counting loop below (no edge weights to read).
    if (g_->weighted) return flip_weighted(node, down);
    const int root = g_->root;
    std::uint8_t* node_down = down_.data();
    Node* nodes = node_.data();
    int* stack = stack_.data();
    const std::uint8_t root_before = node_down[root];
    const int* parent_begin = g_->parent_begin.data();
    const int* parents = g_->parents.data();
    node_down[node] = down ? 1 : 0;
    int top = 0;
    stack[top++] = node;
    // A gate changes state only when its failed-children count crosses its threshold, and one flip
    // moves every count in the same direction, so each gate is pushed at most once (the order of the
    // walk does not change the state it leaves).
    if (down) {
        while (top > 0) {
            const int n = stack[--top];
            const int only = nodes[n].only_parent;
            if (only >= 0) {
                if (++nodes[only].failed == nodes[only].threshold) {
                    node_down[only] = 1;
                    stack[top++] = only;
                }
                continue;
            }
            for (int k = parent_begin[n]; k < parent_begin[n + 1]; ++k) {
                const int p = parents[k];
                if (++nodes[p].failed == nodes[p].threshold) {
                    node_down[p] = 1;
                    stack[top++] = p;
                }
            }
        }
    } else {
        while (top > 0) {
            const int n = stack[--top];
            const int only = nodes[n].only_parent;
            if (only >= 0) {
                if (nodes[only].failed-- == nodes[only].threshold) {
                    node_down[only] = 0;
                    stack[top++] = only;
                }
                continue;
            }
            for (int k = parent_begin[n]; k < parent_begin[n + 1]; ++k) {
                const int p = parents[k];
                if (nodes[p].failed-- == nodes[p].threshold) {
                    node_down[p] = 0;
                    stack[top++] = p;
                }
            }
        }
    }
    return node_down[root] != root_before;
}

}  // namespace nines::sim
