// The people's wording of what a study found: the message of each expectation verdict and the line
// on the precision target. study/ returns only data (Finding, values, intervals, look, cause); the
// text, JSON and JUnit reports word it here, so every output says the same thing.
#pragma once

#include <string>

#include "study/check.h"
#include "study/study.h"

namespace nines::report {

// A value of the metric's unit ("99.95 %", "6.00 h", "2.5").
std::string format_metric(double value, MetricUnit unit);

// "availability 99.97 % (95% CI 99.96 % .. 99.98 %) >= 99.95 %: pass"
std::string describe(const study::ExpectationResult& r);

// "precision target met: availability half-width 0.0001 <= 0.0002 after 64 replications"
std::string describe(const study::PrecisionOutcome& p);

}  // namespace nines::report
