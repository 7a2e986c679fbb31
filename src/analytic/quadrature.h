// Adaptive Simpson integration over [a, b] split at given breakpoints (where the integrand may jump)
// and on a geometric grid from `a` (so fast start-up transients are resolved, then long flat tails
// are covered by few panels).
#pragma once

#include <functional>
#include <vector>

namespace nines::analytic {

double integrate(const std::function<double(double)>& f, double a, double b, std::vector<double> breakpoints,
                 double first_panel, double relative_tolerance = 1e-10);

}  // namespace nines::analytic
