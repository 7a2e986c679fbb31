#include "study/cost.h"

namespace nines::study {

CostEstimate expected_cost(const Model& model, const sim::SimulationResults& r) {
    CostEstimate c;
    for (const Component& comp : model.components) {
        c.ownership_per_year += comp.count * comp.cost_per_unit_year;
        c.logistics_per_year += comp.count * comp.logistics_cost_per_unit_year;
        c.defined = c.defined || comp.cost_per_unit_year > 0 || comp.logistics_cost_per_unit_year > 0;
    }
    for (const RepairPool& p : model.pools) {
        c.crews_per_year += p.crews * p.cost_per_crew_year;
        c.defined = c.defined || p.cost_per_crew_year > 0;
    }
    for (const SparePool& p : model.spares) {
        c.spares_per_year += p.stock * p.holding_cost_per_part_year;
        c.defined = c.defined || p.holding_cost_per_part_year > 0;
    }
    c.operations_per_year = c.crews_per_year + c.spares_per_year + c.logistics_per_year;
    const double per_hour = model.downtime_cost_per_hour.value_or(0.0);
    c.defined = c.defined || model.downtime_cost_per_hour.has_value();
    c.downtime_per_year = r.downtime_h_per_year;
    c.downtime_per_year.mean *= per_hour;
    c.downtime_per_year.lo *= per_hour;
    c.downtime_per_year.hi *= per_hour;
    c.downtime_per_year.std_error *= per_hour;
    // The fixed part shifts the downtime's interval.
    const double fixed = c.ownership_per_year + c.operations_per_year;
    c.total_per_year = c.downtime_per_year;
    c.total_per_year.mean += fixed;
    c.total_per_year.lo += fixed;
    c.total_per_year.hi += fixed;
    return c;
}

}  // namespace nines::study
