#include "cli/commands.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "analytic/analysis.h"
#include "analytic/bdd.h"
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
#include "report/rare_event_report.h"
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
    if (options.shard || options.partial) return shard_sweep_command(options);
    if (options.step != 1) throw InputError(SourceLocation{"command line", 0, 0}, "--step goes with --shard");
    // Inconclusive expectations get more replications at each point (as in `check`), so that "the
    // cheapest design meeting every expectation" rests on decided verdicts.
    const std::vector<io::SweepAxis> axes = sweep_axes_for(options.scenario, options.sets, options.links);
    const SweepGoal goal = sweep_goal_for(options.scenario, options.goal);
    refuse_inputs(options.csv, {options.scenario}, "--csv");
    refuse_inputs(options.json, {options.scenario}, "--json");
    study::StudyOptions base;
    base.resolve_inconclusive = true;
    InterruptGuard interrupts;
    base.run.cancel = &g_cancel;
    base.run.executor = mpi_executor();
    const study::SweepResults result = study::run_sweep(
        axes, io::sweep_point_models(options.scenario, axes),
        [&](SimulationSettings& s) { apply_overrides(options.overrides, s); }, base, goal);
    write_sweep_outputs(result, options.csv, options.json, options.quiet);
    return kExitOk;
}

int compare_command(const CompareCommandOptions& options) {
    if (options.shard || options.partial) return shard_compare_command(options);
    if (options.step != 1) throw InputError(SourceLocation{"command line", 0, 0}, "--step goes with --shard");
    refuse_inputs(options.json, options.scenarios, "--json");
    study::StudyOptions base;
    InterruptGuard interrupts;
    base.run.cancel = &g_cancel;
    base.run.executor = mpi_executor();
    std::vector<Model> designs;  // reading is io's job; study takes the models
    for (const std::string& file : options.scenarios) designs.push_back(io::read_scenario_file(file));
    const study::CompareResults result = study::compare_designs(
        designs, [&](SimulationSettings& s) { apply_overrides(options.overrides, s); }, base);
    write_compare_outputs(result, options.json, options.quiet);
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
    if (options.mission_time) {
        double hours = 0;
        std::string problem;
        if (!io::parse_duration_text(*options.mission_time, hours, problem) || !(hours > 0)) {
            throw InputError(SourceLocation{"command line", 0, 0},
                             "--mission-time takes a positive duration (e.g. 8760h, 1y, 30d)" +
                                 (problem.empty() ? std::string() : ": " + problem));
        }
        analysis.mission_time_h = hours;
    }
    if (options.bdd_memory) {
        double bytes = 0;
        std::string problem;
        if (io::parse_memory_text(*options.bdd_memory, bytes, problem)) problem = analytic::bdd_memory_refusal(bytes);
        if (!problem.empty()) throw InputError(SourceLocation{"command line", 0, 0}, "--bdd-memory: " + problem);
        analysis.bdd_node_limit = analytic::bdd_node_limit_for_memory(bytes);
    }
    if (options.bound_branches) {
        if (*options.bound_branches < 1) {
            throw InputError(SourceLocation{"command line", 0, 0}, "--bound-branches takes a positive count of expansions");
        }
        analysis.bracket_branch_limit = *options.bound_branches;
    }
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
        const std::string text = report::analytic_to_json(r, model.name, model.file, options.per_instance).dump(2) + "\n";
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
        // A progress note for a person watching; logs and pipes get the table alone.
        if (!options.quiet && !c.input_error && stderr_is_terminal()) std::cerr << "checked " << file << "\n";
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
            // Each value of each `sweep:` key (with its linked keys) must give a valid scenario on its
            // own; a combination of values that is invalid is only found, reported and skipped, by `sweep`.
            if (!model.sweep.empty()) {
                const io::SweepPointModels point = io::sweep_point_models(file, model.sweep);
                for (const Model::SweepAxis& a : model.sweep) {
                    for (std::size_t v = 0; v < a.values.size(); ++v) {
                        std::vector<Assignment> assignments{{a.path, a.values[v], a.location}};
                        std::string label = a.path + "=" + a.values[v];
                        for (const LinkedPath& l : a.linked) {
                            assignments.push_back({l.path, l.values[v], a.location});
                            label += ", " + l.path + "=" + l.values[v];
                        }
                        point(assignments, label);
                    }
                }
            }
            std::cout << fmt::format("{}: ok: {} components, {} instances, {} named blocks\n", file,
                                     model.components.size(), model.instances.size(), model.named_blocks.size());
        } catch (const InputError& e) {
            if (files.size() == 1) throw;
            for (const std::string& line : diagnostic_lines(e)) std::cerr << line << '\n';
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

    ProgressLine progress;
    sim::RunOptions run = run_options_for(model, options.overrides, &progress);
    run.executor = mpi_executor();
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

namespace {

void add_overrides(CLI::App& cmd, SettingsOverrides& o) {
    cmd.add_option("--replications,-n", o.replications, "number of replications (overrides the file)");
    // A negative seed would wrap silently to 2^64 - 1: refuse it.
    cmd.add_option("--seed", o.seed, "random seed, 0 or more (overrides the file)")
        ->check(CLI::Validator(
            [](std::string& text) {
                return text.find('-') == std::string::npos ? std::string() : "a seed must be 0 or more, got " + text;
            },
            "SEED>=0"));
    cmd.add_option("--threads,-j", o.threads, "worker threads (default: all cores; results do not depend on it)");
    cmd.add_option("--horizon", o.horizon, "simulated time per replication, e.g. 10y (overrides the file)");
}

// Under mpirun (cli/mpi_world.h) every rank runs the command and rank 0 alone writes files.
bool secondary_mpi_rank() { return mpi_world().size > 1 && mpi_world().rank != 0; }

// What the ranks cannot share: exit 2 with one line.
int refuse_under_mpirun(const char* what) {
    std::cerr << "nines: under mpirun the ranks share 'run', 'check', 'sweep' and 'compare' themselves; run '" << what
              << "' without mpirun\n";
    return kExitInputError;
}

}  // namespace

std::function<int()> define_command(study::CommandId id, CLI::App& cmd) {
    // Each command's options live as long as the returned action (CLI11 writes into them while parsing).
    switch (id) {
        case study::CommandId::Run: {
            auto o = std::make_shared<RunCommandOptions>();
            cmd.add_option("scenario", o->scenario, "scenario file (YAML)")->required();
            add_overrides(cmd, o->overrides);
            cmd.add_option("--json", o->json, "write results as JSON to FILE, or '-' for stdout");
            cmd.add_option("--csv", o->csv, "write CSV files into DIR");
            cmd.add_flag("--quiet,-q", o->quiet, "print nothing on success (use with --json or --csv)");
            cmd.add_option("--shard", o->shard, "run only shard I of N (I from 1), with --partial; see `nines merge`");
            cmd.add_option("--partial", o->partial, "with --shard: write the shard's partial results to FILE");
            cmd.add_option("--step", o->step, "with --shard: the step of a precision target to run (default 1; `nines merge` says when another is needed)");
            return [o] {
                if (mpi_world().size > 1 && (o->shard || o->partial)) return refuse_under_mpirun("run --shard");
                if (secondary_mpi_rank()) {
                    o->json.reset();
                    o->csv.reset();
                }
                return run_command(*o);
            };
        }
        case study::CommandId::Merge: {
            auto o = std::make_shared<MergeCommandOptions>();
            cmd.add_option("partials", o->partials, "partial files (any order)")->required();
            cmd.add_option("--json", o->json, "write results as JSON to FILE, or '-' for stdout");
            cmd.add_option("--csv", o->csv, "write CSV files into DIR");
            cmd.add_flag("--quiet,-q", o->quiet, "print nothing on success (use with --json or --csv)");
            return [o] {
                if (secondary_mpi_rank()) {
                    o->json.reset();
                    o->csv.reset();
                }
                return merge_command(*o);
            };
        }
        case study::CommandId::Analyze: {
            auto o = std::make_shared<AnalyzeCommandOptions>();
            cmd.add_option("scenario", o->scenario, "scenario file (YAML)")->required();
            cmd.add_option("--json", o->json, "write results as JSON to FILE, or '-' for stdout");
            cmd.add_option("--order", o->max_order, "largest minimal cut set to list (default 4)");
            cmd.add_option("--rows", o->rows, "rows of the importance and cut set tables (default 10)");
            cmd.add_option("--method", o->method, "auto (closed form or BDD), bdd, or ctmc (exponential, small models)");
            cmd.add_flag("--per-instance", o->per_instance,
                         "JSON: the importance of every instance (otherwise one row per component)");
            cmd.add_option("--mission-time", o->mission_time,
                           "figures at this time from an all-up start (e.g. 1y), as fault-tree tools give them, "
                           "instead of the steady state");
            cmd.add_option("--bdd-memory", o->bdd_memory,
                           "memory the exact evaluation's decision diagrams may take (e.g. 8GiB; default about 1 GiB)");
            cmd.add_option("--bound-branches", o->bound_branches,
                           "when no diagram fits: expansions the certified bounds on the unavailability may take "
                           "(default 2000; more gives tighter bounds, in that memory budget)");
            return [o] {
                if (secondary_mpi_rank()) o->json.reset();
                return analyze_command(*o);
            };
        }
        case study::CommandId::Check: {
            auto o = std::make_shared<CheckCommandOptions>();
            cmd.add_option("paths", o->paths, "scenario files or folders")->required();
            cmd.add_flag("--strict", o->strict, "treat inconclusive expectations as failures");
            cmd.add_option("--junit", o->junit, "write JUnit XML to FILE");
            cmd.add_option("--json", o->json, "write results as JSON to FILE, or '-' for stdout");
            cmd.add_option("--max-replications", o->max_replications,
                           "cap on replications added while an expectation is inconclusive (default 16 x the scenario's)");
            add_overrides(cmd, o->overrides);
            cmd.add_flag("--quiet,-q", o->quiet, "print only the totals line (no table, no progress lines)");
            return [o] {
                if (secondary_mpi_rank()) {
                    o->junit.reset();
                    o->json.reset();
                }
                return check_command(*o);
            };
        }
        case study::CommandId::Sweep: {
            auto o = std::make_shared<SweepCommandOptions>();
            cmd.add_option("scenario", o->scenario, "scenario file (YAML)")->required();
            cmd.add_option("--set", o->sets, "KEY=VALUES, e.g. web.count=2..6 or lb.repair.mttr=1h,2h (repeatable)");
            cmd.add_option("--link", o->links, "KEY=VALUES;KEY=VALUES: keys that move together, not crossed, e.g. 'db.count=3,5;system.k_of_n.k=2,3' (repeatable)");
            cmd.add_option("--goal", o->goal, "smallest: also name the smallest point meeting every expectation (first key first); overrides the scenario's sweep goal");
            add_overrides(cmd, o->overrides);
            cmd.add_option("--csv", o->csv, "write one CSV row per point to FILE");
            cmd.add_option("--json", o->json, "write results as JSON to FILE, or '-' for stdout");
            cmd.add_flag("--quiet,-q", o->quiet, "print nothing on success");
            cmd.add_option("--shard", o->shard, "run only shard I of N (I from 1) of every point, with --partial; see `nines merge`");
            cmd.add_option("--partial", o->partial, "with --shard: write the shard's partial results to FILE");
            cmd.add_option("--step", o->step, "with --shard: the step to run (default 1; `nines merge` says when another is needed)");
            return [o] {
                if (mpi_world().size > 1 && (o->shard || o->partial)) return refuse_under_mpirun("sweep --shard");
                if (secondary_mpi_rank()) {
                    o->csv.reset();
                    o->json.reset();
                }
                return sweep_command(*o);
            };
        }
        case study::CommandId::Compare: {
            auto o = std::make_shared<CompareCommandOptions>();
            cmd.add_option("scenarios", o->scenarios, "two or more scenario files")->required()->expected(2, -1);
            add_overrides(cmd, o->overrides);
            cmd.add_option("--json", o->json, "write results as JSON to FILE, or '-' for stdout");
            cmd.add_flag("--quiet,-q", o->quiet, "print nothing on success (use with --json)");
            cmd.add_option("--shard", o->shard, "run only shard I of N (I from 1) of every design's runs, with --partial; see `nines merge`");
            cmd.add_option("--partial", o->partial, "with --shard: write the shard's partial results to FILE");
            cmd.add_option("--step", o->step, "with --shard: the step to run (default 1; `nines merge` says when another is needed)");
            return [o] {
                if (mpi_world().size > 1 && (o->shard || o->partial)) return refuse_under_mpirun("compare --shard");
                if (secondary_mpi_rank()) o->json.reset();
                return compare_command(*o);
            };
        }
        case study::CommandId::Report: {
            auto o = std::make_shared<ReportCommandOptions>();
            cmd.add_option("scenario", o->scenario, "scenario file (YAML)")->required();
            cmd.add_option("-o,--output", o->output, "output folder")->required();
            add_overrides(cmd, o->overrides);
            return [o] {
                if (mpi_world().size > 1) return refuse_under_mpirun("report");
                return report_command(*o);
            };
        }
        case study::CommandId::Validate: {
            auto paths = std::make_shared<std::vector<std::string>>();
            cmd.add_option("paths", *paths, "scenario files or folders")->required();
            return [paths] { return validate_command(*paths); };
        }
        case study::CommandId::Import: {
            auto o = std::make_shared<ImportCommandOptions>();
            cmd.add_option("files", o->files, "FILE.xml (Open-PSA MEF; several files make one model) or FILE.dft (Galileo)")->required();
            cmd.add_option("-o,--output", o->output, "write the scenario to FILE (default: stdout)");
            cmd.add_option("--top", o->top, "MEF: the top gate, when several gates are used by no other");
            cmd.add_option("--mission-time", o->mission_time, "MEF: the value of <system-mission-time/>, e.g. 1y (default 8760h)");
            return [o] { return import_command(*o); };
        }
        case study::CommandId::Export: {
            auto o = std::make_shared<ExportCommandOptions>();
            cmd.add_option("scenario", o->scenario, "scenario file (YAML)")->required();
            cmd.add_flag("--mef", o->mef, "Open-PSA MEF (XML), for SCRAM, XFTA and other MEF tools")->required();
            cmd.add_option("-o,--output", o->output, "write to FILE (default: stdout)");
            return [o] { return export_command(*o); };
        }
    }
    throw std::logic_error("command without a definition");  // not reached: the switch covers every CommandId
}

}  // namespace nines::cli
