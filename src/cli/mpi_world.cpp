#include "cli/mpi_world.h"

#include <cstdlib>
#include <string>
#include <vector>

#ifdef NINES_HAVE_MPI
#include <mpi.h>
#endif

#include "model/error.h"
#include "shard/partial_file.h"

namespace nines::cli {

namespace {

MpiWorld g_world;

#ifdef NINES_HAVE_MPI
constexpr int kShardTag = 14;

// Open MPI's mpirun, and PMI/PMIx launchers (srun, hydra), set these for every rank they start.
bool started_by_mpirun() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
        if (std::getenv(name)) return true;
    }
    return false;
}

// Rank 0 announces each step as {begin, end}; {-1, -1} ends the study.
void announce(std::int64_t (&step)[2]) { MPI_Bcast(step, 2, MPI_INT64_T, 0, MPI_COMM_WORLD); }
#endif

}  // namespace

void mpi_start(int& argc, char**& argv) {
#ifdef NINES_HAVE_MPI
    if (!started_by_mpirun()) return;
    MPI_Init(&argc, &argv);
    g_world.active = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_world.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_world.size);
#else
    (void)argc;
    (void)argv;
#endif
}

const MpiWorld& mpi_world() { return g_world; }

void mpi_finish() {
#ifdef NINES_HAVE_MPI
    if (g_world.active) MPI_Finalize();
#endif
    g_world.active = false;
}

void mpi_abort(int code) {
#ifdef NINES_HAVE_MPI
    if (g_world.active) MPI_Abort(MPI_COMM_WORLD, code);
#endif
    std::_Exit(code);
}

void MpiStepExecutor::extend(sim::SimulationRun& run, std::int64_t target, const sim::RunOptions& options) {
#ifdef NINES_HAVE_MPI
    sim::RunOptions local = options;
    local.executor = nullptr;
    std::int64_t step[2] = {run.replications(), target};
    announce(step);
    std::vector<sim::StepShard> shards(static_cast<std::size_t>(g_world.size));
    shards[0] = run.run_shard(step[0], step[1], 0, g_world.size, local);
    for (int r = 1; r < g_world.size; ++r) {
        MPI_Status status;
        MPI_Probe(r, kShardTag, MPI_COMM_WORLD, &status);
        int bytes = 0;
        MPI_Get_count(&status, MPI_CHAR, &bytes);
        std::string text(static_cast<std::size_t>(bytes), '\0');
        MPI_Recv(text.data(), bytes, MPI_CHAR, r, kShardTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        shards[static_cast<std::size_t>(r)] = shard::step_shard_from_text(text);
    }
    std::vector<const sim::StepShard*> in_order;
    for (const sim::StepShard& s : shards) {
        if (!s.blocks.empty()) in_order.push_back(&s);  // more ranks than blocks: some hold none
    }
    run.adopt_step(target, in_order);
#else
    (void)run;
    (void)target;
    (void)options;
    throw Error("this nines was built without MPI");
#endif
}

void MpiStepExecutor::finish() {
#ifdef NINES_HAVE_MPI
    std::int64_t end[2] = {-1, -1};
    announce(end);
#endif
}

void serve_mpi_steps(const sim::SimulationRun& run, const sim::RunOptions& options) {
#ifdef NINES_HAVE_MPI
    for (;;) {
        std::int64_t step[2] = {0, 0};
        announce(step);
        if (step[1] < 0) return;
        const sim::StepShard shard = run.run_shard(step[0], step[1], g_world.rank, g_world.size, options);
        const std::string text = shard::step_shard_to_text(shard);
        MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, 0, kShardTag, MPI_COMM_WORLD);
    }
#else
    (void)run;
    (void)options;
#endif
}

}  // namespace nines::cli
