#include "model/structure_graph.h"

#include <algorithm>
#include <numeric>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

namespace nines {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

// Records the DFS tree and stops at the first back edge, which closes a cycle.
struct CycleFinder : boost::default_dfs_visitor {
    std::vector<Vertex>* predecessor;
    std::vector<Vertex>* cycle;

    void tree_edge(Edge e, const Graph& g) const { (*predecessor)[boost::target(e, g)] = boost::source(e, g); }
    void back_edge(Edge e, const Graph& g) const {
        if (!cycle->empty()) return;
        const Vertex from = boost::source(e, g);
        const Vertex to = boost::target(e, g);
        for (Vertex v = from; v != to; v = (*predecessor)[v]) cycle->push_back(v);
        cycle->push_back(to);
        std::reverse(cycle->begin(), cycle->end());
    }
};

// The greatest common divisor of a block's child weights (whole and positive).
int weight_unit(const std::vector<int>& weights) {
    int unit = 0;
    for (int w : weights) unit = std::gcd(unit, w);
    return unit > 0 ? unit : 1;
}

}  // namespace

StructureGraph StructureGraph::compile(const Model& model) {
    StructureGraph g;
    const int n_inst = static_cast<int>(model.instances.size());
    g.instance_count = n_inst;

    // Node ids: leaves, then one effective gate per instance with requirements, then blocks.
    std::vector<std::vector<int>> kids(static_cast<std::size_t>(n_inst));
    std::vector<std::vector<int>> kid_weights(static_cast<std::size_t>(n_inst));  // parallel to kids
    std::vector<int> thresholds(static_cast<std::size_t>(n_inst), 1);
    std::vector<GateKind> kinds(static_cast<std::size_t>(n_inst), GateKind::Instance);
    // A new gate node whose children, of total weight `n`, must have at least `k_up` of it up, with its
    // kind normalised to what it computes and the threshold the kernel's counting uses (model/block_kind.h).
    auto add_gate = [&](GateKind declared, int k_up, int n) {
        const GateKind computed = computed_kind(declared, k_up, n);
        kids.emplace_back();
        kid_weights.emplace_back();
        kinds.push_back(computed);
        thresholds.push_back(down_threshold(computed, k_up, n));
    };
    g.effective_node.resize(static_cast<std::size_t>(n_inst));
    for (int i = 0; i < n_inst; ++i) {
        if (model.instances[static_cast<std::size_t>(i)].requires.empty()) {
            g.effective_node[static_cast<std::size_t>(i)] = i;
        } else {
            g.effective_node[static_cast<std::size_t>(i)] = static_cast<int>(kids.size());
            // Its children, the instance and its requirements, are listed below.
            const int n = 1 + static_cast<int>(model.instances[static_cast<std::size_t>(i)].requires.size());
            add_gate(GateKind::Series, n, n);
        }
    }
    for (int i = 0; i < n_inst; ++i) {
        const int node = g.effective_node[static_cast<std::size_t>(i)];
        if (node == i) continue;
        auto& list = kids[static_cast<std::size_t>(node)];
        list.push_back(i);
        for (int r : model.instances[static_cast<std::size_t>(i)].requires) {
            list.push_back(g.effective_node[static_cast<std::size_t>(r)]);
        }
        kid_weights[static_cast<std::size_t>(node)].assign(list.size(), 1);
    }
    g.block_node.assign(model.blocks.size(), -1);
    for (std::size_t b = 0; b < model.blocks.size(); ++b) {
        const Block& block = model.blocks[b];
        const int n = static_cast<int>(block.children.size());
        if (block.kind == BlockKind::Instance) {
            g.block_node[b] = g.effective_node[static_cast<std::size_t>(block.instance)];
            continue;
        }
        // A block whose state is not a count of its children (a standby group) has no children in the
        // graph: the kernel sets its state from the group's logic.
        const int edges = state_counts_children(block.kind) ? n : 0;
        int weight = edges;
        int need = block.k;
        if (edges > 0 && !block.weights.empty()) {
            // Weights in units of their greatest common divisor (800 and 400 carry 2 and 1 units of 400,
            // a demand of 1800 needs 5 of them): the same states up, with small thresholds for the
            // kernel's sums and for the O(n k) exact algorithms.
            const int unit = weight_unit(block.weights);
            weight = 0;
            for (int w : block.weights) weight += w / unit;
            need = (block.k + unit - 1) / unit;
        }
        add_gate(block.kind, children_needed_up(block.kind, need, weight), weight);
        g.block_node[b] = static_cast<int>(kids.size()) - 1;
    }
    for (std::size_t b = 0; b < model.blocks.size(); ++b) {
        const Block& block = model.blocks[b];
        if (block.kind == BlockKind::Instance || !state_counts_children(block.kind)) continue;
        auto& list = kids[static_cast<std::size_t>(g.block_node[b])];
        for (int child : block.children) list.push_back(g.block_node[static_cast<std::size_t>(child)]);
        auto& weights = kid_weights[static_cast<std::size_t>(g.block_node[b])];
        if (block.weights.empty()) {
            weights.assign(list.size(), 1);
        } else {
            const int unit = weight_unit(block.weights);
            for (int w : block.weights) weights.push_back(w / unit);
        }
    }
    g.node_count = static_cast<int>(kids.size());
    g.threshold = std::move(thresholds);
    g.kind = std::move(kinds);
    g.root = g.block_node[static_cast<std::size_t>(model.system_block)];

    g.child_begin.assign(static_cast<std::size_t>(g.node_count) + 1, 0);
    for (int n = 0; n < g.node_count; ++n) {
        g.child_begin[static_cast<std::size_t>(n) + 1] =
            g.child_begin[static_cast<std::size_t>(n)] + static_cast<int>(kids[static_cast<std::size_t>(n)].size());
    }
    g.children.reserve(static_cast<std::size_t>(g.child_begin.back()));
    for (const auto& list : kids) g.children.insert(g.children.end(), list.begin(), list.end());
    g.weight.reserve(g.children.size());
    for (const auto& list : kid_weights) g.weight.insert(g.weight.end(), list.begin(), list.end());
    for (int w : g.weight) g.weighted = g.weighted || w != 1;
    // A block that weighs its children takes the kernel's weighted path even when every weight is 1:
    // that path keeps its own thresholds, which a demand profile changes over time.
    for (const Block& block : model.blocks) g.weighted = g.weighted || !block.weights.empty();
    // From here the CSR arrays stand for the per-node lists, which are given back before the search
    // below builds its own copy of the edges (at a million components each copy is 100 MB or more).
    std::vector<std::vector<int>>().swap(kids);
    std::vector<std::vector<int>>().swap(kid_weights);
    auto children_of = [&g](int n) {
        return std::make_pair(g.children.begin() + g.child_begin[static_cast<std::size_t>(n)],
                              g.children.begin() + g.child_begin[static_cast<std::size_t>(n) + 1]);
    };

    // Cycle check over the whole graph (a cycle in an unused block is still an error). A failover
    // group's members are not its children (the group's logic decides its state) but it depends on
    // them: those edges join the cycle check and the evaluation order.
    // The search's graph and its results live in this scope only: gone before the parents are built.
    std::vector<std::uint8_t> reachable(static_cast<std::size_t>(g.node_count), 0);
    {
        Graph graph(static_cast<std::size_t>(g.node_count));
        for (int n = 0; n < g.node_count; ++n) {
            for (auto [c, end] = children_of(n); c != end; ++c) {
                boost::add_edge(static_cast<Vertex>(n), static_cast<Vertex>(*c), graph);
            }
        }
        for (const FailoverGroup& fg : model.failover_groups) {
            for (int m : fg.members) {
                boost::add_edge(static_cast<Vertex>(g.block_node[static_cast<std::size_t>(fg.block)]),
                                static_cast<Vertex>(g.block_node[static_cast<std::size_t>(m)]), graph);
            }
        }
        std::vector<Vertex> predecessor(static_cast<std::size_t>(g.node_count));
        std::vector<Vertex> cycle;
        boost::depth_first_search(graph, boost::visitor(CycleFinder{{}, &predecessor, &cycle}));
        if (!cycle.empty()) {
            // Name the cycle in the user's terms: instances for requires, block names otherwise.
            std::vector<int> node_block(static_cast<std::size_t>(g.node_count), -1);
            for (std::size_t b = 0; b < model.blocks.size(); ++b) {
                if (model.blocks[b].kind != BlockKind::Instance) node_block[static_cast<std::size_t>(g.block_node[b])] = static_cast<int>(b);
            }
            std::vector<int> node_instance(static_cast<std::size_t>(g.node_count), -1);
            for (int i = 0; i < n_inst; ++i) node_instance[static_cast<std::size_t>(g.effective_node[static_cast<std::size_t>(i)])] = i;
            auto label = [&](Vertex v) {
                const int inst = node_instance[v];
                if (inst >= 0) return model.instance_name(inst);
                return model.block_label(node_block[v]);
            };
            std::string path;
            for (Vertex v : cycle) path += label(v) + " -> ";
            path += label(cycle.front());
            const int first_instance = node_instance[cycle.front()];
            if (first_instance >= 0) {
                throw InputError(model.instances[static_cast<std::size_t>(first_instance)].requires_location,
                                 "cycle through requires: " + path);
            }
            throw InputError(model.blocks[static_cast<std::size_t>(node_block[cycle.front()])].location,
                             "cycle in the structure: " + path);
        }

        // Reachable part: parents and evaluation order only for gates that can influence the root.
        std::vector<Vertex> topo;
        topo.reserve(static_cast<std::size_t>(g.node_count));
        boost::topological_sort(graph, std::back_inserter(topo));  // children before parents
        reachable[static_cast<std::size_t>(g.root)] = 1;
        // A failover group's members are evaluated with the rest: the kernel reads their states.
        std::vector<std::vector<int>> watched(model.failover_groups.empty() ? 0 : static_cast<std::size_t>(g.node_count));
        for (const FailoverGroup& fg : model.failover_groups) {
            for (int m : fg.members) {
                watched[static_cast<std::size_t>(g.block_node[static_cast<std::size_t>(fg.block)])].push_back(
                    g.block_node[static_cast<std::size_t>(m)]);
            }
        }
        for (auto it = topo.rbegin(); it != topo.rend(); ++it) {  // parents before children
            if (!reachable[*it]) continue;
            for (auto [c, end] = children_of(static_cast<int>(*it)); c != end; ++c) reachable[static_cast<std::size_t>(*c)] = 1;
            if (watched.empty()) continue;
            for (int c : watched[*it]) reachable[static_cast<std::size_t>(c)] = 1;
        }
        for (Vertex v : topo) {
            if (reachable[v] && static_cast<int>(v) >= n_inst) g.gate_order.push_back(static_cast<int>(v));
        }
    }
    std::vector<int> parent_count(static_cast<std::size_t>(g.node_count), 0);
    for (int n = 0; n < g.node_count; ++n) {
        if (!reachable[static_cast<std::size_t>(n)]) continue;
        for (auto [c, end] = children_of(n); c != end; ++c) ++parent_count[static_cast<std::size_t>(*c)];
    }
    g.parent_begin.assign(static_cast<std::size_t>(g.node_count) + 1, 0);
    for (int n = 0; n < g.node_count; ++n) {
        g.parent_begin[static_cast<std::size_t>(n) + 1] = g.parent_begin[static_cast<std::size_t>(n)] + parent_count[static_cast<std::size_t>(n)];
    }
    g.parents.resize(static_cast<std::size_t>(g.parent_begin.back()));
    g.parent_weight.resize(g.parents.size());
    std::vector<int> fill(g.parent_begin.begin(), g.parent_begin.end() - 1);
    for (int n = 0; n < g.node_count; ++n) {
        if (!reachable[static_cast<std::size_t>(n)]) continue;
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]++);
            g.parents[at] = n;
            g.parent_weight[at] = g.weight[static_cast<std::size_t>(k)];
        }
    }
    return g;
}

void StructureGraph::evaluate(const std::vector<std::uint8_t>& leaf_down, std::vector<std::uint8_t>& node_down,
                              const std::vector<std::pair<int, std::uint8_t>>& forced) const {
    node_down.assign(static_cast<std::size_t>(node_count), 0);
    for (int i = 0; i < instance_count; ++i) node_down[static_cast<std::size_t>(i)] = leaf_down[static_cast<std::size_t>(i)];
    for (int n : gate_order) {
        auto f = std::find_if(forced.begin(), forced.end(), [n](const std::pair<int, std::uint8_t>& x) { return x.first == n; });
        if (f != forced.end()) {
            node_down[static_cast<std::size_t>(n)] = f->second;
            continue;
        }
        int failed = 0;  // the weight of the down children
        for (int k = child_begin[static_cast<std::size_t>(n)]; k < child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            failed += node_down[static_cast<std::size_t>(children[static_cast<std::size_t>(k)])] * weight[static_cast<std::size_t>(k)];
        }
        node_down[static_cast<std::size_t>(n)] = failed >= threshold[static_cast<std::size_t>(n)] ? 1 : 0;
    }
}

}  // namespace nines
