#include "sim/load_sharing.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nines::sim {

LoadSharing::LoadSharing(const KernelModel& km) {
    const Model& model = *km.model;
    const StructureGraph& g = km.graph;
    std::vector<std::vector<int>> of_instance(static_cast<std::size_t>(g.instance_count));
    for (std::size_t b = 0; b < model.blocks.size(); ++b) {
        const Block& block = model.blocks[b];
        if (block.kind != BlockKind::Capacity || block.load_sharing_factor <= 0) continue;
        const int j = static_cast<int>(blocks_.size());
        blocks_.push_back({g.block_node[b], g.total_weight(g.block_node[b]), block.load_sharing_factor});
        for (int child : block.children) {
            const Block& member = model.blocks[static_cast<std::size_t>(child)];
            auto& list = of_instance[static_cast<std::size_t>(member.instance)];
            if (std::find(list.begin(), list.end(), j) == list.end()) list.push_back(j);
        }
    }
    for (int i = 0; i < g.instance_count; ++i) {
        if (of_instance[static_cast<std::size_t>(i)].empty()) continue;
        members_.push_back(i);
        member_blocks_.push_back(of_instance[static_cast<std::size_t>(i)]);
    }
    block_factor_.assign(blocks_.size(), 1.0);
    reset();
}

void LoadSharing::reset() {
    scheduled_time_.assign(members_.size(), std::numeric_limits<double>::quiet_NaN());
    scheduled_factor_.assign(members_.size(), 1.0);
}

double LoadSharing::factor(std::size_t j, const StructureState& state) const {
    const Shared& b = blocks_[j];
    const int up = b.total_units - state.failed_weight(b.node);
    if (up <= 0 || up >= b.total_units) return 1.0;
    return std::pow(static_cast<double>(b.total_units) / up, b.exponent);
}

void LoadSharing::after_event(double t, const StructureState& state, Agenda& agenda) {
    for (std::size_t j = 0; j < blocks_.size(); ++j) block_factor_[j] = factor(j, state);
    for (std::size_t m = 0; m < members_.size(); ++m) {
        const int i = members_[m];
        if (!agenda.contains(i) || agenda.kind_of(i) != EventKind::Failure) {
            scheduled_time_[m] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        double f = 1.0;
        for (int j : member_blocks_[m]) f *= block_factor_[static_cast<std::size_t>(j)];
        const double when = agenda.time_of(i);
        double moved = when;
        if (when != scheduled_time_[m]) {
            moved = t + (when - t) / f;  // drawn during this event at the nominal speed
        } else if (f != scheduled_factor_[m]) {
            moved = t + (when - t) * scheduled_factor_[m] / f;
        }
        if (moved != when) agenda.move(i, moved);
        scheduled_time_[m] = moved;
        scheduled_factor_[m] = f;
    }
}

}  // namespace nines::sim
