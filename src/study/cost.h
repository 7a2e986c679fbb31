// Expected cost per year of a design: owning its components, running its operations (crews, spare
// parts held, response contracts) and its expected downtime.
#pragma once

#include "model/model.h"
#include "sim/results.h"

namespace nines::study {

struct CostEstimate {
    bool defined = false;        // the scenario gives some cost
    double ownership_per_year = 0;   // sum of count x cost per unit and year
    // Operations, fixed by the design (no interval): crews x cost per crew-year, spare stock x holding
    // cost per part-year, units x their response contract per unit-year (`logistics_cost`).
    double crews_per_year = 0;
    double spares_per_year = 0;
    double logistics_per_year = 0;
    double operations_per_year = 0;  // the three together
    sim::Estimate downtime_per_year; // downtime hours per year x cost per hour (interval from the downtime's)
    sim::Estimate total_per_year;
};

CostEstimate expected_cost(const Model& model, const sim::SimulationResults& r);

}  // namespace nines::study
