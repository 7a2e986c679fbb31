// A sweep axis (a dotted scenario path and the values it takes: `web.count=2..6`) and one assignment
// of it. Plain data shared by io (which parses axes and applies assignments to scenario text) and
// study (which runs every combination on the models its caller builds).
#pragma once

#include <string>
#include <vector>

#include "model/error.h"

namespace nines {

struct SweepAxis {
    std::string path;                  // as written
    std::vector<std::string> values;   // the values, in order
    SourceLocation location;
};

struct Assignment {
    std::string path;
    std::string value;
    SourceLocation location;
};

}  // namespace nines
