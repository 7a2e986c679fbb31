// Million-component benchmark (issue 14): N components as N/2 pairs in series (each pair a counted
// component of 2, 1-of-2; exponential MTTF 1000 h, MTTR 10 h; 1 y), the model scripts/million_model.py
// writes. Prints one line: the time to read the scenario (of which YAML parsing into io's document,
// yaml_document.h), to compile it for the kernel, the peak memory of this process (once read, and at
// the end), and events/s of the kernel against the loop hand-tuned for
// pairs in series (bench/hand_tuned_m.h, the same events and results), on one thread, CPU time.
// One size per process, so that the peak memory is that size's:   nines-bench-scale N [replications]
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "hand_tuned_m.h"
#include "io/scenario_reader.h"
#include "io/yaml_document.h"
#include "sim/kernel_model.h"
#include "sim/replication.h"
#include "sim/simulation.h"

namespace {

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::string pairs_yaml(long components, long replications) {
    std::string y = "name: pairs in series\ncomponents:\n";
    for (long p = 0; p < components / 2; ++p) {
        y += "  p" + std::to_string(p) + ": { count: 2, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n";
    }
    y += "system:\n  series:\n";
    for (long p = 0; p < components / 2; ++p) y += "    - { parallel: [p" + std::to_string(p) + "] }\n";
    y += "simulation: { horizon: 1y, replications: " + std::to_string(replications) + ", seed: 1 }\n";
    return y;
}

}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::atol(argv[1]) : 10000;
    const long reps = argc > 2 ? std::max(1L, std::atol(argv[2])) : 2;
    if (n < 2 || n % 2 != 0) {
        std::fprintf(stderr, "usage: nines-bench-scale N [replications]  (N even, >= 2)\n");
        return 2;
    }
    const std::string text = pairs_yaml(n, reps);

    double t0 = cpu_seconds();
    { const auto document = nines::io::YamlDocument::parse(text); }
    const double parse_s = cpu_seconds() - t0;
    t0 = cpu_seconds();
    const nines::Model model = nines::io::read_scenario_text(text, "pairs.yaml");
    const double read_s = cpu_seconds() - t0;
    rusage after_read{};
    getrusage(RUSAGE_SELF, &after_read);
    t0 = cpu_seconds();
    const nines::sim::KernelModel km(model, model.simulation);
    const double compile_s = cpu_seconds() - t0;

    nines::sim::Simulation simulation(km);
    nines::bench::HandTunedModelM hand(km);
    nines::sim::BlockAccumulator acc;
    acc.reset(km.graph.instance_count, km.component_count, km.grid_points, km.grid_cells,
              static_cast<int>(km.pool_crews.size()), km.cause_count + nines::sim::kCauseKinds);
    std::int64_t kernel_events = 0, hand_events = 0;
    double kernel_u = 0, hand_u = 0;
    t0 = cpu_seconds();
    for (long r = 0; r < reps; ++r) {
        const nines::sim::ReplicationOutcome o = simulation.run(static_cast<std::uint64_t>(r), acc);
        kernel_events += o.events;
        kernel_u += o.unavailability;
    }
    const double kernel_s = cpu_seconds() - t0;
    t0 = cpu_seconds();
    for (long r = 0; r < reps; ++r) hand_u += hand.run(static_cast<std::uint64_t>(r), &hand_events);
    const double hand_s = cpu_seconds() - t0;

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double kernel_rate = static_cast<double>(kernel_events) / kernel_s;
    const double hand_rate = static_cast<double>(hand_events) / hand_s;
    std::printf("%9ld components: read %6.2f s (YAML %5.2f s), compile %5.2f s, peak %6.0f MB (read %6.0f MB); "
                "%5.2f M events/s, hand-tuned %5.2f M events/s: ratio %.2f%s\n",
                n, read_s, parse_s, compile_s, static_cast<double>(usage.ru_maxrss) / 1024.0,
                static_cast<double>(after_read.ru_maxrss) / 1024.0, kernel_rate / 1e6,
                hand_rate / 1e6, kernel_rate / hand_rate,
                kernel_events == hand_events && kernel_u == hand_u ? "" : "  MISMATCH: not the same events or results");
    return 0;
}
