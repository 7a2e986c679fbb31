#include "study/metrics.h"

#include <algorithm>
#include <cmath>

#include "model/metric_registry.h"

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

namespace {

MetricValue unmeasurable(Unmeasurable why) {
    MetricValue v;
    v.measurable = false;
    v.unmeasurable = why;
    return v;
}

// Replication-unit interval of a per-year downtime percentile (years of one replication are correlated).
MetricValue year_percentile(const sim::SimulationResults& r, std::size_t k) {
    if (r.year_downtime_samples_h.empty()) return unmeasurable(Unmeasurable::NoWholeYear);
    MetricValue v;
    v.estimate = from_percentile(r.year_downtime_percentiles.at(k));
    return v;
}

// Kaplan-Meier outage percentile (open outages censored at the horizon), replication-unit interval.
MetricValue outage_percentile(const sim::SimulationResults& r, std::size_t k) {
    if (r.outage_samples_h.empty()) return unmeasurable(Unmeasurable::NoCompletedOutage);
    const sim::PercentileEstimate& pe = r.outage_km.percentiles.at(k);
    if (!pe.defined) return unmeasurable(Unmeasurable::OutagesOpenAtHorizon);
    MetricValue v;
    v.estimate = from_percentile(pe);
    return v;
}

MetricValue point(double value) {
    MetricValue v;
    v.estimate.mean = v.estimate.lo = v.estimate.hi = value;
    v.point_only = true;
    return v;
}

MetricValue of(const sim::Estimate& e) {
    MetricValue v;
    v.estimate = e;
    return v;
}

}  // namespace

MetricValue measure(const Expectation& e, const sim::SimulationResults& r) {
    const MetricSpec* spec = find_metric(e.metric);
    if (spec == nullptr) return unmeasurable(Unmeasurable::UnknownMetric);
    const sim::ComponentResult* component = nullptr;
    if (spec->scope == MetricScope::Component) {
        const auto it = std::find_if(r.components.begin(), r.components.end(),
                                     [&](const sim::ComponentResult& c) { return c.name == e.component; });
        if (it == r.components.end()) return unmeasurable(Unmeasurable::NoSuchComponent);
        component = &*it;
    }
    const sim::SloResult* slo = nullptr;
    if (spec->scope == MetricScope::Window) {
        const auto it = std::find_if(r.slos.begin(), r.slos.end(), [&](const sim::SloResult& s) { return s.window == e.window; });
        if (it == r.slos.end()) return unmeasurable(Unmeasurable::NoSuchWindow);
        if (it->windows_per_replication == 0 || it->downtime_percentiles.empty()) return unmeasurable(Unmeasurable::NoWindowInRun);
        const bool yearly = spec->id == MetricId::WorstWindow || spec->id == MetricId::WorstWindowP95;
        if (yearly && it->years_per_replication == 0) return unmeasurable(Unmeasurable::NoWindowInRun);
        slo = &*it;
    }
    const sim::CauseResult* cause = nullptr;
    if (spec->scope == MetricScope::Cause) {
        std::string label = e.cause;
        if (const auto colon = label.find(':'); colon != std::string::npos) {
            const auto b = label.find_first_not_of(' ', colon + 1);
            label = label.substr(0, colon + 1) + (b == std::string::npos ? "" : label.substr(b));
        }
        const auto it = std::find_if(r.causes.begin(), r.causes.end(), [&](const sim::CauseResult& c) { return c.label == label; });
        if (it == r.causes.end()) return unmeasurable(Unmeasurable::NoSuchCause);
        cause = &*it;
    }
    // One case per metric: a metric added to the registry without a way to read it is a compile error.
    switch (spec->id) {
        case MetricId::Availability: return of(r.availability);
        case MetricId::Unavailability: return of(r.unavailability);
        case MetricId::Nines: return of(r.nines);
        case MetricId::DowntimePerYear: return of(r.downtime_h_per_year);
        case MetricId::DowntimePerYearP50: return year_percentile(r, 0);
        case MetricId::DowntimePerYearP95: return year_percentile(r, 1);
        case MetricId::DowntimePerYearP99: return year_percentile(r, 2);
        case MetricId::BudgetExceeded: return of(r.budget_exceeded);
        case MetricId::FailuresPerYear: return of(r.failures_per_year);
        case MetricId::Mtbf: return of(r.mtbf_h);
        case MetricId::ServedFraction: return of(r.service.served_fraction);
        case MetricId::DegradedPerYear: return of(r.service.degraded_h_per_year);
        case MetricId::UnservedPerYear: return of(r.service.unserved_h_per_year);
        case MetricId::FailoverDowntimePerYear:
            if (!r.has_failover) return unmeasurable(Unmeasurable::NoFailoverGroup);
            return of(r.failover_downtime_h_per_year);
        case MetricId::FailoverOutagesPerYear:
            if (!r.has_failover) return unmeasurable(Unmeasurable::NoFailoverGroup);
            return of(r.failover_outages_per_year);
        case MetricId::MeanOutage:
            // An accelerated estimate (method: importance) gives the mean outage with its interval
            // even when the plain replications completed none.
            if (r.outage.count == 0 && !r.mean_outage_h.has_ci) return unmeasurable(Unmeasurable::NoCompletedOutage);
            return of(r.mean_outage_h);
        case MetricId::OutageP50: return outage_percentile(r, 0);
        case MetricId::OutageP95: return outage_percentile(r, 1);
        case MetricId::OutageP99: return outage_percentile(r, 2);
        case MetricId::OutageMax:
            if (r.outage_samples_h.empty()) return unmeasurable(Unmeasurable::NoCompletedOutage);
            return point(r.outage.max);
        case MetricId::Mttf: {
            MetricValue v = of(r.mttf_h);
            v.lower_bound = r.censored > 0;
            if (r.censored > 0) {
                // Censored: the MTTF is at least the restricted mean, so its interval's lower end (or, when no
                // replication failed, the bound horizon x 0.05^(1/n)) bounds the MTTF from below; no upper end.
                const sim::Estimate& restricted = r.first_failure_km.mean;
                v.estimate.lo = r.first_failures > 0 && restricted.has_ci ? restricted.lo : r.mttf_lower_bound_h;
                v.estimate.hi = INFINITY;
                v.estimate.has_ci = true;
            }
            return v;
        }
        case MetricId::Reliability: {
            if (!e.at_h) return unmeasurable(Unmeasurable::ReliabilityNeedsTime);
            const double t = *e.at_h;
            if (t > r.horizon_h) return unmeasurable(Unmeasurable::ReliabilityBeyondHorizon);
            std::int64_t survived = 0;
            for (double f : r.first_failure_samples_h) survived += f > t ? 1 : 0;
            return of(sim::proportion_estimate(survived, static_cast<std::int64_t>(r.first_failure_samples_h.size())));
        }
        case MetricId::Crosscheck: return unmeasurable(Unmeasurable::CrosscheckIsVerdict);
        case MetricId::ComponentFailuresPerYear: return of(component->failures_per_year_ci);
        case MetricId::ComponentDowntimePerYear: return of(component->downtime_h_per_year_ci);
        case MetricId::ComponentOutageShare: return point(component->outage_share);
        case MetricId::SloBreach: return of(slo->breach);
        case MetricId::SloBurn: return of(slo->burn);
        case MetricId::SloBreachTime:
            if (!slo->rolling) return unmeasurable(Unmeasurable::NoWindowInRun);
            return of(slo->breach_time);
        case MetricId::WindowDowntime: return of(slo->downtime_h);
        case MetricId::WindowDowntimeP50: return of(from_percentile(slo->downtime_percentiles.at(0)));
        case MetricId::WindowDowntimeP95: return of(from_percentile(slo->downtime_percentiles.at(1)));
        case MetricId::WindowDowntimeP99: return of(from_percentile(slo->downtime_percentiles.at(2)));
        case MetricId::WorstWindow: return of(slo->worst_h);
        case MetricId::WorstWindowP95: return of(from_percentile(slo->worst_percentiles.at(1)));
        case MetricId::CauseDowntimePerYear: return of(cause->downtime_h_per_year);
        case MetricId::CauseOutagesPerYear: return of(cause->outages_per_year);
    }
    return unmeasurable(Unmeasurable::UnknownMetric);
}

MetricValue measure(MetricId id, const sim::SimulationResults& r) {
    Expectation e;
    e.metric = metric_spec(id).name;
    e.unit = metric_spec(id).unit;
    return measure(e, r);
}

}  // namespace nines::study
