// Standby groups: which member of each group carries load (active), is dormant (standby), is starting
// (switching) or is out (failed). A unit's failure clock is its pending Failure event; putting a unit
// in standby or activating it changes how fast that clock runs (accelerated life: warm units age
// dormant_factor times slower, cold ones not at all; for exponential laws this is the usual rate
// change). The group's gate in the structure is down while fewer than k members are active; the
// simulation applies that to the structure (short_of_active, node).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/agenda.h"
#include "sim/kernel_model.h"
#include "sim/random_stream.h"
#include "sim/structure_state.h"

namespace nines::sim {

class StandbyGroups {
public:
    // `stopped_clock`: per unit, the remaining time to failure of a unit whose clock is stopped
    // (shared with the service schedule: a unit is never both cold standby and in service).
    StandbyGroups(const KernelModel& km, Agenda& agenda, std::vector<double>& stopped_clock);

    bool empty() const { return active_.empty(); }
    bool is_out(int unit) const { return role_[static_cast<std::size_t>(unit)] == kOut; }
    bool short_of_active(int g) const {
        return active_[static_cast<std::size_t>(g)] < km_.standby_groups[static_cast<std::size_t>(g)].k;
    }
    int node(int g) const { return km_.standby_node[static_cast<std::size_t>(g)]; }

    // Start of a replication: the first k members active, the others standby.
    void begin(double t);
    // Starts standby units, in order, until group g has k units active or starting. A start fails
    // with probability 1 - start_success (drawn from the unit's stream, when the start begins). Without
    // a switch time the unit is then out at once, `fail_start(unit)` fails it, and the next one is tried;
    // with one, the failed start takes the switch time too (the unit is starting meanwhile), and
    // switch_done() reports the failure at its end.
    template <typename FailStart>
    void demand(int g, double t, const StructureState& structure, RandomStream* streams, FailStart&& fail_start);
    // A member failed: it is out (a start under way is cancelled). Returns its group.
    int member_failed(int unit);
    // A member is back from repair at t. Returns true when its group's gate may have changed.
    bool member_repaired(int unit, double t);
    // A switching member's switch time is over: it carries load, or (a failed start) it is out, and the
    // caller fails it and demands the next unit. Returns its group.
    int switch_done(int unit);
    // Whether the start that switch_done() just ended failed.
    bool start_failed(int unit) const { return role_[static_cast<std::size_t>(unit)] == kOut; }

private:
    enum Role : std::uint8_t { kActive, kStandby, kSwitching, kOut };
    void to_standby(int unit, double t);
    void to_active(int unit, double t);
    int switch_slot(int unit) const { return km_.switch_slot_base + unit; }

    const KernelModel& km_;
    Agenda& agenda_;
    std::vector<double>& stopped_clock_;
    std::vector<std::uint8_t> role_;  // per unit in a standby group
    std::vector<std::uint8_t> start_fails_;  // per unit switching: its start ends in failure
    std::vector<int> active_;         // per group: active units (switching ones not counted)
    std::vector<int> switching_;      // per group: units being started
};

template <typename FailStart>
void StandbyGroups::demand(int gi, double t, const StructureState& structure, RandomStream* streams, FailStart&& fail_start) {
    const StandbyGroup& g = km_.standby_groups[static_cast<std::size_t>(gi)];
    const auto gu = static_cast<std::size_t>(gi);
    for (int i : g.members) {
        if (active_[gu] + switching_[gu] >= g.k) return;
        const auto iu = static_cast<std::size_t>(i);
        if (role_[iu] != kStandby || structure.is_down(i)) continue;
        const bool starts = streams[iu].uniform_open() < g.start_success;
        if (starts || g.switch_time_h > 0) {
            to_active(i, t);  // a start attempt runs the unit, whether or not it will succeed
            start_fails_[iu] = starts ? 0 : 1;
            if (g.switch_time_h > 0) {
                role_[iu] = kSwitching;
                ++switching_[gu];
                agenda_.schedule(switch_slot(i), t + g.switch_time_h, EventKind::SwitchDone);
            } else {
                role_[iu] = kActive;
                ++active_[gu];
            }
        } else {
            role_[iu] = kOut;
            fail_start(i);
        }
    }
}

}  // namespace nines::sim
