// Scenario reader, part "components": the `components:` map (count, type, failure and repair laws,
// cost); each component's operational keys are read by operations_reader. Registers the names and
// instances the other parts refer to.
#pragma once

#include "io/reader_context.h"

namespace nines::io {

void read_components(ReaderContext& ctx, const YAML::Node& node);

}  // namespace nines::io
