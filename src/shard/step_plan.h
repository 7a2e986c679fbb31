// The steps a study's simulation takes (study::run_study): the scenario's replications first; with a
// precision target, then doubling up to its max_replications while the target is not met. A shard
// runs one step; only a merge, seeing the results, knows whether the next step is needed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"

namespace nines::shard {

struct StepRange {
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

// Every step the settings allow, in order (one without a precision target).
std::vector<StepRange> planned_steps(const SimulationSettings& settings);

// The scenario file's bytes, then each imported model library's path and bytes, hashed (FNV-1a,
// 64 bits) as "fnv1a64:<16 hex digits>".
std::string scenario_hash(const std::string& scenario_file);

// The precision target in words ("" without one), as partials record it.
std::string describe_precision(const SimulationSettings& settings);

}  // namespace nines::shard
