// Reads fault trees written in the Open-PSA Model Exchange Format (MEF, opsa-mef 2.0d) into a
// FaultTree: gates (and, or, atleast, nested formulas, bare references), basic events with a
// probability (<float>, <int>, <parameter>), <exponential> (a probability at a mission time) or <GLM>
// with no demand failures (a failure and a repair rate), parameters, and xi:include of whole files.
// Everything else (house events, negation and the other non-coherent connectives, other expressions,
// event trees, CCF groups other than beta-factor) is refused with an InputError naming
// file:line:column of the construct, and so is anything inconsistent (undefined or twice-defined
// names, cycles, several top gates when none is chosen).
#pragma once

#include <string>
#include <vector>

#include "model/fault_tree.h"

namespace nines::io {

struct MefOptions {
    std::string top;                 // the gate to import; empty: the one gate no other gate uses
    double mission_time_h = 8760.0;  // value of <system-mission-time/> (SCRAM's default)
};

// Reads and joins the files (a model may be split, e.g. gates in one file and basic events in another).
FaultTree read_mef_files(const std::vector<std::string>& paths, const MefOptions& options = {});

// The same from text; `name` is what messages call the file (includes are resolved from the current folder).
FaultTree read_mef_text(const std::string& text, const std::string& name, const MefOptions& options = {});

}  // namespace nines::io
