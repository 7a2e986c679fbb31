// Estimators and confidence intervals used to summarise replications.
#pragma once

#include <cstdint>
#include <vector>

namespace nines::sim {

// A point estimate with a two-sided 95% confidence interval. `has_ci` is false when the data cannot
// support an interval (a single replication, say); lo/hi then equal the mean.
struct Estimate {
    double mean = 0;
    double lo = 0;
    double hi = 0;
    double std_error = 0;
    bool has_ci = false;
};

// 0.975 quantile of Student's t with `df` degrees of freedom (exact for df 1 and 2, Cornish-Fisher
// expansion above, within 1e-4 of the tables from df = 3).
double student_t_975(std::int64_t df);

// Mean of the samples with a t interval.
Estimate mean_estimate(const std::vector<double>& samples);

// Ratio of sums sum(x) / sum(y) over replications, with a delta-method interval.
Estimate ratio_estimate(const std::vector<double>& x, const std::vector<double>& y);

// Proportion successes / trials with a Wilson score interval (good near 0 and 1).
Estimate proportion_estimate(std::int64_t successes, std::int64_t trials);

// Percentile by linear interpolation between order statistics (type 7); `sorted` must be sorted.
double percentile(const std::vector<double>& sorted, double p);

}  // namespace nines::sim
