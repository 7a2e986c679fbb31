#include "cli/shard_commands.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/command_support.h"
#include "io/scenario_reader.h"
#include "report/output_files.h"
#include "shard/merge.h"
#include "shard/partial_file.h"
#include "shard/step_plan.h"
#include "sim/runner.h"

namespace nines::cli {

namespace {

const SourceLocation kCommandLine{"command line", 0, 0};

// "i/N" with 1 <= i <= N.
std::pair<int, int> parse_shard(const std::string& text) {
    int i = 0, n = 0;
    char slash = 0;
    std::istringstream in(text);
    std::string rest;
    if (!(in >> i >> slash >> n) || slash != '/' || (in >> rest) || n < 1 || n > 1'000'000 || i < 1 || i > n) {
        throw InputError(kCommandLine, "--shard must be I/N with 1 <= I <= N (for example 2/8), got '" + text + "'");
    }
    return {i - 1, n};
}

// Partials can be larger than any scenario file: read without the scenario size limit.
std::string read_partial_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(SourceLocation{path, 0, 0}, std::string("cannot read the partial file: ") + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(SourceLocation{path, 0, 0}, "cannot read the partial file");
    return text.str();
}

bool same_double(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

int shard_run_command(const RunCommandOptions& options) {
    if (!options.shard || !options.partial) {
        throw InputError(kCommandLine, "--shard I/N and --partial FILE go together: a shard writes its partial results to FILE");
    }
    if (options.json || options.csv) {
        throw InputError(kCommandLine, "a shard writes only its partial (--partial); `nines merge` writes --json and --csv");
    }
    const auto [shard, shards] = parse_shard(*options.shard);
    refuse_inputs(options.partial, {options.scenario}, "--partial");
    InterruptGuard interrupts;
    const Model model = io::read_scenario_file(options.scenario);
    print_warnings(model);
    sim::RunOptions run;
    run.settings = model.simulation;
    apply_overrides(options.overrides, run.settings);
    run.cancel = &g_cancel;

    const std::vector<shard::StepRange> plan = shard::planned_steps(run.settings);
    if (options.step < 1 || static_cast<std::size_t>(options.step) > plan.size()) {
        throw InputError(kCommandLine, run.settings.precision
                                           ? fmt::format("--step must be between 1 and {}: the precision target's steps", plan.size())
                                           : std::string("--step must be 1: without a precision target a run has one step"));
    }
    const shard::StepRange range = plan[static_cast<std::size_t>(options.step - 1)];

    shard::Partial partial;
    partial.nines_version = NINES_VERSION;
    partial.scenario_file = options.scenario;
    partial.scenario_hash = shard::scenario_hash(options.scenario);
    partial.override_replications = options.overrides.replications;
    partial.override_seed = options.overrides.seed;
    partial.override_horizon = options.overrides.horizon;
    partial.seed = run.settings.seed;
    partial.horizon_h = run.settings.horizon_h;
    partial.warmup_h = run.settings.warmup_h;
    partial.grid_h = run.settings.grid_h;
    partial.replications = run.settings.replications;
    partial.precision = shard::describe_precision(run.settings);
    partial.step = options.step;
    partial.shard = shard;
    partial.shards = shards;
    ProgressLine progress;
    run.progress = [&progress](std::int64_t done, std::int64_t total) { progress.update(done, total); };
    try {
        const sim::SimulationRun simulation(model, run.settings);
        partial.data = simulation.run_shard(range.begin, range.end, shard, shards, run);
    } catch (...) {
        progress.finish();
        throw;
    }
    progress.finish();
    report::write_file_atomically(*options.partial, shard::partial_to_text(partial), &g_cancel);
    if (!options.quiet) {
        const sim::StepLayout layout = sim::StepLayout::of(range.begin, range.end);
        const sim::StepShard& d = partial.data;
        if (d.first_block == d.last_block) {
            std::cout << fmt::format("shard {}/{} of step {}: no replications (the step has only {} blocks) -> {}\n", shard + 1,
                                     shards, options.step, layout.blocks, *options.partial);
        } else {
            std::cout << fmt::format("shard {}/{} of step {}: replications {} to {} (blocks {} to {} of {}) -> {}\n", shard + 1,
                                     shards, options.step, layout.first_replication(d.first_block),
                                     layout.last_replication(d.last_block - 1) - 1, d.first_block, d.last_block - 1,
                                     layout.blocks, *options.partial);
        }
    }
    return kExitOk;
}

int merge_command(const MergeCommandOptions& options) {
    refuse_inputs(options.json, options.partials, "--json");
    InterruptGuard interrupts;
    std::vector<shard::PartialFile> partials;
    for (const std::string& file : options.partials) {
        partials.push_back({file, shard::partial_from_text(read_partial_text(file), file)});
    }
    shard::check_partials(partials);
    const shard::Partial& first = partials.front().partial;
    const std::string& from = partials.front().file;
    if (first.nines_version != NINES_VERSION) {
        throw InputError(SourceLocation{from, 0, 0}, std::string("written by nines ") + first.nines_version + "; this is nines " +
                                                         NINES_VERSION + ": merge with the version that ran the shards");
    }
    const std::string hash = shard::scenario_hash(first.scenario_file);
    if (hash != first.scenario_hash) {
        throw InputError(SourceLocation{from, 0, 0}, "the scenario file " + first.scenario_file +
                                                         " (or a model library it imports) changed since the shards ran (hash " + first.scenario_hash + ", now " +
                                                         hash + ")");
    }
    refuse_inputs(options.json, {first.scenario_file}, "--json");
    const Model model = io::read_scenario_file(first.scenario_file);
    print_warnings(model);
    SettingsOverrides overrides;
    overrides.replications = first.override_replications;
    overrides.seed = first.override_seed;
    overrides.horizon = first.override_horizon;
    SimulationSettings settings = model.simulation;
    apply_overrides(overrides, settings);
    if (settings.seed != first.seed || !same_double(settings.horizon_h, first.horizon_h) ||
        !same_double(settings.warmup_h, first.warmup_h) || !same_double(settings.grid_h, first.grid_h) ||
        settings.replications != first.replications || shard::describe_precision(settings) != first.precision) {
        throw InputError(SourceLocation{from, 0, 0}, "its settings are not those of " + first.scenario_file +
                                                         " with its overrides: was it written by another nines?");
    }

    study::StudyOptions study_options;
    study_options.run.cancel = &g_cancel;
    const shard::MergedStudy merged = shard::merge_partials(model, settings, partials, study_options);
    std::optional<NextStepNote> note;
    if (merged.next_step && merged.study.precision) {
        const study::PrecisionOutcome& p = *merged.study.precision;
        const shard::NextStep& next = *merged.next_step;
        note = NextStepNote{
            fmt::format("precision target NOT met yet: {} half-width {:.3g} > {:.3g} with the {} replications merged; it needs "
                        "step {} (replications {} to {}): run every shard again with --step {} and merge all the partials",
                        p.metric, p.half_width, p.target, p.replications, next.step, next.begin, next.end - 1, next.step),
            next.step, next.begin, next.end};
        std::cerr << "nines merge: " << note->precision_line << '\n';
    }
    write_run_outputs(model, merged.study, RunOutputs{options.json, options.csv, options.quiet}, note);
    return kExitOk;
}

}  // namespace nines::cli
