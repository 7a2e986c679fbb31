// The published fault trees at scale: for each tree, exact analysis with the defaults of
// `nines analyze` (probability, importance, minimal cut sets to order 4, Fussell-Vesely over every
// minimal cut set), timed, printed as the README's "Fault trees at scale" table (Markdown).
// Usage: nines-bench-fault-trees DIR... (every *.yaml in each folder, by name).
//        nines-bench-fault-trees --orders DIR...: instead, the BDD nodes and build time of the structure
//        function under each variable order heuristic, and the order chosen automatically.
//        Times are CPU seconds of the process (see cpu_seconds), except --orders (wall clock).
//        nines-bench-fault-trees --phases DIR...: instead, where the time of the exact analysis goes:
//        the structure function's BDD, its evaluation with every Birnbaum importance, and the minimal
//        cut sets' ZBDD (with the Fussell-Vesely sums), each timed on its own.
//        nines-bench-fault-trees --pin DIR...: the table tests/data/fault_tree_probabilities.csv, each
//        tree's P(top event) computed on the BDDs of two different variable orders (the two must agree
//        to 1e-12 relative, or the tree is reported and left out).
//        nines-bench-fault-trees --sifting DIR...: the automatic static order against dynamic
//        reordering (sifting) started from depth-first and from FORCE: nodes, CPU seconds, P(top).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "analytic/analysis.h"
#include "analytic/bdd_cut_sets.h"
#include "analytic/component_measures.h"
#include "analytic/structure_function.h"
#include "io/scenario_reader.h"
#include "model/structure_graph.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds of the whole process (every thread: the cut sets run on a thread of their own). On
// this shared 2-core machine the wall clock measures mostly the other engineers' builds (a load of 15
// to 19 made it 2 to 6 times the CPU time); the analysis is single-threaded, so on an idle machine
// the two agree.
double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// SCRAM's published release-build times for the same trees (doc/performance.rst in rakhimov/scram:
// Core i7-2820QM; only Baobab1 among these trees is listed there), with what they cover.
std::string scram_time(const std::string& tree) {
    if (tree == "baobab1") return "0.16 s (ZBDD, all 46,188 MCS)";
    return "not published";
}

// One row per tree: nodes and seconds of the structure function under each order (a node budget of
// 20M, as `analyze`), then what the automatic choice kept.
int compare_orders(const std::vector<std::filesystem::path>& files) {
    using nines::analytic::StructureFunction;
    using nines::analytic::VariableOrder;
    constexpr std::size_t kLimit = 20'000'000;
    std::printf("| tree |");
    for (VariableOrder o : nines::analytic::variable_order_candidates()) {
        std::printf(" %s |", nines::analytic::variable_order_name(o).c_str());
    }
    std::printf(" automatic |\n|---|");
    for (std::size_t i = 0; i <= nines::analytic::variable_order_candidates().size(); ++i) std::printf("---:|");
    std::printf("\n");
    for (const auto& path : files) {
        const nines::Model m = nines::io::read_scenario_file(path.string());
        const nines::StructureGraph g = nines::StructureGraph::compile(m);
        std::printf("| %s |", path.stem().string().c_str());
        for (VariableOrder o : nines::analytic::variable_order_candidates()) {
            const auto t0 = std::chrono::steady_clock::now();
            try {
                const StructureFunction sf = StructureFunction::build(g, kLimit, o);
                std::printf(" %zu / %zu (%.3f s) |", sf.live_node_count(), sf.bdd.size(), seconds_since(t0));
            } catch (const nines::analytic::BddNodeLimitError&) {
                std::printf(" > %zu (%.3f s) |", kLimit, seconds_since(t0));
            }
            std::fflush(stdout);
        }
        const auto t0 = std::chrono::steady_clock::now();
        try {
            const StructureFunction sf = StructureFunction::build(g, kLimit);
            std::printf(" %s, %zu (%.3f s) |\n", nines::analytic::variable_order_name(sf.order).c_str(), sf.bdd.size(),
                        seconds_since(t0));
        } catch (const nines::analytic::BddNodeLimitError&) {
            std::printf(" none fits (%.3f s) |\n", seconds_since(t0));
        }
        std::fflush(stdout);
    }
    return 0;
}

// Each instance's steady-state availability and unavailability (q apart, so small values keep their digits).
void instance_probabilities(const nines::Model& m, std::vector<double>& a, std::vector<double>& q) {
    for (const nines::Instance& inst : m.instances) {
        const auto cm = nines::analytic::component_measures(m.components[static_cast<std::size_t>(inst.component)]);
        a.push_back(cm.availability);
        q.push_back(cm.mdt_h / (cm.mttf_h + cm.mdt_h));
    }
}

// Two BDDs of the same structure under different variable orders share no node layout, so agreement
// checks the construction and the evaluation, not only the arithmetic.
int pin_probabilities(const std::vector<std::filesystem::path>& files) {
    using nines::analytic::StructureFunction;
    using nines::analytic::VariableOrder;
    constexpr std::size_t kLimit = 20'000'000;
    std::printf("tree,unavailability,first_order,second_order\n");
    int failed = 0;
    for (const auto& path : files) {
        const nines::Model m = nines::io::read_scenario_file(path.string());
        const nines::StructureGraph g = nines::StructureGraph::compile(m);
        std::vector<double> a, q;
        instance_probabilities(m, a, q);
        std::vector<std::pair<VariableOrder, double>> values;
        for (VariableOrder o : nines::analytic::variable_order_candidates()) {
            if (values.size() == 2) break;
            try {
                const StructureFunction sf = StructureFunction::build(g, kLimit, o);
                values.emplace_back(o, sf.evaluate(a, q).unavailability);
            } catch (const nines::analytic::BddNodeLimitError&) {
                // This order does not fit: the next one.
            }
        }
        if (values.size() < 2 ||
            std::fabs(values[0].second - values[1].second) > 1e-12 * std::max(values[0].second, values[1].second)) {
            ++failed;
            std::fprintf(stderr, "%s: not pinned (%zu orders fit)\n", path.stem().string().c_str(), values.size());
            continue;
        }
        std::printf("%s,%.17g,%s,%s\n", path.stem().string().c_str(), values[0].second,
                    nines::analytic::variable_order_name(values[0].first).c_str(),
                    nines::analytic::variable_order_name(values[1].first).c_str());
        std::fflush(stdout);
    }
    return failed == 0 ? 0 : 1;
}

// One row per tree: seconds of each phase of `analyze`'s exact path (BDD with the automatic order,
// evaluation with Birnbaum, cut sets to order 4 with the F-V sums), as analysis.cpp calls them.
int time_phases(const std::vector<std::filesystem::path>& files) {
    using nines::analytic::StructureFunction;
    constexpr std::size_t kLimit = 20'000'000;
    std::printf("| tree | BDD build | BDD nodes | evaluation | cut sets + F-V | ZBDD nodes | all MCS |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---|\n");
    for (const auto& path : files) {
        const nines::Model m = nines::io::read_scenario_file(path.string());
        const nines::StructureGraph g = nines::StructureGraph::compile(m);
        std::vector<double> a, q;
        instance_probabilities(m, a, q);
        std::printf("| %s |", path.stem().string().c_str());
        std::fflush(stdout);
        try {
            double t0 = cpu_seconds();
            const StructureFunction sf = StructureFunction::build(g, kLimit);
            std::printf(" %.3f s | %zu |", cpu_seconds() - t0, sf.bdd.size());
            std::fflush(stdout);
            t0 = cpu_seconds();
            std::vector<double> birnbaum;
            (void)sf.evaluate_with_birnbaum(a, q, birnbaum);
            std::printf(" %.3f s |", cpu_seconds() - t0);
            std::fflush(stdout);
            t0 = cpu_seconds();
            const auto cuts = nines::analytic::bdd_minimal_cut_sets(
                sf, q, 4, std::max(nines::analytic::kCutSetZbddNodeLimit, 8 * q.size()));
            std::printf(" %.3f s | %zu | %s |\n", cpu_seconds() - t0, cuts.zbdd_nodes, cuts.all_known ? "yes" : "no");
        } catch (const nines::Error& e) {
            std::printf(" failed: %s |\n", e.what());
        }
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

// Static orders against dynamic reordering: for each tree, the automatic static choice and sifting
// started from depth-first and from FORCE (StructureFunction::build_sifted), each with its live nodes
// (those of the final functions), all nodes of the diagram kept, CPU seconds of the build, and how far
// its P(top) is from the static one (relative).
int compare_sifting(const std::vector<std::filesystem::path>& files) {
    using nines::analytic::StructureFunction;
    using nines::analytic::VariableOrder;
    constexpr std::size_t kLimit = 20'000'000;
    std::printf("| tree | automatic (static) | sifted from depth-first | sifted from FORCE |\n|---|---:|---:|---:|\n");
    for (const auto& path : files) {
        const nines::Model m = nines::io::read_scenario_file(path.string());
        const nines::StructureGraph g = nines::StructureGraph::compile(m);
        std::vector<double> a, q;
        instance_probabilities(m, a, q);
        std::printf("| %s |", path.stem().string().c_str());
        double reference = -1;
        double t0 = cpu_seconds();
        try {
            const StructureFunction sf = StructureFunction::build(g, kLimit);
            reference = sf.evaluate(a, q).unavailability;
            std::printf(" %s%s, %zu / %zu (%.3f s) |", sf.sifted ? "sifted from " : "", nines::analytic::variable_order_name(sf.order).c_str(),
                        sf.live_node_count(), sf.bdd.size(), cpu_seconds() - t0);
        } catch (const nines::analytic::BddNodeLimitError&) {
            std::printf(" none fits (%.3f s) |", cpu_seconds() - t0);
        }
        std::fflush(stdout);
        for (VariableOrder start : {VariableOrder::DepthFirst, VariableOrder::Force}) {
            t0 = cpu_seconds();
            try {
                const StructureFunction sf = StructureFunction::build_sifted(g, kLimit, start);
                const double value = sf.evaluate(a, q).unavailability;
                std::printf(" %zu / %zu (%.3f s)", sf.live_node_count(), sf.bdd.size(), cpu_seconds() - t0);
                if (reference >= 0) std::printf(", P(top) %+.1e", (value - reference) / reference);
                std::printf(" |");
            } catch (const nines::analytic::BddNodeLimitError&) {
                std::printf(" > %zu (%.3f s) |", kLimit, cpu_seconds() - t0);
            }
            std::fflush(stdout);
        }
        std::printf("\n");
    }
    return 0;
}

int main(int argc, char** argv) {
    std::vector<std::filesystem::path> files;
    bool orders = false;
    bool pin = false;
    bool phases = false;
    bool sifting = false;
    for (int a = 1; a < argc; ++a) {
        if (std::string(argv[a]) == "--sifting") {
            sifting = true;
            continue;
        }
        if (std::string(argv[a]) == "--phases") {
            phases = true;
            continue;
        }
        if (std::string(argv[a]) == "--orders" || std::string(argv[a]) == "--pin") {
            (std::string(argv[a]) == "--pin" ? pin : orders) = true;
            continue;
        }
        for (const auto& entry : std::filesystem::directory_iterator(argv[a])) {
            if (entry.path().extension() == ".yaml") files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end(), [](const auto& x, const auto& y) { return x.filename() < y.filename(); });
    if (orders) return compare_orders(files);
    if (pin) return pin_probabilities(files);
    if (phases) return time_phases(files);
    if (sifting) return compare_sifting(files);
    std::printf("| tree | events | gates | BDD nodes | ZBDD nodes | cut sets <= 4 | Q | time | SCRAM |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    double slowest = 0;
    int failed = 0;
    for (const auto& path : files) {
        const std::string tree = path.stem().string();
        try {
            const nines::Model m = nines::io::read_scenario_file(path.string());
            const nines::StructureGraph g = nines::StructureGraph::compile(m);
            const double t0 = cpu_seconds();
            const nines::analytic::AnalyticResults r = nines::analytic::analyze(m);
            const double s = cpu_seconds() - t0;
            slowest = std::max(slowest, s);
            std::printf("| %s | %zu | %zu | %zu | %zu | %.0f%s | %.6e | %.3f s | %s |\n", tree.c_str(), m.instances.size(),
                        g.gate_order.size(), r.bdd_nodes, r.zbdd_nodes, r.cut_set_count,
                        r.fussell_vesely_complete ? "" : " (F-V*)", r.unavailability, s, scram_time(tree).c_str());
        } catch (const nines::Error& e) {
            ++failed;
            std::printf("| %s | failed: %s |\n", tree.c_str(), e.what());
        }
    }
    std::printf("\n%zu trees, slowest %.3f s, %d failed\n", files.size(), slowest, failed);
    return failed == 0 ? 0 : 1;
}
