#include "sim/failover_groups.h"

namespace nines::sim {

FailoverGroups::FailoverGroups(const KernelModel& km, Agenda& agenda, const Window& window)
    : km_(km), agenda_(agenda), ledger_(window, static_cast<int>(km.failover_groups.size())) {
    state_.resize(km.failover_groups.size());
    streams_.resize(km.failover_groups.size());
}

void FailoverGroups::begin(std::uint64_t replication) {
    ledger_.reset();
    for (std::size_t g = 0; g < state_.size(); ++g) {
        state_[g] = G{};
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

}  // namespace nines::sim
