// The demand profiles of capacity blocks, compiled for the kernel: per hour of the repeating period
// (24 h, or a week when any profile is weekly), the threshold of each profiled gate in the structure
// graph's weight units, and the hours at which some threshold changes (the only hours at which the
// kernel needs an event). A demand that changes within a whole unit of capacity changes no threshold.
#pragma once

#include <vector>

#include "model/model.h"
#include "model/structure_graph.h"

namespace nines::sim {

class DemandSchedule {
public:
    DemandSchedule() = default;
    DemandSchedule(const Model& model, const StructureGraph& graph);

    // No profile changes any threshold: no events are needed (thresholds of hour 0 hold throughout).
    bool has_changes() const { return !change_hours_.empty(); }
    bool empty() const { return nodes_.empty(); }
    int period_h() const { return period_h_; }
    // Hours of the period, ascending, whose thresholds differ from the hour before (cyclically).
    const std::vector<int>& change_hours() const { return change_hours_; }
    // The profiled gates, and gate j's threshold (down weight at which it is down) in hour h of the period.
    const std::vector<int>& nodes() const { return nodes_; }
    int threshold(int hour, std::size_t j) const {
        return thresholds_[static_cast<std::size_t>(hour) * nodes_.size() + j];
    }

private:
    int period_h_ = 24;
    std::vector<int> nodes_;
    std::vector<int> thresholds_;  // [hour * nodes + j]
    std::vector<int> change_hours_;
};

}  // namespace nines::sim
