// A zero-suppressed binary decision diagram (ZBDD) package: families of sets of variables, shared
// and canonical, for minimal cut sets. A node (var, lo, hi) stands for lo ∪ {{var} ∪ s : s ∈ hi};
// nodes whose hi is the empty family are never made (zero suppression), so a family of sparse sets
// (cut sets have a few elements out of thousands of variables) stays small.
//
// Nodes live in a NodeTable (node_table.h, shared with the BDD package) in creation order, so every
// node's children precede it: bottom-up passes are a loop over the node array. Node 0 is the empty
// family, node 1 the family {∅}.
//
// Complexity: node O(1) expected (the table's unique table); the set operations are memoised
// in a lossy computed table, so each is close to the product of its operands' sizes at worst, and in
// practice close to the size of the result.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "analytic/node_table.h"
#include "model/error.h"

namespace nines::analytic {

using ZbddRef = NodeRef;

class Zbdd {
public:
    static constexpr ZbddRef kEmpty = 0;  // no set at all
    static constexpr ZbddRef kBase = 1;   // the family holding only the empty set
    // An order limit that is no limit (and is never decremented, so memo entries are shared).
    static constexpr int kNoLimit = std::numeric_limits<int>::max();
    static int less_one(int max_order) { return max_order == kNoLimit ? kNoLimit : max_order - 1; }

    // Variables 0 .. variables-1, ordered by index; `node_limit` bounds memory (throws
    // UnsupportedError when exceeded). `expected_nodes` sizes the computed table from the start
    // (two entries a node, within its cap): it grows with the diagram anyway, but each growth
    // drops every memo entry (3 to 7 % of the cut-set phase on edfpa14q/14r, presized from the BDD).
    Zbdd(int variables, std::size_t node_limit, std::size_t expected_nodes = 0);

    // lo ∪ {{var} ∪ s : s ∈ hi}; var must precede every variable of lo and hi.
    ZbddRef node(int var, ZbddRef lo, ZbddRef hi);
    // `n` itself when its children are lo and hi: most differences remove nothing from most nodes,
    // and returning n skips a probe of the unique table (a cache miss on large diagrams).
    ZbddRef same_or_node(ZbddRef n, ZbddRef lo, ZbddRef hi) {
        return lo == this->lo(n) && hi == this->hi(n) ? n : node(var(n), lo, hi);
    }
    ZbddRef unite(ZbddRef a, ZbddRef b);
    // The sets of p that are not sets of q. (Rauzy's "without", the sets of p that contain no set of
    // q, is the same family where it is used: see MinimalSolutions::down in bdd_cut_sets.cpp.)
    ZbddRef difference(ZbddRef p, ZbddRef q);
    // {x ∪ y : x ∈ a, y ∈ b, |x ∪ y| <= max_order}. Minimal when a and b are minimal families over
    // disjoint variables (the only use here: substituting a module's cut sets for its variable).
    ZbddRef product(ZbddRef a, ZbddRef b, int max_order);
    // The sets of a with at most max_order elements.
    ZbddRef restrict_order(ZbddRef a, int max_order);

    std::size_t size() const { return nodes_.size(); }
    std::size_t node_limit() const { return nodes_.node_limit(); }
    // Throws the UnsupportedError of a family beyond the node limit (for a caller that knows in advance
    // that a family cannot fit, as node() finds out when it is built).
    [[noreturn]] void refuse_beyond_limit() const;
    int var(ZbddRef n) const { return nodes_.var(n); }
    ZbddRef lo(ZbddRef n) const { return nodes_.lo(n); }
    ZbddRef hi(ZbddRef n) const { return nodes_.hi(n); }
    // Number of sets in the family (a double: families of 10^20 sets are representable).
    double count(ZbddRef f) const;
    // Whether the family holds the empty set.
    bool has_empty(ZbddRef n) const { return has_empty_[static_cast<std::size_t>(n)] != 0; }

private:
    NodeTable nodes_;  // terminals have var = the variable count
    // Whether the family holds the empty set (its lo chain ends in kBase), by node: the difference
    // of kBase and a family is decided at once, where the recursion would walk the whole chain.
    std::vector<std::uint8_t> has_empty_{0, 1};

    // One computed table for every operation, keyed by the operands and a tag: the operation in its
    // low 2 bits, the order limit (+1, 0 = none) above. It grows with the diagram, up to kCacheCap entries.
    static constexpr std::size_t kCacheCap = std::size_t{1} << 23;
    enum class Op : std::int32_t { Unite, Difference, Product, Restrict };
    static std::int32_t tag(Op op, int max_order) {
        const std::int32_t order = max_order == kNoLimit ? 0 : max_order + 1;
        return (order << 2) | static_cast<std::int32_t>(op);
    }
    ComputedTable cache_;
};

}  // namespace nines::analytic
