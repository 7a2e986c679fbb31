// Degraded service (issue 12): how much of the demand the system and each capacity block serve.
//
// A capacity block serves min(1, capacity_up / demand(t)) of its demand, capacity_up being the summed
// capacity of its members that are (effectively) up. The system's served fraction extends the structure
// function from {0, 1} to [0, 1]: an instance is 1 or 0, a capacity block its served fraction, a series
// block the least of its children, a parallel block the greatest, a k-of-n block the largest value v
// such that children of total weight >= k have at least v, a standby or failover group 1 or 0 as it is up
// or down. On {0, 1} this is the usual structure function, so the system serves all of its demand
// exactly while it is up. The state is "up" (served 1), "degraded" (0 < served < 1) or "down" (served 0).
//
// The ledger integrates these over [warmup, horizon] from the structure's incremental state: the kernel
// calls advance_to(t) before it handles each event at t, so the state in force since the last event is
// what is integrated. While every capacity block has all its members up and the system is up nothing is
// short and the call returns at once; otherwise a demand profile is followed hour by hour.
// Models without capacity blocks do not use it (their served fraction is their availability).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/kernel_model.h"
#include "sim/replication.h"
#include "sim/structure_state.h"

namespace nines::sim {

// Per replication and tracked entity (the system, then each capacity block in model order), the
// values ServedLedger::close appends to BlockAccumulator::service, in this order.
enum ServiceValue : int {
    kUnservedFractionH = 0,   // integral of (1 - served fraction) dt: hours of lost service, capacity-weighted
    kDegradedH = 1,           // time with 0 < served < 1
    kDownH = 2,               // time with served = 0
    kUnservedCapacityH = 3,   // integral of max(0, demand - capacity_up) dt (capacity blocks; 0 for the system)
    kServiceValues = 4,
};

class ServedLedger {
public:
    ServedLedger(const KernelModel& km, bool record_intervals);
    bool enabled() const { return !blocks_.empty(); }
    int tracked() const { return static_cast<int>(blocks_.size()) + 1; }  // the system and each capacity block

    void reset();
    // Integrates the state in force since the last call over [last, t] (clipped to the window).
    void advance_to(double t, const StructureState& state);
    // At the horizon (after advance_to(horizon)): appends this replication's values to `acc.service`.
    void close(BlockAccumulator& acc) const;
    // The system's pieces of partial or total outage in the window, in time order, and the share of the
    // demand each did not serve, 1 - served (record_intervals only; SLO windows with measure: capacity_weighted).
    const std::vector<std::pair<double, double>>& unserved_intervals() const { return unserved_; }
    const std::vector<double>& unserved_shares() const { return share_; }

    // The served fraction of every capacity block and the system in `hour` of the demand period, for the
    // state given (tests compare it with a direct evaluation).
    double system_served(const StructureState& state, int hour);

private:
    struct Tracked {
        int node = -1;
        int total_units = 0;          // the members' summed weight in the graph's units
        double unit = 1;              // capacity of one graph unit, in the demand's unit
        double demand = 0;            // constant demand
        std::vector<double> profile;  // hourly demand repeating (24 or 168 values); empty: constant
    };
    double demand(const Tracked& b, double t) const;
    void integrate(double a, double b, const StructureState& state);
    double graded(int node, const StructureState& state);

    const KernelModel& km_;
    std::vector<Tracked> blocks_;
    std::vector<int> tracked_of_node_;   // node -> index in blocks_, -1 otherwise
    bool has_profile_ = false;
    bool record_intervals_ = false;
    double from_ = 0, to_ = 0;
    double last_ = 0;
    // Per entity (system first), the sums of this replication.
    std::vector<double> sums_;
    std::vector<double> served_now_;     // per block, in the segment being integrated
    // Graded evaluation memo: value per node, valid when stamp == epoch_.
    std::vector<double> memo_;
    std::vector<std::uint32_t> stamp_;
    std::uint32_t epoch_ = 0;
    std::vector<std::pair<double, int>> scratch_;
    std::vector<std::pair<double, double>> unserved_;
    std::vector<double> share_;
};

}  // namespace nines::sim
