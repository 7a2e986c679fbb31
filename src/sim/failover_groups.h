// Failover groups (model.h FailoverGroup): which member carries each group's load and what the group is
// doing about it. A member is failed while its node in the structure (a block, or an instance with its
// requirements) is down; the group's gate is up while its carrier is up and no change is under way.
//
//   Serving      the carrier carries the load (the group is up while the carrier is up)
//   Detecting    the carrier went down; failover starts when `detect` ends (the carrier back first:
//                Serving again, nothing switched)
//   Switching    a member is being started; it takes `switch_time` and succeeds with start_success. A
//                failed start sends an instance member to repair and skips a block member until it goes
//                down and comes back, or the next failover; then the next member, in order, is tried. A member that goes down while it is
//                being started is given up at once
//   FailingBack  the primary takes the load back (failback_time, the group down meanwhile); the primary
//                down again first: the carrier keeps the load
//   ManualWait   the primary is back and the carrier serves until the operator fails back (failback_delay)
//   Waiting      no member could be started; the first member to come back starts a new failover
//
// Detecting, Switching and FailingBack are changes of the carrying member: the FailoverLedger measures
// the system downtime during them. review() runs after every change of the structure; step() when a
// group's timer (event slot failover_slot_base + g) fires.
//
// A group with active: k > 1 keeps a set of carriers (the first k members at the start) and runs one
// change at a time, with the same phases (README "Failover groups with more than one active member"):
// up while serving with k carriers all up. A carrier lost: detection, then the lost carriers leave the
// set and members are started in order until k carry the load (a carrier lost meanwhile is taken up
// when the running start ends). Failback moves the load from the last non-preferred carrier to the
// first preferred member (one of the first k) that is up and free; one failback at a time.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/agenda.h"
#include "sim/failover_ledger.h"
#include "sim/kernel_model.h"
#include "sim/random_stream.h"
#include "sim/structure_state.h"

namespace nines::sim {

class FailoverGroups {
public:
    enum Phase : std::uint8_t { Serving, Detecting, Switching, FailingBack, ManualWait, Waiting };

    FailoverGroups(const KernelModel& km, Agenda& agenda, const Window& window);

    // Start of a replication: every group served by its primary, every member up.
    void begin(std::uint64_t replication);
    // The groups react to the structure as it is now. `fail_start(instance)` sends an instance member
    // whose start failed to repair (the structure changes: the caller reviews again).
    template <typename FailStart>
    void review(double t, const StructureState& s, FailStart&& fail_start);
    // Group g's timer fired at t (the agenda's top, popped here).
    template <typename FailStart>
    void step(int g, double t, const StructureState& s, FailStart&& fail_start);
    // Whether group g's gate should be down.
    bool gate_down(int g, const StructureState& s) const {
        const G& st = state_[static_cast<std::size_t>(g)];
        if (st.phase != Serving && st.phase != ManualWait) return true;
        if (active(g) > 1) return (st.carriers & down_mask(g, s)) != 0;
        return s.is_down(member_node(g, st.carrier));
    }
    // The downtime cause of group g's gate going down now (README "Downtime by cause"): failover when
    // the group is changing the member that carries its load (switching, failing back, or detecting the
    // carrier's loss while another member is up to take over), since an instantaneous failover would
    // have avoided that outage; otherwise (no member up to take over) `otherwise`, the cause of the
    // event that took the member down.
    int gate_cause(int g, const StructureState& s, int otherwise) const {
        const G& st = state_[static_cast<std::size_t>(g)];
        if (active(g) > 1) {
            // k > 1: an instantaneous failover avoids the outage when k members are up.
            if (st.phase != Switching && st.phase != FailingBack && st.phase != Detecting) return otherwise;
            const auto members = static_cast<int>(km_.failover_member_node[static_cast<std::size_t>(g)].size());
            return members - __builtin_popcountll(down_mask(g, s)) >= active(g) ? km_.failover_cause : otherwise;
        }
        if (st.phase == Switching || st.phase == FailingBack) return km_.failover_cause;
        if (st.phase != Detecting) return otherwise;
        const auto& nodes = km_.failover_member_node[static_cast<std::size_t>(g)];
        for (std::size_t m = 0; m < nodes.size(); ++m) {
            if (static_cast<int>(m) != st.carrier && !s.is_down(nodes[m])) return km_.failover_cause;
        }
        return otherwise;
    }
    // Warm and cold groups: each member's failure clocks (an instance member's, or every instance of a
    // block member) run while the member carries the load,
    // is being started or is being failed back to; otherwise it is dormant (accelerated life, as in
    // StandbyGroups: warm clocks run dormant_factor times as fast, cold ones stop, their remaining time
    // kept in `stopped_clock`). A member that is down has no clock until its repair gives it a fresh one
    // (at the active rate: the next call puts it to rest). Call after every review and at the start.
    void rest(double t, const StructureState& s, std::vector<double>& stopped_clock);
    bool has_dormancy() const { return has_dormancy_; }
    int node(int g) const { return km_.failover_node[static_cast<std::size_t>(g)]; }
    int groups() const { return static_cast<int>(state_.size()); }
    FailoverLedger& ledger() { return ledger_; }

private:
    struct G {
        Phase phase = Serving;
        int carrier = 0;            // member carrying (or, Detecting, that carried) the load; -1 none
        std::uint64_t carriers = 0;  // active > 1: the members carrying the load (carrier unused)
        int target = -1;            // Switching: the member being started; active > 1, failing back
                                    // (FailingBack, ManualWait): the preferred member taking the load
        bool start_ok = true;       // Switching: whether this start succeeds (drawn when it begins)
        std::uint64_t tried = 0;    // members whose start failed in this failover
        std::uint64_t seen_down = 0;  // members down at the last review
    };
    int member_node(int g, int m) const {
        return km_.failover_member_node[static_cast<std::size_t>(g)][static_cast<std::size_t>(m)];
    }
    int active(int g) const { return km_.failover_groups[static_cast<std::size_t>(g)].active; }
    std::uint64_t down_mask(int g, const StructureState& s) const {
        const auto& nodes = km_.failover_member_node[static_cast<std::size_t>(g)];
        std::uint64_t down = 0;
        for (std::size_t m = 0; m < nodes.size(); ++m) {
            if (s.is_down(nodes[m])) down |= std::uint64_t{1} << m;
        }
        return down;
    }
    int slot(int g) const { return km_.failover_slot_base + g; }
    void timer(int g, double at) { agenda_.schedule(slot(g), at, EventKind::FailoverStep); }
    void cancel_timer(int g) {
        if (agenda_.contains(slot(g))) agenda_.cancel(slot(g));
    }
    void rest_unit(int i, bool runs, const FailoverGroup& fg, double t, const StructureState& s, std::vector<double>& stopped_clock);
    void lost(int g, double t, const StructureState& s);
    void failback(int g, double t);
    void start_failback(int g, double t);
    // Tries the members in order (attempts that take no time are completed here).
    template <typename FailStart>
    void attempt(int g, double t, const StructureState& s, FailStart&& fail_start);
    template <typename FailStart>
    void finish_switch(int g, double t, const StructureState& s, FailStart&& fail_start);
    // active > 1 (the rules in the header comment).
    template <typename FailStart>
    void review_k(int g, double t, const StructureState& s, std::uint64_t down, std::uint64_t returned, FailStart&& fail_start);
    template <typename FailStart>
    void attempt_k(int g, double t, const StructureState& s, FailStart&& fail_start);
    template <typename FailStart>
    void proceed_k(int g, double t, const StructureState& s, FailStart&& fail_start);
    void lost_k(int g, double t);
    void check_failback_k(int g, double t, const StructureState& s);
    void start_failback_k(int g, double t, const StructureState& s);

    const KernelModel& km_;
    Agenda& agenda_;
    FailoverLedger ledger_;
    std::vector<G> state_;
    std::vector<RandomStream> streams_;
    bool has_dormancy_ = false;         // some group is warm or cold
    std::vector<std::uint8_t> dormant_;  // per unit: its failure clock is at rest (rest())
};

template <typename FailStart>
void FailoverGroups::review(double t, const StructureState& s, FailStart&& fail_start) {
    for (int g = 0; g < groups(); ++g) {
        G& st = state_[static_cast<std::size_t>(g)];
        const auto& nodes = km_.failover_member_node[static_cast<std::size_t>(g)];
        std::uint64_t down = 0;
        for (std::size_t m = 0; m < nodes.size(); ++m) {
            if (s.is_down(nodes[m])) down |= std::uint64_t{1} << m;
        }
        const std::uint64_t returned = st.seen_down & ~down;
        st.seen_down = down;
        st.tried &= ~returned;  // a member back (repaired, or its block up again) may be started again
        const FailoverGroup& fg = km_.failover_groups[static_cast<std::size_t>(g)];
        if (fg.active > 1) {
            review_k(g, t, s, down, returned, fail_start);
            continue;
        }
        const auto is_down = [&](int m) { return (down >> m) & 1; };
        switch (st.phase) {
            case Serving:
            case ManualWait:
                if (is_down(st.carrier)) {
                    if (st.phase == ManualWait) cancel_timer(g);
                    lost(g, t, s);
                    if (st.phase == Switching || st.phase == Waiting) attempt(g, t, s, fail_start);
                } else if (st.phase == ManualWait && is_down(0)) {
                    cancel_timer(g);  // the primary is gone again: nothing to fail back to
                    st.phase = Serving;
                } else if (st.phase == Serving && st.carrier != 0 && (returned & 1) && fg.failback != FailbackPolicy::Never) {
                    failback(g, t);
                }
                break;
            case Detecting:
                if (!is_down(st.carrier)) {
                    cancel_timer(g);
                    st.phase = Serving;
                    ledger_.end(g, t);
                    // The primary came back while another member's failure was being detected.
                    if (st.carrier != 0 && !is_down(0) && fg.failback != FailbackPolicy::Never) failback(g, t);
                }
                break;
            case Switching:
                if (is_down(st.target)) {
                    cancel_timer(g);
                    attempt(g, t, s, fail_start);
                }
                break;
            case FailingBack:
                if (is_down(0)) {
                    cancel_timer(g);
                    st.phase = Serving;
                    ledger_.end(g, t);
                    if (is_down(st.carrier)) {
                        lost(g, t, s);
                        if (st.phase == Switching || st.phase == Waiting) attempt(g, t, s, fail_start);
                    }
                }
                break;
            case Waiting:
                if (returned != 0) {
                    st.tried = 0;
                    ledger_.begin(g, t);
                    attempt(g, t, s, fail_start);
                }
                break;
        }
    }
}

template <typename FailStart>
void FailoverGroups::step(int g, double t, const StructureState& s, FailStart&& fail_start) {
    agenda_.pop_top();
    G& st = state_[static_cast<std::size_t>(g)];
    if (active(g) > 1) {
        switch (st.phase) {
            case Detecting:
                st.tried = 0;
                attempt_k(g, t, s, fail_start);
                break;
            case Switching:
                if (!st.start_ok) {
                    st.tried |= std::uint64_t{1} << st.target;
                    const int inst = km_.failover_groups[static_cast<std::size_t>(g)].member_instance[static_cast<std::size_t>(st.target)];
                    if (inst >= 0) fail_start(inst);
                    attempt_k(g, t, s, fail_start);
                } else {
                    st.carriers |= std::uint64_t{1} << st.target;
                    st.target = -1;
                    proceed_k(g, t, s, fail_start);
                }
                break;
            case FailingBack: {
                // The load moves from the last non-preferred carrier to the preferred member.
                const std::uint64_t preferred = (std::uint64_t{1} << active(g)) - 1;
                const std::uint64_t others = st.carriers & ~preferred;
                st.carriers = (st.carriers & ~(std::uint64_t{1} << (63 - __builtin_clzll(others)))) | (std::uint64_t{1} << st.target);
                st.target = -1;
                proceed_k(g, t, s, fail_start);
                break;
            }
            case ManualWait: start_failback_k(g, t, s); break;
            case Serving:
            case Waiting: break;
        }
        return;
    }
    switch (st.phase) {
        case Detecting:
            st.tried = 0;
            attempt(g, t, s, fail_start);
            break;
        case Switching: finish_switch(g, t, s, fail_start); break;
        case FailingBack:
            st.carrier = 0;
            st.phase = Serving;
            ledger_.end(g, t);
            break;
        case ManualWait: start_failback(g, t); break;
        case Serving:
        case Waiting: break;  // no timer runs in these phases
    }
}

template <typename FailStart>
void FailoverGroups::attempt(int g, double t, const StructureState& s, FailStart&& fail_start) {
    G& st = state_[static_cast<std::size_t>(g)];
    const FailoverGroup& fg = km_.failover_groups[static_cast<std::size_t>(g)];
    RandomStream& rng = streams_[static_cast<std::size_t>(g)];
    const auto& nodes = km_.failover_member_node[static_cast<std::size_t>(g)];
    for (;;) {
        int next = -1;
        for (std::size_t m = 0; m < nodes.size(); ++m) {
            if (!((st.tried >> m) & 1) && !s.is_down(nodes[m])) {
                next = static_cast<int>(m);
                break;
            }
        }
        if (next < 0) {
            st.phase = Waiting;
            st.carrier = -1;
            ledger_.end(g, t);
            return;
        }
        st.phase = Switching;
        st.carrier = -1;
        st.target = next;
        st.start_ok = fg.start_success >= 1 || rng.uniform_open() < fg.start_success;
        const double duration = km_.failover_switch[static_cast<std::size_t>(g)].draw(rng);
        if (duration > 0) {
            timer(g, t + duration);
            return;
        }
        if (st.start_ok) {
            finish_switch(g, t, s, fail_start);
            return;
        }
        st.tried |= std::uint64_t{1} << next;
        const int inst = fg.member_instance[static_cast<std::size_t>(next)];
        if (inst >= 0) fail_start(inst);
    }
}

template <typename FailStart>
void FailoverGroups::finish_switch(int g, double t, const StructureState& s, FailStart&& fail_start) {
    G& st = state_[static_cast<std::size_t>(g)];
    const FailoverGroup& fg = km_.failover_groups[static_cast<std::size_t>(g)];
    if (!st.start_ok) {
        st.tried |= std::uint64_t{1} << st.target;
        const int inst = fg.member_instance[static_cast<std::size_t>(st.target)];
        if (inst >= 0) fail_start(inst);
        attempt(g, t, s, fail_start);
        return;
    }
    st.carrier = st.target;
    st.target = -1;
    st.phase = Serving;
    ledger_.end(g, t);
    // The primary came back while another member was being started: fail back now.
    if (st.carrier != 0 && fg.failback != FailbackPolicy::Never && !(st.tried & 1) && !s.is_down(member_node(g, 0))) failback(g, t);
}

// active > 1: the group reacts to the structure (members `down` now, `returned` since the last review).
template <typename FailStart>
void FailoverGroups::review_k(int g, double t, const StructureState& s, std::uint64_t down, std::uint64_t returned, FailStart&& fail_start) {
    G& st = state_[static_cast<std::size_t>(g)];
    switch (st.phase) {
        case Serving:
        case ManualWait:
            if (st.carriers & down) {
                if (st.phase == ManualWait) cancel_timer(g);
                lost_k(g, t);
                if (st.phase == Switching) attempt_k(g, t, s, fail_start);
            } else if (st.phase == ManualWait && ((down >> st.target) & 1)) {
                cancel_timer(g);  // the preferred member is gone again: nothing to fail back to
                st.phase = Serving;
                st.target = -1;
                check_failback_k(g, t, s);
            } else if (st.phase == Serving) {
                check_failback_k(g, t, s);
            }
            break;
        case Detecting:
            if (!(st.carriers & down)) {
                cancel_timer(g);
                proceed_k(g, t, s, fail_start);
            }
            break;
        case Switching:
            if ((down >> st.target) & 1) {
                cancel_timer(g);
                attempt_k(g, t, s, fail_start);
            }
            break;
        case FailingBack:
            if ((down >> st.target) & 1) {
                cancel_timer(g);  // the preferred member lost during the failback: the load stays
                st.target = -1;
                proceed_k(g, t, s, fail_start);
            }
            break;
        case Waiting:
            if (returned != 0) {
                st.tried = 0;
                ledger_.begin(g, t);
                attempt_k(g, t, s, fail_start);
            }
            break;
    }
}

// active > 1: the lost carriers leave the set; members not carrying are started in order until k carry
// the load (attempts that take no time are completed here), or none is left to start (Waiting).
template <typename FailStart>
void FailoverGroups::attempt_k(int g, double t, const StructureState& s, FailStart&& fail_start) {
    G& st = state_[static_cast<std::size_t>(g)];
    const FailoverGroup& fg = km_.failover_groups[static_cast<std::size_t>(g)];
    RandomStream& rng = streams_[static_cast<std::size_t>(g)];
    const auto members = static_cast<int>(fg.members.size());
    for (;;) {
        const std::uint64_t down = down_mask(g, s);
        st.carriers &= ~down;
        st.target = -1;
        if (__builtin_popcountll(st.carriers) >= fg.active) {
            st.phase = Serving;
            ledger_.end(g, t);
            check_failback_k(g, t, s);
            return;
        }
        int next = -1;
        for (int m = 0; m < members; ++m) {
            if (!(((st.carriers | st.tried | down) >> m) & 1)) {
                next = m;
                break;
            }
        }
        if (next < 0) {
            st.phase = Waiting;
            ledger_.end(g, t);
            return;
        }
        st.phase = Switching;
        st.target = next;
        st.start_ok = fg.start_success >= 1 || rng.uniform_open() < fg.start_success;
        const double duration = km_.failover_switch[static_cast<std::size_t>(g)].draw(rng);
        if (duration > 0) {
            timer(g, t + duration);
            return;
        }
        if (st.start_ok) {
            st.carriers |= std::uint64_t{1} << next;
            continue;
        }
        st.tried |= std::uint64_t{1} << next;
        const int inst = fg.member_instance[static_cast<std::size_t>(next)];
        if (inst >= 0) fail_start(inst);
    }
}

// active > 1: a change ended; the group looks at its carriers: one lost (detection, or a failover at
// once), fewer than k (start the next member), or k up (serving; failback if it is due).
template <typename FailStart>
void FailoverGroups::proceed_k(int g, double t, const StructureState& s, FailStart&& fail_start) {
    G& st = state_[static_cast<std::size_t>(g)];
    if (st.carriers & down_mask(g, s)) {
        lost_k(g, t);
        if (st.phase == Switching) attempt_k(g, t, s, fail_start);
        return;
    }
    if (__builtin_popcountll(st.carriers) < active(g)) {
        attempt_k(g, t, s, fail_start);
        return;
    }
    st.phase = Serving;
    ledger_.end(g, t);
    check_failback_k(g, t, s);
}

}  // namespace nines::sim
