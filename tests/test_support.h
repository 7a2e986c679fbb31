// Helpers shared by the tests: run a scenario given as YAML text, and statistical checks whose
// tolerance comes from the run's own standard error.
#pragma once

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "sim/runner.h"

namespace nines::test {

// Writes `text` to a file named nines_test_NAME in the temporary directory; returns its path.
inline std::string write_temp(const std::string& name, const std::string& text) {
    const std::filesystem::path p = std::filesystem::temp_directory_path() / ("nines_test_" + name);
    std::ofstream(p) << text;
    return p.string();
}

inline sim::SimulationResults run_yaml(const std::string& yaml, int threads = 0) {
    const Model model = io::read_scenario_text(yaml, "test.yaml");
    sim::RunOptions options;
    options.settings = model.simulation;
    options.settings.threads = threads;
    return sim::run_simulation(model, options);
}

// Number of standard errors between the estimate and the exact value.
inline double z_score(const sim::Estimate& e, double exact) { return (e.mean - exact) / e.std_error; }

// The estimate agrees with the exact value within 4 standard errors, and (to show the check has
// power) a deliberately wrong value, `wrong`, lies more than 4 standard errors away.
inline void check_agrees(const sim::Estimate& e, double exact, double wrong, const std::string& what) {
    INFO(what << ": estimate " << e.mean << " +- " << e.std_error << " (SE), exact " << exact << ", z = "
              << z_score(e, exact) << "; wrong model " << wrong << ", z = " << z_score(e, wrong));
    REQUIRE(e.has_ci);
    REQUIRE(e.std_error > 0);
    CHECK(std::fabs(z_score(e, exact)) < 4.0);
    CHECK(std::fabs(z_score(e, wrong)) > 4.0);
}

}  // namespace nines::test
