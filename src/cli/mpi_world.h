// `mpirun -np K nines run SCENARIO`: the K ranks share every step of the run, rank k computing shard k
// of K (whole blocks, sim/step_shard.h), and rank 0 adopts the shards in rank order, which is block
// order, so the results are bit for bit those of a single process (README "Shards and merge").
// MPI stays in the cli: the library layers never see it. Without MPI in the build, or when nines was
// not started by mpirun, the world is one process and nothing here talks to anyone.
#pragma once

#include <memory>

#include "sim/runner.h"

namespace nines::cli {

struct MpiWorld {
    bool active = false;  // built with MPI and started by mpirun (MPI initialised)
    int rank = 0;
    int size = 1;
};

// Initialises MPI when nines was built with it and started by mpirun. Call once, first thing in main.
void mpi_start(int& argc, char**& argv);
const MpiWorld& mpi_world();
// Finalises MPI (normal end).
void mpi_finish();
// Ends every rank with `code` (an error on one rank while others wait for it).
[[noreturn]] void mpi_abort(int code);

// Rank 0: runs each step on every rank and adopts their shards in rank order. Call finish() when the
// study is done, to release the other ranks.
class MpiStepExecutor : public sim::StepExecutor {
public:
    void extend(sim::SimulationRun& run, std::int64_t target, const sim::RunOptions& options) override;
    void finish();
};

// Ranks other than 0: compute this rank's shard of every step rank 0 announces, until it announces the end.
void serve_mpi_steps(const sim::SimulationRun& run, const sim::RunOptions& options);

}  // namespace nines::cli
