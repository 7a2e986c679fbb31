// The model: plain data produced by the scenario reader and consumed, read-only, by the
// simulation kernel and the analytic module. No I/O and no behaviour beyond lookups.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/block_kind.h"
#include "model/compact_array.h"
#include "model/distribution.h"
#include "model/error.h"
#include "model/sweep_axis.h"
#include "model/expectation.h"
#include "model/heap_optional.h"

namespace nines {

inline constexpr double kHoursPerYear = 8760.0;

struct Component {
    std::string name;
    int count = 1;
    int capacity = 1;                    // what one instance carries when up, in the demand's unit (capacity blocks)
    int first_instance = 0;              // instances are first_instance .. first_instance + count - 1
    Distribution failure;
    std::optional<Distribution> repair;  // empty: non-repairable
    // Most components have neither delay: kept on the heap (8 bytes each when absent, not 64).
    HeapOptional<Distribution> detect;     // delay before a failure is noticed
    HeapOptional<Distribution> logistics;  // delay between detection and asking for a crew (ticket, travel, parts)
    double inspect_every_h = 0;          // > 0: failures are hidden and found at the next inspection
    double inspection_duration_h = 0;    // each inspection takes the unit out of service this long
    bool inspections_simultaneous = false;  // false: instance k of n is inspected at every x (j + k / n)
    int pool = -1;                       // repair crew pool; -1: unlimited crews (repair starts at once)
    int spare_pool = -1;                 // spares pool a repair takes a part from; -1: no spare needed
    int priority = 0;                    // higher is served first by a busy pool; ties first come, first served
    // Preventive maintenance: every `maintenance_every_h` (staggered across instances) the unit is taken
    // down for `maintenance_duration_h` and renewed; with maintenance_uses_crew it needs a crew of its pool.
    double maintenance_every_h = 0;
    double maintenance_duration_h = 0;
    bool maintenance_uses_crew = false;
    bool maintenance_renews = true;      // false: not renewed; its failure clock stops during the maintenance and resumes after
    bool maintenance_only_when_redundant = false;  // true: postponed while taking the unit down would bring the system down
    double cost_per_unit_year = 0;       // owning one instance for a year (any currency)
    // The response contract behind `logistics` (a vendor's 4-hour or next-day support), per unit and year:
    // with it, a sweep over response times weighs their price against the downtime they save.
    double logistics_cost_per_unit_year = 0;
    std::string type;                    // the model library type it came from, if any
    bool domain = false;                 // declared under `domains:` (a zone, region, rack): its outages are "domain" downtime
    SourceLocation location;
};

// One physical unit: web[2] is instance 2 of component web.
struct Instance {
    int component = 0;
    int index = 0;
    std::vector<int> requires;           // instances that must be up for this one to count as up
    SourceLocation requires_location;    // where its requires list was written (for cycle messages)
};

enum class StandbyMode { Hot, Warm, Cold };

// A standby group (the block's children are its instances, in order; the first `k` are primaries).
// Standby units fail as active ones (hot), at dormant_factor x the rate (warm: their age advances that
// much slower), or not at all (cold). Every start succeeds with probability start_success; a failed
// start sends the unit to repair and the next standby is tried. The group is down while fewer than k
// units are active, switch_time included. A repaired primary takes the load back at once.
struct StandbyGroup {
    int block = -1;
    std::vector<int> members;  // instances, in order
    int k = 1;
    StandbyMode mode = StandbyMode::Cold;
    double start_success = 1.0;
    double switch_time_h = 0.0;
    double dormant_factor = 1.0;
};

// What happens when the primary of a failover group is back while another member carries the load.
// Auto: the primary takes it back at once (the failback itself takes failback_time, an outage of the
// group); Manual: an operator fails back after failback_delay (e.g. the next weekly maintenance window:
// uniform over the week); Never: the member carrying the load keeps it until it fails.
enum class FailbackPolicy { Auto, Manual, Never };

// A failover group (issue 11): a standby group whose members are blocks (a named block, or one
// instance with its requirements), failed while their structure is down. It is used when a standby
// block uses any failover key (detect, a switch_time distribution, failback, failback_time,
// failback_delay) or a member that is not a bare instance (a block, or an instance with requires);
// every other standby group keeps the StandbyGroup rules above. `active` members carry the load at once
// (the first `active` members at the start; README "Failover groups with more than one active member" for
// the rules when active > 1: the group is up while `active` members carry the load and all of them are up).
// Members fail as active ones (hot); with warm or cold a member (its units: member_units) that neither
// carries the load nor is being started (nor failed back to) is dormant: its failure clock runs
// dormant_factor times as fast (warm) or not at all (cold). When the carrier's structure goes down the group is down; after
// `detect` a failover starts: members are tried in order, each attempt takes `switch_time` and succeeds
// with start_success; a failed attempt sends an instance member to repair and skips a block member
// until it goes down and comes back (or the next failover). See README "Failover groups" for the rules.
struct FailoverGroup {
    int block = -1;
    std::vector<int> members;          // member blocks, in order; members[0] is the primary
    std::vector<int> member_instance;  // per member: the instance when the member is one instance, else -1
    // Per member: the units whose failure clocks rest with it (warm, cold): an instance member's own unit,
    // a block member's instances (reached through its children, not through requires).
    std::vector<std::vector<int>> member_units;
    int active = 1;                    // members carrying the load at once; the first `active` are preferred
    double start_success = 1.0;
    StandbyMode mode = StandbyMode::Hot;  // Warm and Cold: every member is one instance
    double dormant_factor = 1.0;          // Warm: a dormant member's failure clock speed
    std::optional<Distribution> detect;  // empty: failover starts at once
    Distribution switch_time = Distribution::fixed(0.0);
    FailbackPolicy failback = FailbackPolicy::Auto;
    Distribution failback_time = Distribution::fixed(0.0);
    std::optional<Distribution> failback_delay;  // Manual only: from the primary's return to the failback
    SourceLocation location;
};

struct Block {
    BlockKind kind = BlockKind::Series;
    int instance = -1;             // BlockKind::Instance only
    int k = 0;                     // BlockKind::KOfN: children needed up; Capacity: the demand rounded up
    std::vector<int> children;     // block ids; a child may appear in several blocks (shared)
    // Each child's weight (whole, positive), parallel to `children`; empty: 1 each. Capacity blocks: the
    // members' capacities. StructureGraph puts them on the edges and counts thresholds in their unit.
    CompactArray<int> weights;
    double demand = 0;             // BlockKind::Capacity: the demand (its peak with a profile; k = ceil(demand))
    // BlockKind::Capacity with a profile: the demand hour by hour, repeating every 24 h (24 values) or
    // every week (168 values) of virtual time, hour h holding over [h, h + 1); empty: constant `demand`.
    CompactArray<double> demand_profile;
    // BlockKind::Capacity with `load_sharing: { factor: a }`: while members are down, each up member's
    // failure clock runs (capacity_total / capacity_up)^a times faster (README "Degraded service": the
    // load law). 0: no load sharing.
    double load_sharing_factor = 0;
    std::string name;              // named blocks only
    SourceLocation location;
};

// Run until the 95% half-width of `metric` is at most `half_width` (replications doubling from the
// initial count), or until `max_replications`.
struct PrecisionTarget {
    std::string metric;              // availability, unavailability, downtime_per_year, failures_per_year
    double half_width = 0;           // in the metric's unit (fraction, hours, per year)
    std::int64_t max_replications = 1'000'000;
};

// How the steady-state figures are estimated (issue 13). Plain: the discrete-event replications alone.
// Importance: regenerative importance sampling on the Markov chain (all-exponential models). Splitting:
// importance splitting on the discrete-event kernel. Auto: an accelerated method when plain Monte
// Carlo would see too few outages for the precision asked, plain otherwise.
enum class SimulationMethod { Plain, Auto, Importance, Splitting };

struct SimulationSettings {
    SimulationMethod method = SimulationMethod::Plain;
    SourceLocation method_location;
    // `until: relative_error <= 10%`: the 95% half-width of the unavailability over its estimate.
    std::optional<double> relative_error;
    double horizon_h = 10 * kHoursPerYear;
    std::int64_t replications = 1000;  // with a precision target: the initial count
    std::optional<PrecisionTarget> precision;
    std::uint64_t seed = 1;
    double warmup_h = 0.0;
    int threads = 0;               // 0: all cores
    double grid_h = 0.0;           // 0: horizon / 100
    SourceLocation location;
    // SLO window downtimes a run keeps (all SLOs together); beyond, their percentiles come from exact
    // log histograms (README "Percentiles from log histograms"). Library only: tests set it to compare
    // the two ways on one run; the command line always uses this default.
    std::int64_t exact_slo_values = 100'000;
};

// A pool of repair crews shared by the components that name it.
struct RepairPool {
    std::string name;
    int crews = 1;
    SourceLocation location;
    double cost_per_crew_year = 0;       // employing one crew for a year (any currency)
};

// Spare parts for repairs: `stock` on hand at the start, one-for-one replenishment (every part taken
// is reordered at once and arrives after `lead_time`). A repair with no part on hand waits for one.
struct SparePool {
    std::string name;
    int stock = 0;
    Distribution lead_time;
    SourceLocation location;
    // Holding one part for a year (capital, storage). One-for-one replenishment keeps the parts on hand
    // plus those on order at `stock`, so the holding cost is stock x this, whatever the failures.
    double holding_cost_per_part_year = 0;
};

// A common cause: a shock that fails every member that is up. With `beta`, the beta-factor model
// (exponential members of equal rate lambda): the shock comes at rate beta x lambda and each member's
// own failures at (1 - beta) x lambda. Otherwise `shock` gives the time between shocks.
struct CommonCause {
    std::vector<int> members;             // instances
    double beta = 0;
    std::optional<Distribution> shock;
    std::string label;                    // "common_cause[0]"
    SourceLocation location;
};

// A service-level objective over windows of one kind (`slo:`). The virtual calendar: time 0 is 00:00 on
// 1 January of a non-leap year, years have 365 days (8760 h); months have their real lengths (Jan 31,
// Feb 28, ...), quarters 90/91/92/92 days; fixed windows of N days tile time from 0; a rolling window of N
// days is the trailing N days at every instant.
enum class SloWindowKind { Month, Quarter, Fixed, Rolling };

struct SloObjective {
    std::string window;                   // as written and named in expectations: "month", "30d", "rolling 30d"
    SloWindowKind kind = SloWindowKind::Month;
    double days = 0;                      // length of a fixed or rolling window (0 for calendar windows)
    double target = 0;                    // fraction of the window the system must be up (0.9995)
    // `measure: capacity_weighted`: a window's "downtime" is the integral of the system's unserved share
    // (1 - served fraction), so half the capacity lost for an hour burns half an hour of budget.
    bool capacity_weighted = false;
    SourceLocation location;
};

// A change stream (`changes:`): deploys, config pushes, certificate rotations. Changes start every
// `every_h` (from t = every_h) or at exponential intervals; a change reaches its targets all at once
// or one at a time (rolling: each reached target restarts, then `pause_h` before the next). A good
// change costs each reached target its restart; a bad one (probability bad_probability) is noticed
// `detect` after it started, stops rolling out, and everything it reached stays out of service until
// the rollback (`rollback`) ends. One change of a stream at a time: a change falling due while the
// previous one is still in progress is dropped (folded into the next one).
enum class Rollout { AllAtOnce, Rolling };

struct ChangeStream {
    std::string name;
    std::vector<int> targets;             // instances, in roll-out order
    double every_h = 0;                   // > 0: a change every every_h hours
    double rate_per_h = 0;                // > 0: exponential intervals at this rate
    Rollout rollout = Rollout::AllAtOnce;
    double pause_h = 0;                   // rolling: between one target coming back and the next
    std::optional<Distribution> restart;  // each reached target is out of service this long (empty: no restart cost)
    double bad_probability = 0;
    Distribution detect;                  // from the start of a bad change until it is noticed
    Distribution rollback;                // from detection until everything reached is back
    SourceLocation location;
};

struct Model {
    std::string name;
    std::string file;
    std::vector<Component> components;
    std::vector<Instance> instances;
    std::vector<Block> blocks;
    std::vector<RepairPool> pools;
    std::vector<StandbyGroup> standby_groups;
    std::vector<FailoverGroup> failover_groups;  // standby blocks with failover keys or block members
    std::vector<CommonCause> common_causes;
    std::vector<SparePool> spares;
    std::vector<ChangeStream> changes;        // `changes:`
    int system_block = -1;
    std::map<std::string, int> named_blocks;  // name -> block id
    SimulationSettings simulation;
    std::optional<double> budget_h;           // downtime budget per year
    std::vector<SloObjective> slos;           // `slo:`, one per window kind (labels unique)
    std::vector<Expectation> expectations;
    std::optional<double> downtime_cost_per_hour;
    using SweepAxis = nines::SweepAxis;
    std::vector<SweepAxis> sweep;                // the file's `sweep:` section
    SweepGoal sweep_goal = SweepGoal::Cheapest;  // the file's `sweep: { goal: ... }`
    std::vector<std::string> warnings;        // non-fatal remarks for the user (already located)

    std::string instance_name(int instance) const;
    bool has_limited_crews() const;
    // Behaviours that make components dependent (the BDD and closed forms then do not apply).
    // "limited repair crews", "common causes", "spare parts", "standby groups", "failover groups" or "change
    // streams" (a change takes several units out of service together): why components are dependent.
    std::string dependency_reason() const;
    bool has_dependencies() const {
        return has_limited_crews() || !common_causes.empty() || !spares.empty() || !standby_groups.empty() ||
               !failover_groups.empty() || !changes.empty();
    }
    // Failure law of one instance's own (independent) failures: the component's, scaled by 1 - beta
    // for members of a beta-factor group.
    Distribution independent_failure(int instance) const;
    int find_component(const std::string& component_name) const;  // -1 when absent
    std::string block_label(int block) const;
};

}  // namespace nines
