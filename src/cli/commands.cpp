#include "cli/commands.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "analytic/analysis.h"
#include "analytic/crosscheck.h"
#include "io/quantity.h"
#include "io/scenario_reader.h"
#include "report/analytic_report.h"
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

// Compares the simulated availability with the analytic reference for the same window.
analytic::CrossCheck cross_check_simulation(const Model& model, const SimulationSettings& settings,
                                            const sim::SimulationResults& results) {
    analytic::AvailabilityReference reference;
    try {
        reference = analytic::interval_availability_reference(model, settings.warmup_h, settings.horizon_h);
    } catch (const UnsupportedError& e) {
        reference.applicable = false;
        reference.reason = e.what();
    }
    const sim::Estimate& u = results.unavailability;
    return analytic::cross_check(reference, u.mean, u.std_error, u.lo, u.hi, u.has_ci, results.system_outages);
}

}  // namespace

int analyze_command(const AnalyzeCommandOptions& options) {
    const Model model = io::read_scenario_file(options.scenario);
    print_warnings(model);
    if (options.max_order < 1 || options.max_order > 8) {
        throw InputError(SourceLocation{"command line", 0, 0}, "--order must be between 1 and 8");
    }
    analytic::AnalysisOptions analysis;
    analysis.max_cut_set_order = options.max_order;
    if (options.method == "bdd") {
        analysis.method = analytic::Method::Bdd;
    } else if (options.method == "ctmc") {
        analysis.method = analytic::Method::Ctmc;
    } else if (options.method != "auto") {
        throw InputError(SourceLocation{"command line", 0, 0}, "--method must be auto, bdd or ctmc");
    }
    const analytic::AnalyticResults r = analytic::analyze(model, analysis);
    const std::string title = model.name.empty() ? model.file : model.name;
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json) {
        const std::string text = report::analytic_to_json(r, model.name, model.file).dump(2) + "\n";
        if (json_to_stdout) {
            std::cout << text;
        } else {
            report::write_file_atomically(*options.json, text);
        }
    }
    if (!json_to_stdout) std::cout << report::analytic_to_text(r, title, options.rows);
    return kExitOk;
}

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

    const analytic::CrossCheck check = cross_check_simulation(model, run.settings, results);

    // Files first (each written atomically), then the terminal.
    auto json_text = [&]() {
        nlohmann::ordered_json j = report::results_to_json(results);
        const nlohmann::ordered_json timing = j["timing"];
        j.erase("timing");
        j["crosscheck"] = report::crosscheck_to_json(check);
        j["timing"] = timing;  // kept last: the only part that differs between runs
        return j.dump(2) + "\n";
    };
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json && !json_to_stdout) report::write_file_atomically(*options.json, json_text());
    if (options.csv) report::write_csv_directory(results, *options.csv);
    if (json_to_stdout) {
        std::cout << json_text();
    } else if (!options.quiet) {
        std::cout << report::results_to_text(results, report::crosscheck_to_text(check)) << '\n'
                  << report::timing_to_text(results) << '\n';
    }
    std::cout.flush();
    return kExitOk;
}

}  // namespace nines::cli
