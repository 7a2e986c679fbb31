// Merging partials: proving they belong together, then running the study on their blocks exactly as
// `nines run` runs it on its own (study::run_study with a StepExecutor that adopts the partials'
// blocks instead of simulating), so the results are bit for bit those of the plain run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "shard/partial.h"
#include "study/study.h"

namespace nines::shard {

// A partial as read, with the file it came from (for messages).
struct PartialFile {
    std::string file;
    Partial partial;
};

// Throws InputError (naming both files and the field) unless every partial has the first one's nines
// version, scenario file and hash, seed, horizon, warm-up, grid, replications and precision target;
// and unless, step by step, the partials hold every block of the step exactly once (naming the
// missing or doubled replications) and the steps present are 1..K.
void check_partials(const std::vector<PartialFile>& partials);

// The step the merge would need next: its 1-based number and replications.
struct NextStep {
    int step = 0;
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

struct MergedStudy {
    study::StudyResults study;
    // Set when the precision target asked for a step no partial holds: the study above then stops at
    // the replications the partials hold (its precision outcome says the target is not met).
    std::optional<NextStep> next_step;
};

// `settings`: the scenario's settings with the partials' overrides applied (the caller reads the
// scenario, checks the hash and applies them). The partials must have passed check_partials.
MergedStudy merge_partials(const Model& model, const SimulationSettings& settings, const std::vector<PartialFile>& partials,
                           const study::StudyOptions& options);

}  // namespace nines::shard
