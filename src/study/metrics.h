// Every reported metric an expectation can name, with its 95% interval, read off the results.
#pragma once

#include <string>

#include "analytic/crosscheck.h"
#include "model/expectation.h"
#include "sim/results.h"

namespace nines::study {

struct MetricValue {
    sim::Estimate estimate;      // has_ci false: a point value only (verdicts then compare the point)
    bool point_only = false;     // by nature without an interval (a maximum, a share)
    bool lower_bound = false;    // the true value may be higher (MTTF with censored replications)
    bool measurable = true;      // false: the run cannot measure it (the reason is in `note`)
    std::string note;
};

MetricValue measure(const Expectation& e, const sim::SimulationResults& r);

// Distribution-free 95% interval for the p-quantile of a sample, from order statistics.
sim::Estimate quantile_estimate(std::vector<double> samples, double p);

}  // namespace nines::study
