// Side-by-side comparison of designs. All designs run with the first design's simulation settings
// and the same seed, so replication r of every design sees the same component histories wherever
// the designs share components (common random numbers); differences are then estimated replication
// by replication (paired), with a much narrower interval than independent runs give. The
// independent interval is computed too, from a second run of each design under another seed, so
// the gain is measured rather than assumed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "study/cost.h"
#include "study/study.h"

namespace nines::study {

struct Difference {
    sim::Estimate paired;       // design - first design, from per-replication differences (CRN)
    sim::Estimate independent;  // the same difference from independent runs
    double width_ratio = 0;     // independent CI width / paired CI width
};

struct ComparedDesign {
    std::string file;
    std::string name;
    StudyResults study;
    CostEstimate cost;
    Difference unavailability;        // vs the first design
    Difference failures_per_year;
};

struct CompareResults {
    std::vector<ComparedDesign> designs;
};

// The settings of the simulations compare_designs runs, in its order: per design, the paired run
// (the first design's settings with `adjust`, no precision target) and the independent run (another seed).
std::vector<SimulationSettings> compare_run_settings(const std::vector<Model>& models,
                                                     const std::function<void(SimulationSettings&)>& adjust);

// The designs as read models (each design's `file` names it in the results); at least two.
CompareResults compare_designs(const std::vector<Model>& models,
                               const std::function<void(SimulationSettings&)>& adjust, const StudyOptions& base);

}  // namespace nines::study
