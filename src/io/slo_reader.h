// The `slo:` section: service-level objectives over windows (month, quarter, Nd, rolling Nd).
#pragma once

#include <yaml-cpp/yaml.h>

#include "io/reader_context.h"

namespace nines::io {

// `slo: { target: 99.95%, window: month }`, `window: [month, rolling 30d]`, or a list of such maps.
// Needs the simulation settings read first (a window must fit in horizon - warmup).
void read_slos(ReaderContext& ctx, const YamlNode& node);

}  // namespace nines::io
