// Failure biasing by uniformisation (sim/uniformised_biasing.h) against importance splitting
// (sim/splitting.h) on the Weibull-failure, lognormal-repair cases with exact values: time to +-10 %
// (95 % half-width) on 2 threads, the estimate, variance ratio against plain Monte Carlo; then the
// coverage of uniformisation's intervals over `seeds` seeds on the 2-of-4 (or, with "100" as the fifth
// argument, on the 100-unit case).
//   nines-uniformisation-speed [seeds=100] [case: 4 = the 2-of-4 only, 100 = the 100-unit case only] [replications of the first round=8] [failure bias p=0.2] [coverage case: 4 | 100]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "io/scenario_reader.h"
#include "sim/splitting.h"
#include "sim/uniformised_biasing.h"
#include "rare_event_cases.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Case {
    std::string name, yaml;
    double exact;
};

}  // namespace

int main(int argc, char** argv) {
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 100;
    const int only = argc > 2 ? std::atoi(argv[2]) : 0;
    const int round = argc > 3 ? std::atoi(argv[3]) : 8;
    const double bias = argc > 4 ? std::atof(argv[4]) : 0.2;
    const Case four{"weibull-lognormal 2-of-4", nines::test::kWeibullLognormal2of4, nines::test::weibull_lognormal_2of4_exact()};
    const Case hundred{"weibull-lognormal 20 x 3-of-5", nines::test::weibull_lognormal_100_units_yaml(),
                       nines::test::weibull_lognormal_100_units_exact()};

    std::printf("%-30s %-14s %11s %11s %11s %7s %6s %8s %12s %9s\n", "case (until +-10 %, 2 threads)", "method", "exact U", "estimate",
                "95% lo..hi", "+-", "reps", "seconds", "events", "var ratio");
    for (const Case* c : {&four, &hundred}) {
        if (only == 4 && c != &four) continue;
        if (only == 100 && c != &hundred) continue;
        const nines::Model m = nines::io::read_scenario_text(c->yaml, "case.yaml");
        nines::sim::UniformisedBiasingSettings u;
        u.horizon_h = 1.1e5;
        u.warmup_h = 1e4;
        u.replications = 8;
        u.target_relative_error = 0.1;
        u.max_replications = 4096;
        u.threads = 2;
        u.seed = 1;
        auto t0 = std::chrono::steady_clock::now();
        const nines::sim::UniformisedBiasingResult ru = nines::sim::estimate_by_uniformised_biasing(m, u);
        double sec = seconds_since(t0);
        std::printf("%-30s %-14s %11.4g %11.4g %5.3g..%5.3g %6.1f%% %6lld %8.2f %12lld %9.3g\n", c->name.c_str(), "uniformisation", c->exact,
                    ru.unavailability.mean, ru.unavailability.lower, ru.unavailability.upper, 100 * ru.unavailability.relative_error,
                    static_cast<long long>(ru.replications), sec, static_cast<long long>(ru.events), ru.variance_ratio);
        std::fflush(stdout);
        if (c == &hundred) continue;  // splitting does not finish it (README, "importance splitting")
        nines::sim::SplittingSettings s;
        s.horizon_h = 1.1e5;
        s.warmup_h = 1e4;
        s.replications = 8;
        s.target_relative_error = 0.1;
        s.max_replications = 256;
        s.threads = 2;
        s.seed = 1;
        t0 = std::chrono::steady_clock::now();
        const nines::sim::SplittingResult rs = nines::sim::estimate_by_splitting(m, s);
        sec = seconds_since(t0);
        std::printf("%-30s %-14s %11.4g %11.4g %5.3g..%5.3g %6.1f%% %6lld %8.2f %12lld %9.3g\n", c->name.c_str(), "splitting", c->exact,
                    rs.unavailability.mean, rs.unavailability.lower, rs.unavailability.upper, 100 * rs.unavailability.relative_error,
                    static_cast<long long>(rs.replications), sec, static_cast<long long>(rs.events), rs.variance_ratio);
        std::fflush(stdout);
    }
    if (only == 100 || seeds <= 0) return 0;
    // Coverage: each seed one estimate to +-10 %.
    const Case& covered_case = argc > 5 && std::atoi(argv[5]) == 100 ? hundred : four;
    const nines::Model m = nines::io::read_scenario_text(covered_case.yaml, "case.yaml");
    int covered = 0, below = 0, above = 0;
    double sum = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < seeds; ++k) {
        nines::sim::UniformisedBiasingSettings u;
        u.horizon_h = 1.1e5;
        u.warmup_h = 1e4;
        u.replications = round;
        u.failure_bias = bias;
        u.target_relative_error = 0.1;
        u.max_replications = 4096;
        u.threads = 2;
        u.seed = 1000 + static_cast<std::uint64_t>(k);
        const nines::sim::UniformisedBiasingResult r = nines::sim::estimate_by_uniformised_biasing(m, u);
        sum += r.unavailability.mean;
        if (r.unavailability.upper < covered_case.exact) {
            ++below;
        } else if (r.unavailability.lower > covered_case.exact) {
            ++above;
        } else {
            ++covered;
        }
    }
    std::printf("uniformisation coverage on the %s over %d seeds (each to +-10 %%, first round %d, doubling): %.1f %% (%d below, %d above), %.2f s per estimate; p = %.2f, mean of the estimates / exact = %.4f\n",
                covered_case.name.c_str(), seeds, round, 100.0 * covered / seeds, below, above, seconds_since(t0) / seeds, bias,
                sum / seeds / covered_case.exact);
    return 0;
}
