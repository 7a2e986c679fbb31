// Runs the replications of a study on worker threads and summarises them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "model/model.h"
#include "sim/replication.h"
#include "sim/results.h"
#include "sim/step_shard.h"

namespace nines::sim {

class SimulationRun;
struct RunOptions;

// Carries out the steps of a run somewhere else (other processes): given the run and a target, it
// obtains the StepShards of the step [run.replications(), target) and gives them to run.adopt_step.
// With no executor a run computes its steps itself, on threads.
class StepExecutor {
public:
    virtual ~StepExecutor() = default;
    virtual void extend(SimulationRun& run, std::int64_t target, const RunOptions& options) = 0;
};

struct RunOptions {
    SimulationSettings settings;                 // usually the model's, with command-line overrides
    // Called from one thread at a time with (replications done, total); must not throw.
    std::function<void(std::int64_t, std::int64_t)> progress;
    const std::atomic<bool>* cancel = nullptr;   // set to stop early: run throws CancelledError
    StepExecutor* executor = nullptr;            // not null: extend_to hands each step to it
};

struct KernelModel;

// A study in progress: replications 0..n-1 of one model and settings, which can be extended to more
// replications (for precision targets and inconclusive expectations). Replication r always draws
// from the same streams (seed, r, component, instance), and each extension groups its new
// replications in blocks fixed by its own range, merged in order, so the results depend only on the
// sequence of extend_to() targets, never on the thread count.
class SimulationRun {
public:
    // Validates the settings (throws InputError).
    SimulationRun(const Model& model, const SimulationSettings& settings);
    ~SimulationRun();
    SimulationRun(const SimulationRun&) = delete;
    SimulationRun& operator=(const SimulationRun&) = delete;

    // Runs replications up to `replications` in all (nothing if already there). The model must
    // outlive the run. On cancellation throws CancelledError and the run cannot be used further.
    void extend_to(std::int64_t replications, const RunOptions& options);
    // Computes shard `shard` of `shards` of the step [begin, end) without changing the run (any
    // process holding the same model and settings computes the same bits).
    StepShard run_shard(std::int64_t begin, std::int64_t end, int shard, int shards, const RunOptions& options) const;
    // Adds the step [replications(), end) from shards that together hold each of its blocks once, in
    // block order (throws Error otherwise): the same state extend_to(end) would reach.
    void adopt_step(std::int64_t end, const std::vector<const StepShard*>& shards);
    std::int64_t replications() const { return static_cast<std::int64_t>(outcomes_.size()); }
    const SimulationSettings& settings() const { return settings_; }
    SimulationResults results() const;

private:
    // Runs blocks [first_block, last_block) of `layout` on threads: replication r's outcome goes to
    // out[r - out_first]; `consume(block, sums)` is called for every block, in block order, under a
    // lock. Progress is reported as (progress_base + done, progress_total). Returns the threads that
    // ran; throws what a worker threw, or CancelledError.
    int run_blocks(const StepLayout& layout, std::int64_t first_block, std::int64_t last_block, ReplicationOutcome* out,
                    std::int64_t out_first, const RunOptions& options, std::int64_t progress_base,
                    std::int64_t progress_total,
                    const std::function<void(std::int64_t, const BlockAccumulator&)>& consume) const;
    void reset_sums();

    const Model& model_;
    SimulationSettings settings_;
    std::unique_ptr<KernelModel> km_;
    std::vector<ReplicationOutcome> outcomes_;
    BlockAccumulator merged_;
    double wall_seconds_ = 0;
    int threads_ = 0;
    bool abandoned_ = false;  // set when an extension was abandoned
};

// One run of options.settings.replications replications.
SimulationResults run_simulation(const Model& model, const RunOptions& options);

// Number of worker threads for a request of `requested` (0 = all cores).
int resolve_threads(int requested);

namespace detail {
// Test hook: when >= 0, creating worker thread number k > this value fails as std::thread does when
// the system refuses a thread (std::system_error). -1 (the default): never.
extern std::atomic<int> thread_creation_fails_after;
}  // namespace detail

}  // namespace nines::sim
