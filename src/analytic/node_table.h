// The node store both decision diagram packages share (Bdd, Zbdd): nodes (var, lo, hi) in creation
// order, hash-consed by an open-addressing unique table so each triple exists once, and the lossy
// computed table their operations memoise in. The two packages differ only in what a node means
// (Shannon decomposition or zero-suppressed family) and in their reduction rule, which they apply
// before asking for a node.
//
// Nodes are stored in creation order, so every node's children precede it: bottom-up passes are a
// loop over the node array. Nodes 0 and 1 are the two terminals, with var = the variable count.
//
// Complexity: find_or_add O(1) expected; the unique table doubles when half full (amortised O(1)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nines::analytic {

using NodeRef = std::int32_t;

inline std::size_t hash_triple(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    std::uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x7F4A7C159E3779B9ull) * 0xC2B2AE3D27D4EB4Full ^
                      (c + 0x165667B19E3779F9ull) * 0x27D4EB2F165667C5ull;
    h ^= h >> 29;
    return static_cast<std::size_t>(h);
}

class NodeTable {
public:
    static constexpr NodeRef kFull = -1;  // find_or_add: the node is new and the limit is reached

    // Terminals 0 and 1 (var = `variables`, each its own lo and hi); at most `node_limit` nodes.
    NodeTable(int variables, std::size_t node_limit);

    // The node (var, lo, hi), made when new; kFull when it is new and would exceed the limit (the
    // caller throws its own error). No reduction rule is applied here.
    NodeRef find_or_add(int var, NodeRef lo, NodeRef hi) {
        std::size_t slot = hash_triple(static_cast<std::uint64_t>(var), static_cast<std::uint64_t>(lo),
                                       static_cast<std::uint64_t>(hi)) & unique_mask_;
        while (unique_[slot] >= 0) {
            const Node& n = nodes_[static_cast<std::size_t>(unique_[slot])];
            if (n.var == var && n.lo == lo && n.hi == hi) return unique_[slot];
            slot = (slot + 1) & unique_mask_;
        }
        if (nodes_.size() >= node_limit_) return kFull;
        const auto id = static_cast<NodeRef>(nodes_.size());
        nodes_.push_back(Node{var, lo, hi});
        unique_[slot] = id;
        if (nodes_.size() * 2 > unique_.size()) grow();
        return id;
    }

    std::size_t size() const { return nodes_.size(); }
    std::size_t node_limit() const { return node_limit_; }
    // Slots of the unique table (the computed tables of the packages follow it).
    std::size_t slots() const { return unique_.size(); }
    int var(NodeRef n) const { return nodes_[static_cast<std::size_t>(n)].var; }
    NodeRef lo(NodeRef n) const { return nodes_[static_cast<std::size_t>(n)].lo; }
    NodeRef hi(NodeRef n) const { return nodes_[static_cast<std::size_t>(n)].hi; }

private:
    void grow();

    // One struct per node, not three arrays: a probe of the unique table reads one cache line.
    struct Node {
        int var;
        NodeRef lo, hi;
    };
    std::size_t node_limit_;
    std::vector<Node> nodes_;
    std::vector<NodeRef> unique_;  // open addressing, -1 = empty
    std::size_t unique_mask_ = 0;
};

// A lossy, direct-mapped memo of operations on three keys (as in BDD packages): a lost entry is
// recomputed, never wrong, and no allocation per entry. Node creation order does not depend on it (a
// recomputation finds the nodes it made before), so neither do the diagrams' node numbers.
class ComputedTable {
public:
    explicit ComputedTable(std::size_t entries) : entries_(entries), mask_(entries - 1) {}

    bool lookup(NodeRef a, NodeRef b, std::int32_t c, NodeRef& result) const {
        const Entry& e = entries_[index(a, b, c)];
        if (e.a != a || e.b != b || e.c != c) return false;
        result = e.result;
        return true;
    }
    void store(NodeRef a, NodeRef b, std::int32_t c, NodeRef result) { entries_[index(a, b, c)] = Entry{a, b, c, result}; }

    // Keeps the table about as large as `slots` (the unique table's), at most `max_entries`; entries
    // are dropped when it grows (only a cache: recomputation, never a wrong answer).
    void follow(std::size_t slots, std::size_t max_entries) {
        if (entries_.size() >= slots || entries_.size() >= max_entries) return;
        std::size_t n = entries_.size();
        while (n < slots && n < max_entries) n *= 2;
        entries_.assign(n, Entry{});
        mask_ = n - 1;
    }

private:
    struct Entry {
        NodeRef a = -1, b = -1;
        std::int32_t c = -1;
        NodeRef result = -1;
    };
    std::size_t index(NodeRef a, NodeRef b, std::int32_t c) const {
        return hash_triple(static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b), static_cast<std::uint64_t>(c)) & mask_;
    }
    std::vector<Entry> entries_;
    std::size_t mask_;
};

}  // namespace nines::analytic
