#include "sim/step_shard.h"

#include <algorithm>

namespace nines::sim {

StepLayout StepLayout::of(std::int64_t begin, std::int64_t end) {
    StepLayout layout;
    layout.begin = begin;
    layout.end = end;
    const std::int64_t count = std::max<std::int64_t>(0, end - begin);
    // Replications per block: a function of the step's size only (never of the thread count), so that
    // the merge order, and with it every floating-point sum, is the same however the work is spread.
    // Small runs get small blocks so that every thread has work.
    layout.per_block = std::clamp<std::int64_t>(count / 64, 1, 16);
    layout.blocks = (count + layout.per_block - 1) / layout.per_block;
    return layout;
}

std::pair<std::int64_t, std::int64_t> StepLayout::shard_blocks(int shard, int shards) const {
    const auto share = [&](std::int64_t k) { return blocks * k / shards; };
    return {share(shard), share(static_cast<std::int64_t>(shard) + 1)};
}

}  // namespace nines::sim
