// What the analytic module needs to know about one instance: steady-state availability and failure
// frequency for any distributions (as-good-as-new repair, unlimited crews), the start-up transient
// where it has a closed form, and its survival function when it is not repairable.
#pragma once

#include "model/model.h"

namespace nines::analytic {

struct ComponentMeasures {
    bool repairable = false;
    bool exponential = false;       // failure and (if repairable) repair are both exponential
    double mttf_h = 0;
    double mdt_h = 0;               // mean down time: detection + logistics + repair (unlimited crews)
    double availability = 0;        // MTTF / (MTTF + MDT); 0 for a non-repairable unit
    double frequency_per_h = 0;     // 1 / (MTTF + MDT); 0 for a non-repairable unit
    // Integral over [0, inf) of A(t) - A, starting as new: u1 c2 / (2 c1^2) - u2 / (2 c1), with u the
    // up time, c the cycle (up + down), 1 and 2 the first and second moments.
    double startup_area_h = 0;
};

ComponentMeasures component_measures(const Component& c);

// P(a new unit survives to t) for any failure distribution.
double survival(const Distribution& d, double t);

// A(t) from an all-up start at 0: exact for exponential failure and repair, the survival function
// for a non-repairable unit. Only defined when `exact_transient` holds for the unit.
double point_availability(const ComponentMeasures& m, const Component& c, double t);
inline bool has_exact_transient(const ComponentMeasures& m) { return !m.repairable || m.exponential; }

}  // namespace nines::analytic
