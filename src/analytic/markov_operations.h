// The operations of an all-exponential model as a continuous-time Markov chain, state by state: which
// instances are down, being repaired, detected, in logistics, waiting for a crew or a spare part, and
// which standby units carry load; from a state, every move with its rate. The exact chain builder
// (ctmc_builder) explores all states with it; the rare-event estimator (study/importance_sampling)
// walks single paths through it, generating states on the fly. One description of the operations for
// both, so the estimator and the exact value it is checked against cannot disagree on the model.
#pragma once

#include <cstdint>
#include <vector>

#include "model/model.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// A state: which instances are down, which of those are being repaired, and each pool's waiting
// repairs in arrival order (the order decides who is served next under first come, first served).
struct MarkovState {
    std::uint64_t down = 0;
    std::uint64_t repairing = 0;
    std::uint64_t active = 0;                     // standby-group members carrying load
    std::uint64_t detecting = 0;                  // failed, not yet noticed
    std::uint64_t logistics = 0;                  // noticed, logistics under way
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

// Instances are bits of 64-bit masks: at most kMaxMarkovInstances instances.
inline constexpr int kMaxMarkovInstances = 64;

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
    void add(const MarkovState& next, double rate, std::vector<MarkovMove>& out) const;
    double rate_of(const MarkovState& s, int i) const;

    const Model& model_;
    const StructureGraph& graph_;
    int n_ = 0;
    std::vector<double> fail_rate_, repair_rate_, detect_rate_, logistics_rate_;
    std::vector<int> pool_, priority_, spare_pool_;
    std::vector<double> shock_rate_, lead_rate_;
    std::vector<int> group_of_, position_;
    std::vector<std::uint64_t> group_mask_;
    MarkovState initial_;
    mutable std::vector<std::uint8_t> leaf_down_, node_down_;
    mutable std::vector<std::pair<int, std::uint8_t>> forced_;
};

}  // namespace nines::analytic
