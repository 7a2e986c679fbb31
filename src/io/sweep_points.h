// The models of a sweep's points for a scenario file: the file's text with each point's assignments,
// read again. Shared by `nines sweep` and the Python module; study::run_sweep takes the function.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/model.h"
#include "model/sweep_axis.h"

namespace nines::io {

using SweepPointModels = std::function<Model(const std::vector<Assignment>& assignments, const std::string& label)>;

// Reads and validates `file` as written (its own errors carry its own lines) and checks every axis
// path against it; the function returned reads the file's text with a point's assignments, and
// throws InputError at the first axis's location, naming the point, when they make it invalid.
// Throws InputError for a bad file, no axes, or an axis path the scenario does not have.
SweepPointModels sweep_point_models(const std::string& file, const std::vector<SweepAxis>& axes);

}  // namespace nines::io
