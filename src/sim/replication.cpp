#include "sim/replication.h"

namespace nines::sim {

namespace {
template <typename T>
void add_into(std::vector<T>& into, const std::vector<T>& from) {
    for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}
template <typename T>
void append(std::vector<T>& into, const std::vector<T>& from) {
    into.insert(into.end(), from.begin(), from.end());
}
}  // namespace

void BlockAccumulator::merge(const BlockAccumulator& other) {
    add_into(instance_failures, other.instance_failures);
    add_into(instance_downtime_h, other.instance_downtime_h);
    add_into(component_outages, other.component_outages);
    add_into(component_outage_downtime_h, other.component_outage_downtime_h);
    add_into(component_failures_sq, other.component_failures_sq);
    add_into(component_downtime_sq, other.component_downtime_sq);
    add_into(grid_up, other.grid_up);
    add_into(cell_down, other.cell_down);
    add_into(cell_down_sq, other.cell_down_sq);
    add_into(component_wait_h, other.component_wait_h);
    add_into(component_repairs, other.component_repairs);
    add_into(pool_busy_h, other.pool_busy_h);
    add_into(component_spare_wait_h, other.component_spare_wait_h);
    add_into(component_stockouts, other.component_stockouts);
    add_into(cause_downtime_h, other.cause_downtime_h);
    add_into(cause_downtime_sq, other.cause_downtime_sq);
    add_into(cause_outages, other.cause_outages);
    add_into(cause_outages_sq, other.cause_outages_sq);
    append(year_downtime_h, other.year_downtime_h);
    append(outage_durations_h, other.outage_durations_h);
    append(outage_records, other.outage_records);
    append(service, other.service);
    append(outage_causes, other.outage_causes);
    append(outage_components, other.outage_components);
    for (auto [into, from] : {std::pair{&slo_window_downtime_h, &other.slo_window_downtime_h},
                              std::pair{&slo_year_worst_h, &other.slo_year_worst_h},
                              std::pair{&slo_rolling_breach, &other.slo_rolling_breach}}) {
        if (into->size() < from->size()) into->resize(from->size());
        for (std::size_t k = 0; k < from->size(); ++k) append((*into)[k], (*from)[k]);
    }
}

}  // namespace nines::sim
