// Per-replication outputs and the accumulator that gathers a block of replications.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/log_histogram.h"

namespace nines::sim {

// Scalars of one replication (kept per replication, in replication order).
struct ReplicationOutcome {
    double unavailability = 0;        // system downtime / window length, window = [warmup, horizon]
    std::int64_t system_failures = 0; // unplanned outages (system failures) that started inside the window
    double first_failure_h = 0;       // time of the first system failure from t = 0 (horizon if none)
    bool failed = false;              // false: censored, the system never failed before the horizon
    double outage_sum_h = 0;          // total length of completed outages that started in the window
    std::int64_t outage_count = 0;    // number of those outages
    std::int64_t events = 0;          // transitions processed
    // The outage still open at the horizon, if one started in the window: its length so far (a
    // censored duration for the Kaplan-Meier estimate of the outage length).
    bool outage_open = false;
    double open_outage_h = 0;
    // Planned outages (maintenance, inspections; see OutageLedger for the rule).
    std::int64_t planned_outages = 0; // planned outages that started inside the window
    double planned_downtime = 0;      // their downtime / window length (part of `unavailability`)
    // Failover groups (FailoverLedger): system downtime while a group changes its carrying member
    // (detection, switching, failback) / window length, and the changes that took the system down.
    double failover_downtime = 0;
    std::int64_t failover_outages = 0;
};

// One system outage that started inside the window, as outages.csv lists it. Its cause components and
// the components down during it are the next `cause_count` entries of BlockAccumulator::outage_causes
// and the next `component_count` entries of BlockAccumulator::outage_components (counts, not offsets,
// so that blocks append).
struct OutageRecord {
    double start_h = 0;
    double end_h = 0;                 // the horizon when the outage is still open there
    bool open = false;                // still open at the horizon: its length is censored there
    bool planned = false;             // planned from start to end (maintenance, inspections alone)
    int cause_count = 0;
    int component_count = 0;
};

// Sums over a block of consecutive replications. Blocks are merged in block order, so floating-point
// sums do not depend on how many threads ran or which thread ran what.
struct BlockAccumulator {
    std::vector<std::int64_t> instance_failures;   // failures inside the window, per instance
    std::vector<double> instance_downtime_h;       // raw downtime inside the window, per instance
    std::vector<std::int64_t> component_outages;   // system outages during which the component was down
    std::vector<double> component_outage_downtime_h; // system downtime while the component was down (window)
    std::vector<double> component_failures_sq;     // sum over replications of (its failures in the replication)^2
    std::vector<double> component_downtime_sq;     // sum over replications of (its downtime in the replication)^2
    std::vector<double> component_wait_h;          // time spent waiting for a crew (repairs started in the window)
    std::vector<std::int64_t> component_repairs;   // repairs started in the window
    std::vector<double> pool_busy_h;               // crew-hours busy inside the window, per pool
    std::vector<double> component_spare_wait_h;    // time waiting for a spare part (repairs started in the window)
    std::vector<std::int64_t> component_stockouts; // repairs that found no spare on hand (in the window)
    std::vector<std::int64_t> grid_up;             // replications with the system up at each grid point
    std::vector<double> cell_down;                 // system downtime in each grid cell, summed over replications
    std::vector<double> cell_down_sq;              // the same, squared per replication
    std::vector<double> year_downtime_h;           // one entry per whole simulated year, in order
    std::vector<double> outage_durations_h;        // completed outages, in order
    // Every outage that started in the window (completed ones, then the one open at the horizon, per
    // replication), with its cause components and the components down during it (sorted indices).
    std::vector<OutageRecord> outage_records;
    std::vector<int> outage_causes;
    std::vector<int> outage_components;
    // Per SLO (model order): downtime of each window, worst window of each whole year, and (rolling
    // windows) the fraction of time in breach, one entry per replication; each in replication order.
    std::vector<std::vector<double>> slo_window_downtime_h;
    std::vector<std::vector<double>> slo_year_worst_h;
    std::vector<std::vector<double>> slo_rolling_breach;
    // Per SLO: every window downtime and every year's worst window in exact integer log histograms, by
    // batch of replications (kept always; merged by integer addition), and per replication, in
    // replication order, the mean window downtime, the mean share of the budget used, the windows over
    // budget and the mean of the years' worst windows (the intervals' inputs, without the values).
    std::vector<BatchedLogHistogram> slo_window_hist;
    std::vector<BatchedLogHistogram> slo_worst_hist;
    std::vector<std::vector<double>> slo_rep_mean_down;
    std::vector<std::vector<double>> slo_rep_mean_burn;
    std::vector<std::vector<std::int64_t>> slo_rep_hits;
    std::vector<std::vector<double>> slo_rep_mean_worst;
    // True once the SLO values (slo_window_downtime_h, slo_year_worst_h) were let go: more window
    // downtimes than slo_value_limit in what was merged into this accumulator. A function of the run's
    // total alone, so a run split into shards decides as the single process does. The limit is the
    // run's (SimulationSettings::exact_slo_values) and is not reset.
    bool slo_values_dropped = false;
    std::size_t slo_value_limit = 100'000;
    // Per downtime cause (KernelModel's cause ids): downtime in the window and outages started in it,
    // summed over replications, and the sums of their squares per replication (for intervals).
    std::vector<double> cause_downtime_h;
    std::vector<double> cause_downtime_sq;
    std::vector<std::int64_t> cause_outages;
    std::vector<double> cause_outages_sq;
    // Degraded service (sim/served_ledger.h), models with capacity blocks only: per replication, in
    // replication order, kServiceValues values for the system and then for each capacity block.
    std::vector<double> service;

    void reset(int instances, int components, int grid_points, int grid_cells, int pools, int causes) {
        cause_downtime_h.assign(static_cast<std::size_t>(causes), 0.0);
        cause_downtime_sq.assign(static_cast<std::size_t>(causes), 0.0);
        cause_outages.assign(static_cast<std::size_t>(causes), 0);
        cause_outages_sq.assign(static_cast<std::size_t>(causes), 0.0);
        component_wait_h.assign(static_cast<std::size_t>(components), 0.0);
        component_repairs.assign(static_cast<std::size_t>(components), 0);
        pool_busy_h.assign(static_cast<std::size_t>(pools), 0.0);
        component_spare_wait_h.assign(static_cast<std::size_t>(components), 0.0);
        component_stockouts.assign(static_cast<std::size_t>(components), 0);
        cell_down.assign(static_cast<std::size_t>(grid_cells), 0.0);
        cell_down_sq.assign(static_cast<std::size_t>(grid_cells), 0.0);
        instance_failures.assign(static_cast<std::size_t>(instances), 0);
        instance_downtime_h.assign(static_cast<std::size_t>(instances), 0.0);
        component_outages.assign(static_cast<std::size_t>(components), 0);
        component_outage_downtime_h.assign(static_cast<std::size_t>(components), 0.0);
        component_failures_sq.assign(static_cast<std::size_t>(components), 0.0);
        component_downtime_sq.assign(static_cast<std::size_t>(components), 0.0);
        grid_up.assign(static_cast<std::size_t>(grid_points), 0);
        year_downtime_h.clear();
        outage_durations_h.clear();
        outage_records.clear();
        outage_causes.clear();
        outage_components.clear();
        service.clear();
        for (auto* per_slo : {&slo_window_downtime_h, &slo_year_worst_h, &slo_rolling_breach, &slo_rep_mean_down,
                              &slo_rep_mean_burn, &slo_rep_mean_worst}) {
            for (std::vector<double>& v : *per_slo) v.clear();  // capacity kept
        }
        for (std::vector<std::int64_t>& v : slo_rep_hits) v.clear();
        for (auto* per_slo : {&slo_window_hist, &slo_worst_hist}) {
            for (BatchedLogHistogram& h : *per_slo) h.clear();
        }
        slo_values_dropped = false;
    }
    void merge(const BlockAccumulator& other);
    // SLO window downtimes and yearly worst windows held (all SLOs).
    std::size_t slo_value_count() const;
    // Lets the SLO values go (their histograms stay) and remembers it.
    void drop_slo_values();
    // Adds `other`'s SLO histograms to these and empties `other`'s (integer sums: the order is free).
    void take_slo_histograms(BlockAccumulator& other);
};

}  // namespace nines::sim
