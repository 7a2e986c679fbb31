// A partial of `nines sweep` or `nines compare` (README "Shards and merge": sweeps and compare): one
// shard of one step of every simulation the command runs (a sweep's valid points; compare's paired and
// independent run of each design), with what a merge needs to run the command again on them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/step_shard.h"

namespace nines::shard {

inline constexpr int kStudyPartialFormatVersion = 1;

// A scenario file as the command was given it, and the hash of its bytes and imports (scenario_hash).
struct HashedScenario {
    std::string file;
    std::string hash;
};

// Step k of simulation `simulation` (0-based, in the order the command runs its simulations): this
// shard's blocks of it. A simulation with fewer than k planned steps has none.
struct SimulationStep {
    int simulation = 0;
    sim::StepShard data;
};

struct StudyPartial {
    std::string nines_version;
    std::string command;                     // "sweep" or "compare"
    std::vector<HashedScenario> scenarios;   // sweep: one; compare: the designs in order
    std::vector<std::string> sets;           // sweep: the --set values as given
    std::vector<std::string> links;          // sweep: the --link values as given
    std::optional<std::int64_t> override_replications;
    std::optional<std::uint64_t> override_seed;
    std::optional<std::string> override_horizon;
    int step = 1;
    int shard = 0;   // 0-based here; the command line counts from 1
    int shards = 1;
    std::vector<SimulationStep> simulations;
};

}  // namespace nines::shard
