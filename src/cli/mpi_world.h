// `mpirun -np K nines COMMAND ...`: every rank runs the same command on the same input; each step of
// every simulation is shared, rank k computing shard k of K (whole blocks, sim/step_shard.h), and every
// rank adopts all the shards in rank order, which is block order. So every rank holds the results a
// single process would have, bit for bit, takes the same decisions (precision steps, further looks of
// check and sweep) without being told, and rank 0 alone prints and writes (README "Beyond one machine").
// MPI stays in the cli: the library layers never see it. Without MPI in the build, or when nines was
// not started by mpirun, the world is one process and nothing here talks to anyone.
#pragma once

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
// Ranks other than 0 print nothing: their stdout and stderr go to /dev/null.
void mpi_silence_other_ranks();
// Finalises MPI (normal end).
void mpi_finish();
// Ends every rank with `code` (an error on one rank while others may wait for it).
[[noreturn]] void mpi_abort(int code);

// Shares every step between the ranks (see above). Every rank must call extend for the same steps in
// the same order, which running the same command on the same input guarantees.
class MpiStepExecutor : public sim::StepExecutor {
public:
    void extend(sim::SimulationRun& run, std::int64_t target, const sim::RunOptions& options) override;
};

// The executor every simulating command uses: the MPI one with more than one rank, else none.
sim::StepExecutor* mpi_executor();

}  // namespace nines::cli
