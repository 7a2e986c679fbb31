#include "analytic/ctmc_builder.h"

#include <cmath>
#include <functional>
#include <optional>
#include <map>
#include <string>

namespace nines::analytic {

namespace {

// A state: which instances are down, which of those are being repaired, and each pool's waiting
// repairs in arrival order (the order decides who is served next under first come, first served).
struct State {
    std::uint64_t down = 0;
    std::uint64_t repairing = 0;
    std::uint64_t active = 0;                     // standby-group members carrying load
    std::uint64_t detecting = 0;                  // failed, not yet noticed
    std::uint64_t logistics = 0;                  // noticed, logistics under way
    std::vector<std::vector<int>> waiting;        // per crew pool
    std::vector<int> on_hand, outstanding;        // per spares pool
    std::vector<std::vector<int>> spare_waiting;  // per spares pool, first come first served
    bool operator<(const State& o) const {
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
};

}  // namespace

Ctmc build_independent_ctmc(const Model& model, const StructureGraph& graph, std::size_t max_states) {
    const int n = static_cast<int>(model.instances.size());
    for (const Component& c : model.components) {
        if (!c.failure.is_exponential() || (c.repair && !c.repair->is_exponential())) {
            throw UnsupportedError(c.location, "a Markov chain needs exponential distributions, and component '" + c.name +
                                   "' has " + (c.failure.is_exponential() ? c.repair->describe() : c.failure.describe()));
        }
        for (const std::optional<Distribution>* delay : {&c.detect, &c.logistics}) {
            if (*delay && !(*delay)->is_exponential()) {
                throw UnsupportedError(c.location, "a Markov chain needs exponential delays, and component '" + c.name + "' has " +
                                       (*delay)->describe());
            }
        }
    }
    // Without crews every subset of instances can be down: 2^n states; crews add queue orders.
    if (n >= 63 || std::ldexp(1.0, n) > static_cast<double>(max_states)) {
        throw UnsupportedError("the Markov chain would have 2^" + std::to_string(n) + " states or more, above the cap of " +
                               std::to_string(max_states));
    }
    std::vector<double> fail_rate(static_cast<std::size_t>(n)), repair_rate(static_cast<std::size_t>(n), 0.0);
    std::vector<int> pool(static_cast<std::size_t>(n), -1), priority(static_cast<std::size_t>(n), 0);
    std::vector<double> detect_rate(static_cast<std::size_t>(n), 0.0), logistics_rate(static_cast<std::size_t>(n), 0.0);
    for (int i = 0; i < n; ++i) {
        const Component& c = model.components[static_cast<std::size_t>(model.instances[static_cast<std::size_t>(i)].component)];
        fail_rate[static_cast<std::size_t>(i)] = 1.0 / model.independent_failure(i).mean();
        if (c.repair) {
            repair_rate[static_cast<std::size_t>(i)] = 1.0 / c.repair->mean();
            pool[static_cast<std::size_t>(i)] = c.pool;
            if (c.detect) detect_rate[static_cast<std::size_t>(i)] = 1.0 / c.detect->mean();
            if (c.logistics) logistics_rate[static_cast<std::size_t>(i)] = 1.0 / c.logistics->mean();
        }
        priority[static_cast<std::size_t>(i)] = c.priority;
    }
    // Common causes: a shock at its (exponential) rate fails every member that is up.
    std::vector<double> shock_rate;
    for (const CommonCause& cc : model.common_causes) {
        if (cc.beta > 0) {
            shock_rate.push_back(cc.beta / model.components[static_cast<std::size_t>(model.instances[static_cast<std::size_t>(cc.members.front())].component)].failure.mean());
        } else if (cc.shock->is_exponential()) {
            shock_rate.push_back(1.0 / cc.shock->mean());
        } else {
            throw UnsupportedError(cc.location, "a Markov chain needs exponential shocks, and " + cc.label + " has " + cc.shock->describe());
        }
    }
    const std::size_t pools = model.pools.size();
    auto busy = [&](const State& s, int p) {
        int b = 0;
        for (int i = 0; i < n; ++i) b += ((s.repairing >> i) & 1u) && pool[static_cast<std::size_t>(i)] == p ? 1 : 0;
        return b;
    };
    std::vector<int> spare_pool(static_cast<std::size_t>(n), -1);
    for (int i = 0; i < n; ++i) {
        const Component& c = model.components[static_cast<std::size_t>(model.instances[static_cast<std::size_t>(i)].component)];
        if (c.repair) spare_pool[static_cast<std::size_t>(i)] = c.spare_pool;
    }
    std::vector<double> lead_rate;
    for (const SparePool& sp : model.spares) {
        if (!sp.lead_time.is_exponential()) {
            throw UnsupportedError(sp.location, "a Markov chain needs exponential lead times, and spares pool '" + sp.name + "' has " +
                                   sp.lead_time.describe());
        }
        lead_rate.push_back(1.0 / sp.lead_time.mean());
    }
    // A failed instance that is ready for repair: it takes a crew or queues for one.
    auto to_crew = [&](State& s, int i) {
        const int p = pool[static_cast<std::size_t>(i)];
        if (p < 0 || busy(s, p) < model.pools[static_cast<std::size_t>(p)].crews) {
            s.repairing |= std::uint64_t{1} << i;
        } else {
            s.waiting[static_cast<std::size_t>(p)].push_back(i);
        }
    };
    // ... after taking a spare part (ordering a replacement) or waiting for one.
    auto ready = [&](State& s, int i) {
        const int sp = spare_pool[static_cast<std::size_t>(i)];
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
    };

    std::map<State, int> index;
    std::vector<State> states;
    // A unit that has just failed: noticed after its detection delay, then logistics, then ready.
    auto begin_repair = [&](State& s, int i) {
        const std::uint64_t bit = std::uint64_t{1} << i;
        if (detect_rate[static_cast<std::size_t>(i)] > 0) {
            s.detecting |= bit;
        } else if (logistics_rate[static_cast<std::size_t>(i)] > 0) {
            s.logistics |= bit;
        } else {
            ready(s, i);
        }
    };

    // Standby groups (switch_time 0 only: a fixed delay has no Markov form).
    const auto& groups = model.standby_groups;
    std::vector<int> group_of(static_cast<std::size_t>(n), -1), position(static_cast<std::size_t>(n), -1);
    std::vector<std::uint64_t> group_mask(groups.size(), 0);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (groups[g].switch_time_h > 0) {
            throw UnsupportedError("the Markov chain models standby groups without a switch time only (a fixed delay has no "
                                   "Markov form)");
        }
        for (std::size_t k = 0; k < groups[g].members.size(); ++k) {
            const int i = groups[g].members[k];
            group_of[static_cast<std::size_t>(i)] = static_cast<int>(g);
            position[static_cast<std::size_t>(i)] = static_cast<int>(k);
            group_mask[g] |= std::uint64_t{1} << i;
        }
    }
    auto active_count = [&](const State& s, std::size_t g) { return __builtin_popcountll(s.active & group_mask[g]); };
    // A demand on group g: start standby units in order until k are active; every start succeeds
    // with start_success, a failed one sends the unit to repair. Returns the outcomes and their odds.
    std::function<void(State, std::size_t, double, std::vector<std::pair<State, double>>&)> demand =
        [&](State s, std::size_t g, double prob, std::vector<std::pair<State, double>>& out) {
            const StandbyGroup& grp = groups[g];
            if (active_count(s, g) >= grp.k) {
                out.emplace_back(std::move(s), prob);
                return;
            }
            for (int i : grp.members) {
                const std::uint64_t bit = std::uint64_t{1} << i;
                if ((s.down & bit) || (s.active & bit)) continue;
                State ok = s;
                ok.active |= bit;
                demand(std::move(ok), g, prob * grp.start_success, out);
                if (grp.start_success < 1) {
                    State failed = s;
                    failed.down |= bit;
                    if (repair_rate[static_cast<std::size_t>(i)] > 0) begin_repair(failed, i);
                    demand(std::move(failed), g, prob * (1 - grp.start_success), out);
                }
                return;
            }
            out.emplace_back(std::move(s), prob);  // no standby unit left: the group waits for a repair
        };
    // Applies demands on every group that is short after a change.
    auto settle = [&](const State& s) {
        std::vector<std::pair<State, double>> outcomes{{s, 1.0}};
        for (std::size_t g = 0; g < groups.size(); ++g) {
            std::vector<std::pair<State, double>> next;
            for (auto& [st, pr] : outcomes) demand(st, g, pr, next);
            outcomes = std::move(next);
        }
        return outcomes;
    };
    // The failure rate of up instance i in state s: standby units fail slower (warm) or not (cold).
    auto rate_of = [&](const State& s, int i) {
        const int g = group_of[static_cast<std::size_t>(i)];
        if (g < 0 || (s.active >> i) & 1u) return fail_rate[static_cast<std::size_t>(i)];
        const StandbyGroup& grp = groups[static_cast<std::size_t>(g)];
        if (grp.mode == StandbyMode::Cold) return 0.0;
        if (grp.mode == StandbyMode::Warm) return fail_rate[static_cast<std::size_t>(i)] * grp.dormant_factor;
        return fail_rate[static_cast<std::size_t>(i)];
    };

    State start;
    start.waiting.resize(pools);
    for (const StandbyGroup& grp : groups) {
        for (int k = 0; k < grp.k; ++k) start.active |= std::uint64_t{1} << grp.members[static_cast<std::size_t>(k)];
    }
    for (const SparePool& sp : model.spares) start.on_hand.push_back(sp.stock);
    start.outstanding.assign(model.spares.size(), 0);
    start.spare_waiting.resize(model.spares.size());
    index[start] = 0;
    states.push_back(start);
    std::vector<Transition> transitions;
    std::vector<std::uint8_t> up;
    std::vector<std::uint8_t> leaf_down(static_cast<std::size_t>(n));
    std::vector<std::uint8_t> node_down;
    auto target = [&](const State& s) {
        auto [it, inserted] = index.try_emplace(s, static_cast<int>(states.size()));
        if (inserted) {
            states.push_back(s);
            if (states.size() > max_states) {
                throw UnsupportedError("the Markov chain has more than " + std::to_string(max_states) + " states");
            }
        }
        return it->second;
    };
    for (std::size_t k = 0; k < states.size(); ++k) {
        const State s = states[k];  // copy: `states` grows below
        for (int i = 0; i < n; ++i) leaf_down[static_cast<std::size_t>(i)] = (s.down >> i) & 1u;
        std::vector<std::pair<int, std::uint8_t>> forced;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            forced.emplace_back(graph.block_node[static_cast<std::size_t>(groups[g].block)],
                                active_count(s, g) < groups[g].k ? 1 : 0);
        }
        graph.evaluate(leaf_down, node_down, forced);
        up.push_back(node_down[static_cast<std::size_t>(graph.root)] ? 0 : 1);
        auto add = [&](const State& next, double rate) {
            for (auto& [st, pr] : settle(next)) transitions.push_back({static_cast<int>(k), target(st), rate * pr});
        };
        for (std::size_t k2 = 0; k2 < shock_rate.size(); ++k2) {
            State next = s;
            bool any = false;
            for (int i : model.common_causes[k2].members) {  // in instance order, as the simulation
                const std::uint64_t bit = std::uint64_t{1} << i;
                if (next.down & bit) continue;
                any = true;
                next.down |= bit;
                next.active &= ~bit;
                if (repair_rate[static_cast<std::size_t>(i)] > 0) begin_repair(next, i);
            }
            if (any) add(next, shock_rate[k2]);
        }
        for (std::size_t p = 0; p < lead_rate.size(); ++p) {
            if (s.outstanding[p] == 0) continue;
            // One of the outstanding orders arrives; the part goes to the longest-waiting repair.
            State next = s;
            --next.outstanding[p];
            if (!next.spare_waiting[p].empty()) {
                const int j = next.spare_waiting[p].front();
                next.spare_waiting[p].erase(next.spare_waiting[p].begin());
                to_crew(next, j);
            } else {
                ++next.on_hand[p];
            }
            add(next, s.outstanding[p] * lead_rate[p]);
        }
        for (int i = 0; i < n; ++i) {
            const auto iu = static_cast<std::size_t>(i);
            const std::uint64_t bit = std::uint64_t{1} << i;
            if (!(s.down & bit)) {
                // Failure of i: repaired at once if its pool has a free crew, else it queues.
                const double rate = rate_of(s, i);
                if (rate <= 0) continue;
                State next = s;
                next.down |= bit;
                next.active &= ~bit;
                if (repair_rate[iu] > 0) begin_repair(next, i);
                add(next, rate);
            } else if (s.detecting & bit) {
                State next = s;
                next.detecting &= ~bit;
                if (logistics_rate[iu] > 0) {
                    next.logistics |= bit;
                } else {
                    ready(next, i);
                }
                add(next, detect_rate[iu]);
            } else if (s.logistics & bit) {
                State next = s;
                next.logistics &= ~bit;
                ready(next, i);
                add(next, logistics_rate[iu]);
            } else if (s.repairing & bit) {
                // Repair of i ends; its crew takes the highest-priority, earliest waiting repair.
                State next = s;
                next.down &= ~bit;
                next.repairing &= ~bit;
                const int p = pool[iu];
                if (p >= 0) {
                    std::vector<int>& w = next.waiting[static_cast<std::size_t>(p)];
                    if (!w.empty()) {
                        std::size_t best = 0;
                        for (std::size_t q = 1; q < w.size(); ++q) {
                            if (priority[static_cast<std::size_t>(w[q])] > priority[static_cast<std::size_t>(w[best])]) best = q;
                        }
                        next.repairing |= std::uint64_t{1} << w[best];
                        w.erase(w.begin() + static_cast<std::ptrdiff_t>(best));
                    }
                }
                const int g = group_of[iu];
                if (g >= 0 && active_count(next, static_cast<std::size_t>(g)) < groups[static_cast<std::size_t>(g)].k) {
                    // A repair ends with a working, tested unit: it joins a short group without a start attempt.
                    next.active |= bit;
                } else if (g >= 0 && position[iu] < groups[static_cast<std::size_t>(g)].k) {
                    // A repaired primary takes the load back from the last active non-primary.
                    const StandbyGroup& grp = groups[static_cast<std::size_t>(g)];
                    for (auto it = grp.members.rbegin(); it != grp.members.rend(); ++it) {
                        if (position[static_cast<std::size_t>(*it)] >= grp.k && ((next.active >> *it) & 1u)) {
                            next.active &= ~(std::uint64_t{1} << *it);
                            next.active |= bit;
                            break;
                        }
                    }
                }
                add(next, repair_rate[iu]);
            }
        }
    }
    return Ctmc(static_cast<int>(states.size()), std::move(transitions), std::move(up), 0);
}

}  // namespace nines::analytic
