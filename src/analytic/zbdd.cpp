#include "analytic/zbdd.h"

#include <algorithm>
#include <string>
#include <utility>

namespace nines::analytic {

namespace {

std::size_t initial_cache_entries(std::size_t expected_nodes, std::size_t cap) {
    std::size_t entries = std::size_t{1} << 16;
    while (entries < 2 * expected_nodes && entries < cap) entries *= 2;
    return entries;
}

}  // namespace

Zbdd::Zbdd(int variables, std::size_t node_limit, std::size_t expected_nodes)
    : nodes_(variables, node_limit), cache_(initial_cache_entries(expected_nodes, kCacheCap)) {}

void Zbdd::refuse_beyond_limit() const {
    throw UnsupportedError("the minimal cut sets need more than " + std::to_string(nodes_.node_limit()) +
                           " ZBDD nodes for this structure");
}

ZbddRef Zbdd::node(int var, ZbddRef lo, ZbddRef hi) {
    if (hi == kEmpty) return lo;
    const std::size_t slots = nodes_.slots();
    const ZbddRef id = nodes_.find_or_add(var, lo, hi);
    if (id == NodeTable::kFull) refuse_beyond_limit();
    // Keep the computed table about as large as the diagram.
    if (nodes_.slots() != slots) cache_.follow(nodes_.slots(), kCacheCap);
    if (static_cast<std::size_t>(id) == has_empty_.size()) has_empty_.push_back(has_empty_[static_cast<std::size_t>(lo)]);
    return id;
}

ZbddRef Zbdd::unite(ZbddRef a, ZbddRef b) {
    if (a == kEmpty || a == b) return b;
    if (b == kEmpty) return a;
    if (a > b) std::swap(a, b);  // commutative: one memo entry
    const std::int32_t t = tag(Op::Unite, kNoLimit);
    if (ZbddRef hit; cache_.lookup(a, b, t, hit)) return hit;
    const int va = var(a), vb = var(b);
    ZbddRef result;
    if (va < vb) {
        result = node(va, unite(lo(a), b), hi(a));
    } else if (vb < va) {
        result = node(vb, unite(a, lo(b)), hi(b));
    } else {
        const ZbddRef l = unite(lo(a), lo(b));
        result = node(va, l, unite(hi(a), hi(b)));
    }
    cache_.store(a, b, t, result);
    return result;
}

ZbddRef Zbdd::difference(ZbddRef p, ZbddRef q) {
    if (p == kEmpty || q == kEmpty) return p;
    if (p == q) return kEmpty;
    if (p == kBase) return has_empty(q) ? kEmpty : kBase;
    // q's sets with variables before p's are in no set of p: skip them (a loop, not a recursion with
    // a memo entry per step: q's lo chains are long in a minimal family).
    const int vp = var(p);
    while (var(q) < vp) {
        q = lo(q);
        if (q == kEmpty) return p;
    }
    const std::int32_t t = tag(Op::Difference, kNoLimit);
    if (ZbddRef hit; cache_.lookup(p, q, t, hit)) return hit;
    ZbddRef result;
    if (vp < var(q)) {
        // No set of q has vp: p's sets with it all stay.
        result = same_or_node(p, difference(lo(p), q), hi(p));
    } else {
        const ZbddRef l = difference(lo(p), lo(q));
        result = same_or_node(p, l, difference(hi(p), hi(q)));
    }
    cache_.store(p, q, t, result);
    return result;
}

ZbddRef Zbdd::restrict_order(ZbddRef a, int max_order) {
    if (max_order < 0) return kEmpty;
    if (a <= kBase) return a;
    if (max_order == kNoLimit) return a;
    const std::int32_t t = tag(Op::Restrict, max_order);
    if (ZbddRef hit; cache_.lookup(a, a, t, hit)) return hit;
    const ZbddRef l = restrict_order(lo(a), max_order);
    const ZbddRef result = node(var(a), l, restrict_order(hi(a), less_one(max_order)));
    cache_.store(a, a, t, result);
    return result;
}

ZbddRef Zbdd::product(ZbddRef a, ZbddRef b, int max_order) {
    if (max_order < 0 || a == kEmpty || b == kEmpty) return kEmpty;
    if (a == kBase) return restrict_order(b, max_order);
    if (b == kBase) return restrict_order(a, max_order);
    if (a > b) std::swap(a, b);
    const std::int32_t t = tag(Op::Product, max_order);
    if (ZbddRef hit; cache_.lookup(a, b, t, hit)) return hit;
    const int va = var(a), vb = var(b);
    ZbddRef result;
    if (va < vb) {
        const ZbddRef l = product(lo(a), b, max_order);
        result = node(va, l, product(hi(a), b, less_one(max_order)));
    } else if (vb < va) {
        const ZbddRef l = product(a, lo(b), max_order);
        result = node(vb, l, product(a, hi(b), less_one(max_order)));
    } else {
        const ZbddRef l = product(lo(a), lo(b), max_order);
        ZbddRef h = product(hi(a), hi(b), less_one(max_order));
        h = unite(h, product(hi(a), lo(b), less_one(max_order)));
        h = unite(h, product(lo(a), hi(b), less_one(max_order)));
        result = node(va, l, h);
    }
    cache_.store(a, b, t, result);
    return result;
}

double Zbdd::count(ZbddRef f) const {
    std::vector<double> n(static_cast<std::size_t>(f) + 1, 0.0);
    if (f >= kBase) n[kBase] = 1.0;
    for (std::size_t i = 2; i <= static_cast<std::size_t>(f); ++i) {
        n[i] = n[static_cast<std::size_t>(lo(static_cast<ZbddRef>(i)))] + n[static_cast<std::size_t>(hi(static_cast<ZbddRef>(i)))];
    }
    return n[static_cast<std::size_t>(f)];
}

}  // namespace nines::analytic
