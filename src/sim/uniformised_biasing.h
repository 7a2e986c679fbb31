// Steady-state unavailability of systems with non-exponential failure laws by failure biasing through
// uniformisation (Nicola, Shahabuddin, Heidelberger 1993): in an excursion away from all-up, failure
// candidates arrive at a rate beta at least the total hazard of the working units; under the original
// law a candidate is a real failure of unit i with probability h_i / beta and a pseudo event otherwise.
// Until the excursion first brings the system down, the biased law makes the candidate a failure
// that brings the system closer to a cut set (a unit whose failure lowers the distance of
// sim/cut_set_distance.h; set I, unit chosen in proportion to h_i) with probability p, likelihood ratio
// (H_I / beta) / p with H_I = sum over I of h_i, and anything else (another unit's failure or a pseudo
// event, in their original odds) with probability 1 - p, ratio (1 - H_I / beta) / (1 - p); after
// that, the original law. Which failures bring the system closer is found in one pass over the
// structure after each failure or repair (sim/cut_set_distance.h), not one distance pass per unit per
// candidate as at first (100 us per event at 100 units). Biasing every failure alike was measured first
// and rejected: at 100 units most failures land in other groups, and its interval missed the exact
// value (README). Repairs run under their original law (only failures are biased), so any repair law
// the sampler draws is allowed.
//
// Hazard bound. beta is planned at every failure and repair: over the next W hours (W = one mean
// repair) the working units' hazards are at most h_i(age_i + W) when h is non-decreasing (exponential;
// Weibull of shape >= 1); a plan that reaches t + W without a failure or repair is re-made there (the
// candidate process is memoryless, so re-planning at any stopping time is exact; pseudo events keep
// the plan). beta is also at least one candidate per mean repair, so that most candidates during a
// repair are pseudo events under the original law (the biasing then has something to bias).
// Decreasing or unbounded hazards (Weibull shape < 1, lognormal, gamma, ... failure laws) are refused.
//
// Estimator. There is no regeneration point: aged Weibull units carry their ages through all-up, so
// the regenerative ratio estimator of the Markovian importance sampling does not apply. Instead each
// replication runs a main trajectory from all-new to the horizon under the original law, and at each of
// its excursions (a failure from all-up) launches an independent branch from the same state (ages of
// the working units, a fresh repair for the failed one) under the biased law until it returns to all-up;
// the branch's weighted down time replaces the main trajectory's. Given the state at the excursion's
// start, the branch's weighted down time has the same mean as the excursion's, so the sum over the main
// trajectory's excursions is unbiased for a plain run's down time (failures likewise). The main
// trajectory's own excursion is still simulated (its path must go on under the original law): the
// work is about twice a plain run's plus the branches'. Replications are independent; their rounds, the
// interval and the variance ratio are importance splitting's (sim/replicated_estimate.h).
//
// Scope: repairable components with unlimited crews, any structure. Crew pools, operations delays,
// spares, standby, maintenance, inspections and common causes are refused (UnsupportedError).
#pragma once

#include <cstdint>

#include "model/model.h"
#include "sim/replicated_estimate.h"
#include "sim/splitting.h"

namespace nines::sim {

struct UniformisedBiasingSettings {
    double horizon_h = 1e6;           // each replication's main trajectory
    double warmup_h = 0;              // time before this is not counted
    std::int64_t replications = 32;   // the first round; with a target each further round doubles the total
    double target_relative_error = 0; // > 0: further rounds until the 95 % half-width / U is below it
    std::int64_t max_replications = 100000;
    // p: probability of a failure toward a cut set, until the system is down. 0.2 measured best on the
    // Weibull/lognormal 2-of-4 over 200 seeds: coverage 94.0 % (5 below, 7 above), where 0.5 gave
    // 92.0 % with every miss below (pseudo events weigh 1 / (1 - p) each: a heavier tail in long repairs).
    double failure_bias = 0.2;
    std::uint64_t seed = 1;
    int threads = 1;                  // results do not depend on it
};

struct UniformisedBiasingResult {
    std::string method = "failure biasing by uniformisation (branches per excursion)";
    ReplicatedInterval unavailability;
    ReplicatedInterval failure_frequency_per_h;
    ReplicatedInterval mean_down_time_h;
    std::int64_t replications = 0;
    std::int64_t branches = 0;        // excursions estimated under biasing
    std::int64_t events = 0;          // main events, branch candidates, repairs and re-plans: the work
    std::int64_t main_events = 0;     // a plain run's work
    // Work-normalised variance ratio against plain Monte Carlo over the same horizon (plain variance
    // from the weighted squared outage lengths, sim/replicated_estimate.h). > 1: faster.
    double variance_ratio = 0;
    double plain_replications_for_10_percent = 0;
    double largest_replication_share = 0;
    // The likelihood ratios of the branches that reached the down set (at their first system
    // failure), and how the estimate is spread over them: a few heavy branches carrying it say the
    // biasing does not suit the model.
    std::int64_t branches_hitting = 0;
    double mean_weight_hitting = 0;
    double max_weight_hitting = 0;
    double effective_sample_size = 0; // (sum c)^2 / sum c^2 over the hitting branches' weighted down times c
    double largest_branch_share = 0;  // share of the estimate carried by the single heaviest branch
    double top_1_percent_share = 0;   // by the heaviest 1 % of the hitting branches
};

void check_uniformised_biasing_supported(const Model& model);

UniformisedBiasingResult estimate_by_uniformised_biasing(const Model& model, const UniformisedBiasingSettings& settings);

}  // namespace nines::sim
