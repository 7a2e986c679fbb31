// Scenario reader, part "study settings": what to do with the model rather than what it is —
// `simulation:` (horizon, replications or a precision target, seed, warmup, threads, grid),
// `budget:`, `expect:`, `cost:` and `sweep:`.
#pragma once

#include "io/reader_context.h"

namespace nines::io {

// Reads those keys of the scenario map `root`; after the structure, since expectations name components.
void read_study_settings(ReaderContext& ctx, const YamlNode& root);

}  // namespace nines::io
