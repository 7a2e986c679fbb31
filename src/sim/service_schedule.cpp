#include "sim/service_schedule.h"

#include <algorithm>

namespace nines::sim {

ServiceSchedule::ServiceSchedule(const KernelModel& km) : km_(km) {
    const std::size_t units = km.instance_component.size();
    in_maintenance_.assign(units, 0);
    waiting_flag_.assign(units, 0);
    waiting_.reserve(units);
}

void ServiceSchedule::begin(Agenda& agenda) {
    std::fill(in_maintenance_.begin(), in_maintenance_.end(), 0);
    for (int i : waiting_) waiting_flag_[static_cast<std::size_t>(i)] = 0;
    waiting_.clear();
    const int units = static_cast<int>(km_.instance_component.size());
    for (int i = 0; i < units; ++i) {
        const auto c = static_cast<std::size_t>(km_.instance_component[static_cast<std::size_t>(i)]);
        if (km_.has_inspection_outage[c]) {
            agenda.schedule(slot(i), km_.inspect_offset[static_cast<std::size_t>(i)] + km_.inspect_every[c], EventKind::InspectionStart);
            continue;
        }
        if (!km_.has_maintenance[c]) continue;
        const int k = i - km_.component_first[c];
        agenda.schedule(slot(i), km_.maintenance_every[c] * (1.0 + static_cast<double>(k) / km_.component_units[c]),
                        EventKind::MaintenanceDue);
    }
}

}  // namespace nines::sim
