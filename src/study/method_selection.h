// Which estimator a study runs (`simulation: { method: ... }`), and with `auto` why: plain Monte
// Carlo when it would see enough system outages for the precision asked, an accelerated method
// otherwise (when the model allows one). The accelerated estimate then replaces the plain run's
// steady-state figures (availability, unavailability, nines, downtime per year, failures per year,
// MTBF, mean outage); the other figures stay those of the plain replications.
#pragma once

#include <string>

#include "model/model.h"
#include "sim/rare_event_result.h"
#include "sim/results.h"
#include "study/importance_sampling.h"

namespace nines::study {

// Cycles of the first step toward the relative error target (doubled until it is met), and the fewest
// the stop may rest on (with 30 cycles that reached the down set). With 1024 the near-zero-variance
// distance biasing covered 92 % on a 1-of-2 case (its variance estimated from too few cycles); with
// 4096, 94-95 % on every coverage case (README, "Rare events"). Cheap: milliseconds per 4096 cycles.
inline constexpr std::int64_t kFirstAcceleratedCycles = 4096;

struct MethodChoice {
    sim::RareEventMethod method = sim::RareEventMethod::Plain;
    FailureBiasing biasing = FailureBiasing::Balanced;
    // Importance on a model that is not Markovian: failure biasing by uniformisation on the
    // discrete-event kernel (sim/uniformised_biasing.h) instead of the Markov chain.
    bool by_uniformisation = false;
    std::string reason;              // why (for `auto`: the expected outages against the outages needed)
};

// The relative error asked for: `until`, or 10 % when the scenario gives none.
double requested_relative_error(const SimulationSettings& settings);

// Resolves the method. `importance` is importance sampling by likelihood ratios: on the Markov chain
// when the model is Markovian, else failure biasing by uniformisation when it handles the model. `auto`
// on a model that is not Markovian considers uniformisation first, then importance splitting (when
// check_splitting_supported accepts the model and it has at most kAutoSplittingMaxInstances
// instances), each with a short pilot for the failure frequency. Throws InputError at the `method` key
// when `importance` is asked of a model neither handles, or `splitting` of a model it does not handle.
MethodChoice choose_method(const Model& model, const SimulationSettings& settings);

// `auto` does not pick importance splitting for models of more instances than this: its cost grows
// with every unit that can cross the first threshold (at 100 Weibull units 8 replications did not
// finish in 5 minutes; README "importance splitting"), and its pilot alone would not end. `method:
// splitting` still runs it when asked.
inline constexpr int kAutoSplittingMaxInstances = 20;

// Runs the accelerated estimate the choice names (importance sampling on the Markov chain or by
// uniformisation, or importance splitting), with the scenario's seed, threads and relative error
// target. Splitting runs rounds of 20 replications of the scenario's horizon (warm-up not counted),
// uniformisation rounds of 8, until the target is met.
sim::RareEventEstimate run_accelerated(const Model& model, const SimulationSettings& settings, const MethodChoice& choice);

// Puts the accelerated steady-state figures in place of the plain run's, with a note saying so.
void apply_rare_event_estimate(const sim::RareEventEstimate& rare, sim::SimulationResults& results);

}  // namespace nines::study
