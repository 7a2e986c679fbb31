#include "study/cost.h"

namespace nines::study {

CostEstimate expected_cost(const Model& model, const sim::SimulationResults& r) {
    CostEstimate c;
    for (const Component& comp : model.components) {
        c.ownership_per_year += comp.count * comp.cost_per_unit_year;
        c.defined = c.defined || comp.cost_per_unit_year > 0;
    }
    const double per_hour = model.downtime_cost_per_hour.value_or(0.0);
    c.defined = c.defined || model.downtime_cost_per_hour.has_value();
    c.downtime_per_year = r.downtime_h_per_year;
    c.downtime_per_year.mean *= per_hour;
    c.downtime_per_year.lo *= per_hour;
    c.downtime_per_year.hi *= per_hour;
    c.downtime_per_year.std_error *= per_hour;
    c.total_per_year = c.downtime_per_year;
    c.total_per_year.mean += c.ownership_per_year;
    c.total_per_year.lo += c.ownership_per_year;
    c.total_per_year.hi += c.ownership_per_year;
    return c;
}

}  // namespace nines::study
