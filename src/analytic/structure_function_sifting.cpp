// StructureFunction::build_by_sifting: the structure function built under dynamic reordering, for the
// structures on which every static order of variable_order.h exceeds the node limit (nus9601).
#include <algorithm>
#include <string>

#include "analytic/sifting_bdd.h"
#include "analytic/structure_function.h"

namespace nines::analytic {

namespace {

// Sifting starts when the diagrams first hold this many nodes, and again each time they double.
constexpr std::size_t kFirstReorder = std::size_t{1} << 14;
// The default limits (sifting_bdd.h).
constexpr SiftingBdd::SiftLimits kLimits{};

using SRef = SiftingBdd::Ref;


// The gate's "up" function, as bdd_gate (gate_logic.cpp) builds it, with the reference counting the
// SiftingBdd needs; `checkpoint` runs between steps, when every function still needed is referenced.
template <typename Checkpoint>
SRef sifting_gate(SiftingBdd& s, GateKind kind, int need_up, std::vector<SRef> kids, const std::vector<int>& weights,
                  Checkpoint&& checkpoint) {
    auto fold = [&](SRef unit, bool series) {
        // Deepest top variable last (as the static build): each step adds nodes above the result.
        std::stable_sort(kids.begin(), kids.end(), [&](SRef a, SRef b) { return s.level(a) < s.level(b); });
        SRef acc = unit;
        for (auto k = kids.rbegin(); k != kids.rend(); ++k) {
            const SRef next = series ? s.and_(*k, acc) : s.or_(*k, acc);
            s.ref(next);
            s.deref(acc);
            acc = next;
            checkpoint();
        }
        return acc;  // referenced
    };
    switch (kind) {
        case GateKind::Instance:
        case GateKind::Series: return fold(SiftingBdd::kTrue, true);
        case GateKind::Standby: return SiftingBdd::kTrue;  // no children in the graph (as bdd_gate)
        case GateKind::Parallel: return fold(SiftingBdd::kFalse, false);
        case GateKind::Capacity:
        case GateKind::KOfN: {
            // row[j] = "the true functions seen so far weigh at least j" (Bdd::at_least_weighted).
            if (need_up <= 0) return SiftingBdd::kTrue;
            std::vector<SRef> row(static_cast<std::size_t>(need_up) + 1, SiftingBdd::kFalse);
            row[0] = SiftingBdd::kTrue;
            for (std::size_t i = kids.size(); i-- > 0;) {
                const int w = weights.empty() ? 1 : weights[i];
                for (int j = need_up; j >= 1; --j) {
                    const SRef next = s.ite(kids[i], row[static_cast<std::size_t>(std::max(0, j - w))], row[static_cast<std::size_t>(j)]);
                    s.ref(next);
                    s.deref(row[static_cast<std::size_t>(j)]);
                    row[static_cast<std::size_t>(j)] = next;
                }
                checkpoint();
            }
            const SRef result = row[static_cast<std::size_t>(need_up)];
            s.ref(result);
            for (const SRef r : row) s.deref(r);
            return result;
        }
    }
    return SiftingBdd::kTrue;  // not reached: the switch covers every kind
}

}  // namespace

StructureFunction StructureFunction::build_by_sifting(const StructureGraph& g, const std::vector<std::uint8_t>& is_module,
                                                      const std::vector<int>& level, std::size_t node_limit) {
    int modules = 0;
    for (int v : g.gate_order) modules += is_module[static_cast<std::size_t>(v)];
    const int variables = g.instance_count + modules;
    // Variable v of the SiftingBdd is the graph node at static level v (its starting order).
    SiftingBdd s(variables, node_limit);
    s.set_swap_work_limit(kBddSiftWorkLimit);

    // A function is referenced until the last gate that reads it is built; module and system functions
    // for good (they are copied at the end).
    std::vector<int> last_use(static_cast<std::size_t>(g.node_count), -1);
    for (std::size_t i = 0; i < g.gate_order.size(); ++i) {
        const int v = g.gate_order[i];
        for (int k = g.child_begin[static_cast<std::size_t>(v)]; k < g.child_begin[static_cast<std::size_t>(v) + 1]; ++k) {
            last_use[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])] = static_cast<int>(i);
        }
    }
    std::vector<SRef> function(static_cast<std::size_t>(g.node_count), SiftingBdd::kFalse);
    std::vector<SRef> as_input(static_cast<std::size_t>(g.node_count), SiftingBdd::kFalse);
    for (int i = 0; i < g.instance_count; ++i) {
        function[static_cast<std::size_t>(i)] = as_input[static_cast<std::size_t>(i)] = s.variable(level[static_cast<std::size_t>(i)]);
        s.ref(as_input[static_cast<std::size_t>(i)]);
    }

    std::size_t next_check = kFirstReorder;
    std::size_t reorder_at = kFirstReorder;
    auto checkpoint = [&]() {
        if (s.size() < next_check) return;
        s.collect();
        if (s.size() >= reorder_at) {
            s.sift(kLimits);
            reorder_at = std::max(reorder_at, 2 * s.size());
        }
        // Collect again when the diagrams double, or halfway to the limit if that comes first.
        next_check = std::max(kFirstReorder, std::min(2 * s.size(), s.size() + (node_limit - std::min(node_limit, s.size())) / 2));
    };

    std::vector<SRef> kids;
    for (std::size_t i = 0; i < g.gate_order.size(); ++i) {
        const int n = g.gate_order[i];
        kids.clear();
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            kids.push_back(as_input[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]);
        }
        // Threshold gates keep each child with its weight, in the graph's order (their function does not
        // depend on it); series and parallel gates sort theirs by level.
        const std::vector<int> weights = g.child_weights(n);
        const SRef f = sifting_gate(s, g.kind[static_cast<std::size_t>(n)], g.need_up(n), kids, weights, checkpoint);
        function[static_cast<std::size_t>(n)] = f;  // referenced by sifting_gate
        if (is_module[static_cast<std::size_t>(n)]) {
            as_input[static_cast<std::size_t>(n)] = s.variable(level[static_cast<std::size_t>(n)]);
            s.ref(as_input[static_cast<std::size_t>(n)]);
        } else {
            as_input[static_cast<std::size_t>(n)] = f;
            s.ref(f);
        }
        // The children read for the last time: drop their inputs' references (each child once).
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            const auto c = static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)]);
            if (last_use[c] == static_cast<int>(i)) {
                s.deref(as_input[c]);
                last_use[c] = -1;
            }
        }
        // A non-module gate's own reference is only needed by the root; modules keep theirs.
        if (!is_module[static_cast<std::size_t>(n)] && n != g.root) s.deref(f);
        checkpoint();
    }
    // One last sifting of the finished diagrams: they are what the later passes walk.
    s.sift(kLimits);

    // The order found, scope by scope: a module's variables right after it, as variable_levels lays
    // them out; within a scope, the sifted relative order (a scope's diagrams test only its variables,
    // so interleaving with other scopes does not change them).
    std::vector<int> stamp(static_cast<std::size_t>(g.node_count), -1);
    auto scope_variables = [&](int root) {
        std::vector<int> vars, stack{root};
        stamp[static_cast<std::size_t>(root)] = root;
        while (!stack.empty()) {
            const int v = stack.back();
            stack.pop_back();
            for (int k = g.child_begin[static_cast<std::size_t>(v)]; k < g.child_begin[static_cast<std::size_t>(v) + 1]; ++k) {
                const int c = g.children[static_cast<std::size_t>(k)];
                if (stamp[static_cast<std::size_t>(c)] == root) continue;
                stamp[static_cast<std::size_t>(c)] = root;
                if (g.is_leaf(c) || is_module[static_cast<std::size_t>(c)]) {
                    vars.push_back(c);
                } else {
                    stack.push_back(c);
                }
            }
        }
        std::sort(vars.begin(), vars.end(), [&](int a, int b) {
            return s.level_of_variable(level[static_cast<std::size_t>(a)]) < s.level_of_variable(level[static_cast<std::size_t>(b)]);
        });
        return vars;
    };
    const std::vector<int> new_level = levels_by_scope(g, scope_variables);
    std::vector<int> level_of_sift_variable(static_cast<std::size_t>(variables), -1);
    for (int n = 0; n < g.node_count; ++n) {
        if (level[static_cast<std::size_t>(n)] >= 0) {
            level_of_sift_variable[static_cast<std::size_t>(level[static_cast<std::size_t>(n)])] = new_level[static_cast<std::size_t>(n)];
        }
    }

    // Copy: module functions in gate order (a module's nodes before any node testing its variable),
    // then the system function; each copied children first.
    StructureFunction sf(variables, node_limit);
    sf.module_count = modules;
    sf.level_of_instance.resize(static_cast<std::size_t>(g.instance_count));
    for (int i = 0; i < g.instance_count; ++i) sf.level_of_instance[static_cast<std::size_t>(i)] = new_level[static_cast<std::size_t>(i)];
    std::vector<BddRef> copy(s.capacity(), -1);
    copy[0] = Bdd::kFalse;
    copy[1] = Bdd::kTrue;
    auto copy_function = [&](SRef root) {
        std::vector<SRef> stack{root};
        while (!stack.empty()) {
            const SRef x = stack.back();
            if (copy[static_cast<std::size_t>(x)] >= 0) {
                stack.pop_back();
                continue;
            }
            const SRef lo = s.low(x), hi = s.high(x);
            if (copy[static_cast<std::size_t>(lo)] < 0) {
                stack.push_back(lo);
                continue;
            }
            if (copy[static_cast<std::size_t>(hi)] < 0) {
                stack.push_back(hi);
                continue;
            }
            copy[static_cast<std::size_t>(x)] = sf.bdd.node(level_of_sift_variable[static_cast<std::size_t>(s.var(x))],
                                                            copy[static_cast<std::size_t>(lo)], copy[static_cast<std::size_t>(hi)]);
            stack.pop_back();
        }
        return copy[static_cast<std::size_t>(root)];
    };
    for (int n : g.gate_order) {
        if (is_module[static_cast<std::size_t>(n)]) {
            sf.bindings_.push_back({copy_function(function[static_cast<std::size_t>(n)]), new_level[static_cast<std::size_t>(n)]});
        }
    }
    sf.system_up = copy_function(function[static_cast<std::size_t>(g.root)]);
    sf.finish();
    return sf;
}

}  // namespace nines::analytic
