// Writes an imported fault tree as a nines scenario (YAML), with every choice of the translation
// written beside what it produced, so that the file explains itself:
//  - a basic event is a component that is down while the event is true (failed);
//  - probability q: exponential mttf = (1 - q) x 1000 h and mttr = q x 1000 h, so that the
//    component's steady-state unavailability is exactly q (the 1000 h cycle only matters to `run`);
//  - failure rate lambda, repair rate mu (per hour): mttf = 1 / lambda, mttr = 1 / mu; no repair rate:
//    a non-repairable component;
//  - gates fail on failures, nines blocks work on working members: OR -> series, AND -> parallel,
//    at least k of n failed -> k_of_n with n - k + 1 up; a gate that only names another event -> a
//    series of one; a nested formula -> a block named after its gate and position;
//  - a beta-factor CCF group (members of probability q) is expanded as MEF tools do: each member is
//    the series of its own failure (q x (1 - beta)) and the group's common failure (q x beta);
//  - system: the top gate, so nines' unavailability is the probability of the top event.
#pragma once

#include <string>

#include "model/fault_tree.h"

namespace nines::report {

std::string write_scenario(const FaultTree& tree);

}  // namespace nines::report
