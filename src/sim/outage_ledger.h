// The system's outages in one replication: whether the system is up or down, the cause of the current
// outage (planned or unplanned), and everything measured from outages: downtime in the window, per whole
// year and per grid cell, availability at the grid points, outage durations, the outage still open at the
// horizon, system failures and the first one, and the components down during each outage.
//
// Components' part in outages is measured two ways: the number of outages during which at least one of
// its units was down at some instant (`component_outages`), and the system downtime during which at
// least one of its units was down (`component_outage_downtime_h`, clipped to the window). When several
// components are down together, that downtime counts for each of them, so downtime shares can add up to
// more than 100 %; a component whose brief maintenance overlaps a long outage gets only the overlap.
//
// Every outage has a cause. It is *planned* while the units down for maintenance or inspection would by
// themselves keep the system down; it becomes *unplanned* (a system failure) at the first instant it is
// down without that being so. An outage that starts with a failure is unplanned at once; one that starts
// with a maintenance or inspection becomes unplanned when the planned work ends (or is joined by other
// planned work that no longer suffices) while the system stays down.
//
// Every outage is also charged, whole, to one downtime cause (KernelModel's cause ids): the event that
// brought the system down (a component's failure, planned work, a change, a domain outage). Its
// downtime and its count go to that cause alone, so the causes' downtimes sum to the system's.
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
    // The system went down at t with the units `units.down()` out of service, brought down by `cause`
    // (downtime by cause); `planned`: the planned work alone keeps it down. The outage's record
    // (outages.csv) names as its cause the component(s) of the units that went down last (at t itself
    // when a failure or a maintenance start brought it down; earlier when a standby switch-over ran out
    // of time).
    void went_down(double t, bool planned, const UnitLedger& units, int cause);
    // A unit of component c went down at t (call before went_down when it takes the system down).
    void unit_went_down(int c, double t) {
        const auto cu = static_cast<std::size_t>(c);
        if (++component_[cu].units_down == 1 && down_) component_joins_outage(cu, t);
    }
    // A unit of component c is back at t (call before went_up when it brings the system up).
    void unit_came_up(int c, double t) {
        const auto cu = static_cast<std::size_t>(c);
        if (--component_[cu].units_down == 0 && down_) add_component_downtime(cu, t);
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
    void component_joins_outage(std::size_t c, double t);
    void add_component_downtime(std::size_t c, double t) {
        Component& k = component_[c];
        k.outage_downtime_h += window_.overlap(k.down_since, t);
    }
    void close_component_downtime(double t);
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
    // Per component, in one 32-byte record (at 10^6 units, four separate arrays cost four cache misses
    // on a unit's failure or return during an outage).
    struct alignas(32) Component {
        int units_down = 0;           // its units down now
        std::int64_t mark = -1;       // last outage id counted
        double down_since = 0;        // since when it is down in this outage
        // The accumulator's component_outage_downtime_h, copied in at reset and back at close: the same
        // additions in the same order as adding into the accumulator, so the same bits.
        double outage_downtime_h = 0;
    };
    std::vector<Component> component_;
    std::vector<std::size_t> involved_;       // components down at some instant of this outage
    int cause_ = 0;                           // the current outage's cause
    std::vector<int> cause_kind_;             // per cause id: its CauseKind
    std::vector<double> cause_down_;          // per cause: downtime in the window (this replication)
    std::vector<std::int64_t> cause_outages_; // per cause: outages started in the window
    std::vector<double> year_downtime_;       // per whole year of the window
    std::vector<double> cell_down_;           // system downtime per grid cell
    std::vector<double> outages_;             // durations of completed outages (capacity kept)
    std::vector<std::pair<double, double>> down_intervals_;  // for SLO windows (capacity kept)
    int next_grid_ = 0;
    double next_grid_time_ = 0;               // time of grid point next_grid_, infinity when all are recorded
};

}  // namespace nines::sim
