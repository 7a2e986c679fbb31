// A partial: one shard of one step of a `nines run`, with what a merge needs to prove that partials
// belong together (README "Shards and merge" documents the file format, nines-partial version 2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/step_shard.h"

namespace nines::shard {

inline constexpr int kPartialFormatVersion = 2;  // 2: SLO log histograms (README "Percentiles from log histograms")

struct Partial {
    std::string nines_version;
    std::string scenario_file;   // as given to `nines run`; the merge reads the scenario from there
    std::string scenario_hash;   // "fnv1a64:" and 16 hex digits of the scenario's and its imports' bytes
    // The command-line overrides of the run (the merge applies them again to the scenario's settings).
    std::optional<std::int64_t> override_replications;
    std::optional<std::uint64_t> override_seed;
    std::optional<std::string> override_horizon;
    // The settings in effect (checked by the merge; threads are not among them: they change no bit).
    std::uint64_t seed = 0;
    double horizon_h = 0;
    double warmup_h = 0;
    double grid_h = 0;
    std::int64_t replications = 0;   // the first step's count
    std::string precision;           // the precision target in words, empty without one
    int step = 1;                    // 1-based: step k adds the replications of the k-th extension
    int shard = 0;                   // 0-based here; the command line counts from 1
    int shards = 1;
    sim::StepShard data;
};

}  // namespace nines::shard
