#include "sim/statistics.h"

#include "sim/sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nines::sim {

double student_t_975(std::int64_t df) { return student_t_quantile(0.975, df); }

double student_t_quantile(double p, std::int64_t df) {
    if (df <= 0 || !(p > 0.5 && p < 1)) return std::nan("");
    if (df == 1) return std::tan(M_PI * (p - 0.5));
    if (df == 2) return (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    const double z = inverse_normal_cdf(p);
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

namespace nines::sim {

namespace {

// Cluster-robust standard error from the per-cluster sums of influence values.
double cluster_std_error(const std::vector<double>& cluster_sum) {
    const std::size_t n = cluster_sum.size();
    if (n < 2) return 0;
    double ss = 0;
    for (double v : cluster_sum) ss += v * v;
    return std::sqrt(ss * static_cast<double>(n) / static_cast<double>(n - 1));
}

// Degrees of freedom for a t quantile with a variance estimated from n values of excess kurtosis
// kappa: Var(s^2) = sigma^4 (2 / (n - 1) + kappa / n) is the variance of a chi-square with
// 2 / (2 / (n - 1) + kappa / n) degrees of freedom (Satterthwaite); never more than n - 1.
std::int64_t kurtosis_adjusted_df(const std::vector<double>& values) {
    const std::size_t count = values.size();
    if (count < 2) return static_cast<std::int64_t>(count) - 1;
    const double n = static_cast<double>(count);
    double mean = 0;
    for (double v : values) mean += v;
    mean /= n;
    double m2 = 0, m4 = 0;
    for (double v : values) {
        const double d2 = (v - mean) * (v - mean);
        m2 += d2;
        m4 += d2 * d2;
    }
    if (!(m2 > 0)) return static_cast<std::int64_t>(count) - 1;
    m2 /= n;
    m4 /= n;
    const double kappa = std::max(0.0, m4 / (m2 * m2) - 3);
    return static_cast<std::int64_t>(std::floor(std::clamp(2 / (2 / (n - 1) + kappa / n), 1.0, n - 1)));
}

// Woodruff interval of the p-quantile: the quantile function evaluated at p -+ t se(F at the quantile).
// `quantile_at(q)` returns +infinity when the data never reach q.
// At the sample's extremes the estimated distribution function is 0 or 1 with no spread, which would
// give a zero-width interval to a percentile that merely sits on the largest observation: there the
// binomial standard error of `observations` independent values stands in.
template <class QuantileAt>
void woodruff(PercentileEstimate& pe, double se_f, std::int64_t clusters, std::size_t observations, QuantileAt quantile_at) {
    if (clusters < 2 || observations == 0) return;
    if (!(se_f > 0)) se_f = std::sqrt(pe.p * (1 - pe.p) / static_cast<double>(observations));
    const double half = student_t_quantile(0.975, clusters - 1) * se_f;
    pe.lo = quantile_at(std::max(0.0, pe.p - half));
    pe.hi = pe.p + half >= 1 ? INFINITY : quantile_at(pe.p + half);
    pe.lo = std::min(pe.lo, pe.value);
    pe.hi = std::max(pe.hi, pe.value);
    pe.has_ci = true;
}

// Kaplan-Meier mean of sorted observations (events before censorings at equal times) up to the last
// observation, leaving out the observations of cluster `skip`. O(observations).
double km_restricted_mean(const std::vector<CensoredObservation>& sorted, std::int64_t skip) {
    double at_risk = 0;
    for (const CensoredObservation& o : sorted) at_risk += o.cluster != skip ? 1 : 0;
    double surv = 1, area = 0, last = 0;
    for (std::size_t i = 0; i < sorted.size();) {
        const double time = sorted[i].time;
        double events = 0, leaving = 0;
        for (; i < sorted.size() && sorted[i].time == time; ++i) {
            if (sorted[i].cluster == skip) continue;
            leaving += 1;
            events += sorted[i].event ? 1 : 0;
        }
        if (leaving == 0) continue;
        area += surv * (time - last);
        last = time;
        if (events > 0) surv *= 1 - events / at_risk;
        at_risk -= leaving;
    }
    return area;
}

// Work limit (observations x clusters) for the delete-one-replication jackknife of the KM mean.
constexpr double kJackknifeWork = 2e7;
// Up to this many clusters the jackknife replaces the linearised variance, which is too small in small
// samples (measured: z spread 1.28 instead of 1.06 at 20 replications of year-long outages); beyond it
// the two agree.
constexpr std::int64_t kJackknifeClusters = 200;

}  // namespace

Estimate log_scale_interval(Estimate e, std::int64_t df) {
    if (!(e.mean > 0) || !(e.std_error > 0) || df < 1) return e;
    // log(mean) is biased low by about cv^2 / 2 (cv = se / mean): centre the interval on the corrected
    // value, which balances optimistic and pessimistic misses (scripts/coverage.sh).
    const double cv = e.std_error / e.mean;
    const double spread = student_t_quantile(0.975, df) * cv;
    e.lo = std::min(e.mean, e.mean * std::exp(0.5 * cv * cv - spread));
    e.hi = std::max(e.mean, e.mean * std::exp(0.5 * cv * cv + spread));
    e.has_ci = true;
    return e;
}

Estimate positive_mean_estimate(const std::vector<double>& samples) {
    return log_scale_interval(mean_estimate(samples), kurtosis_adjusted_df(samples));
}

double delta_method_std_error(const Estimate& e, double slope) { return e.std_error * std::fabs(slope); }

double cluster_robust_std_error(const std::vector<double>& cluster_sums) { return cluster_std_error(cluster_sums); }

void woodruff_interval(PercentileEstimate& pe, double se_f, std::int64_t clusters, std::size_t observations,
                       const std::function<double(double)>& quantile_at) {
    woodruff(pe, se_f, clusters, observations, quantile_at);
}


KaplanMeierSummary kaplan_meier_summary(std::vector<CensoredObservation> obs, std::int64_t clusters,
                                        const std::vector<double>& percentiles) {
    KaplanMeierSummary km;
    for (double p : percentiles) km.percentiles.push_back(PercentileEstimate{p, 0, 0, 0, false, false});
    if (obs.empty() || clusters < 1) return km;
    // Events before censorings at equal times (a unit censored at t was at risk at t).
    std::stable_sort(obs.begin(), obs.end(), [](const CensoredObservation& a, const CensoredObservation& b) {
        return a.time < b.time || (a.time == b.time && a.event && !b.event);
    });
    const std::size_t n = obs.size();
    // Distinct event times t_j, events d_j, at risk Y_j, survival S_j just after t_j.
    std::vector<double> t, d, y, s;
    std::vector<std::size_t> last_event_index(n);  // per observation: index of the last t_j <= its time, or n
    double surv = 1;
    for (std::size_t i = 0; i < n;) {
        const double time = obs[i].time;
        std::size_t events_end = i;
        while (events_end < n && obs[events_end].time == time && obs[events_end].event) ++events_end;
        if (events_end > i) {
            t.push_back(time);
            d.push_back(static_cast<double>(events_end - i));
            y.push_back(static_cast<double>(n - i));
            surv *= 1 - d.back() / y.back();
            s.push_back(surv);
            km.events += static_cast<std::int64_t>(events_end - i);
        }
        std::size_t end = events_end;  // the censorings at this time follow the events
        while (end < n && obs[end].time == time) ++end;
        km.censored += static_cast<std::int64_t>(end - events_end);
        for (std::size_t m = i; m < end; ++m) last_event_index[m] = t.empty() ? n : t.size() - 1;
        i = end;
    }
    const std::size_t k = t.size();
    km.max = obs.back().time;
    km.restricted_to_h = km.max;
    km.reaches_zero = k > 0 && s.back() <= 0;
    // A_j = integral of S from t_j to the end; mean = integral from 0.
    std::vector<double> area(k);
    double tail = 0;
    for (std::size_t j = k; j-- > 0;) {
        const double next = j + 1 < k ? t[j + 1] : km.max;
        tail += s[j] * (next - t[j]);
        area[j] = tail;
    }
    km.mean.mean = (k > 0 ? t[0] : km.max) + tail;
    // The estimators are smooth functions of the hazards h_j = d_j / Y_j; removing observation i changes
    // h_j by (dN_ij - 1{X_i >= t_j} h_j) / Y_j. With the derivative g_j of the estimator in h_j, the
    // influence of observation i is sum_j g_j (dN_ij - 1{X_i >= t_j} h_j) / Y_j (for one observation
    // per cluster its variance is Greenwood's). A helper sums it over the observations of each cluster.
    std::vector<double> last_cluster_sums;
    auto cluster_std_error_of = [&](const std::vector<double>& g, std::size_t last_j) {
        std::vector<double> compensator(k);  // sum_{j' <= j} g_j' h_j' / Y_j'
        for (std::size_t j = 0; j < k; ++j) {
            compensator[j] = (j ? compensator[j - 1] : 0.0) + (j <= last_j ? g[j] * d[j] / (y[j] * y[j]) : 0.0);
        }
        std::vector<double> sums(static_cast<std::size_t>(clusters), 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t j = last_event_index[i];
            if (j == n) continue;  // before the first event: no influence
            const double own = obs[i].event && j <= last_j ? g[j] / y[j] : 0.0;
            sums[static_cast<std::size_t>(obs[i].cluster)] += own - compensator[std::min(j, last_j)];
        }
        last_cluster_sums = sums;
        return cluster_std_error(sums);
    };
    // d mean / d h_j = -A_j / (1 - h_j) (A_j = 0 where h_j = 1: the last event, the end of the curve).
    std::vector<double> g(k);
    for (std::size_t j = 0; j < k; ++j) g[j] = d[j] < y[j] ? area[j] / (1 - d[j] / y[j]) : 0.0;
    km.mean.std_error = k > 0 ? cluster_std_error_of(g, k - 1) : 0.0;
    km.mean.lo = km.mean.hi = km.mean.mean;
    std::int64_t mean_df = k > 0 ? kurtosis_adjusted_df(last_cluster_sums) : clusters - 1;
    if (k > 0 && clusters >= 2 && clusters <= kJackknifeClusters &&
        static_cast<double>(n) * static_cast<double>(clusters) <= kJackknifeWork) {
        // Delete-one-replication jackknife: the mean without each replication's observations.
        std::vector<bool> present(static_cast<std::size_t>(clusters), false);
        for (const CensoredObservation& o : obs) present[static_cast<std::size_t>(o.cluster)] = true;
        const double nc = static_cast<double>(clusters);
        std::vector<double> pseudo(static_cast<std::size_t>(clusters));
        for (std::int64_t c = 0; c < clusters; ++c) {
            const double without = present[static_cast<std::size_t>(c)] ? km_restricted_mean(obs, c) : km.mean.mean;
            pseudo[static_cast<std::size_t>(c)] = nc * km.mean.mean - (nc - 1) * without;
        }
        km.mean.std_error = mean_estimate(pseudo).std_error;
        mean_df = kurtosis_adjusted_df(pseudo);
    }
    km.mean = log_scale_interval(km.mean, mean_df);

    // Percentiles: the first event time where S <= 1 - p; Woodruff intervals from the standard error of
    // S there (d S_q / d h_j = -S_q / (1 - h_j) for j <= q; where h_j = 1 it is -S_{j-1}).
    constexpr double kTiny = 1e-12;
    auto first_at_or_below = [&](double level) {
        for (std::size_t j = 0; j < k; ++j) {
            if (s[j] <= level + kTiny) return j;
        }
        return k;
    };
    for (PercentileEstimate& pe : km.percentiles) {
        const std::size_t jq = first_at_or_below(1 - pe.p);
        if (jq == k) continue;
        pe.defined = true;
        pe.value = pe.lo = pe.hi = t[jq];
        for (std::size_t j = 0; j <= jq; ++j) g[j] = d[j] < y[j] ? s[jq] / (1 - d[j] / y[j]) : (j ? s[j - 1] : 1.0);
        woodruff(pe, cluster_std_error_of(g, jq), clusters, n, [&](double q) {
            const std::size_t j = first_at_or_below(1 - q);
            return j < k ? t[j] : static_cast<double>(INFINITY);
        });
    }
    return km;
}

Estimate clustered_proportion_estimate(const std::vector<std::int64_t>& hits, const std::vector<std::int64_t>& items) {
    Estimate e;
    const std::size_t n = hits.size();
    std::int64_t total_hits = 0, total_items = 0;
    for (std::size_t c = 0; c < n; ++c) {
        total_hits += hits[c];
        total_items += items[c];
    }
    if (total_items <= 0) return e;
    const double total = static_cast<double>(total_items);
    const double p = static_cast<double>(total_hits) / total;
    e.mean = e.lo = e.hi = p;
    if (n < 2) return e;
    std::vector<double> influence(n);
    for (std::size_t c = 0; c < n; ++c) {
        influence[c] = (static_cast<double>(hits[c]) - p * static_cast<double>(items[c])) / total;
    }
    e.std_error = cluster_std_error(influence);
    // Effective sample size: the items' count shrunk by the design effect; when every cluster agrees
    // (p = 0 or 1) the data say nothing about it, so count each cluster once.
    double n_eff = static_cast<double>(n);
    if (e.std_error > 0) n_eff = std::clamp(p * (1 - p) / (e.std_error * e.std_error), 1.0, total);
    const double z = 1.959963984540054;
    const double denom = 1 + z * z / n_eff;
    const double centre = (p + z * z / (2 * n_eff)) / denom;
    const double half = z * std::sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff * n_eff)) / denom;
    e.lo = std::max(0.0, centre - half);
    e.hi = std::min(1.0, centre + half);
    e.lo = std::min(e.lo, p);
    e.hi = std::max(e.hi, p);
    e.has_ci = true;
    return e;
}

std::vector<PercentileEstimate> clustered_percentiles(const std::vector<double>& values,
                                                      const std::vector<std::int64_t>& cluster_of_value,
                                                      std::int64_t clusters, const std::vector<double>& percentiles) {
    std::vector<PercentileEstimate> out;
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const double total = static_cast<double>(values.size());
    std::vector<std::int64_t> items(static_cast<std::size_t>(std::max<std::int64_t>(clusters, 0)), 0);
    for (std::int64_t c : cluster_of_value) ++items[static_cast<std::size_t>(c)];
    for (double p : percentiles) {
        PercentileEstimate pe{p, 0, 0, 0, false, false};
        if (!sorted.empty()) {
            pe.defined = true;
            pe.value = pe.lo = pe.hi = percentile(sorted, p);
            // Cluster-robust standard error of the empirical distribution function at the percentile.
            std::vector<double> below(items.size(), 0.0);
            double f = 0;
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (values[i] <= pe.value) {
                    below[static_cast<std::size_t>(cluster_of_value[i])] += 1;
                    f += 1;
                }
            }
            f /= total;
            for (std::size_t c = 0; c < below.size(); ++c) below[c] = (below[c] - f * static_cast<double>(items[c])) / total;
            woodruff(pe, cluster_std_error(below), clusters, sorted.size(),
                     [&](double q) { return percentile(sorted, std::min(q, 1.0)); });
        }
        out.push_back(pe);
    }
    return out;
}

}  // namespace nines::sim
