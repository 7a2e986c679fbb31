// A reduced ordered binary decision diagram (ROBDD) package, small and single-purpose: build the
// structure function of a model exactly (shared components and requires included), then evaluate
// probabilities and all Birnbaum importances in linear passes over the nodes.
//
// Nodes live in a NodeTable (node_table.h, shared with the ZBDD package) in creation order, so every
// node's children precede it: bottom-up passes are a loop over the node array. Node 0 is the
// constant false, node 1 the constant true.
//
// Complexity: make_node O(1) expected (the table's unique table); ite memoised in a lossy
// direct-mapped computed table, O(|f| |g| |h|) worst case, usually close to linear for fault trees.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analytic/node_table.h"
#include "model/error.h"

namespace nines::analytic {

using BddRef = NodeRef;

// The diagram would exceed its node limit (an UnsupportedError, so callers that do not try another
// variable order report it as any other refusal).
class BddNodeLimitError : public UnsupportedError {
public:
    using UnsupportedError::UnsupportedError;
};

// The most memory a Bdd of at most `node_limit` nodes takes: node arrays 12 bytes a node (24 with
// vector growth), the unique table under 4 slots of 4 bytes a node, the computed table as many
// entries of 16 bytes as the unique table has slots, at least 2^18 and at most 2^24 of them.
// 1.07 GB at 20,000,000 nodes.
constexpr std::size_t bdd_memory_bound_bytes(std::size_t node_limit) {
    std::size_t entries = 4 * node_limit;
    if (entries > (std::size_t{1} << 24)) entries = std::size_t{1} << 24;
    if (entries < (std::size_t{1} << 18)) entries = std::size_t{1} << 18;
    return 40 * node_limit + 16 * entries;
}

// A memory budget as a node limit: the largest limit whose bdd_memory_bound_bytes is within `bytes`,
// at most kMaxBddNodeLimit (nodes are numbered by 32-bit integers); 0 when even kMinBddNodeLimit's
// bound exceeds the budget (too small to be of use).
inline constexpr std::size_t kMinBddNodeLimit = std::size_t{1} << 16;
inline constexpr std::size_t kMaxBddNodeLimit = (std::size_t{1} << 31) - 2;
std::size_t bdd_node_limit_for_memory(double bytes);
// Why a budget is refused ("" when it gives a limit): for the messages of the CLI and the Python module.
std::string bdd_memory_refusal(double bytes);

class Bdd {
public:
    static constexpr BddRef kFalse = 0;
    static constexpr BddRef kTrue = 1;

    // `variables` variables, ordered by level 0 .. variables-1; `node_limit` bounds memory (throws
    // UnsupportedError when exceeded).
    Bdd(int variables, std::size_t node_limit);

    BddRef variable(int level);
    BddRef ite(BddRef f, BddRef g, BddRef h);
    BddRef and_(BddRef f, BddRef g) { return ite(f, g, kFalse); }
    BddRef or_(BddRef f, BddRef g) { return ite(f, kTrue, g); }
    // At least k of the functions are true.
    BddRef at_least(const std::vector<BddRef>& functions, int k);
    // True when the functions that are true weigh at least k in all (weights whole and positive): the
    // threshold function of a capacity block, O(n k) ite calls.
    BddRef at_least_weighted(const std::vector<BddRef>& functions, const std::vector<int>& weights, int k);

    // The node (level, low, high) itself, for copying a diagram built elsewhere (structure_function.cpp
    // copies the diagrams of a SiftingBdd): `low` and `high` must be at deeper levels (larger numbers).
    BddRef node(int level, BddRef low, BddRef high) { return make_node(level, low, high); }

    std::size_t size() const { return nodes_.size(); }
    int level(BddRef n) const { return nodes_.var(n); }
    BddRef low(BddRef n) const { return nodes_.lo(n); }
    BddRef high(BddRef n) const { return nodes_.hi(n); }

    // P(f = true) for independent variables with P(level l true) = p[l] and P(level l false) = q[l]
    // (both given, so that neither is computed as 1 - the other and small values keep their digits).
    // With `complement`, P(f = false), computed directly on the same nodes.
    double probability(BddRef f, const std::vector<double>& p, const std::vector<double>& q, bool complement) const;
    // The same, and the gradient dP/dp[l] for every level (with `complement`, dP(not f)/dq[l], which
    // equals dP(f)/dp[l]: the Birnbaum importance when f is the structure function). One bottom-up
    // and one top-down pass.
    double probability_and_gradient(BddRef f, const std::vector<double>& p, const std::vector<double>& q,
                                    bool complement, std::vector<double>& gradient) const;

private:
    // value[n] = P(node n true) (false with `complement`) for every node up to f.
    void forward(BddRef f, const std::vector<double>& p, const std::vector<double>& q, bool complement,
                 std::vector<double>& value) const;
    BddRef make_node(int level, BddRef low, BddRef high);

    int variables_;
    NodeTable nodes_;  // terminals have level = variables_
    ComputedTable cache_{std::size_t{1} << 18};  // ite(f, g, h), grown with the unique table up to 2^24
};

}  // namespace nines::analytic
