// Time-to-event distributions as plain data. Times are in hours throughout nines.
#pragma once

#include <string>
#include <vector>

namespace nines {

enum class DistributionKind {
    Exponential,  // a = mean
    Weibull,      // a = shape, b = scale, c = location
    Lognormal,    // a = mu (log of the median), b = sigma
    Normal,       // a = mean, b = standard deviation; truncated at 0
    Gamma,        // a = shape, b = scale
    Uniform,      // a = min, b = max
    Fixed,        // a = value
    Empirical,    // values = observed durations, resampled with equal weight
};

struct Distribution {
    DistributionKind kind = DistributionKind::Fixed;
    double a = 0.0;
    double b = 0.0;
    double c = 0.0;
    std::vector<double> values;  // Empirical only

    static Distribution exponential(double mean_h);
    static Distribution weibull(double shape, double scale_h, double location_h = 0.0);
    static Distribution lognormal(double mu, double sigma);
    static Distribution normal(double mean_h, double sd_h);
    static Distribution gamma(double shape, double scale_h);
    static Distribution uniform(double min_h, double max_h);
    static Distribution fixed(double value_h);
    static Distribution empirical(std::vector<double> values_h);

    // Exact mean (for the truncated normal, the mean of the truncated law).
    double mean() const;
    // Exact E[X^2].
    double second_moment() const;
    // The median (for the truncated normal, of the truncated law; for empirical, the upper middle value).
    double median() const;
    bool is_exponential() const { return kind == DistributionKind::Exponential; }
    // "exponential(mean 1000 h)" and the like, for messages and reports.
    std::string describe() const;
};

const char* to_string(DistributionKind kind);

}  // namespace nines
