#include "study/sequential.h"

#include "sim/statistics.h"

#include <algorithm>
#include <cmath>

namespace nines::study {

std::vector<std::int64_t> planned_looks(std::int64_t initial, std::int64_t cap) {
    std::vector<std::int64_t> looks{initial};
    while (looks.back() < cap) looks.push_back(std::min(2 * looks.back(), cap));
    return looks;
}

std::vector<Look> spend_error(const std::vector<std::int64_t>& counts) {
    std::vector<Look> looks;
    const double share = 1.0 / static_cast<double>(counts.size());
    for (std::size_t k = 0; k < counts.size(); ++k) {
        looks.push_back({static_cast<int>(k + 1), static_cast<int>(counts.size()), 0.05 * share});
    }
    return looks;
}

namespace {

// P(|T| < t) for Student's t with a whole number of degrees of freedom, by the finite series in
// theta = atan(t / sqrt(df)) (Abramowitz & Stegun 26.7.3 and 26.7.4).
double t_central_probability(double t, std::int64_t df) {
    const double theta = std::atan(t / std::sqrt(static_cast<double>(df)));
    const double c2 = std::cos(theta) * std::cos(theta);
    double term = 1, sum = 1;
    if (df % 2 == 0) {
        for (std::int64_t k = 2; k <= df - 2; k += 2) {
            term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
            sum += term;
        }
        return std::sin(theta) * sum;
    }
    if (df == 1) return 2 * theta / M_PI;
    for (std::int64_t k = 3; k <= df - 2; k += 2) {
        term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
        sum += term;
    }
    return 2 / M_PI * (theta + std::sin(theta) * std::cos(theta) * sum);
}

}  // namespace

double student_t_quantile(double p, std::int64_t df) {
    if (df <= 0 || !(p > 0 && p < 1)) return NAN;
    if (df == 1) return std::tan(M_PI * (p - 0.5));
    if (df == 2) return (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    if (p < 0.5) return -student_t_quantile(1 - p, df);
    if (p == 0.5) return 0;
    if (df <= 200) {
        // Bisection on the exact distribution function: the Cornish-Fisher expansion below is too
        // short in the far tail at small df (0.5 low at df 3, p 0.9995).
        const double target = 2 * p - 1;
        double lo = 0, hi = 1;
        while (t_central_probability(hi, df) < target) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
            const double mid = 0.5 * (lo + hi);
            (t_central_probability(mid, df) < target ? lo : hi) = mid;
        }
        return 0.5 * (lo + hi);
    }
    // Above df 200 the Cornish-Fisher expansion is within 1e-6: the one the intervals use.
    return sim::student_t_quantile(p, df);
}

sim::Estimate widen_interval(const sim::Estimate& e, double level, std::int64_t replications) {
    if (!e.has_ci || level <= 0.95) return e;
    const std::int64_t df = std::max<std::int64_t>(replications - 1, 1);
    const double ratio = student_t_quantile(0.5 + level / 2, df) / student_t_quantile(0.975, df);
    sim::Estimate out = e;
    if (std::isfinite(e.lo)) out.lo = e.mean - (e.mean - e.lo) * ratio;
    if (std::isfinite(e.hi)) out.hi = e.mean + (e.hi - e.mean) * ratio;
    return out;
}

}  // namespace nines::study
