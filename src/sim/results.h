// What a simulation run reports. Plain data; the report layer formats it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/statistics.h"

namespace nines::sim {

struct DistributionSummary {
    std::int64_t count = 0;
    double mean = 0;
    double p50 = 0, p95 = 0, p99 = 0, max = 0;
};

struct ComponentResult {
    std::string name;
    int instances = 0;
    double failures_per_year = 0;      // all instances together, per year of window
    double downtime_h_per_year = 0;    // all instances together (instance-hours down per year)
    double unavailability = 0;         // mean over its instances
    Estimate failures_per_year_ci;     // the same two figures with 95% intervals over replications
    Estimate downtime_h_per_year_ci;
    std::int64_t repairs_started = 0;  // inside the window
    double mean_wait_h = 0;            // mean time a repair waited for a crew (0 with unlimited crews)
    std::int64_t stockouts = 0;        // repairs that found no spare part on hand
    double mean_spare_wait_h = 0;      // mean wait for a part, over the repairs that had to wait
    std::int64_t outages_involved = 0; // system outages during which at least one instance was down
    double outage_share = 0;           // outages_involved / all system outages
    double outage_downtime_h = 0;      // system downtime (window, all replications) while it was down
    double downtime_share = 0;         // outage_downtime_h / all system downtime (OutageLedger: the rule)
};

inline constexpr std::int64_t kMinReliableReplications = 10;

// Downtime charged to one cause (README "Downtime by cause": an outage is charged, whole, to the event
// that brought the system down). A cause is a component's failures, planned work, a change stream, a
// domain's outages or failover switching; `name` is empty for the total of a kind.
struct CauseResult {
    std::string kind;                  // "failure", "maintenance", "change", "domain", "failover"
    std::string name;                  // component, domain or stream; "" for a kind's total
    std::string label;                 // "change:deploys", "change" (as expectations name it)
    Estimate downtime_h_per_year;      // 95% intervals over replications
    Estimate outages_per_year;
    double downtime_share = 0;         // of all system downtime
};

// One system outage that started inside the window (outages.csv): its replication, when it started
// and ended (the horizon when still open there), whether it was planned throughout, the component(s)
// whose going down brought the system down, and every component down at some point during it (indices
// into SimulationResults::components, ascending).
struct OutageResult {
    std::int64_t replication = 0;
    double start_h = 0;
    double end_h = 0;
    bool open = false;
    bool planned = false;
    std::vector<int> causes;
    std::vector<int> components_down;
};

struct PoolResult {
    std::string name;
    int crews = 0;
    double utilisation = 0;            // busy crew-hours / (crews x window), mean over replications
};

// One SLO's figures (`slo:`), over the windows of its kind lying wholly in [warmup, horizon]
// (sim/slo_windows.h says which windows; a rolling window is sampled every 24 h).
struct SloResult {
    std::string window;                // its label: "month", "quarter", "30d", "rolling 30d"
    double target = 0;
    bool rolling = false;
    bool capacity_weighted = false;    // measure: capacity_weighted (downtime = integral of the unserved share)
    std::int64_t windows_per_replication = 0;
    double mean_window_h = 0;          // mean window length
    double budget_h = 0;               // error budget of a window of mean length: (1 - target) x length
    Estimate downtime_h;               // mean downtime per window (log-scale t interval over replications)
    std::vector<PercentileEstimate> downtime_percentiles;  // p50, p95, p99, replication-unit Woodruff intervals
    Estimate breach;                   // P(a window's downtime exceeds its budget), replication as the unit
    Estimate burn;                     // expected share of a window's budget used (downtime / budget)
    std::int64_t years_per_replication = 0;  // whole calendar years (0: no worst-window figures)
    Estimate worst_h;                  // mean over years of the year's worst window downtime
    std::vector<PercentileEstimate> worst_percentiles;     // p50, p95, p99 of the year's worst window
    Estimate breach_time;              // rolling only: fraction of [warmup + length, horizon] in breach
    std::vector<double> downtime_samples_h;  // every window's downtime, replication order (for charts)
};

// Degraded service (README "Degraded service"): what share of its demand the system, or one capacity
// block, serves over [warmup, horizon]; every figure is a mean over replications with a t interval
// (the replication is the unit). The system's "demand" is all of its service, so its unserved time is
// in hours (two hours at half capacity are one hour); a capacity block's is also given in
// capacity-hours (its demand's unit x hours).
struct ServiceResult {
    std::string name;                     // "system", or the capacity block's label
    double mean_demand = 0;               // capacity blocks: the demand's time average (0 for the system)
    Estimate served_fraction;             // time average of min(1, capacity_up / demand)
    Estimate degraded_h_per_year;         // hours a year with 0 < served < 1
    Estimate down_h_per_year;             // hours a year with nothing served
    Estimate unserved_h_per_year;         // integral of (1 - served) per year: capacity-weighted downtime
    Estimate unserved_capacity_h_per_year;  // capacity blocks: integral of (demand - capacity_up)+ per year
    Estimate state_up, state_degraded, state_down;  // fractions of time in each state (sum to 1)
};

struct SimulationResults {
    // Settings actually used.
    std::string scenario_name;
    std::string scenario_file;
    double horizon_h = 0;
    double warmup_h = 0;
    std::int64_t replications = 0;
    std::uint64_t seed = 0;
    double grid_step_h = 0;

    Estimate availability;             // interval availability over [warmup, horizon], mean over replications
    Estimate unavailability;
    Estimate nines;                    // -log10(unavailability); bounds from the unavailability bounds
    Estimate downtime_h_per_year;      // unavailability x 8760 h
    DistributionSummary year_downtime; // over whole simulated years (count = years sampled)
    std::optional<double> budget_h;
    Estimate budget_exceeded;          // probability that a year's downtime exceeds the budget
    std::int64_t system_outages = 0;   // outages (planned or not) that started in the window, all replications
    Estimate failures_per_year;        // unplanned outages (system failures) per year
    Estimate mtbf_h;                   // 8760 / failures per year
    Estimate mean_outage_h;            // ratio estimator over completed outages
    DistributionSummary outage;        // completed outages starting in the window

    std::int64_t first_failures = 0;   // replications whose system failed before the horizon
    std::int64_t censored = 0;         // replications that never failed (censored at the horizon)
    Estimate mttf_h;                   // mean time to first failure; a lower bound when censored > 0

    std::vector<double> grid_t_h;
    std::vector<double> point_availability;
    std::vector<double> point_availability_lo, point_availability_hi;
    std::vector<double> reliability;   // R(t): fraction of replications not yet failed at t
    // Availability over each grid cell [start, start + step): far less noisy than A(t) at a point.
    std::vector<double> cell_start_h;
    std::vector<double> cell_availability;
    std::vector<double> cell_availability_lo, cell_availability_hi;

    // Outages by cause. Unplanned ones are the system failures counted above (and in MTTF and R(t));
    // planned ones come from maintenance and inspections alone. Availability counts both.
    bool has_planned_outages = false;  // the model has maintenance or inspection outages
    std::int64_t unplanned_outages = 0;  // inside the window, all replications
    std::int64_t planned_outages = 0;
    Estimate planned_outages_per_year;
    Estimate unplanned_downtime_h_per_year;
    Estimate planned_downtime_h_per_year;
    // Failover groups: system downtime while a group changes the member carrying its load (detection,
    // switching, failback) and the changes that took the system down, per year (t intervals over replications).
    bool has_failover = false;
    std::int64_t failover_outages = 0;   // inside the window, all replications
    Estimate failover_outages_per_year;
    Estimate failover_downtime_h_per_year;

    std::vector<ComponentResult> components;
    // Downtime by cause: first the totals per kind (failure, maintenance, change, domain, failover),
    // then each component, domain and change stream; the kinds' downtimes sum to the system's.
    std::vector<CauseResult> causes;
    std::vector<PoolResult> pools;
    std::vector<SloResult> slos;       // one per `slo:` window, in the model's order
    // Degraded service: the system's (for every model: without capacity blocks it serves all or
    // nothing, so its served fraction is its availability), and each capacity block's.
    bool has_capacity = false;         // the model has capacity blocks
    ServiceResult service;
    std::vector<ServiceResult> capacity_blocks;
    std::int64_t events = 0;

    // Caveats about the precision of the figures above (few outages, nothing observed, censoring).
    std::vector<std::string> notes;

    // ---- Censoring-aware and replication-as-unit figures (issue 9 items 6, 7, 8, 10).
    // Below kMinReliableReplications replications the t intervals rest on too few values to trust.
    bool intervals_reliable = true;
    // Outage lengths by Kaplan-Meier, the outage open at the horizon of a replication censored there.
    // mean_outage_h and `outage` above are filled from it (restricted mean when the curve does not reach 0).
    KaplanMeierSummary outage_km;
    std::int64_t open_outages = 0;              // outages still open at the horizon (censored)
    std::vector<PercentileEstimate> year_downtime_percentiles;  // p50, p95, p99 with replication-unit intervals
    // First system failure by Kaplan-Meier (replications that never failed censored at the horizon).
    // With censoring, mttf_h.mean is the restricted mean up to the horizon and has no two-sided
    // interval; mttf_lower_bound_h is a 95% lower confidence bound of the MTTF.
    KaplanMeierSummary first_failure_km;
    double mttf_lower_bound_h = 0;

    // Raw samples, for charts and the Python module.
    std::vector<double> year_downtime_samples_h;
    std::vector<double> outage_samples_h;
    std::vector<OutageResult> outage_list;         // every outage of the window, replication order
    std::vector<double> first_failure_samples_h;   // horizon where censored
    std::vector<double> replication_availability;
    std::vector<double> replication_unavailability;       // kept apart so small values keep their digits
    std::vector<double> replication_failures_per_year;

    // Timing: the only part that varies between runs; kept apart from the results above.
    double wall_seconds = 0;
    double events_per_second = 0;
    int threads = 0;
};

}  // namespace nines::sim
