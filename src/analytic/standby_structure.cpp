#include "analytic/standby_structure.h"

#include <cstdint>
#include <vector>

namespace nines::analytic {

StructureGraph standby_as_k_of_n(const Model& model, const StructureGraph& graph) {
    if (model.standby_groups.empty() && model.failover_groups.empty()) return graph;
    StructureGraph g = graph;
    const auto nodes = static_cast<std::size_t>(g.node_count);
    std::vector<std::vector<int>> kids(nodes);
    std::vector<std::vector<int>> kid_weights(nodes);  // parallel to kids
    for (std::size_t n = 0; n < nodes; ++n) {
        kids[n].assign(g.children.begin() + g.child_begin[n], g.children.begin() + g.child_begin[n + 1]);
        kid_weights[n].assign(g.weight.begin() + g.child_begin[n], g.weight.begin() + g.child_begin[n + 1]);
    }
    for (const StandbyGroup& group : model.standby_groups) {
        const auto node = static_cast<std::size_t>(g.block_node[static_cast<std::size_t>(group.block)]);
        kids[node].clear();
        // A member counts with its requirements, as anywhere else in the structure.
        for (int m : group.members) kids[node].push_back(g.effective_node[static_cast<std::size_t>(m)]);
        kid_weights[node].assign(kids[node].size(), 1);
        const int n = static_cast<int>(group.members.size());
        const int k = group.k;
        g.kind[node] = k >= n ? GateKind::Series : k == 1 ? GateKind::Parallel : GateKind::KOfN;
        g.threshold[node] = n - k + 1;  // down when n - k + 1 members are down
    }
    // A failover group carries the load on `active` members: up when that many members are up
    // (switching aside).
    for (const FailoverGroup& group : model.failover_groups) {
        const auto node = static_cast<std::size_t>(g.block_node[static_cast<std::size_t>(group.block)]);
        kids[node].clear();
        for (int m : group.members) kids[node].push_back(g.block_node[static_cast<std::size_t>(m)]);
        kid_weights[node].assign(kids[node].size(), 1);
        const int n = static_cast<int>(group.members.size());
        const int k = group.active;
        g.kind[node] = k >= n ? GateKind::Series : k == 1 ? GateKind::Parallel : GateKind::KOfN;
        g.threshold[node] = n - k + 1;  // down when n - k + 1 members are down
    }
    g.child_begin.assign(nodes + 1, 0);
    g.children.clear();
    g.weight.clear();
    for (std::size_t n = 0; n < nodes; ++n) {
        g.children.insert(g.children.end(), kids[n].begin(), kids[n].end());
        g.weight.insert(g.weight.end(), kid_weights[n].begin(), kid_weights[n].end());
        g.child_begin[n + 1] = static_cast<int>(g.children.size());
    }
    // Evaluation order (children first) and parents, over what the root now reaches. The graph was
    // checked for cycles when compiled, failover members included, so none is created here.
    g.gate_order.clear();
    std::vector<std::uint8_t> state(nodes, 0);  // 0 new, 1 on the stack, 2 done
    std::vector<std::pair<int, std::size_t>> stack{{g.root, 0}};
    state[static_cast<std::size_t>(g.root)] = 1;
    while (!stack.empty()) {
        auto& [v, next] = stack.back();
        const auto vu = static_cast<std::size_t>(v);
        if (next < kids[vu].size()) {
            const int c = kids[vu][next++];
            if (state[static_cast<std::size_t>(c)] == 0) {
                state[static_cast<std::size_t>(c)] = 1;
                stack.emplace_back(c, 0);
            }
            continue;
        }
        state[vu] = 2;
        if (!g.is_leaf(v)) g.gate_order.push_back(v);
        stack.pop_back();
    }
    std::vector<std::vector<int>> parents(nodes);
    std::vector<std::vector<int>> parent_weights(nodes);  // parallel to parents
    for (std::size_t n = 0; n < nodes; ++n) {
        if (state[n] != 2) continue;
        for (std::size_t j = 0; j < kids[n].size(); ++j) {
            parents[static_cast<std::size_t>(kids[n][j])].push_back(static_cast<int>(n));
            parent_weights[static_cast<std::size_t>(kids[n][j])].push_back(kid_weights[n][j]);
        }
    }
    g.parent_begin.assign(nodes + 1, 0);
    g.parents.clear();
    g.parent_weight.clear();
    for (std::size_t n = 0; n < nodes; ++n) {
        g.parents.insert(g.parents.end(), parents[n].begin(), parents[n].end());
        g.parent_weight.insert(g.parent_weight.end(), parent_weights[n].begin(), parent_weights[n].end());
        g.parent_begin[n + 1] = static_cast<int>(g.parents.size());
    }
    return g;
}

}  // namespace nines::analytic
