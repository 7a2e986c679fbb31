#include "model/distribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace nines {

Distribution Distribution::exponential(double mean_h) { return {DistributionKind::Exponential, mean_h, 0, 0, {}}; }
Distribution Distribution::weibull(double shape, double scale_h, double location_h) {
    return {DistributionKind::Weibull, shape, scale_h, location_h, {}};
}
Distribution Distribution::lognormal(double mu, double sigma) { return {DistributionKind::Lognormal, mu, sigma, 0, {}}; }
Distribution Distribution::normal(double mean_h, double sd_h) { return {DistributionKind::Normal, mean_h, sd_h, 0, {}}; }
Distribution Distribution::gamma(double shape, double scale_h) { return {DistributionKind::Gamma, shape, scale_h, 0, {}}; }
Distribution Distribution::uniform(double min_h, double max_h) { return {DistributionKind::Uniform, min_h, max_h, 0, {}}; }
Distribution Distribution::fixed(double value_h) { return {DistributionKind::Fixed, value_h, 0, 0, {}}; }
Distribution Distribution::empirical(std::vector<double> values_h) {
    return {DistributionKind::Empirical, 0, 0, 0, std::move(values_h)};
}

double Distribution::mean() const {
    switch (kind) {
        case DistributionKind::Exponential: return a;
        case DistributionKind::Weibull: return c + b * std::tgamma(1.0 + 1.0 / a);
        case DistributionKind::Lognormal: return std::exp(a + 0.5 * b * b);
        case DistributionKind::Normal: {
            // Mean of N(a, b^2) truncated to [0, inf): a + b * phi(alpha) / (1 - Phi(alpha)), alpha = -a/b.
            const double alpha = -a / b;
            const double phi = std::exp(-0.5 * alpha * alpha) / std::sqrt(2.0 * M_PI);
            const double tail = 0.5 * std::erfc(alpha / std::sqrt(2.0));
            return a + b * phi / tail;
        }
        case DistributionKind::Gamma: return a * b;
        case DistributionKind::Uniform: return 0.5 * (a + b);
        case DistributionKind::Fixed: return a;
        case DistributionKind::Empirical:
            return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    }
    return 0.0;
}

double Distribution::second_moment() const {
    switch (kind) {
        case DistributionKind::Exponential: return 2 * a * a;
        case DistributionKind::Weibull: {
            const double m1 = b * std::tgamma(1.0 + 1.0 / a);
            const double m2 = b * b * std::tgamma(1.0 + 2.0 / a);
            return c * c + 2 * c * m1 + m2;
        }
        case DistributionKind::Lognormal: return std::exp(2 * a + 2 * b * b);
        case DistributionKind::Normal: {
            // Truncated to [0, inf): Var = s^2 (1 + alpha lambda - lambda^2), lambda = phi(alpha)/(1 - Phi(alpha)).
            const double alpha = -a / b;
            const double phi = std::exp(-0.5 * alpha * alpha) / std::sqrt(2.0 * M_PI);
            const double lambda = phi / (0.5 * std::erfc(alpha / std::sqrt(2.0)));
            const double m = a + b * lambda;
            return b * b * (1 + alpha * lambda - lambda * lambda) + m * m;
        }
        case DistributionKind::Gamma: return a * (a + 1) * b * b;
        case DistributionKind::Uniform: return (a * a + a * b + b * b) / 3.0;
        case DistributionKind::Fixed: return a * a;
        case DistributionKind::Empirical: {
            double s = 0;
            for (double v : values) s += v * v;
            return s / static_cast<double>(values.size());
        }
    }
    return 0.0;
}

double Distribution::median() const {
    switch (kind) {
        case DistributionKind::Exponential: return a * std::log(2.0);
        case DistributionKind::Weibull: return c + b * std::pow(std::log(2.0), 1.0 / a);
        case DistributionKind::Lognormal: return std::exp(a);
        case DistributionKind::Normal: {
            // Truncated to [0, inf): the upper tail beyond the median is half the kept mass.
            const double kept = 0.5 * std::erfc(-a / (b * std::sqrt(2.0)));
            if (!(kept > 0 && kept < 2)) return a;
            return a + b * std::sqrt(2.0) * boost::math::erfc_inv(kept);
        }
        case DistributionKind::Gamma: return b * boost::math::gamma_p_inv(a, 0.5);
        case DistributionKind::Uniform: return 0.5 * (a + b);
        case DistributionKind::Fixed: return a;
        case DistributionKind::Empirical: {
            std::vector<double> v = values;
            const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
            std::nth_element(v.begin(), mid, v.end());
            return *mid;
        }
    }
    return 0.0;
}

const char* to_string(DistributionKind kind) {
    switch (kind) {
        case DistributionKind::Exponential: return "exponential";
        case DistributionKind::Weibull: return "weibull";
        case DistributionKind::Lognormal: return "lognormal";
        case DistributionKind::Normal: return "normal";
        case DistributionKind::Gamma: return "gamma";
        case DistributionKind::Uniform: return "uniform";
        case DistributionKind::Fixed: return "fixed";
        case DistributionKind::Empirical: return "empirical";
    }
    return "?";
}

std::string Distribution::describe() const {
    std::ostringstream out;
    out << to_string(kind) << "(";
    switch (kind) {
        case DistributionKind::Exponential: out << "mean " << a << " h"; break;
        case DistributionKind::Weibull:
            out << "shape " << a << ", scale " << b << " h";
            if (c != 0) out << ", location " << c << " h";
            break;
        case DistributionKind::Lognormal: out << "median " << std::exp(a) << " h, sigma " << b; break;
        case DistributionKind::Normal: out << "mean " << a << " h, sd " << b << " h, truncated at 0"; break;
        case DistributionKind::Gamma: out << "shape " << a << ", scale " << b << " h"; break;
        case DistributionKind::Uniform: out << a << " h to " << b << " h"; break;
        case DistributionKind::Fixed: out << a << " h"; break;
        case DistributionKind::Empirical: out << values.size() << " values, mean " << mean() << " h"; break;
    }
    out << ")";
    return out.str();
}

}  // namespace nines
