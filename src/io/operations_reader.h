// Scenario reader, part "operations": how units are looked after — repair crews and pools,
// detection and logistics delays, spares pools, hidden failures and inspections, maintenance.
// (Standby groups and common causes are in group_reader.)
#pragma once

#include <string>

#include "io/reader_context.h"

namespace nines::io {

// The operational keys of one component definition `def` (`what` names it in messages; `type` is its
// imported type or null). Called by read_components after the laws, before the cost.
void read_component_operations(ReaderContext& ctx, Component& c, const YamlNode& def, const ImportedType* type,
                               const std::string& what);
// `repair: { crews: 2 }` or `repair: { pools: { ... } }`; before the components that name the pools.
void read_repair_policy(ReaderContext& ctx, const YamlNode& node);
// Top-level `spares:`; before the components that draw from them.
void read_spare_pools(ReaderContext& ctx, const YamlNode& node);
// After everything is read: a spares pool that no component uses is an error, an unused crew pool a warning.
void check_spare_pools_used(ReaderContext& ctx);
void warn_unused_pools(ReaderContext& ctx);

}  // namespace nines::io
