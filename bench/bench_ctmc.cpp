// Markov chain benchmark: time against the state count, up to 10^6 states. Each model has `classes`
// classes of 9 identical units (a 7-of-9 per class, in series); each class has its own crew, so
// the lumped chain has 10^classes states; the last rows share two crews among all classes (the
// queue order then matters: many more states per unit). Prints, per model and solver: states,
// nonzeros, solver, iterations, build (exploration) and solve times, wall clock and CPU (the process's
// CPU time: on a shared machine the wall clock also counts other jobs), relative residual and the
// unavailability.
// Usage: nines-bench-ctmc [max states, default 1000000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "analytic/ctmc.h"
#include "analytic/ctmc_builder.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"

namespace {

std::string model_yaml(int classes, bool shared_crews) {
    std::string y = "components:\n";
    for (int c = 0; c < classes; ++c) {
        y += fmt::format("  u{}: {{ count: 9, failure: {{ mttf: {}h }}, repair: {{ mttr: {}h }}, crew: {} }}\n", c,
                         1000 + 100 * c, 10 + c, shared_crews ? "shop" : "c" + std::to_string(c));
    }
    y += "repair: { pools: {";
    if (shared_crews) {
        y += " shop: { crews: 2 }";
    } else {
        for (int c = 0; c < classes; ++c) y += fmt::format("{} c{}: {{ crews: 1 }}", c ? "," : "", c);
    }
    y += " } }\nsystem: { series: [";
    for (int c = 0; c < classes; ++c) y += fmt::format("{} {{ k_of_n: {{ k: 7, of: u{} }} }}", c ? "," : "", c);
    return y + " ] }\n";
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double cpu_seconds_since(std::clock_t c0) { return static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
    const double max_states = argc > 1 ? std::atof(argv[1]) : 1e6;
    std::printf("%-22s %9s %10s %-28s %6s %8s %9s %8s %9s %9s %14s\n", "model", "states", "nonzeros", "solver", "iter",
                "build s", "build cpu", "solve s", "solve cpu", "residual", "unavailability");
    struct Row {
        int classes;
        bool shared;
    };
    for (const Row row : {Row{2, false}, Row{3, false}, Row{4, false}, Row{5, false}, Row{6, false}, Row{2, true},
                          Row{3, true}}) {
        const nines::Model m = nines::io::read_scenario_text(model_yaml(row.classes, row.shared), "bench");
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        nines::analytic::ChainOptions options;
        options.max_states = static_cast<std::size_t>(max_states);
        nines::analytic::BuiltChain built = [&] {
            try {
                return nines::analytic::build_chain(m, nines::StructureGraph::compile(m), options);
            } catch (const std::exception& e) {
                std::printf("%d classes%s: %s\n", row.classes, row.shared ? ", shared" : "", e.what());
                return nines::analytic::BuiltChain{nines::analytic::Ctmc(1, {}, {1}, 0), {}, {}};
            }
        }();
        if (built.chain.states() == 1) continue;
        const double build_s = seconds_since(t0), build_cpu = cpu_seconds_since(c0);
        for (nines::analytic::CtmcSolver solver : {nines::analytic::CtmcSolver::Direct, nines::analytic::CtmcSolver::Iterative}) {
            // The sparse LU's fill-in grows fast: beyond 20,000 states it is not tried (minutes).
            if (solver == nines::analytic::CtmcSolver::Direct && built.chain.states() > 20000) continue;
            nines::analytic::Ctmc chain = built.chain;
            chain.set_solver(solver);
            const auto t1 = std::chrono::steady_clock::now();
            const std::clock_t c1 = std::clock();
            const double q = chain.steady_unavailability();
            const double solve_s = seconds_since(t1), solve_cpu = cpu_seconds_since(c1);
            const nines::analytic::SolveReport& r = chain.last_solve();
            const std::string name = fmt::format("{} x 9 units, {}", row.classes, row.shared ? "2 shared crews" : "crew each");
            std::printf("%-22s %9d %10zu %-28s %6d %8.2f %9.2f %8.2f %9.2f %9.1e %14.6e\n", name.c_str(), chain.states(),
                        r.nonzeros, r.solver.c_str(), r.iterations, build_s, build_cpu, solve_s, solve_cpu, r.residual, q);
            std::fflush(stdout);
        }
    }
    return 0;
}
