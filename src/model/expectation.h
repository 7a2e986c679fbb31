// An expectation written in a scenario ("availability >= 99.95%"): plain data, checked by the study layer.
#pragma once

#include <optional>
#include <string>

#include "model/error.h"

namespace nines {

enum class Comparison { AtLeast, AtMost, Above, Below };  // >=, <=, >, <

// What kind of number a metric is, which decides how its threshold is read and printed.
enum class MetricUnit { Probability, Duration, Number, Verdict };

struct Expectation {
    std::string text;            // as written
    std::string metric;          // canonical name: "availability", "downtime_per_year.p95", "reliability", "component.failures_per_year", "crosscheck"
    std::string component;       // for component.<name>.<metric>
    std::string window;          // for slo_breach[W], window_downtime[W]...: the SLO window's label
    std::string cause;           // for downtime_per_year[CAUSE], outages_per_year[CAUSE]: "change", "change:deploys"
    std::optional<double> at_h;  // for reliability(T)
    Comparison comparison = Comparison::AtLeast;
    double threshold = 0;        // in the metric's unit (hours for durations, fraction for probabilities)
    MetricUnit unit = MetricUnit::Number;
    SourceLocation location;
};

const char* to_string(Comparison c);

}  // namespace nines
