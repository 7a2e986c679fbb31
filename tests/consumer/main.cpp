// Reads a scenario, runs a number of replications on one thread through the library API and prints
// the availability: "availability <mean> over <n> replications". The mean is printed as the CLI's
// JSON prints it, so the test can compare the two exactly.
#include <cstdio>
#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "io/scenario_reader.h"
#include "model/error.h"
#include "model/model.h"
#include "sim/results.h"
#include "sim/runner.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s SCENARIO REPLICATIONS\n", argv[0]);
        return 2;
    }
    try {
        const nines::Model model = nines::io::read_scenario_file(argv[1]);
        nines::sim::RunOptions options;
        options.settings = model.simulation;
        options.settings.replications = std::stoll(argv[2]);
        options.settings.threads = 1;
        const nines::sim::SimulationResults results = nines::sim::run_simulation(model, options);
        std::printf("availability %s over %lld replications\n", nlohmann::json(results.availability.mean).dump().c_str(),
                    static_cast<long long>(results.replications));
        return 0;
    } catch (const nines::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
