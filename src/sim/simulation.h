// One replication of the discrete-event simulation: a small coordinator over parts with one job each.
//   Agenda           the pending events, each with its EventKind (event_kind.h)
//   StructureState   the structure's up/down state, incremental (and a shadow for planned outages)
//   UnitLedger       the units down, their failures and downtime
//   OutageLedger     system up/down, outage causes, downtime per year and grid cell, outages
//   RepairShop       crews and spare parts
//   StandbyGroups    roles and failure clocks of standby units
//   FailoverGroups   which member carries each failover group's load, and the failover downtime
//   ServiceSchedule  preventive maintenance and inspections
// The event loop (run) pops the earliest event and dispatches on its kind with one switch; each handler
// below is the one place where that kind of event is handled. A unit fails only through fail_unit()
// and comes back only through bring_up().
//
// A worker thread owns one Simulation and runs replications on it one after another; every buffer is
// sized in the constructor (or keeps its capacity from earlier replications), so the event loop
// neither allocates, throws, logs nor calls anything virtual. The kernel reads only its KernelModel.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/agenda.h"
#include "sim/failover_groups.h"
#include "sim/kernel_model.h"
#include "sim/load_sharing.h"
#include "sim/outage_ledger.h"
#include "sim/slo_windows.h"
#include "sim/random_stream.h"
#include "sim/repair_shop.h"
#include "sim/replication.h"
#include "sim/service_schedule.h"
#include "sim/served_ledger.h"
#include "sim/standby_groups.h"
#include "sim/structure_state.h"
#include "sim/unit_ledger.h"
#include "sim/window.h"

namespace nines::sim {

class Simulation {
public:
    explicit Simulation(const KernelModel& km);

    // Runs replication `replication` from an all-up start at t = 0 to the horizon, adding its sums to
    // `acc` and returning its scalars.
    ReplicationOutcome run(std::uint64_t replication, BlockAccumulator& acc);

    // Degraded service (tests: the graded structure function on the current state, in `hour`).
    ServedLedger& served() { return served_; }
    const StructureState& structure() const { return structure_; }

    // State inspection for tests (valid after run, or between steps in property tests).
    const std::vector<std::uint8_t>& node_down() const { return structure_.node_down(); }
    // Flips one instance and propagates incrementally; returns true when the root changed state.
    bool flip_instance(int instance, bool down) { return structure_.flip(instance, down); }
    void reset_state() { structure_.reset(); }

private:
    // ---- Event handlers, one per EventKind (unit i, or the slot's owner; the event is the agenda's top).
    void on_failure(int i, double t);
    void on_detection_end(int i, double t);
    void on_logistics_end(int i, double t);
    void on_repair_end(int i, double t);
    void on_maintenance_end(int i, double t);
    void on_inspection_end(int i, double t);
    void on_shock(int k, double t);
    void on_spare_arrival(int slot, double t);
    void on_switch_done(int i, double t);
    void on_maintenance_due(int i, double t);
    void on_inspection_start(int i, double t);
    void on_demand_change(double t);
    // Sets the profiled gates' thresholds of hour `hour` of the demand period, with the outage that
    // starts or ends when the system's state changes with them.
    void apply_demand(int hour, double t);
    void schedule_demand_change();
    void on_failover_step(int g, double t);
    void on_change_due(int s, double t);
    void on_change_reach(int s, double t);
    void on_change_restart_end(int s, double t);
    void on_change_detected(int s, double t);
    void on_change_rollback_end(int s, double t);

    // ---- The failure path and the return path.
    // Unit i fails at t. `on_top`: its failure event is the agenda's top (reused for what follows);
    // otherwise it has no pending event.
    void fail_unit(int i, double t, bool on_top);
    void take_down(int i, double t, int cause);  // out of service (charged to `cause`): ledgers and structure
    void bring_up(int i, double t);   // back in service: ledgers and structure
    void back_in_service(int i, double t);  // what a return sets off: standby, waiting maintenance
    double detection_time(int i, int c, double t);
    // The unit is ready for repair (detected, logistics done): a part, then a crew, then the work.
    void request_spare(int i, double t, bool on_top);
    void request_repair(int i, double t, bool on_top);
    void release_crew(int pool, double t);
    double work_duration(int i);  // a repair, or a maintenance when the unit is in maintenance
    EventKind work_end(int i) const {
        return service_.in_maintenance(i) ? EventKind::MaintenanceEnd : EventKind::RepairEnd;
    }

    // ---- Outages, standby groups, planned work.
    void system_went_down(double t);
    void system_went_up(double t);
    void failover_review(double t);
    void failover_gates(double t);
    void standby_failed(int i, double t);
    void standby_demand(int g, double t);
    void standby_gate(int g, double t);
    void start_maintenance(int i, double t);
    bool would_bring_system_down(int i);
    void review_waiting_maintenance(double t, int repaired);
    void end_planned(int i, double t);

    // ---- Changes (README "Changes"): a change holds the units it takes out of service; a unit is out of
    // service while it is down itself (failure, repair, planned work) or held by at least one change.
    void change_reach(int s, double t);
    void change_step_done(int s, double t);
    void hold(int i, double t, int cause);
    void release(int i, double t);
    int change_slot(int s, int which) const { return km_.change_slot_base + 3 * s + which; }  // 0 due, 1 step, 2 end

    int component(int i) const { return km_.unit_route[static_cast<std::size_t>(i)].component; }
    // Called right after the event on top was rescheduled: when the new top is a unit's event, its
    // records start coming into the cache while this event's bookkeeping runs. At 10^5-10^6 units each
    // of them is a cache miss the next event would otherwise wait for; the values are unchanged.
    // Only for models whose units' records outgrow the caches (kPrefetchUnits and up): on model M's 100
    // units the prefetches were pure overhead (kernel/hand-tuned 1.20 -> 1.23).
    [[gnu::always_inline]] void prefetch_top() {
        if (!prefetch_) return;
        const int j = agenda_.top_slot();
        if (j >= units_count_) return;
        const auto ju = static_cast<std::size_t>(j);
        __builtin_prefetch(&km_.unit_route[ju]);
        __builtin_prefetch(&streams_[ju], 1);
        if (agenda_.top_kind() == EventKind::RepairEnd) __builtin_prefetch(&km_.instance_failure[ju]);
        units_.prefetch(j);
        structure_.prefetch(j);
    }

    const KernelModel& km_;
    const int units_count_;                    // km_.graph.instance_count: slots below it are units
    static constexpr int kPrefetchUnits = 32768;
    const bool prefetch_;                      // units_count_ >= kPrefetchUnits (see prefetch_top)
    Window window_;
    Agenda agenda_;
    std::vector<RandomStream> streams_;        // one per unit
    std::vector<RandomStream> shock_streams_;  // one per common cause
    std::vector<double> stopped_clock_;        // per unit: remaining time to failure while its clock is stopped
    std::size_t demand_next_ = 0;             // index in the schedule's change hours of the next change
    std::int64_t demand_period_ = 0;           // the period the next change falls in
    StructureState structure_;
    StructureState planned_;                   // only the units down for maintenance or inspection
    UnitLedger units_;
    OutageLedger outages_;
    SloWindows slo_;
    ServedLedger served_;                      // degraded service of capacity blocks (enabled with capacity blocks)
    const bool has_served_;
    LoadSharing load_;                         // load-sharing capacity blocks' failure clocks
    const bool has_load_;
    RepairShop shop_;
    StandbyGroups standby_;
    FailoverGroups failover_;
    const bool has_failover_;     // km_.has_failover, kept here: tested on every unit flip
    bool reviewing_ = false;      // failover_review is running (a nested change asks it to look again)
    bool review_again_ = false;
    ServiceSchedule service_;
    // The cause of the last unit to go out of service: a system outage it (or the gate it set off) begins is
    // charged to it. A standby group's gate going down is charged to the member failure that set it off.
    int last_cause_ = 0;
    // Change streams: per stream its random stream and the change in progress; per unit its holds.
    struct ChangeInProgress {
        bool active = false;
        bool bad = false;
        bool detected = false;
        int reached = 0;       // targets reached so far (a prefix of the roll-out order)
        int step_first = 0;    // the first target of the current step
    };
    std::vector<RandomStream> change_streams_;
    std::vector<ChangeInProgress> changes_;
    std::vector<int> hold_;
    bool has_changes_ = false;
};

}  // namespace nines::sim
