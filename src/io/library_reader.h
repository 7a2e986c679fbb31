// Scenario reader, part "library imports": `imports:` lists model libraries (files with `types:`,
// each number with its source); components refer to the types with `type:`.
#pragma once

#include "io/reader_context.h"

namespace nines::io {

// Reads every imported file (paths relative to the scenario) into ctx.imports and ctx.types.
void read_imports(ReaderContext& ctx, const YamlNode& node);

}  // namespace nines::io
