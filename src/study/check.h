// Statistical verdicts on expectations: pass when the whole 95% interval is on the passing side, fail
// when it is wholly on the failing side, inconclusive otherwise.
#pragma once

#include <string>
#include <vector>

#include "analytic/crosscheck.h"
#include "study/metrics.h"

namespace nines::study {

enum class Outcome { Pass, Fail, Inconclusive };
const char* to_string(Outcome o);

struct ExpectationResult {
    Expectation expectation;
    Outcome outcome = Outcome::Inconclusive;
    MetricValue value;
    std::string message;  // "availability 99.97 % (95% CI 99.96 % .. 99.98 %) >= 99.95 %: pass"
};

ExpectationResult evaluate(const Expectation& e, const sim::SimulationResults& r, const analytic::CrossCheck& check);
std::vector<ExpectationResult> evaluate_all(const std::vector<Expectation>& expectations, const sim::SimulationResults& r,
                                            const analytic::CrossCheck& check);

// Formats a value of the metric's unit for messages ("99.95 %", "6.00 h", "2.5").
std::string format_metric(double value, MetricUnit unit);

}  // namespace nines::study
