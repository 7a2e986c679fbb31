// Writes a fault-tree-shaped scenario as Open-PSA MEF (opsa-mef) for other tools (SCRAM, XFTA):
// every instance becomes a basic event whose probability is its steady-state unavailability
// (mean down time / (MTTF + mean down time), for any laws), and every block a gate of failure logic:
// series -> or, parallel -> and, k_of_n (k up of n) -> atleast n - k + 1 (or/and at the ends), a
// block of one member -> a gate that names that member; `requires` -> an or of the instance and
// what it requires. The probability of the top event then equals nines' steady-state unavailability.
//
// Scenarios whose components depend on each other (limited crews, spares, standby, common causes),
// non-repairable components (steady-state probability 1), and inspections or preventive maintenance
// (planned outages a fault tree has no place for) cannot be exported: InputError at the place that
// rules it out.
#pragma once

#include <string>

#include "model/model.h"

namespace nines::report {

std::string write_mef(const Model& model);

}  // namespace nines::report
