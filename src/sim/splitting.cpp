#include "sim/splitting.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "model/error.h"
#include "sim/conditional_residual.h"
#include "sim/kernel_model.h"
#include "sim/random_stream.h"
#include "sim/structure_state.h"

namespace nines::sim {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
// Random streams of splitting runs: their own key, so they never meet the kernel's component streams.
constexpr std::uint32_t kSplittingStream = 0x53504c54u;  // "SPLT"
// Pilot runs use replication numbers from here on, apart from the estimate's 0, 1, 2, ...
constexpr std::uint64_t kPilotReplicationBase = std::uint64_t{1} << 40;

enum class Phase : std::uint8_t { Up, Repairing, Waiting, Dead };

struct Waiter {
    int priority;
    std::int64_t arrival;
    int unit;
};

// Everything a trajectory is at an instant; a copy of it is a split.
struct Trajectory {
    explicit Trajectory(const StructureGraph& g) : structure(g) {}
    double t = 0;
    std::vector<Phase> phase;       // per unit
    std::vector<double> clock;      // per unit: when its pending event rings (kNever: none)
    std::vector<double> since;      // per unit: start of its current up time or repair (its age's origin)
    std::vector<int> busy;          // per pool: crews at work
    std::vector<Waiter> waiting;    // units waiting for a crew
    std::int64_t arrivals = 0;
    StructureState structure;
    RandomStream rng;
    double down_since = 0;
    int importance = 0;
    bool done = false;              // reached the horizon
};

// Sums of one replication (weighted where the estimate needs it), and splitting's own counts.
struct Tally : ReplicationSums {
    std::int64_t trajectories = 0;
    std::vector<std::int64_t> crossings;  // per threshold (index 1..D0)
    std::vector<double> crossing_weight;
};

// The read-only side of a splitting run.
struct Plan {
    const Model& model;
    const KernelModel& km;
    std::vector<Distribution> repair_law;  // per component (unused when not repairable)
    int d0 = 0;                             // thresholds 1..d0; d0 is the down set
    std::vector<int> factors;               // index 1..d0
    double horizon = 0, warmup = 0;
    std::uint64_t seed = 0;
    bool redraw = true;
};

class Replication {
public:
    Replication(const Plan& plan, std::uint64_t replication) : p_(plan), replication_(replication) {
        tally_.crossings.assign(static_cast<std::size_t>(plan.d0) + 1, 0);
        tally_.crossing_weight.assign(static_cast<std::size_t>(plan.d0) + 1, 0.0);
    }

    Tally run() {
        const KernelModel& km = p_.km;
        const int units = km.graph.instance_count;
        Trajectory s(km.graph);
        s.phase.assign(static_cast<std::size_t>(units), Phase::Up);
        s.clock.assign(static_cast<std::size_t>(units), kNever);
        s.since.assign(static_cast<std::size_t>(units), 0.0);
        s.busy.assign(km.pool_crews.size(), 0);
        s.rng.reset(p_.seed, replication_, kSplittingStream, 0);
        ++tally_.trajectories;
        for (int i = 0; i < units; ++i) {
            s.clock[static_cast<std::size_t>(i)] = km.instance_failure[static_cast<std::size_t>(i)].draw(s.rng);
        }
        s.importance = importance(s);
        advance(s, 0, 1.0, true);
        return tally_;
    }

private:
    int importance(const Trajectory& s) { return p_.d0 - distance_to_cut_set(p_.km.graph, s.structure.node_down(), scratch_); }

    // Runs s at level `level` with weight w until it falls below its threshold or reaches the horizon.
    void advance(Trajectory& s, int level, double w, bool main) {
        for (;;) {
            if (level > 0 && s.importance < level) return;
            if (s.importance > level && level < p_.d0) {
                split(s, level + 1, w, main);
                if (s.done) return;
                continue;
            }
            step(s, w, main);
            if (s.done) return;
        }
    }

    void split(Trajectory& s, int threshold, double w, bool main) {
        const auto th = static_cast<std::size_t>(threshold);
        ++tally_.crossings[th];
        tally_.crossing_weight[th] += w;
        const int r = p_.factors[th];
        const double share = w / r;
        // Copies at this threshold reuse one buffer (a copy ends before the next is made).
        if (spare_.size() <= th) spare_.resize(th + 1);
        if (!spare_[th]) spare_[th] = std::make_unique<Trajectory>(s);
        for (int k = 1; k < r; ++k) {
            Trajectory& copy = *spare_[th];
            copy = s;
            const std::int64_t id = tally_.trajectories++;
            copy.rng.reset(p_.seed, replication_, kSplittingStream + static_cast<std::uint32_t>(id >> 31),
                           static_cast<std::uint32_t>(id & 0x7fffffff));
            if (p_.redraw) redraw_clocks(copy);
            advance(copy, threshold, share, false);
        }
        advance(s, threshold, share, main);
    }

    void redraw_clocks(Trajectory& s) {
        const KernelModel& km = p_.km;
        for (std::size_t i = 0; i < s.phase.size(); ++i) {
            const Distribution* law = nullptr;
            if (s.phase[i] == Phase::Up) {
                law = km.instance_failure_law[i];
            } else if (s.phase[i] == Phase::Repairing) {
                law = &p_.repair_law[static_cast<std::size_t>(km.instance_component[i])];
            } else {
                continue;
            }
            if (const std::optional<double> rest = draw_remaining(*law, s.t - s.since[i], s.rng)) s.clock[i] = s.t + *rest;
        }
    }

    // The next event of s (or the horizon), with the time before it counted.
    void step(Trajectory& s, double w, bool main) {
        int unit = -1;
        double t = kNever;
        for (std::size_t i = 0; i < s.clock.size(); ++i) {
            if (s.clock[i] < t) {
                t = s.clock[i];
                unit = static_cast<int>(i);
            }
        }
        const double until = std::min(t, p_.horizon);
        if (s.structure.root_down()) {
            const double from = std::max(s.t, p_.warmup);
            if (until > from) tally_.down_time += w * (until - from);
        }
        if (t >= p_.horizon) {
            if (s.structure.root_down()) {
                const double len = p_.horizon - std::max(s.down_since, p_.warmup);
                tally_.outage_sq += w * len * len;
            }
            s.t = p_.horizon;
            s.done = true;
            return;
        }
        s.t = t;
        ++tally_.events;
        if (main) ++tally_.main_events;
        const auto i = static_cast<std::size_t>(unit);
        if (s.phase[i] == Phase::Up) {
            fail(s, unit, t, w);
        } else {
            repaired(s, unit, t, w);
        }
        s.importance = importance(s);
    }

    void fail(Trajectory& s, int unit, double t, double w) {
        const KernelModel& km = p_.km;
        const auto i = static_cast<std::size_t>(unit);
        const auto c = static_cast<std::size_t>(km.instance_component[i]);
        if (!km.repairable[c]) {
            s.phase[i] = Phase::Dead;
            s.clock[i] = kNever;
        } else {
            const int pool = km.pool[c];
            if (pool < 0 || s.busy[static_cast<std::size_t>(pool)] < km.pool_crews[static_cast<std::size_t>(pool)]) {
                if (pool >= 0) ++s.busy[static_cast<std::size_t>(pool)];
                start_repair(s, unit, t);
            } else {
                s.phase[i] = Phase::Waiting;
                s.clock[i] = kNever;
                s.waiting.push_back({km.priority[c], s.arrivals++, unit});
            }
        }
        if (s.structure.flip(unit, true)) {
            s.down_since = t;
            if (t >= p_.warmup) tally_.failures += w;
        }
    }

    void start_repair(Trajectory& s, int unit, double t) {
        const auto i = static_cast<std::size_t>(unit);
        const auto c = static_cast<std::size_t>(p_.km.instance_component[i]);
        s.phase[i] = Phase::Repairing;
        s.since[i] = t;
        s.clock[i] = t + p_.km.repair[c].draw(s.rng);
    }

    void repaired(Trajectory& s, int unit, double t, double w) {
        const KernelModel& km = p_.km;
        const auto i = static_cast<std::size_t>(unit);
        const auto c = static_cast<std::size_t>(km.instance_component[i]);
        s.phase[i] = Phase::Up;
        s.since[i] = t;
        s.clock[i] = t + km.instance_failure[i].draw(s.rng);
        if (s.structure.flip(unit, false)) {
            const double len = t - std::max(s.down_since, p_.warmup);
            if (len > 0) tally_.outage_sq += w * len * len;
        }
        const int pool = km.pool[c];
        if (pool < 0) return;
        // The crew takes the waiting repair of highest priority, first come first served among equals.
        std::size_t best = s.waiting.size();
        for (std::size_t k = 0; k < s.waiting.size(); ++k) {
            const Waiter& q = s.waiting[k];
            if (km.pool[static_cast<std::size_t>(km.instance_component[static_cast<std::size_t>(q.unit)])] != pool) continue;
            if (best == s.waiting.size() || q.priority > s.waiting[best].priority ||
                (q.priority == s.waiting[best].priority && q.arrival < s.waiting[best].arrival)) {
                best = k;
            }
        }
        if (best == s.waiting.size()) {
            --s.busy[static_cast<std::size_t>(pool)];
            return;
        }
        const int next = s.waiting[best].unit;
        s.waiting.erase(s.waiting.begin() + static_cast<std::ptrdiff_t>(best));
        start_repair(s, next, t);
    }

    const Plan& p_;
    std::uint64_t replication_;
    Tally tally_;
    std::vector<int> scratch_;
    std::vector<std::unique_ptr<Trajectory>> spare_;  // per threshold: the buffer its copies run in
};

std::vector<Tally> run_replications(const Plan& plan, std::uint64_t first, std::int64_t count, int threads) {
    return sim::run_replications<Tally>(first, count, threads, [&plan](std::uint64_t r) { return Replication(plan, r).run(); });
}

// Splitting factors by pilot runs, threshold by threshold: with the factors found so far, a pilot run
// sees crossings of threshold j and j + 1; R(j) = 1 / P(j + 1 | j) balances the work across levels.
// When too few pilot trajectories reach j + 1, R(j) is raised and the pilot repeated.
std::vector<int> choose_factors(Plan& plan, int pilot_replications, int threads, std::int64_t* pilot_events) {
    std::vector<int>& f = plan.factors;
    f.assign(static_cast<std::size_t>(plan.d0) + 1, 1);
    std::uint64_t next_replication = kPilotReplicationBase;
    constexpr std::int64_t kEnough = 30;
    constexpr int kMaxFactor = 100000;
    for (int j = 1; j < plan.d0; ++j) {
        for (int attempt = 0; attempt < 8; ++attempt) {
            const std::vector<Tally> tallies = run_replications(plan, next_replication, pilot_replications, threads);
            next_replication += static_cast<std::uint64_t>(pilot_replications);
            std::int64_t hits_j = 0, hits_next = 0;
            double w_j = 0, w_next = 0;
            for (const Tally& t : tallies) {
                *pilot_events += t.events;
                hits_j += t.crossings[static_cast<std::size_t>(j)];
                hits_next += t.crossings[static_cast<std::size_t>(j) + 1];
                w_j += t.crossing_weight[static_cast<std::size_t>(j)];
                w_next += t.crossing_weight[static_cast<std::size_t>(j) + 1];
            }
            const auto ju = static_cast<std::size_t>(j);
            if (hits_next >= kEnough && w_next > 0) {
                f[ju] = static_cast<int>(std::clamp(std::lround(w_j / w_next), 1L, static_cast<long>(kMaxFactor)));
                break;
            }
            if (hits_j == 0) break;  // nothing reaches this level in a pilot: leave R = 1
            const double boost = static_cast<double>(kEnough) / static_cast<double>(std::max<std::int64_t>(hits_next, 1));
            f[ju] = static_cast<int>(std::min<double>(kMaxFactor, std::ceil(f[ju] * std::max(2.0, boost))));
            if (f[ju] >= kMaxFactor) break;
        }
    }
    return f;
}

}  // namespace

void check_splitting_supported(const Model& model) {
    auto refuse = [](const SourceLocation& where, const std::string& what) {
        throw UnsupportedError(where, "splitting does not handle " + what + " yet");
    };
    for (const Component& c : model.components) {
        if (c.detect || c.logistics) refuse(c.location, "detection or logistics delays (component " + c.name + ")");
        if (c.inspect_every_h > 0) refuse(c.location, "hidden failures found by inspection (component " + c.name + ")");
        if (c.spare_pool >= 0) refuse(c.location, "spare parts (component " + c.name + ")");
        if (c.maintenance_every_h > 0) refuse(c.location, "preventive maintenance (component " + c.name + ")");
    }
    if (!model.standby_groups.empty()) refuse(SourceLocation{}, "standby groups");
    // Its importance function counts children against thresholds; a capacity block's are weights.
    for (const Block& b : model.blocks) {
        if (b.kind == BlockKind::Capacity) refuse(b.location, "capacity blocks");
    }
    if (!model.failover_groups.empty()) refuse(model.failover_groups.front().location, "failover groups");
    if (!model.changes.empty()) refuse(model.changes.front().location, "change streams");
    if (!model.common_causes.empty()) refuse(model.common_causes.front().location, "common causes");
}

SplittingResult estimate_by_splitting(const Model& model, const SplittingSettings& settings) {
    check_splitting_supported(model);
    if (!(settings.horizon_h > settings.warmup_h) || settings.warmup_h < 0) {
        throw UnsupportedError("splitting needs a horizon longer than its warm-up");
    }
    if (settings.replications < 2) throw UnsupportedError("splitting needs at least 2 replications per round");
    SimulationSettings kernel_settings = model.simulation;
    kernel_settings.horizon_h = settings.horizon_h;
    kernel_settings.warmup_h = settings.warmup_h;
    const KernelModel km(model, kernel_settings);

    Plan plan{model, km, {}, 0, {}, settings.horizon_h, settings.warmup_h, settings.seed, settings.redraw_clocks};
    SplittingResult result;
    for (const Component& c : model.components) {
        plan.repair_law.push_back(c.repair ? *c.repair : Distribution::fixed(0));
        if (!has_remaining_sampler(c.failure) || (c.repair && !has_remaining_sampler(*c.repair))) result.clocks_redrawn = false;
    }
    if (!settings.redraw_clocks) result.clocks_redrawn = false;
    {
        StructureState all_up(km.graph);
        std::vector<int> scratch;
        plan.d0 = distance_to_cut_set(km.graph, all_up.node_down(), scratch);
    }
    if (plan.d0 < 1) throw UnsupportedError("splitting: the system is down with every unit up");
    if (!settings.factors.empty()) {
        if (static_cast<int>(settings.factors.size()) != plan.d0) {
            throw UnsupportedError("splitting: " + std::to_string(settings.factors.size()) + " factors given for " +
                                   std::to_string(plan.d0) + " thresholds");
        }
        plan.factors.assign(1, 1);
        for (int r : settings.factors) {
            if (r < 1) throw UnsupportedError("splitting: a factor below 1");
            plan.factors.push_back(r);
        }
    } else {
        choose_factors(plan, std::max(2, settings.pilot_replications), std::max(1, settings.threads), &result.pilot_events);
    }

    RoundPlan rounds;
    rounds.replications = settings.replications;
    rounds.target_relative_error = settings.target_relative_error;
    rounds.max_replications = settings.max_replications;
    rounds.threads = std::max(1, settings.threads);
    const std::vector<Tally> tallies = run_rounds<Tally>(rounds, [&plan](std::uint64_t r) { return Replication(plan, r).run(); });
    const double window = settings.horizon_h - settings.warmup_h;
    const ReplicatedSummary summary =
        summarise_replications(std::vector<ReplicationSums>(tallies.begin(), tallies.end()), window, result.pilot_events);
    result.unavailability = summary.unavailability;
    result.failure_frequency_per_h = summary.failure_frequency_per_h;
    result.mean_down_time_h = summary.mean_down_time_h;
    result.replications = summary.replications;
    result.events = summary.events;
    result.variance_ratio = summary.variance_ratio;
    result.plain_replications_for_10_percent = summary.plain_replications_for_10_percent;
    result.largest_replication_share = summary.largest_replication_share;
    result.distance_all_up = plan.d0;
    result.simulated_hours = settings.horizon_h;

    // Per threshold: crossings over every trajectory, and the weighted ratio of successive crossings.
    result.thresholds.resize(static_cast<std::size_t>(plan.d0));
    std::vector<double> weight(static_cast<std::size_t>(plan.d0) + 1, 0.0);
    for (const Tally& t : tallies) {
        result.trajectories += t.trajectories;
        for (int j = 1; j <= plan.d0; ++j) {
            result.thresholds[static_cast<std::size_t>(j) - 1].crossings += t.crossings[static_cast<std::size_t>(j)];
            weight[static_cast<std::size_t>(j)] += t.crossing_weight[static_cast<std::size_t>(j)];
        }
    }
    for (int j = 1; j <= plan.d0; ++j) {
        SplittingThreshold& th = result.thresholds[static_cast<std::size_t>(j) - 1];
        th.importance = j;
        th.factor = plan.factors[static_cast<std::size_t>(j)];
        th.conditional_probability = j < plan.d0 && weight[static_cast<std::size_t>(j)] > 0
                                         ? weight[static_cast<std::size_t>(j) + 1] / weight[static_cast<std::size_t>(j)]
                                         : 0.0;
    }
    return result;
}

}  // namespace nines::sim
