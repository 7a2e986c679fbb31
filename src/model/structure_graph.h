// The structure compiled to flat, index-based arrays: the form both the simulation kernel and the
// analytic module run on. Nodes 0..instance_count-1 are the raw states of the instances (leaves);
// the other nodes are gates. An instance with requirements gets an "effective" series gate
// (itself and its requirements); blocks that name an instance map to that effective node.
#pragma once

#include <cstdint>
#include <vector>

#include "model/model.h"

namespace nines {

// A gate's kind (GateKind, model/block_kind.h) is decided once when the structure is compiled, by what
// the gate computes rather than how it was written (computed_kind): a k_of_n with k = n and any gate
// with one child are series, a k_of_n with k = 1 is parallel. The kernel's incremental evaluation needs
// only `threshold`, which compile() derives from the kind; the exact algorithms switch on the kind
// (src/analytic/gate_logic.cpp) without a `default:`.

struct StructureGraph {
    int instance_count = 0;
    int node_count = 0;
    int root = -1;
    // A gate is down when the summed weight of its down children reaches `threshold[n]`:
    // series 1, parallel n, k-of-n (k up needed) n - k + 1, with n and k in weight (an unweighted gate's
    // weights are all 1, so these are counts of children). Leaves have threshold 1.
    std::vector<int> threshold;
    // The kind of each node; leaves are Instance (threshold 1 on their own state) and no algorithm reads it.
    std::vector<GateKind> kind;
    std::vector<int> child_begin;   // CSR, size node_count + 1; a child may be listed more than once
    std::vector<int> children;
    std::vector<int> weight;        // parallel to `children`: the edge's weight (1 unless the block weighs its children)
    std::vector<int> parent_begin;  // CSR of parents, counting only gates reachable from the root
    std::vector<int> parents;
    std::vector<int> parent_weight;  // parallel to `parents`: the weight the child has in that parent
    bool weighted = false;           // some block weighs its children (the kernel then adds weights, not counts)
    std::vector<int> gate_order;    // reachable gates, every child before its parents
    std::vector<int> block_node;    // block id -> node id
    std::vector<int> effective_node;  // instance -> node standing for it with its requirements

    // Builds the graph; throws InputError naming the cycle (and where it was written) if there is one.
    static StructureGraph compile(const Model& model);

    bool is_leaf(int node) const { return node < instance_count; }
    int child_count(int node) const {
        return child_begin[static_cast<std::size_t>(node) + 1] - child_begin[static_cast<std::size_t>(node)];
    }
    // The summed weight of a gate's children (its child count when unweighted).
    int total_weight(int node) const {
        int w = 0;
        for (int k = child_begin[static_cast<std::size_t>(node)]; k < child_begin[static_cast<std::size_t>(node) + 1]; ++k) {
            w += weight[static_cast<std::size_t>(k)];
        }
        return w;
    }
    // Whether the gate's children all weigh 1 (then its threshold counts children).
    bool unit_weights(int node) const {
        for (int k = child_begin[static_cast<std::size_t>(node)]; k < child_begin[static_cast<std::size_t>(node) + 1]; ++k) {
            if (weight[static_cast<std::size_t>(k)] != 1) return false;
        }
        return true;
    }
    // For a KOfN gate: how much weight (how many children, unweighted) must be up.
    int need_up(int node) const { return total_weight(node) - threshold[static_cast<std::size_t>(node)] + 1; }
    // The weights of a gate's children, in child order.
    std::vector<int> child_weights(int node) const {
        return {weight.begin() + child_begin[static_cast<std::size_t>(node)], weight.begin() + child_begin[static_cast<std::size_t>(node) + 1]};
    }

    // Full, non-incremental evaluation (a reference for tests and for initial states).
    // leaf_down has instance_count entries; node_down receives node_count entries.
    // `forced` sets the state of nodes whose state is not a function of their children (standby groups).
    void evaluate(const std::vector<std::uint8_t>& leaf_down, std::vector<std::uint8_t>& node_down,
                  const std::vector<std::pair<int, std::uint8_t>>& forced = {}) const;
};

}  // namespace nines
