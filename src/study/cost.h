// Expected cost per year of a design: owning its components plus its expected downtime.
#pragma once

#include "model/model.h"
#include "sim/results.h"

namespace nines::study {

struct CostEstimate {
    bool defined = false;        // the scenario gives some cost
    double ownership_per_year = 0;   // sum of count x cost per unit and year
    sim::Estimate downtime_per_year; // downtime hours per year x cost per hour (interval from the downtime's)
    sim::Estimate total_per_year;
};

CostEstimate expected_cost(const Model& model, const sim::SimulationResults& r);

}  // namespace nines::study
