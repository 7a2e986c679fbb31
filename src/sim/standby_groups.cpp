#include "sim/standby_groups.h"

namespace nines::sim {

StandbyGroups::StandbyGroups(const KernelModel& km, Agenda& agenda, std::vector<double>& stopped_clock)
    : km_(km), agenda_(agenda), stopped_clock_(stopped_clock) {
    role_.assign(km.instance_component.size(), kActive);
    start_fails_.assign(km.instance_component.size(), 0);
    active_.assign(km.standby_groups.size(), 0);
    switching_.assign(km.standby_groups.size(), 0);
}

void StandbyGroups::begin(double t) {
    for (std::size_t gi = 0; gi < km_.standby_groups.size(); ++gi) {
        const StandbyGroup& g = km_.standby_groups[gi];
        active_[gi] = 0;
        switching_[gi] = 0;
        for (std::size_t k = 0; k < g.members.size(); ++k) {
            const int i = g.members[k];
            if (static_cast<int>(k) < g.k) {
                role_[static_cast<std::size_t>(i)] = kActive;
                ++active_[gi];
            } else {
                to_standby(i, t);
            }
        }
    }
}

void StandbyGroups::to_standby(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const StandbyGroup& g = km_.standby_groups[static_cast<std::size_t>(km_.standby_of[iu])];
    role_[iu] = kStandby;
    start_fails_[iu] = 0;
    if (g.mode == StandbyMode::Hot || !agenda_.contains(i)) return;
    const double remaining = agenda_.time_of(i) - t;
    if (g.mode == StandbyMode::Cold) {
        agenda_.cancel(i);
        stopped_clock_[iu] = remaining;
    } else {
        agenda_.move(i, t + remaining / g.dormant_factor);
    }
}

void StandbyGroups::to_active(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const StandbyGroup& g = km_.standby_groups[static_cast<std::size_t>(km_.standby_of[iu])];
    if (g.mode == StandbyMode::Cold) {
        agenda_.schedule(i, t + stopped_clock_[iu], EventKind::Failure);
    } else if (g.mode == StandbyMode::Warm && agenda_.contains(i)) {
        const double remaining = agenda_.time_of(i) - t;
        agenda_.move(i, t + remaining * g.dormant_factor);
    }
}

int StandbyGroups::member_failed(int i) {
    const auto iu = static_cast<std::size_t>(i);
    const int gi = km_.standby_of[iu];
    const auto gu = static_cast<std::size_t>(gi);
    if (role_[iu] == kActive) {
        --active_[gu];
    } else if (role_[iu] == kSwitching) {
        --switching_[gu];
        agenda_.cancel(switch_slot(i));
        start_fails_[iu] = 0;
    }
    role_[iu] = kOut;
    return gi;
}

// A repair ends with a working, tested unit: it carries load without a start attempt (start_success is
// the chance that a *dormant* unit starts on demand) and without a switch time. It joins the active
// units when the group is short (a unit still switching in its place goes back to standby); otherwise a
// repaired primary takes the load back at once from the last non-primary carrying it (failback), and
// any other repaired unit becomes standby.
bool StandbyGroups::member_repaired(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const auto gu = static_cast<std::size_t>(km_.standby_of[iu]);
    const StandbyGroup& g = km_.standby_groups[gu];
    if (active_[gu] < g.k) {
        role_[iu] = kActive;  // its fresh failure clock runs at the active rate already
        ++active_[gu];
        if (active_[gu] + switching_[gu] > g.k) {
            for (auto it = g.members.rbegin(); it != g.members.rend(); ++it) {
                if (role_[static_cast<std::size_t>(*it)] != kSwitching) continue;
                agenda_.cancel(switch_slot(*it));
                --switching_[gu];
                to_standby(*it, t);
                break;
            }
        }
        return true;
    }
    to_standby(i, t);
    if (km_.standby_position[iu] < g.k) {
        for (auto it = g.members.rbegin(); it != g.members.rend(); ++it) {
            const auto ju = static_cast<std::size_t>(*it);
            if (km_.standby_position[ju] >= g.k && role_[ju] == kActive) {
                to_active(i, t);
                role_[iu] = kActive;
                to_standby(*it, t);
                return false;
            }
        }
    }
    return false;
}

int StandbyGroups::switch_done(int i) {
    const auto iu = static_cast<std::size_t>(i);
    const int gi = km_.standby_of[iu];
    --switching_[static_cast<std::size_t>(gi)];
    if (start_fails_[iu]) {
        start_fails_[iu] = 0;
        role_[iu] = kOut;  // the start failed after its switch time: the caller sends the unit to repair
        return gi;
    }
    role_[iu] = kActive;
    ++active_[static_cast<std::size_t>(gi)];
    return gi;
}

}  // namespace nines::sim
