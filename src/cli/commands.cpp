#include "cli/commands.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <algorithm>
#include <filesystem>
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
#include "report/units_format.h"
#include "study/cost.h"
#include "sim/runner.h"
#include "study/study.h"
#include "report/check_report.h"
#include "report/sweep_report.h"
#include "study/sweep.h"
#include "study/compare.h"
#include "report/compare_report.h"

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

void apply_overrides(const SettingsOverrides& o, SimulationSettings& settings) {
    const SourceLocation cli_location{"command line", 0, 0};
    if (o.replications) {
        if (*o.replications < 1) throw InputError(cli_location, "--replications must be at least 1");
        settings.replications = *o.replications;
        settings.precision.reset();  // an explicit count replaces a precision target
        settings.location = cli_location;
    }
    if (o.seed) settings.seed = *o.seed;
    if (o.threads) {
        if (*o.threads < 0) throw InputError(cli_location, "--threads must be 0 (all cores) or more");
        settings.threads = *o.threads;
    }
    if (o.horizon) {
        double hours = 0;
        std::string problem;
        if (!io::parse_duration_text(*o.horizon, hours, problem)) throw InputError(cli_location, "--horizon: " + problem);
        if (hours <= 0) throw InputError(cli_location, "--horizon must be a positive time");
        if (settings.warmup_h >= hours) throw InputError(cli_location, "--horizon must be longer than the warm-up");
        settings.horizon_h = hours;
        settings.location = cli_location;
    }
}

int sweep_command(const SweepCommandOptions& options) {
    // Inconclusive expectations get more replications at each point (as in `check`), so that "the
    // cheapest design meeting every expectation" rests on decided verdicts.
    std::vector<io::SweepAxis> axes;
    for (const std::string& spec : options.sets) {
        axes.push_back(io::parse_sweep_spec(spec, SourceLocation{"command line (--set " + spec + ")", 0, 0}));
    }
    if (axes.empty()) {
        const Model model = io::read_scenario_file(options.scenario);
        for (const Model::SweepAxis& a : model.sweep) axes.push_back({a.path, a.values, a.location});
        if (axes.empty()) {
            throw InputError(SourceLocation{options.scenario, 0, 0},
                             "nothing to sweep: give --set KEY=VALUES (for example --set web.count=2..6) or a 'sweep:' section");
        }
    }
    study::StudyOptions base;
    base.resolve_inconclusive = true;
    g_cancel = false;
    base.run.cancel = &g_cancel;
    auto previous = std::signal(SIGINT, on_interrupt);
    study::SweepResults result;
    try {
        result = study::run_sweep(options.scenario, axes,
                                  [&](SimulationSettings& s) { apply_overrides(options.overrides, s); }, base);
    } catch (...) {
        std::signal(SIGINT, previous);
        throw;
    }
    std::signal(SIGINT, previous);
    if (options.csv) report::write_file_atomically(*options.csv, report::sweep_to_csv(result));
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json) {
        const std::string text = report::sweep_to_json(result).dump(2) + "\n";
        if (json_to_stdout) {
            std::cout << text;
        } else {
            report::write_file_atomically(*options.json, text);
        }
    }
    if (!json_to_stdout && !options.quiet) std::cout << report::sweep_to_text(result);
    return kExitOk;
}

int compare_command(const CompareCommandOptions& options) {
    study::StudyOptions base;
    g_cancel = false;
    base.run.cancel = &g_cancel;
    auto previous = std::signal(SIGINT, on_interrupt);
    study::CompareResults result;
    try {
        result = study::compare_designs(options.scenarios, [&](SimulationSettings& s) { apply_overrides(options.overrides, s); }, base);
    } catch (...) {
        std::signal(SIGINT, previous);
        throw;
    }
    std::signal(SIGINT, previous);
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json) {
        const std::string text = report::compare_to_json(result).dump(2) + "\n";
        if (json_to_stdout) {
            std::cout << text;
        } else {
            report::write_file_atomically(*options.json, text);
        }
    }
    if (!json_to_stdout) std::cout << report::compare_to_text(result);
    return kExitOk;
}

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
    const analytic::AnalyticResults r = [&]() {
        try {
            return analytic::analyze(model, analysis);
        } catch (const UnsupportedError& e) {
            // Name at least the file when the analysis cannot say which part of it rules the method out.
            if (!e.where().file.empty()) throw;
            throw UnsupportedError(SourceLocation{options.scenario, 0, 0}, e.what());
        }
    }();
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

namespace {

// Scenario files named on the command line: files as given, folders searched for *.yaml / *.yml.
std::vector<std::string> collect_scenarios(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const std::string& p : paths) {
        std::error_code ec;
        if (std::filesystem::is_directory(p, ec)) {
            std::vector<std::string> found;
            for (const auto& entry : std::filesystem::recursive_directory_iterator(p, ec)) {
                const std::string ext = entry.path().extension().string();
                if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) found.push_back(entry.path().string());
            }
            std::sort(found.begin(), found.end());
            if (found.empty()) throw InputError(SourceLocation{p, 0, 0}, "no scenario files (*.yaml) in this folder");
            files.insert(files.end(), found.begin(), found.end());
        } else {
            files.push_back(p);
        }
    }
    return files;
}

}  // namespace

int check_command(const CheckCommandOptions& options) {
    const std::vector<std::string> files = collect_scenarios(options.paths);
    std::vector<report::CheckedScenario> checked;
    g_cancel = false;
    auto previous = std::signal(SIGINT, on_interrupt);
    for (const std::string& file : files) {
        report::CheckedScenario c;
        c.file = file;
        const auto start = std::chrono::steady_clock::now();
        try {
            const Model model = io::read_scenario_file(file);
            print_warnings(model);
            c.name = model.name;
            study::StudyOptions so;
            so.run.settings = model.simulation;
            apply_overrides(options.overrides, so.run.settings);
            so.run.cancel = &g_cancel;
            so.resolve_inconclusive = true;
            so.max_replications = options.max_replications.value_or(0);
            c.study = study::run_study(model, so);
        } catch (const InputError& e) {
            c.input_error = true;
            c.error = e.what();
        } catch (const UnsupportedError& e) {
            c.input_error = true;
            c.error = (e.where().file.empty() ? file : e.where().str()) + ": error: " + e.what();
        } catch (...) {
            std::signal(SIGINT, previous);
            throw;
        }
        c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!options.quiet && !c.input_error) std::cerr << "checked " << file << "\n";
        checked.push_back(std::move(c));
    }
    std::signal(SIGINT, previous);

    if (options.junit) report::write_file_atomically(*options.junit, report::check_to_junit(checked, options.strict));
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json) {
        const std::string text = report::check_to_json(checked, options.strict).dump(2) + "\n";
        if (json_to_stdout) {
            std::cout << text;
        } else {
            report::write_file_atomically(*options.json, text);
        }
    }
    if (!json_to_stdout) std::cout << report::check_summary_to_text(checked, options.strict);

    bool input_error = false, failed = false;
    for (const report::CheckedScenario& c : checked) {
        input_error = input_error || c.input_error;
        if (c.input_error) std::cerr << c.error << '\n';
        for (const study::ExpectationResult& r : c.study.expectations) {
            failed = failed || r.outcome == study::Outcome::Fail || (options.strict && r.outcome == study::Outcome::Inconclusive);
        }
    }
    if (input_error) return kExitInputError;
    return failed ? kExitExpectationFailed : kExitOk;
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
    apply_overrides(options.overrides, run.settings);

    ProgressLine progress;
    run.progress = [&progress](std::int64_t done, std::int64_t total) { progress.update(done, total); };
    g_cancel = false;
    run.cancel = &g_cancel;
    auto previous = std::signal(SIGINT, on_interrupt);
    study::StudyOptions study_options;
    study_options.run = run;
    study::StudyResults study;
    try {
        study = study::run_study(model, study_options);
    } catch (...) {
        std::signal(SIGINT, previous);
        progress.finish();
        throw;
    }
    std::signal(SIGINT, previous);
    progress.finish();
    const sim::SimulationResults& results = study.simulation;
    const analytic::CrossCheck& check = study.crosscheck;
    const study::CostEstimate cost = study::expected_cost(model, results);

    // Files first (each written atomically), then the terminal.
    auto json_text = [&]() {
        nlohmann::ordered_json j = report::results_to_json(results);
        const nlohmann::ordered_json timing = j["timing"];
        j.erase("timing");
        j["crosscheck"] = report::crosscheck_to_json(check);
        if (!study.precision.empty()) j["precision"] = study.precision;
        if (cost.defined) {
            j["cost_per_year"] = {{"mean", cost.total_per_year.mean},
                                  {"ci95", {cost.total_per_year.lo, cost.total_per_year.hi}},
                                  {"ownership", cost.ownership_per_year},
                                  {"downtime", cost.downtime_per_year.mean}};
        }
        j["expectations"] = report::expectations_to_json(study.expectations);
        j["timing"] = timing;  // kept last: the only part that differs between runs
        return j.dump(2) + "\n";
    };
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json && !json_to_stdout) report::write_file_atomically(*options.json, json_text());
    if (options.csv) report::write_csv_directory(results, *options.csv);
    if (json_to_stdout) {
        std::cout << json_text();
    } else if (!options.quiet) {
        std::string extra = report::crosscheck_to_text(check);
        if (cost.defined) {
            extra += fmt::format("  expected cost per year: {} (95% CI {} .. {}): ownership {} + downtime {}\n",
                                 report::format_sig(cost.total_per_year.mean, 4), report::format_sig(cost.total_per_year.lo, 4),
                                 report::format_sig(cost.total_per_year.hi, 4), report::format_sig(cost.ownership_per_year, 4),
                                 report::format_sig(cost.downtime_per_year.mean, 4));
        }
        if (!study.precision.empty()) extra += "  " + study.precision + "\n";
        std::cout << report::results_to_text(results, extra) << '\n';
        if (!study.expectations.empty()) {
            std::cout << "expectations\n" << report::expectations_to_text(study.expectations, false) << '\n';
        }
        std::cout << report::timing_to_text(results) << '\n';
    }
    std::cout.flush();
    return kExitOk;
}

}  // namespace nines::cli
