// The rare-event benchmark (issue 13): the 36 k-out-of-n systems with repair of
// shared/benchmarks/rare-events/kofn_repair_exact.json, each estimated to a 10 % relative error by
// importance sampling (both biasings), against the exact unavailability; and the coverage of the 95 %
// intervals over many seeds. One JSON object per line on stdout; scripts/rare_events.py makes the tables.
//
//   nines-bench-rare FILE [--threads 2] [--biasing balanced|distance|both] [--seed 1]
//   nines-bench-rare FILE --coverage 21,27,2 --seeds 200 [--biasing ...] [--per-seed]   (case indices, 0-based)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/scenario_reader.h"
#include "study/importance_sampling.h"
#include "study/method_selection.h"

using namespace nines;
using json = nlohmann::json;

namespace {

struct Case {
    int n = 0, k = 0, crews = 0;
    double lam = 0, mu = 0, u = 0, frequency = 0, mdt = 0;
};

std::string scenario(const Case& c) {
    std::ostringstream y;
    y.precision(17);
    y << "components:\n  u: { count: " << c.n << ", failure: { mttf: " << 1.0 / c.lam << "h }, repair: { mttr: " << 1.0 / c.mu
      << "h } }\nsystem: { k_of_n: { k: " << c.k << ", of: [u] } }\nrepair: { crews: " << c.crews << " }\n";
    return y.str();
}

json run(const Case& c, study::FailureBiasing biasing, int threads, std::uint64_t seed, double target) {
    const Model model = io::read_scenario_text(scenario(c), "kofn.yaml");
    study::ImportanceSettings s;
    s.biasing = biasing;
    s.threads = threads;
    s.seed = seed;
    s.cycles = study::kFirstAcceleratedCycles;
    s.target_relative_error = target;
    const sim::RareEventEstimate r = study::estimate_unavailability_by_importance(model, s);
    // Plain Monte Carlo's time to the same target, extrapolated from its variance: the work ratio
    // times this run's time, scaled from the relative error reached to the target.
    const double scale = (r.relative_error / target) * (r.relative_error / target);
    return {{"n", c.n},
            {"k", c.k},
            {"crews", c.crews},
            {"lam", c.lam},
            {"exact", c.u},
            {"biasing", study::failure_biasing_name(biasing)},
            {"seed", seed},
            {"estimate", r.unavailability.mean},
            {"lo", r.unavailability.lo},
            {"hi", r.unavailability.hi},
            {"covers", r.unavailability.lo <= c.u && c.u <= r.unavailability.hi},
            {"relative_error", r.relative_error},
            {"target_reached", r.target_reached},
            {"cycles", r.cycles},
            {"transitions", r.transitions},
            {"wall_s", r.wall_seconds},
            {"variance_ratio", r.variance_ratio},
            {"plain_wall_s_extrapolated", r.wall_seconds * r.variance_ratio * scale},
            {"frequency_exact", c.frequency},
            {"frequency", r.failures_per_year.mean / 8760},
            {"frequency_covers", r.failures_per_year.lo / 8760 <= c.frequency && c.frequency <= r.failures_per_year.hi / 8760},
            {"mdt_exact", c.mdt},
            {"mdt", r.mean_down_h.mean},
            {"mdt_lo", r.mean_down_h.lo},
            {"mdt_hi", r.mean_down_h.hi},
            {"mdt_covers", r.mean_down_h.lo <= c.mdt && c.mdt <= r.mean_down_h.hi},
            {"largest_share", r.likelihood_ratio ? r.likelihood_ratio->largest_share : 0.0},
            {"warnings", r.warnings}};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: nines-bench-rare kofn_repair_exact.json [--threads N] [--biasing balanced|distance|both] "
                     "[--coverage i,j,k --seeds N] [--target 0.1]\n";
        return 2;
    }
    int threads = 2, seeds = 200;
    bool per_seed = false;  // --per-seed: also print every seed's run (to study the spread of the estimates)
    std::uint64_t table_seed = 1;  // --seed: the seed of every run of the table
    double target = 0.10;
    std::string biasing_arg = "both";
    std::vector<int> coverage;
    for (int a = 2; a < argc; ++a) {
        const std::string arg = argv[a];
        const std::string value = a + 1 < argc ? argv[a + 1] : "";
        if (arg == "--threads") threads = std::stoi(value), ++a;
        else if (arg == "--seeds") seeds = std::stoi(value), ++a;
        else if (arg == "--target") target = std::stod(value), ++a;
        else if (arg == "--biasing") biasing_arg = value, ++a;
        else if (arg == "--per-seed") per_seed = true;
        else if (arg == "--seed") table_seed = std::stoull(value), ++a;
        else if (arg == "--coverage") {
            std::stringstream list(value);
            for (std::string item; std::getline(list, item, ',');) coverage.push_back(std::stoi(item));
            ++a;
        } else {
            std::cerr << "unknown argument " << arg << "\n";
            return 2;
        }
    }
    std::ifstream in(argv[1]);
    const json cases_json = json::parse(in);
    std::vector<Case> cases;
    for (const json& j : cases_json) {
        Case c;
        c.n = j["n"];
        c.k = j["k"];
        c.crews = j["crews"];
        c.lam = std::stod(j["lam"].get<std::string>());
        c.mu = j["mu"].get<double>();
        c.u = j["U"];
        c.frequency = j["failure_frequency"];
        c.mdt = j["MDT"];
        cases.push_back(c);
    }
    std::vector<study::FailureBiasing> biasings;
    if (biasing_arg != "distance") biasings.push_back(study::FailureBiasing::Balanced);
    if (biasing_arg != "balanced") biasings.push_back(study::FailureBiasing::Distance);
    if (coverage.empty()) {
        for (std::size_t i = 0; i < cases.size(); ++i) {
            for (auto b : biasings) {
                json line = run(cases[i], b, threads, table_seed, target);
                line["case"] = i;
                std::cout << line.dump() << std::endl;
            }
        }
        return 0;
    }
    for (int i : coverage) {
        for (auto b : biasings) {
            int covered = 0, frequency_covered = 0, mdt_covered = 0;
            double wall = 0;
            for (int seed = 1; seed <= seeds; ++seed) {
                const json line = run(cases.at(static_cast<std::size_t>(i)), b, threads, static_cast<std::uint64_t>(seed), target);
                covered += line["covers"].get<bool>() ? 1 : 0;
                frequency_covered += line["frequency_covers"].get<bool>() ? 1 : 0;
                mdt_covered += line["mdt_covers"].get<bool>() ? 1 : 0;
                wall += line["wall_s"].get<double>();
                if (per_seed) std::cout << line.dump() << std::endl;
            }
            json out = {{"case", i},          {"n", cases[static_cast<std::size_t>(i)].n},
                        {"k", cases[static_cast<std::size_t>(i)].k}, {"crews", cases[static_cast<std::size_t>(i)].crews},
                        {"lam", cases[static_cast<std::size_t>(i)].lam}, {"exact", cases[static_cast<std::size_t>(i)].u},
                        {"biasing", study::failure_biasing_name(b)}, {"seeds", seeds},
                        {"covered", covered},    {"coverage", static_cast<double>(covered) / seeds},
                        {"frequency_covered", frequency_covered}, {"mdt_covered", mdt_covered},
                        {"wall_s", wall}};
            std::cout << out.dump() << std::endl;
        }
    }
    return 0;
}
