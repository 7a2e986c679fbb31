#include "study/check.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "model/metric_registry.h"
#include "model/units_format.h"

namespace nines::study {

const char* to_string(Outcome o) {
    switch (o) {
        case Outcome::Pass: return "pass";
        case Outcome::Fail: return "fail";
        case Outcome::Inconclusive: return "inconclusive";
        case Outcome::NotApplicable: return "not applicable";
    }
    return "?";
}

const char* to_string(Finding f) {
    switch (f) {
        case Finding::Met: return "met";
        case Finding::Missed: return "missed";
        case Finding::ThresholdInside: return "threshold_inside_interval";
        case Finding::NoInterval: return "no_interval";
        case Finding::NotMeasurable: return "not_measurable";
        case Finding::CrosscheckAgrees: return "crosscheck_agrees";
        case Finding::CrosscheckDisagrees: return "crosscheck_disagrees";
        case Finding::CrosscheckNoVerdict: return "crosscheck_no_verdict";
    }
    return "?";
}

std::string format_metric(double value, MetricUnit unit) {
    if (!std::isfinite(value)) return value > 0 ? "inf" : "-inf";
    switch (unit) {
        case MetricUnit::Probability: {
            // Enough digits to show how far from 1 (or 0) the value is.
            const double distance = std::min(std::fabs(value), std::fabs(1 - value));
            const int digits = distance > 0 ? std::clamp(static_cast<int>(std::ceil(-std::log10(distance * 100))) + 2, 2, 8) : 2;
            return format_percent(value, digits);
        }
        case MetricUnit::Duration: return format_duration(value);
        default: return format_sig(value, 4);
    }
}

namespace {

bool satisfies(double x, Comparison c, double threshold) {
    switch (c) {
        case Comparison::AtLeast: return x >= threshold;
        case Comparison::AtMost: return x <= threshold;
        case Comparison::Above: return x > threshold;
        case Comparison::Below: return x < threshold;
    }
    return false;
}

// The metric as the user wrote it: "component.db.failures_per_year", "reliability(1y)".
std::string metric_label(const Expectation& e) {
    if (!e.component.empty()) return "component." + e.component + e.metric.substr(9);
    if (e.at_h) return "reliability(" + format_duration(*e.at_h) + ")";
    return e.metric;
}

// No verdict: resolved by more replications (few outages, no interval yet) or by nothing (no
// reference to compare with: not a failure of the design).
Outcome crosscheck_outcome(analytic::NoVerdictCause cause) {
    switch (cause) {
        case analytic::NoVerdictCause::TooFewOutages:
        case analytic::NoVerdictCause::NoInterval: return Outcome::Inconclusive;
        case analytic::NoVerdictCause::None:  // not reached: a verdict was given
        case analytic::NoVerdictCause::NoExactMethod:
        case analytic::NoVerdictCause::ApproximateReference: return Outcome::NotApplicable;
    }
    return Outcome::NotApplicable;
}

}  // namespace

ExpectationResult evaluate(const Expectation& e, const sim::SimulationResults& r, const analytic::CrossCheck& check,
                           const Look& look) {
    ExpectationResult out;
    out.expectation = e;
    out.look = look;
    out.replications = r.replications;
    if (e.metric == metric_spec(MetricId::Crosscheck).name) {
        // The analytic verdict must not be "disagrees"; no verdict (too few outages) is inconclusive.
        const char* verdict = analytic::to_string(check.verdict);
        if (check.verdict == analytic::Verdict::Agrees) {
            out.outcome = Outcome::Pass;
            out.finding = Finding::CrosscheckAgrees;
            out.message = fmt::format("cross-check agrees (z = {:+.2f})", check.z);
        } else if (check.verdict == analytic::Verdict::Disagrees) {
            out.outcome = Outcome::Fail;
            out.finding = Finding::CrosscheckDisagrees;
            out.message = fmt::format("cross-check disagrees: analytic {} is outside the simulated 95% CI (z = {:+.2f})",
                                      format_metric(check.analytic_availability, MetricUnit::Probability), check.z);
        } else {
            // Not applicable because no method applies is not a failure of the design; too few
            // outages is resolved by more replications.
            out.outcome = crosscheck_outcome(check.cause);
            out.finding = Finding::CrosscheckNoVerdict;
            out.message = std::string("cross-check ") + verdict + ": " + check.reason;
        }
        return out;
    }
    out.value = measure(e, r);
    const MetricValue& v = out.value;
    const std::string threshold = format_metric(e.threshold, e.unit);
    if (!v.measurable) {
        out.outcome = Outcome::Inconclusive;
        out.finding = Finding::NotMeasurable;
        out.message = metric_label(e) + ": cannot be measured: " + v.note;
        return out;
    }
    const sim::Estimate& est = v.estimate;
    out.decision = widen_interval(est, look.level(), r.replications);
    const sim::Estimate& decision = out.decision;
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
    const bool at_least = e.comparison == Comparison::AtLeast || e.comparison == Comparison::Above;
    if (!est.has_ci && !v.point_only) {
        out.outcome = Outcome::Inconclusive;
        out.finding = Finding::NoInterval;
        out.message = fmt::format("{} {}, no confidence interval (too few events); threshold {} {}", name, measured,
                                  to_string(e.comparison), threshold);
        return out;
    }
    // The decision interval's end on the passing side and on the failing side.
    const double low = est.has_ci ? decision.lo : est.mean;
    const double high = est.has_ci ? decision.hi : est.mean;
    bool pass = at_least ? satisfies(low, e.comparison, e.threshold) : satisfies(high, e.comparison, e.threshold);
    bool fail = at_least ? !satisfies(high, e.comparison, e.threshold) : !satisfies(low, e.comparison, e.threshold);
    if (v.lower_bound) {
        // Only the lower end is trustworthy: the true value may lie above the whole interval.
        if (at_least) {
            fail = false;
        } else {
            pass = false;
        }
    }
    if (pass) {
        out.outcome = Outcome::Pass;
        out.finding = Finding::Met;
        out.message = fmt::format("{} {} {} {}: pass", name, measured, to_string(e.comparison), threshold);
    } else if (fail) {
        out.outcome = Outcome::Fail;
        out.finding = Finding::Missed;
        const double by = std::fabs(est.mean - e.threshold);
        out.message = fmt::format("{} {} misses {} {} by {}", name, measured, to_string(e.comparison), threshold,
                                  format_metric(by, e.unit == MetricUnit::Probability ? MetricUnit::Number : e.unit));
        if (e.unit == MetricUnit::Probability) {
            out.message = fmt::format("{} {} misses {} {} by {:.3g} percentage points", name, measured,
                                      to_string(e.comparison), threshold, by * 100);
        }
    } else {
        out.outcome = Outcome::Inconclusive;
        out.finding = Finding::ThresholdInside;
        out.message = fmt::format("{} {}: the {}interval contains the threshold {} {}", name, measured,
                                  look.count > 1 ? "decision " : "",
                                  to_string(e.comparison), threshold);
    }
    return out;
}

std::vector<ExpectationResult> evaluate_all(const std::vector<Expectation>& expectations, const sim::SimulationResults& r,
                                            const analytic::CrossCheck& check, const Look& look) {
    std::vector<ExpectationResult> out;
    for (const Expectation& e : expectations) out.push_back(evaluate(e, r, check, look));
    return out;
}

}  // namespace nines::study
