#include "sim/statistics.h"

#include <algorithm>
#include <cmath>

namespace nines::sim {

double student_t_975(std::int64_t df) {
    if (df <= 0) return std::nan("");
    if (df == 1) return 12.706204736174707;
    if (df == 2) return 4.302652729749464;
    const double z = 1.959963984540054;
    const double v = static_cast<double>(df);
    const double z2 = z * z;
    const double z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
}

Estimate mean_estimate(const std::vector<double>& samples) {
    Estimate e;
    const std::size_t n = samples.size();
    if (n == 0) return e;
    double sum = 0;
    for (double x : samples) sum += x;
    e.mean = sum / static_cast<double>(n);
    e.lo = e.hi = e.mean;
    if (n < 2) return e;
    double ss = 0;  // two-pass: no cancellation when the samples are nearly equal
    for (double x : samples) ss += (x - e.mean) * (x - e.mean);
    const double var = ss / static_cast<double>(n - 1);
    e.std_error = std::sqrt(var / static_cast<double>(n));
    const double half = student_t_975(static_cast<std::int64_t>(n) - 1) * e.std_error;
    e.lo = e.mean - half;
    e.hi = e.mean + half;
    e.has_ci = true;
    return e;
}

Estimate ratio_estimate(const std::vector<double>& x, const std::vector<double>& y) {
    Estimate e;
    const std::size_t n = x.size();
    double sx = 0, sy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sx += x[i];
        sy += y[i];
    }
    if (n == 0 || sy <= 0) return e;
    e.mean = sx / sy;
    e.lo = e.hi = e.mean;
    if (n < 2) return e;
    const double ybar = sy / static_cast<double>(n);
    double ss = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = x[i] - e.mean * y[i];
        ss += d * d;
    }
    e.std_error = std::sqrt(ss / static_cast<double>(n - 1) / static_cast<double>(n)) / ybar;
    const double half = student_t_975(static_cast<std::int64_t>(n) - 1) * e.std_error;
    e.lo = e.mean - half;
    e.hi = e.mean + half;
    e.has_ci = true;
    return e;
}

Estimate proportion_estimate(std::int64_t successes, std::int64_t trials) {
    Estimate e;
    if (trials <= 0) return e;
    const double n = static_cast<double>(trials);
    const double p = static_cast<double>(successes) / n;
    const double z = 1.959963984540054;
    const double denom = 1 + z * z / n;
    const double centre = (p + z * z / (2 * n)) / denom;
    const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom;
    e.mean = p;
    e.lo = std::max(0.0, centre - half);
    e.hi = std::min(1.0, centre + half);
    e.std_error = std::sqrt(p * (1 - p) / n);
    e.has_ci = true;
    return e;
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return std::nan("");
    const double pos = p * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = lo + 1 < sorted.size() ? lo + 1 : lo;
    const double frac = pos - static_cast<double>(lo);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

}  // namespace nines::sim
