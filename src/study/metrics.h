// Every reported metric an expectation can name, with its 95% interval, read off the results.
#pragma once

#include <string>

#include "analytic/crosscheck.h"
#include "model/expectation.h"
#include "model/metric_registry.h"
#include "sim/results.h"

namespace nines::study {

// Why a run cannot measure a metric (report/check_wording.h words it).
enum class Unmeasurable {
    None,
    NoWholeYear,               // horizon - warmup < 1 y: no per-year sample
    NoCompletedOutage,
    OutagesOpenAtHorizon,      // too many outages still open at the horizon to reach the percentile
    UnknownMetric,
    NoSuchComponent,           // Expectation::component names no component
    ReliabilityNeedsTime,
    ReliabilityBeyondHorizon,
    CrosscheckIsVerdict,       // the cross-check is a verdict, not a measured value
    NoSuchWindow,              // Expectation::window names no SLO of the run
    NoWindowInRun,             // no window of that kind (or no whole year) inside [warmup, horizon]
    NoFailoverGroup,           // a failover figure of a model without failover groups
    NoSuchCause,               // Expectation::cause names no downtime cause of the run
};

struct MetricValue {
    sim::Estimate estimate;      // has_ci false: a point value only (verdicts then compare the point)
    bool point_only = false;     // by nature without an interval (a maximum, a share)
    bool lower_bound = false;    // the true value may be higher (MTTF with censored replications)
    bool measurable = true;      // false: the run cannot measure it (the reason is `unmeasurable`)
    Unmeasurable unmeasurable = Unmeasurable::None;
};

MetricValue measure(const Expectation& e, const sim::SimulationResults& r);

// A system metric that needs no argument (every headline metric): measure() of an expectation naming it.
MetricValue measure(MetricId id, const sim::SimulationResults& r);

// Distribution-free 95% interval for the p-quantile of a sample, from order statistics.
sim::Estimate quantile_estimate(std::vector<double> samples, double p);

}  // namespace nines::study
