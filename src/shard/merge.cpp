#include "shard/merge.h"

#include <algorithm>
#include <map>

#include "model/error.h"
#include "shard/partial_grouping.h"
#include "shard/step_plan.h"

namespace nines::shard {

namespace {

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// One field that must agree between partials: its name and its value in each.
std::string replications_of(const sim::StepLayout& layout, std::int64_t first_block, std::int64_t last_block) {
    return "replications " + std::to_string(layout.first_replication(first_block)) + " to " +
           std::to_string(layout.last_replication(last_block - 1) - 1);
}

// The step is missing from the partials: study::run_study asked for more than they hold.
struct StepNotInPartials {
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

// Adopts the partials' blocks for each step the study asks for.
class PartialsExecutor : public sim::StepExecutor {
public:
    explicit PartialsExecutor(const std::vector<PartialFile>& partials) {
        for (const PartialFile& p : partials) {
            by_step_[{p.partial.data.begin, p.partial.data.end}].push_back(&p.partial.data);
            file_of_step_[{p.partial.data.begin, p.partial.data.end}] = p.file;
        }
        for (auto& entry : by_step_) {
            std::sort(entry.second.begin(), entry.second.end(),
                      [](const sim::StepShard* x, const sim::StepShard* y) { return x->first_block < y->first_block; });
            // Shards with no block (more shards than blocks) add nothing.
            entry.second.erase(std::remove_if(entry.second.begin(), entry.second.end(),
                                              [](const sim::StepShard* s) { return s->blocks.empty(); }),
                               entry.second.end());
        }
    }
    void extend(sim::SimulationRun& run, std::int64_t target, const sim::RunOptions&) override {
        const auto it = by_step_.find({run.replications(), target});
        if (it == by_step_.end()) throw StepNotInPartials{run.replications(), target};
        try {
            run.adopt_step(target, it->second);
        } catch (const InputError&) {
            throw;
        } catch (const Error& e) {
            // The sums do not have this model's sizes: a damaged file, or one of another model.
            throw InputError(SourceLocation{file_of_step_.at(it->first), 0, 0},
                             std::string("this partial, or another of its step, does not fit the scenario: ") + e.what());
        }
    }

private:
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<const sim::StepShard*>> by_step_;
    std::map<std::pair<std::int64_t, std::int64_t>, std::string> file_of_step_;
};

}  // namespace

void check_partials(const std::vector<PartialFile>& partials) {
    if (partials.empty()) throw InputError(SourceLocation{"command line", 0, 0}, "merge needs at least one partial file");
    const PartialFile& first = partials.front();
    for (const PartialFile& pf : partials) {
        const Partial& a = first.partial;
        const Partial& b = pf.partial;
        require_same(first, pf, "the nines version", a.nines_version, b.nines_version);
        require_same(first, pf, "the scenario file", a.scenario_file, b.scenario_file);
        require_same(first, pf, "the scenario hash (the file changed between runs)", a.scenario_hash, b.scenario_hash);
        require_same(first, pf, "the seed", std::to_string(a.seed), std::to_string(b.seed));
        require_same(first, pf, "the horizon (hours)", number(a.horizon_h), number(b.horizon_h));
        require_same(first, pf, "the warm-up (hours)", number(a.warmup_h), number(b.warmup_h));
        require_same(first, pf, "the grid step (hours)", number(a.grid_h), number(b.grid_h));
        require_same(first, pf, "the replications", std::to_string(a.replications), std::to_string(b.replications));
        require_same(first, pf, "the precision target", a.precision.empty() ? "(none)" : a.precision,
                     b.precision.empty() ? "(none)" : b.precision);
    }

    // Step by step: every block exactly once.
    for (std::vector<const PartialFile*>& files : partials_by_step(partials)) {
        const int step = files.front()->partial.step;
        std::sort(files.begin(), files.end(), [](const PartialFile* x, const PartialFile* y) {
            return x->partial.data.first_block < y->partial.data.first_block;
        });
        const sim::StepShard& d0 = files.front()->partial.data;
        const sim::StepLayout layout = sim::StepLayout::of(d0.begin, d0.end);
        std::int64_t covered = 0;
        const PartialFile* previous = nullptr;
        for (const PartialFile* pf : files) {
            const sim::StepShard& d = pf->partial.data;
            if (d.begin != d0.begin || d.end != d0.end) {
                throw InputError(SourceLocation{pf->file, 0, 0}, "does not belong with " + files.front()->file + ": step " +
                                                                     std::to_string(step) + " is replications " +
                                                                     std::to_string(d.begin) + " to " + std::to_string(d.end - 1) +
                                                                     " here but " + std::to_string(d0.begin) + " to " +
                                                                     std::to_string(d0.end - 1) + " there");
            }
            if (d.first_block == d.last_block) continue;  // an empty shard
            if (d.first_block < covered) {
                throw InputError(SourceLocation{pf->file, 0, 0},
                                 "holds " + replications_of(layout, d.first_block, std::min(covered, d.last_block)) +
                                     " again (also in " + (previous ? previous->file : std::string("another partial")) +
                                     "): give each shard once");
            }
            if (d.first_block > covered) {
                throw InputError(SourceLocation{pf->file, 0, 0}, "step " + std::to_string(step) + ": " +
                                                                     replications_of(layout, covered, d.first_block) +
                                                                     " are in no partial (a shard is missing)");
            }
            covered = d.last_block;
            previous = pf;
        }
        if (covered != layout.blocks) {
            throw InputError(SourceLocation{files.back()->file, 0, 0}, "step " + std::to_string(step) + ": " +
                                                                           replications_of(layout, covered, layout.blocks) +
                                                                           " are in no partial (a shard is missing)");
        }
    }
}

MergedStudy merge_partials(const Model& model, const SimulationSettings& settings, const std::vector<PartialFile>& partials,
                           const study::StudyOptions& options) {
    // The steps the partials hold must be the steps these settings take.
    const std::vector<StepRange> plan = planned_steps(settings);
    for (const PartialFile& pf : partials) {
        const Partial& p = pf.partial;
        const std::size_t k = static_cast<std::size_t>(p.step - 1);
        if (p.step < 1 || k >= plan.size() || plan[k].begin != p.data.begin || plan[k].end != p.data.end) {
            throw InputError(SourceLocation{pf.file, 0, 0}, "step " + std::to_string(p.step) + " of replications " +
                                                                std::to_string(p.data.begin) + " to " + std::to_string(p.data.end - 1) +
                                                                " is not a step of this scenario's settings");
        }
    }
    PartialsExecutor executor(partials);
    study::StudyOptions o = options;
    o.run.settings = settings;
    o.run.executor = &executor;
    MergedStudy out;
    try {
        out.study = study::run_study(model, o);
        return out;
    } catch (const StepNotInPartials& missing) {
        // The precision target wants a step no partial holds: stop where the partials end. With
        // max_replications there, run_study stops at the same replications and says the target is not met.
        const auto it = std::find_if(plan.begin(), plan.end(), [&](const StepRange& r) { return r.begin == missing.begin; });
        out.next_step = NextStep{static_cast<int>(it - plan.begin()) + 1, missing.begin, missing.end};
        o.run.settings.precision->max_replications = missing.begin;
    }
    out.study = study::run_study(model, o);
    return out;
}

}  // namespace nines::shard
