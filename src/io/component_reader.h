// Scenario reader, part "components": the `components:` map (count, type, failure and repair laws,
// cost); each component's operational keys are read by operations_reader. Registers the names and
// instances the other parts refer to.
#pragma once

#include "io/reader_context.h"

namespace nines::io {

// `domains:` (zones, regions, racks) are read here too: they are components (placed in with `requires`,
// shocked with `common_cause`), flagged so that their outages are reported as domain downtime.
void read_components(ReaderContext& ctx, const YamlNode& node, bool domains = false);

}  // namespace nines::io
