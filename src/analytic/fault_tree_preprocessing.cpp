#include "analytic/fault_tree_preprocessing.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace nines::analytic {

namespace {

// A gate while the structure is rewritten: its children by node number (instances keep theirs).
struct Gate {
    GateKind kind = GateKind::Series;
    int threshold = 1;
    std::vector<int> kids;
    std::vector<int> weights;  // parallel to kids
};

bool associative(GateKind kind) { return kind == GateKind::Series || kind == GateKind::Parallel; }

// A series gate is down when one child is, a parallel gate when all are (weights do not matter to
// either, so the rewritten gates weigh their children 1).
void set_unit_threshold(Gate& gate) {
    gate.weights.assign(gate.kids.size(), 1);
    gate.threshold = gate.kind == GateKind::Parallel ? static_cast<int>(gate.kids.size()) : 1;
}

std::vector<Gate> gates_of(const StructureGraph& g) {
    std::vector<Gate> gates(static_cast<std::size_t>(g.node_count));
    for (int n : g.gate_order) {
        Gate& gate = gates[static_cast<std::size_t>(n)];
        gate.kind = g.kind[static_cast<std::size_t>(n)];
        gate.threshold = g.threshold[static_cast<std::size_t>(n)];
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            gate.kids.push_back(g.children[static_cast<std::size_t>(k)]);
            gate.weights.push_back(g.weight[static_cast<std::size_t>(k)]);
        }
    }
    return gates;
}

// The graph of the gates reachable from `root`, renumbered in post-order (children first), so that
// gate_order is ascending.
StructureGraph assemble(int instances, int root, const std::vector<Gate>& gates) {
    StructureGraph h;
    h.instance_count = instances;
    std::vector<int> id(gates.size(), -1);
    for (int i = 0; i < instances; ++i) id[static_cast<std::size_t>(i)] = i;
    std::vector<int> post;
    if (root >= instances) {
        std::vector<std::pair<int, std::size_t>> stack{{root, 0}};
        id[static_cast<std::size_t>(root)] = -2;  // on the stack
        while (!stack.empty()) {
            auto& [n, next] = stack.back();
            const std::vector<int>& kids = gates[static_cast<std::size_t>(n)].kids;
            if (next < kids.size()) {
                const int c = kids[next++];
                if (id[static_cast<std::size_t>(c)] == -1) {
                    id[static_cast<std::size_t>(c)] = -2;
                    stack.emplace_back(c, 0);  // invalidates n and next
                }
                continue;
            }
            id[static_cast<std::size_t>(n)] = instances + static_cast<int>(post.size());
            post.push_back(n);
            stack.pop_back();
        }
    }
    h.node_count = instances + static_cast<int>(post.size());
    h.root = id[static_cast<std::size_t>(root)];
    h.kind.assign(static_cast<std::size_t>(h.node_count), GateKind::Instance);
    h.threshold.assign(static_cast<std::size_t>(h.node_count), 1);
    h.child_begin.assign(static_cast<std::size_t>(h.node_count) + 1, 0);
    for (std::size_t k = 0; k < post.size(); ++k) {
        const Gate& gate = gates[static_cast<std::size_t>(post[k])];
        const auto n = static_cast<std::size_t>(instances) + k;
        h.kind[n] = gate.kind;
        h.threshold[n] = gate.threshold;
        for (std::size_t c = 0; c < gate.kids.size(); ++c) {
            h.children.push_back(id[static_cast<std::size_t>(gate.kids[c])]);
            h.weight.push_back(gate.weights[c]);
            if (gate.weights[c] != 1) h.weighted = true;
        }
        h.gate_order.push_back(static_cast<int>(n));
    }
    // Leaves have no children; gate k's children follow gate k - 1's.
    int edges = 0;
    for (int n = 0; n < h.node_count; ++n) {
        if (n >= instances) edges += static_cast<int>(gates[static_cast<std::size_t>(post[static_cast<std::size_t>(n - instances)])].kids.size());
        h.child_begin[static_cast<std::size_t>(n) + 1] = edges;
    }
    return h;
}

// Steps 1 and 2: duplicates, pass-through gates, coalescing.
StructureGraph coalesce(const StructureGraph& g) {
    std::vector<Gate> gates = gates_of(g);
    // Distinct parents of each node among the reachable gates.
    std::vector<int> parents(static_cast<std::size_t>(g.node_count), 0);
    std::vector<int> stamp(static_cast<std::size_t>(g.node_count), -1);
    for (int n : g.gate_order) {
        for (int c : gates[static_cast<std::size_t>(n)].kids) {
            if (stamp[static_cast<std::size_t>(c)] == n) continue;
            stamp[static_cast<std::size_t>(c)] = n;
            ++parents[static_cast<std::size_t>(c)];
        }
    }
    std::vector<int> alias(static_cast<std::size_t>(g.node_count));
    std::iota(alias.begin(), alias.end(), 0);
    std::fill(stamp.begin(), stamp.end(), -1);
    for (int n : g.gate_order) {
        Gate& gate = gates[static_cast<std::size_t>(n)];
        if (!associative(gate.kind)) {
            for (int& c : gate.kids) c = alias[static_cast<std::size_t>(c)];
            continue;
        }
        std::vector<int> kids;
        auto add = [&](int c) {
            if (stamp[static_cast<std::size_t>(c)] == n) return;  // listed before: x and x is x
            stamp[static_cast<std::size_t>(c)] = n;
            kids.push_back(c);
        };
        for (int c : gate.kids) {
            const int a = alias[static_cast<std::size_t>(c)];
            // Only a child whose one parent is this gate is spliced: a shared one would be copied.
            if (a == c && !g.is_leaf(c) && gates[static_cast<std::size_t>(c)].kind == gate.kind &&
                parents[static_cast<std::size_t>(c)] == 1) {
                for (int gc : gates[static_cast<std::size_t>(c)].kids) add(gc);
            } else {
                add(a);
            }
        }
        gate.kids = std::move(kids);
        set_unit_threshold(gate);
        if (gate.kids.size() == 1 && n != g.root) alias[static_cast<std::size_t>(n)] = gate.kids.front();
    }
    return assemble(g.instance_count, g.root, gates);
}

// Visit dates of a depth-first walk from the root (as module detection uses them): first visit,
// end of the first visit, last visit; and over each node and its descendants, the lowest first and
// the highest last visit.
struct VisitDates {
    std::vector<long long> first, second, last, low, high;
};

VisitDates visit_dates(const StructureGraph& g) {
    const auto n = static_cast<std::size_t>(g.node_count);
    VisitDates d{std::vector<long long>(n, 0), std::vector<long long>(n, 0), std::vector<long long>(n, 0),
                 std::vector<long long>(n, 0), std::vector<long long>(n, 0)};
    long long date = 0;
    std::vector<std::pair<int, int>> stack;
    auto enter = [&](int v) {
        ++date;
        if (d.first[static_cast<std::size_t>(v)] == 0) {
            d.first[static_cast<std::size_t>(v)] = date;
            stack.emplace_back(v, g.child_begin[static_cast<std::size_t>(v)]);
        } else {
            d.last[static_cast<std::size_t>(v)] = date;
        }
    };
    enter(g.root);
    while (!stack.empty()) {
        auto& [v, next] = stack.back();
        if (next < g.child_begin[static_cast<std::size_t>(v) + 1]) {
            const int child = g.children[static_cast<std::size_t>(next++)];
            enter(child);  // may push: v and next are not used after this
        } else {
            ++date;
            d.second[static_cast<std::size_t>(v)] = date;
            if (d.last[static_cast<std::size_t>(v)] == 0) d.last[static_cast<std::size_t>(v)] = date;
            stack.pop_back();
        }
    }
    for (int i = 0; i < g.instance_count; ++i) {
        d.low[static_cast<std::size_t>(i)] = d.first[static_cast<std::size_t>(i)];
        d.high[static_cast<std::size_t>(i)] = d.last[static_cast<std::size_t>(i)];
    }
    for (int v : g.gate_order) {
        long long lo = d.first[static_cast<std::size_t>(v)], hi = d.last[static_cast<std::size_t>(v)];
        for (int k = g.child_begin[static_cast<std::size_t>(v)]; k < g.child_begin[static_cast<std::size_t>(v) + 1]; ++k) {
            const auto c = static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)]);
            lo = std::min(lo, d.low[c]);
            hi = std::max(hi, d.high[c]);
        }
        d.low[static_cast<std::size_t>(v)] = lo;
        d.high[static_cast<std::size_t>(v)] = hi;
    }
    return d;
}

// Step 3 on a coalesced graph.
StructureGraph group_modular_arguments(const StructureGraph& g) {
    if (g.is_leaf(g.root)) return g;
    const VisitDates d = visit_dates(g);
    std::vector<Gate> gates = gates_of(g);
    auto new_gate = [&](GateKind kind, std::vector<int> kids) {
        Gate gate;
        gate.kind = kind;
        gate.kids = std::move(kids);
        set_unit_threshold(gate);
        gates.push_back(std::move(gate));
        return static_cast<int>(gates.size()) - 1;
    };
    for (int n : g.gate_order) {
        const GateKind kind = gates[static_cast<std::size_t>(n)].kind;
        if (!associative(kind) || gates[static_cast<std::size_t>(n)].kids.size() < 3) continue;
        const std::vector<int> kids = gates[static_cast<std::size_t>(n)].kids;
        const long long enter = d.first[static_cast<std::size_t>(n)], leave = d.second[static_cast<std::size_t>(n)];
        // Each child's interval of visit dates over itself and its descendants. Two children that
        // share a descendant have overlapping intervals, so clusters of overlapping intervals share
        // nothing with one another; a cluster is modular when every interval lies within the gate's
        // first visit (nothing in it is reached from outside the gate).
        std::vector<std::size_t> by_low(kids.size());
        std::iota(by_low.begin(), by_low.end(), std::size_t{0});
        auto low = [&](std::size_t i) { return d.low[static_cast<std::size_t>(kids[i])]; };
        auto high = [&](std::size_t i) { return d.high[static_cast<std::size_t>(kids[i])]; };
        std::sort(by_low.begin(), by_low.end(), [&](std::size_t x, std::size_t y) { return low(x) < low(y); });
        std::vector<int> modular, other;
        std::size_t start = 0;
        while (start < by_low.size()) {
            std::size_t end = start + 1;
            long long reach = high(by_low[start]);
            bool inside = enter < low(by_low[start]) && reach < leave;
            while (end < by_low.size() && low(by_low[end]) <= reach) {
                reach = std::max(reach, high(by_low[end]));
                inside = inside && enter < low(by_low[end]) && high(by_low[end]) < leave;
                ++end;
            }
            std::vector<int> cluster;
            for (std::size_t i = start; i < end; ++i) cluster.push_back(kids[by_low[i]]);
            if (!inside) {
                other.insert(other.end(), cluster.begin(), cluster.end());
            } else if (cluster.size() >= 2 && cluster.size() < kids.size()) {
                modular.push_back(new_gate(kind, std::move(cluster)));  // shares within, with nobody else
            } else {
                modular.insert(modular.end(), cluster.begin(), cluster.end());
            }
            start = end;
        }
        if (modular.size() >= 2 && !other.empty()) {
            other.push_back(new_gate(kind, std::move(modular)));
        } else {
            other.insert(other.end(), modular.begin(), modular.end());
        }
        // What stands for each old child among the gate's new children: itself, or the new gate
        // holding it (through at most two levels of new gates). One pass over the new children into a
        // table, not a search per child: a gate of 500,000 children (pairs in series) would be quadratic.
        std::unordered_map<int, int> representative;
        representative.reserve(kids.size());
        for (int r : other) {
            if (r < g.node_count) {
                representative.emplace(r, r);
                continue;
            }
            for (int x : gates[static_cast<std::size_t>(r)].kids) {
                if (x < g.node_count) {
                    representative.emplace(x, r);
                    continue;
                }
                for (int y : gates[static_cast<std::size_t>(x)].kids) representative.emplace(y, r);
            }
        }
        // Children in their first order, a new gate where its first child was (the order heuristics
        // start from the written order).
        std::vector<int> ordered;
        std::unordered_set<int> placed;
        for (int c : kids) {
            const auto it = representative.find(c);
            if (it != representative.end() && placed.insert(it->second).second) ordered.push_back(it->second);
        }
        Gate& gate = gates[static_cast<std::size_t>(n)];
        gate.kids = std::move(ordered);
        set_unit_threshold(gate);
    }
    return assemble(g.instance_count, g.root, gates);
}

}  // namespace

StructureGraph preprocess_for_bdd(const StructureGraph& g) { return group_modular_arguments(coalesce(g)); }

}  // namespace nines::analytic
