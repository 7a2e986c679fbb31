#include "analytic/structure_function.h"

#include "analytic/sifting_bdd.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "analytic/fault_tree_preprocessing.h"
#include "analytic/gate_logic.h"

namespace nines::analytic {

namespace {

// Marks the gates that are modules: with visit dates from a depth-first walk (first visit, end of
// first visit, last visit), a gate v is a module when every descendant is first visited after v and
// last visited before the walk leaves v.
std::vector<std::uint8_t> find_modules(const StructureGraph& g) {
    const auto n = static_cast<std::size_t>(g.node_count);
    std::vector<long long> first(n, 0), second(n, 0), last(n, 0);
    long long date = 0;
    struct Frame {
        int node;
        int next_child;
    };
    std::vector<Frame> stack;
    auto enter = [&](int v) {
        ++date;
        if (first[static_cast<std::size_t>(v)] == 0) {
            first[static_cast<std::size_t>(v)] = date;
            stack.push_back({v, g.child_begin[static_cast<std::size_t>(v)]});
        } else {
            last[static_cast<std::size_t>(v)] = date;
        }
    };
    enter(g.root);
    while (!stack.empty()) {
        Frame& f = stack.back();
        if (f.next_child < g.child_begin[static_cast<std::size_t>(f.node) + 1]) {
            const int child = g.children[static_cast<std::size_t>(f.next_child++)];
            enter(child);  // may push: `f` is not used after this
        } else {
            ++date;
            second[static_cast<std::size_t>(f.node)] = date;
            if (last[static_cast<std::size_t>(f.node)] == 0) last[static_cast<std::size_t>(f.node)] = date;
            stack.pop_back();
        }
    }
    // Lowest first visit and highest last visit over each gate's descendants (children first).
    std::vector<long long> low(n, 0), high(n, 0);
    for (int i = 0; i < g.instance_count; ++i) {
        low[static_cast<std::size_t>(i)] = first[static_cast<std::size_t>(i)];
        high[static_cast<std::size_t>(i)] = last[static_cast<std::size_t>(i)];
    }
    std::vector<std::uint8_t> module(n, 0);
    for (int v : g.gate_order) {
        long long lo = std::numeric_limits<long long>::max(), hi = 0;
        for (int k = g.child_begin[static_cast<std::size_t>(v)]; k < g.child_begin[static_cast<std::size_t>(v) + 1]; ++k) {
            const auto c = static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)]);
            lo = std::min({lo, first[c], low[c]});
            hi = std::max({hi, last[c], high[c]});
        }
        const auto vu = static_cast<std::size_t>(v);
        module[vu] = (first[vu] < lo && hi < second[vu]) ? 1 : 0;
        low[vu] = std::min(lo, first[vu]);
        high[vu] = std::max(hi, last[vu]);
    }
    return module;
}

}  // namespace

namespace {
std::vector<std::uint8_t> module_gates(const StructureGraph& g) {
    std::vector<std::uint8_t> is_module = find_modules(g);
    is_module[static_cast<std::size_t>(g.root)] = 0;  // the root is the system function itself
    return is_module;
}
}  // namespace

StructureFunction StructureFunction::build(const StructureGraph& original, std::size_t node_limit, VariableOrder order) {
    const StructureGraph g = preprocess_for_bdd(original);
    const std::vector<std::uint8_t> is_module = module_gates(g);
    StructureFunction sf = build_with_levels(g, is_module, variable_levels(g, is_module, order), node_limit, nullptr);
    sf.order = order;
    return sf;
}

StructureFunction StructureFunction::build_sifted(const StructureGraph& original, std::size_t node_limit, VariableOrder start) {
    const StructureGraph g = preprocess_for_bdd(original);
    const std::vector<std::uint8_t> is_module = module_gates(g);
    StructureFunction sf = build_by_sifting(g, is_module, variable_levels(g, is_module, start), node_limit);
    sf.order = start;
    sf.sifted = true;
    return sf;
}

StructureFunction StructureFunction::build(const StructureGraph& original, std::size_t node_limit) {
    const StructureGraph g = preprocess_for_bdd(original);
    const std::vector<std::uint8_t> is_module = module_gates(g);
    const std::vector<VariableOrder>& candidates = variable_order_candidates();
    std::vector<std::vector<int>> levels;
    for (VariableOrder o : candidates) levels.push_back(variable_levels(g, is_module, o));
    // Which candidates to try next, most promising first: by gates built before a budget ran out
    // (a poor order stalls early on a large tree); ties keep the candidates' own order.
    std::vector<std::size_t> next(candidates.size());
    for (std::size_t c = 0; c < next.size(); ++c) next[c] = c;
    std::vector<std::size_t> progress(candidates.size(), 0);
    auto attempt = [&](std::size_t c, std::size_t budget) -> std::optional<StructureFunction> {
        progress[c] = 0;
        try {
            StructureFunction sf = build_with_levels(g, is_module, levels[c], budget, &progress[c]);
            sf.order = candidates[c];
            return sf;
        } catch (const BddNodeLimitError&) {
            return std::nullopt;
        }
    };
    auto rank = [&]() {
        std::stable_sort(next.begin(), next.end(), [&](std::size_t x, std::size_t y) { return progress[x] > progress[y]; });
    };
    // 1. Every order against a small budget: most fault trees fit with any reasonable order.
    // 2. Every order against a ranking budget (2^18), most promising first: a few more trees fit, and
    //    the gates built rank the orders better than the probe's (edf9203 before the rewriting of
    //    fault_tree_preprocessing.h: FORCE built the most gates
    //    in the probe, depth-first the most at 2^18, and only depth-first fits; trying FORCE first
    //    at 2^21 cost 0.8 s).
    // 3. Every order against a middle budget, most promising first (edf9204: FORCE fits where
    //    depth-first needs four times the nodes).
    // 4. The order that got furthest in 3 gets the whole limit.
    for (const std::size_t budget : {kBddProbeBudget, kBddRankBudget, kBddMiddleBudget}) {
        if (budget >= node_limit) break;
        for (const std::size_t c : std::vector<std::size_t>(next)) {
            if (auto sf = attempt(c, budget)) return std::move(*sf);
        }
        rank();
    }
    if (auto sf = attempt(next.front(), node_limit)) return std::move(*sf);
    // 5. Dynamic reordering (sifting) from that order, against kBddSiftBudget nodes (its cost bounded:
    //    last, so that no structure a static order fits is built differently).
    std::string sifting = "more than " + std::to_string(std::min(node_limit, kBddSiftBudget)) + " with sifting from it";
    try {
        StructureFunction sf = build_by_sifting(g, is_module, levels[next.front()], std::min(node_limit, kBddSiftBudget));
        sf.order = candidates[next.front()];
        sf.sifted = true;
        return sf;
    } catch (const SiftingWorkLimitError&) {
        sifting = "sifting from it stopped by its work bound (" + std::to_string(kBddSiftWorkLimit) + " swap steps)";
    } catch (const BddNodeLimitError&) {
    }
    throw BddNodeLimitError("the exact (BDD) evaluation needs more than " + std::to_string(node_limit) +
                            " nodes for this structure (the limit: at most " +
                            std::to_string(bdd_memory_bound_bytes(node_limit) >> 20) + " MiB, the BDD memory budget: --bdd-memory) with the " +
                            variable_order_name(candidates[next.front()]) +
                            " variable order, the most promising of the heuristics tried, and " + sifting);
}

StructureFunction StructureFunction::build_with_levels(const StructureGraph& g, const std::vector<std::uint8_t>& is_module,
                                                       const std::vector<int>& level, std::size_t node_limit,
                                                       std::size_t* gates_built) {
    int modules = 0;
    for (int v : g.gate_order) modules += is_module[static_cast<std::size_t>(v)];
    StructureFunction sf(g.instance_count + modules, node_limit);
    sf.module_count = modules;
    sf.level_of_instance.resize(static_cast<std::size_t>(g.instance_count));
    for (int i = 0; i < g.instance_count; ++i) sf.level_of_instance[static_cast<std::size_t>(i)] = level[static_cast<std::size_t>(i)];

    // Functions bottom-up. `as_input[n]` is what a parent sees: the module variable for a module,
    // the node's own function otherwise.
    std::vector<BddRef> function(static_cast<std::size_t>(g.node_count), Bdd::kFalse);
    std::vector<BddRef> as_input(static_cast<std::size_t>(g.node_count), Bdd::kFalse);
    for (int i = 0; i < g.instance_count; ++i) {
        function[static_cast<std::size_t>(i)] = as_input[static_cast<std::size_t>(i)] = sf.bdd.variable(level[static_cast<std::size_t>(i)]);
    }
    std::vector<BddRef> kids;
    for (int n : g.gate_order) {
        kids.clear();
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            kids.push_back(as_input[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]);
        }
        // bdd_gate folds from the last child: deepest top variable last, so each step adds nodes above
        // the accumulated result instead of rebuilding it (the order is the heuristic's, not the file's).
        // A k-of-n gate's function does not depend on its children's order either; a weighted gate's
        // weights travel with their children.
        const std::vector<int> weights = g.child_weights(n);
        std::vector<std::size_t> by_level(kids.size());
        for (std::size_t i = 0; i < by_level.size(); ++i) by_level[i] = i;
        std::stable_sort(by_level.begin(), by_level.end(),
                         [&](std::size_t x, std::size_t y) { return sf.bdd.level(kids[x]) < sf.bdd.level(kids[y]); });
        std::vector<BddRef> sorted_kids;
        std::vector<int> sorted_weights;
        sorted_kids.reserve(kids.size());
        sorted_weights.reserve(kids.size());
        for (const std::size_t i : by_level) {
            sorted_kids.push_back(kids[i]);
            sorted_weights.push_back(weights.empty() ? 1 : weights[i]);
        }
        const BddRef f = bdd_gate(sf.bdd, g.kind[static_cast<std::size_t>(n)], g.need_up(n), sorted_kids, sorted_weights);
        if (gates_built != nullptr) ++*gates_built;
        function[static_cast<std::size_t>(n)] = f;
        if (is_module[static_cast<std::size_t>(n)]) {
            as_input[static_cast<std::size_t>(n)] = sf.bdd.variable(level[static_cast<std::size_t>(n)]);
            sf.bindings_.push_back({f, level[static_cast<std::size_t>(n)]});
        } else {
            as_input[static_cast<std::size_t>(n)] = f;
        }
    }
    sf.system_up = function[static_cast<std::size_t>(g.root)];
    sf.finish();
    return sf;
}

void StructureFunction::finish() {
    std::stable_sort(bindings_.begin(), bindings_.end(),
                     [](const ModuleBinding& x, const ModuleBinding& y) { return x.root < y.root; });
    // Live nodes: reachable from the system function or from a module function.
    std::vector<std::uint8_t> live(bdd.size(), 0);
    std::vector<BddRef> work{system_up};
    for (const ModuleBinding& b : bindings_) work.push_back(b.root);
    while (!work.empty()) {
        const BddRef n = work.back();
        work.pop_back();
        if (n < 2 || live[static_cast<std::size_t>(n)]) continue;
        live[static_cast<std::size_t>(n)] = 1;
        work.push_back(bdd.low(n));
        work.push_back(bdd.high(n));
    }
    live_.clear();
    for (std::size_t n = 2; n < live.size(); ++n) {
        if (live[n]) live_.push_back(static_cast<BddRef>(n));
    }
}

void StructureFunction::forward(const std::vector<double>& a, const std::vector<double>& q, std::vector<double>& p,
                                std::vector<double>& pq, std::vector<double>& up, std::vector<double>& down) const {
    const std::size_t vars = level_of_instance.size() + static_cast<std::size_t>(module_count);
    p.assign(vars, 0.0);
    pq.assign(vars, 0.0);
    for (std::size_t i = 0; i < a.size(); ++i) {
        p[static_cast<std::size_t>(level_of_instance[i])] = a[i];
        pq[static_cast<std::size_t>(level_of_instance[i])] = q[i];
    }
    // P(true) and P(false) of every node, each computed directly: a module variable takes both from
    // its function, so small unavailabilities keep their digits through every module.
    const std::size_t top = bdd.size();
    up.assign(top, 0.0);
    down.assign(top, 0.0);
    up[1] = 1.0;
    down[0] = 1.0;
    std::size_t next_binding = 0;
    auto bind = [&](std::size_t n) {
        while (next_binding < bindings_.size() && static_cast<std::size_t>(bindings_[next_binding].root) == n) {
            p[static_cast<std::size_t>(bindings_[next_binding].level)] = up[n];
            pq[static_cast<std::size_t>(bindings_[next_binding].level)] = down[n];
            ++next_binding;
        }
    };
    bind(0);
    bind(1);
    for (BddRef node : live_) {
        const auto n = static_cast<std::size_t>(node);
        const auto l = static_cast<std::size_t>(bdd.level(static_cast<BddRef>(n)));
        const auto hi = static_cast<std::size_t>(bdd.high(static_cast<BddRef>(n)));
        const auto lo = static_cast<std::size_t>(bdd.low(static_cast<BddRef>(n)));
        up[n] = p[l] * up[hi] + pq[l] * up[lo];
        down[n] = p[l] * down[hi] + pq[l] * down[lo];
        bind(n);
    }
}

StructureFunction::Value StructureFunction::evaluate(const std::vector<double>& a, const std::vector<double>& q) const {
    std::vector<double> p, pq, up, down;
    forward(a, q, p, pq, up, down);
    return Value{up[static_cast<std::size_t>(system_up)], down[static_cast<std::size_t>(system_up)]};
}

StructureFunction::Value StructureFunction::evaluate_with_birnbaum(const std::vector<double>& a,
                                                                   const std::vector<double>& q,
                                                                   std::vector<double>& birnbaum) const {
    std::vector<double> p, pq, up, down;
    forward(a, q, p, pq, up, down);
    const auto root = static_cast<std::size_t>(system_up);
    // Adjoints: adj[n] = dA_sys / d up[n]. Reverse node order visits every parent before its children,
    // and every test of a module variable before the module's own nodes.
    std::vector<double> adj(root + 1, 0.0);
    std::vector<double> by_level(p.size(), 0.0);
    adj[root] = 1.0;
    std::size_t binding = bindings_.size();
    for (auto it = live_.rbegin(); it != live_.rend(); ++it) {
        const auto n = static_cast<std::size_t>(*it);
        if (n > root) continue;
        while (binding > 0 && static_cast<std::size_t>(bindings_[binding - 1].root) > n) --binding;
        // Module functions rooted at n receive the gradient gathered on their variable.
        for (std::size_t b = binding; b > 0 && static_cast<std::size_t>(bindings_[b - 1].root) == n; --b) {
            adj[n] += by_level[static_cast<std::size_t>(bindings_[b - 1].level)];
        }
        if (adj[n] == 0.0) continue;
        const auto l = static_cast<std::size_t>(bdd.level(static_cast<BddRef>(n)));
        const auto hi = static_cast<std::size_t>(bdd.high(static_cast<BddRef>(n)));
        const auto lo = static_cast<std::size_t>(bdd.low(static_cast<BddRef>(n)));
        by_level[l] += adj[n] * (down[lo] - down[hi]);  // = up[hi] - up[lo], without cancellation near 1
        adj[hi] += adj[n] * p[l];
        adj[lo] += adj[n] * pq[l];
    }
    birnbaum.assign(a.size(), 0.0);
    for (std::size_t i = 0; i < a.size(); ++i) birnbaum[i] = by_level[static_cast<std::size_t>(level_of_instance[i])];
    return Value{up[root], down[root]};
}

}  // namespace nines::analytic
