// Parses the `expect:` lines of a scenario: "metric op value", for example
//   availability >= 99.95%        downtime_per_year.p95 <= 6h      reliability(1y) >= 90%
//   component.db.failures_per_year <= 2                             crosscheck
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "io/yaml_support.h"
#include "model/expectation.h"

namespace nines::io {

// `component_names` lets component metrics be checked against the model.
std::vector<Expectation> read_expectations(const YamlReader& yaml, const YamlNode& node,
                                           const std::vector<std::string>& component_names);

// The metric names an expectation may use (for help and did-you-mean).
const std::vector<std::string>& expectation_metric_names();

}  // namespace nines::io
