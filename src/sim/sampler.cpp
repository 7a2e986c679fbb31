#include "sim/sampler.h"

namespace nines::sim {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double inverse_normal_cdf(double p) {
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double kLow = 0.02425;
    double x = 0;
    if (p < kLow) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - kLow) {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    // One Halley step on Phi(x) - p brings the 1e-9 approximation to full precision. In the upper
    // tail work with the complement so that 1 - p keeps its digits.
    const double e = p > 0.5 ? (0.5 * std::erfc(x / std::sqrt(2.0)) - (1 - p)) * -1.0 : normal_cdf(x) - p;
    const double u = e * std::sqrt(2 * M_PI) * std::exp(0.5 * x * x);
    return x - u / (1 + 0.5 * x * u);
}

Sampler make_sampler(const Distribution& d) {
    Sampler s;
    s.kind = d.kind;
    switch (d.kind) {
        case DistributionKind::Weibull:
            s.a = 1.0 / d.a;
            s.b = d.b;
            s.c = d.c;
            break;
        case DistributionKind::Normal:
            s.a = d.a;
            s.b = d.b;
            s.c = normal_cdf(-d.a / d.b);  // probability mass below 0, removed by truncation
            break;
        case DistributionKind::Empirical:
            s.values = d.values.data();
            s.count = d.values.size();
            break;
        default:
            s.a = d.a;
            s.b = d.b;
            s.c = d.c;
            break;
    }
    return s;
}

double Sampler::draw_truncated_normal(RandomStream& rng) const {
    // Inverse CDF restricted to [Phi(-mean/sd), 1): exact truncation, one uniform per draw.
    const double p = c + (1.0 - c) * rng.uniform_open();
    const double x = a + b * inverse_normal_cdf(p < 1.0 ? p : 1.0 - 0x1.0p-53);
    return x > 0 ? x : 0x1.0p-40;  // guard against rounding at the truncation point
}

double Sampler::draw_gamma(RandomStream& rng) const {
    // Marsaglia & Tsang (2000); shape < 1 via Gamma(shape + 1) * U^(1/shape).
    const double shape = a;
    const double boost_shape = shape < 1 ? shape + 1 : shape;
    const double dd = boost_shape - 1.0 / 3.0;
    const double cc = 1.0 / std::sqrt(9.0 * dd);
    double value = 0;
    for (;;) {
        const double x = inverse_normal_cdf(rng.uniform_open());
        double v = 1.0 + cc * x;
        if (v <= 0) continue;
        v = v * v * v;
        const double u = rng.uniform_open();
        if (std::log(u) < 0.5 * x * x + dd - dd * v + dd * std::log(v)) {
            value = dd * v;
            break;
        }
    }
    if (shape < 1) value *= std::pow(rng.uniform_open(), 1.0 / shape);
    return value * b;
}

}  // namespace nines::sim
