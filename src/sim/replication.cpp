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
                              std::pair{&slo_rolling_breach, &other.slo_rolling_breach},
                              std::pair{&slo_rep_mean_down, &other.slo_rep_mean_down},
                              std::pair{&slo_rep_mean_burn, &other.slo_rep_mean_burn},
                              std::pair{&slo_rep_mean_worst, &other.slo_rep_mean_worst}}) {
        if (into->size() < from->size()) into->resize(from->size());
        for (std::size_t k = 0; k < from->size(); ++k) append((*into)[k], (*from)[k]);
    }
    if (slo_rep_hits.size() < other.slo_rep_hits.size()) slo_rep_hits.resize(other.slo_rep_hits.size());
    for (std::size_t k = 0; k < other.slo_rep_hits.size(); ++k) append(slo_rep_hits[k], other.slo_rep_hits[k]);
    for (auto [into, from] : {std::pair{&slo_window_hist, &other.slo_window_hist}, std::pair{&slo_worst_hist, &other.slo_worst_hist}}) {
        if (into->size() < from->size()) into->resize(from->size());
        for (std::size_t k = 0; k < from->size(); ++k) (*into)[k].merge((*from)[k]);
    }
    // Values are kept while the run holds at most slo_value_limit of them: once more (here or in a shard
    // merged in), they go for good, so the outcome depends on the run's total alone.
    if (slo_values_dropped || other.slo_values_dropped || slo_value_count() > slo_value_limit) drop_slo_values();
}

std::size_t BlockAccumulator::slo_value_count() const {
    std::size_t n = 0;
    for (const std::vector<double>& v : slo_window_downtime_h) n += v.size();
    return n;
}

void BlockAccumulator::drop_slo_values() {
    for (auto* per_slo : {&slo_window_downtime_h, &slo_year_worst_h}) {
        for (std::vector<double>& v : *per_slo) std::vector<double>().swap(v);  // the memory too
    }
    slo_values_dropped = true;
}

void BlockAccumulator::take_slo_histograms(BlockAccumulator& other) {
    for (auto [into, from] : {std::pair{&slo_window_hist, &other.slo_window_hist}, std::pair{&slo_worst_hist, &other.slo_worst_hist}}) {
        if (into->size() < from->size()) into->resize(from->size());
        for (std::size_t k = 0; k < from->size(); ++k) {
            (*into)[k].merge((*from)[k]);
            (*from)[k].clear();
        }
    }
}

}  // namespace nines::sim
