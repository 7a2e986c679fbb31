// Steady-state unavailability of a highly available all-exponential model by regenerative importance
// sampling on the embedded jump chain of its Markov chain (states generated on the fly from
// analytic::MarkovOperations, never the whole generator). Cycles run from the all-up, all-crews-idle
// state back to it; U = E[D] / E[tau], with D (down time in a cycle) estimated under a failure biasing
// until the cycle first enters the down set, balanced failure biasing during that first outage (so the
// deeper failures that lengthen outages are seen), and the original law after; tau (cycle length)
// by plain cycles: two independent samples, the interval by the delta method over both. Holding times
// are their expectations (1 / exit rate), which removes their variance. Failure frequency, MTBF and
// mean down time come from the same cycles.
//
// It lives in study because it needs both analytic (the Markov description of the operations, minimal
// cut sets for the distance) and sim (random streams, statistics); only study links both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "model/model.h"
#include "sim/rare_event_result.h"

namespace nines::study {

enum class FailureBiasing {
    None,       // the original law: plain Monte Carlo on the same regenerative cycles (reference)
    Balanced,   // balanced failure biasing (Shahabuddin 1994)
    Distance,   // distance-based zero-variance approximation (mixed with balanced failure biasing)
};

struct ImportanceSettings {
    FailureBiasing biasing = FailureBiasing::Balanced;
    double failure_bias = 0.5;          // p: the probability of a failure move outside the all-up state
    std::uint64_t seed = 1;
    int threads = 0;                    // 0: all cores; results do not depend on it
    std::int64_t cycles = 16384;        // cycles per sample; with a target: the first step
    std::optional<double> target_relative_error;  // double the cycles until the 95% half-width / U is below
    std::int64_t max_cycles = std::int64_t{1} << 26;
    // Distance only: when the model has no usable minimal cut sets (standby groups, which they leave
    // out; or more than kMaxDistanceCutSets, too costly to evaluate at every move), use balanced
    // failure biasing and say so in the variant, instead of refusing.
    bool distance_falls_back = false;
};

inline constexpr std::size_t kMaxDistanceCutSets = 2000;

// Throws UnsupportedError when the model is not Markovian (a non-exponential law, a standby switch
// time), has a component without repair (no steady state), or more instances than the Markov
// description holds.
void check_importance_sampling_supported(const Model& model);

// Throws as check_importance_sampling_supported does.
sim::RareEventEstimate estimate_unavailability_by_importance(const Model& model, const ImportanceSettings& settings);

// Warnings when the likelihood ratios look degenerate (fewer than 30 samples reached the down set, one
// carries more than 20 % of the estimate, fewer than 10 effective samples) or the relative error target
// was not reached; marks likelihood_ratio->degenerate. Replaces r.warnings.
void add_likelihood_ratio_warnings(sim::RareEventEstimate& r);

// The variant's name as reports print it: "balanced failure biasing", ...
const char* failure_biasing_name(FailureBiasing biasing);

}  // namespace nines::study
