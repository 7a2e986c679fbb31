#include "analytic/structure_function.h"

namespace nines::analytic {

StructureFunction StructureFunction::build(const StructureGraph& g, std::size_t node_limit) {
    StructureFunction sf(g.instance_count, node_limit);
    sf.level_of_instance.assign(static_cast<std::size_t>(g.instance_count), -1);
    // Iterative depth-first walk (structures can be deep), children in the order written.
    std::vector<std::uint8_t> visited(static_cast<std::size_t>(g.node_count), 0);
    std::vector<std::pair<int, int>> stack{{g.root, g.child_begin[static_cast<std::size_t>(g.root)]}};
    visited[static_cast<std::size_t>(g.root)] = 1;
    int next_level = 0;
    if (g.is_leaf(g.root)) sf.level_of_instance[static_cast<std::size_t>(g.root)] = next_level++;
    while (!stack.empty()) {
        auto& [node, next_child] = stack.back();
        if (next_child >= g.child_begin[static_cast<std::size_t>(node) + 1]) {
            stack.pop_back();
            continue;
        }
        const int child = g.children[static_cast<std::size_t>(next_child++)];
        if (visited[static_cast<std::size_t>(child)]) continue;
        visited[static_cast<std::size_t>(child)] = 1;
        if (g.is_leaf(child)) {
            sf.level_of_instance[static_cast<std::size_t>(child)] = next_level++;
        } else {
            stack.emplace_back(child, g.child_begin[static_cast<std::size_t>(child)]);
        }
    }
    for (int& level : sf.level_of_instance) {
        if (level < 0) level = next_level++;  // not part of the system: any level will do
    }
    sf.instance_at_level.assign(static_cast<std::size_t>(g.instance_count), 0);
    for (int i = 0; i < g.instance_count; ++i) {
        sf.instance_at_level[static_cast<std::size_t>(sf.level_of_instance[static_cast<std::size_t>(i)])] = i;
    }

    std::vector<BddRef> up(static_cast<std::size_t>(g.node_count), Bdd::kFalse);
    for (int i = 0; i < g.instance_count; ++i) {
        up[static_cast<std::size_t>(i)] = sf.bdd.variable(sf.level_of_instance[static_cast<std::size_t>(i)]);
    }
    std::vector<BddRef> kids;
    for (int n : g.gate_order) {
        kids.clear();
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            kids.push_back(up[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]);
        }
        const int count = static_cast<int>(kids.size());
        const int need_up = count - g.threshold[static_cast<std::size_t>(n)] + 1;
        BddRef f;
        if (need_up == count) {
            f = Bdd::kTrue;
            for (BddRef k : kids) f = sf.bdd.and_(f, k);
        } else if (need_up == 1) {
            f = Bdd::kFalse;
            for (BddRef k : kids) f = sf.bdd.or_(f, k);
        } else {
            f = sf.bdd.at_least(kids, need_up);
        }
        up[static_cast<std::size_t>(n)] = f;
    }
    sf.system_up = up[static_cast<std::size_t>(g.root)];
    return sf;
}

std::vector<double> StructureFunction::to_levels(const std::vector<double>& a) const {
    std::vector<double> p(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) p[static_cast<std::size_t>(level_of_instance[i])] = a[i];
    return p;
}

StructureFunction::Value StructureFunction::evaluate(const std::vector<double>& a, const std::vector<double>& q) const {
    const std::vector<double> pa = to_levels(a);
    const std::vector<double> pq = to_levels(q);
    return Value{bdd.probability(system_up, pa, pq, false), bdd.probability(system_up, pa, pq, true)};
}

StructureFunction::Value StructureFunction::evaluate_with_birnbaum(const std::vector<double>& a,
                                                                   const std::vector<double>& q,
                                                                   std::vector<double>& birnbaum) const {
    const std::vector<double> pa = to_levels(a);
    const std::vector<double> pq = to_levels(q);
    std::vector<double> by_level;
    Value v;
    v.unavailability = bdd.probability_and_gradient(system_up, pa, pq, true, by_level);
    v.availability = bdd.probability(system_up, pa, pq, false);
    birnbaum.assign(a.size(), 0.0);
    for (std::size_t i = 0; i < a.size(); ++i) birnbaum[i] = by_level[static_cast<std::size_t>(level_of_instance[i])];
    return v;
}

}  // namespace nines::analytic
