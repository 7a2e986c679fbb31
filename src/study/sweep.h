// Sweeps: the same scenario at every combination of parameter values, run with the same seed. Each
// component keeps its random streams whatever the other parameters are (streams are keyed by
// component name and instance), so the points share their random numbers and their differences are
// measured far more precisely than independent runs would allow.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/sweep_axis.h"
#include "study/cost.h"
#include "study/study.h"

namespace nines::study {

struct SweepPoint {
    std::vector<Assignment> assignments;
    std::string label;                 // "web.count=3, lb.repair.mttr=2h"
    StudyResults study;
    CostEstimate cost;
    Outcome expectations = Outcome::Pass;  // worst outcome over the expectations (Pass when there are none)
    bool has_expectations = false;
    // Why the point was skipped: its assignments make the scenario invalid (file:line:column: ...);
    // empty when it ran. A skipped point has no results and is never the cheapest.
    std::string error;
};

struct SweepResults {
    std::vector<std::string> keys;
    std::vector<SweepPoint> points;
    int cheapest_meeting_expectations = -1;  // index, when costs and expectations are given
    SweepGoal goal = SweepGoal::Cheapest;
    // goal Smallest: the point meeting every expectation whose values are smallest (first axis first;
    // an axis compares numerically when all its values are numbers, else by position), or -1.
    int smallest_meeting_expectations = -1;
    // The points above it in that order that do not pass (a sweep that is not monotone: the smallest
    // passing point is then not a threshold, and the report says so).
    std::vector<int> larger_not_passing;
};

// The model of one sweep point, from its assignments (applying them to a scenario file is io's job:
// io::sweep_point_models);
// throws InputError when they make the scenario invalid.
using SweepPointModel = std::function<Model(const std::vector<Assignment>& assignments, const std::string& label)>;

// Every combination of `axes` (the first axis varies slowest), with its assignments and label, in
// the order run_sweep runs them. Throws InputError for more than 10,000 points.
std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes);

// Runs every combination of `axes` (the first axis varies slowest) on the model `model_at` gives for
// it, with `adjust` applied to its settings (command-line overrides). Throws InputError for more than
// 10,000 points. `goal` Smallest also finds the smallest point meeting every expectation.
SweepResults run_sweep(const std::vector<SweepAxis>& axes, const SweepPointModel& model_at,
                       const std::function<void(SimulationSettings&)>& adjust, const StudyOptions& base,
                       SweepGoal goal = SweepGoal::Cheapest);

}  // namespace nines::study
