#include "sim/failover_groups.h"

#include <algorithm>

namespace nines::sim {

FailoverGroups::FailoverGroups(const KernelModel& km, Agenda& agenda, const Window& window)
    : km_(km), agenda_(agenda), ledger_(window, static_cast<int>(km.failover_groups.size())) {
    state_.resize(km.failover_groups.size());
    streams_.resize(km.failover_groups.size());
    for (const FailoverGroup& fg : km.failover_groups) has_dormancy_ = has_dormancy_ || fg.mode != StandbyMode::Hot;
    if (has_dormancy_) dormant_.assign(static_cast<std::size_t>(km.graph.instance_count), 0);
}

void FailoverGroups::rest(double t, const StructureState& s, std::vector<double>& stopped_clock) {
    for (std::size_t g = 0; g < state_.size(); ++g) {
        const FailoverGroup& fg = km_.failover_groups[g];
        if (fg.mode == StandbyMode::Hot) continue;
        const G& st = state_[g];
        for (std::size_t m = 0; m < fg.member_units.size(); ++m) {
            const int mi = static_cast<int>(m);
            const bool runs = fg.active > 1 ? ((st.carriers >> m) & 1) || ((st.phase == Switching || st.phase == FailingBack) && mi == st.target)
                                            : mi == st.carrier || (st.phase == Switching && mi == st.target) || (st.phase == FailingBack && mi == 0);
            for (const int i : fg.member_units[m]) rest_unit(i, runs, fg, t, s, stopped_clock);
        }
    }
}

// One unit of a warm or cold member: its failure clock runs (`runs`) or rests.
void FailoverGroups::rest_unit(int i, bool runs, const FailoverGroup& fg, double t, const StructureState& s, std::vector<double>& stopped_clock) {
    const auto iu = static_cast<std::size_t>(i);
    if (s.is_down(i)) {
        dormant_[iu] = 0;  // failed: its clock is gone, and its repair starts a fresh one
        return;
    }
    if (runs != static_cast<bool>(dormant_[iu])) return;  // already as it should be
    if (runs) {
        if (fg.mode == StandbyMode::Cold) {
            agenda_.schedule(i, t + stopped_clock[iu], EventKind::Failure);
        } else {
            agenda_.move(i, t + (agenda_.time_of(i) - t) * fg.dormant_factor);
        }
        dormant_[iu] = 0;
    } else {
        if (fg.mode == StandbyMode::Cold) {
            stopped_clock[iu] = agenda_.time_of(i) - t;
            agenda_.cancel(i);
        } else {
            agenda_.move(i, t + (agenda_.time_of(i) - t) / fg.dormant_factor);
        }
        dormant_[iu] = 1;
    }
}

void FailoverGroups::begin(std::uint64_t replication) {
    ledger_.reset();
    std::fill(dormant_.begin(), dormant_.end(), 0);
    for (std::size_t g = 0; g < state_.size(); ++g) {
        state_[g] = G{};
        state_[g].carriers = (std::uint64_t{1} << km_.failover_groups[g].active) - 1;
        streams_[g].reset(km_.seed, replication, km_.failover_key[g], 0);
    }
}

// The carrier went down at t: detection first, or a failover at once (the caller tries the members).
void FailoverGroups::lost(int g, double t, const StructureState&) {
    G& st = state_[static_cast<std::size_t>(g)];
    ledger_.begin(g, t);
    if (km_.failover_groups[static_cast<std::size_t>(g)].detect) {
        st.phase = Detecting;
        timer(g, t + km_.failover_detect[static_cast<std::size_t>(g)].draw(streams_[static_cast<std::size_t>(g)]));
        return;
    }
    st.tried = 0;
    st.phase = Switching;  // the caller's attempt() picks the member
}

// The primary is back while another member serves: fail back now (auto) or after the operator's delay.
void FailoverGroups::failback(int g, double t) {
    G& st = state_[static_cast<std::size_t>(g)];
    if (km_.failover_groups[static_cast<std::size_t>(g)].failback == FailbackPolicy::Manual) {
        const double delay = km_.failover_delay[static_cast<std::size_t>(g)].draw(streams_[static_cast<std::size_t>(g)]);
        st.phase = ManualWait;
        if (delay > 0) {
            timer(g, t + delay);
            return;
        }
    }
    start_failback(g, t);
}

void FailoverGroups::start_failback(int g, double t) {
    G& st = state_[static_cast<std::size_t>(g)];
    const double duration = km_.failover_failback[static_cast<std::size_t>(g)].draw(streams_[static_cast<std::size_t>(g)]);
    if (duration <= 0) {
        st.carrier = 0;
        st.phase = Serving;
        return;
    }
    st.phase = FailingBack;
    ledger_.begin(g, t);
    timer(g, t + duration);
}

// active > 1: a carrier is lost (the ledger opens the change): detection first, or a failover at once
// (Switching: the caller's attempt_k() picks the members).
void FailoverGroups::lost_k(int g, double t) {
    G& st = state_[static_cast<std::size_t>(g)];
    ledger_.begin(g, t);
    st.target = -1;
    if (km_.failover_groups[static_cast<std::size_t>(g)].detect) {
        st.phase = Detecting;
        timer(g, t + km_.failover_detect[static_cast<std::size_t>(g)].draw(streams_[static_cast<std::size_t>(g)]));
        return;
    }
    st.tried = 0;
    st.phase = Switching;
}

// active > 1, serving with k carriers up: a preferred member (one of the first k) up, not carrying and
// not failed to start while a non-preferred member carries: fail back to the first such member (manual:
// after the operator's delay).
void FailoverGroups::check_failback_k(int g, double t, const StructureState& s) {
    G& st = state_[static_cast<std::size_t>(g)];
    const FailoverGroup& fg = km_.failover_groups[static_cast<std::size_t>(g)];
    if (fg.failback == FailbackPolicy::Never) return;
    const std::uint64_t preferred = (std::uint64_t{1} << fg.active) - 1;
    if (!(st.carriers & ~preferred)) return;
    const std::uint64_t free = preferred & ~st.carriers & ~st.tried & ~down_mask(g, s);
    if (!free) return;
    st.target = __builtin_ctzll(free);
    if (fg.failback == FailbackPolicy::Manual) {
        const double delay = km_.failover_delay[static_cast<std::size_t>(g)].draw(streams_[static_cast<std::size_t>(g)]);
        st.phase = ManualWait;
        if (delay > 0) {
            timer(g, t + delay);
            return;
        }
    }
    start_failback_k(g, t, s);
}

void FailoverGroups::start_failback_k(int g, double t, const StructureState& s) {
    G& st = state_[static_cast<std::size_t>(g)];
    const double duration = km_.failover_failback[static_cast<std::size_t>(g)].draw(streams_[static_cast<std::size_t>(g)]);
    if (duration <= 0) {
        const std::uint64_t preferred = (std::uint64_t{1} << active(g)) - 1;
        const std::uint64_t others = st.carriers & ~preferred;
        st.carriers = (st.carriers & ~(std::uint64_t{1} << (63 - __builtin_clzll(others)))) | (std::uint64_t{1} << st.target);
        st.target = -1;
        st.phase = Serving;
        check_failback_k(g, t, s);
        return;
    }
    st.phase = FailingBack;
    ledger_.begin(g, t);
    timer(g, t + duration);
}

}  // namespace nines::sim
