// SLO windows (`slo:`): the system's downtime in each window of each SLO's kind, the worst window of
// each calendar year, and for rolling windows the fraction of time the trailing window is over budget.
// The outage ledger hands over the replication's downtime intervals (clipped to [warmup, horizon]) at
// the horizon; everything here runs once per replication, never in the event loop, and models without
// `slo:` skip it entirely (the ledger then records no intervals).
//
// Which windows count: those lying wholly in [warmup, horizon] (the calendar is model/model.h's:
// time 0 = 1 January 00:00 of a non-leap year). A rolling window of L is evaluated as a sample every
// 24 h from warmup + L on (these are its "windows" for the downtime distribution and P(breach));
// the fraction of time in breach is exact over [warmup + L, horizon]. A window belongs to the calendar
// year in which it ends; only years lying wholly in [warmup, horizon] have a worst window.
#pragma once

#include <utility>
#include <vector>

#include "model/model.h"
#include "sim/replication.h"
#include "sim/results.h"

namespace nines::sim {

// One SLO's windows, fixed by the model and the time settings (the same in every replication).
struct SloWindowPlan {
    std::vector<double> start, end;   // wholly inside [warmup, horizon], in time order
    std::vector<double> budget_h;     // (1 - target) x length: downtime allowed in the window
    std::vector<int> year;            // index of its whole calendar year among `years`, or -1
    int years = 0;                    // whole calendar years inside [warmup, horizon]
    bool rolling = false;
    double length_h = 0;              // rolling: window length
    double allowed_fraction = 0;      // 1 - target
};

// The windows of `slo` inside [warmup, horizon].
SloWindowPlan plan_slo_windows(const SloObjective& slo, double warmup_h, double horizon_h);

// Month lengths of the virtual calendar, in days (January first).
const std::vector<int>& calendar_month_days();

// Downtime in [a, b] of sorted, disjoint intervals `down`: binary search over their prefix sums.
// With `weights` (parallel to the intervals), interval i counts weights[i] per hour: the unserved share of
// a capacity-weighted SLO (README "Degraded service").
class DowntimeIndex {
public:
    void assign(const std::vector<std::pair<double, double>>& down, const std::vector<double>* weights = nullptr);
    double up_to(double t) const;                        // downtime in (-inf, t]
    double between(double a, double b) const { return up_to(b) - up_to(a); }

private:
    const std::vector<std::pair<double, double>>* down_ = nullptr;
    const std::vector<double>* weights_ = nullptr;       // null: every interval counts 1 per hour
    std::vector<double> before_;                         // downtime before interval i starts
};

// Time in [from, to] during which the downtime of the trailing window [t - length, t] exceeds
// `budget_h`, for sorted disjoint intervals (exact: the trailing downtime is piecewise linear between
// interval ends and those ends + length).
double rolling_breach_time(const std::vector<std::pair<double, double>>& down, double from, double to, double length_h,
                           double budget_h, const std::vector<double>* weights = nullptr);

class SloWindows {
public:
    SloWindows(const Model& model, double warmup_h, double horizon_h);
    bool enabled() const { return !plans_.empty(); }
    // At the horizon: this replication's window downtimes, yearly worst windows and rolling breach time
    // into the block (per SLO, in replication order).
    // `unserved`/`unserved_share`: the system's pieces of partial or total outage and their unserved
    // shares, which capacity-weighted SLOs count instead of `down` (null: the model has no capacity
    // blocks, and a capacity-weighted SLO counts `down`, the same thing).
    // `replication` (its index in the run) picks the batch of the log histograms.
    void close(const std::vector<std::pair<double, double>>& down, BlockAccumulator& acc, std::int64_t replication,
               const std::vector<std::pair<double, double>>* unserved = nullptr,
               const std::vector<double>* unserved_share = nullptr);
    const std::vector<SloWindowPlan>& plans() const { return plans_; }

private:
    std::vector<SloWindowPlan> plans_;
    std::vector<bool> capacity_weighted_;  // per SLO: counts the unserved share (measure: capacity_weighted)
    double warmup_h_;
    double horizon_h_;
    DowntimeIndex index_;
    std::vector<double> worst_;
};

// The SLO figures of a run from its merged block (`replications` replications, in order).
std::vector<SloResult> summarise_slos(const Model& model, double warmup_h, double horizon_h, const BlockAccumulator& merged,
                                      std::int64_t replications);

}  // namespace nines::sim
