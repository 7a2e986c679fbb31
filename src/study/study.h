// A study: one scenario run as the CLI and the Python module run it: the simulation (to a precision
// target when the scenario sets one), the cross-check against the analytic module, and the
// expectations, with more replications while any is inconclusive (up to a cap).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytic/crosscheck.h"
#include "model/model.h"
#include "sim/rare_event_result.h"
#include "sim/runner.h"
#include "study/check.h"

namespace nines::study {

struct StudyOptions {
    sim::RunOptions run;                     // settings (with overrides), progress, cancel
    bool resolve_inconclusive = false;       // add replications while an expectation is inconclusive
    std::int64_t max_replications = 0;       // cap for that; 0: 16 x the initial count (at most 10 million)
};

// What a precision target did: the half-width reached against the target, after how many replications.
struct PrecisionOutcome {
    std::string metric;          // "relative_error" for `until: relative_error <= r` (half_width and target are then relative)
    double half_width = 0;       // the 95% half-width reached
    double target = 0;           // the half-width asked for
    std::int64_t replications = 0;
    bool met = false;            // false: stopped at the target's max_replications
};

struct StudyResults {
    sim::SimulationResults simulation;
    analytic::CrossCheck crosscheck;
    // Models with capacity blocks: the system's served fraction against its exact interval value (README
    // "Degraded service"; not applicable unless the system is one capacity block of independent exponential
    // members with constant demand).
    std::optional<analytic::CrossCheck> served_crosscheck;
    std::vector<ExpectationResult> expectations;
    std::optional<PrecisionOutcome> precision;  // what the precision target did (none without one)
    std::vector<std::int64_t> replication_steps;  // the replication counts run, in order
    // The accelerated estimate when the method (`simulation: { method: ... }`) resolved to one; its
    // steady-state figures are then also in `simulation` in place of the plain run's.
    std::optional<sim::RareEventEstimate> rare_event;
    std::string method_reason;                  // why the method: with `auto`, what plain Monte Carlo would see
};

StudyResults run_study(const Model& model, const StudyOptions& options);

// Every replication count run_study may extend its simulation to, in order, when the results never
// stop it early: the scenario's count; then, with a precision target, doubling up to its maximum;
// without one, with resolve_inconclusive, the planned looks. The results only decide where the list
// is cut. (A precision target followed by looks at expectations still undecided is not planned: the
// looks start where the target stopped, which only the results say.) Shards of sweeps and compare
// run the k-th step of every simulation from this plan.
std::vector<std::int64_t> planned_targets(const SimulationSettings& settings, const StudyOptions& options);

// The 95% half-width of a precision target's metric.
double half_width(const sim::SimulationResults& r, const std::string& metric);

}  // namespace nines::study
