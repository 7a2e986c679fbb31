// Formatting of analytic results and of the cross-check: text for the terminal, JSON for machines.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analytic/analysis.h"
#include "analytic/crosscheck.h"

namespace nines::report {

std::string analytic_to_text(const analytic::AnalyticResults& r, const std::string& title, int max_rows = 10);
// `importance` (one row per instance) is written only with per_instance (null otherwise);
// `component_importance` (one row per component) always.
nlohmann::ordered_json analytic_to_json(const analytic::AnalyticResults& r, const std::string& name,
                                        const std::string& file, bool per_instance = false);

std::string crosscheck_to_text(const analytic::CrossCheck& c);
nlohmann::ordered_json crosscheck_to_json(const analytic::CrossCheck& c);

}  // namespace nines::report
