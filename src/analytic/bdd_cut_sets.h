// Minimal cut sets from the structure function's BDD: Rauzy's minimal-solutions construction
// ("New algorithms for fault trees analysis", RESS 1993) builds the family of minimal cut sets as a
// ZBDD straight from the BDD, the order limit applied inside the construction (a branch that would
// need more failures than the limit is cut as it is reached, so no larger set is ever built).
// Modules are kept as variables in the BDD; their own families are substituted for them (a product
// of families over disjoint variables, which stays minimal).
//
// The Fussell-Vesely sums (P(C) over every minimal cut set, and over those containing each
// instance) are computed on the ZBDD in two linear passes, without enumerating the sets, so they
// cover every minimal cut set whatever their number.
#pragma once

#include <cstddef>
#include <vector>

#include "analytic/cut_sets.h"
#include "analytic/structure_function.h"

namespace nines::analytic {

// ZBDD nodes allowed for the family of every minimal cut set (about 40 bytes a node with the
// operation tables): past it, the sums cover the sets up to the order limit only, flagged.
inline constexpr std::size_t kCutSetZbddNodeLimit = 1'000'000;
// Sets listed at most: the most probable ones (the family itself may hold many more;
// `count_within_order` says how many, and the sums below cover them all).
inline constexpr std::size_t kCutSetListLimit = 10'000;

struct BddCutSets {
    CutSetList listed;              // up to the order limit, most probable first (at most list_limit of them)
    double count_within_order = 0;  // minimal cut sets up to the order limit (listed unless truncated)
    std::size_t zbdd_nodes = 0;
    // Over every minimal cut set (no order limit) when `all_known`, otherwise over those up to the order.
    bool all_known = false;
    double count_all = 0;
    double total = 0;                // sum of P(C)
    std::vector<double> containing;  // per instance: sum of P(C) over the sets that contain it
};

// `q` is the unavailability of each instance. Throws UnsupportedError when even the family up to the
// order limit exceeds `node_limit` ZBDD nodes.
BddCutSets bdd_minimal_cut_sets(const StructureFunction& sf, const std::vector<double>& q, int max_order,
                                std::size_t node_limit = kCutSetZbddNodeLimit,
                                std::size_t list_limit = kCutSetListLimit);

}  // namespace nines::analytic
