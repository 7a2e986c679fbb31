// A sweep axis (a dotted scenario path and the values it takes: `web.count=2..6`) and one assignment
// of it. Plain data shared by io (which parses axes and applies assignments to scenario text) and
// study (which runs every combination on the models its caller builds).
#pragma once

#include <string>
#include <vector>

#include "model/error.h"

namespace nines {

// A path that moves in step with an axis (`link:`): its k-th value goes with the axis's k-th value.
struct LinkedPath {
    std::string path;
    std::vector<std::string> values;   // as many as the axis has
};

struct SweepAxis {
    std::string path;                  // as written
    std::vector<std::string> values;   // the values, in order
    SourceLocation location;
    std::vector<LinkedPath> linked;    // zipped with this axis, not crossed
};

// What a sweep looks for among the points that meet every expectation (`sweep: { goal: ... }`,
// `nines sweep --goal`). Cheapest needs a cost model and is reported whenever the scenario has one;
// Smallest (the point whose values are smallest, the first axis deciding first) is asked for
// explicitly, because "smallest" means "fewest resources" only for counts: for a repair time or
// a k it is the most demanding design, so nines does not guess it.
enum class SweepGoal { Cheapest, Smallest };

struct Assignment {
    std::string path;
    std::string value;
    SourceLocation location;
};

}  // namespace nines
