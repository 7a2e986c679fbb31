#include "report/check_wording.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "model/metric_registry.h"
#include "model/units_format.h"

namespace nines::report {

std::string format_metric(double value, MetricUnit unit) {
    if (!std::isfinite(value)) return value > 0 ? "inf" : "-inf";
    switch (unit) {
        case MetricUnit::Probability: {
            // Enough digits to show how far from 1 (or 0) the value is.
            const double distance = std::min(std::fabs(value), std::fabs(1 - value));
            // (The 1e-9 keeps a round distance such as 1 - 0.9999, a hair below 1e-4 in binary, at its digits.)
            const int digits = distance > 0 ? std::clamp(static_cast<int>(std::ceil(-std::log10(distance * 100) - 1e-9)) + 2, 2, 8) : 2;
            return format_percent(value, digits);
        }
        case MetricUnit::Duration: return format_duration(value);
        default: return format_sig(value, 4);
    }
}

namespace {

// The metric as the user wrote it: "component.db.failures_per_year", "reliability(1y)".
std::string metric_label(const Expectation& e) {
    if (!e.component.empty()) return "component." + e.component + e.metric.substr(9);
    if (e.at_h) return "reliability(" + format_duration(*e.at_h) + ")";
    if (!e.cause.empty()) return e.metric.substr(6) + "[" + e.cause + "]";  // "cause.downtime_per_year" -> downtime_per_year[...]
    if (!e.window.empty()) {
        const auto dot = e.metric.find('.');
        return e.metric.substr(0, dot) + "[" + e.window + "]" + (dot == std::string::npos ? "" : e.metric.substr(dot));
    }
    return e.metric;
}

// Why the run cannot measure the metric.
std::string unmeasurable_reason(const study::Unmeasurable why, const Expectation& e) {
    switch (why) {
        case study::Unmeasurable::NoWholeYear: return "no whole year was simulated (horizon - warmup < 1 y)";
        case study::Unmeasurable::NoCompletedOutage: return "no completed outage was simulated";
        case study::Unmeasurable::OutagesOpenAtHorizon:
            return "too many outages were still open at the horizon to reach this percentile";
        case study::Unmeasurable::NoSuchComponent: return "no component '" + e.component + "'";
        case study::Unmeasurable::ReliabilityNeedsTime: return "reliability needs a time";
        case study::Unmeasurable::ReliabilityBeyondHorizon: return "reliability at a time beyond the horizon";
        case study::Unmeasurable::CrosscheckIsVerdict: return "the cross-check is a verdict, not a measured value";
        case study::Unmeasurable::NoSuchWindow: return "no SLO window '" + e.window + "'";
        case study::Unmeasurable::NoSuchCause: return "no downtime cause '" + e.cause + "'";
        case study::Unmeasurable::NoWindowInRun:
            return "no '" + e.window + "' window (or no whole year) lies wholly inside [warmup, horizon]";
        case study::Unmeasurable::NoFailoverGroup: return "the model has no failover group";
        case study::Unmeasurable::None:
        case study::Unmeasurable::UnknownMetric: break;
    }
    return "unknown metric";
}

std::string describe_crosscheck(const study::ExpectationResult& r) {
    const analytic::CrossCheck& check = r.crosscheck;
    switch (r.finding) {
        case study::Finding::CrosscheckAgrees: return fmt::format("cross-check agrees (z = {:+.2f})", check.z);
        case study::Finding::CrosscheckDisagrees:
            return fmt::format("cross-check disagrees: analytic {} is outside the simulated 95% CI (z = {:+.2f})",
                               format_metric(check.analytic_availability, MetricUnit::Probability), check.z);
        default: return std::string("cross-check ") + analytic::to_string(check.verdict) + ": " + check.reason;
    }
}

}  // namespace

std::string describe(const study::ExpectationResult& r) {
    const Expectation& e = r.expectation;
    if (e.metric == metric_spec(MetricId::Crosscheck).name) return describe_crosscheck(r);
    const study::MetricValue& v = r.value;
    const std::string threshold = format_metric(e.threshold, e.unit);
    if (r.finding == study::Finding::NotMeasurable) return metric_label(e) + ": cannot be measured: " + unmeasurable_reason(v.unmeasurable, e);
    const sim::Estimate& est = v.estimate;
    const sim::Estimate& decision = r.decision;
    const study::Look& look = r.look;
    const std::string point = format_metric(est.mean, e.unit);
    std::string interval;
    if (est.has_ci) {
        interval = " (95% CI " + format_metric(est.lo, e.unit) + " .. " + format_metric(est.hi, e.unit);
        if (look.count > 1) {
            // The verdict rests on the wider interval of this look of a sequential check.
            interval += fmt::format("; look {} of {}, {:.4g}% decision interval {} .. {}", look.index, look.count,
                                    100 * look.level(), format_metric(decision.lo, e.unit), format_metric(decision.hi, e.unit));
        }
        interval += ")";
    } else if (v.point_only) {
        interval = " (no interval: a " + std::string(e.metric == metric_spec(MetricId::OutageMax).name ? "sample maximum" : "share") + ")";
    }
    const std::string measured = (v.lower_bound ? "at least " : "") + point + interval;
    const std::string name = metric_label(e);
    switch (r.finding) {
        case study::Finding::NoInterval:
            return fmt::format("{} {}, no confidence interval (too few events); threshold {} {}", name, measured,
                               to_string(e.comparison), threshold);
        case study::Finding::Met: return fmt::format("{} {} {} {}: pass", name, measured, to_string(e.comparison), threshold);
        case study::Finding::Missed: {
            const double by = std::fabs(est.mean - e.threshold);
            if (e.unit == MetricUnit::Probability) {
                return fmt::format("{} {} misses {} {} by {:.3g} percentage points", name, measured,
                                   to_string(e.comparison), threshold, by * 100);
            }
            return fmt::format("{} {} misses {} {} by {}", name, measured, to_string(e.comparison), threshold,
                               format_metric(by, e.unit));
        }
        default:
            return fmt::format("{} {}: the {}interval contains the threshold {} {}", name, measured,
                               look.count > 1 ? "decision " : "", to_string(e.comparison), threshold);
    }
}

std::string describe(const study::PrecisionOutcome& p) {
    if (p.metric == "relative_error") {  // `until: relative_error <= r` with plain Monte Carlo
        return p.met ? fmt::format("precision target met: unavailability relative error {:.3g} <= {:.3g} after {} replications",
                                   p.half_width, p.target, p.replications)
                     : fmt::format("precision target NOT met: unavailability relative error {:.3g} > {:.3g} at the maximum of "
                                   "{} replications",
                                   p.half_width, p.target, p.replications);
    }
    return p.met ? fmt::format("precision target met: {} half-width {:.3g} <= {:.3g} after {} replications", p.metric,
                               p.half_width, p.target, p.replications)
                 : fmt::format("precision target NOT met: {} half-width {:.3g} > {:.3g} at the maximum of {} replications",
                               p.metric, p.half_width, p.target, p.replications);
}

}  // namespace nines::report
