// The human-readable results table printed by `nines run`.
#pragma once

#include <string>
#include <vector>

#include "model/metric_registry.h"
#include "sim/results.h"
#include "study/metrics.h"

namespace nines::report {

// `extra` (already formatted lines, such as the cross-check) is printed after the main table.
std::string results_to_text(const sim::SimulationResults& r, const std::string& extra = "");
// The components ranked by their share of system downtime, largest first (model order among equals).
std::vector<const sim::ComponentResult*> components_by_downtime_share(const sim::SimulationResults& r);
// The timing line ("events 12,345 in 0.5 s: 24.7 M events/s on 2 threads").
std::string timing_to_text(const sim::SimulationResults& r);

// A metric's value as a table cell (the sweep and compare tables): availability as a percentage with
// the digits its interval supports, durations as durations, other values to 3 significant digits;
// "n/a" when the run cannot measure it (no completed outage, no system failure).
std::string metric_cell(const MetricSpec& spec, const study::MetricValue& value);

}  // namespace nines::report
