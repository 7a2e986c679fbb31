#include "study/check.h"

#include <algorithm>
#include <cmath>

#include "model/metric_registry.h"

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
        out.crosscheck = check;
        if (check.verdict == analytic::Verdict::Agrees) {
            out.outcome = Outcome::Pass;
            out.finding = Finding::CrosscheckAgrees;
        } else if (check.verdict == analytic::Verdict::Disagrees) {
            out.outcome = Outcome::Fail;
            out.finding = Finding::CrosscheckDisagrees;
        } else {
            // Not applicable because no method applies is not a failure of the design; too few
            // outages is resolved by more replications.
            out.outcome = crosscheck_outcome(check.cause);
            out.finding = Finding::CrosscheckNoVerdict;
        }
        return out;
    }
    out.value = measure(e, r);
    const MetricValue& v = out.value;
    if (!v.measurable) {
        out.outcome = Outcome::Inconclusive;
        out.finding = Finding::NotMeasurable;
        return out;
    }
    const sim::Estimate& est = v.estimate;
    out.decision = widen_interval(est, look.level(), r.replications);
    const sim::Estimate& decision = out.decision;
    const bool at_least = e.comparison == Comparison::AtLeast || e.comparison == Comparison::Above;
    if (!est.has_ci && !v.point_only) {
        out.outcome = Outcome::Inconclusive;
        out.finding = Finding::NoInterval;
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
    } else if (fail) {
        out.outcome = Outcome::Fail;
        out.finding = Finding::Missed;
    } else {
        out.outcome = Outcome::Inconclusive;
        out.finding = Finding::ThresholdInside;
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
