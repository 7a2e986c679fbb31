// Statistical verdicts on expectations: pass when the whole decision interval is on the passing side,
// fail when it is wholly on the failing side, inconclusive otherwise. The decision interval is the 95%
// interval at a single look, and wider when `check` may look again (study/sequential.h).
#pragma once

#include <string>
#include <vector>

#include "analytic/crosscheck.h"
#include "study/sequential.h"
#include "study/metrics.h"

namespace nines::study {

// NotApplicable: nothing to judge (a cross-check for which no reference method applies); neither a
// pass nor a failure, and not resolved by more replications.
enum class Outcome { Pass, Fail, Inconclusive, NotApplicable };
const char* to_string(Outcome o);

// Why an expectation got its outcome, as data; report::describe (report/check_wording.h) words it for people.
enum class Finding {
    Met,                  // the decision interval lies wholly on the passing side
    Missed,               // wholly on the failing side
    ThresholdInside,      // the decision interval contains the threshold
    NoInterval,           // the estimate has no interval (too few events)
    NotMeasurable,        // the run cannot measure the metric (MetricValue::unmeasurable says why)
    CrosscheckAgrees,
    CrosscheckDisagrees,
    CrosscheckNoVerdict,  // analytic::CrossCheck::cause says why
};
const char* to_string(Finding f);

struct ExpectationResult {
    Expectation expectation;
    Outcome outcome = Outcome::Inconclusive;
    Finding finding = Finding::ThresholdInside;
    MetricValue value;
    analytic::CrossCheck crosscheck;  // the cross-check judged (the "crosscheck" metric only)
    Look look;                       // the look that gave the verdict (the last one when inconclusive)
    sim::Estimate decision;          // the interval the verdict rests on (level look.level())
    std::int64_t replications = 0;   // replications behind the verdict
};

ExpectationResult evaluate(const Expectation& e, const sim::SimulationResults& r, const analytic::CrossCheck& check,
                           const Look& look = {});
std::vector<ExpectationResult> evaluate_all(const std::vector<Expectation>& expectations, const sim::SimulationResults& r,
                                            const analytic::CrossCheck& check, const Look& look = {});

}  // namespace nines::study
