#include "cli/commands.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "io/quantity.h"
#include "io/scenario_reader.h"
#include "report/csv_report.h"
#include "report/json_report.h"
#include "report/text_report.h"
#include "sim/runner.h"

namespace nines::cli {

namespace {

std::atomic<bool> g_cancel{false};

extern "C" void on_interrupt(int) { g_cancel.store(true); }

void print_warnings(const Model& model) {
    for (const std::string& w : model.warnings) std::cerr << w << '\n';
}

// A progress line on stderr, only when stderr is a terminal, at most five times a second.
class ProgressLine {
public:
    ProgressLine() : enabled_(isatty(STDERR_FILENO) != 0) {}
    void update(std::int64_t done, std::int64_t total) {
        if (!enabled_) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(200) && done < total) return;
        if (now - start_ < std::chrono::milliseconds(500) && done < total) return;  // short runs stay silent
        last_ = now;
        shown_ = true;
        std::fprintf(stderr, "\r  simulating: %5.1f %% (%lld of %lld replications)", 100.0 * static_cast<double>(done) / static_cast<double>(total),
                     static_cast<long long>(done), static_cast<long long>(total));
        std::fflush(stderr);
    }
    void finish() {
        if (shown_) std::fprintf(stderr, "\r%70s\r", "");
    }

private:
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int validate_command(const std::string& scenario) {
    const Model model = io::read_scenario_file(scenario);
    print_warnings(model);
    std::size_t named = model.named_blocks.size();
    std::cout << fmt::format("{}: ok: {} components, {} instances, {} named blocks\n", scenario,
                             model.components.size(), model.instances.size(), named);
    return kExitOk;
}

int run_command(const RunCommandOptions& options) {
    const Model model = io::read_scenario_file(options.scenario);
    print_warnings(model);

    sim::RunOptions run;
    run.settings = model.simulation;
    const SourceLocation cli_location{"command line", 0, 0};
    if (options.replications) {
        if (*options.replications < 1) throw InputError(cli_location, "--replications must be at least 1");
        run.settings.replications = *options.replications;
        run.settings.location = cli_location;
    }
    if (options.seed) run.settings.seed = *options.seed;
    if (options.threads) {
        if (*options.threads < 0) throw InputError(cli_location, "--threads must be 0 (all cores) or more");
        run.settings.threads = *options.threads;
    }
    if (options.horizon) {
        double hours = 0;
        std::string problem;
        if (!io::parse_duration_text(*options.horizon, hours, problem)) throw InputError(cli_location, "--horizon: " + problem);
        if (hours <= 0) throw InputError(cli_location, "--horizon must be a positive time");
        if (run.settings.warmup_h >= hours) throw InputError(cli_location, "--horizon must be longer than the warm-up");
        run.settings.horizon_h = hours;
        run.settings.location = cli_location;
    }

    ProgressLine progress;
    run.progress = [&progress](std::int64_t done, std::int64_t total) { progress.update(done, total); };
    g_cancel = false;
    run.cancel = &g_cancel;
    auto previous = std::signal(SIGINT, on_interrupt);
    sim::SimulationResults results;
    try {
        results = sim::run_simulation(model, run);
    } catch (...) {
        std::signal(SIGINT, previous);
        progress.finish();
        throw;
    }
    std::signal(SIGINT, previous);
    progress.finish();

    // Files first (each written atomically), then the terminal.
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json && !json_to_stdout) {
        report::write_file_atomically(*options.json, report::results_to_json(results).dump(2) + "\n");
    }
    if (options.csv) report::write_csv_directory(results, *options.csv);
    if (json_to_stdout) {
        std::cout << report::results_to_json(results).dump(2) << '\n';
    } else if (!options.quiet) {
        std::cout << report::results_to_text(results) << '\n' << report::timing_to_text(results) << '\n';
    }
    std::cout.flush();
    return kExitOk;
}

}  // namespace nines::cli
