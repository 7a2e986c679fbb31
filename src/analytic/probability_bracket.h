// Certified bounds on the probability that a coherent structure of independent instances is down,
// for structures whose diagram does not fit: recursive conditioning (Shannon expansion on one
// instance at a time) over the structure simplified by what is set, splitting a gate whose children
// share no instance into independent parts (whose probabilities combine exactly), caching each
// simplified sub-structure by identity (hash-consed, so that two paths that leave a part the same
// compute it once), and cutting off a branch whose weight in the total is too small to matter: there
// the sub-structure's probability is replaced by bounds from its gates alone (Harris' inequality:
// for increasing events of independent variables, P(A and B) >= P(A) P(B) and P(A or B) <=
// 1 - (1 - P(A)) (1 - P(B)); children with disjoint instances are independent and combine exactly).
// Nothing is cut off when the budget allows: the bounds then meet (up to rounding).
//
// Why not the minimal cut sets: their union gives a lower bound only (sets above the order limit are
// left out, and their number is unbounded); the conditioning bounds the unavailability from both sides.
//
// Complexity: each branch conditions the current sub-structure (linear in its size); the number of
// branches is exponential in the worst case, so the work is bounded by `branch_limit` and the memory
// by `node_limit` sub-structures, deterministically (no clock): the same input gives the same bounds.
// The cut-off is refined in rounds (each a hundred times finer than the last) until the bounds are
// within `relative_width` of each other or the budget is spent.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/structure_graph.h"

namespace nines::analytic {

// Gates nested deeper than this are refused (the simplification recurses along them), and expansions
// nested deeper are not made (their branches keep the bounds from the gates): the stack stays under a few MB.
inline constexpr int kBracketMaxDepth = 4000;

struct BracketBudget {
    std::size_t node_limit = 2'000'000;  // simplified sub-structures kept (each with its set of instances)
    long branch_limit = 200'000;         // Shannon expansions over all rounds
    double relative_width = 1e-12;       // stop refining once upper - lower <= this x lower
};

struct ProbabilityBracket {
    double lower = 0;  // P(root down) >= lower
    double upper = 1;  // P(root down) <= upper
    long branches = 0;
    std::size_t nodes = 0;
    int rounds = 0;
};

// Bounds on P(g.root down), instance i down with probability q[i] (up: a[i], given apart so that small
// values keep their digits). The structure must be coherent (every gate a threshold on its children's
// down weight) and the instances independent; standby groups are not modelled here. Widened by a
// relative 1e-12 each way for floating-point rounding. nullopt when the instances' sets would not fit
// in node_limit (each sub-structure keeps a bit per instance: 100,000 instances x the graph's nodes), or
// gates nested deeper than kBracketMaxDepth (bracket_refusal says which).
// Why bracket_down_probability would give nothing for this structure and budget, or "" when it gives
// bounds: the instances' sets not fitting in node_limit, or a structure deeper than the recursion allows.
std::string bracket_refusal(const StructureGraph& g, const BracketBudget& budget);

std::optional<ProbabilityBracket> bracket_down_probability(const StructureGraph& g, const std::vector<double>& a,
                                                           const std::vector<double>& q, const BracketBudget& budget);

struct ConditionedBrackets {
    ProbabilityBracket unconditioned;
    // Per instance asked for, in that order: bounds given it down, and given it up.
    std::vector<std::pair<ProbabilityBracket, ProbabilityBracket>> given;
};

// The bounds above, then for each of `instances` the bounds given it down and given it up (what the
// importance measures are made of), each conditioned run with `branch_limit_each` expansions; one
// store of sub-structures serves all, so the parts an instance does not touch are solved once.
// nullopt as for bracket_down_probability.
std::optional<ConditionedBrackets> bracket_down_probability_given(const StructureGraph& g, const std::vector<double>& a,
                                                                  const std::vector<double>& q, const BracketBudget& budget,
                                                                  const std::vector<int>& instances, long branch_limit_each);

}  // namespace nines::analytic
