#include "analytic/markov_operations.h"

#include <optional>
#include <string>
#include <utility>

namespace nines::analytic {

namespace {
std::size_t u(int i) { return static_cast<std::size_t>(i); }
}  // namespace

bool MarkovState::operator<(const MarkovState& o) const {
    if (down != o.down) return down < o.down;
    if (repairing != o.repairing) return repairing < o.repairing;
    if (active != o.active) return active < o.active;
    if (detecting != o.detecting) return detecting < o.detecting;
    if (logistics != o.logistics) return logistics < o.logistics;
    if (waiting != o.waiting) return waiting < o.waiting;
    if (on_hand != o.on_hand) return on_hand < o.on_hand;
    if (outstanding != o.outstanding) return outstanding < o.outstanding;
    return spare_waiting < o.spare_waiting;
}

bool MarkovState::operator==(const MarkovState& o) const {
    return down == o.down && repairing == o.repairing && active == o.active && detecting == o.detecting &&
           logistics == o.logistics && waiting == o.waiting && on_hand == o.on_hand && outstanding == o.outstanding &&
           spare_waiting == o.spare_waiting;
}

MarkovOperations::MarkovOperations(const Model& model, const StructureGraph& graph) : model_(model), graph_(graph) {
    n_ = static_cast<int>(model.instances.size());
    if (!model.changes.empty()) {
        throw UnsupportedError(model.changes.front().location, "the Markov chain does not model change streams yet (change '" +
                                                                   model.changes.front().name + "')");
    }
    require_exponential_laws(model);
    if (n_ > kMaxMarkovInstances) {
        throw UnsupportedError("the Markov description holds at most " + std::to_string(kMaxMarkovInstances) +
                               " instances, and the model has " + std::to_string(n_));
    }
    rates_ = chain_rates(model, {});
    if (!model.failover_groups.empty()) {
        throw UnsupportedError(model.failover_groups.front().location,
                               "the regenerative Markov operations do not model failover groups yet (the exact chain does)");
    }
    // Standby groups (switch_time 0 only: a fixed delay has no Markov form).
    const auto& groups = model.standby_groups;
    group_of_.assign(u(n_), -1);
    position_.assign(u(n_), -1);
    group_mask_.assign(groups.size(), InstanceSet{});
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (groups[g].switch_time_h > 0) {
            throw UnsupportedError("the Markov chain models standby groups without a switch time only (a fixed delay has no "
                                   "Markov form)");
        }
        for (std::size_t k = 0; k < groups[g].members.size(); ++k) {
            const int i = groups[g].members[k];
            group_of_[u(i)] = static_cast<int>(g);
            position_[u(i)] = static_cast<int>(k);
            group_mask_[g].set(i);
        }
    }
    initial_.waiting.resize(model.pools.size());
    for (const StandbyGroup& grp : groups) {
        for (int k = 0; k < grp.k; ++k) initial_.active.set(grp.members[static_cast<std::size_t>(k)]);
    }
    for (const SparePool& sp : model.spares) initial_.on_hand.push_back(sp.stock);
    initial_.outstanding.assign(model.spares.size(), 0);
    initial_.spare_waiting.resize(model.spares.size());
    leaf_down_.assign(u(n_), 0);
}

int MarkovOperations::busy(const MarkovState& s, int p) const {
    int b = 0;
    s.repairing.for_each([&](int i) { b += rates_.pool[u(i)] == p ? 1 : 0; });
    return b;
}

// A failed instance that is ready for repair: it takes a crew or queues for one.
void MarkovOperations::to_crew(MarkovState& s, int i) const {
    const int p = rates_.pool[u(i)];
    if (p < 0 || busy(s, p) < model_.pools[u(p)].crews) {
        s.repairing.set(i);
    } else {
        s.waiting[u(p)].push_back(i);
    }
}

// ... after taking a spare part (ordering a replacement) or waiting for one.
void MarkovOperations::ready(MarkovState& s, int i) const {
    const int sp = rates_.spare_pool[u(i)];
    if (sp < 0) {
        to_crew(s, i);
        return;
    }
    const auto p = static_cast<std::size_t>(sp);
    ++s.outstanding[p];
    if (s.on_hand[p] > 0) {
        --s.on_hand[p];
        to_crew(s, i);
    } else {
        s.spare_waiting[p].push_back(i);
    }
}

// A unit that has just failed: noticed after its detection delay, then logistics, then ready.
void MarkovOperations::begin_repair(MarkovState& s, int i) const {
    if (rates_.detect[u(i)] > 0) {
        s.detecting.set(i);
    } else if (rates_.logistics[u(i)] > 0) {
        s.logistics.set(i);
    } else {
        ready(s, i);
    }
}

int MarkovOperations::active_count(const MarkovState& s, std::size_t g) const {
    return s.active.count_common(group_mask_[g]);
}

// A demand on group g: start standby units in order until k are active; every start succeeds
// with start_success, a failed one sends the unit to repair. Appends the outcomes and their odds.
void MarkovOperations::demand(MarkovState s, std::size_t g, double prob, std::vector<std::pair<MarkovState, double>>& out) const {
    const StandbyGroup& grp = model_.standby_groups[g];
    if (active_count(s, g) >= grp.k) {
        out.emplace_back(std::move(s), prob);
        return;
    }
    for (int i : grp.members) {
        if (s.down.test(i) || s.active.test(i)) continue;
        MarkovState ok = s;
        ok.active.set(i);
        demand(std::move(ok), g, prob * grp.start_success, out);
        if (grp.start_success < 1) {
            MarkovState failed = s;
            failed.down.set(i);
            if (rates_.repair[u(i)] > 0) begin_repair(failed, i);
            demand(std::move(failed), g, prob * (1 - grp.start_success), out);
        }
        return;
    }
    out.emplace_back(std::move(s), prob);  // no standby unit left: the group waits for a repair
}

// Applies demands on every group that is short after a change, then records each outcome as a move.
// Writes over the moves already in `out` (copy assignment keeps their buffers: a walk through a large
// model would otherwise spend most of its time allocating and freeing states).
void MarkovOperations::add(const MarkovState& next, double rate, std::vector<MarkovMove>& out, std::size_t& used) const {
    if (model_.standby_groups.empty()) {
        if (used < out.size()) {
            out[used].next = next;
            out[used].rate = rate;
        } else {
            out.push_back({next, rate});
        }
        ++used;
        return;
    }
    std::vector<std::pair<MarkovState, double>> outcomes{{next, 1.0}};
    for (std::size_t g = 0; g < model_.standby_groups.size(); ++g) {
        std::vector<std::pair<MarkovState, double>> settled;
        for (auto& [st, pr] : outcomes) demand(st, g, pr, settled);
        outcomes = std::move(settled);
    }
    for (auto& [st, pr] : outcomes) {
        if (used < out.size()) {
            out[used] = {std::move(st), rate * pr};
        } else {
            out.push_back({std::move(st), rate * pr});
        }
        ++used;
    }
}

// The failure rate of up instance i in state s: standby units fail slower (warm) or not (cold).
double MarkovOperations::rate_of(const MarkovState& s, int i) const {
    const int g = group_of_[u(i)];
    if (g < 0 || s.active.test(i)) return rates_.fail[u(i)];
    const StandbyGroup& grp = model_.standby_groups[u(g)];
    if (grp.mode == StandbyMode::Cold) return 0.0;
    if (grp.mode == StandbyMode::Warm) return rates_.fail[u(i)] * grp.dormant_factor;
    return rates_.fail[u(i)];
}

bool MarkovOperations::is_up(const MarkovState& s) const {
    for (int i = 0; i < n_; ++i) leaf_down_[u(i)] = s.down.test(i) ? 1 : 0;
    forced_.clear();
    const auto& groups = model_.standby_groups;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        forced_.emplace_back(graph_.block_node[static_cast<std::size_t>(groups[g].block)], active_count(s, g) < groups[g].k ? 1 : 0);
    }
    graph_.evaluate(leaf_down_, node_down_, forced_);
    return node_down_[static_cast<std::size_t>(graph_.root)] == 0;
}

void MarkovOperations::moves(const MarkovState& s, std::vector<MarkovMove>& out) const {
    std::size_t used = 0;
    const auto& groups = model_.standby_groups;
    for (std::size_t k2 = 0; k2 < rates_.shock.size(); ++k2) {
        MarkovState& next = scratch_;
        next = s;
        bool any = false;
        for (int i : model_.common_causes[k2].members) {  // in instance order, as the simulation
            if (next.down.test(i)) continue;
            any = true;
            next.down.set(i);
            next.active.reset(i);
            if (rates_.repair[u(i)] > 0) begin_repair(next, i);
        }
        if (any) add(next, rates_.shock[k2], out, used);
    }
    for (std::size_t p = 0; p < rates_.lead.size(); ++p) {
        if (s.outstanding[p] == 0) continue;
        // One of the outstanding orders arrives; the part goes to the longest-waiting repair.
        MarkovState& next = scratch_;
        next = s;
        --next.outstanding[p];
        if (!next.spare_waiting[p].empty()) {
            const int j = next.spare_waiting[p].front();
            next.spare_waiting[p].erase(next.spare_waiting[p].begin());
            to_crew(next, j);
        } else {
            ++next.on_hand[p];
        }
        add(next, s.outstanding[p] * rates_.lead[p], out, used);
    }
    for (int i = 0; i < n_; ++i) {
        const auto iu = u(i);
        if (!s.down.test(i)) {
            // Failure of i: repaired at once if its pool has a free crew, else it queues.
            const double rate = rate_of(s, i);
            if (rate <= 0) continue;
            MarkovState& next = scratch_;
        next = s;
            next.down.set(i);
            next.active.reset(i);
            if (rates_.repair[iu] > 0) begin_repair(next, i);
            add(next, rate, out, used);
        } else if (s.detecting.test(i)) {
            MarkovState& next = scratch_;
        next = s;
            next.detecting.reset(i);
            if (rates_.logistics[iu] > 0) {
                next.logistics.set(i);
            } else {
                ready(next, i);
            }
            add(next, rates_.detect[iu], out, used);
        } else if (s.logistics.test(i)) {
            MarkovState& next = scratch_;
        next = s;
            next.logistics.reset(i);
            ready(next, i);
            add(next, rates_.logistics[iu], out, used);
        } else if (s.repairing.test(i)) {
            // Repair of i ends; its crew takes the highest-priority, earliest waiting repair.
            MarkovState& next = scratch_;
        next = s;
            next.down.reset(i);
            next.repairing.reset(i);
            const int p = rates_.pool[iu];
            if (p >= 0) {
                std::vector<int>& w = next.waiting[u(p)];
                if (!w.empty()) {
                    std::size_t best = 0;
                    for (std::size_t q = 1; q < w.size(); ++q) {
                        if (rates_.priority[u(w[q])] > rates_.priority[u(w[best])]) best = q;
                    }
                    next.repairing.set(w[best]);
                    w.erase(w.begin() + static_cast<std::ptrdiff_t>(best));
                }
            }
            const int g = group_of_[iu];
            if (g >= 0 && active_count(next, u(g)) < groups[u(g)].k) {
                // A repair ends with a working, tested unit: it joins a short group without a start attempt.
                next.active.set(i);
            } else if (g >= 0 && position_[iu] < groups[u(g)].k) {
                // A repaired primary takes the load back from the last active non-primary.
                const StandbyGroup& grp = groups[u(g)];
                for (auto it = grp.members.rbegin(); it != grp.members.rend(); ++it) {
                    if (position_[u(*it)] >= grp.k && next.active.test(*it)) {
                        next.active.reset(*it);
                        next.active.set(i);
                        break;
                    }
                }
            }
            add(next, rates_.repair[iu], out, used);
        }
    }
    out.resize(used);
}

}  // namespace nines::analytic
