// `nines sweep` and `nines compare` in shards (README "Shards and merge": sweeps and compare). A
// command runs a sequence of simulations (a sweep's valid points in order; per compared design its
// paired and its independent run), each extended step by step as study::planned_targets says. Shard
// i of N of step k computes, for every simulation with a k-th step, the blocks of shard i of that
// step. The merge runs the command itself with an executor that, for the j-th simulation it starts,
// adopts step by step the partials' blocks of simulation j: the same bits as the command on one machine.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "shard/study_partial.h"
#include "sim/runner.h"
#include "study/compare.h"
#include "study/sweep.h"

namespace nines::shard {

// Shard side: this shard's blocks of step `step` (1-based) of every simulation of the sweep or compare.
std::vector<SimulationStep> sweep_shard(const std::vector<SweepAxis>& axes, const study::SweepPointModel& model_at,
                                        const std::function<void(SimulationSettings&)>& adjust,
                                        const study::StudyOptions& base, int step, int shard, int shards);
std::vector<SimulationStep> compare_shard(const std::vector<Model>& models, const std::function<void(SimulationSettings&)>& adjust,
                                          const study::StudyOptions& base, int step, int shard, int shards);

struct StudyPartialFile {
    std::string file;
    StudyPartial partial;
};

// Throws InputError (naming both files and the field) unless every partial has the first one's nines
// version, command, scenario files and hashes, --set and --link values and overrides; and unless, step by
// step, each shard 1..N of the step's N is there exactly once and the steps present are 1..K.
void check_study_partials(const std::vector<StudyPartialFile>& partials);

// Adopts the partials' steps, simulation by simulation in the order the command starts them.
class StudyPartialsExecutor : public sim::StepExecutor {
public:
    explicit StudyPartialsExecutor(const std::vector<StudyPartialFile>& partials);
    void extend(sim::SimulationRun& run, std::int64_t target, const sim::RunOptions& options) override;

    // What the command asked for that no partial holds: thrown by extend.
    struct Missing {
        int simulation = 0;
        int step = 0;  // 1-based: the simulation's step the command needed
        std::int64_t begin = 0;
        std::int64_t end = 0;
    };

private:
    struct Key {
        int simulation;
        std::int64_t begin, end;
        bool operator<(const Key& o) const {
            return simulation != o.simulation ? simulation < o.simulation : begin != o.begin ? begin < o.begin : end < o.end;
        }
    };
    std::map<Key, std::vector<const sim::StepShard*>> steps_;
    std::map<Key, std::string> file_of_;
    int simulation_ = -1;   // the simulation being merged
    int step_ = 0;          // its steps adopted
};

// Runs `command` (run_sweep or compare_designs with the executor set in its options) on the partials.
// Throws InputError when a simulation needs a step beyond those merged, saying which step to run next
// (every shard again with --step K), or a step that is not planned (not supported yet).
void merge_study(const std::vector<StudyPartialFile>& partials, const std::function<void(sim::StepExecutor*)>& command);

}  // namespace nines::shard
