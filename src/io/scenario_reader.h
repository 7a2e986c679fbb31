// Reads a scenario file (YAML, format v1 of DESIGN.md) into a validated Model.
// Every problem becomes an InputError naming file:line:column; the Model returned is complete and
// consistent (acyclic structure, indices in range), so later layers never re-check it.
#pragma once

#include <string>

#include "model/model.h"

namespace nines::io {

// Reads and validates the file at `path`.
Model read_scenario_file(const std::string& path);

// Reads from text; `name` is what messages call the file.
Model read_scenario_text(const std::string& text, const std::string& name);

}  // namespace nines::io
