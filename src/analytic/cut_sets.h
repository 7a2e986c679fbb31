// Minimal cut sets up to an order limit: the smallest sets of instances whose failure alone brings the
// system down, by top-down expansion of the structure (MOCUS) with minimisation at every gate.
#pragma once

#include <cstddef>
#include <vector>

#include "model/structure_graph.h"

namespace nines::analytic {

struct CutSet {
    std::vector<int> instances;  // sorted instance ids
    double probability = 0;      // product of the instances' unavailabilities
};

struct CutSetList {
    std::vector<CutSet> sets;    // most probable first
    int max_order = 0;
    bool truncated = false;      // some sets were dropped by a size cap (or a k-of-n too wide to enumerate)
    bool order_limited = false;  // some unions were larger than max_order: minimal cut sets above it may exist
    bool complete() const { return !truncated && !order_limited; }
};

// `q` is the unavailability of each instance. Sets larger than `max_order` are not reported.
// `max_work` bounds the sets built over all gates (0: no bound); past it the search stops, truncated.
// The default keeps long `requires` chains (gate i has i cut sets: quadratic) to about a second.
inline constexpr std::size_t kCutSetWork = 4'000'000;
CutSetList minimal_cut_sets(const StructureGraph& graph, const std::vector<double>& q, int max_order,
                            std::size_t max_sets_per_gate = 200000, std::size_t max_work = kCutSetWork);

}  // namespace nines::analytic
