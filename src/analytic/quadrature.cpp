#include "analytic/quadrature.h"

#include <algorithm>
#include <cmath>

namespace nines::analytic {

namespace {

double simpson(const std::function<double(double)>& f, double a, double b, double fa, double fm, double fb,
               double whole, double tolerance, int depth) {
    const double m = 0.5 * (a + b);
    const double lm = 0.5 * (a + m), rm = 0.5 * (m + b);
    const double flm = f(lm), frm = f(rm);
    const double left = (m - a) / 6 * (fa + 4 * flm + fm);
    const double right = (b - m) / 6 * (fm + 4 * frm + fb);
    const double delta = left + right - whole;
    if (depth <= 0 || std::fabs(delta) <= 15 * tolerance) return left + right + delta / 15;
    return simpson(f, a, m, fa, flm, fm, left, tolerance / 2, depth - 1) +
           simpson(f, m, b, fm, frm, fb, right, tolerance / 2, depth - 1);
}

double panel(const std::function<double(double)>& f, double a, double b, double relative_tolerance) {
    const double fa = f(a), fb = f(b), fm = f(0.5 * (a + b));
    const double whole = (b - a) / 6 * (fa + 4 * fm + fb);
    // Tolerance relative to a scale of the integrand on the panel, with a floor for integrands that vanish.
    const double scale = std::max({std::fabs(fa), std::fabs(fm), std::fabs(fb), 1e-300}) * (b - a);
    return simpson(f, a, b, fa, fm, fb, whole, relative_tolerance * scale, 40);
}

}  // namespace

double integrate(const std::function<double(double)>& f, double a, double b, std::vector<double> breakpoints,
                 double first_panel, double relative_tolerance) {
    if (!(b > a)) return 0.0;
    std::vector<double> cuts{a, b};
    for (double x : breakpoints) {
        if (x > a && x < b) cuts.push_back(x);
    }
    for (double x = a + first_panel; x < b; x = a + 2 * (x - a)) cuts.push_back(x);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    double total = 0;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) total += panel(f, cuts[k], cuts[k + 1], relative_tolerance);
    return total;
}

}  // namespace nines::analytic
