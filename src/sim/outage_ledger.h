// The system's outages in one replication: whether the system is up or down, the cause of the current
// outage (planned or unplanned), and everything measured from outages: downtime in the window, per whole
// year and per grid cell, availability at the grid points, outage durations, the outage still open at the
// horizon, system failures and the first one, and the components down during each outage.
//
// Every outage has a cause. It is *planned* while the units down for maintenance or inspection would by
// themselves keep the system down; it becomes *unplanned* (a system failure) at the first instant it is
// down without that being so. An outage that starts with a failure is unplanned at once; one that starts
// with a maintenance or inspection becomes unplanned when the planned work ends (or is joined by other
// planned work that no longer suffices) while the system stays down.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/kernel_model.h"
#include "sim/replication.h"
#include "sim/unit_ledger.h"
#include "sim/window.h"

namespace nines::sim {

class OutageLedger {
public:
    explicit OutageLedger(const KernelModel& km);
    void reset(BlockAccumulator& acc);

    bool system_down() const { return down_; }
    // The time grid: points before t record the state in force (call before handling an event at t).
    void record_grid_until(double t) {
        if (next_grid_time_ < t) record_grid(t);
    }
    // The system went down at t with the units `units.down()` out of service; `planned`: the planned
    // work alone keeps it down. The outage's cause is the component(s) of the units that went down last
    // (at t itself when a failure or a maintenance start brought it down; earlier when a standby
    // switch-over ran out of time).
    void went_down(double t, bool planned, const UnitLedger& units);
    // A unit of component c went down while the system was already down.
    void unit_down_during_outage(int c) {
        const auto cu = static_cast<std::size_t>(c);
        if (down_ && in_window_ && component_mark_[cu] != outage_id_) {
            component_mark_[cu] = outage_id_;
            ++acc_->component_outages[cu];
            acc_->outage_components.push_back(c);
            ++acc_->outage_records.back().component_count;
        }
    }
    // Planned work no longer keeps the system down: a planned outage still going on becomes unplanned.
    void planned_cover_ended(double t) {
        if (down_ && planned_) unplanned(t);
    }
    void went_up(double t);
    // At the horizon: the open outage, grid points left, and the replication's sums into the block.
    // `events` is the number of events processed.
    ReplicationOutcome close(std::int64_t events);
    // The replication's downtime intervals inside the window, in time order (after close; recorded only
    // for models with SLO windows).
    const std::vector<std::pair<double, double>>& down_intervals() const { return down_intervals_; }

private:
    void record_grid(double t);
    void unplanned(double t);
    void close_planned(double t);
    void add_downtime(double from, double to);
    void add_cell_downtime(double from, double to);
    void close_record(double t, bool open);

    const int* unit_component_;
    Window window_;
    int full_years_;
    int grid_points_;
    int grid_cells_;
    double grid_step_h_;
    bool has_planned_outages_;
    bool record_intervals_;                   // the model has SLO windows

    BlockAccumulator* acc_ = nullptr;
    ReplicationOutcome out_;
    bool down_ = false;
    double down_since_ = 0;
    bool in_window_ = false;                  // the current outage started inside the window
    bool planned_ = false;                    // the current outage is (so far) planned
    std::int64_t outage_id_ = 0;
    std::vector<std::int64_t> component_mark_;  // last outage id counted, per component
    std::vector<double> year_downtime_;       // per whole year of the window
    std::vector<double> cell_down_;           // system downtime per grid cell
    std::vector<double> outages_;             // durations of completed outages (capacity kept)
    std::vector<std::pair<double, double>> down_intervals_;  // for SLO windows (capacity kept)
    int next_grid_ = 0;
    double next_grid_time_ = 0;               // time of grid point next_grid_, infinity when all are recorded
};

}  // namespace nines::sim
