// `nines run|sweep|compare --shard i/N --partial FILE` and `nines merge` (README "Shards and merge").
#pragma once

#include "cli/commands.h"

namespace nines::cli {

// The run command when --shard or --partial is given.
int shard_run_command(const RunCommandOptions& options);

// The sweep and compare commands when --shard or --partial is given.
int shard_sweep_command(const SweepCommandOptions& options);
int shard_compare_command(const CompareCommandOptions& options);

}  // namespace nines::cli
