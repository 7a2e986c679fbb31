// The JSON layout of results (documented in the README, "JSON results"). Stable: CI baselines and
// notebooks read it. Everything except the "timing" object is identical for the same scenario and seed.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/results.h"

namespace nines::report {

inline constexpr int kJsonFormatVersion = 1;

// A number, or null when it is not finite (JSON has no infinity).
nlohmann::ordered_json json_number(double v);

nlohmann::ordered_json results_to_json(const sim::SimulationResults& r);
// The same without the "timing" object: what reproducibility is judged on.
nlohmann::ordered_json results_to_json_without_timing(const sim::SimulationResults& r);

}  // namespace nines::report
