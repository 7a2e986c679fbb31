#include "study/sequential.h"

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

double normal_quantile(double p) {
    // Acklam's rational approximation (relative error 1.2e-9), then one Halley step on erfc.
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    if (!(p > 0 && p < 1)) return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
    double x;
    const double low = 0.02425;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - low) {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
    const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
    return x - u / (1 + x * u / 2);
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
    if (df <= 200) {
        // Bisection on the exact distribution function: the Cornish-Fisher expansion below is too
        // short in the far tail at small df (0.5 low at df 3, p 0.9995).
        if (p < 0.5) return -student_t_quantile(1 - p, df);
        const double target = 2 * p - 1;
        double lo = 0, hi = 1;
        while (t_central_probability(hi, df) < target) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
            const double mid = 0.5 * (lo + hi);
            (t_central_probability(mid, df) < target ? lo : hi) = mid;
        }
        return 0.5 * (lo + hi);
    }
    const double z = normal_quantile(p);
    const double v = static_cast<double>(df);
    const double z2 = z * z;
    const double z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
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
