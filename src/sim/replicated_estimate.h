// What the rare-event estimators on the discrete-event kernel share (importance splitting,
// sim/splitting.h; failure biasing by uniformisation, sim/uniformised_biasing.h): both run independent
// replications of one trajectory over [0, horizon] (time counted from the warm-up on), each yielding a
// weighted down time, a weighted count of system failures and the weighted squared outage lengths; both
// stop after rounds of replications once the unavailability's 95 % half-width is small enough; both
// estimate unavailability, failure frequency and mean down time from the replications the same way and
// compare their work with plain Monte Carlo's the same way. One place for all of it, so the two
// estimators cannot drift apart in how they judge their own precision.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/statistics.h"

namespace nines::sim {

// A 95 % interval of a mean over replications.
struct ReplicatedInterval {
    double mean = 0;
    double std_error = 0;
    double lower = 0, upper = 0;       // 95 %, see the estimator below
    double relative_error = 0;         // (upper - lower) / 2 / mean; infinite when mean is 0
};

// The sums one replication contributes (weighted where the estimate needs it). An estimator's own
// tally derives from this and adds what only it counts.
struct ReplicationSums {
    double down_time = 0;              // weighted system down time inside the window
    double failures = 0;               // weighted system failures starting inside the window
    double outage_sq = 0;              // weighted squared outage lengths (for the plain-run variance)
    std::int64_t events = 0;           // all events simulated: the work
    std::int64_t main_events = 0;      // the main trajectory's alone: a plain run's work
};

// How many replications, in which rounds, on how many threads.
struct RoundPlan {
    std::int64_t replications = 32;    // per round (at least 2)
    // > 0: further rounds until the 95 % half-width of the unavailability is at most this fraction of
    // the estimate, or the next round would pass max_replications.
    double target_relative_error = 0;
    std::int64_t max_replications = 100000;
    int threads = 1;
    // true: each further round doubles the replications so far (8, 16, 32, ...: the target is judged
    // about log2(n) times, not n / replications times; every look is a chance to stop on a sample
    // whose variance happens to be low, which biases a heavy-tailed estimate low).
    bool doubling = false;
};

// The estimates over the replications of a window of `window_h` hours.
struct ReplicatedSummary {
    ReplicatedInterval unavailability;
    ReplicatedInterval failure_frequency_per_h;  // system failures per hour
    ReplicatedInterval mean_down_time_h;         // their ratio, delta method
    std::int64_t replications = 0;
    std::int64_t events = 0;
    std::int64_t main_events = 0;
    // Work-normalised variance ratio against plain Monte Carlo over the same window: (variance x work)
    // of a plain run, its variance estimated from the weighted outages (sum of squared outage lengths:
    // a plain run's outages are rare and nearly independent), its work the main trajectory's events,
    // over (variance x work) of this estimator with `extra_events` (pilot runs) added to its work.
    // > 1: the estimator is faster.
    double variance_ratio = 0;
    // Replications plain Monte Carlo would need for a 95 % half-width of 10 %, from the same variance.
    double plain_replications_for_10_percent = 0;
    // Share of the estimate carried by the single largest replication (~ 1 / replications when they
    // agree; near 1: the estimate rests on one lucky run).
    double largest_replication_share = 0;
};

// The project's interval for a positive mean (statistics.h: log scale with its bias term, degrees of
// freedom reduced for heavy tails). Per-replication down times are right-skewed (a few replications
// carry the rare long excursions), and a raw-scale t interval misses mostly on the optimistic side:
// 92.5 % coverage with 11 of 15 misses optimistic on the Weibull 2-of-4 at 10 replications (splitting).
ReplicatedInterval replicated_interval(const Estimate& e);

// Runs replications 0 .. count - 1 through `run` on up to `threads` threads. Each
// replication's result depends on its number alone, so the results do not depend on the thread count.
void for_each_replication(std::int64_t count, int threads, const std::function<void(std::int64_t)>& run);

// The 95 % relative error of the unavailability over these replications so far.
double unavailability_relative_error(const std::vector<ReplicationSums>& sums);

ReplicatedSummary summarise_replications(const std::vector<ReplicationSums>& sums, double window_h, std::int64_t extra_events = 0);

// Replications first .. first + count - 1 through `run(number)`, in replication order.
template <class Tally, class Run>
std::vector<Tally> run_replications(std::uint64_t first, std::int64_t count, int threads, Run run) {
    std::vector<Tally> out(static_cast<std::size_t>(count));
    for_each_replication(count, threads, [&](std::int64_t r) { out[static_cast<std::size_t>(r)] = run(first + static_cast<std::uint64_t>(r)); });
    return out;
}

// Rounds of plan.replications replications (or doubling, see RoundPlan; numbers 0, 1, 2, ... in a fixed sequence, so the stopping
// point does not depend on the thread count either) until the precision target is met. `run(number)`
// returns a Tally derived from ReplicationSums.
template <class Tally, class Run>
std::vector<Tally> run_rounds(const RoundPlan& plan, Run run) {
    std::vector<Tally> tallies;
    for (;;) {
        const auto done = static_cast<std::int64_t>(tallies.size());
        const std::int64_t count = plan.doubling && done > 0 ? done : plan.replications;
        std::vector<Tally> round = run_replications<Tally>(static_cast<std::uint64_t>(done), count, plan.threads, run);
        tallies.insert(tallies.end(), round.begin(), round.end());
        if (plan.target_relative_error <= 0) break;
        const std::int64_t next = plan.doubling ? static_cast<std::int64_t>(tallies.size()) : plan.replications;
        if (static_cast<std::int64_t>(tallies.size()) + next > plan.max_replications) break;
        if (unavailability_relative_error(std::vector<ReplicationSums>(tallies.begin(), tallies.end())) <= plan.target_relative_error) break;
    }
    return tallies;
}

}  // namespace nines::sim
