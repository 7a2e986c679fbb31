// Kernel throughput benchmark: events per second on one thread and on all threads.
//   model M: 50 pairs in series, each pair 1-of-2, exponential MTTF 1000 h / MTTR 10 h, horizon 10 y.
//   model L: 10,000 components (2,500 groups of 2-of-4 in series).
// Also checks that model M's availability lies within its CI of the exact (1-(1-a)^2)^50, and times
// the kernel against a loop hand-tuned for model M alone (hand_tuned_m.h): the ratio of their CPU times
// on the same events is the price of the kernel's generality (goal: at most 1.2).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <ctime>
#include <thread>

#include "hand_tuned_m.h"
#include "io/scenario_reader.h"
#include "sim/kernel_model.h"
#include "sim/runner.h"
#include "sim/simulation.h"

namespace {

std::string model_m_yaml(std::int64_t replications) {
    std::string y = "name: model M\ncomponents:\n";
    for (int p = 0; p < 50; ++p) {
        y += "  p" + std::to_string(p) + ": { count: 2, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n";
    }
    y += "system:\n  series:\n";
    for (int p = 0; p < 50; ++p) y += "    - { parallel: [p" + std::to_string(p) + "] }\n";
    y += "simulation: { horizon: 10y, replications: " + std::to_string(replications) + ", seed: 1 }\n";
    return y;
}

std::string model_l_yaml(std::int64_t replications) {
    std::string y = "name: model L (10,000 components)\ncomponents:\n";
    for (int g = 0; g < 2500; ++g) {
        y += "  g" + std::to_string(g) + ": { count: 4, failure: { mttf: 1000h }, repair: { mttr: 10h } }\n";
    }
    y += "system:\n  series:\n";
    for (int g = 0; g < 2500; ++g) y += "    - { k_of_n: { k: 2, of: g" + std::to_string(g) + " } }\n";
    y += "simulation: { horizon: 1y, replications: " + std::to_string(replications) + ", seed: 1 }\n";
    return y;
}

nines::sim::SimulationResults best_of(const nines::Model& model, int threads, int repeats) {
    nines::sim::RunOptions options;
    options.settings = model.simulation;
    options.settings.threads = threads;
    nines::sim::SimulationResults best;
    for (int i = 0; i < repeats; ++i) {
        nines::sim::SimulationResults r = nines::sim::run_simulation(model, options);
        if (i == 0 || r.events_per_second > best.events_per_second) best = std::move(r);
    }
    return best;
}

void report(const char* label, const nines::sim::SimulationResults& r) {
    std::printf("  %-34s %6.2f M events/s  (%lld events, %.3f s, %d thread%s)\n", label, r.events_per_second / 1e6,
                static_cast<long long>(r.events), r.wall_seconds, r.threads, r.threads == 1 ? "" : "s");
}

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// The kernel (Simulation::run) and the hand-tuned loop on the same replications of model M, on this
// thread, alternated `rounds` times; the best CPU time of each. They must see the same events and the
// same unavailability (a check that the comparison is like for like).
void kernel_against_hand_tuned(const nines::Model& m, int rounds) {
    const nines::sim::KernelModel km(m, m.simulation);
    nines::sim::Simulation simulation(km);
    nines::bench::HandTunedModelM hand(km);
    nines::sim::BlockAccumulator acc;
    const std::int64_t reps = m.simulation.replications;
    double best_kernel = 1e300, best_hand = 1e300;
    std::int64_t kernel_events = 0, hand_events = 0;
    double kernel_u = 0, hand_u = 0;
    for (int r = 0; r < rounds; ++r) {
        acc.reset(km.graph.instance_count, km.component_count, km.grid_points, km.grid_cells, static_cast<int>(km.pool_crews.size()), km.cause_count + nines::sim::kCauseKinds);
        kernel_events = 0;
        kernel_u = 0;
        double t0 = thread_cpu_seconds();
        for (std::int64_t k = 0; k < reps; ++k) {
            const nines::sim::ReplicationOutcome o = simulation.run(static_cast<std::uint64_t>(k), acc);
            kernel_events += o.events;
            kernel_u += o.unavailability;
        }
        best_kernel = std::min(best_kernel, thread_cpu_seconds() - t0);
        hand_events = 0;
        hand_u = 0;
        t0 = thread_cpu_seconds();
        for (std::int64_t k = 0; k < reps; ++k) hand_u += hand.run(static_cast<std::uint64_t>(k), &hand_events);
        best_hand = std::min(best_hand, thread_cpu_seconds() - t0);
    }
    std::printf("model M: kernel against a loop hand-tuned for model M (same events, CPU time, best of %d)\n", rounds);
    std::printf("  kernel %.3f s, hand-tuned %.3f s: ratio %.2f (goal <= 1.20)%s\n", best_kernel, best_hand,
                best_kernel / best_hand,
                kernel_events == hand_events && kernel_u == hand_u ? "" : "  MISMATCH: not the same events or results");
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t scale = argc > 1 ? std::max(1L, std::atol(argv[1])) : 1;
    const int all = nines::sim::resolve_threads(0);
    std::printf("nines kernel benchmark (%d hardware threads)\n", all);

    const nines::Model m = nines::io::read_scenario_text(model_m_yaml(400 * scale), "model-M");
    const auto m1 = best_of(m, 1, 5);
    const auto mn = best_of(m, all, 5);
    std::printf("model M: 100 components, 50 x (1 of 2) in series, 10 y, %lld replications\n",
                static_cast<long long>(m.simulation.replications));
    report("one thread", m1);
    report("all threads", mn);
    std::printf("  scaling: %.2fx on %d threads\n", mn.events_per_second / m1.events_per_second, all);
    const double a = 1000.0 / 1010.0;
    const double exact = std::pow(1 - (1 - a) * (1 - a), 50);
    const double z = (m1.availability.mean - exact) / m1.availability.std_error;
    std::printf("  availability %.7f, 95%% CI [%.7f, %.7f]; exact %.7f; z = %.2f: %s\n", m1.availability.mean,
                m1.availability.lo, m1.availability.hi, exact, z,
                (exact >= m1.availability.lo && exact <= m1.availability.hi) ? "inside the CI" : "OUTSIDE the CI");

    kernel_against_hand_tuned(m, 7);

    // The same model with one global crew pool (every repair needs the single crew).
    std::string crew_yaml = model_m_yaml(400 * scale);
    crew_yaml += "repair: { crews: 1 }\n";
    const nines::Model mc = nines::io::read_scenario_text(crew_yaml, "model-M-crew");
    const auto c1 = best_of(mc, 1, 3);
    std::printf("model M with one global repair crew\n");
    report("one thread", c1);
    std::printf("  availability %.7f (one crew) against %.7f (unlimited crews)\n", c1.availability.mean, m1.availability.mean);

    const nines::Model l = nines::io::read_scenario_text(model_l_yaml(8 * scale), "model-L");
    const auto l1 = best_of(l, 1, 2);
    const auto ln = best_of(l, all, 2);
    std::printf("model L: 10,000 components, 2,500 x (2 of 4) in series, 1 y, %lld replications\n",
                static_cast<long long>(l.simulation.replications));
    report("one thread", l1);
    report("all threads", ln);
    return 0;
}
