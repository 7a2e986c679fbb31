// The human-readable results table printed by `nines run`.
#pragma once

#include <string>

#include "sim/results.h"

namespace nines::report {

// `extra` (already formatted lines, such as the cross-check) is printed after the main table.
std::string results_to_text(const sim::SimulationResults& r, const std::string& extra = "");
// The timing line ("events 12,345 in 0.5 s: 24.7 M events/s on 2 threads").
std::string timing_to_text(const sim::SimulationResults& r);

}  // namespace nines::report
