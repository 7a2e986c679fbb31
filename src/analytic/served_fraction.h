// Degraded service, exactly (README "Degraded service"): the steady-state served fraction
// E[min(1, C / D)] of a capacity block whose members are independent, from the distribution of the up
// capacity C (enumeration of capacity sums, O(members x total units)), with the time in each service
// state and the unserved demand E[(D - C)+]. With a demand profile: the time average over its hours
// (the members' process does not depend on the demand, so every hour sees the stationary distribution).
#pragma once

#include <string>
#include <vector>

#include "model/model.h"

namespace nines::analytic {

struct ServedExact {
    bool applicable = false;
    std::string reason;           // why not, when not applicable
    std::string block;            // the block's label
    double served = 0;            // time average of E[min(1, C / D)]
    double degraded = 0;          // fraction of time with 0 < C < D
    double down = 0;              // fraction of time with C = 0
    double unserved_capacity = 0; // time average of E[(D - C)+], in the demand's unit
};

// The distribution of the summed weight of independent units: P(sum = w), w = 0 .. sum of weights, for
// units up with probability `up[i]` carrying `weights[i]`.
std::vector<double> capacity_sum_distribution(const std::vector<double>& up, const std::vector<int>& weights);

// The steady-state figures of capacity block `block` (a block id); not applicable (with the reason)
// when its members are not independent instances with exact steady-state availabilities.
ServedExact exact_served(const Model& model, int block);

// Every capacity block's, in model order.
std::vector<ServedExact> exact_served_all(const Model& model);

}  // namespace nines::analytic
