// The `nines` command line: parses arguments, dispatches to a command, and maps the library's
// exceptions to exit codes. Messages go to stderr; results to stdout.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/mpi_world.h"
#include "model/error.h"

namespace {
void add_overrides(CLI::App* cmd, nines::cli::SettingsOverrides& o) {
    cmd->add_option("--replications,-n", o.replications, "number of replications (overrides the file)");
    // A negative seed would wrap silently to 2^64 - 1: refuse it.
    cmd->add_option("--seed", o.seed, "random seed, 0 or more (overrides the file)")
        ->check(CLI::Validator(
            [](std::string& text) {
                return text.find('-') == std::string::npos ? std::string() : "a seed must be 0 or more, got " + text;
            },
            "SEED>=0"));
    cmd->add_option("--threads,-j", o.threads, "worker threads (default: all cores; results do not depend on it)");
    cmd->add_option("--horizon", o.horizon, "simulated time per replication, e.g. 10y (overrides the file)");
}
}  // namespace

namespace {
int run_main(int argc, char** argv);
}  // namespace

// Under mpirun (cli/mpi_world.h) every rank runs main; a rank that fails ends them all, since the
// others may be waiting for it.
int main(int argc, char** argv) {
    nines::cli::mpi_start(argc, argv);
    const int code = run_main(argc, argv);
    const nines::cli::MpiWorld& world = nines::cli::mpi_world();
    if (world.active && world.size > 1 && code != nines::cli::kExitOk && code != nines::cli::kExitExpectationFailed) {
        std::cerr.flush();
        nines::cli::mpi_abort(code);
    }
    nines::cli::mpi_finish();
    return code;
}

namespace {
int run_main(int argc, char** argv) {
    using namespace nines::cli;
    CLI::App app{"nines: availability of redundant systems, by simulation and by analysis"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("nines ") + NINES_VERSION);

    RunCommandOptions run;
    CLI::App* run_cmd = app.add_subcommand("run", "simulate a scenario and print availability with confidence intervals");
    run_cmd->add_option("scenario", run.scenario, "scenario file (YAML)")->required();
    add_overrides(run_cmd, run.overrides);
    run_cmd->add_option("--json", run.json, "write results as JSON to FILE, or '-' for stdout");
    run_cmd->add_option("--csv", run.csv, "write CSV files into DIR");
    run_cmd->add_flag("--quiet,-q", run.quiet, "print nothing on success (use with --json or --csv)");
    run_cmd->add_option("--shard", run.shard, "run only shard I of N (I from 1), with --partial; see `nines merge`");
    run_cmd->add_option("--partial", run.partial, "with --shard: write the shard's partial results to FILE");
    run_cmd->add_option("--step", run.step, "with --shard: the step of a precision target to run (default 1; `nines merge` says when another is needed)");

    MergeCommandOptions merge;
    CLI::App* merge_cmd = app.add_subcommand("merge", "merge the partials of `nines run --shard` into the results of the whole run");
    merge_cmd->add_option("partials", merge.partials, "partial files (any order)")->required();
    merge_cmd->add_option("--json", merge.json, "write results as JSON to FILE, or '-' for stdout");
    merge_cmd->add_option("--csv", merge.csv, "write CSV files into DIR");
    merge_cmd->add_flag("--quiet,-q", merge.quiet, "print nothing on success (use with --json or --csv)");

    AnalyzeCommandOptions analyze;
    CLI::App* analyze_cmd = app.add_subcommand("analyze", "compute availability exactly (no simulation): method, importance, cut sets");
    analyze_cmd->add_option("scenario", analyze.scenario, "scenario file (YAML)")->required();
    analyze_cmd->add_option("--json", analyze.json, "write results as JSON to FILE, or '-' for stdout");
    analyze_cmd->add_option("--order", analyze.max_order, "largest minimal cut set to list (default 4)");
    analyze_cmd->add_option("--rows", analyze.rows, "rows of the importance and cut set tables (default 10)");
    analyze_cmd->add_option("--method", analyze.method, "auto (closed form or BDD), bdd, or ctmc (exponential, small models)");

    CheckCommandOptions check;
    CLI::App* check_cmd = app.add_subcommand("check", "run scenarios and judge their expectations (exit 1 when one fails)");
    check_cmd->add_option("paths", check.paths, "scenario files or folders")->required();
    check_cmd->add_flag("--strict", check.strict, "treat inconclusive expectations as failures");
    check_cmd->add_option("--junit", check.junit, "write JUnit XML to FILE");
    check_cmd->add_option("--json", check.json, "write results as JSON to FILE, or '-' for stdout");
    check_cmd->add_option("--max-replications", check.max_replications,
                          "cap on replications added while an expectation is inconclusive (default 16 x the scenario's)");
    add_overrides(check_cmd, check.overrides);
    check_cmd->add_flag("--quiet,-q", check.quiet, "print only the totals line (no table, no progress lines)");

    SweepCommandOptions sweep;
    CLI::App* sweep_cmd = app.add_subcommand("sweep", "run a scenario at every combination of parameter values");
    sweep_cmd->add_option("scenario", sweep.scenario, "scenario file (YAML)")->required();
    sweep_cmd->add_option("--set", sweep.sets, "KEY=VALUES, e.g. web.count=2..6 or lb.repair.mttr=1h,2h (repeatable)");
    add_overrides(sweep_cmd, sweep.overrides);
    sweep_cmd->add_option("--csv", sweep.csv, "write one CSV row per point to FILE");
    sweep_cmd->add_option("--json", sweep.json, "write results as JSON to FILE, or '-' for stdout");
    sweep_cmd->add_flag("--quiet,-q", sweep.quiet, "print nothing on success");

    CompareCommandOptions compare;
    CLI::App* compare_cmd = app.add_subcommand("compare", "compare designs side by side, with paired differences");
    compare_cmd->add_option("scenarios", compare.scenarios, "two or more scenario files")->required()->expected(2, -1);
    add_overrides(compare_cmd, compare.overrides);
    compare_cmd->add_option("--json", compare.json, "write results as JSON to FILE, or '-' for stdout");

    ReportCommandOptions report;
    CLI::App* report_cmd = app.add_subcommand("report", "write an HTML and a Markdown report with charts into a folder");
    report_cmd->add_option("scenario", report.scenario, "scenario file (YAML)")->required();
    report_cmd->add_option("-o,--output", report.output, "output folder")->required();
    add_overrides(report_cmd, report.overrides);

    std::vector<std::string> validate_paths;
    CLI::App* validate_cmd = app.add_subcommand("validate", "check scenario files without running them");
    validate_cmd->add_option("paths", validate_paths, "scenario files or folders")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "nines: " << e.what() << "\n(run 'nines --help' for usage)\n";
        return kExitInputError;
    }

    if (mpi_world().size > 1) {
        // Every rank runs the command; rank 0 alone prints and writes files.
        mpi_silence_other_ranks();
        if (*report_cmd || (*run_cmd && (run.shard || run.partial))) {
            std::cerr << "nines: under mpirun the ranks share 'run', 'check', 'sweep' and 'compare' themselves; run '"
                      << (*report_cmd ? "report" : "run --shard") << "' without mpirun\n";
            return kExitInputError;
        }
        if (mpi_world().rank != 0) {
            run.json.reset();
            run.csv.reset();
            check.junit.reset();
            check.json.reset();
            sweep.csv.reset();
            sweep.json.reset();
            compare.json.reset();
            analyze.json.reset();
            merge.json.reset();
            merge.csv.reset();
        }
    }
    try {
        if (*run_cmd) return run_command(run);
        if (*merge_cmd) return merge_command(merge);
        if (*validate_cmd) return validate_command(validate_paths);
        if (*analyze_cmd) return analyze_command(analyze);
        if (*check_cmd) return check_command(check);
        if (*sweep_cmd) return sweep_command(sweep);
        if (*compare_cmd) return compare_command(compare);
        if (*report_cmd) return report_command(report);
    } catch (const nines::InputError& e) {
        std::cerr << e.what() << '\n';
        return kExitInputError;
    } catch (const nines::UnsupportedError& e) {
        if (e.where().file.empty()) {
            std::cerr << "nines: cannot analyse: " << e.what() << '\n';
        } else {
            std::cerr << e.where().str() << ": error: cannot analyse: " << e.what() << '\n';
        }
        return kExitInputError;
    } catch (const nines::CancelledError&) {
        std::cerr << "nines: interrupted\n";
        return kExitCancelled;
    } catch (const nines::Error& e) {
        std::cerr << "nines: error: " << e.what() << '\n';
        return kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "nines: internal error: " << e.what() << '\n';
        return kExitFailure;
    }
    return kExitOk;
}
}  // namespace
