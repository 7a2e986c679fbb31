// The `nines` command line: parses arguments, dispatches to a command, and maps the library's
// exceptions to exit codes. Messages go to stderr; results to stdout.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/mpi_world.h"
#include "model/error.h"

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

    // One subcommand per row of the command table; define_command declares its arguments.
    std::vector<std::pair<CLI::App*, std::function<int()>>> commands;
    for (const nines::study::CommandSpec& c : nines::study::kCommands) {
        CLI::App* sub = app.add_subcommand(c.name, c.summary);
        commands.emplace_back(sub, define_command(c.id, *sub));
    }

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

    // Under mpirun every rank runs the command (each command's action refuses what cannot be shared and
    // keeps files to rank 0); rank 0 alone prints.
    if (mpi_world().size > 1) mpi_silence_other_ranks();
    try {
        for (const auto& [sub, run] : commands) {
            if (*sub) return run();
        }
    } catch (const nines::InputError& e) {
        // Every independent mistake of the file, one per line, as a compiler lists them.
        for (const std::string& line : nines::diagnostic_lines(e)) std::cerr << line << '\n';
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
