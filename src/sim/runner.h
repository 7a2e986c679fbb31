// Runs the replications of a study on worker threads and summarises them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "model/model.h"
#include "sim/results.h"

namespace nines::sim {

struct RunOptions {
    SimulationSettings settings;                 // usually the model's, with command-line overrides
    // Called from one thread at a time with (replications done, total); must not throw.
    std::function<void(std::int64_t, std::int64_t)> progress;
    const std::atomic<bool>* cancel = nullptr;   // set to stop early: run throws CancelledError
};

// Replications are grouped in fixed blocks of consecutive indices; each replication draws from its
// own streams (seed, replication, instance), and blocks are merged in index order, so the results are
// byte-identical for any thread count.
SimulationResults run_simulation(const Model& model, const RunOptions& options);

// Number of worker threads for a request of `requested` (0 = all cores).
int resolve_threads(int requested);

}  // namespace nines::sim
