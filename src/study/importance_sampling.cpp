#include "study/importance_sampling.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "analytic/cut_sets.h"
#include "analytic/markov_operations.h"
#include "model/structure_graph.h"
#include "sim/random_stream.h"
#include "sim/runner.h"

namespace nines::study {

namespace {

using analytic::MarkovMove;
using analytic::MarkovOperations;
using analytic::MarkovState;

constexpr std::int64_t kCyclesPerBatch = 256;      // the unit of work a thread takes; fixes the random streams
constexpr std::int64_t kMaxStepsPerCycle = 10'000'000;  // a cycle that never regenerates: refuse, do not hang
constexpr double kZ95 = 1.959963984540054;
constexpr double kBalancedShare = 0.1;  // the distance variant's defensive mixture with balanced biasing

// Sums over the cycles of one batch. Both samples of a batch come from their own streams.
struct BatchSums {
    // Plain sample (original law): cycle lengths.
    double tau = 0, tau2 = 0;
    std::int64_t plain_steps = 0;
    // Biased sample: X = L D (weighted down time), Y = L N (weighted system failures).
    double x = 0, x2 = 0, y = 0, y2 = 0;
    double plain_d2 = 0;                // L D^2: E[D^2] under the original law, for plain Monte Carlo's variance
    std::int64_t biased_steps = 0;
    std::int64_t hits = 0;
    double weight_sum = 0, weight2_sum = 0, weight_max = 0;  // likelihood ratios at the first entry to the down set
    std::vector<double> contributions;  // X of the cycles that hit
    std::vector<double> contribution_failures;  // Y of the same cycles (the mean down time's residuals need both)
};

// Approximate chance of reaching the down set from a state: the largest, over minimal cut sets, of the
// product of (failure rate / repair rate) of the set's instances still up. Down states count 1.
class DistanceApproximation {
public:
    DistanceApproximation(const Model& model, const StructureGraph& graph) {
        const std::size_t n = model.instances.size();
        std::vector<double> q(n);
        ratio_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const Component& c = model.components[static_cast<std::size_t>(model.instances[i].component)];
            const double lambda = 1.0 / c.failure.mean();
            const double mu = 1.0 / c.repair->mean();
            ratio_[i] = lambda / mu;
            q[i] = lambda / (lambda + mu);
        }
        // Bounded a little above what is usable: a model with millions of minimal cut sets (97 of 100)
        // would otherwise spend seconds enumerating sets it then refuses.
        const analytic::CutSetList list = analytic::minimal_cut_sets(graph, q, 8, 4 * kMaxDistanceCutSets, 200'000);
        if (!model.standby_groups.empty() || !model.failover_groups.empty()) {
            problem_ = model.standby_groups.empty() ? "minimal cut sets leave failover groups out" : "minimal cut sets leave standby groups out";
            return;
        }
        if (!list.complete() || list.sets.size() > kMaxDistanceCutSets) {
            problem_ = "the model has more than " + std::to_string(kMaxDistanceCutSets) + " minimal cut sets";
            return;
        }
        for (const analytic::CutSet& cs : list.sets) {
            analytic::InstanceSet members;
            for (int i : cs.instances) members.set(i);
            sets_.push_back(members);
        }
    }
    bool usable() const { return !sets_.empty(); }
    const std::string& problem() const { return problem_; }  // why not usable
    double value(const analytic::InstanceSet& down) const {
        double best = 0;
        for (const analytic::InstanceSet& members : sets_) {
            double v = 1;
            members.minus(down).for_each([&](int i) { v *= ratio_[static_cast<std::size_t>(i)]; });
            best = std::max(best, v);
        }
        return best;
    }

private:
    std::vector<analytic::InstanceSet> sets_;
    std::vector<double> ratio_;
    std::string problem_ = "no minimal cut set found";
};

int down_count(const MarkovState& s) { return s.down.count(); }

class CycleWalker {
public:
    CycleWalker(const MarkovOperations& ops, const ImportanceSettings& settings, const DistanceApproximation* distance)
        : ops_(ops), settings_(settings), distance_(distance) {}

    // One cycle under the original law: its length (sum of expected holding times).
    double plain_cycle(sim::RandomStream& rng, std::int64_t& steps) {
        MarkovState s = ops_.initial();
        double tau = 0;
        for (std::int64_t k = 0;; ++k) {
            guard(k);
            ops_.moves(s, moves_);
            const double q = total_rate();
            tau += 1.0 / q;
            ++steps;
            s = moves_[pick_original(rng, q)].next;
            if (s == ops_.initial()) return tau;
        }
    }

    // One cycle, biased until its first outage ends; adds to the sums. Before the first entry into the
    // down set the failure biasing drives the cycle there; during that first outage balanced failure
    // biasing keeps exploring deeper failures (which carry the rest of the outage's length and would
    // otherwise be too rare to see, leaving the mean down time's interval blind to them); after it the
    // original law. Down time and failures are weighted step by step with the likelihood ratio of the
    // path so far, which keeps each sum unbiased.
    void biased_cycle(sim::RandomStream& rng, BatchSums& sums) {
        MarkovState s = ops_.initial();
        bool up = true, hit = false, biasing = settings_.biasing != FailureBiasing::None;
        double weight = 1, down = 0, raw_down = 0, failures = 0;
        for (std::int64_t k = 0;; ++k) {
            guard(k);
            ops_.moves(s, moves_);
            const double q = total_rate();
            if (!up) {
                down += weight / q;
                raw_down += 1.0 / q;
            }
            ++sums.biased_steps;
            std::size_t j = 0;
            if (!biasing) {
                j = pick_original(rng, q);
            } else {
                if (hit) {
                    balanced(s, q, prob_);
                } else {
                    biased_probabilities(s, q);
                }
                j = pick(rng, prob_);
                weight *= (moves_[j].rate / q) / prob_[j];
            }
            s = moves_[j].next;  // a copy keeps both buffers (no allocation)
            if (s == ops_.initial()) break;
            const bool next_up = ops_.is_up(s);
            if (up && !next_up) {
                failures += weight;
                if (!hit) {
                    hit = true;
                    ++sums.hits;
                    sums.weight_sum += weight;
                    sums.weight2_sum += weight * weight;
                    sums.weight_max = std::max(sums.weight_max, weight);
                }
            }
            if (hit && !up && next_up) biasing = false;  // the first outage is over
            up = next_up;
        }
        if (!hit) return;
        const double x = down, y = failures;
        sums.x += x;
        sums.x2 += x * x;
        sums.y += y;
        sums.y2 += y * y;
        sums.plain_d2 += weight * raw_down * raw_down;  // weight: the whole path's likelihood ratio
        sums.contributions.push_back(x);
        sums.contribution_failures.push_back(y);
    }

private:
    void guard(std::int64_t k) const {
        if (k > kMaxStepsPerCycle) {
            throw UnsupportedError("a regenerative cycle did not return to the all-up state within " +
                                   std::to_string(kMaxStepsPerCycle) + " transitions; the model may have no steady state");
        }
    }
    double total_rate() const {
        double q = 0;
        for (const MarkovMove& m : moves_) q += m.rate;
        if (!(q > 0)) throw UnsupportedError("the Markov chain has an absorbing state: the model has no steady state to estimate");
        return q;
    }
    std::size_t pick_original(sim::RandomStream& rng, double q) const {
        double u = rng.uniform_open() * q;
        for (std::size_t j = 0; j + 1 < moves_.size(); ++j) {
            u -= moves_[j].rate;
            if (u < 0) return j;
        }
        return moves_.size() - 1;
    }
    static std::size_t pick(sim::RandomStream& rng, const std::vector<double>& prob) {
        double u = rng.uniform_open();
        for (std::size_t j = 0; j + 1 < prob.size(); ++j) {
            u -= prob[j];
            if (u < 0 && prob[j] > 0) return j;
        }
        std::size_t last = prob.size() - 1;
        while (last > 0 && prob[last] <= 0) --last;
        return last;
    }
    // Balanced failure biasing: in a state other than all-up, each failure move (one that leaves more
    // instances down) gets p / failures, the other moves share 1 - p in proportion to their rates; from
    // the all-up state the failure moves are chosen uniformly.
    void balanced(const MarkovState& s, double q, std::vector<double>& prob) {
        prob.assign(moves_.size(), 0.0);
        const int d = down_count(s);
        std::size_t failures = 0;
        double other_rate = 0;
        for (const MarkovMove& m : moves_) {
            if (down_count(m.next) > d) {
                ++failures;
            } else {
                other_rate += m.rate;
            }
        }
        if (failures == 0) {
            for (std::size_t j = 0; j < moves_.size(); ++j) prob[j] = moves_[j].rate / q;
            return;
        }
        const bool all_up = s == ops_.initial();
        const double p = (all_up || other_rate <= 0) ? 1.0 : settings_.failure_bias;
        for (std::size_t j = 0; j < moves_.size(); ++j) {
            if (down_count(moves_[j].next) > d) {
                prob[j] = p / static_cast<double>(failures);
            } else {
                prob[j] = (1 - p) * moves_[j].rate / other_rate;
            }
        }
    }
    void biased_probabilities(const MarkovState& s, double q) {
        balanced(s, q, prob_);
        if (settings_.biasing != FailureBiasing::Distance) return;
        // Zero-variance approximation: move j in proportion to rate_j x v(next_j), v from the distance.
        zva_.assign(moves_.size(), 0.0);
        double total = 0;
        for (std::size_t j = 0; j < moves_.size(); ++j) {
            const double v = ops_.is_up(moves_[j].next) ? distance_->value(moves_[j].next.down) : 1.0;
            zva_[j] = moves_[j].rate * v;
            total += zva_[j];
        }
        if (!(total > 0)) return;
        for (std::size_t j = 0; j < moves_.size(); ++j) prob_[j] = kBalancedShare * prob_[j] + (1 - kBalancedShare) * zva_[j] / total;
    }

    const MarkovOperations& ops_;
    const ImportanceSettings& settings_;
    const DistanceApproximation* distance_;
    std::vector<MarkovMove> moves_;
    std::vector<double> prob_, zva_;
};

// Runs batches [begin, end) on `threads` threads; each batch's streams are fixed by (seed, batch).
void run_batches(const Model& model, const StructureGraph& graph, const ImportanceSettings& settings,
                 const DistanceApproximation* distance, std::int64_t begin, std::int64_t end, int threads,
                 std::vector<BatchSums>& out) {
    out.resize(static_cast<std::size_t>(end));
    std::atomic<std::int64_t> next{begin};
    std::vector<std::string> errors(static_cast<std::size_t>(threads));
    auto work = [&](int t) {
        try {
            const MarkovOperations ops(model, graph);  // one per thread: it holds scratch buffers
            CycleWalker walker(ops, settings, distance);
            for (std::int64_t b = next++; b < end; b = next++) {
                BatchSums sums;
                sim::RandomStream plain(settings.seed, static_cast<std::uint64_t>(b), 0x52415245u);   // "RARE"
                sim::RandomStream biased(settings.seed, static_cast<std::uint64_t>(b), 0x52415246u);
                for (std::int64_t c = 0; c < kCyclesPerBatch; ++c) {
                    const double tau = walker.plain_cycle(plain, sums.plain_steps);
                    sums.tau += tau;
                    sums.tau2 += tau * tau;
                    walker.biased_cycle(biased, sums);
                }
                out[static_cast<std::size_t>(b)] = std::move(sums);
            }
        } catch (const std::exception& e) {
            errors[static_cast<std::size_t>(t)] = e.what();
            next = end;
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (std::thread& th : pool) th.join();
    for (const std::string& e : errors) {
        if (!e.empty()) throw UnsupportedError(e);
    }
}

sim::Estimate with_interval(double mean, double se) {
    sim::Estimate e;
    e.mean = mean;
    e.std_error = se;
    e.lo = std::max(0.0, mean - kZ95 * se);
    e.hi = mean + kZ95 * se;
    e.has_ci = std::isfinite(se) && se > 0;
    return e;
}

// Combines batches [0, batches) in batch order (so the sums, and the result, do not depend on threads).
void summarise(const std::vector<BatchSums>& batches, std::int64_t count, sim::RareEventEstimate& r) {
    BatchSums t;
    for (std::int64_t b = 0; b < count; ++b) {
        const BatchSums& s = batches[static_cast<std::size_t>(b)];
        t.tau += s.tau;
        t.tau2 += s.tau2;
        t.plain_steps += s.plain_steps;
        t.x += s.x;
        t.x2 += s.x2;
        t.y += s.y;
        t.y2 += s.y2;
        t.plain_d2 += s.plain_d2;
        t.biased_steps += s.biased_steps;
        t.hits += s.hits;
        t.weight_sum += s.weight_sum;
        t.weight2_sum += s.weight2_sum;
        t.weight_max = std::max(t.weight_max, s.weight_max);
        t.contributions.insert(t.contributions.end(), s.contributions.begin(), s.contributions.end());
        t.contribution_failures.insert(t.contribution_failures.end(), s.contribution_failures.begin(), s.contribution_failures.end());
    }
    const double n = static_cast<double>(count * kCyclesPerBatch);
    r.cycles = count * kCyclesPerBatch;
    r.transitions = t.plain_steps + t.biased_steps;
    const double mean_tau = t.tau / n, mean_x = t.x / n, mean_y = t.y / n;
    const double var_tau = std::max(0.0, (t.tau2 - n * mean_tau * mean_tau) / (n - 1));
    const double var_x = std::max(0.0, (t.x2 - n * mean_x * mean_x) / (n - 1));
    const double var_y = std::max(0.0, (t.y2 - n * mean_y * mean_y) / (n - 1));
    const double rv_tau = var_tau / (n * mean_tau * mean_tau);  // relative variance of the mean cycle length
    r.mean_cycle_h = with_interval(mean_tau, std::sqrt(var_tau / n));

    const double u = mean_x / mean_tau;
    const double rv_x = mean_x > 0 ? var_x / (n * mean_x * mean_x) : std::numeric_limits<double>::infinity();
    r.unavailability = with_interval(u, u * std::sqrt(rv_x + rv_tau));
    r.relative_error = u > 0 ? kZ95 * std::sqrt(rv_x + rv_tau) : std::numeric_limits<double>::infinity();

    const double f = mean_y / mean_tau * kHoursPerYear;
    const double rv_y = mean_y > 0 ? var_y / (n * mean_y * mean_y) : std::numeric_limits<double>::infinity();
    r.failures_per_year = with_interval(f, f * std::sqrt(rv_y + rv_tau));
    const double mtbf = mean_y > 0 ? mean_tau / mean_y : std::numeric_limits<double>::infinity();
    r.mtbf_h = with_interval(mtbf, mtbf * std::sqrt(rv_y + rv_tau));
    // Mean down time m = E[X] / E[Y]: X and Y come from the same cycles, so the delta method takes the
    // variance of the residuals X - m Y (which holds their covariance). Summed directly from the cycles
    // that hit (the others have X = Y = 0, residual 0), not as Var X + m^2 Var Y - 2 m Cov: those three
    // nearly cancel when X is almost proportional to Y (the usual case: most outages last about as long),
    // and the difference of rounded sums is then noise. A floor of the floating-point error of the sums
    // keeps an interval from being narrower than the arithmetic (outages of one fixed length).
    const double mdt = mean_y > 0 ? mean_x / mean_y : 0.0;
    double residual2 = 0;
    for (std::size_t i = 0; i < t.contributions.size(); ++i) {
        const double e = t.contributions[i] - mdt * t.contribution_failures[i];
        residual2 += e * e;
    }
    const double se_mdt = mean_y > 0 ? std::sqrt(residual2 / (n - 1) / n) / mean_y : 0.0;
    const double rounding = mdt * n * std::numeric_limits<double>::epsilon();
    r.mean_down_h = with_interval(mdt, std::max(se_mdt, rounding));

    // Plain Monte Carlo on the same cycles: per cycle, relative variance Var(D)/E[D]^2 (+ the cycle
    // length's), D's second moment estimated from the weighted cycles; work per cycle from the plain sample.
    const double plain_var_d = std::max(0.0, t.plain_d2 / n - mean_x * mean_x);
    const double plain_rv_cycle = (mean_x > 0 ? plain_var_d / (mean_x * mean_x) : 0.0) + var_tau / (mean_tau * mean_tau);
    const double plain_steps_per_cycle = static_cast<double>(t.plain_steps) / n;
    r.plain_cycles_for_target = plain_rv_cycle * (kZ95 / 0.1) * (kZ95 / 0.1);
    const double method_rv = rv_x + rv_tau;
    r.variance_ratio = (method_rv > 0 && r.transitions > 0)
                           ? plain_rv_cycle * plain_steps_per_cycle / (method_rv * static_cast<double>(r.transitions))
                           : 0.0;

    {
        sim::LikelihoodRatioDiagnostics d;
        d.samples = r.cycles;
        d.cycles_hitting = t.hits;
        d.mean_weight_hitting = t.hits > 0 ? t.weight_sum / static_cast<double>(t.hits) : 0.0;
        d.max_weight_hitting = t.weight_max;
        std::vector<double> c = t.contributions;
        std::sort(c.begin(), c.end(), std::greater<>());
        double total = 0;
        for (double v : c) total += v;
        if (total > 0) {
            d.largest_share = c.front() / total;
            const std::size_t top = std::max<std::size_t>(1, c.size() / 100);
            double top_sum = 0;
            for (std::size_t i = 0; i < top; ++i) top_sum += c[i];
            d.top_1_percent_share = top_sum / total;
            double sq = 0;
            for (double v : c) sq += v * v;
            d.effective_sample_size = total * total / sq;
        }
        r.likelihood_ratio = d;
    }
}

}  // namespace

const char* failure_biasing_name(FailureBiasing biasing) {
    switch (biasing) {
        case FailureBiasing::None: return "no biasing (plain regenerative Monte Carlo)";
        case FailureBiasing::Balanced: return "balanced failure biasing";
        case FailureBiasing::Distance: return "distance-based zero-variance approximation";
    }
    return "";
}

void check_importance_sampling_supported(const Model& model) {
    for (const Component& c : model.components) {
        if (!c.repair) {
            throw UnsupportedError(c.location, "component '" + c.name +
                                                   "' is never repaired: the system has no steady state for the regenerative estimator");
        }
    }
    for (const Block& b : model.blocks) {
        // The chain's structure is fixed; a demand profile changes a capacity block's threshold with time.
        if (!b.demand_profile.empty()) {
            throw UnsupportedError(b.location, "importance sampling does not handle demand profiles yet (the chain's structure is fixed)");
        }
        if (b.kind == BlockKind::Capacity && b.load_sharing_factor > 0) {
            throw UnsupportedError(b.location, "importance sampling does not handle load sharing (its chain's rates do not "
                                               "depend on how many members are up)");
        }
    }
    const StructureGraph graph = StructureGraph::compile(model);
    const MarkovOperations probe(model, graph);  // refuses a model that is not Markovian
    if (!probe.is_up(probe.initial())) throw UnsupportedError("the system is down with every component up");
}

sim::RareEventEstimate estimate_unavailability_by_importance(const Model& model, const ImportanceSettings& settings) {
    const auto start = std::chrono::steady_clock::now();
    check_importance_sampling_supported(model);  // before any thread starts
    const StructureGraph graph = StructureGraph::compile(model);
    std::optional<DistanceApproximation> distance;
    ImportanceSettings used = settings;
    std::string fallback;
    if (settings.biasing == FailureBiasing::Distance) {
        distance.emplace(model, graph);
        if (!distance->usable()) {
            if (!settings.distance_falls_back) {
                throw UnsupportedError("the distance-based biasing needs minimal cut sets, and " + distance->problem() +
                                       "; use balanced failure biasing");
            }
            fallback = " (the distance-based approximation does not apply: " + distance->problem() + ")";
            used.biasing = FailureBiasing::Balanced;
            distance.reset();
        }
    }
    sim::RareEventEstimate r;
    r.method = used.biasing == FailureBiasing::None ? sim::RareEventMethod::Plain : sim::RareEventMethod::Importance;
    r.variant = failure_biasing_name(used.biasing) + fallback;
    r.seed = settings.seed;
    r.target_relative_error = settings.target_relative_error;
    r.threads = sim::resolve_threads(settings.threads);
    std::vector<BatchSums> batches;
    std::int64_t count = std::max<std::int64_t>(1, (settings.cycles + kCyclesPerBatch - 1) / kCyclesPerBatch);
    const std::int64_t max_batches = std::max<std::int64_t>(count, settings.max_cycles / kCyclesPerBatch);
    std::int64_t done = 0;
    for (;;) {
        run_batches(model, graph, used, distance ? &*distance : nullptr, done, count, r.threads, batches);
        done = count;
        summarise(batches, count, r);
        if (!settings.target_relative_error) break;
        const std::int64_t hits = r.likelihood_ratio ? r.likelihood_ratio->cycles_hitting : 0;
        r.target_reached = r.relative_error <= *settings.target_relative_error && (r.method == sim::RareEventMethod::Plain || hits >= 30);
        if (r.target_reached || count >= max_batches) break;
        count = std::min(max_batches, count * 2);
    }
    add_likelihood_ratio_warnings(r);
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

void add_likelihood_ratio_warnings(sim::RareEventEstimate& r) {
    r.warnings.clear();
    const std::int64_t hits = r.likelihood_ratio ? r.likelihood_ratio->cycles_hitting : 0;
    if (r.likelihood_ratio) {
        sim::LikelihoodRatioDiagnostics& d = *r.likelihood_ratio;
        if (hits < 30) {
            r.warnings.push_back("only " + std::to_string(hits) + " " + d.sample_plural() + " reached the down set: the interval is not trustworthy");
            d.degenerate = true;
        }
        if (d.largest_share > 0.2) {
            char text[200];
            std::snprintf(text, sizeof text,
                          "one %s carries %.0f %% of the estimate: the likelihood ratios look degenerate and the interval may be "
                          "too narrow",
                          d.sample.c_str(), 100 * d.largest_share);
            r.warnings.emplace_back(text);
            d.degenerate = true;
        }
        if (hits >= 30 && d.effective_sample_size < 10) {
            r.warnings.push_back("the weighted " + d.sample_plural() + " amount to fewer than 10 effective samples: the interval may be too narrow");
            d.degenerate = true;
        }
    }
    if (r.target_relative_error && !r.target_reached) {
        char text[200];
        std::snprintf(text, sizeof text, "the relative error target %.3g %% was not reached within %lld %s (reached %.3g %%)",
                      100 * *r.target_relative_error, static_cast<long long>(r.cycles), r.over_window ? "replications" : "cycles",
                      100 * r.relative_error);
        r.warnings.emplace_back(text);
    }
}

}  // namespace nines::study
