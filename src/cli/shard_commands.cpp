#include "cli/shard_commands.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/command_support.h"
#include "io/scenario_reader.h"
#include "io/sweep_points.h"
#include "report/output_files.h"
#include "shard/merge.h"
#include "shard/partial_file.h"
#include "shard/step_plan.h"
#include "shard/study_shards.h"
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
    ProgressLine progress;
    sim::RunOptions run = run_options_for(model, options.overrides, &progress);

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

namespace {

// The header of a sweep's or compare's partial: what the merge needs to run the command again.
shard::StudyPartial study_partial_header(const char* command, const std::vector<std::string>& scenarios,
                                         const SettingsOverrides& overrides, int step, int shard, int shards) {
    shard::StudyPartial p;
    p.nines_version = NINES_VERSION;
    p.command = command;
    for (const std::string& file : scenarios) p.scenarios.push_back({file, shard::scenario_hash(file)});
    p.override_replications = overrides.replications;
    p.override_seed = overrides.seed;
    p.override_horizon = overrides.horizon;
    p.step = step;
    p.shard = shard;
    p.shards = shards;
    return p;
}

void check_study_shard_options(const std::optional<std::string>& shard, const std::optional<std::string>& partial, int step) {
    if (!shard || !partial) {
        throw InputError(kCommandLine, "--shard I/N and --partial FILE go together: a shard writes its partial results to FILE");
    }
    if (step < 1) throw InputError(kCommandLine, "--step must be 1 or more");
}

int write_study_partial(const shard::StudyPartial& p, const std::string& file, bool quiet) {
    if (p.simulations.empty()) {
        throw InputError(kCommandLine, fmt::format("--step {}: no simulation of this {} has a step {} (without a precision target "
                                                   "or expectations to resolve, a simulation has one step)",
                                                   p.step, p.command, p.step));
    }
    report::write_file_atomically(file, shard::study_partial_to_text(p), &g_cancel);
    if (!quiet) {
        std::int64_t replications = 0;
        for (const shard::SimulationStep& s : p.simulations) {
            for (const sim::ComputedBlock& b : s.data.blocks) replications += static_cast<std::int64_t>(b.outcomes.size());
        }
        std::cout << fmt::format("shard {}/{} of step {} of the {}: {} simulations, {} replications -> {}\n", p.shard + 1, p.shards,
                                 p.step, p.command, p.simulations.size(), replications, file);
    }
    return kExitOk;
}

}  // namespace

int shard_sweep_command(const SweepCommandOptions& options) {
    check_study_shard_options(options.shard, options.partial, options.step);
    if (options.json || options.csv) {
        throw InputError(kCommandLine, "a shard writes only its partial (--partial); `nines merge` writes --json and --csv");
    }
    if (options.goal) {
        // The merge reads the goal from the scenario: a shard cannot pass it on.
        throw InputError(kCommandLine, "--goal does not go with --shard: write the goal in the scenario "
                                       "(sweep: { goal: smallest }), which `nines merge` reads");
    }
    const auto [shard, shards] = parse_shard(*options.shard);
    const std::vector<SweepAxis> axes = sweep_axes_for(options.scenario, options.sets, options.links);
    refuse_inputs(options.partial, {options.scenario}, "--partial");
    InterruptGuard interrupts;
    study::StudyOptions base;
    base.resolve_inconclusive = true;  // as `nines sweep`
    base.run.cancel = &g_cancel;
    shard::StudyPartial p = study_partial_header("sweep", {options.scenario}, options.overrides, options.step, shard, shards);
    p.sets = options.sets;
    p.links = options.links;
    p.simulations = shard::sweep_shard(
        axes, io::sweep_point_models(options.scenario, axes), [&](SimulationSettings& s) { apply_overrides(options.overrides, s); },
        base, options.step, shard, shards);
    return write_study_partial(p, *options.partial, options.quiet);
}

int shard_compare_command(const CompareCommandOptions& options) {
    check_study_shard_options(options.shard, options.partial, options.step);
    if (options.json) throw InputError(kCommandLine, "a shard writes only its partial (--partial); `nines merge` writes --json");
    const auto [shard, shards] = parse_shard(*options.shard);
    refuse_inputs(options.partial, options.scenarios, "--partial");
    InterruptGuard interrupts;
    std::vector<Model> designs;
    for (const std::string& file : options.scenarios) designs.push_back(io::read_scenario_file(file));
    study::StudyOptions base;  // as `nines compare`
    base.run.cancel = &g_cancel;
    shard::StudyPartial p = study_partial_header("compare", options.scenarios, options.overrides, options.step, shard, shards);
    p.simulations = shard::compare_shard(designs, [&](SimulationSettings& s) { apply_overrides(options.overrides, s); }, base,
                                         options.step, shard, shards);
    return write_study_partial(p, *options.partial, options.quiet);
}

namespace {

// `nines merge` of sweep or compare partials: the command again, on the partials' blocks.
int merge_study_command(const MergeCommandOptions& options) {
    std::vector<shard::StudyPartialFile> partials;
    for (const std::string& file : options.partials) {
        const std::string text = read_partial_text(file);
        if (!shard::is_study_partial_text(text)) {
            throw InputError(SourceLocation{file, 0, 0}, "does not belong with " + options.partials.front() +
                                                             ": not a partial of `nines sweep` or `nines compare`");
        }
        partials.push_back({file, shard::study_partial_from_text(text, file)});
    }
    shard::check_study_partials(partials);
    const shard::StudyPartial& first = partials.front().partial;
    const std::string& from = partials.front().file;
    if (first.nines_version != NINES_VERSION) {
        throw InputError(SourceLocation{from, 0, 0}, std::string("written by nines ") + first.nines_version + "; this is nines " +
                                                         NINES_VERSION + ": merge with the version that ran the shards");
    }
    std::vector<std::string> files;
    for (const shard::HashedScenario& s : first.scenarios) {
        const std::string hash = shard::scenario_hash(s.file);
        if (hash != s.hash) {
            throw InputError(SourceLocation{from, 0, 0}, "the scenario file " + s.file + " (or a model library it imports) changed since the shards ran (hash " +
                                                             s.hash + ", now " + hash + ")");
        }
        files.push_back(s.file);
    }
    refuse_inputs(options.json, files, "--json");
    refuse_inputs(options.csv, files, "--csv");
    SettingsOverrides overrides;
    overrides.replications = first.override_replications;
    overrides.seed = first.override_seed;
    overrides.horizon = first.override_horizon;
    const auto adjust = [&](SimulationSettings& s) { apply_overrides(overrides, s); };
    study::StudyOptions base;
    base.run.cancel = &g_cancel;
    if (first.command == "sweep") {
        const std::vector<SweepAxis> axes = sweep_axes_for(files.front(), first.sets, first.links);
        base.resolve_inconclusive = true;
        study::SweepResults result;
        shard::merge_study(partials, [&](sim::StepExecutor* executor) {
            base.run.executor = executor;
            result = study::run_sweep(axes, io::sweep_point_models(files.front(), axes), adjust, base,
                                      sweep_goal_for(files.front(), std::nullopt));
        });
        write_sweep_outputs(result, options.csv, options.json, options.quiet);
        return kExitOk;
    }
    if (options.csv) throw InputError(kCommandLine, "`nines compare` writes no CSV: merge its partials with --json");
    std::vector<Model> designs;
    for (const std::string& file : files) designs.push_back(io::read_scenario_file(file));
    study::CompareResults result;
    shard::merge_study(partials, [&](sim::StepExecutor* executor) {
        base.run.executor = executor;
        result = study::compare_designs(designs, adjust, base);
    });
    write_compare_outputs(result, options.json, options.quiet);
    return kExitOk;
}

}  // namespace

int merge_command(const MergeCommandOptions& options) {
    refuse_inputs(options.json, options.partials, "--json");
    InterruptGuard interrupts;
    std::vector<shard::PartialFile> partials;
    for (const std::string& file : options.partials) {
        std::string text = read_partial_text(file);
        if (shard::is_study_partial_text(text)) {
            if (file != options.partials.front()) {
                throw InputError(SourceLocation{file, 0, 0}, "does not belong with " + options.partials.front() +
                                                                 ": a partial of `nines sweep` or `nines compare`, not of `nines run`");
            }
            return merge_study_command(options);
        }
        partials.push_back({file, shard::partial_from_text(text, file)});
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
