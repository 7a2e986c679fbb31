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
#include "io/scenario_files.h"
#include "io/scenario_reader.h"
#include "io/scenario_overrides.h"
#include "io/sweep_points.h"
#include "report/analytic_report.h"
#include "report/csv_report.h"
#include "report/output_files.h"
#include "report/json_report.h"
#include "report/text_report.h"
#include "model/units_format.h"
#include "study/cost.h"
#include "sim/runner.h"
#include "study/study.h"
#include "report/check_report.h"
#include "report/check_wording.h"
#include "report/sweep_report.h"
#include "study/sweep.h"
#include "study/compare.h"
#include "report/compare_report.h"
#include "cli/command_support.h"
#include "cli/mpi_world.h"
#include "cli/shard_commands.h"

namespace nines::cli {

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
    refuse_inputs(options.csv, {options.scenario}, "--csv");
    refuse_inputs(options.json, {options.scenario}, "--json");
    study::StudyOptions base;
    base.resolve_inconclusive = true;
    InterruptGuard interrupts;
    base.run.cancel = &g_cancel;
    base.run.executor = mpi_executor();
    const study::SweepResults result = study::run_sweep(
        axes, io::sweep_point_models(options.scenario, axes),
        [&](SimulationSettings& s) { apply_overrides(options.overrides, s); }, base);
    report::OutputFiles files(&g_cancel);
    if (options.csv) files.add(*options.csv, report::sweep_to_csv(result));
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json && !json_to_stdout) files.add(*options.json, report::sweep_to_json(result).dump(2) + "\n");
    files.commit();
    if (json_to_stdout) std::cout << report::sweep_to_json(result).dump(2) << "\n";
    if (!json_to_stdout && !options.quiet) std::cout << report::sweep_to_text(result);
    return kExitOk;
}

int compare_command(const CompareCommandOptions& options) {
    refuse_inputs(options.json, options.scenarios, "--json");
    study::StudyOptions base;
    InterruptGuard interrupts;
    base.run.cancel = &g_cancel;
    base.run.executor = mpi_executor();
    std::vector<Model> designs;  // reading is io's job; study takes the models
    for (const std::string& file : options.scenarios) designs.push_back(io::read_scenario_file(file));
    const study::CompareResults result = study::compare_designs(
        designs, [&](SimulationSettings& s) { apply_overrides(options.overrides, s); }, base);
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json) {
        const std::string text = report::compare_to_json(result).dump(2) + "\n";
        if (json_to_stdout) {
            std::cout << text;
        } else {
            report::write_file_atomically(*options.json, text, &g_cancel);
        }
    }
    if (!json_to_stdout) std::cout << report::compare_to_text(result);
    return kExitOk;
}

int analyze_command(const AnalyzeCommandOptions& options) {
    refuse_inputs(options.json, {options.scenario}, "--json");
    InterruptGuard interrupts;
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
            report::write_file_atomically(*options.json, text, &g_cancel);
        }
    }
    if (!json_to_stdout) std::cout << report::analytic_to_text(r, title, options.rows);
    return kExitOk;
}

int check_command(const CheckCommandOptions& options) {
    const std::vector<std::string> files = io::collect_scenario_files(options.paths);
    refuse_inputs(options.junit, files, "--junit");
    refuse_inputs(options.json, files, "--json");
    std::vector<report::CheckedScenario> checked;
    InterruptGuard interrupts;
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
            so.run.executor = mpi_executor();
            so.resolve_inconclusive = true;
            so.max_replications = options.max_replications.value_or(0);
            c.study = study::run_study(model, so);
        } catch (const InputError& e) {
            c.input_error = true;
            c.error = e.what();
        } catch (const UnsupportedError& e) {
            c.input_error = true;
            c.error = (e.where().file.empty() ? file : e.where().str()) + ": error: " + e.what();
        }
        c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!options.quiet && !c.input_error) std::cerr << "checked " << file << "\n";
        checked.push_back(std::move(c));
    }

    report::OutputFiles outputs(&g_cancel);
    if (options.junit) outputs.add(*options.junit, report::check_to_junit(checked, options.strict));
    const bool json_to_stdout = options.json && *options.json == "-";
    if (options.json && !json_to_stdout) outputs.add(*options.json, report::check_to_json(checked, options.strict).dump(2) + "\n");
    outputs.commit();
    if (json_to_stdout) std::cout << report::check_to_json(checked, options.strict).dump(2) << "\n";
    // --quiet: the totals line only (and the exit code); the table and progress lines are left out.
    if (!json_to_stdout) {
        std::cout << (options.quiet ? report::check_totals_to_text(checked, options.strict)
                                    : report::check_summary_to_text(checked, options.strict));
    }

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

int validate_command(const std::vector<std::string>& paths) {
    // Files and folders, as `check` takes them; every file is read, and every bad one reported.
    const std::vector<std::string> files = io::collect_scenario_files(paths);
    bool bad = false;
    for (const std::string& file : files) {
        try {
            const Model model = io::read_scenario_file(file);
            print_warnings(model);
            std::cout << fmt::format("{}: ok: {} components, {} instances, {} named blocks\n", file,
                                     model.components.size(), model.instances.size(), model.named_blocks.size());
        } catch (const InputError& e) {
            if (files.size() == 1) throw;
            std::cerr << e.what() << '\n';
            bad = true;
        }
    }
    return bad ? kExitInputError : kExitOk;
}

int run_command(const RunCommandOptions& options) {
    if (options.shard || options.partial) return shard_run_command(options);
    if (options.step != 1) throw InputError(SourceLocation{"command line", 0, 0}, "--step goes with --shard");
    refuse_inputs(options.json, {options.scenario}, "--json");
    InterruptGuard interrupts;
    const Model model = io::read_scenario_file(options.scenario);
    print_warnings(model);

    sim::RunOptions run;
    run.settings = model.simulation;
    apply_overrides(options.overrides, run.settings);

    run.cancel = &g_cancel;
    run.executor = mpi_executor();
    ProgressLine progress;
    run.progress = [&progress](std::int64_t done, std::int64_t total) { progress.update(done, total); };
    study::StudyOptions study_options;
    study_options.run = run;
    study::StudyResults study;
    try {
        study = study::run_study(model, study_options);
    } catch (...) {
        progress.finish();
        throw;
    }
    progress.finish();
    write_run_outputs(model, study, RunOutputs{options.json, options.csv, options.quiet});
    std::cout.flush();
    return kExitOk;
}

}  // namespace nines::cli
