// Parameter overrides and sweep axes: `web.count=2..6`, `simulation.horizon=5y`, `lb.repair.mttr=1h,2h`.
// A path is a dotted path into the scenario document; a first part that is not a top-level key is a
// component name (`web.count` is `components.web.count`).
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "io/yaml_document.h"
#include "model/error.h"
#include "model/sweep_axis.h"

namespace nines::io {

using SweepAxis = nines::SweepAxis;
using Assignment = nines::Assignment;

// Parses "KEY=VALUES" where VALUES is "a..b" (integers, inclusive), "a..b:step", or "v1,v2,...".
// Throws InputError at `where` for a malformed spec or a range with no values.
SweepAxis parse_sweep_spec(const std::string& spec, const SourceLocation& where);
// Keys that move together, not crossed: "db.count=3,5;system.k_of_n.k=2,3" gives the points
// (3, 2) and (5, 3). The first axis carries the others in `linked`; all need as many values.
SweepAxis parse_linked_spec(const std::string& spec, const SourceLocation& where);
SweepAxis link_axes(std::vector<SweepAxis> axes, const SourceLocation& where);
// The same for a key and a YAML value (a list, or a string range) from a `sweep:` section.
SweepAxis sweep_axis_from_yaml(const std::string& key, const YamlNode& values, const SourceLocation& where);

// Throws InputError (at the assignment's location) when the path's parent does not exist in `root`.
void check_assignment_path(const YamlNode& root, const std::string& path, const std::string& file, const SourceLocation& where);

// Returns the scenario text with each path set to its value. Throws InputError when a path does
// not exist in the document (the last part may be new if its parent map exists).
std::string apply_assignments(const std::string& text, const std::string& file, const std::vector<Assignment>& assignments);

}  // namespace nines::io
