// What several commands share: Ctrl-C handling, output-path checks, warnings, the progress line, and
// the outputs of a run (used by `run` and by `merge`, which must print the same bytes).
#pragma once

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "model/model.h"
#include "sim/runner.h"
#include "study/compare.h"
#include "study/study.h"
#include "study/sweep.h"

namespace nines::cli {

// Set by SIGINT and SIGTERM while an InterruptGuard lives.
extern std::atomic<bool> g_cancel;

// SIGINT and SIGTERM only set g_cancel while a command runs, from reading the scenario to the last
// output file: the simulation stops at the next check, and output files are either written whole
// or not at all (their temporaries removed), never left half-written by a signal. Installed without
// SA_RESTART, so a wait (a FIFO without a reader) is interrupted too. The previous handlers return
// when the command ends.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

private:
    struct sigaction previous_int_{};
    struct sigaction previous_term_{};
};

// Output paths must not name a scenario being read, nor a folder (checked before any simulation).
void refuse_inputs(const std::optional<std::string>& output, const std::vector<std::string>& inputs, const char* option);

void print_warnings(const Model& model);

// A progress line on stderr, only when stderr is a terminal, at most five times a second. When a
// precision target extends the run (the total grows, usually doubling), the line does not start over
// from a lower percentage: it counts replications done and names the round and its target.
// Whether stderr is a terminal (progress notes are for a person watching).
bool stderr_is_terminal();

class ProgressLine {
public:
    ProgressLine();
    void update(std::int64_t done, std::int64_t total);
    void finish();

private:
    bool enabled_;
    bool shown_ = false;
    std::int64_t total_ = 0;   // the current round's target; it grows when a precision target asks for more
    int round_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_{};
};

struct RunOutputs {
    std::optional<std::string> json;  // file, or "-" for stdout
    std::optional<std::string> csv;   // directory
    bool quiet = false;
};

// A merge whose precision target needs another step says so in place of the precision line (text
// and JSON "precision") and names the step in JSON ("next_step": { "step", "begin", "end" }).
struct NextStepNote {
    std::string precision_line;
    int step = 0;
    std::int64_t begin = 0;
    std::int64_t end = 0;  // excluded
};

// Writes a study's results as `nines run` does: files first (all or none), then the terminal.
void write_run_outputs(const Model& model, const study::StudyResults& study, const RunOutputs& outputs,
                       const std::optional<NextStepNote>& next_step = std::nullopt);

// The run options of `nines run` and of its shards: the scenario's settings with the command line's
// overrides, Ctrl-C wired to g_cancel, and the progress line when one is given.
sim::RunOptions run_options_for(const Model& model, const SettingsOverrides& overrides, ProgressLine* progress = nullptr);

// The axes of `nines sweep` (and of its shards and their merge): --set and --link, or else the
// scenario's `sweep:` section.
std::vector<SweepAxis> sweep_axes_for(const std::string& scenario, const std::vector<std::string>& sets,
                                      const std::vector<std::string>& links);

// The goal of `nines sweep`: --goal (smallest or cheapest), else the scenario's `sweep: { goal }`. A
// scenario valid only at some points still sweeps (each point reports its own problem), with the default.
SweepGoal sweep_goal_for(const std::string& scenario, const std::optional<std::string>& option);

// Writes a sweep's results as `nines sweep` does (used by sweep and by merge, which must print the same bytes).
void write_sweep_outputs(const study::SweepResults& result, const std::optional<std::string>& csv,
                         const std::optional<std::string>& json, bool quiet);

// Writes compare's results as `nines compare` does (and its merge).
void write_compare_outputs(const study::CompareResults& result, const std::optional<std::string>& json, bool quiet);

}  // namespace nines::cli
