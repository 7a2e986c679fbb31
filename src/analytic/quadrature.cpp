#include "analytic/quadrature.h"

#include <algorithm>
#include <cmath>

namespace nines::analytic {

namespace {

constexpr int kPoints = 20;
constexpr int kSubpanels = 4;  // equal pieces per doubling panel

struct Rule {
    double x[kPoints];
    double w[kPoints];
};

// Gauss-Legendre nodes and weights on [-1, 1] by Newton's method on the Legendre polynomial.
Rule make_rule() {
    Rule r{};
    for (int i = 0; i < kPoints; ++i) {
        double x = std::cos(M_PI * (i + 0.75) / (kPoints + 0.5));
        double dp = 0;
        for (int iter = 0; iter < 100; ++iter) {
            double p0 = 1, p1 = x;
            for (int k = 2; k <= kPoints; ++k) {
                const double pk = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = pk;
            }
            dp = kPoints * (x * p1 - p0) / (x * x - 1);
            const double dx = p1 / dp;
            x -= dx;
            if (std::fabs(dx) < 1e-16) break;
        }
        r.x[i] = x;
        r.w[i] = 2 / ((1 - x * x) * dp * dp);
    }
    return r;
}

const Rule& rule() {
    static const Rule r = make_rule();
    return r;
}

double gauss(const std::function<double(double)>& f, double a, double b) {
    const Rule& r = rule();
    const double mid = 0.5 * (a + b), half = 0.5 * (b - a);
    double s = 0;
    for (int i = 0; i < kPoints; ++i) s += r.w[i] * f(mid + half * r.x[i]);
    return s * half;
}

}  // namespace

double integrate(const std::function<double(double)>& f, double a, double b, std::vector<double> breakpoints,
                 double first_panel) {
    if (!(b > a)) return 0.0;
    // A transient far shorter than the interval (down to denormal scales, or 0 when a rate
    // overflowed) needs no panel below 2^-60 of it: at most ~60 doubling panels, bounded memory.
    const double shortest = std::ldexp(b - a, -60);
    if (!(first_panel >= shortest)) first_panel = shortest;
    std::vector<double> cuts{a, b};
    for (double x : breakpoints) {
        if (x > a && x < b) cuts.push_back(x);
    }
    for (double x = a + first_panel; x < b; x = a + 2 * (x - a)) cuts.push_back(x);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    double total = 0;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        const double step = (cuts[k + 1] - cuts[k]) / kSubpanels;
        for (int s = 0; s < kSubpanels; ++s) total += gauss(f, cuts[k] + s * step, cuts[k] + (s + 1) * step);
    }
    return total;
}

}  // namespace nines::analytic
