// The `changes:` section: change streams (deploys, config pushes, certificate rotations) as failure
// sources. Read after the blocks, so a change may touch named blocks as well as components and instances.
#pragma once

#include "io/reader_context.h"

namespace nines::io {

void read_changes(ReaderContext& ctx, const YamlNode& node);

// Changes act on plain units: a standby member cannot be touched (its roles are the standby group's).
void check_change_targets(ReaderContext& ctx);

}  // namespace nines::io
