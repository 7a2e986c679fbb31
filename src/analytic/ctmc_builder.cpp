#include "analytic/ctmc_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "analytic/chain_rates.h"
#include "analytic/state_table.h"
#include "model/error.h"

namespace nines::analytic {

namespace {

// What one instance is doing, as bits of one byte.
enum : std::uint8_t {
    kDown = 1,        // failed (or, pinned, always down)
    kRepairing = 2,   // a crew works on it
    kActive = 4,      // standby-group member carrying load
    kDetecting = 8,   // failed, not yet noticed
    kLogistics = 16,  // noticed, logistics under way
};

// A state: what every instance is doing, each pool's waiting repairs in arrival order (the order
// decides who is served next under first come, first served) and each spares pool's stock.
struct State {
    std::vector<std::uint8_t> flags;              // per instance
    std::vector<std::vector<int>> waiting;        // per crew pool
    std::vector<int> on_hand, outstanding;        // per spares pool
    std::vector<std::vector<int>> spare_waiting;  // per spares pool, first come first served
    // Per failover group, kFailoverFields ints: phase, carrier, target, tried (sim/failover_groups.h).
    std::vector<int> failover;
    std::vector<int> change_phase;                // per change stream (see kChangeIdle)
};

// A failover group's state in State::failover, with the kernel's phases (sim/failover_groups.h).
constexpr std::size_t kFailoverFields = 4;
enum FailoverField : std::size_t { kPhase = 0, kCarrier = 1, kTarget = 2, kTried = 3 };
enum FailoverPhase : int { kServing = 0, kDetectingPhase = 1, kSwitching = 2, kFailingBack = 3, kManualWait = 4, kWaiting = 5 };

// The phase of a change stream: its targets are out of service in every phase but idle.
enum ChangePhase : int { kChangeIdle = 0, kChangeRestarting = 1, kChangeBadUnnoticed = 2, kChangeRollingBack = 3 };

// States are stored as bit-packed keys (analytic/state_table.h): each instance's flags in as few bits
// as the model's flags need, then the queues (lengths and instance indices), the spares pools'
// counts, the failover fields and the change phases. The widths are fixed per model, so decoding
// needs no markers; a value that would not fit its width is an internal error, never a silent clash.
class StateCodec {
public:
    StateCodec(std::size_t n, std::uint8_t used_flags, std::size_t pools, std::size_t spares, std::size_t failover_ints,
               std::size_t changes)
        : n_(n), pools_(pools), spares_(spares), failover_ints_(failover_ints), changes_(changes), used_flags_(used_flags),
          index_bits_(bits_for(n)), identity_((used_flags & (used_flags + 1)) == 0) {
        // The flag bits in use, renumbered 0, 1, 2, ...: with neither standby nor delays, 2 bits per instance.
        for (unsigned flags = 0; flags < 256; ++flags) {
            if (flags & ~static_cast<unsigned>(used_flags)) continue;
            unsigned packed = 0, at = 0;
            for (unsigned bit = 0; bit < 8; ++bit) {
                if (!((used_flags >> bit) & 1)) continue;
                packed |= ((flags >> bit) & 1) << at;
                ++at;
            }
            code_of_[flags] = static_cast<std::uint8_t>(packed);
            flags_of_[packed] = static_cast<std::uint8_t>(flags);
            flag_bits_ = at;
        }
    }

    // `flags`: the (canonical) flags of every instance; queue entries are written as rename[entry].
    void encode(const std::uint8_t* flags, const State& s, const std::vector<int>& rename, KeyWriter& key) const {
        key.clear();
        std::size_t at = 0;
        if (identity_) {  // the codes are the flags: eight instances per step
            const std::uint64_t allowed = 0x0101010101010101ULL * used_flags_;
            for (; at + 8 <= n_; at += 8) {
                std::uint64_t eight = 0;
                std::memcpy(&eight, flags + at, 8);
                if (eight & ~allowed) break;  // (reported below)
                std::uint64_t packed = 0;
                for (unsigned j = 0; j < 8; ++j) packed |= std::uint64_t{flags[at + j]} << (flag_bits_ * j);
                key.put(packed, 8 * flag_bits_);
            }
        }
        for (; at < n_; ++at) {
            if (flags[at] & ~used_flags_) throw Error("internal error: a Markov chain state has a flag its key does not hold");
            key.put(code_of_[flags[at]], flag_bits_);
        }
        for (const std::vector<int>& w : s.waiting) {
            key.put(w.size(), index_bits_);
            for (int i : w) key.put(static_cast<std::uint64_t>(rename[static_cast<std::size_t>(i)]), index_bits_);
        }
        for (std::size_t p = 0; p < spares_; ++p) {
            put_int(key, s.on_hand[p]);
            put_int(key, s.outstanding[p]);
            key.put(s.spare_waiting[p].size(), index_bits_);
            for (int i : s.spare_waiting[p]) key.put(static_cast<std::uint64_t>(rename[static_cast<std::size_t>(i)]), index_bits_);
        }
        for (int v : s.failover) put_int(key, v);
        for (int phase : s.change_phase) {
            if (phase < 0 || phase > 3) throw Error("internal error: a change stream phase its key does not hold");
            key.put(static_cast<std::uint64_t>(phase), 2);
        }
        key.finish();
    }

    // Into `s`, reusing its buffers.
    void decode(const std::uint64_t* words, State& s) const {
        KeyReader key(words);
        s.flags.resize(n_);
        for (std::uint8_t& f : s.flags) f = flags_of_[key.take(flag_bits_)];
        s.waiting.resize(pools_);
        for (std::vector<int>& w : s.waiting) {
            w.resize(key.take(index_bits_));
            for (int& i : w) i = static_cast<int>(key.take(index_bits_));
        }
        s.on_hand.resize(spares_);
        s.outstanding.resize(spares_);
        s.spare_waiting.resize(spares_);
        for (std::size_t p = 0; p < spares_; ++p) {
            s.on_hand[p] = take_int(key);
            s.outstanding[p] = take_int(key);
            s.spare_waiting[p].resize(key.take(index_bits_));
            for (int& i : s.spare_waiting[p]) i = static_cast<int>(key.take(index_bits_));
        }
        s.failover.resize(failover_ints_);
        for (int& v : s.failover) v = take_int(key);
        s.change_phase.resize(changes_);
        for (int& phase : s.change_phase) phase = static_cast<int>(key.take(2));
    }

private:
    // Counts and failover fields (small, some -1): 32 bits, two's complement.
    static void put_int(KeyWriter& key, int v) { key.put(static_cast<std::uint32_t>(v), 32); }
    static int take_int(KeyReader& key) { return static_cast<int>(static_cast<std::int32_t>(static_cast<std::uint32_t>(key.take(32)))); }

    std::size_t n_, pools_, spares_, failover_ints_, changes_;
    std::uint8_t used_flags_;
    unsigned index_bits_;  // an instance index or a queue length (at most n)
    bool identity_;        // the flags in use are the low bits: a flag is its own code
    unsigned flag_bits_ = 0;
    std::uint8_t code_of_[256] = {};
    std::uint8_t flags_of_[256] = {};
};

// Everything about an instance that the dynamics and the structure read, except its identity.
struct Signature {
    double fail = 0, repair = 0, detect = 0, logistics = 0;
    int pool = -1, spare_pool = -1, priority = 0;
    int group = -1;                          // standby group (primaries only; other members are never lumped)
    std::vector<int> common_causes;          // indices of the common causes it belongs to
    std::vector<int> changes;                // indices of the change streams that touch it
    std::vector<std::pair<int, int>> gates;  // (gate node, times it is a child there)
    auto tie() const { return std::tie(fail, repair, detect, logistics, pool, spare_pool, priority, group, common_causes, changes, gates); }
    bool operator<(const Signature& o) const { return tie() < o.tie(); }
};

double rate_of_mean(double mean) { return 1.0 / mean; }

}  // namespace

std::vector<std::vector<int>> interchangeable_classes(const Model& model, const StructureGraph& graph,
                                                      const std::vector<int>& pinned) {
    const std::size_t n = model.instances.size();
    std::vector<Signature> sig(n);
    std::vector<std::uint8_t> excluded(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const Component& c = model.components[static_cast<std::size_t>(model.instances[i].component)];
        Signature& s = sig[i];
        s.fail = rate_of_mean(model.independent_failure(static_cast<int>(i)).mean());
        if (c.repair) {
            s.repair = rate_of_mean(c.repair->mean());
            s.pool = c.pool;
            s.spare_pool = c.spare_pool;
            if (c.detect) s.detect = rate_of_mean(c.detect->mean());
            if (c.logistics) s.logistics = rate_of_mean(c.logistics->mean());
        }
        s.priority = c.priority;
        if (!pinned.empty() && pinned[i] >= 0) excluded[i] = 1;
    }
    for (std::size_t k = 0; k < model.common_causes.size(); ++k) {
        for (int i : model.common_causes[k].members) sig[static_cast<std::size_t>(i)].common_causes.push_back(static_cast<int>(k));
    }
    for (std::size_t k = 0; k < model.changes.size(); ++k) {
        for (int i : model.changes[k].targets) sig[static_cast<std::size_t>(i)].changes.push_back(static_cast<int>(k));
    }
    for (std::size_t g = 0; g < model.standby_groups.size(); ++g) {
        const StandbyGroup& grp = model.standby_groups[g];
        for (std::size_t k = 0; k < grp.members.size(); ++k) {
            const auto i = static_cast<std::size_t>(grp.members[k]);
            sig[i].group = static_cast<int>(g);
            // Standby units are started, and handed the load back, in their order: not interchangeable.
            if (static_cast<int>(k) >= grp.k) excluded[i] = 1;
        }
    }
    // Failover members are tried in order: an instance member is not interchangeable.
    for (const FailoverGroup& fg : model.failover_groups) {
        for (int i : fg.member_instance) {
            if (i >= 0) excluded[static_cast<std::size_t>(i)] = 1;
        }
    }
    // Every gate is a symmetric function of its children (series, parallel, k-of-n), so swapping two
    // leaves that are children of the same gates, equally often, leaves the structure unchanged.
    for (int node = graph.instance_count; node < graph.node_count; ++node) {
        for (int k = graph.child_begin[static_cast<std::size_t>(node)]; k < graph.child_begin[static_cast<std::size_t>(node) + 1]; ++k) {
            const int child = graph.children[static_cast<std::size_t>(k)];
            if (!graph.is_leaf(child)) continue;
            // Counted by weight: in a capacity block only members of equal capacity are interchangeable.
            const int weight = graph.weight[static_cast<std::size_t>(k)];
            auto& gates = sig[static_cast<std::size_t>(child)].gates;
            if (!gates.empty() && gates.back().first == node) {
                gates.back().second += weight;
            } else {
                gates.emplace_back(node, weight);
            }
        }
    }
    if (graph.root >= 0 && graph.is_leaf(graph.root)) sig[static_cast<std::size_t>(graph.root)].gates.emplace_back(-1, 1);
    std::map<Signature, std::vector<int>> groups;
    for (std::size_t i = 0; i < n; ++i) {
        if (!excluded[i]) groups[sig[i]].push_back(static_cast<int>(i));
    }
    std::vector<std::vector<int>> classes;
    for (auto& [s, members] : groups) {
        if (members.size() >= 2) classes.push_back(std::move(members));
    }
    std::sort(classes.begin(), classes.end());
    return classes;
}

std::string describe_chain(const BuiltChain& built) {
    std::size_t units = 0;
    for (const std::vector<int>& c : built.classes) units += c.size();
    if (units == 0) return fmt::format("{} states", built.chain.states());
    return fmt::format("{} states (lumped: {} interchangeable units in {} class{})", built.chain.states(), units,
                       built.classes.size(), built.classes.size() == 1 ? "" : "es");
}

BuiltChain build_chain(const Model& model, const StructureGraph& graph, const ChainOptions& options) {
    const int n = static_cast<int>(model.instances.size());
    const auto nu = static_cast<std::size_t>(n);
    require_exponential_laws(model);
    if (n > kMaxChainInstances) {
        throw UnsupportedError(fmt::format("the Markov chain is limited to {} instances, and the model has {}",
                                           kMaxChainInstances, n));
    }
    std::vector<int> pinned = options.pinned;
    pinned.resize(nu, -1);
    const ChainRates rates = chain_rates(model, pinned);
    const std::vector<double>& fail_rate = rates.fail;
    const std::vector<double>& repair_rate = rates.repair;
    const std::vector<double>& detect_rate = rates.detect;
    const std::vector<double>& logistics_rate = rates.logistics;
    const std::vector<int>& pool = rates.pool;
    const std::vector<int>& priority = rates.priority;
    const std::vector<int>& spare_pool = rates.spare_pool;
    const std::vector<double>& shock_rate = rates.shock;
    const std::vector<double>& lead_rate = rates.lead;
    // Change streams: all at once, at exponential intervals, with exponential restart, detection and
    // rollback (README "changes"). A stream is idle, or a good change restarts its targets, or a bad one
    // holds them until noticed and then until rolled back; changes falling due meanwhile are dropped.
    struct ChainChange {
        double arrive = 0, bad = 0, restart = 0, detect = 0, rollback = 0;  // rates; restart 0: none
        std::vector<int> targets;
    };
    std::vector<ChainChange> streams;
    for (const ChangeStream& cs : model.changes) {
        const std::string what = "change '" + cs.name + "'";
        if (cs.every_h > 0) {
            throw UnsupportedError(cs.location, "a Markov chain needs changes at exponential intervals (rate:), and " + what +
                                                    " comes at a fixed period (every:)");
        }
        if (cs.rollout == Rollout::Rolling && cs.targets.size() > 1) {
            throw UnsupportedError(cs.location, "a Markov chain models all-at-once changes only, and " + what +
                                                    " rolls out one unit at a time (its steps are fixed pauses)");
        }
        ChainChange c;
        c.arrive = cs.rate_per_h;
        c.bad = cs.bad_probability;
        c.targets = cs.targets;
        std::vector<std::pair<const char*, const Distribution*>> laws;
        if (cs.restart) laws.emplace_back("restart", &*cs.restart);
        if (cs.bad_probability > 0) {
            laws.emplace_back("detection", &cs.detect);
            laws.emplace_back("rollback", &cs.rollback);
        }
        for (const auto& [name, law] : laws) {
            if (!law->is_exponential()) {
                throw UnsupportedError(cs.location, "a Markov chain needs an exponential " + std::string(name) + ", and " + what +
                                                        " has " + law->describe());
            }
        }
        if (cs.restart) c.restart = 1.0 / cs.restart->mean();
        if (c.bad > 0) {
            c.detect = 1.0 / cs.detect.mean();
            c.rollback = 1.0 / cs.rollback.mean();
        }
        streams.push_back(std::move(c));
    }
    const std::size_t pools = model.pools.size();
    const std::size_t spares = model.spares.size();
    std::vector<std::vector<int>> pool_members(pools);
    for (int i = 0; i < n; ++i) {
        if (pool[static_cast<std::size_t>(i)] >= 0) pool_members[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])].push_back(i);
    }
    auto busy = [&](const State& s, int p) {
        int b = 0;
        for (int i : pool_members[static_cast<std::size_t>(p)]) b += (s.flags[static_cast<std::size_t>(i)] & kRepairing) ? 1 : 0;
        return b;
    };
    // A failed instance that is ready for repair: it takes a crew or queues for one.
    auto to_crew = [&](State& s, int i) {
        const int p = pool[static_cast<std::size_t>(i)];
        if (p < 0 || busy(s, p) < model.pools[static_cast<std::size_t>(p)].crews) {
            s.flags[static_cast<std::size_t>(i)] |= kRepairing;
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
    // A unit that has just failed: noticed after its detection delay, then logistics, then ready.
    auto begin_repair = [&](State& s, int i) {
        std::uint8_t& f = s.flags[static_cast<std::size_t>(i)];
        if (detect_rate[static_cast<std::size_t>(i)] > 0) {
            f |= kDetecting;
        } else if (logistics_rate[static_cast<std::size_t>(i)] > 0) {
            f |= kLogistics;
        } else {
            ready(s, i);
        }
    };
    auto fail = [&](State& s, int i) {
        std::uint8_t& f = s.flags[static_cast<std::size_t>(i)];
        f = static_cast<std::uint8_t>((f | kDown) & ~kActive);
        if (repair_rate[static_cast<std::size_t>(i)] > 0) begin_repair(s, i);
    };

    // Standby groups (switch_time 0 only: a fixed delay has no Markov form).
    const auto& groups = model.standby_groups;
    std::vector<int> group_of(nu, -1), position(nu, -1);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (groups[g].switch_time_h > 0) {
            throw UnsupportedError("the Markov chain models standby groups without a switch time only (a fixed delay has no "
                                   "Markov form)");
        }
        for (std::size_t k = 0; k < groups[g].members.size(); ++k) {
            const int i = groups[g].members[k];
            group_of[static_cast<std::size_t>(i)] = static_cast<int>(g);
            position[static_cast<std::size_t>(i)] = static_cast<int>(k);
        }
    }
    auto active_count = [&](const State& s, std::size_t g) {
        int a = 0;
        for (int i : groups[g].members) a += (s.flags[static_cast<std::size_t>(i)] & kActive) ? 1 : 0;
        return a;
    };
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
                const std::uint8_t f = s.flags[static_cast<std::size_t>(i)];
                if (f & (kDown | kActive)) continue;
                State ok = s;
                ok.flags[static_cast<std::size_t>(i)] |= kActive;
                demand(std::move(ok), g, prob * grp.start_success, out);
                if (grp.start_success < 1 && pinned[static_cast<std::size_t>(i)] < 0) {
                    State failed = s;
                    failed.flags[static_cast<std::size_t>(i)] |= kDown;
                    if (repair_rate[static_cast<std::size_t>(i)] > 0) begin_repair(failed, i);
                    demand(std::move(failed), g, prob * (1 - grp.start_success), out);
                }
                return;
            }
            out.emplace_back(std::move(s), prob);  // no standby unit left: the group waits for a repair
        };
    // Applies demands on every group that is short after a change.
    auto settle_standby = [&](const State& s) {
        std::vector<std::pair<State, double>> outcomes{{s, 1.0}};
        for (std::size_t g = 0; g < groups.size(); ++g) {
            std::vector<std::pair<State, double>> next;
            for (auto& [st, pr] : outcomes) demand(st, g, pr, next);
            outcomes = std::move(next);
        }
        return outcomes;
    };
    // Instance members of warm and cold failover groups: their group and position (sim/failover_groups.h
    // FailoverGroups::rest: a member runs while it carries the load, is being started or failed back to).
    std::vector<int> fo_group_of(nu, -1), fo_position(nu, -1);
    for (std::size_t g = 0; g < model.failover_groups.size(); ++g) {
        const FailoverGroup& fg = model.failover_groups[g];
        if (fg.mode == StandbyMode::Hot) continue;
        for (std::size_t m = 0; m < fg.member_units.size(); ++m) {
            for (int i : fg.member_units[m]) {
                fo_group_of[static_cast<std::size_t>(i)] = static_cast<int>(g);
                fo_position[static_cast<std::size_t>(i)] = static_cast<int>(m);
            }
        }
    }
    // The failure rate of up instance i in state s: standby units fail slower (warm) or not (cold).
    auto rate_of = [&](const State& s, int i) {
        const auto iu = static_cast<std::size_t>(i);
        if (fo_group_of[iu] >= 0) {
            const FailoverGroup& fg = model.failover_groups[static_cast<std::size_t>(fo_group_of[iu])];
            const int* f = s.failover.data() + static_cast<std::size_t>(fo_group_of[iu]) * kFailoverFields;
            const int m = fo_position[iu];
            const bool running = fg.active > 1 ? ((f[kCarrier] >> m) & 1) || ((f[kPhase] == kSwitching || f[kPhase] == kFailingBack) && f[kTarget] == m)
                                               : f[kCarrier] == m || (f[kPhase] == kSwitching && f[kTarget] == m) || (f[kPhase] == kFailingBack && m == 0);
            if (running) return fail_rate[iu];
            return fg.mode == StandbyMode::Cold ? 0.0 : fail_rate[iu] * fg.dormant_factor;
        }
        const int g = group_of[iu];
        if (g < 0 || (s.flags[iu] & kActive)) return fail_rate[iu];
        const StandbyGroup& grp = groups[static_cast<std::size_t>(g)];
        if (grp.mode == StandbyMode::Cold) return 0.0;
        if (grp.mode == StandbyMode::Warm) return fail_rate[iu] * grp.dormant_factor;
        return fail_rate[iu];
    };


    // Failover groups (sim/failover_groups.h, the same rules): a member is failed while its node is
    // down; detection, switch, failback and manual-failback delays are exponential (rate) or take no
    // time (rate 0). A fixed or other delay has no Markov form.
    const auto& fgroups = model.failover_groups;
    const std::size_t failover_ints = fgroups.size() * kFailoverFields;
    std::vector<double> fo_detect, fo_switch, fo_failback_rate, fo_delay;
    auto delay_rate = [&](const FailoverGroup& fg, const Distribution& d, const char* what) {
        if (d.kind == DistributionKind::Fixed && d.mean() == 0) return 0.0;
        if (d.is_exponential()) return 1.0 / d.mean();
        throw UnsupportedError(fg.location, std::string("a Markov chain needs exponential failover delays, and the ") + what + " of " +
                                                model.block_label(fg.block) + " is " + d.describe() +
                                                (d.kind == DistributionKind::Fixed ? " (a fixed delay has no Markov form)" : ""));
    };
    std::vector<std::uint8_t> forced_gate(static_cast<std::size_t>(graph.node_count), 0);
    for (const StandbyGroup& grp : groups) forced_gate[static_cast<std::size_t>(graph.block_node[static_cast<std::size_t>(grp.block)])] = 1;
    for (const FailoverGroup& fg : fgroups) forced_gate[static_cast<std::size_t>(graph.block_node[static_cast<std::size_t>(fg.block)])] = 1;
    for (const FailoverGroup& fg : fgroups) {
        fo_detect.push_back(fg.detect ? delay_rate(fg, *fg.detect, "detect") : 0.0);
        fo_switch.push_back(delay_rate(fg, fg.switch_time, "switch_time"));
        fo_failback_rate.push_back(delay_rate(fg, fg.failback_time, "failback_time"));
        fo_delay.push_back(fg.failback_delay ? delay_rate(fg, *fg.failback_delay, "failback_delay") : 0.0);
        if (fg.members.size() > 30) throw UnsupportedError(fg.location, "the Markov chain models failover groups of at most 30 members");
        // A member whose state depends on a failover group's gate would need the groups settled in order.
        for (int m : fg.members) {
            std::vector<int> stack{graph.block_node[static_cast<std::size_t>(m)]};
            while (!stack.empty()) {
                const int v = stack.back();
                stack.pop_back();
                for (const FailoverGroup& other : fgroups) {
                    if (v == graph.block_node[static_cast<std::size_t>(other.block)]) {
                        throw UnsupportedError(fg.location, "the Markov chain does not model a failover group inside another's member yet");
                    }
                }
                for (int k = graph.child_begin[static_cast<std::size_t>(v)]; k < graph.child_begin[static_cast<std::size_t>(v) + 1]; ++k) {
                    stack.push_back(graph.children[static_cast<std::size_t>(k)]);
                }
            }
        }
    }
    auto fo = [&](State& s, std::size_t g) { return s.failover.data() + g * kFailoverFields; };
    // The structure in state s: plain standby gates from their active units, then (members known) the
    // failover gates: down unless serving with the carrier up.
    std::vector<std::uint8_t> eval_leaf(nu);
    std::vector<std::pair<int, std::uint8_t>> eval_forced;
    auto eval = [&](const State& s, std::vector<std::uint8_t>& node_down) {
        for (std::size_t i = 0; i < nu; ++i) eval_leaf[i] = (s.flags[i] & kDown) ? 1 : 0;
        for (std::size_t c = 0; c < streams.size(); ++c) {  // a change holds its targets out of service
            if (s.change_phase[c] == kChangeIdle) continue;
            for (int i : streams[c].targets) eval_leaf[static_cast<std::size_t>(i)] = 1;
        }
        eval_forced.clear();
        for (std::size_t g = 0; g < groups.size(); ++g) {
            eval_forced.emplace_back(graph.block_node[static_cast<std::size_t>(groups[g].block)], active_count(s, g) < groups[g].k ? 1 : 0);
        }
        const std::size_t plain = eval_forced.size();
        for (const FailoverGroup& fg : fgroups) eval_forced.emplace_back(graph.block_node[static_cast<std::size_t>(fg.block)], 0);
        graph.evaluate(eval_leaf, node_down, eval_forced);
        if (fgroups.empty()) return;
        for (std::size_t g = 0; g < fgroups.size(); ++g) {
            const int* f = s.failover.data() + g * kFailoverFields;
            const bool serving = f[kPhase] == kServing || f[kPhase] == kManualWait;
            if (fgroups[g].active > 1) {  // kCarrier: the set of carriers; up while serving with all of them up
                bool all_up = serving;
                for (std::size_t m = 0; all_up && m < fgroups[g].members.size(); ++m) {
                    if ((f[kCarrier] >> m) & 1) all_up = !node_down[static_cast<std::size_t>(graph.block_node[static_cast<std::size_t>(fgroups[g].members[m])])];
                }
                eval_forced[plain + g].second = all_up ? 0 : 1;
                continue;
            }
            const int carrier_node = serving ? graph.block_node[static_cast<std::size_t>(fgroups[g].members[static_cast<std::size_t>(f[kCarrier])])] : -1;
            eval_forced[plain + g].second = serving && !node_down[static_cast<std::size_t>(carrier_node)] ? 0 : 1;
        }
        graph.evaluate(eval_leaf, node_down, eval_forced);
    };
    std::vector<std::uint8_t> fo_nodes;
    auto member_down = [&](const std::vector<std::uint8_t>& node_down, std::size_t g, int m) {
        return node_down[static_cast<std::size_t>(graph.block_node[static_cast<std::size_t>(fgroups[g].members[static_cast<std::size_t>(m)])])] != 0;
    };
    auto down_mask = [&](const std::vector<std::uint8_t>& node_down, std::size_t g) {
        std::uint64_t mask = 0;
        for (std::size_t m = 0; m < fgroups[g].members.size(); ++m) {
            if (member_down(node_down, g, static_cast<int>(m))) mask |= std::uint64_t{1} << m;
        }
        return mask;
    };
    // The primary is back while another member serves: fail back (manual: after the operator's delay).
    auto fo_failback = [&](State& s, std::size_t g) {
        int* f = fo(s, g);
        if (fgroups[g].failback == FailbackPolicy::Manual && fo_delay[g] > 0) {
            f[kPhase] = kManualWait;
        } else if (fo_failback_rate[g] > 0) {
            f[kPhase] = kFailingBack;
        } else {
            f[kPhase] = kServing;
            f[kCarrier] = 0;
        }
    };
    // Member m's start succeeded: it carries the load; the primary up (and not failed to start): failback.
    auto fo_success = [&](State& s, std::size_t g, int m) {
        int* f = fo(s, g);
        f[kPhase] = kServing;
        f[kCarrier] = m;
        f[kTarget] = -1;
        std::vector<std::uint8_t> node_down;
        eval(s, node_down);
        if (m != 0 && fgroups[g].failback != FailbackPolicy::Never && !(f[kTried] & 1) && !member_down(node_down, g, 0)) fo_failback(s, g);
    };
    // Member m's start failed: an instance member goes to repair; it is not tried again in this failover.
    auto fo_start_failed = [&](State& s, std::size_t g, int m) {
        fo(s, g)[kTried] |= 1 << m;
        const int inst = fgroups[g].member_instance[static_cast<std::size_t>(m)];
        if (inst >= 0 && pinned[static_cast<std::size_t>(inst)] < 0 && !(s.flags[static_cast<std::size_t>(inst)] & kDown)) fail(s, inst);
    };
    // Tries the members in order; attempts that take no time branch on start_success here.
    std::function<void(State, std::size_t, double, std::vector<std::pair<State, double>>&)> fo_attempt =
        [&](State s, std::size_t g, double prob, std::vector<std::pair<State, double>>& out) {
            std::vector<std::uint8_t> node_down;
            eval(s, node_down);
            int* f = fo(s, g);
            int next = -1;
            for (std::size_t m = 0; m < fgroups[g].members.size(); ++m) {
                if (!((f[kTried] >> m) & 1) && !member_down(node_down, g, static_cast<int>(m))) {
                    next = static_cast<int>(m);
                    break;
                }
            }
            if (next < 0) {
                f[kPhase] = kWaiting;
                f[kCarrier] = -1;
                f[kTarget] = -1;
                out.emplace_back(std::move(s), prob);
                return;
            }
            f[kCarrier] = -1;
            f[kTarget] = next;
            f[kPhase] = kSwitching;
            if (fo_switch[g] > 0) {
                out.emplace_back(std::move(s), prob);
                return;
            }
            const double p = fgroups[g].start_success;
            if (p < 1) {
                State bad = s;
                fo_start_failed(bad, g, next);
                fo_attempt(std::move(bad), g, prob * (1 - p), out);
            }
            fo_success(s, g, next);
            out.emplace_back(std::move(s), prob * p);
        };
    // Groups with active > 1 (sim/failover_groups.h review_k, attempt_k, proceed_k, check_failback_k,
    // the same rules): kCarrier holds the set of carriers, kTarget the member being started or failed
    // back to (-1 in the other phases).
    auto kk_preferred = [&](std::size_t g) { return (1 << fgroups[g].active) - 1; };
    auto kk_swap = [&](int* f, std::size_t g) {  // the last non-preferred carrier gives the load to kTarget
        const int others = f[kCarrier] & ~kk_preferred(g);
        f[kCarrier] = (f[kCarrier] & ~(1 << (31 - __builtin_clz(static_cast<unsigned>(others))))) | (1 << f[kTarget]);
        f[kTarget] = -1;
    };
    std::function<void(State&, std::size_t)> kk_check_failback;
    auto kk_start_failback = [&](State& s, std::size_t g) {
        int* f = fo(s, g);
        if (fo_failback_rate[g] > 0) {
            f[kPhase] = kFailingBack;
            return;
        }
        kk_swap(f, g);
        f[kPhase] = kServing;
        kk_check_failback(s, g);
    };
    kk_check_failback = [&](State& s, std::size_t g) {
        const FailoverGroup& fg = fgroups[g];
        if (fg.failback == FailbackPolicy::Never) return;
        int* f = fo(s, g);
        const int preferred = kk_preferred(g);
        if (!(f[kCarrier] & ~preferred)) return;
        std::vector<std::uint8_t> node_down;
        eval(s, node_down);
        const int free = preferred & ~f[kCarrier] & ~f[kTried] & ~static_cast<int>(down_mask(node_down, g));
        if (!free) return;
        f[kTarget] = __builtin_ctz(static_cast<unsigned>(free));
        if (fg.failback == FailbackPolicy::Manual && fo_delay[g] > 0) {
            f[kPhase] = kManualWait;
            return;
        }
        kk_start_failback(s, g);
    };
    std::function<void(State, std::size_t, double, std::vector<std::pair<State, double>>&)> kk_attempt =
        [&](State s, std::size_t g, double prob, std::vector<std::pair<State, double>>& out) {
            std::vector<std::uint8_t> node_down;
            eval(s, node_down);
            const int down = static_cast<int>(down_mask(node_down, g));
            int* f = fo(s, g);
            f[kCarrier] &= ~down;
            f[kTarget] = -1;
            if (__builtin_popcount(static_cast<unsigned>(f[kCarrier])) >= fgroups[g].active) {
                f[kPhase] = kServing;
                kk_check_failback(s, g);
                out.emplace_back(std::move(s), prob);
                return;
            }
            int next = -1;
            for (std::size_t m = 0; m < fgroups[g].members.size(); ++m) {
                if (!(((f[kCarrier] | f[kTried] | down) >> m) & 1)) {
                    next = static_cast<int>(m);
                    break;
                }
            }
            if (next < 0) {
                f[kPhase] = kWaiting;
                out.emplace_back(std::move(s), prob);
                return;
            }
            f[kPhase] = kSwitching;
            f[kTarget] = next;
            if (fo_switch[g] > 0) {
                out.emplace_back(std::move(s), prob);
                return;
            }
            const double p = fgroups[g].start_success;
            if (p < 1) {
                State bad = s;
                fo_start_failed(bad, g, next);
                kk_attempt(std::move(bad), g, prob * (1 - p), out);
            }
            f[kCarrier] |= 1 << next;
            kk_attempt(std::move(s), g, prob * p, out);
        };
    // A carrier lost: detection (no branching), or a failover at once.
    auto kk_lost = [&](State s, std::size_t g, double prob, std::vector<std::pair<State, double>>& out) {
        int* f = fo(s, g);
        f[kTarget] = -1;
        if (fo_detect[g] > 0) {
            f[kPhase] = kDetectingPhase;
            out.emplace_back(std::move(s), prob);
            return;
        }
        f[kTried] = 0;
        kk_attempt(std::move(s), g, prob, out);
    };
    auto kk_proceed = [&](State s, std::size_t g, double prob, std::vector<std::pair<State, double>>& out) {
        std::vector<std::uint8_t> node_down;
        eval(s, node_down);
        int* f = fo(s, g);
        if (f[kCarrier] & static_cast<int>(down_mask(node_down, g))) {
            kk_lost(std::move(s), g, prob, out);
            return;
        }
        if (__builtin_popcount(static_cast<unsigned>(f[kCarrier])) < fgroups[g].active) {
            kk_attempt(std::move(s), g, prob, out);
            return;
        }
        f[kPhase] = kServing;
        f[kTarget] = -1;
        kk_check_failback(s, g);
        out.emplace_back(std::move(s), prob);
    };

    // The groups react to the structure of state s (members seen down before: `seen`, per group).
    std::function<void(State, std::vector<std::uint64_t>, double, std::vector<std::pair<State, double>>&)> fo_review =
        [&](State s, std::vector<std::uint64_t> seen, double prob, std::vector<std::pair<State, double>>& out) {
            std::vector<std::uint8_t> node_down;
            eval(s, node_down);
            for (std::size_t g = 0; g < fgroups.size(); ++g) {
                const std::uint64_t down = down_mask(node_down, g);
                const std::uint64_t returned = seen[g] & ~down;
                seen[g] = down;
                int* f = fo(s, g);
                f[kTried] &= ~static_cast<int>(returned);  // a member back may be started again
                const FailoverGroup& fg = fgroups[g];
                if (fg.active > 1) {
                    const int carriers_down = f[kCarrier] & static_cast<int>(down);
                    std::vector<std::pair<State, double>> outcomes;
                    bool branched = true;
                    switch (f[kPhase]) {
                        case kServing:
                        case kManualWait:
                            if (carriers_down) {
                                kk_lost(s, g, prob, outcomes);
                            } else if (f[kPhase] == kManualWait && ((down >> f[kTarget]) & 1)) {
                                f[kPhase] = kServing;
                                f[kTarget] = -1;
                                kk_check_failback(s, g);
                                branched = false;
                            } else {
                                if (f[kPhase] == kServing) kk_check_failback(s, g);
                                branched = false;
                            }
                            break;
                        case kDetectingPhase:
                            if (carriers_down) {
                                branched = false;
                            } else {
                                kk_proceed(s, g, prob, outcomes);
                            }
                            break;
                        case kSwitching:
                            if ((down >> f[kTarget]) & 1) {
                                kk_attempt(s, g, prob, outcomes);
                            } else {
                                branched = false;
                            }
                            break;
                        case kFailingBack:
                            if ((down >> f[kTarget]) & 1) {
                                f[kTarget] = -1;
                                kk_proceed(s, g, prob, outcomes);
                            } else {
                                branched = false;
                            }
                            break;
                        case kWaiting:
                            if (returned != 0) {
                                f[kTried] = 0;
                                kk_attempt(s, g, prob, outcomes);
                            } else {
                                branched = false;
                            }
                            break;
                        default: branched = false; break;
                    }
                    if (branched) {
                        for (auto& [st, pr] : outcomes) fo_review(std::move(st), seen, pr, out);
                        return;
                    }
                    continue;
                }
                auto is_down = [&](int m) { return ((down >> m) & 1) != 0; };
                // The carrier is lost: detection first, or a failover at once (then the outcomes branch).
                auto lost = [&]() {
                    if (fo_detect[g] > 0) {
                        f[kPhase] = kDetectingPhase;
                        return false;
                    }
                    f[kTried] = 0;
                    return true;
                };
                bool try_members = false;
                switch (f[kPhase]) {
                    case kServing:
                    case kManualWait:
                        if (is_down(f[kCarrier])) {
                            try_members = lost();
                        } else if (f[kPhase] == kManualWait && is_down(0)) {
                            f[kPhase] = kServing;
                        } else if (f[kPhase] == kServing && f[kCarrier] != 0 && (returned & 1) && fg.failback != FailbackPolicy::Never) {
                            fo_failback(s, g);
                        }
                        break;
                    case kDetectingPhase:
                        if (!is_down(f[kCarrier])) {
                            f[kPhase] = kServing;
                            if (f[kCarrier] != 0 && !is_down(0) && fg.failback != FailbackPolicy::Never) fo_failback(s, g);
                        }
                        break;
                    case kSwitching: try_members = is_down(f[kTarget]); break;
                    case kFailingBack:
                        if (is_down(0)) {
                            f[kPhase] = kServing;
                            if (is_down(f[kCarrier])) try_members = lost();
                        }
                        break;
                    case kWaiting:
                        if (returned != 0) {
                            f[kTried] = 0;
                            try_members = true;
                        }
                        break;
                    default: break;
                }
                if (try_members) {
                    std::vector<std::pair<State, double>> tried;
                    fo_attempt(s, g, prob, tried);
                    for (auto& [st, pr] : tried) fo_review(std::move(st), seen, pr, out);
                    return;
                }
            }
            out.emplace_back(std::move(s), prob);
        };

    // After a change: standby demands, then the failover groups' reactions (`seen`: their members
    // down before the change).
    auto settle = [&](const State& s, const std::vector<std::uint64_t>& seen) {
        std::vector<std::pair<State, double>> outcomes = settle_standby(s);
        if (fgroups.empty()) return outcomes;
        std::vector<std::pair<State, double>> reviewed;
        for (auto& [st, pr] : outcomes) fo_review(std::move(st), seen, pr, reviewed);
        return reviewed;
    };
    // settle() returns its state unchanged, with probability 1: the exploration skips it (keep in step).
    const bool nothing_to_settle = groups.empty() && fgroups.empty();

    // Lumping: the canonical member of a state's orbit sorts each class's members by what they do
    // (flags, then place in their crew queue and spares queue) and renames queue entries to match.
    BuiltChain built{Ctmc(1, {}, {1}, 0), {}, {}};
    if (options.lump) built.classes = interchangeable_classes(model, graph, pinned);
    // Without crew queues or spares, a class's states are the multisets of what its units do: a bound
    // known before exploring (2^n for n distinct units with no delays). Refuse at once above the cap.
    if (!model.has_limited_crews() && model.spares.empty()) {
        std::vector<int> class_size(nu, 1);
        std::vector<std::uint8_t> follower(nu, 0);
        for (const std::vector<int>& members : built.classes) {
            class_size[static_cast<std::size_t>(members.front())] = static_cast<int>(members.size());
            for (std::size_t r = 1; r < members.size(); ++r) follower[static_cast<std::size_t>(members[r])] = 1;
        }
        double bound = 1;
        for (std::size_t i = 0; i < nu; ++i) {
            if (follower[i]) continue;
            int kinds = 1;  // up
            if (pinned[i] < 0) kinds += repair_rate[i] > 0 ? 1 + (detect_rate[i] > 0) + (logistics_rate[i] > 0) : 1;
            if (group_of[i] >= 0) kinds *= 2;  // carrying load or not
            // Multisets of size m over `kinds` values: C(m + kinds - 1, kinds - 1).
            double multisets = 1;
            for (int j = 1; j < kinds; ++j) multisets = multisets * (class_size[i] + j) / j;
            bound *= multisets;
        }
        for (std::size_t c = 0; c < streams.size(); ++c) bound *= 4;  // the phases of each change stream
        if (bound > static_cast<double>(options.max_states)) {
            throw UnsupportedError(fmt::format("the Markov chain would have up to {:.3g} states, above the limit of {}",
                                               bound, options.max_states));
        }
    }
    // The flag bits this model can set (the key holds only those).
    std::uint8_t used_flags = kDown | kRepairing;
    if (!groups.empty()) used_flags |= kActive;
    for (std::size_t i = 0; i < nu; ++i) {
        if (detect_rate[i] > 0) used_flags |= kDetecting;
        if (logistics_rate[i] > 0) used_flags |= kLogistics;
    }
    const StateCodec codec(nu, used_flags, pools, spares, failover_ints, streams.size());
    // The canonical key of a state, computed without changing the state: each class's members sorted
    // by (flags, place in their crew queue, place in their spares queue), the r-th smallest given to
    // the class's r-th member, queue entries renamed to match. One sort key per member packs that
    // tuple in 13-bit fields (kMaxChainInstances < 2^13) above the member's index, so the order is the
    // tuple's.
    // The state being explored (`explored`) is canonical, and a transition changes a member or two:
    // a class none of whose members changed flags or stands in a queue that changed has the same
    // sort keys as there, so it is in order already and is skipped; the others are checked, and
    // sorted (an insertion sort of a few steps) when out of order.
    static_assert(kMaxChainInstances < (1 << 13), "an instance index or queue place must fit 13 bits");
    std::vector<int> wait_pos(nu, 0), spare_pos(nu, 0), rename(nu);  // places + 1, 0 when not queued
    std::vector<std::uint8_t> canonical_flags(nu);
    std::vector<int> class_begin{0}, class_members, class_of(nu, -1);  // the classes, flat
    for (const std::vector<int>& members : built.classes) {
        for (int i : members) class_of[static_cast<std::size_t>(i)] = static_cast<int>(class_begin.size()) - 1;
        class_members.insert(class_members.end(), members.begin(), members.end());
        class_begin.push_back(static_cast<int>(class_members.size()));
    }
    std::vector<std::uint64_t> sort_keys(class_members.size());
    std::vector<std::uint8_t> dirty(built.classes.size(), 0);
    std::vector<int> dirty_classes, renamed_classes;
    const State* explored = nullptr;
    KeyWriter key;
    auto mark = [&](int i) {
        const int c = class_of[static_cast<std::size_t>(i)];
        if (c >= 0 && !dirty[static_cast<std::size_t>(c)]) {
            dirty[static_cast<std::size_t>(c)] = 1;
            dirty_classes.push_back(c);
        }
    };
    auto mark_queues = [&](const std::vector<std::vector<int>>& now, const std::vector<std::vector<int>>& before) {
        for (std::size_t p = 0; p < now.size(); ++p) {
            if (now[p] == before[p]) continue;
            for (int i : now[p]) mark(i);
            for (int i : before[p]) mark(i);
        }
    };
    auto canonical_key = [&](const State& s) {
        if (built.classes.empty()) {
            codec.encode(s.flags.data(), s, rename, key);
            return;
        }
        const std::size_t class_count = built.classes.size();
        if (explored == nullptr) {
            for (std::size_t c = 0; c < class_count; ++c) mark(static_cast<int>(class_members[static_cast<std::size_t>(class_begin[c])]));
        } else {
            const std::uint8_t* now = s.flags.data();
            const std::uint8_t* before = explored->flags.data();
            for (std::size_t i = 0; i < nu; i += 8) {  // eight instances at a time: most are unchanged
                std::uint64_t a = 0, b = 0;
                const std::size_t bytes = std::min<std::size_t>(8, nu - i);
                std::memcpy(&a, now + i, bytes);
                std::memcpy(&b, before + i, bytes);
                if (a == b) continue;
                for (std::size_t j = i; j < i + bytes; ++j) {
                    if (now[j] != before[j]) mark(static_cast<int>(j));
                }
            }
            mark_queues(s.waiting, explored->waiting);
            mark_queues(s.spare_waiting, explored->spare_waiting);
        }
        std::copy(s.flags.begin(), s.flags.end(), canonical_flags.begin());
        // A class's members share a crew pool and a spares pool: only those queues place them.
        auto place = [&](bool set) {
            for (const int c : dirty_classes) {
                const int first = class_members[static_cast<std::size_t>(class_begin[static_cast<std::size_t>(c)])];
                if (const int p = pool[static_cast<std::size_t>(first)]; p >= 0) {
                    const std::vector<int>& w = s.waiting[static_cast<std::size_t>(p)];
                    for (std::size_t q = 0; q < w.size(); ++q) wait_pos[static_cast<std::size_t>(w[q])] = set ? static_cast<int>(q) + 1 : 0;
                }
                if (const int p = spare_pool[static_cast<std::size_t>(first)]; p >= 0) {
                    const std::vector<int>& w = s.spare_waiting[static_cast<std::size_t>(p)];
                    for (std::size_t q = 0; q < w.size(); ++q) spare_pos[static_cast<std::size_t>(w[q])] = set ? static_cast<int>(q) + 1 : 0;
                }
            }
        };
        place(true);
        const std::uint8_t* flags = s.flags.data();
        const int* waits = wait_pos.data();
        const int* spare_waits = spare_pos.data();
        const int* members = class_members.data();
        std::uint8_t* out = canonical_flags.data();
        std::uint64_t* keys = sort_keys.data();
        for (const int c : dirty_classes) {
            const auto begin = static_cast<std::size_t>(class_begin[static_cast<std::size_t>(c)]);
            const auto end = static_cast<std::size_t>(class_begin[static_cast<std::size_t>(c) + 1]);
            bool in_order = true;
            std::uint64_t previous = 0;
            for (std::size_t r = begin; r < end; ++r) {
                const auto i = static_cast<std::size_t>(members[r]);
                const std::uint64_t k = std::uint64_t{flags[i]} << 39 | static_cast<std::uint64_t>(waits[i]) << 26 |
                                        static_cast<std::uint64_t>(spare_waits[i]) << 13;
                in_order = in_order && k >= previous;  // (equal keys: unqueued members doing the same)
                previous = k;
                keys[r] = k | i;
            }
            if (in_order) continue;
            for (std::size_t r = begin + 1; r < end; ++r) {
                const std::uint64_t v = keys[r];
                std::size_t q = r;
                for (; q > begin && keys[q - 1] > v; --q) keys[q] = keys[q - 1];
                keys[q] = v;
            }
            for (std::size_t r = begin; r < end; ++r) {
                const int to = members[r];
                out[to] = static_cast<std::uint8_t>(keys[r] >> 39);
                rename[keys[r] & 0x1fff] = to;
            }
            renamed_classes.push_back(c);
        }
        place(false);
        codec.encode(out, s, rename, key);
        // Between calls `rename` is the identity and no class is marked.
        for (const int c : renamed_classes) {
            for (int r = class_begin[static_cast<std::size_t>(c)]; r < class_begin[static_cast<std::size_t>(c) + 1]; ++r) {
                rename[static_cast<std::size_t>(members[r])] = members[r];
            }
        }
        renamed_classes.clear();
        for (const int c : dirty_classes) dirty[static_cast<std::size_t>(c)] = 0;
        dirty_classes.clear();
    };
    for (int i = 0; i < n; ++i) rename[static_cast<std::size_t>(i)] = i;

    State start;
    start.flags.assign(nu, 0);
    for (const StandbyGroup& grp : groups) {
        for (int k = 0; k < grp.k; ++k) start.flags[static_cast<std::size_t>(grp.members[static_cast<std::size_t>(k)])] |= kActive;
    }
    for (std::size_t i = 0; i < nu; ++i) {
        if (pinned[i] == 1) start.flags[i] = kDown;  // pinned down: out of service for good, holds no crew
    }
    start.waiting.resize(pools);
    for (const SparePool& sp : model.spares) start.on_hand.push_back(sp.stock);
    start.outstanding.assign(spares, 0);
    start.spare_waiting.resize(spares);
    for (std::size_t g = 0; g < fgroups.size(); ++g) {
        start.failover.insert(start.failover.end(), {kServing, fgroups[g].active > 1 ? kk_preferred(g) : 0, -1, 0});
    }
    start.change_phase.assign(streams.size(), kChangeIdle);
    // With a pinned-down primary the start needs a demand; the first outcome (every start succeeds)
    // reaches the chain's one recurrent class but need not be in it: a failover group whose carrier is
    // pinned down starts by detecting the loss and switching away for good, so the start and those
    // phases are transient (importance solves such chains with Ctmc::long_run_distribution).
    start = settle(start, std::vector<std::uint64_t>(fgroups.size(), 0)).front().first;

    StateTable table;
    std::vector<Transition> transitions;
    // The id of a state's canonical member (a new one is explored later, in the order found).
    auto look_up = [&](const std::uint64_t* words, std::size_t count, std::uint64_t hash) {
        const auto [id, inserted] = table.intern(words, count, hash);
        if (inserted) {
            if (table.size() > options.max_states) {
                throw UnsupportedError(fmt::format("the Markov chain has more than {} states (the limit)", options.max_states));
            }
            // Memory held: the stored states (keys and table) and the transitions.
            if (table.bytes() + transitions.size() * sizeof(Transition) > kChainMemoryLimitBytes) {
                throw UnsupportedError(fmt::format("the Markov chain needs more than {} MB ({} states explored so far, {} "
                                                   "transitions)", kChainMemoryLimitBytes >> 20, table.size(),
                                                   transitions.size()));
            }
        }
        return id;
    };
    auto target = [&](const State& s) {
        canonical_key(s);
        return look_up(key.data(), key.size(), StateTable::hash(key.data(), key.size()));
    };
    target(start);
    // With nothing to settle, the transitions of the state explored are looked up together at its end:
    // each key's slot is prefetched when the key is made, so the table's cache misses overlap. The
    // lookups keep the transitions' order: the same ids as one at a time.
    struct Pending {
        std::size_t begin, count;
        std::uint64_t hash;
        double rate;
    };
    std::vector<Pending> pending;
    std::vector<std::uint64_t> pending_words;
    auto defer = [&](const State& next, double rate) {
        canonical_key(next);
        const std::uint64_t hash = StateTable::hash(key.data(), key.size());
        table.prefetch(hash);
        pending.push_back({pending_words.size(), key.size(), hash, rate});
        pending_words.insert(pending_words.end(), key.data(), key.data() + key.size());
    };
    auto look_up_pending = [&](int from) {
        for (const Pending& p : pending) transitions.push_back({from, look_up(pending_words.data() + p.begin, p.count, p.hash), p.rate});
        pending.clear();
        pending_words.clear();
    };
    std::vector<std::uint8_t> up;
    std::vector<std::uint8_t> leaf_down(nu);
    std::vector<std::uint8_t> node_down;
    std::vector<int> multiplicity(nu, 1);
    std::vector<std::uint8_t> in_queue(nu, 0);
    std::vector<std::uint8_t> on_hold(nu, 0);  // out of service for a change
    State current, scratch;
    // The state a transition leads to, built in one reused buffer (no allocation per transition).
    auto copy_of = [&scratch](const State& from) -> State& {
        scratch = from;
        return scratch;
    };
    for (std::size_t k = 0; k < table.size(); ++k) {
        codec.decode(table.key(static_cast<int>(k)), current);
        const State& s = current;
        explored = &current;
        std::fill(on_hold.begin(), on_hold.end(), 0);
        for (std::size_t c = 0; c < streams.size(); ++c) {
            if (s.change_phase[c] == kChangeIdle) continue;
            for (int i : streams[c].targets) on_hold[static_cast<std::size_t>(i)] = 1;
        }
        for (std::size_t i = 0; i < nu; ++i) leaf_down[i] = (s.flags[i] & kDown) || on_hold[i] ? 1 : 0;
        if (options.keep_down_sets) built.down.push_back(leaf_down);
        eval(s, node_down);
        up.push_back(node_down[static_cast<std::size_t>(graph.root)] ? 0 : 1);
        std::vector<std::uint64_t> seen(fgroups.size());
        for (std::size_t g = 0; g < fgroups.size(); ++g) seen[g] = down_mask(node_down, g);
        auto add = [&](const State& next, double rate) {
            if (nothing_to_settle) {
                defer(next, rate);
                return;
            }
            for (auto& [st, pr] : settle(next, seen)) {
                const int to = target(st);
                transitions.push_back({static_cast<int>(k), to, rate * pr});
            }
        };
        // Failover timers: detection, switch, failback and the operator's delay end.
        for (std::size_t g = 0; g < fgroups.size(); ++g) {
            const int* f = s.failover.data() + g * kFailoverFields;
            std::vector<std::pair<State, double>> outcomes;
            double rate = 0;
            State next = s;
            if (fgroups[g].active > 1) {
                switch (f[kPhase]) {
                    case kDetectingPhase:
                        rate = fo_detect[g];
                        fo(next, g)[kTried] = 0;
                        kk_attempt(std::move(next), g, 1.0, outcomes);
                        break;
                    case kSwitching: {
                        rate = fo_switch[g];
                        const double p = fgroups[g].start_success;
                        if (p < 1) {
                            State bad = s;
                            fo_start_failed(bad, g, f[kTarget]);
                            kk_attempt(std::move(bad), g, 1 - p, outcomes);
                        }
                        fo(next, g)[kCarrier] |= 1 << f[kTarget];
                        fo(next, g)[kTarget] = -1;
                        kk_proceed(std::move(next), g, p, outcomes);
                        break;
                    }
                    case kFailingBack:
                        rate = fo_failback_rate[g];
                        kk_swap(fo(next, g), g);
                        kk_proceed(std::move(next), g, 1.0, outcomes);
                        break;
                    case kManualWait:
                        rate = fo_delay[g];
                        kk_start_failback(next, g);
                        outcomes.emplace_back(std::move(next), 1.0);
                        break;
                    default: break;
                }
                if (rate > 0) {
                    for (auto& [st, pr] : outcomes) add(st, rate * pr);
                }
                continue;
            }
            switch (f[kPhase]) {
                case kDetectingPhase:
                    rate = fo_detect[g];
                    fo(next, g)[kTried] = 0;
                    fo_attempt(next, g, 1.0, outcomes);
                    break;
                case kSwitching: {
                    rate = fo_switch[g];
                    const double p = fgroups[g].start_success;
                    const int starting = f[kTarget];
                    if (p < 1) {
                        State bad = s;
                        fo_start_failed(bad, g, starting);
                        fo_attempt(std::move(bad), g, 1 - p, outcomes);
                    }
                    fo_success(next, g, starting);
                    outcomes.emplace_back(std::move(next), p);
                    break;
                }
                case kFailingBack:
                    rate = fo_failback_rate[g];
                    fo(next, g)[kPhase] = kServing;
                    fo(next, g)[kCarrier] = 0;
                    outcomes.emplace_back(std::move(next), 1.0);
                    break;
                case kManualWait:
                    rate = fo_delay[g];
                    if (fo_failback_rate[g] > 0) {
                        fo(next, g)[kPhase] = kFailingBack;
                    } else {
                        fo(next, g)[kPhase] = kServing;
                        fo(next, g)[kCarrier] = 0;
                    }
                    outcomes.emplace_back(std::move(next), 1.0);
                    break;
                default: break;
            }
            if (rate <= 0) continue;
            for (auto& [st, pr] : outcomes) add(st, rate * pr);
        }
        for (std::size_t k2 = 0; k2 < shock_rate.size(); ++k2) {
            State& next = copy_of(s);
            bool any = false;
            for (int i : model.common_causes[k2].members) {  // in instance order, as the simulation
                const auto iu = static_cast<std::size_t>(i);
                if ((next.flags[iu] & kDown) || on_hold[iu] || pinned[iu] >= 0) continue;  // a shock passes over held units
                any = true;
                fail(next, i);
            }
            if (any) add(next, shock_rate[k2]);
        }
        for (std::size_t c = 0; c < streams.size(); ++c) {
            const ChainChange& cc = streams[c];
            State& next = copy_of(s);
            switch (s.change_phase[c]) {
                case kChangeIdle:
                    if (cc.bad > 0) {
                        next.change_phase[c] = kChangeBadUnnoticed;
                        add(next, cc.arrive * cc.bad);
                    }
                    if (cc.restart > 0 && cc.bad < 1) {
                        next.change_phase[c] = kChangeRestarting;
                        add(next, cc.arrive * (1 - cc.bad));
                    }
                    break;  // a good change without a restart costs nothing: no transition
                case kChangeRestarting:
                    next.change_phase[c] = kChangeIdle;
                    add(next, cc.restart);
                    break;
                case kChangeBadUnnoticed:
                    next.change_phase[c] = kChangeRollingBack;
                    add(next, cc.detect);
                    break;
                case kChangeRollingBack:
                    next.change_phase[c] = kChangeIdle;
                    add(next, cc.rollback);
                    break;
                default: break;
            }
        }
        for (std::size_t p = 0; p < lead_rate.size(); ++p) {
            if (s.outstanding[p] == 0) continue;
            // One of the outstanding orders arrives; the part goes to the longest-waiting repair.
            State& next = copy_of(s);
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
        // Members of a class doing the same thing (same flags, in no queue) are adjacent in the
        // canonical state and lead to the same lumped state: one transition at the summed rate.
        std::fill(multiplicity.begin(), multiplicity.end(), 1);
        for (const std::vector<int>& w : s.waiting) {
            for (int i : w) in_queue[static_cast<std::size_t>(i)] = 1;
        }
        for (const std::vector<int>& w : s.spare_waiting) {
            for (int i : w) in_queue[static_cast<std::size_t>(i)] = 1;
        }
        for (const std::vector<int>& members : built.classes) {
            std::size_t first = 0;
            for (std::size_t r = 1; r < members.size(); ++r) {
                const auto a = static_cast<std::size_t>(members[first]), b = static_cast<std::size_t>(members[r]);
                if (s.flags[a] == s.flags[b] && !in_queue[a] && !in_queue[b]) {
                    ++multiplicity[a];
                    multiplicity[b] = 0;
                } else {
                    first = r;
                }
            }
        }
        for (const std::vector<int>& w : s.waiting) {
            for (int i : w) in_queue[static_cast<std::size_t>(i)] = 0;
        }
        for (const std::vector<int>& w : s.spare_waiting) {
            for (int i : w) in_queue[static_cast<std::size_t>(i)] = 0;
        }
        auto add_one = [&](int i, const State& next, double rate) { add(next, rate * multiplicity[static_cast<std::size_t>(i)]); };
        for (int i = 0; i < n; ++i) {
            const auto iu = static_cast<std::size_t>(i);
            if (multiplicity[iu] == 0) continue;
            const std::uint8_t f = s.flags[iu];
            if (!(f & kDown)) {
                // Failure of i: repaired at once if its pool has a free crew, else it queues.
                const double rate = rate_of(s, i);
                if (rate <= 0) continue;
                State& next = copy_of(s);
                fail(next, i);
                add_one(i, next, rate);
            } else if (f & kDetecting) {
                State& next = copy_of(s);
                next.flags[iu] &= static_cast<std::uint8_t>(~kDetecting);
                if (logistics_rate[iu] > 0) {
                    next.flags[iu] |= kLogistics;
                } else {
                    ready(next, i);
                }
                add_one(i, next, detect_rate[iu]);
            } else if (f & kLogistics) {
                State& next = copy_of(s);
                next.flags[iu] &= static_cast<std::uint8_t>(~kLogistics);
                ready(next, i);
                add_one(i, next, logistics_rate[iu]);
            } else if (f & kRepairing) {
                // Repair of i ends; its crew takes the highest-priority, earliest waiting repair.
                State& next = copy_of(s);
                next.flags[iu] = 0;
                const int p = pool[iu];
                if (p >= 0) {
                    std::vector<int>& w = next.waiting[static_cast<std::size_t>(p)];
                    if (!w.empty()) {
                        std::size_t best = 0;
                        for (std::size_t q = 1; q < w.size(); ++q) {
                            if (priority[static_cast<std::size_t>(w[q])] > priority[static_cast<std::size_t>(w[best])]) best = q;
                        }
                        next.flags[static_cast<std::size_t>(w[best])] |= kRepairing;
                        w.erase(w.begin() + static_cast<std::ptrdiff_t>(best));
                    }
                }
                const int g = group_of[iu];
                if (g >= 0 && active_count(next, static_cast<std::size_t>(g)) < groups[static_cast<std::size_t>(g)].k) {
                    // A repair ends with a working, tested unit: it joins a short group without a start attempt.
                    next.flags[iu] |= kActive;
                } else if (g >= 0 && position[iu] < groups[static_cast<std::size_t>(g)].k) {
                    // A repaired primary takes the load back from the last active non-primary.
                    const StandbyGroup& grp = groups[static_cast<std::size_t>(g)];
                    for (auto it = grp.members.rbegin(); it != grp.members.rend(); ++it) {
                        const auto m = static_cast<std::size_t>(*it);
                        if (position[m] >= grp.k && (next.flags[m] & kActive)) {
                            next.flags[m] &= static_cast<std::uint8_t>(~kActive);
                            next.flags[iu] |= kActive;
                            break;
                        }
                    }
                }
                add_one(i, next, repair_rate[iu]);
            }
        }
        look_up_pending(static_cast<int>(k));
    }
    const int count = static_cast<int>(table.size());
    table = StateTable();  // the keys are no longer needed: free them before the chain takes its memory
    built.chain = Ctmc(count, std::move(transitions), std::move(up), 0);
    return built;
}

Ctmc build_independent_ctmc(const Model& model, const StructureGraph& graph, std::size_t max_states) {
    ChainOptions options;
    options.max_states = max_states;
    return build_chain(model, graph, options).chain;
}

}  // namespace nines::analytic
