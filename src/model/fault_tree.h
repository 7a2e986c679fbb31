// A fault tree as the interchange formats describe it (Open-PSA MEF, Galileo): plain data between
// the readers (io/mef_reader, io/galileo_reader) and the scenario writer (report/scenario_writer).
// Events are failures: a gate is true when the system it stands for has FAILED. Translating that
// into nines' success logic (OR -> series, AND -> parallel, at least k of n failed -> k_of_n with
// n - k + 1 up) is the writer's job, so the readers stay faithful to their formats.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/error.h"

namespace nines {

// How a basic event's failure behaviour was given.
struct FaultTreeEvent {
    std::string name;
    std::string label;                      // free text from the file (MEF <label>), may be empty
    // Exactly one of: a probability (of being failed), or a failure rate per hour with an optional
    // repair rate per hour (none: the unit is not repaired).
    std::optional<double> probability;
    std::optional<double> failure_rate_per_h;
    std::optional<double> repair_rate_per_h;
    std::string origin;                     // how the value was written, e.g. "exponential(lambda, t = 8760)"
    SourceLocation location;
};

enum class FaultTreeGateKind { Or, And, AtLeast };

// A gate's inputs are events (basic events) or gates, by index.
struct FaultTreeInput {
    bool is_gate = false;
    int index = 0;
};

struct FaultTreeGate {
    std::string name;                       // empty for a nested formula; the writer names it
    std::string label;
    FaultTreeGateKind kind = FaultTreeGateKind::Or;
    int at_least = 0;                       // AtLeast: how many inputs must fail
    std::vector<FaultTreeInput> inputs;
    SourceLocation location;
};

// A beta-factor common-cause group (members of equal total probability q): each member fails alone
// with probability (1 - beta) q, and all members together with probability beta q.
struct FaultTreeCommonCause {
    std::string name;
    std::vector<int> members;               // events
    double beta = 0;
    SourceLocation location;
};

struct FaultTree {
    std::string name;
    std::string source;                     // the files it was read from, for the written header
    std::string format;                     // "Open-PSA MEF", "Galileo"
    std::vector<FaultTreeEvent> events;
    std::vector<FaultTreeGate> gates;
    std::vector<FaultTreeCommonCause> common_causes;
    FaultTreeInput top;
    std::vector<std::string> notes;         // translation choices the reader made, written as comments
};

}  // namespace nines
