#include "sim/demand_schedule.h"

#include <cmath>

namespace nines::sim {

DemandSchedule::DemandSchedule(const Model& model, const StructureGraph& graph) {
    std::vector<std::size_t> profiled;
    for (std::size_t b = 0; b < model.blocks.size(); ++b) {
        if (model.blocks[b].demand_profile.empty()) continue;
        profiled.push_back(b);
        if (model.blocks[b].demand_profile.size() == 168) period_h_ = 168;
    }
    if (profiled.empty()) return;
    for (std::size_t b : profiled) nodes_.push_back(graph.block_node[b]);
    thresholds_.resize(static_cast<std::size_t>(period_h_) * nodes_.size());
    for (std::size_t j = 0; j < profiled.size(); ++j) {
        const Block& block = model.blocks[profiled[j]];
        const int node = nodes_[j];
        const int total = graph.total_weight(node);
        // The graph counts weights in units of their common divisor: the first member's written
        // capacity over its weight in the graph.
        const int unit = block.weights.front() / graph.weight[static_cast<std::size_t>(graph.child_begin[static_cast<std::size_t>(node)])];
        const auto hours = block.demand_profile.size();
        for (int h = 0; h < period_h_; ++h) {
            const double demand = block.demand_profile[static_cast<std::size_t>(h) % hours];
            const int need = static_cast<int>(std::ceil(demand));           // whole capacity
            const int need_units = (need + unit - 1) / unit;                 // in the graph's units
            thresholds_[static_cast<std::size_t>(h) * nodes_.size() + j] = total - need_units + 1;
        }
    }
    for (int h = 0; h < period_h_; ++h) {
        const int before = (h + period_h_ - 1) % period_h_;
        for (std::size_t j = 0; j < nodes_.size(); ++j) {
            if (threshold(h, j) != threshold(before, j)) {
                change_hours_.push_back(h);
                break;
            }
        }
    }
}

}  // namespace nines::sim
