// Output of `nines check` (and the expectations part of `nines run`): a text table, JUnit XML for CI
// systems, and JSON.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "study/study.h"

namespace nines::report {

// One scenario file as `check` saw it: its study, or the input error that stopped it.
struct CheckedScenario {
    std::string file;
    std::string name;
    bool input_error = false;
    std::string error;                 // the one-line message when input_error
    study::StudyResults study;
    double seconds = 0;
};

std::string expectations_to_text(const std::vector<study::ExpectationResult>& results, bool strict);
std::string check_summary_to_text(const std::vector<CheckedScenario>& scenarios, bool strict);  // table + totals
std::string check_totals_to_text(const std::vector<CheckedScenario>& scenarios, bool strict);   // the last line

std::string check_to_junit(const std::vector<CheckedScenario>& scenarios, bool strict);
nlohmann::ordered_json check_to_json(const std::vector<CheckedScenario>& scenarios, bool strict);
nlohmann::ordered_json expectations_to_json(const std::vector<study::ExpectationResult>& results);

}  // namespace nines::report
