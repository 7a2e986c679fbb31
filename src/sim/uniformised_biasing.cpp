#include "sim/uniformised_biasing.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "model/error.h"
#include "sim/kernel_model.h"
#include "sim/random_stream.h"
#include "sim/structure_state.h"

namespace nines::sim {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kMainStream = 0x554e4946u;    // "UNIF"
constexpr std::uint32_t kBranchStream = 0x554e4947u;  // branches: their own key, index = branch number

// Hazard of a non-decreasing-hazard failure law at age a (exponential, Weibull of shape >= 1).
double hazard(const Distribution& law, double age) {
    if (law.kind == DistributionKind::Exponential) return 1 / law.a;
    const double x = age - law.c;  // Weibull: a = shape, b = scale, c = location
    if (x <= 0) return 0;
    return law.a / law.b * std::pow(x / law.b, law.a - 1);
}

struct Tally : ReplicationSums {
    std::int64_t branches = 0;
    std::vector<double> hit_weights;     // per branch that reached the down set: its likelihood ratio then
    std::vector<double> hit_down_times;  // and its weighted down time
};

struct Plan {
    const KernelModel& km;
    std::vector<const Distribution*> failure_law;  // per instance
    double window = 0;                       // W: the hazard bound's horizon
    double min_rate = 0;                     // beta is at least this
    double horizon = 0, warmup = 0, p = 0.5;
    std::uint64_t seed = 0;
};

class Replication {
public:
    Replication(const Plan& plan, std::uint64_t replication)
        : p_(plan), rep_(replication), branch_structure_(plan.km.graph), closer_units_(plan.km.graph) {}

    Tally run() {
        const KernelModel& km = p_.km;
        const auto units = static_cast<std::size_t>(km.graph.instance_count);
        std::vector<double> clock(units), since(units, 0.0);
        std::vector<std::uint8_t> up(units, 1);
        RandomStream rng;
        rng.reset(p_.seed, rep_, kMainStream, 0);
        for (std::size_t i = 0; i < units; ++i) clock[i] = km.instance_failure[i].draw(rng);
        int down = 0;
        for (;;) {
            std::size_t u = 0;
            for (std::size_t i = 1; i < units; ++i) {
                if (clock[i] < clock[u]) u = i;
            }
            const double t = clock[u];
            if (t >= p_.horizon) break;
            ++tally_.events;
            ++tally_.main_events;
            if (up[u]) {
                up[u] = 0;
                since[u] = t;
                clock[u] = t + km.repair[static_cast<std::size_t>(km.instance_component[u])].draw(rng);
                if (++down == 1) branch(t, static_cast<int>(u), up, since);
            } else {
                up[u] = 1;
                since[u] = t;
                clock[u] = t + km.instance_failure[u].draw(rng);
                --down;
            }
        }
        return tally_;
    }

private:
    // An excursion from all-up that began at t0 with the failure of `first`, under the biased law,
    // until all-up again (or the horizon).
    void branch(double t0, int first, const std::vector<std::uint8_t>& main_up, const std::vector<double>& main_since) {
        const KernelModel& km = p_.km;
        const std::size_t units = main_up.size();
        const std::int64_t id = tally_.branches++;
        rng_.reset(p_.seed, rep_, kBranchStream + static_cast<std::uint32_t>(id >> 31), static_cast<std::uint32_t>(id & 0x7fffffff));
        up_ = main_up;
        since_ = main_since;
        repair_end_.assign(units, kNever);
        hz_.assign(units, 0.0);
        closer_.assign(units, 0);
        branch_structure_.reset();
        const auto f = static_cast<std::size_t>(first);
        repair_end_[f] = t0 + km.repair[static_cast<std::size_t>(km.instance_component[f])].draw(rng_);
        branch_structure_.flip(first, true);
        int down = 1;
        double t = t0, w = 1, down_since = t0, contributed = 0, hit_weight = 0;
        bool biasing = true;
        if (branch_structure_.root_down()) {  // a single failure brings the system down
            biasing = false;
            hit_weight = w;
            if (t >= p_.warmup) tally_.failures += w;
        }
        // The closer set changes only when a unit fails or is repaired; the hazard bound is planned at
        // those events and at the plan's end (beta bounds every working unit's hazard until t + W; a
        // repaired unit's is added at its repair), not at pseudo events.
        bool closer_stale = true, replan_now = true;
        double beta = 0, replan = t;
        std::size_t next_repair = units;
        while (down > 0) {
            if (replan_now) {
                double bound = 0;
                next_repair = units;
                for (std::size_t i = 0; i < units; ++i) {
                    if (up_[i]) {
                        bound += hazard(*p_.failure_law[i], t - since_[i] + p_.window);
                    } else if (next_repair == units || repair_end_[i] < repair_end_[next_repair]) {
                        next_repair = i;
                    }
                }
                beta = std::max(bound, p_.min_rate);
                replan = t + p_.window;
                replan_now = false;
            }
            const double candidate = t - std::log(rng_.uniform_open()) / beta;
            const double until = std::min({candidate, repair_end_[next_repair], replan, p_.horizon});
            if (branch_structure_.root_down()) {
                const double from = std::max(t, p_.warmup);
                if (until > from) {
                    tally_.down_time += w * (until - from);
                    contributed += w * (until - from);
                }
            }
            if (until >= p_.horizon) {
                if (branch_structure_.root_down()) {
                    const double len = p_.horizon - std::max(down_since, p_.warmup);
                    tally_.outage_sq += w * len * len;
                }
                break;
            }
            t = until;
            ++tally_.events;
            if (until == repair_end_[next_repair]) {
                up_[next_repair] = 1;
                since_[next_repair] = t;
                repair_end_[next_repair] = kNever;
                --down;
                if (branch_structure_.flip(static_cast<int>(next_repair), false)) {
                    const double len = t - std::max(down_since, p_.warmup);
                    if (len > 0) tally_.outage_sq += w * len * len;
                }
                closer_stale = replan_now = true;
                continue;
            }
            if (until == replan) {
                replan_now = true;
                continue;
            }
            // A candidate: a failure of unit i with probability h_i / beta under the original law. The
            // biased law gives p to the failures that bring the system closer to a cut set (set I,
            // chosen in proportion to h_i) and 1 - p to everything else in its original proportions:
            // ratio (H_I / beta) / p for a failure in I, (1 - H_I / beta) / (1 - p) otherwise.
            if (biasing && closer_stale) {
                closer_units_.find(branch_structure_.node_down(), closer_);
                closer_stale = false;
            }
            double h = 0, h_closer = 0;
            for (std::size_t i = 0; i < units; ++i) {
                hz_[i] = up_[i] ? hazard(*p_.failure_law[i], t - since_[i]) : 0.0;
                h += hz_[i];
                if (biasing && closer_[i]) h_closer += hz_[i];
            }
            // Which units the failure is drawn from (in proportion to h_i), or none: a pseudo event.
            bool among_closer = false, fails;
            if (!biasing || h_closer <= 0) {
                fails = rng_.uniform_open() * beta < h;
            } else if (rng_.uniform_open() < p_.p) {
                fails = among_closer = true;
                w *= h_closer / beta / p_.p;
            } else {
                w *= (1 - h_closer / beta) / (1 - p_.p);
                // Given not a closer failure: another unit's failure or a pseudo event, original odds.
                fails = rng_.uniform_open() * (beta - h_closer) < h - h_closer;
                if (fails) h -= h_closer;
                for (std::size_t i = 0; fails && i < units; ++i) {
                    if (closer_[i]) hz_[i] = 0;
                }
            }
            if (!fails) continue;
            if (among_closer) {
                h = h_closer;
                for (std::size_t i = 0; i < units; ++i) {
                    if (!closer_[i]) hz_[i] = 0;
                }
            }
            double pick = rng_.uniform_open() * h;
            std::size_t unit = units;
            for (std::size_t i = 0; i < units; ++i) {
                if (hz_[i] <= 0) continue;
                unit = i;
                pick -= hz_[i];
                if (pick < 0) break;
            }
            up_[unit] = 0;
            since_[unit] = t;
            repair_end_[unit] = t + km.repair[static_cast<std::size_t>(km.instance_component[unit])].draw(rng_);
            ++down;
            closer_stale = replan_now = true;
            if (branch_structure_.flip(static_cast<int>(unit), true)) {
                if (biasing) hit_weight = w;
                biasing = false;  // the original law from the first system failure on
                down_since = t;
                if (t >= p_.warmup) tally_.failures += w;
            }
        }
        if (hit_weight > 0) {
            tally_.hit_weights.push_back(hit_weight);
            tally_.hit_down_times.push_back(contributed);
        }
    }

    const Plan& p_;
    std::uint64_t rep_;
    Tally tally_;
    RandomStream rng_;
    StructureState branch_structure_;
    CloserUnits closer_units_;
    std::vector<std::uint8_t> up_, closer_;
    std::vector<double> since_, repair_end_, hz_;
};

}  // namespace

void check_uniformised_biasing_supported(const Model& model) {
    check_splitting_supported(model);
    auto refuse = [](const SourceLocation& where, const std::string& what) {
        throw UnsupportedError(where, "failure biasing by uniformisation does not handle " + what);
    };
    for (const Component& c : model.components) {
        if (!c.repair) refuse(c.location, "components without repair (component " + c.name + ")");
        if (c.pool >= 0) refuse(c.location, "crew pools yet (component " + c.name + ")");
        const Distribution& f = c.failure;
        if (f.kind == DistributionKind::Exponential) continue;
        if (f.kind == DistributionKind::Weibull && f.a >= 1) continue;
        refuse(c.location, "a failure law whose hazard has no bound over an age window: " + f.describe() + " (component " + c.name +
                               "; exponential and Weibull of shape >= 1 are bounded)");
    }
}

UniformisedBiasingResult estimate_by_uniformised_biasing(const Model& model, const UniformisedBiasingSettings& settings) {
    check_uniformised_biasing_supported(model);
    if (!(settings.horizon_h > settings.warmup_h) || settings.warmup_h < 0) {
        throw UnsupportedError("failure biasing by uniformisation needs a horizon longer than its warm-up");
    }
    if (settings.replications < 2) throw UnsupportedError("failure biasing by uniformisation needs at least 2 replications per round");
    if (!(settings.failure_bias > 0 && settings.failure_bias < 1)) throw UnsupportedError("failure bias must lie in (0, 1)");
    SimulationSettings kernel_settings = model.simulation;
    kernel_settings.horizon_h = settings.horizon_h;
    kernel_settings.warmup_h = settings.warmup_h;
    const KernelModel km(model, kernel_settings);
    Plan plan{km, km.instance_failure_law, 0, 0, settings.horizon_h, settings.warmup_h, settings.failure_bias, settings.seed};
    double longest_repair = 0;
    for (const Component& c : model.components) longest_repair = std::max(longest_repair, c.repair->mean());
    plan.window = longest_repair;
    plan.min_rate = 1 / longest_repair;

    RoundPlan rounds;
    rounds.replications = settings.replications;
    rounds.target_relative_error = settings.target_relative_error;
    rounds.max_replications = settings.max_replications;
    rounds.threads = std::max(1, settings.threads);
    // Doubling, as the Markovian importance sampling's cycles do, so that the target is judged about
    // log2(n) times: a round of 8 per look judged it up to 512 times (213 looks on
    // scenarios/metadata_wearing_nodes.yaml), each a chance to stop on a sample whose variance happens
    // to be low.
    rounds.doubling = true;
    const std::vector<Tally> tallies = run_rounds<Tally>(rounds, [&plan](std::uint64_t r) { return Replication(plan, r).run(); });
    const double window = settings.horizon_h - settings.warmup_h;
    const ReplicatedSummary summary = summarise_replications(std::vector<ReplicationSums>(tallies.begin(), tallies.end()), window);

    UniformisedBiasingResult result;
    result.unavailability = summary.unavailability;
    result.failure_frequency_per_h = summary.failure_frequency_per_h;
    result.mean_down_time_h = summary.mean_down_time_h;
    result.replications = summary.replications;
    result.events = summary.events;
    result.main_events = summary.main_events;
    result.variance_ratio = summary.variance_ratio;
    result.plain_replications_for_10_percent = summary.plain_replications_for_10_percent;
    result.largest_replication_share = summary.largest_replication_share;
    // The branches' likelihood ratios: the weighted down time is summed over every branch of every
    // replication, so shares are of that total.
    double total = 0, largest = 0, sum_w = 0, sum_c2 = 0;
    std::vector<double> contributions;
    for (const Tally& t : tallies) {
        result.branches += t.branches;
        for (std::size_t k = 0; k < t.hit_weights.size(); ++k) {
            const double w = t.hit_weights[k];
            ++result.branches_hitting;
            sum_w += w;
            sum_c2 += t.hit_down_times[k] * t.hit_down_times[k];
            result.max_weight_hitting = std::max(result.max_weight_hitting, w);
            contributions.push_back(t.hit_down_times[k]);
            total += t.hit_down_times[k];
            largest = std::max(largest, t.hit_down_times[k]);
        }
    }
    if (result.branches_hitting > 0) result.mean_weight_hitting = sum_w / static_cast<double>(result.branches_hitting);
    if (total > 0) {
        result.effective_sample_size = total * total / sum_c2;
        result.largest_branch_share = largest / total;
        const std::size_t top = std::max<std::size_t>(1, contributions.size() / 100);
        std::nth_element(contributions.begin(), contributions.begin() + static_cast<std::ptrdiff_t>(top - 1), contributions.end(),
                         std::greater<double>());
        double top_sum = 0;
        for (std::size_t k = 0; k < top; ++k) top_sum += contributions[k];
        result.top_1_percent_share = top_sum / total;
    }
    return result;
}

}  // namespace nines::sim
