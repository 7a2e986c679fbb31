// How an accelerated (rare-event) estimate is shown: its block in `nines run` text, and the
// "rare_event" object of the JSON results.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/rare_event_result.h"

namespace nines::report {

// Indented lines for the text report: method and why, cycles, relative error against the target,
// the work-normalised variance ratio, the likelihood-ratio diagnostics, and any warning.
std::string rare_event_to_text(const sim::RareEventEstimate& r);
// Everything except the wall time (which goes with the other timing).
nlohmann::ordered_json rare_event_to_json(const sim::RareEventEstimate& r);

}  // namespace nines::report
