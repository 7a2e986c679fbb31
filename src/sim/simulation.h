// One replication of the discrete-event simulation: clock, event queue, random streams and state.
// A worker thread owns one Simulation and runs replications on it one after another; every buffer is
// sized in the constructor (or keeps its capacity from earlier replications), so the event loop
// neither allocates, throws, logs nor calls anything virtual.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/event_queue.h"
#include "sim/kernel_model.h"
#include "sim/random_stream.h"
#include "sim/replication.h"

namespace nines::sim {

class Simulation {
public:
    explicit Simulation(const KernelModel& km);

    // Runs replication `replication` from an all-up start at t = 0 to the horizon, adding its sums to
    // `acc` and returning its scalars.
    ReplicationOutcome run(std::uint64_t replication, BlockAccumulator& acc);

    // State inspection for tests (valid after run, or between steps in property tests).
    const std::vector<std::uint8_t>& node_down() const { return node_down_; }
    // Flips one instance and propagates incrementally; returns true when the root changed state.
    bool flip_instance(int instance, bool down);
    void reset_state();

private:
    bool propagate_flip(int instance, bool down);
    void planned_flip(int instance, bool down);
    void fail_instance(int i, double t, bool on_top);
    void on_shock(int k, double t);
    double detection_time(int i, std::size_t c, double t, RandomStream& rng) const;
    void request_repair(int instance, double t, bool on_top);
    void request_spare(int instance, double t, bool on_top);
    void on_order_arrival(int slot, double t);
    // Standby groups.
    enum Role : std::uint8_t { kActive, kStandby, kSwitching, kOut };
    void standby_begin(double t);
    void to_standby(int i, double t);
    void to_active(int i, double t);
    void standby_demand(int g, double t);
    void standby_update(int g, double t);
    void standby_member_failed(int i, double t);
    void standby_member_repaired(int i, double t);
    void on_switch_done(int i, double t);
    void on_maintenance(int i, double t);
    void start_maintenance(int i, double t);
    bool would_bring_system_down(int i);
    void retry_maintenance(double t, int repaired);
    void on_inspection(int i, double t);
    void end_inspection(int i, double t);
    void take_down(int i, double t);
    void bring_up(int i, double t);
    double work_duration(int i);  // a repair, or a maintenance when the instance is in maintenance
    void start_repair(int instance, double t, double waited);
    void release_crew(int pool, double t);
    void advance_phase(int instance, double t);
    void account_busy(int pool, double t);

    enum Phase : std::uint8_t { kUp, kDetecting, kLogistics, kSpareWait, kWaiting, kRepairing, kInspecting };
    // A repair waiting for a crew; the heap puts the highest priority, then the earliest, on top.
    struct Waiter {
        int priority;
        std::int64_t seq;
        int instance;
        bool operator<(const Waiter& o) const { return priority != o.priority ? priority < o.priority : seq > o.seq; }
    };
    void on_system_down(double t);
    void on_unplanned(double t);
    void end_planned(int i, double t);
    [[gnu::noinline]] void end_maintenance(int i, double t);
    void close_planned_outage(double t);
    void on_system_up(double t);
    void add_system_downtime(double from, double to);
    void record_grid_until(double t);
    void add_cell_downtime(double from, double to);
    double window_overlap(double from, double to) const {
        const double a = from > km_.warmup_h ? from : km_.warmup_h;
        const double b = to < km_.horizon_h ? to : km_.horizon_h;
        return b > a ? b - a : 0.0;
    }

    const KernelModel& km_;
    const StructureGraph& g_;
    EventQueue queue_;
    std::vector<RandomStream> streams_;      // one per instance
    std::vector<RandomStream> shock_streams_;  // one per common cause
    std::vector<int> failed_children_;       // per node
    std::vector<std::uint8_t> node_down_;    // per node; leaves are the raw instance states
    std::vector<int> stack_;                 // propagation work list, node_count entries
    std::vector<double> down_since_;         // per instance
    std::vector<int> down_list_;             // instances currently down
    std::vector<int> down_position_;         // index in down_list_, per instance
    std::vector<std::int64_t> component_mark_;  // last outage id counted, per component
    std::vector<double> year_downtime_;      // per whole year of the window
    std::vector<double> cell_down_;          // system downtime per grid cell, this replication
    std::vector<double> outages_;            // durations of this replication's completed outages
    std::vector<std::uint8_t> phase_;        // per instance: where it is between failure and repair
    std::vector<double> wait_since_;         // per instance: when it started waiting for a crew
    std::vector<std::vector<Waiter>> waiting_;  // per pool: a heap of repairs waiting for a crew
    std::vector<int> busy_;                  // per pool: crews at work
    std::vector<double> busy_changed_;       // per pool: when busy_ last changed
    std::int64_t waiter_seq_ = 0;
    std::vector<int> on_hand_;               // per spares pool: parts in stock
    std::vector<std::vector<int>> free_order_slots_;  // per spares pool: order slots not in use
    std::vector<std::vector<int>> spare_queue_;       // per spares pool: a ring of repairs waiting for a part
    std::vector<std::size_t> spare_queue_head_;
    std::vector<std::size_t> spare_queue_count_;
    std::vector<double> spare_wait_since_;   // per instance
    std::vector<RandomStream> spare_streams_;  // per spares pool: its lead times
    std::vector<std::uint8_t> role_;         // per instance in a standby group
    std::vector<double> frozen_;             // per instance: remaining time to failure while cold
    std::vector<std::uint8_t> in_maintenance_;  // per instance: down for preventive maintenance
    std::vector<int> active_;                // per group: active units (switching ones not counted)
    std::vector<int> switching_;             // per group: units being started
    std::vector<std::int64_t> rep_failures_; // this replication's failures inside the window, per instance
    std::vector<double> rep_downtime_;       // this replication's downtime inside the window, per instance
    // Planned outages: the structure state with only the units in maintenance or inspection down (sized
    // only when the model has planned outages), and maintenances waiting for redundancy.
    std::vector<int> planned_failed_children_;
    std::vector<std::uint8_t> planned_node_down_;
    std::vector<std::uint8_t> maintenance_pending_;  // per instance
    std::vector<int> pending_maintenance_;

    BlockAccumulator* acc_ = nullptr;
    ReplicationOutcome out_;
    bool system_down_ = false;
    double system_down_since_ = 0;
    bool outage_in_window_ = false;
    bool outage_planned_ = false;            // the current outage is (so far) planned
    std::int64_t outage_id_ = 0;
    int next_grid_ = 0;
    double next_grid_time_ = 0;  // time of grid point next_grid_, infinity when all are recorded
};

}  // namespace nines::sim
