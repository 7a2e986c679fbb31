// The model prepared for the event loop: structure arrays, samplers per component, instance ->
// component map, and the time settings of the run. Built once, shared read-only by all workers.
// The kernel (Simulation and its parts) reads only this; `model` is kept for the runner's reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"
#include "model/structure_graph.h"
#include "sim/demand_schedule.h"
#include "sim/sampler.h"

namespace nines::sim {

// What kind of event a downtime cause is; every cause id has one, and the totals per kind are
// tallied too (accumulator entries cause_count + kind).
enum class CauseKind { Failure, Maintenance, Change, Domain, Failover };
inline constexpr int kCauseKinds = 5;
const char* to_string(CauseKind kind);  // "failure", "maintenance", "change", "domain", "failover"

struct KernelModel {
    const Model* model = nullptr;
    StructureGraph graph;
    std::vector<Sampler> failure;            // per component
    std::vector<Sampler> repair;             // per component (unused when not repairable)
    std::vector<std::uint8_t> repairable;    // per component
    std::vector<int> instance_component;     // per instance
    int component_count = 0;
    std::vector<int> component_first;        // per component: its first instance
    std::vector<int> component_units;        // per component: its instances (count)
    std::vector<Sampler> instance_failure;   // per instance: its own failures (beta factor applied)
    std::vector<const Distribution*> instance_failure_law;  // what instance_failure samples
    std::vector<Distribution> scaled_failure_law;  // the laws of beta-factor group members (owned here)
    // Common causes: event slots instance_count + k.
    std::vector<Sampler> shock;
    std::vector<Distribution> shock_law;
    std::vector<std::vector<int>> shock_members;
    std::vector<std::uint32_t> shock_key;
    // Operations (per component): detection and logistics delays, crew pools. Components without any
    // take the direct path in the event loop (repair starts at the failure).
    std::vector<std::uint8_t> has_ops;
    std::vector<std::uint8_t> has_detect, has_logistics;
    std::vector<double> inspect_every;       // > 0: hidden failures, found at the next inspection
    std::vector<double> inspect_offset;      // per instance: inspections at offset + j x every, j >= 1
    std::vector<Sampler> detect, logistics;  // per component; empty when no component has that delay
    std::vector<int> pool;                   // -1: unlimited crews
    std::vector<int> priority;
    std::vector<int> pool_crews;             // per pool
    // Spares: per component its pool (-1: none); per pool the initial stock, lead time and the event
    // slots of its orders (outstanding orders never exceed stock + the instances drawing on it).
    std::vector<int> spare_pool;
    std::vector<int> spare_stock;
    std::vector<Sampler> spare_lead;
    std::vector<std::uint32_t> spare_key;
    std::vector<int> spare_slot_begin;       // size pools + 1; slots are offset by order_slot_base
    int order_slot_base = 0;                 // first event slot for spare orders
    std::vector<int> order_slot_pool;        // pool of each order slot (index slot - order_slot_base)
    // Standby groups: per instance its group (-1: none) and its position in the group; a switch
    // (start after a demand) completes through event slot switch_slot_base + instance.
    std::vector<int> standby_of;
    std::vector<int> standby_position;
    std::vector<int> standby_node;           // per group: its node in the structure graph
    std::vector<StandbyGroup> standby_groups;  // the model's groups (members, k, mode, start, switch)
    int switch_slot_base = 0;
    // Failover groups (sim/failover_groups.h): per group its gate node, its members' nodes, its delay
    // samplers and its random stream; its one timer is event slot failover_slot_base + group.
    bool has_failover = false;
    std::vector<FailoverGroup> failover_groups;
    std::vector<int> failover_node;
    std::vector<std::vector<int>> failover_member_node;
    std::vector<Sampler> failover_detect, failover_switch, failover_failback, failover_delay;
    std::vector<std::uint32_t> failover_key;
    int failover_slot_base = 0;
    int maintenance_slot_base = 0;           // maintenance timer of instance i: this + i
    std::vector<std::uint8_t> has_maintenance;  // per component
    std::vector<double> maintenance_every;   // per component: hours between maintenances
    std::vector<double> maintenance_duration;  // per component: hours out of service
    std::vector<std::uint8_t> maintenance_uses_crew;  // per component
    std::vector<double> inspection_duration;  // per component: hours an inspection takes (0: in service)
    std::vector<std::uint8_t> has_inspection_outage;  // per component: inspections take it out of service
    bool has_planned_outages = false;        // some component has maintenance or inspection outages
    std::vector<std::uint8_t> maintenance_renews;       // per component
    std::vector<std::uint8_t> maintenance_when_redundant;  // per component: only_when_redundant
    bool any_maintenance_when_redundant = false;
    // Event slots say whose event it is (a unit, a cause, an order); what it is travels with the event
    // (EventKind, in the Agenda), never read from the slot ranges.
    int slot_count = 0;                      // all event slots
    DemandSchedule demand;                   // capacity blocks' demand profiles (empty: none)
    int demand_slot = -1;                    // the slot of the next demand change; -1: no profile changes a threshold
    std::vector<std::uint32_t> stream_key;   // per component: hash of its name, made unique
    // Downtime causes (README "Downtime by cause"): every outage is charged to one cause id. Ids: one per
    // component (its failures; a domain's are domain outages), then planned work, then one per change
    // stream, then failover switching.
    std::vector<int> component_cause;        // per component
    int planned_cause = 0;
    int change_cause_base = 0;
    int failover_cause = 0;                  // failover groups changing their carrier (FailoverGroups::gate_cause)
    int cause_count = 0;
    std::vector<CauseKind> cause_kind;       // per cause id
    std::vector<std::string> cause_name;     // per cause id: its component or stream ("" for maintenance, failover)
    // Change streams (model.changes): per stream its event slots (due, roll-out step, detection or
    // rollback), its targets' count of holds per unit, and its random stream.
    int change_slot_base = 0;                // stream s: due at base + 3 s, step at + 1, end at + 2
    std::vector<Sampler> change_interval;    // per stream: exponential interval (rate streams)
    std::vector<Sampler> change_restart, change_detect, change_rollback;
    std::vector<std::uint32_t> change_key;
    std::vector<std::vector<int>> change_targets;  // per stream: units in roll-out order
    std::vector<double> change_every;        // per stream: period (0: exponential intervals)
    std::vector<std::uint8_t> change_rolling, change_has_restart;
    std::vector<double> change_pause, change_bad;

    // Per instance, what the event loop's commonest paths (a failure, a repair's end) ask of the unit and
    // its component, in one 16-byte record: at 10^6 units each of the separate per-component arrays
    // (repairable, has_ops, pool, component_cause) and per-instance ones (instance_component, standby_of)
    // was a cache miss per event. A copy of those arrays' values, made once here.
    enum UnitRouteFlag : std::uint8_t {
        kRouteRepairable = 1,  // repairable[component]
        kRouteHasOps = 2,      // has_ops[component]
        kRouteStandby = 4,     // standby_of[instance] >= 0
        kRouteCrewPool = 8,    // pool[component] >= 0
    };
    struct alignas(16) UnitRoute {
        int component = 0;
        int cause = 0;         // component_cause[component]
        std::uint8_t flags = 0;
    };
    std::vector<UnitRoute> unit_route;

    double horizon_h = 0;
    double warmup_h = 0;
    double grid_step_h = 0;
    int grid_points = 0;                     // t = 0, step, 2 step, ... <= horizon
    int grid_cells = 0;                      // [g step, (g+1) step) clipped to the horizon
    int full_years = 0;                      // whole years in [warmup, horizon], for per-year downtime
    std::uint64_t seed = 0;

    // `settings` may differ from model.simulation (command-line overrides).
    KernelModel(const Model& m, const SimulationSettings& settings);
};

}  // namespace nines::sim
