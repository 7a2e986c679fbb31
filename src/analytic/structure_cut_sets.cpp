#include "analytic/structure_cut_sets.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analytic/zbdd.h"
#include "analytic/zbdd_listing.h"

namespace nines::analytic {

namespace {

class Minimiser {
public:
    explicit Minimiser(Zbdd& z) : z_(z) {}

    // The sets of f that contain no other set of f.
    ZbddRef minimal(ZbddRef f) {
        if (f <= Zbdd::kBase) return f;
        if (auto it = minimal_.find(f); it != minimal_.end()) return it->second;
        const ZbddRef lo = minimal(z_.lo(f));
        const ZbddRef hi = without(minimal(z_.hi(f)), lo);
        const ZbddRef result = z_.same_or_node(f, lo, hi);
        minimal_.emplace(f, result);
        return result;
    }

    // The sets of p that contain no set of q (Rauzy's "without").
    ZbddRef without(ZbddRef p, ZbddRef q) {
        if (q == Zbdd::kEmpty || p == Zbdd::kEmpty) return p;
        if (p == q) return Zbdd::kEmpty;
        if (z_.has_empty(q)) return Zbdd::kEmpty;  // the empty set is contained in every set
        if (p == Zbdd::kBase) return p;             // only the empty set, which contains no non-empty set
        const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(p)) << 32) |
                                  static_cast<std::uint32_t>(q);
        if (auto it = without_.find(key); it != without_.end()) return it->second;
        const int vp = z_.var(p), vq = z_.var(q);
        ZbddRef result;
        if (vp < vq) {
            // q's sets lack vp: p's sets with vp are judged on their other elements.
            result = z_.same_or_node(p, without(z_.lo(p), q), without(z_.hi(p), q));
        } else if (vq < vp) {
            // q's sets holding vq cannot be inside p's sets, which all lack it.
            result = without(p, z_.lo(q));
        } else {
            result = z_.same_or_node(p, without(z_.lo(p), z_.lo(q)), without(without(z_.hi(p), z_.hi(q)), z_.lo(q)));
        }
        without_.emplace(key, result);
        return result;
    }

private:
    Zbdd& z_;
    std::unordered_map<ZbddRef, ZbddRef> minimal_;
    std::unordered_map<std::uint64_t, ZbddRef> without_;
};

// For a threshold gate whose children are all instances: how many of them must be down at least (the
// heaviest first; a child listed twice weighs twice), INT_MAX when they cannot bring it down at all; 0
// (nothing known) when any child is a gate: one shared requirement can bring many such children down.
int fewest_leaves_down(const StructureGraph& g, int n) {
    std::vector<std::pair<int, int>> leaf_weight;  // (instance, weight), merged below
    for (int c = g.child_begin[static_cast<std::size_t>(n)]; c < g.child_begin[static_cast<std::size_t>(n) + 1]; ++c) {
        const int child = g.children[static_cast<std::size_t>(c)];
        if (!g.is_leaf(child)) return 0;
        leaf_weight.emplace_back(child, g.weight[static_cast<std::size_t>(c)]);
    }
    std::sort(leaf_weight.begin(), leaf_weight.end());
    std::vector<long long> weights;
    for (std::size_t k = 0; k < leaf_weight.size(); ++k) {
        if (k > 0 && leaf_weight[k].first == leaf_weight[k - 1].first) {
            weights.back() += leaf_weight[k].second;
        } else {
            weights.push_back(leaf_weight[k].second);
        }
    }
    std::sort(weights.rbegin(), weights.rend());
    long long down = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
        down += weights[k];
        if (down >= g.threshold[static_cast<std::size_t>(n)]) return static_cast<int>(k) + 1;
    }
    return std::numeric_limits<int>::max();  // cannot go down at all
}

// The family of minimal cut sets of the root, sets above `max_order` never built.
ZbddRef root_family(const StructureGraph& g, Zbdd& z, int max_order) {
    Minimiser m(z);
    std::vector<ZbddRef> family(static_cast<std::size_t>(g.node_count), Zbdd::kEmpty);
    for (int i = 0; i < g.instance_count; ++i) {
        family[static_cast<std::size_t>(i)] = max_order >= 1 ? z.node(i, Zbdd::kEmpty, Zbdd::kBase) : Zbdd::kEmpty;
    }
    auto child_family = [&](int c) { return family[static_cast<std::size_t>(g.children[static_cast<std::size_t>(c)])]; };
    for (int n : g.gate_order) {
        const int begin = g.child_begin[static_cast<std::size_t>(n)], end = g.child_begin[static_cast<std::size_t>(n) + 1];
        const int t = g.threshold[static_cast<std::size_t>(n)];
        ZbddRef result;
        if (t <= 1) {  // down when any child is down
            result = Zbdd::kEmpty;
            for (int c = begin; c < end; ++c) result = z.unite(result, child_family(c));
        } else if (g.unit_weights(n) && t == end - begin) {  // down when every child is down
            result = Zbdd::kBase;
            for (int c = begin; c < end && result != Zbdd::kEmpty; ++c) result = m.minimal(z.product(result, child_family(c), max_order));
        } else if (const int need = fewest_leaves_down(g, n);
                   max_order == Zbdd::kNoLimit && g.unit_weights(n) && need > 0 && need != std::numeric_limits<int>::max() &&
                   static_cast<double>(need) * static_cast<double>(end - begin - need + 1) > static_cast<double>(z.node_limit())) {
            // Every `need`-subset of its instances: a family of need (n - need + 1) nodes, over the budget,
            // so say so now rather than after filling the counting rows (seconds for 100,000 instances).
            z.refuse_beyond_limit();
        } else if (max_order != Zbdd::kNoLimit && need > max_order) {
            // Every child an instance: no set within the order can bring the gate down (a k-of-n of
            // 100,000 disks with 99,501 down needed, whose counting rows would take seconds to fill).
            result = Zbdd::kEmpty;
        } else {
            // row[k]: minimal sets that bring the children seen so far to a down weight of at least k.
            std::vector<ZbddRef> row(static_cast<std::size_t>(t) + 1, Zbdd::kEmpty);
            row[0] = Zbdd::kBase;
            for (int c = begin; c < end; ++c) {
                const int w = g.weight[static_cast<std::size_t>(c)];
                for (int k = t; k >= 1; --k) {  // descending: row[k - w] is still the previous children's
                    const ZbddRef with = z.product(child_family(c), row[static_cast<std::size_t>(std::max(0, k - w))], max_order);
                    row[static_cast<std::size_t>(k)] = m.minimal(z.unite(row[static_cast<std::size_t>(k)], with));
                }
            }
            result = row[static_cast<std::size_t>(t)];
        }
        family[static_cast<std::size_t>(n)] = m.minimal(result);
    }
    return family[static_cast<std::size_t>(g.root)];
}

BddCutSets build(const StructureGraph& g, const std::vector<double>& q, int max_order, std::size_t node_limit,
                 std::size_t list_limit) {
    const auto instances = static_cast<std::size_t>(g.instance_count);
    BddCutSets r;
    r.listed.max_order = max_order;
    r.containing.assign(instances, 0.0);
    // Every minimal cut set first (the sums then cover them all, and whether sets above the order exist
    // is known); when that family is too large, the family up to the order alone.
    Zbdd z(g.instance_count, node_limit);
    ZbddRef within = Zbdd::kEmpty;
    try {
        const ZbddRef every = root_family(g, z, Zbdd::kNoLimit);
        within = z.restrict_order(every, max_order);
        r.all_known = true;
        r.count_all = z.count(every);
        probability_sums(z, every, q, r.total, r.containing);
    } catch (const UnsupportedError&) {
        // The family up to the order is the one to list: it gets four times the budget (nus9601's sets of
        // order <= 4 need 1.05 million nodes where the family of every set exceeds 30 million).
        z = Zbdd(g.instance_count, 4 * node_limit);
        within = root_family(g, z, max_order);
        std::fill(r.containing.begin(), r.containing.end(), 0.0);
        probability_sums(z, within, q, r.total, r.containing);
    }
    r.zbdd_nodes = z.size();
    r.count_within_order = z.count(within);
    r.listed.order_limited = r.all_known ? r.count_all > r.count_within_order : true;
    std::vector<int> identity(instances);
    for (std::size_t i = 0; i < instances; ++i) identity[i] = static_cast<int>(i);
    r.listed.truncated = !most_probable(z, within, identity, q, list_limit, r.listed.sets);
    return r;
}

}  // namespace

BddCutSets structure_minimal_cut_sets(const StructureGraph& g, const std::vector<double>& q, int max_order,
                                      std::size_t node_limit, std::size_t list_limit) {
    BddCutSets result;
    run_on_large_stack([&] { result = build(g, q, max_order, node_limit, list_limit); });
    return result;
}

}  // namespace nines::analytic
