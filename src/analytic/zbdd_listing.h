// What both minimal cut set constructions (from the BDD, bdd_cut_sets.cpp; from the structure,
// structure_cut_sets.cpp) do with the ZBDD family they build: sum probabilities over it, list its most
// probable sets, and run their deep recursions on a large stack.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "analytic/cut_sets.h"
#include "analytic/zbdd.h"

namespace nines::analytic {

// Sum of P(C) over the family, and over its sets containing each level, in two passes.
void probability_sums(const Zbdd& z, ZbddRef root, const std::vector<double>& q_of_level, double& total,
                      std::vector<double>& by_level);

// The `limit` most probable sets of the family (as sorted instance ids), most probable first; ties
// (up to rounding) by size, then instances. False when some sets were left out.
bool most_probable(const Zbdd& z, ZbddRef root, const std::vector<int>& instance_of_level,
                   const std::vector<double>& q_of_level, std::size_t limit, std::vector<CutSet>& out);

// Runs `work` on a thread with a large stack (the constructions recurse once per variable along a
// path); exceptions are rethrown here.
void run_on_large_stack(const std::function<void()>& work);

}  // namespace nines::analytic
