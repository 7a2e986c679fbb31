// The `nines` subcommands. Each returns the process exit code; errors from the library arrive as
// exceptions and are mapped to exit codes in main.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "study/command_table.h"

namespace CLI {
class App;
}

namespace nines::cli {

// Declares the arguments of command `id` (a row of study::kCommands) on its subcommand, and returns
// what runs it with the values parsed into them. One case per CommandId, no default: a command in the
// table without its arguments and action here is a compile error.
std::function<int()> define_command(study::CommandId id, CLI::App& command);

// Exit codes, documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitExpectationFailed = 1;  // check: an expectation failed (or was inconclusive under --strict)
inline constexpr int kExitInputError = 2;   // bad scenario, bad option value, usage error
inline constexpr int kExitFailure = 3;      // could not write output, internal error
inline constexpr int kExitCancelled = 130;  // interrupted (Ctrl-C)

// Command-line values that replace the scenario's simulation settings.
struct SettingsOverrides {
    std::optional<std::int64_t> replications;
    std::optional<std::uint64_t> seed;
    std::optional<int> threads;
    std::optional<std::string> horizon;
};
void apply_overrides(const SettingsOverrides& overrides, SimulationSettings& settings);

struct RunCommandOptions {
    std::string scenario;
    SettingsOverrides overrides;
    std::optional<std::string> json;  // file, or "-" for stdout
    std::optional<std::string> csv;   // directory
    bool quiet = false;
    // Shards (README "Shards and merge"): "i/N" with --partial FILE runs shard i of N of step `step`.
    std::optional<std::string> shard;
    std::optional<std::string> partial;
    int step = 1;
};

int run_command(const RunCommandOptions& options);

struct MergeCommandOptions {
    std::vector<std::string> partials;
    std::optional<std::string> json;  // file, or "-" for stdout
    std::optional<std::string> csv;   // directory
    bool quiet = false;
};
int merge_command(const MergeCommandOptions& options);
int validate_command(const std::vector<std::string>& paths);

struct AnalyzeCommandOptions {
    std::string scenario;
    std::optional<std::string> json;
    int max_order = 4;
    int rows = 10;
    std::string method = "auto";  // auto, bdd, ctmc
    bool per_instance = false;    // JSON: the importance of every instance, not only the per-component table
    std::optional<std::string> mission_time;  // a duration: the figures at that time from an all-up start
    std::optional<std::string> bdd_memory;    // an amount of memory: the BDD's budget (default about 1 GiB)
    std::optional<long> bound_branches;       // the certified bounds' expansions when no diagram fits
};
int analyze_command(const AnalyzeCommandOptions& options);

struct CheckCommandOptions {
    std::vector<std::string> paths;
    bool strict = false;
    std::optional<std::string> junit;
    std::optional<std::string> json;
    std::optional<std::int64_t> max_replications;
    SettingsOverrides overrides;
    bool quiet = false;  // only the totals line on stdout (errors still on stderr)
};
int check_command(const CheckCommandOptions& options);

struct SweepCommandOptions {
    std::string scenario;
    std::vector<std::string> sets;
    std::vector<std::string> links;   // --link: each one linked axis
    std::optional<std::string> goal;  // --goal smallest | cheapest (default: the scenario's sweep goal)
    SettingsOverrides overrides;
    std::optional<std::string> csv;
    std::optional<std::string> json;
    bool quiet = false;
    // Shards (README "Shards and merge"): "i/N" with --partial FILE runs shard i of N of step `step`.
    std::optional<std::string> shard;
    std::optional<std::string> partial;
    int step = 1;
};
int sweep_command(const SweepCommandOptions& options);

struct CompareCommandOptions {
    std::vector<std::string> scenarios;
    SettingsOverrides overrides;
    std::optional<std::string> json;
    bool quiet = false;
    std::optional<std::string> shard;    // as for sweep
    std::optional<std::string> partial;
    int step = 1;
};
int compare_command(const CompareCommandOptions& options);

struct ReportCommandOptions {
    std::string scenario;
    std::string output;
    SettingsOverrides overrides;
};
int report_command(const ReportCommandOptions& options);

// Fault trees from other tools (interchange_commands.cpp).
struct ImportCommandOptions {
    std::vector<std::string> files;      // *.xml: Open-PSA MEF (one model, possibly split); *.dft: Galileo
    std::optional<std::string> output;   // the scenario file; stdout when absent
    std::string top;                     // MEF: the top gate, when several gates are used by none
    std::optional<std::string> mission_time;  // MEF: the value of <system-mission-time/> (default 8760 h)
};
int import_command(const ImportCommandOptions& options);

struct ExportCommandOptions {
    std::string scenario;
    bool mef = false;                    // the only format so far; required, so that more can come
    std::optional<std::string> output;
};
int export_command(const ExportCommandOptions& options);

}  // namespace nines::cli
