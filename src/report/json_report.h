// The JSON layout of results (documented in the README, "JSON results"). Stable: CI baselines and
// notebooks read it. Everything except the "timing" object is identical for the same scenario and seed.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "sim/results.h"
#include "study/cost.h"
#include "study/study.h"

namespace nines::report {

inline constexpr int kJsonFormatVersion = 1;

// A number, or null when it is not finite (JSON has no infinity).
nlohmann::ordered_json json_number(double v);

nlohmann::ordered_json results_to_json(const sim::SimulationResults& r);
// The same without the "timing" object: what reproducibility is judged on.
nlohmann::ordered_json results_to_json_without_timing(const sim::SimulationResults& r);

// The whole document of `nines run --json`, and what the Python module's nines.run() returns: the
// results, the cross-check, the precision reached, the expected cost and the expectations, with
// "timing" last (the only part that differs between runs of the same scenario and seed). Both
// front-ends call this one builder, so they cannot drift apart.
nlohmann::ordered_json run_to_json(const study::StudyResults& study, const study::CostEstimate& cost);
// The operations part of a cost ({"crews", "spares", "logistics", "total"} per year), for `cost_per_year`
// objects; only written when the scenario prices an operation (other outputs keep their layout).
nlohmann::ordered_json operations_cost_to_json(const study::CostEstimate& cost);
// Its text as written to a file: indented by 2, ending in a newline.
std::string run_to_json_text(const study::StudyResults& study, const study::CostEstimate& cost);
// The same text handed to `sink` in pieces, the per-component tables row by row: at a million
// components the tree of run_to_json would take several GB, the text alone about 400 MB.
void write_run_json(const study::StudyResults& study, const study::CostEstimate& cost,
                    const std::function<void(const std::string&)>& sink);

}  // namespace nines::report
