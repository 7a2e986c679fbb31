#include "shard/step_plan.h"

#include <algorithm>
#include <cstdio>

#include "io/text_file.h"

namespace nines::shard {

std::vector<StepRange> planned_steps(const SimulationSettings& settings) {
    // Mirrors run_study: extend to `replications`, then double (capped) while below max_replications.
    std::vector<StepRange> steps{{0, settings.replications}};
    if (settings.precision) {
        std::int64_t done = settings.replications;
        while (done < settings.precision->max_replications) {
            const std::int64_t next = std::min(2 * done, settings.precision->max_replications);
            steps.push_back({done, next});
            done = next;
        }
    }
    return steps;
}

std::string scenario_hash(const std::string& scenario_file) {
    const std::string bytes = io::read_text_file(scenario_file, SourceLocation{scenario_file, 0, 0}, "the scenario file");
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string describe_precision(const SimulationSettings& settings) {
    if (!settings.precision) return "";
    const PrecisionTarget& p = *settings.precision;
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s half-width %.17g, at most %lld replications", p.metric.c_str(), p.half_width,
                  static_cast<long long>(p.max_replications));
    return buf;
}

}  // namespace nines::shard
