// The kinds of structure block, and what each means to the structure graph: the one table a new block
// kind is added to (README, "How it is built": where to add a block kind). Everything here is a
// `switch` without `default:`, as is each exact algorithm's treatment of a gate (src/analytic/
// gate_logic.cpp), so a kind added to the enum is a compile error (-Wswitch, warnings are errors)
// wherever it is not yet handled.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nines {

enum class BlockKind : std::uint8_t {
    Instance,  // one instance, with its requirements applied (a leaf of the graph, or its "effective" series gate)
    Series,    // up when every child is up
    Parallel,  // up when any child is up
    KOfN,      // up when at least k children are up
    Standby,   // a standby group: up when `k` of its instances are active (see StandbyGroup); its state is set
               // from the group's logic (the kernel, the CTMC builder's `forced`), not from children in the graph
    Capacity,  // up while the summed capacity of its up members is at least its demand: a weighted k-of-n
               // (each child's edge weight is its capacity, `k` the demand rounded up to a whole unit)
};

// Weights: every edge of the graph has a whole, positive weight (1 unless the block gives its children
// weights, as a capacity block does with their capacities). Below, `n` is the gate's total child weight and
// `k`/`k_up` the weight that must be up, so an unweighted gate counts children as before.

// A node's kind in StructureGraph. Gates are never Instance (leaves are), and StructureGraph::compile
// normalises a gate to what it computes (computed_kind below).
using GateKind = BlockKind;

// The name a scenario writes ("k_of_n"); "instance" for Instance, which is written as a bare reference.
constexpr const char* to_string(BlockKind kind) {
    switch (kind) {
        case BlockKind::Instance: return "instance";
        case BlockKind::Series: return "series";
        case BlockKind::Parallel: return "parallel";
        case BlockKind::KOfN: return "k_of_n";
        case BlockKind::Standby: return "standby";
        case BlockKind::Capacity: return "capacity";
    }
    return "?";  // not reached: the switch covers every kind
}

// The kinds a scenario writes as `{ <name>: ... }`, in the order messages list them.
inline constexpr BlockKind kWrittenBlockKinds[] = {BlockKind::Series, BlockKind::Parallel, BlockKind::KOfN, BlockKind::Standby,
                                                      BlockKind::Capacity};

inline std::optional<BlockKind> block_kind_named(std::string_view name) {
    for (BlockKind kind : kWrittenBlockKinds) {
        if (name == to_string(kind)) return kind;
    }
    return std::nullopt;
}

// Whether the block's children are edges of the graph, whose failed count decides its state. A standby
// group's members are not: the group's logic decides (threshold 1 on its one "failed" mark).
constexpr bool state_counts_children(BlockKind kind) {
    switch (kind) {
        case BlockKind::Instance: return false;  // a leaf (an instance with requirements gets a Series gate)
        case BlockKind::Series:
        case BlockKind::Parallel:
        case BlockKind::KOfN:
        case BlockKind::Capacity: return true;
        case BlockKind::Standby: return false;
    }
    return false;
}

// How many of its `n` children must be up for the gate to be up (`k`: the block's own parameter).
constexpr int children_needed_up(BlockKind kind, int k, int n) {
    switch (kind) {
        case BlockKind::Instance:
        case BlockKind::Series: return n;
        case BlockKind::Parallel: return 1;
        case BlockKind::KOfN:
        case BlockKind::Capacity: return k;
        case BlockKind::Standby: return 0;
    }
    return n;
}

// What a gate computes, whatever it was written as: a k_of_n with k = n and any one-child gate are
// series, k = 1 is parallel; so each algorithm sees each logic under one kind only. With weights (whole,
// positive) the same holds: all the weight needed up is series, one unit of it is parallel, and a capacity
// block is otherwise a (weighted) k-of-n, so no algorithm ever sees Capacity as a computed kind.
constexpr BlockKind computed_kind(BlockKind declared, int k_up, int n) {
    switch (declared) {
        case BlockKind::Instance:
        case BlockKind::Series:
        case BlockKind::Parallel:
        case BlockKind::KOfN:
        case BlockKind::Capacity: return k_up == n ? BlockKind::Series : k_up == 1 ? BlockKind::Parallel : BlockKind::KOfN;
        case BlockKind::Standby: return BlockKind::Standby;
    }
    return declared;
}

// The gate is down when at least this many children are down (the kernel's incremental evaluation
// and StructureGraph::evaluate count against it): series 1, parallel n, k-of-n n - k + 1.
constexpr int down_threshold(BlockKind computed, int k_up, int n) {
    switch (computed) {
        case BlockKind::Instance:
        case BlockKind::Series: return 1;
        case BlockKind::Parallel: return n;
        case BlockKind::KOfN:
        case BlockKind::Capacity: return n - k_up + 1;
        case BlockKind::Standby: return 1;  // its one "failed" mark, set by the group's logic
    }
    return 1;
}

}  // namespace nines
