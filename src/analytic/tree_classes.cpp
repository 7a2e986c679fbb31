#include "analytic/tree_classes.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "analytic/gate_logic.h"

namespace nines::analytic {

TreeClasses::TreeClasses(const StructureGraph& g, const std::vector<int>& leaf_class, int leaf_classes)
    : leaf_classes_(leaf_classes), root_class_(-1) {
    std::vector<int> class_of(static_cast<std::size_t>(g.node_count), -1);
    for (int i = 0; i < g.instance_count; ++i) class_of[static_cast<std::size_t>(i)] = leaf_class[static_cast<std::size_t>(i)];
    std::map<std::tuple<GateKind, int, std::vector<std::pair<int, int>>>, int> known;
    std::vector<int> kids;
    for (int n : g.gate_order) {  // children before parents: a child's class is known when its parent is met
        const auto nu = static_cast<std::size_t>(n);
        kids.clear();
        for (int k = g.child_begin[nu]; k < g.child_begin[nu + 1]; ++k) {
            kids.push_back(class_of[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]);
        }
        std::sort(kids.begin(), kids.end());
        std::vector<std::pair<int, int>> groups;
        for (int c : kids) {
            if (!groups.empty() && groups.back().first == c) {
                ++groups.back().second;
            } else {
                groups.emplace_back(c, 1);
            }
        }
        auto key = std::make_tuple(g.kind[nu], g.need_up(n), std::move(groups));
        auto found = known.find(key);
        if (found == known.end()) {
            const int id = leaf_classes_ + static_cast<int>(gates_.size());
            gates_.push_back(GateClass{std::get<0>(key), std::get<1>(key), std::get<2>(key)});
            found = known.emplace(std::move(key), id).first;
        }
        class_of[nu] = found->second;
    }
    root_class_ = class_of[static_cast<std::size_t>(g.root)];
}

UpDown TreeClasses::evaluate(const std::vector<UpDown>& leaf_values) const {
    std::vector<UpDown> value(leaf_values);
    value.resize(static_cast<std::size_t>(class_count()));
    std::vector<UnitGroup> groups;
    for (std::size_t j = 0; j < gates_.size(); ++j) {
        groups.clear();
        for (const auto& [c, m] : gates_[j].children) groups.push_back(UnitGroup{value[static_cast<std::size_t>(c)], m});
        value[static_cast<std::size_t>(leaf_classes_) + j] = closed_form_gate(gates_[j].kind, gates_[j].need_up, groups);
    }
    return value[static_cast<std::size_t>(root_class_)];
}

}  // namespace nines::analytic
