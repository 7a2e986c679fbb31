// Minimal cut sets up to an order straight from the structure, without its BDD: for when the
// structure function fits no diagram. Each gate's family of minimal cut sets is built bottom-up on a
// ZBDD (variables: the instances), the order limit applied inside every product so that no larger set
// is ever built, and minimised at every gate by Rauzy's "without" (the sets that contain no smaller
// set of the family). A threshold gate (down when its down children weigh at least t) is the counting
// recurrence over its children: families of sets that bring the weight down so far to at least m.
//
// Complexity: the ZBDD operations are memoised; the families are limited to the order, so for cut sets
// of a few events out of thousands they stay far smaller than the structure function's BDD.
#pragma once

#include <cstddef>
#include <vector>

#include "analytic/bdd_cut_sets.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// The minimal cut sets of order <= max_order, as bdd_minimal_cut_sets gives them: the family of every
// minimal cut set is tried first (all_known, and the sums over it); past `node_limit` ZBDD nodes, the
// family up to the order alone, with 4 x `node_limit` nodes. Throws UnsupportedError when even that is
// not enough.
BddCutSets structure_minimal_cut_sets(const StructureGraph& g, const std::vector<double>& q, int max_order,
                                      std::size_t node_limit = kCutSetZbddNodeLimit,
                                      std::size_t list_limit = kCutSetListLimit);

}  // namespace nines::analytic
