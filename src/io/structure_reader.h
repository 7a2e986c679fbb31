// Scenario reader, part "structure": `requires` of the components, the named `blocks:` and the
// `system:` block (series, parallel, k_of_n; standby is read by group_reader), with the references
// they contain (name, name[index]).
#pragma once

#include <string>
#include <vector>

#include "io/reader_context.h"

namespace nines::io {

// Every component's `requires` (kept by read_components until all component names are known).
void read_requires(ReaderContext& ctx);
// The top-level `blocks:` map (may be null); names are registered first so blocks may refer forward.
void read_blocks(ReaderContext& ctx, const YamlNode& node);
// One block (a reference or an inline structure) at nesting `depth`; returns its id.
int read_block(ReaderContext& ctx, const YamlNode& node, int depth);
// The members of a block: a list, or one component name standing for all its instances.
std::vector<int> read_children(ReaderContext& ctx, const YamlNode& node, const std::string& what, int depth);
// Warns about components that no block and no requires uses.
void warn_unused(ReaderContext& ctx);

}  // namespace nines::io
