// The operations of an all-exponential model as a continuous-time Markov chain, state by state: which
// instances are down, being repaired, detected, in logistics, waiting for a crew or a spare part, and
// which standby units carry load; from a state, every move with its rate. The exact chain builder
// (ctmc_builder) explores all states with it; the rare-event estimator (study/importance_sampling)
// walks single paths through it, generating states on the fly. One description of the operations for
// both, so the estimator and the exact value it is checked against cannot disagree on the model.
#pragma once

#include <cstdint>
#include <vector>

#include "analytic/chain_rates.h"
#include "model/model.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// A set of instances, one bit each: a fixed-size bitset (no allocation, cheap to copy and compare) of
// kMaxMarkovInstances bits. Compares as the number whose bit i is instance i.
class InstanceSet {
public:
    static constexpr int kWords = 4;
    static constexpr int kCapacity = 64 * kWords;

    bool test(int i) const { return (w_[word(i)] >> (i & 63)) & 1u; }
    void set(int i) { w_[word(i)] |= bit(i); }
    void reset(int i) { w_[word(i)] &= ~bit(i); }
    bool any() const {
        for (std::uint64_t x : w_) {
            if (x != 0) return true;
        }
        return false;
    }
    int count() const {
        int c = 0;
        for (std::uint64_t x : w_) c += popcount(x);
        return c;
    }
    // The members of this set that are not in `other`.
    InstanceSet minus(const InstanceSet& other) const {
        InstanceSet r;
        for (int k = 0; k < kWords; ++k) r.w_[k] = w_[k] & ~other.w_[k];
        return r;
    }
    int count_common(const InstanceSet& other) const {
        int c = 0;
        for (int k = 0; k < kWords; ++k) c += popcount(w_[k] & other.w_[k]);
        return c;
    }
    // Calls f(i) for every member, in increasing order.
    template <class F>
    void for_each(F&& f) const {
        for (int k = 0; k < kWords; ++k) {
            for (std::uint64_t x = w_[k]; x != 0; x &= x - 1) f(64 * k + __builtin_ctzll(x));
        }
    }
    bool operator==(const InstanceSet& o) const {
        for (int k = 0; k < kWords; ++k) {
            if (w_[k] != o.w_[k]) return false;
        }
        return true;
    }
    bool operator!=(const InstanceSet& o) const { return !(*this == o); }
    bool operator<(const InstanceSet& o) const {
        for (int k = kWords - 1; k >= 0; --k) {
            if (w_[k] != o.w_[k]) return w_[k] < o.w_[k];
        }
        return false;
    }

private:
    // Bit counting by parallel sums: the build targets plain x86-64, where __builtin_popcountll is a
    // library call that cost a fifth of a large model's walk.
    static int popcount(std::uint64_t x) {
        x = x - ((x >> 1) & 0x5555555555555555ULL);
        x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
        x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
        return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
    }
    static int word(int i) { return i >> 6; }
    static std::uint64_t bit(int i) { return std::uint64_t{1} << (i & 63); }
    std::uint64_t w_[kWords] = {};
};

// A state: which instances are down, which of those are being repaired, and each pool's waiting
// repairs in arrival order (the order decides who is served next under first come, first served).
struct MarkovState {
    InstanceSet down;
    InstanceSet repairing;
    InstanceSet active;                           // standby-group members carrying load
    InstanceSet detecting;                        // failed, not yet noticed
    InstanceSet logistics;                        // noticed, logistics under way
    std::vector<std::vector<int>> waiting;        // per crew pool
    std::vector<int> on_hand, outstanding;        // per spares pool
    std::vector<std::vector<int>> spare_waiting;  // per spares pool, first come first served
    bool operator<(const MarkovState& o) const;
    bool operator==(const MarkovState& o) const;
};

struct MarkovMove {
    MarkovState next;
    double rate = 0;  // per hour (a standby start's outcome odds included)
};

// Instances are bits of InstanceSets: at most kMaxMarkovInstances instances.
inline constexpr int kMaxMarkovInstances = InstanceSet::kCapacity;

class MarkovOperations {
public:
    // Throws UnsupportedError (with the reason) when a law is not exponential, a standby group has a
    // switch time, or the model has more than kMaxMarkovInstances instances.
    MarkovOperations(const Model& model, const StructureGraph& graph);

    // All instances up, standby groups loaded by their first k members, spares at their stock.
    const MarkovState& initial() const { return initial_; }
    // Every move out of `s`, in a fixed order (common causes, spare arrivals, then instance by instance).
    void moves(const MarkovState& s, std::vector<MarkovMove>& out) const;
    // Whether the system is up in `s`. Uses scratch buffers: one object per thread.
    bool is_up(const MarkovState& s) const;
    int instances() const { return n_; }

private:
    void to_crew(MarkovState& s, int i) const;
    void ready(MarkovState& s, int i) const;
    void begin_repair(MarkovState& s, int i) const;
    int busy(const MarkovState& s, int p) const;
    int active_count(const MarkovState& s, std::size_t g) const;
    void demand(MarkovState s, std::size_t g, double prob, std::vector<std::pair<MarkovState, double>>& out) const;
    void add(const MarkovState& next, double rate, std::vector<MarkovMove>& out, std::size_t& used) const;
    double rate_of(const MarkovState& s, int i) const;

    const Model& model_;
    const StructureGraph& graph_;
    int n_ = 0;
    ChainRates rates_;
    std::vector<int> group_of_, position_;
    std::vector<InstanceSet> group_mask_;
    MarkovState initial_;
    mutable std::vector<std::uint8_t> leaf_down_, node_down_;
    mutable std::vector<std::pair<int, std::uint8_t>> forced_;
    mutable MarkovState scratch_;  // the move being built (moves() is not reentrant: one object per thread)
};

}  // namespace nines::analytic
