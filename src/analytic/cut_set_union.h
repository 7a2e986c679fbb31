// The exact probability that at least one of a list of cut sets is down, for independent instances:
// when no diagram of the whole structure fits, the union of the minimal cut sets found so far is
// still a diagram that fits, and since each of them brings a coherent system down, its probability is
// a certified lower bound on the unavailability (the sets left out can only add to it).
//
// Complexity: one BDD over the instances the sets name, in the order of a structure's variable order
// heuristic (a set's events then sit close together, as they do in the structure), built as an OR of
// ANDs: O(sets x order) ite calls, on diagrams that can still grow large for thousands of sets (the
// node limit bounds them).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "analytic/cut_sets.h"

namespace nines::analytic {

// P(some set of `sets` has all its instances down), with P(instance i down) = q[i] and up = a[i]
// (both given, so that small values keep their digits); the instances ordered by `rank` (instance i
// above j when rank[i] < rank[j], as variable_levels gives them); nullopt when the diagram of the union
// needs more than `node_limit` nodes.
std::optional<double> cut_set_union_probability(const std::vector<CutSet>& sets, const std::vector<double>& a,
                                                const std::vector<double>& q, const std::vector<int>& rank,
                                                std::size_t node_limit);

}  // namespace nines::analytic
