// Coverage of the 95 % intervals of importance splitting (sim/splitting.h) over many seeds, against
// exact values computed here: a Weibull-failure, lognormal-repair 2-of-4 with independent repair
// (alternating renewal: U = P(at least 3 of 4 down), q = MTTR / (MTTF + MTTR)), and an exponential
// 3-of-5 with one crew (birth-death chain).
//   nines-splitting-coverage [seeds=200] [csv file] [replications per estimate=10]
// One line per case: coverage, misses below / above, median relative error and time per estimate;
// with a csv file, one row per seed (for scripts/splitting_coverage.py's figure).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/scenario_reader.h"
#include "sim/splitting.h"
#include "rare_event_cases.h"

namespace {

struct Case {
    std::string name;
    std::string yaml;
    double exact;
    double horizon_h;
    double warmup_h;  // the run starts all new: Weibull units age into their steady state first
};

}  // namespace

int main(int argc, char** argv) {
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 200;
    std::FILE* csv = argc > 2 && argv[2][0] ? std::fopen(argv[2], "w") : nullptr;
    const std::int64_t replications = argc > 3 ? std::atoll(argv[3]) : 10;
    if (csv) std::fprintf(csv, "case,seed,exact,estimate,lower,upper,relative_error,events,seconds\n");
    const std::vector<Case> cases = {
        {"weibull-lognormal-2of4", nines::test::kWeibullLognormal2of4, nines::test::weibull_lognormal_2of4_exact(), 1.1e5, 1e4},
        {"exponential-3of5-one-crew", nines::test::kofn_yaml(5, 3, 1000, 1), nines::test::kofn_birth_death(5, 3, 1e-3, 1.0, 1).unavailability,
         1e5, 0},
    };
    std::printf("%lld replications per estimate\n", static_cast<long long>(replications));
    std::printf("%-28s %8s %12s %9s %7s %7s %10s %9s\n", "case", "seeds", "exact U", "coverage", "below", "above", "median re", "median s");
    for (const Case& c : cases) {
        const nines::Model model = nines::io::read_scenario_text(c.yaml, c.name + ".yaml");
        int covered = 0, below = 0, above = 0;
        std::vector<double> rel, secs;
        for (int seed = 1; seed <= seeds; ++seed) {
            nines::sim::SplittingSettings s;
            s.horizon_h = c.horizon_h;
            s.warmup_h = c.warmup_h;
            s.replications = replications;
            s.seed = static_cast<std::uint64_t>(seed);
            s.threads = 2;
            const auto t0 = std::chrono::steady_clock::now();
            const nines::sim::SplittingResult r = nines::sim::estimate_by_splitting(model, s);
            const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            const nines::sim::ReplicatedInterval& u = r.unavailability;
            if (c.exact < u.lower) {
                ++below;  // the interval lies above the truth
            } else if (c.exact > u.upper) {
                ++above;
            } else {
                ++covered;
            }
            rel.push_back(u.relative_error);
            secs.push_back(sec);
            if (csv) {
                std::fprintf(csv, "%s,%d,%.10g,%.10g,%.10g,%.10g,%.6g,%lld,%.4g\n", c.name.c_str(), seed, c.exact, u.mean, u.lower,
                             u.upper, u.relative_error, static_cast<long long>(r.events), sec);
            }
        }
        std::sort(rel.begin(), rel.end());
        std::sort(secs.begin(), secs.end());
        std::printf("%-28s %8d %12.5g %8.1f%% %7d %7d %9.1f%% %9.2f\n", c.name.c_str(), seeds, c.exact, 100.0 * covered / seeds,
                    below, above, 100 * rel[rel.size() / 2], secs[secs.size() / 2]);
        std::fflush(stdout);
    }
    if (csv) std::fclose(csv);
    return 0;
}
