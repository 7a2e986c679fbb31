// A BDD manager whose variable order can change while diagrams live in it: dynamic reordering by
// sifting (Rudell 1993), for the structures no static order of variable_order.h keeps small.
//
// Unlike Bdd (bdd.h), nodes are reference-counted and kept in one unique table per variable, so that
// two adjacent levels can be swapped in place: a node keeps its number (and so its parents' pointers)
// while its variable and children change. Node numbers are not in creation order, so the passes of
// StructureFunction do not run here: StructureFunction copies the finished diagrams into a Bdd
// (children before parents) under the order found.
//
// Reference counts: a node counts its parents and the caller's ref() calls. Results of ite() start at
// zero; a node at zero is dead but stays findable until collect() frees it (a later ite() may revive
// it). collect() and sift() may only run when every function still needed is referenced.
//
// Complexity: ite as in Bdd; a swap of levels i, i+1 is O(nodes at level i), O(1) when no function
// depends on both variables; sift() moves each variable through the levels until a bound of
// SiftLimits stops it, so O(variables^2) swaps at worst.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analytic/bdd.h"

namespace nines::analytic {

// Sifting stopped by its work bound (SiftingBdd::set_swap_work_limit), not by the node limit.
class SiftingWorkLimitError : public BddNodeLimitError {
public:
    using BddNodeLimitError::BddNodeLimitError;
};

class SiftingBdd {
public:
    using Ref = std::int32_t;
    static constexpr Ref kFalse = 0;
    static constexpr Ref kTrue = 1;

    // Variables 0 .. variables-1, variable v at level v to start with; at most `node_limit` nodes
    // allocated, dead ones included (make_node throws BddNodeLimitError beyond: an ite in progress
    // holds unreferenced results, so nothing can be collected there).
    SiftingBdd(int variables, std::size_t node_limit);

    Ref variable(int var);
    Ref ite(Ref f, Ref g, Ref h);
    Ref and_(Ref f, Ref g) { return ite(f, g, kFalse); }
    Ref or_(Ref f, Ref g) { return ite(f, kTrue, g); }

    void ref(Ref n) {
        if (n > 1) ++nodes_[static_cast<std::size_t>(n)].ref;
    }
    // Dead at zero, freed by the next collect().
    void deref(Ref n) {
        if (n > 1) --nodes_[static_cast<std::size_t>(n)].ref;
    }

    // Frees every dead node (cascading to children that die with it); clears the computed table.
    void collect();
    // When a variable moving in one direction stops (it then goes back to the best level it saw).
    struct SiftLimits {
        // The diagrams exceed this factor of the best size seen (Rudell's and CUDD's bound).
        double max_growth = 1.2;
        // The diagrams exceed the best size seen by this factor of the variable's own node count when
        // its sift began. Without it a variable of a large diagram crosses every level (a swap changes
        // the size by far less than 20 %): edf9204 19 s -> 0.7 s with 1, and a smaller diagram.
        double own_growth = 1.0;
    };
    // collect(), then sifts the variables that have nodes, largest levels first.
    void sift(const SiftLimits& limits);

    // The work of the swaps so far: each swap counts 1, plus its level's hash buckets and the nodes it
    // rebuilds when the two variables interact (what its time is proportional to).
    std::uint64_t swap_work() const { return swap_work_; }
    // sift() throws SiftingWorkLimitError once swap_work() passes this (0: no bound): without it, a
    // diagram of thousands of variables takes O(variables^2) swaps, hours on a zoned fleet.
    void set_swap_work_limit(std::uint64_t limit) { swap_work_limit_ = limit; }

    // Nodes allocated (live and dead, terminals excluded).
    std::size_t size() const { return allocated_; }
    // One more than the highest node number in use (for arrays indexed by node).
    std::size_t capacity() const { return nodes_.size(); }
    int variable_count() const { return static_cast<int>(level_of_var_.size()); }
    int level_of_variable(int var) const { return level_of_var_[static_cast<std::size_t>(var)]; }
    int var(Ref n) const { return nodes_[static_cast<std::size_t>(n)].var; }
    Ref low(Ref n) const { return nodes_[static_cast<std::size_t>(n)].lo; }
    Ref high(Ref n) const { return nodes_[static_cast<std::size_t>(n)].hi; }
    int level(Ref n) const { return n < 2 ? variable_count() : level_of_var_[static_cast<std::size_t>(var(n))]; }

private:
    struct Node {
        int var;  // -1 when free
        Ref lo, hi;
        int ref;
        Ref next;  // chain of the variable's unique table, or of the free list
    };
    struct Subtable {
        std::vector<Ref> bucket;  // chain heads, -1 = empty
        std::size_t count = 0;
    };
    struct CacheEntry {
        Ref f = -1, g = -1, h = -1, result = -1;
    };

    Ref make_node(int var, Ref lo, Ref hi);
    std::size_t bucket_of(const Subtable& t, Ref lo, Ref hi) const;
    void insert(int var, Ref n);
    void unlink(Ref n);
    void free_node(Ref n);
    // Drops one reference; a node left at zero is freed at once with its dying children (sifting
    // keeps no dead nodes).
    void release(Ref n);
    // Exchanges the variables at levels `level` and `level` + 1.
    void swap(int level);
    void sift_variable(int var, const SiftLimits& limits);
    void check_swap_work() const;
    void clear_cache();
    // Which variables some function depends on together (the supports of the referenced functions do
    // not change while the order does, so it holds for a whole sift()); a swap of two variables that do
    // not interact only exchanges their levels (CUDD's interaction matrix).
    void find_interactions();
    bool interacts(int x, int y) const {
        if (interaction_words_ == 0) return true;
        return (interaction_[static_cast<std::size_t>(x) * interaction_words_ + static_cast<std::size_t>(y) / 64] >>
                (static_cast<unsigned>(y) % 64)) & 1u;
    }
    static constexpr std::size_t kMaxInteractionVariables = 16384;  // a matrix of at most 32 MiB

    std::size_t node_limit_;
    std::vector<Node> nodes_;
    Ref free_ = -1;
    std::size_t allocated_ = 0;
    std::vector<Subtable> table_;  // by variable
    std::vector<int> level_of_var_, var_at_level_;
    std::vector<CacheEntry> cache_;
    std::vector<Ref> dying_, moving_;  // scratch of release() and swap()
    std::vector<std::uint64_t> interaction_;  // bit matrix, variables x interaction_words_
    std::size_t interaction_words_ = 0;       // 0: no matrix (every pair interacts)
    std::uint64_t swap_work_ = 0;
    std::uint64_t swap_work_limit_ = 0;
};

}  // namespace nines::analytic
