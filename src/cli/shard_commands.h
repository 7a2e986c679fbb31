// `nines run --shard i/N --partial FILE` and `nines merge` (README "Shards and merge").
#pragma once

#include "cli/commands.h"

namespace nines::cli {

// The run command when --shard or --partial is given.
int shard_run_command(const RunCommandOptions& options);

}  // namespace nines::cli
