#include "shard/study_shards.h"

#include <algorithm>
#include <map>
#include <set>

#include "model/error.h"
#include "shard/partial_grouping.h"
#include "study/method_selection.h"

namespace nines::shard {

namespace {

// Step `step` of one simulation, this shard's part of it, appended to `out` when the plan has it.
void shard_of_simulation(const Model& model, const SimulationSettings& settings, const study::StudyOptions& base, int index,
                         int step, int shard, int shards, std::vector<SimulationStep>& out) {
    (void)study::choose_method(model, settings);  // a method the study refuses stops the shard as it stops the command
    study::StudyOptions options = base;
    options.run.settings = settings;
    const std::vector<std::int64_t> targets = study::planned_targets(settings, options);
    if (static_cast<std::size_t>(step) > targets.size()) return;
    const std::int64_t begin = step == 1 ? 0 : targets[static_cast<std::size_t>(step - 2)];
    const std::int64_t end = targets[static_cast<std::size_t>(step - 1)];
    const sim::SimulationRun run(model, settings);
    sim::RunOptions run_options = options.run;
    run_options.executor = nullptr;
    out.push_back({index, run.run_shard(begin, end, shard, shards, run_options)});
}

std::string overrides_text(const StudyPartial& p) {
    std::string s;
    if (p.override_replications) s += " --replications " + std::to_string(*p.override_replications);
    if (p.override_seed) s += " --seed " + std::to_string(*p.override_seed);
    if (p.override_horizon) s += " --horizon " + *p.override_horizon;
    return s.empty() ? "(none)" : s.substr(1);
}

std::string joined(const std::vector<std::string>& values) {
    std::string s;
    for (const std::string& v : values) s += (s.empty() ? "" : " ") + v;
    return s.empty() ? "(none)" : s;
}

std::string scenarios_text(const StudyPartial& p, bool hashes) {
    std::string s;
    for (const HashedScenario& h : p.scenarios) s += (s.empty() ? "" : " ") + (hashes ? h.hash : h.file);
    return s;
}

}  // namespace

std::vector<SimulationStep> sweep_shard(const std::vector<SweepAxis>& axes, const study::SweepPointModel& model_at,
                                        const std::function<void(SimulationSettings&)>& adjust,
                                        const study::StudyOptions& base, int step, int shard, int shards) {
    // The points run_sweep runs, in its order; a point whose scenario is invalid runs nothing there either.
    std::vector<SimulationStep> out;
    int index = 0;
    for (const study::SweepPoint& point : study::sweep_points(axes)) {
        std::optional<Model> built;
        try {
            built.emplace(model_at(point.assignments, point.label));
        } catch (const InputError&) {
            continue;
        }
        SimulationSettings settings = built->simulation;
        adjust(settings);
        shard_of_simulation(*built, settings, base, index++, step, shard, shards, out);
    }
    return out;
}

std::vector<SimulationStep> compare_shard(const std::vector<Model>& models, const std::function<void(SimulationSettings&)>& adjust,
                                          const study::StudyOptions& base, int step, int shard, int shards) {
    const std::vector<SimulationSettings> runs = study::compare_run_settings(models, adjust);
    std::vector<SimulationStep> out;
    for (std::size_t k = 0; k < runs.size(); ++k) {
        shard_of_simulation(models[k / 2], runs[k], base, static_cast<int>(k), step, shard, shards, out);
    }
    return out;
}

void check_study_partials(const std::vector<StudyPartialFile>& partials) {
    if (partials.empty()) throw InputError(SourceLocation{"command line", 0, 0}, "merge needs at least one partial file");
    const StudyPartialFile& first = partials.front();
    for (const StudyPartialFile& pf : partials) {
        const StudyPartial& a = first.partial;
        const StudyPartial& b = pf.partial;
        require_same(first, pf, "the nines version", a.nines_version, b.nines_version);
        require_same(first, pf, "the command", a.command, b.command);
        require_same(first, pf, "the scenario files", scenarios_text(a, false), scenarios_text(b, false));
        require_same(first, pf, "the scenario hashes (a file changed between runs)", scenarios_text(a, true), scenarios_text(b, true));
        require_same(first, pf, "--set", joined(a.sets), joined(b.sets));
        require_same(first, pf, "--link", joined(a.links), joined(b.links));
        require_same(first, pf, "the overrides", overrides_text(a), overrides_text(b));
    }
    // Step by step: the same shard count, each shard once.
    for (std::vector<const StudyPartialFile*>& files : partials_by_step(partials)) {
        const int step = files.front()->partial.step;
        const StudyPartialFile& head = *files.front();
        std::map<int, const StudyPartialFile*> seen;
        for (const StudyPartialFile* pf : files) {
            if (pf->partial.shards != head.partial.shards) {
                throw InputError(SourceLocation{pf->file, 0, 0}, "does not belong with " + head.file + ": step " + std::to_string(step) +
                                                                     " is cut in " + std::to_string(pf->partial.shards) +
                                                                     " shards here but " + std::to_string(head.partial.shards) + " there");
            }
            const auto [it, fresh] = seen.emplace(pf->partial.shard, pf);
            if (!fresh) {
                throw InputError(SourceLocation{pf->file, 0, 0}, "holds shard " + std::to_string(pf->partial.shard + 1) + "/" +
                                                                     std::to_string(pf->partial.shards) + " of step " + std::to_string(step) +
                                                                     " again (also in " + it->second->file + "): give each shard once");
            }
        }
        for (int s = 0; s < head.partial.shards; ++s) {
            if (!seen.count(s)) {
                throw InputError(SourceLocation{head.file, 0, 0}, "step " + std::to_string(step) + ": shard " + std::to_string(s + 1) + "/" +
                                                                      std::to_string(head.partial.shards) + " is in no partial (a shard is missing)");
            }
        }
    }
}

StudyPartialsExecutor::StudyPartialsExecutor(const std::vector<StudyPartialFile>& partials) {
    for (const StudyPartialFile& pf : partials) {
        for (const SimulationStep& s : pf.partial.simulations) {
            const Key key{s.simulation, s.data.begin, s.data.end};
            if (!s.data.blocks.empty()) steps_[key].push_back(&s.data);  // shards with no block add nothing
            file_of_.emplace(key, pf.file);
        }
    }
    for (auto& entry : steps_) {
        std::sort(entry.second.begin(), entry.second.end(),
                  [](const sim::StepShard* x, const sim::StepShard* y) { return x->first_block < y->first_block; });
    }
}

void StudyPartialsExecutor::extend(sim::SimulationRun& run, std::int64_t target, const sim::RunOptions&) {
    if (run.replications() == 0) {  // a simulation's first step: the next simulation of the command
        ++simulation_;
        step_ = 0;
    }
    const Key key{simulation_, run.replications(), target};
    const auto file = file_of_.find(key);
    if (file == file_of_.end()) throw Missing{simulation_, step_ + 1, run.replications(), target};
    try {
        run.adopt_step(target, steps_[key]);
    } catch (const InputError&) {
        throw;
    } catch (const Error& e) {
        throw InputError(SourceLocation{file->second, 0, 0},
                         std::string("this partial, or another of its step, does not fit the scenario: ") + e.what());
    }
    ++step_;
}

void merge_study(const std::vector<StudyPartialFile>& partials, const std::function<void(sim::StepExecutor*)>& command) {
    check_study_partials(partials);
    int steps = 0;
    for (const StudyPartialFile& pf : partials) steps = std::max(steps, pf.partial.step);
    StudyPartialsExecutor executor(partials);
    try {
        command(&executor);
    } catch (const StudyPartialsExecutor::Missing& m) {
        const SourceLocation where{partials.front().file, 0, 0};
        const std::string what = "simulation " + std::to_string(m.simulation + 1) + " of the " + partials.front().partial.command +
                                 " needs replications " + std::to_string(m.begin) + " to " + std::to_string(m.end - 1);
        if (m.step > steps) {
            throw InputError(where, what + " (its step " + std::to_string(m.step) + "): run every shard again with --step " +
                                        std::to_string(m.step) + " and merge all the partials");
        }
        throw InputError(where, what + ", which is no planned step (a precision target followed by looks at undecided "
                                       "expectations): not supported in shards yet; run it in one process or under mpirun");
    }
}

}  // namespace nines::shard
