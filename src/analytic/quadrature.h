// Integration of smooth integrands with fast start-up transients: Gauss-Legendre (20 points) on
// panels that double in length from the start (so a transient on the scale `first_panel` is resolved
// and long flat tails cost few evaluations), split at given breakpoints where the integrand may jump.
#pragma once

#include <functional>
#include <vector>

namespace nines::analytic {

double integrate(const std::function<double(double)>& f, double a, double b, std::vector<double> breakpoints,
                 double first_panel);

}  // namespace nines::analytic
