// Scenario reader, part "groups": units that act together — standby groups (a block kind whose
// members switch in) and common causes (beta factors and shocks that fail several units at once).
#pragma once

#include "io/reader_context.h"

namespace nines::io {

// The `standby:` block with id `id` (its value node `value`): records the group and fills the block.
void read_standby(ReaderContext& ctx, int id, const YamlNode& value);
// After the structure is read: standby members belong to their group alone.
void check_standby_members(ReaderContext& ctx);
// Top-level `common_cause:`; after the components and their requires.
void read_common_causes(ReaderContext& ctx, const YamlNode& node);

}  // namespace nines::io
