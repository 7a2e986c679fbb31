#include "sim/served_ledger.h"

#include <algorithm>
#include <cmath>

namespace nines::sim {

ServedLedger::ServedLedger(const KernelModel& km, bool record_intervals)
    : km_(km), record_intervals_(record_intervals), from_(km.warmup_h), to_(km.horizon_h) {
    const Model& model = *km.model;
    const StructureGraph& g = km.graph;
    for (std::size_t b = 0; b < model.blocks.size(); ++b) {
        const Block& block = model.blocks[b];
        if (block.kind != BlockKind::Capacity) continue;
        if (tracked_of_node_.empty()) tracked_of_node_.assign(static_cast<std::size_t>(g.node_count), -1);
        Tracked t;
        t.node = g.block_node[b];
        t.total_units = g.total_weight(t.node);
        // The graph counts capacity in units of the members' common divisor (see DemandSchedule).
        t.unit = static_cast<double>(block.weights.front()) /
                 g.weight[static_cast<std::size_t>(g.child_begin[static_cast<std::size_t>(t.node)])];
        t.demand = block.demand;
        t.profile = block.demand_profile;
        has_profile_ = has_profile_ || !t.profile.empty();
        tracked_of_node_[static_cast<std::size_t>(t.node)] = static_cast<int>(blocks_.size());
        blocks_.push_back(std::move(t));
    }
    sums_.assign(static_cast<std::size_t>(tracked()) * kServiceValues, 0.0);
    served_now_.assign(blocks_.size(), 1.0);
    // The per-node arrays serve capacity blocks only: a model without any (disabled, nothing is
    // integrated) does not hold them (16 bytes a node, 24 MB for a million pairs).
    if (enabled()) {
        memo_.assign(static_cast<std::size_t>(g.node_count), 1.0);
        stamp_.assign(static_cast<std::size_t>(g.node_count), 0);
    }
}

void ServedLedger::reset() {
    std::fill(sums_.begin(), sums_.end(), 0.0);
    last_ = 0;
    unserved_.clear();
    share_.clear();
}

double ServedLedger::demand(const Tracked& b, double t) const {
    if (b.profile.empty()) return b.demand;
    const auto hour = static_cast<std::int64_t>(std::floor(t));
    return b.profile[static_cast<std::size_t>(hour % static_cast<std::int64_t>(b.profile.size()))];
}

void ServedLedger::advance_to(double t, const StructureState& state) {
    const double a = std::max(last_, from_);
    const double b = std::min(t, to_);
    last_ = t;
    if (b <= a) return;
    // Nothing short: every capacity block has all its members up and the system is up.
    bool short_somewhere = state.root_down();
    for (const Tracked& k : blocks_) short_somewhere = short_somewhere || state.failed_weight(k.node) > 0;
    if (!short_somewhere) return;
    if (!has_profile_) {
        integrate(a, b, state);
        return;
    }
    // A profile's demand steps at each hour: integrate hour by hour.
    double s = a;
    while (s < b) {
        const double e = std::min(b, std::floor(s) + 1.0);
        integrate(s, e, state);
        s = e;
    }
}

// [a, b] lies within one hour (or the demand is constant): every value is constant over it.
void ServedLedger::integrate(double a, double b, const StructureState& state) {
    const double dt = b - a;
    const double mid = 0.5 * (a + b);  // the hour of the piece (a may sit exactly on an hour's start)
    for (std::size_t j = 0; j < blocks_.size(); ++j) {
        const Tracked& k = blocks_[j];
        const double d = demand(k, mid);
        const double up = static_cast<double>(k.total_units - state.failed_weight(k.node)) * k.unit;
        const double served = up >= d ? 1.0 : up / d;
        served_now_[j] = served;
        double* sum = &sums_[(j + 1) * kServiceValues];
        if (served < 1.0) {
            sum[kUnservedFractionH] += (1.0 - served) * dt;
            sum[served > 0.0 ? kDegradedH : kDownH] += dt;
            sum[kUnservedCapacityH] += (d - up) * dt;
        }
    }
    if (!state.root_down()) return;
    ++epoch_;
    const double served = graded(km_.graph.root, state);
    sums_[kUnservedFractionH] += (1.0 - served) * dt;
    sums_[served > 0.0 ? kDegradedH : kDownH] += dt;
    if (record_intervals_) {
        const double unserved = 1.0 - served;
        if (!unserved_.empty() && unserved_.back().second == a && share_.back() == unserved) {
            unserved_.back().second = b;
        } else {
            unserved_.emplace_back(a, b);
            share_.push_back(unserved);
        }
    }
}

// The graded structure function (see the header) of a node, for the blocks' served fractions in
// served_now_; only down nodes are evaluated (an up node serves all: 1).
double ServedLedger::graded(int node, const StructureState& state) {
    if (!state.is_down(node)) return 1.0;
    const auto n = static_cast<std::size_t>(node);
    if (stamp_[n] == epoch_) return memo_[n];
    const StructureGraph& g = km_.graph;
    double value = 0.0;
    if (tracked_of_node_[n] >= 0) {
        value = served_now_[static_cast<std::size_t>(tracked_of_node_[n])];
    } else if (!g.is_leaf(node)) {
        const int first = g.child_begin[n];
        const int last = g.child_begin[n + 1];
        switch (g.kind[n]) {
            case BlockKind::Instance:
            case BlockKind::Series:
                value = 1.0;
                for (int c = first; c < last; ++c) value = std::min(value, graded(g.children[static_cast<std::size_t>(c)], state));
                break;
            case BlockKind::Parallel:
                for (int c = first; c < last; ++c) value = std::max(value, graded(g.children[static_cast<std::size_t>(c)], state));
                break;
            case BlockKind::KOfN:
            case BlockKind::Capacity: {
                // The largest v such that children weighing at least need_up have values >= v.
                const int need = g.need_up(node);
                for (int c = first; c < last; ++c) graded(g.children[static_cast<std::size_t>(c)], state);
                auto child_value = [&](int c) {
                    const int child = g.children[static_cast<std::size_t>(c)];
                    return state.is_down(child) ? memo_[static_cast<std::size_t>(child)] : 1.0;
                };
                for (int c = first; c < last; ++c) {
                    const double v = child_value(c);
                    if (v <= value) continue;
                    int weight = 0;
                    for (int o = first; o < last; ++o) {
                        if (child_value(o) >= v) weight += g.weight[static_cast<std::size_t>(o)];
                    }
                    if (weight >= need) value = v;
                }
                break;
            }
            case BlockKind::Standby: value = 0.0; break;  // a standby or failover group is up or down
        }
    }
    stamp_[n] = epoch_;
    memo_[n] = value;
    return value;
}

double ServedLedger::system_served(const StructureState& state, int hour) {
    const double t = hour + 0.5;
    for (std::size_t j = 0; j < blocks_.size(); ++j) {
        const Tracked& k = blocks_[j];
        const double d = demand(k, t);
        const double up = static_cast<double>(k.total_units - state.failed_weight(k.node)) * k.unit;
        served_now_[j] = up >= d ? 1.0 : up / d;
    }
    ++epoch_;
    return graded(km_.graph.root, state);
}

void ServedLedger::close(BlockAccumulator& acc) const {
    acc.service.insert(acc.service.end(), sums_.begin(), sums_.end());
}

}  // namespace nines::sim
