// Output of `nines sweep`: a table, CSV (one row per point) and JSON.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "study/sweep.h"

namespace nines::report {

std::string sweep_to_text(const study::SweepResults& s);
std::string sweep_to_csv(const study::SweepResults& s);
nlohmann::ordered_json sweep_to_json(const study::SweepResults& s);

}  // namespace nines::report
