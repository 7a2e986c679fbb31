#include "study/metrics.h"

#include <algorithm>
#include <cmath>

namespace nines::study {

sim::Estimate quantile_estimate(std::vector<double> samples, double p) {
    sim::Estimate e;
    if (samples.empty()) return e;
    std::sort(samples.begin(), samples.end());
    e.mean = sim::percentile(samples, p);
    e.lo = e.hi = e.mean;
    const double n = static_cast<double>(samples.size());
    const double half = 1.959963984540054 * std::sqrt(n * p * (1 - p));
    const double lo_rank = std::floor(n * p - half);
    const double hi_rank = std::ceil(n * p + half);
    // Ranks outside the sample: the interval is open on that side (an unmeasurable tail).
    if (lo_rank < 0 || hi_rank > n - 1) {
        e.lo = lo_rank < 0 ? -INFINITY : samples[static_cast<std::size_t>(lo_rank)];
        e.hi = hi_rank > n - 1 ? INFINITY : samples[static_cast<std::size_t>(hi_rank)];
    } else {
        e.lo = samples[static_cast<std::size_t>(lo_rank)];
        e.hi = samples[static_cast<std::size_t>(hi_rank)];
    }
    e.has_ci = true;
    return e;
}

namespace {

sim::Estimate from_percentile(const sim::PercentileEstimate& p) {
    sim::Estimate e;
    e.mean = e.lo = e.hi = p.value;
    if (p.has_ci) {
        e.lo = p.lo;
        e.hi = p.hi;
        e.has_ci = true;
    }
    return e;
}

}  // namespace

MetricValue measure(const Expectation& e, const sim::SimulationResults& r) {
    MetricValue v;
    const std::string& m = e.metric;
    if (m == "availability") {
        v.estimate = r.availability;
    } else if (m == "unavailability") {
        v.estimate = r.unavailability;
    } else if (m == "nines") {
        v.estimate = r.nines;
    } else if (m == "downtime_per_year") {
        v.estimate = r.downtime_h_per_year;
    } else if (m == "downtime_per_year.p50" || m == "downtime_per_year.p95" || m == "downtime_per_year.p99") {
        if (r.year_downtime_samples_h.empty()) {
            v.measurable = false;
            v.note = "no whole year was simulated (horizon - warmup < 1 y)";
            return v;
        }
        // Replication-unit interval (years of one replication are correlated), from the run's results.
        const std::size_t k = m.back() == '0' ? 0 : m.back() == '5' ? 1 : 2;
        v.estimate = from_percentile(r.year_downtime_percentiles.at(k));
    } else if (m == "budget_exceeded") {
        v.estimate = r.budget_exceeded;
    } else if (m == "failures_per_year") {
        v.estimate = r.failures_per_year;
    } else if (m == "mtbf") {
        v.estimate = r.mtbf_h;
    } else if (m == "mean_outage") {
        v.estimate = r.mean_outage_h;
        if (r.outage.count == 0) {
            v.measurable = false;
            v.note = "no completed outage was simulated";
            return v;
        }
    } else if (m == "outage.p50" || m == "outage.p95" || m == "outage.p99" || m == "outage.max") {
        if (r.outage_samples_h.empty()) {
            v.measurable = false;
            v.note = "no completed outage was simulated";
            return v;
        }
        if (m == "outage.max") {
            v.estimate.mean = v.estimate.lo = v.estimate.hi = r.outage.max;
            v.point_only = true;
        } else {
            // Kaplan-Meier percentile (open outages censored at the horizon), replication-unit interval.
            const std::size_t k = m.back() == '0' ? 0 : m.back() == '5' ? 1 : 2;
            const sim::PercentileEstimate& pe = r.outage_km.percentiles.at(k);
            if (!pe.defined) {
                v.measurable = false;
                v.note = "too many outages were still open at the horizon to reach this percentile";
                return v;
            }
            v.estimate = from_percentile(pe);
        }
    } else if (m == "mttf") {
        v.estimate = r.mttf_h;
        v.lower_bound = r.censored > 0;
        if (r.censored > 0) {
            // Censored: the MTTF is at least the restricted mean, so its interval's lower end (or, when no
            // replication failed, the bound horizon x 0.05^(1/n)) bounds the MTTF from below; no upper end.
            const sim::Estimate& restricted = r.first_failure_km.mean;
            v.estimate.lo = r.first_failures > 0 && restricted.has_ci ? restricted.lo : r.mttf_lower_bound_h;
            v.estimate.hi = INFINITY;
            v.estimate.has_ci = true;
        }
    } else if (m == "reliability") {
        const double t = *e.at_h;
        if (t > r.horizon_h) {
            v.measurable = false;
            v.note = "reliability at a time beyond the horizon";
            return v;
        }
        std::int64_t survived = 0;
        for (double f : r.first_failure_samples_h) survived += f > t ? 1 : 0;
        v.estimate = sim::proportion_estimate(survived, static_cast<std::int64_t>(r.first_failure_samples_h.size()));
    } else if (m.rfind("component.", 0) == 0) {
        const auto it = std::find_if(r.components.begin(), r.components.end(),
                                     [&](const sim::ComponentResult& c) { return c.name == e.component; });
        if (it == r.components.end()) {
            v.measurable = false;
            v.note = "no component '" + e.component + "'";
            return v;
        }
        if (m == "component.failures_per_year") {
            v.estimate = it->failures_per_year_ci;
        } else if (m == "component.downtime_per_year") {
            v.estimate = it->downtime_h_per_year_ci;
        } else {
            v.estimate.mean = v.estimate.lo = v.estimate.hi = it->outage_share;
            v.point_only = true;
        }
    } else {
        v.measurable = false;
        v.note = "unknown metric";
    }
    return v;
}

}  // namespace nines::study
