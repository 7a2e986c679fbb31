#include "sim/splitting.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <thread>

#include "model/error.h"
#include "sim/conditional_residual.h"
#include "sim/kernel_model.h"
#include "sim/random_stream.h"
#include "sim/statistics.h"
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

// Sums of one replication (weighted where the estimate needs it).
struct Tally {
    double down_time = 0;           // weighted system down time inside the window
    double failures = 0;            // weighted system failures starting inside the window
    double outage_sq = 0;           // weighted squared outage lengths (for the plain-run variance)
    std::int64_t events = 0;
    std::int64_t main_events = 0;   // events of the main trajectory alone: a plain run's work
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
                law = &km.instance_failure_law[i];
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

// Replications first .. first + count - 1, on `threads` threads; the result is in replication order,
// so it does not depend on the thread count.
std::vector<Tally> run_replications(const Plan& plan, std::uint64_t first, std::int64_t count, int threads) {
    std::vector<Tally> out(static_cast<std::size_t>(count));
    const int workers = std::max(1, std::min<int>(threads, static_cast<int>(count)));
    auto work = [&](int worker) {
        for (std::int64_t r = worker; r < count; r += workers) {
            out[static_cast<std::size_t>(r)] = Replication(plan, first + static_cast<std::uint64_t>(r)).run();
        }
    };
    if (workers == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        for (int k = 0; k < workers; ++k) pool.emplace_back(work, k);
        for (std::thread& t : pool) t.join();
    }
    return out;
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

// The project's interval for a positive mean (statistics.h): log scale with its bias term, degrees of
// freedom reduced for heavy tails. Per-replication down times are right-skewed (a few replications
// carry the rare long excursions), and a raw-scale t interval misses mostly on the optimistic side:
// 92.5 % coverage with 11 of 15 misses optimistic on the Weibull 2-of-4 at 10 replications.
SplittingInterval interval(const Estimate& e) {
    SplittingInterval out;
    out.mean = e.mean;
    out.std_error = e.std_error;
    out.lower = e.has_ci ? e.lo : e.mean;
    out.upper = e.has_ci ? e.hi : e.mean;
    out.relative_error = e.mean > 0 ? (out.upper - out.lower) / 2 / e.mean : std::numeric_limits<double>::infinity();
    return out;
}

double unavailability_relative_error(const std::vector<Tally>& tallies) {
    std::vector<double> down;
    down.reserve(tallies.size());
    for (const Tally& t : tallies) down.push_back(t.down_time);
    return interval(positive_mean_estimate(down)).relative_error;
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

int distance_to_cut_set(const StructureGraph& g, const std::vector<std::uint8_t>& node_down, std::vector<int>& scratch) {
    const auto nodes = static_cast<std::size_t>(g.node_count);
    if (scratch.size() < nodes + g.children.size()) scratch.resize(nodes + g.children.size());  // values, then one gate's children
    for (int i = 0; i < g.instance_count; ++i) scratch[static_cast<std::size_t>(i)] = node_down[static_cast<std::size_t>(i)] ? 0 : 1;
    int* children = scratch.data() + nodes;
    for (int n : g.gate_order) {
        const auto nu = static_cast<std::size_t>(n);
        if (node_down[nu]) {
            scratch[nu] = 0;
            continue;
        }
        const int begin = g.child_begin[nu], count = g.child_count(n), need = g.threshold[nu];
        for (int k = 0; k < count; ++k) children[k] = scratch[static_cast<std::size_t>(g.children[static_cast<std::size_t>(begin + k)])];
        std::nth_element(children, children + (need - 1), children + count);
        int sum = 0;
        std::sort(children, children + need);
        for (int k = 0; k < need; ++k) sum += children[k];
        scratch[nu] = sum;
    }
    return scratch[static_cast<std::size_t>(g.root)];
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

    // Rounds of `replications` until the precision target is met (a fixed sequence of replication
    // numbers, so the stopping point does not depend on the thread count either).
    std::vector<Tally> tallies;
    const double window = settings.horizon_h - settings.warmup_h;
    for (;;) {
        std::vector<Tally> round =
            run_replications(plan, static_cast<std::uint64_t>(tallies.size()), settings.replications, std::max(1, settings.threads));
        tallies.insert(tallies.end(), round.begin(), round.end());
        if (settings.target_relative_error <= 0) break;
        if (static_cast<std::int64_t>(tallies.size()) + settings.replications > settings.max_replications) break;
        if (unavailability_relative_error(tallies) <= settings.target_relative_error) break;
    }

    // Per replication: u = down time / window, f = failures / window.
    const auto n = static_cast<std::int64_t>(tallies.size());
    const auto nd = static_cast<double>(n);
    double su = 0, sf = 0, suu = 0, sff = 0, suf = 0, sq = 0, main_events = 0, largest = 0;
    std::vector<double> us, fs;
    result.thresholds.resize(static_cast<std::size_t>(plan.d0));
    std::vector<double> weight(static_cast<std::size_t>(plan.d0) + 1, 0.0);
    for (const Tally& t : tallies) {
        const double u = t.down_time / window, f = t.failures / window;
        largest = std::max(largest, u);
        us.push_back(u);
        fs.push_back(f);
        su += u;
        sf += f;
        suu += u * u;
        sff += f * f;
        suf += u * f;
        sq += t.outage_sq;
        main_events += static_cast<double>(t.main_events);
        result.events += t.events;
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
    result.events += result.pilot_events;
    result.replications = n;
    result.distance_all_up = plan.d0;
    result.simulated_hours = settings.horizon_h;
    const double mu = su / nd, mf = sf / nd;
    const double vu = (suu - nd * mu * mu) / (nd - 1), vf = (sff - nd * mf * mf) / (nd - 1);
    const double cuf = (suf - nd * mu * mf) / (nd - 1);
    result.unavailability = interval(positive_mean_estimate(us));
    result.largest_replication_share = su > 0 ? largest / su : 0.0;
    result.failure_frequency_per_h = interval(positive_mean_estimate(fs));
    if (mf > 0) {
        const double m = mu / mf;
        Estimate mdt;
        mdt.mean = m;
        mdt.std_error = std::sqrt(std::max(0.0, (vu - 2 * m * cuf + m * m * vf) / (mf * mf) / nd));
        result.mean_down_time_h = interval(log_scale_interval(mdt, n - 1));
    }
    // Plain Monte Carlo over the same window: variance of its estimate ~ E[sum of squared outage
    // lengths] / window^2 (rare, nearly independent outages), work ~ the main trajectory's events.
    const double plain_variance = sq / nd / (window * window);
    const double plain_work = main_events / nd;
    const double work = static_cast<double>(result.events) / nd;
    if (vu > 0 && work > 0) result.variance_ratio = plain_variance * plain_work / (vu * work);
    constexpr double kZ95 = 1.959963984540054;
    if (mu > 0) result.plain_replications_for_10_percent = (kZ95 / 0.1) * (kZ95 / 0.1) * plain_variance / (mu * mu);
    return result;
}

}  // namespace nines::sim
