#include "cli/mpi_world.h"

#include <climits>
#include <cstdio>
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
// Open MPI's mpirun, and PMI/PMIx launchers (srun, hydra), set these for every rank they start.
bool started_by_mpirun() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
        if (std::getenv(name)) return true;
    }
    return false;
}
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

void mpi_silence_other_ranks() {
    if (g_world.rank == 0) return;
    if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr)) return;
}

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

sim::StepExecutor* mpi_executor() {
    static MpiStepExecutor executor;
    return g_world.size > 1 ? &executor : nullptr;
}

void MpiStepExecutor::extend(sim::SimulationRun& run, std::int64_t target, const sim::RunOptions& options) {
#ifdef NINES_HAVE_MPI
    sim::RunOptions local = options;
    local.executor = nullptr;
    const int size = g_world.size;
    sim::StepShard own = run.run_shard(run.replications(), target, g_world.rank, size, local);
    // Every rank's shard to every rank, encoded as in partial files (exact for every double).
    const std::string text = shard::step_shard_to_text(own);
    if (text.size() > static_cast<std::size_t>(INT_MAX)) throw Error("a rank's share of a step exceeds 2 GB; use more ranks");
    const int length = static_cast<int>(text.size());
    std::vector<int> lengths(static_cast<std::size_t>(size));
    MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD);
    std::vector<int> offsets(static_cast<std::size_t>(size), 0);
    long long total = 0;
    for (int r = 0; r < size; ++r) {
        if (total > INT_MAX) throw Error("the shards of a step exceed 2 GB; use fewer replications per step");
        offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
        total += lengths[static_cast<std::size_t>(r)];
    }
    if (total > INT_MAX) throw Error("the shards of a step exceed 2 GB; use fewer replications per step");
    std::string all(static_cast<std::size_t>(total), '\0');
    MPI_Allgatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, MPI_COMM_WORLD);
    std::vector<sim::StepShard> shards(static_cast<std::size_t>(size));
    for (int r = 0; r < size; ++r) {
        const auto k = static_cast<std::size_t>(r);
        shards[k] = r == g_world.rank ? std::move(own)
                                      : shard::step_shard_from_text(all.substr(static_cast<std::size_t>(offsets[k]),
                                                                               static_cast<std::size_t>(lengths[k])));
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

}  // namespace nines::cli
