// Load sharing in capacity blocks (`load_sharing: { factor: a }`, README "Degraded service"): while
// members are down, the members still up carry the block's load between them, and each one's failure
// clock runs f = (capacity_total / capacity_up)^a times faster (capacity_up counted as the block counts
// it, requirements included). For an exponential law this is exactly its rate x f (the residual of an
// exponential is exponential, so scaling the time left is scaling the rate); for other laws it is the
// accelerated-life rule: the unit ages f times faster. A unit in several load-sharing blocks takes the
// product of their factors.
//
// The kernel calls after_event(t) after every event: a member's pending failure that was drawn during
// this event (at t, at the nominal speed) is put at t + (T - t) / f, and one drawn earlier is moved by
// the change of its factor: t + (T - t) x f_before / f. No random number is drawn, so every other draw
// is the same as without load sharing.
#pragma once

#include <vector>

#include "sim/agenda.h"
#include "sim/kernel_model.h"
#include "sim/structure_state.h"

namespace nines::sim {

class LoadSharing {
public:
    explicit LoadSharing(const KernelModel& km);
    bool enabled() const { return !blocks_.empty(); }
    void reset();
    void after_event(double t, const StructureState& state, Agenda& agenda);
    // The factor of one load-sharing block in the given state (tests).
    double factor(std::size_t block, const StructureState& state) const;

private:
    struct Shared {
        int node = -1;
        int total_units = 0;
        double exponent = 0;
    };
    std::vector<Shared> blocks_;
    std::vector<int> members_;                   // instances in some load-sharing block, ascending
    std::vector<std::vector<int>> member_blocks_;  // per entry of members_: its blocks (indices in blocks_)
    std::vector<double> block_factor_;           // per block, this event's factor
    std::vector<double> scheduled_time_;         // per entry of members_: its failure time as last set here (NaN: none)
    std::vector<double> scheduled_factor_;       // the factor that time was set with
};

}  // namespace nines::sim
