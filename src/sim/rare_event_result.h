// What an accelerated (rare-event) estimator reports: the steady-state unavailability of a highly
// available system, with failure frequency, MTBF and mean down time from the same regenerative cycles,
// and enough about the method and its weights to judge the number. Shared by every rare-event method
// (importance sampling on the Markov chain, importance splitting on the discrete-event kernel) so the
// selection, the precision target and the reports treat them alike. Plain data; report formats it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/statistics.h"

namespace nines::sim {

// The `simulation: { method: ... }` choices once `auto` has been resolved.
enum class RareEventMethod {
    Plain,        // plain Monte Carlo on the regenerative cycles (no biasing, likelihood ratio 1)
    Importance,   // importance sampling (likelihood ratio weights): on the Markov chain, or by uniformisation
    Splitting,    // importance splitting (no weights)
};

const char* rare_event_method_name(RareEventMethod method);  // "plain", "importance", "splitting"

// Likelihood-ratio health of an importance-sampling estimate. A biasing that does not suit the model
// gives an estimate carried by a handful of huge weights: the sample variance then understates the
// error, and the number looks confident while being wrong. These figures say when that is happening.
struct LikelihoodRatioDiagnostics {
    // What carries a weight: a regenerative cycle (Markov chain), or a branch (failure biasing by
    // uniformisation: one biased branch per excursion of the replications' main trajectories).
    std::string sample = "cycle";
    std::int64_t samples = 0;            // how many were simulated
    std::string sample_plural() const { return sample == "branch" ? "branches" : sample + "s"; }
    std::int64_t cycles_hitting = 0;     // samples that reached the down set (non-zero contribution)
    double largest_share = 0;            // largest single cycle's share of the sum of contributions
    double top_1_percent_share = 0;      // share carried by the largest 1% of contributing cycles
    double mean_weight_hitting = 0;      // mean likelihood ratio at the first entry to the down set
    double max_weight_hitting = 0;
    double effective_sample_size = 0;    // (sum w)^2 / sum w^2 over contributing cycles (Kish)
    bool degenerate = false;             // a warning was raised (see RareEventEstimate::warnings)
};

// Health of an importance-splitting estimate (no weights: the replications are independent runs).
// When one replication carries most of the estimate, the interval rests on a lucky run.
struct SplittingDiagnostics {
    std::int64_t trajectories = 0;       // main trajectories and their copies
    std::int64_t down_entries = 0;       // entries into the down set, all trajectories (the "hits")
    double largest_replication_share = 0;  // ~ 1 / replications when they agree
    std::vector<int> factors;            // R at thresholds 1..D0 (distance to the nearest cut set)
    bool clocks_redrawn = true;          // false: copies keep the original's clocks for some law
    bool degenerate = false;             // a warning was raised
};

struct RareEventEstimate {
    RareEventMethod method = RareEventMethod::Plain;
    std::string variant;                 // "balanced failure biasing", "distance-based zero-variance approximation", ...
    std::string selection_reason;        // why this method (with `auto`: what plain Monte Carlo would need)

    std::int64_t cycles = 0;             // regenerative cycles used (for splitting and uniformisation: replications)
    // true: the figures are over the simulated window (warm-up excluded) of independent replications
    // (splitting, uniformisation), not the steady state of regenerative cycles.
    bool over_window = false;
    std::uint64_t seed = 0;
    Estimate unavailability;             // 95% interval (delta method over the independent samples)
    double relative_error = 0;           // 95% half-width / estimate (infinite when the estimate is 0)
    Estimate failures_per_year;          // system failures (entries into the down set) per year
    Estimate mtbf_h;                     // mean time between system failures (8760 / failures per year)
    Estimate mean_down_h;                // mean length of a system outage
    Estimate mean_cycle_h;               // mean regeneration cycle length E[tau]

    // Work-normalised variance ratio against plain Monte Carlo on the same cycles:
    // (variance per cycle x work per cycle) of plain Monte Carlo over the same for this method, with
    // work counted in simulated transitions (deterministic, so the figure is reproducible). Plain
    // Monte Carlo's variance is estimated from this run's own weighted samples. > 1: this method wins.
    double variance_ratio = 1;
    double plain_cycles_for_target = 0;  // cycles plain Monte Carlo would need for the same relative error
    std::int64_t transitions = 0;        // simulated transitions, all cycles

    std::optional<LikelihoodRatioDiagnostics> likelihood_ratio;  // weighted cycles (all weights 1 for plain cycles)
    std::optional<SplittingDiagnostics> splitting;               // importance splitting's replications

    // Precision target (`until: relative_error <= x`): the cycle budget doubles until it is met.
    std::optional<double> target_relative_error;
    bool target_reached = false;

    std::vector<std::string> warnings;   // degenerate weights, too few hits, target not reached

    double wall_seconds = 0;             // the only field that varies between runs
    int threads = 0;
};

inline const char* rare_event_method_name(RareEventMethod method) {
    switch (method) {
        case RareEventMethod::Plain: return "plain";
        case RareEventMethod::Importance: return "importance";
        case RareEventMethod::Splitting: return "splitting";
    }
    return "plain";
}

}  // namespace nines::sim
