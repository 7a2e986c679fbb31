// Steady-state unavailability of systems whose failure and repair laws are not exponential, when it is
// too small for plain Monte Carlo: importance splitting (RESTART, Villen-Altamirano 1991) with the
// distance to the nearest cut set as the importance function. No likelihood ratio is involved, so any
// law the conditional sampler supports (conditional_residual.h) is handled exactly.
//
// Estimator. A replication is one trajectory from all-up at t = 0 to the horizon, time counted in
// [warmup, horizon]. The importance of a state is D0 - d, where d is the number of further unit failures
// that would bring the system down (d = 0: down) and D0 is d in the all-up state; thresholds sit at
// importance 1, 2, ..., D0. When a trajectory born at level b crosses threshold b + 1 upward it is
// split into R(b+1) trajectories of level b + 1, each carrying 1/R(b+1) of its weight: itself and
// R(b+1) - 1 copies whose pending clocks are redrawn from their laws given their ages. A trajectory of
// level b >= 1 ends when it falls below threshold b, except the one that was split, which then resumes
// at its old level and weight. The path of the original trajectory is a genuine sample of the process
// and every excursion above a threshold is replaced by the average of R independent excursions from the
// same state, so the weighted down time is an unbiased estimate of the down time of a plain run (the
// same for the weighted count of system failures). Replications are independent; their rounds, the
// intervals and the variance ratio are sim/replicated_estimate.h's.
//
// Scope: repairable or non-repairable components, any structure, unlimited crews or crew pools
// (priority, then first come first served, as the kernel does). Operations delays, spares, standby,
// maintenance, inspections and common causes are refused (UnsupportedError naming what).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"
#include "model/structure_graph.h"
#include "sim/cut_set_distance.h"
#include "sim/replicated_estimate.h"

namespace nines::sim {

struct SplittingSettings {
    double horizon_h = 1e6;            // length of each replication's main trajectory
    double warmup_h = 0;               // time before this is not counted
    std::int64_t replications = 32;    // per round
    // > 0: further rounds of `replications` until the 95 % half-width is at most this fraction of the
    // estimate (or max_replications is reached).
    double target_relative_error = 0;
    std::int64_t max_replications = 100000;
    std::vector<int> factors;          // R at thresholds 1..D0; empty: chosen by pilot runs
    int pilot_replications = 4;        // per pilot run (each with the horizon above)
    std::uint64_t seed = 1;
    int threads = 1;                   // results do not depend on it
    // false: copies keep the clocks drawn for the original (still unbiased, copies far more alike);
    // for the measurement of what redrawing buys.
    bool redraw_clocks = true;
};

struct SplittingThreshold {
    int importance = 0;                // the threshold: this many failures closer to a cut set than all-up
    int factor = 1;                    // R: trajectories after a crossing
    std::int64_t crossings = 0;        // up-crossings simulated (every trajectory, main runs)
    double conditional_probability = 0;  // estimate of P(reach the next threshold | at this one)
};

struct SplittingResult {
    std::string method = "splitting (RESTART, importance = distance to the nearest cut set)";
    ReplicatedInterval unavailability;
    ReplicatedInterval failure_frequency_per_h;  // system failures per hour
    ReplicatedInterval mean_down_time_h;         // unavailability / failure frequency
    std::int64_t replications = 0;     // independent main trajectories (the "cycles")
    std::int64_t trajectories = 0;     // main trajectories and their copies
    std::int64_t events = 0;           // events simulated, pilot runs included: the work
    std::int64_t pilot_events = 0;
    double simulated_hours = 0;        // per replication: the horizon
    // Work-normalised variance ratio against plain Monte Carlo: (variance x work) of a plain run of the
    // same length, estimated from the weighted outages (sum of squared outage lengths: outages of a
    // plain run are rare and nearly independent), over (variance x work) of this estimator. > 1: faster.
    double variance_ratio = 0;
    // Replications of the same horizon plain Monte Carlo would need for a 95 % half-width of 10 %, from
    // the same estimate of its variance.
    double plain_replications_for_10_percent = 0;
    // Share of the estimate carried by the single largest replication: near 1 / replications when the
    // replications agree; a large share says the estimate rests on one lucky run (as when copies keep
    // the original's clocks) and its interval is not to be trusted.
    double largest_replication_share = 0;
    std::vector<SplittingThreshold> thresholds;
    int distance_all_up = 0;           // D0
    bool clocks_redrawn = true;        // false when some law has no conditional sampler (copies then
                                       // keep the original's clocks for it)
};

// Throws UnsupportedError when the model uses what splitting does not handle yet.
void check_splitting_supported(const Model& model);

SplittingResult estimate_by_splitting(const Model& model, const SplittingSettings& settings);

}  // namespace nines::sim
