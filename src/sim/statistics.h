// Estimators and confidence intervals used to summarise replications.
#pragma once

#include <cstdint>
#include <functional>
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

namespace nines::sim {

// ---- Intervals that respect the scale of the quantity (issue 9 items 6-8, 10, 12).

// Quantile of Student's t with `df` degrees of freedom at probability p in (0.5, 1) (exact for df 1
// and 2, Cornish-Fisher expansion above). student_t_975(df) == student_t_quantile(0.975, df).
double student_t_quantile(double p, std::int64_t df);

// Puts the interval of a positive mean on the log scale: mean * exp(cv^2/2 +- t cv), cv = se / mean, t with `df`
// degrees of freedom. The interval cannot go below 0 and leans the way right-skewed samples do (a t
// interval on the raw scale misses mostly on the optimistic side). Unchanged when mean <= 0 or there
// is no standard error.
Estimate log_scale_interval(Estimate e, std::int64_t df);

// Mean of non-negative samples with a log-scale t interval (see log_scale_interval) whose degrees of
// freedom shrink with the samples' excess kurtosis (Satterthwaite), for heavy-tailed samples.
Estimate positive_mean_estimate(const std::vector<double>& samples);

// Delta method through a function with derivative `slope` at the mean: std_error * |slope|.
double delta_method_std_error(const Estimate& e, double slope);

// One observed duration, possibly censored, belonging to a cluster (a replication). Observations of the
// same cluster may be dependent; clusters are independent.
struct CensoredObservation {
    double time = 0;
    bool event = true;            // false: censored at `time` (still running at the horizon)
    std::int64_t cluster = 0;     // 0 <= cluster < clusters
};

// A percentile of a distribution with an interval; `defined` is false when the data never reach it
// (a Kaplan-Meier curve that stays above 1 - p); hi is +infinity when only the upper bound is out of reach.
struct PercentileEstimate {
    double p = 0;
    double value = 0;
    double lo = 0;
    double hi = 0;
    bool defined = false;
    bool has_ci = false;
    // 0: computed from the values themselves; otherwise from a log histogram (sim/log_histogram.h) and
    // within this relative distance of the percentile of the values.
    double relative_precision = 0;
};

// Kaplan-Meier summary of censored durations with intervals whose unit is the cluster (replication):
// the variance is the cluster-robust sum of the estimators' influence functions (for independent
// clusters of one observation it is the Greenwood/Klein variance), so correlated observations inside a
// replication do not shrink the interval.
struct KaplanMeierSummary {
    std::int64_t events = 0;
    std::int64_t censored = 0;
    // Integral of the KM survival curve up to `restricted_to_h` (the largest observation). When the
    // largest observation is an event the curve reaches 0 and this is the plain mean; otherwise it is
    // the restricted mean, a lower bound of the mean. Interval: log-scale t with clusters - 1 df.
    Estimate mean;
    double restricted_to_h = 0;
    bool reaches_zero = false;
    double max = 0;               // largest observation, event or censored
    std::vector<PercentileEstimate> percentiles;  // Woodruff intervals, one per requested p
};

KaplanMeierSummary kaplan_meier_summary(std::vector<CensoredObservation> observations, std::int64_t clusters,
                                        const std::vector<double>& percentiles);

// Proportion of items with a property when items come in independent clusters (years in a
// replication): ratio estimator with a cluster-robust standard error, turned into a Wilson interval
// with the effective sample size p(1-p)/se^2 (between 1 and the number of items; the number of clusters
// when every cluster agrees) and a t quantile. `hits[c]` and `items[c]` per cluster.
Estimate clustered_proportion_estimate(const std::vector<std::int64_t>& hits, const std::vector<std::int64_t>& items);

// Percentiles of uncensored values in clusters (type-7 point estimates) with Woodruff intervals
// built on the cluster-robust standard error of the empirical distribution function.
std::vector<PercentileEstimate> clustered_percentiles(const std::vector<double>& values,
                                                      const std::vector<std::int64_t>& cluster_of_value,
                                                      std::int64_t clusters, const std::vector<double>& percentiles);

// Cluster-robust standard error from per-cluster sums of influence values (n / (n - 1) x sum of squares).
double cluster_robust_std_error(const std::vector<double>& cluster_sums);

// Woodruff interval of pe.p around pe.value: quantile_at(p -+ t se_f) with t at clusters - 1 degrees of
// freedom; at se_f = 0 the binomial standard error of `observations` independent values stands in.
void woodruff_interval(PercentileEstimate& pe, double se_f, std::int64_t clusters, std::size_t observations,
                       const std::function<double(double)>& quantile_at);

}  // namespace nines::sim
