// A step of a simulation run split into shards. A step is the replications [begin, end) that one
// SimulationRun::extend_to(end) adds; they are grouped in blocks fixed by the range alone (never by
// thread, process or shard counts), and the run's sums are the blocks' sums merged in block order.
// A shard is a contiguous range of whole blocks, so running the shards anywhere and adopting them in
// block order gives the run bit for bit the state a single process would reach.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/replication.h"

namespace nines::sim {

// How the replications [begin, end) of a step are cut into blocks.
struct StepLayout {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    std::int64_t per_block = 1;  // replications per block (the last block may hold fewer)
    std::int64_t blocks = 0;

    static StepLayout of(std::int64_t begin, std::int64_t end);
    std::int64_t first_replication(std::int64_t block) const { return begin + block * per_block; }
    std::int64_t last_replication(std::int64_t block) const {  // one past
        return block + 1 >= blocks ? end : begin + (block + 1) * per_block;
    }
    // The blocks [first, last) of shard `shard` (0-based) of `shards`: contiguous and as even as whole
    // blocks allow; a shard gets no block when there are more shards than blocks.
    std::pair<std::int64_t, std::int64_t> shard_blocks(int shard, int shards) const;
};

// One block as a worker left it: its sums and the outcomes of its replications, in order.
struct ComputedBlock {
    std::int64_t index = 0;
    BlockAccumulator sums;
    std::vector<ReplicationOutcome> outcomes;
};

// The blocks [first_block, last_block) of the step [begin, end), computed by one process.
struct StepShard {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    std::int64_t first_block = 0;
    std::int64_t last_block = 0;
    std::vector<ComputedBlock> blocks;  // first_block .. last_block - 1, in order
    double wall_seconds = 0;            // timing only: never part of the results' bits
    int threads = 0;
};

}  // namespace nines::sim
