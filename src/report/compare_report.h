// Output of `nines compare`: the designs side by side and each difference with its interval.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "study/compare.h"

namespace nines::report {

std::string compare_to_text(const study::CompareResults& c);
nlohmann::ordered_json compare_to_json(const study::CompareResults& c);

}  // namespace nines::report
