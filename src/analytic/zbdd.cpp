#include "analytic/zbdd.h"

#include <algorithm>
#include <string>
#include <utility>

namespace nines::analytic {

namespace {
inline std::size_t hash3(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    std::uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x7F4A7C159E3779B9ull) * 0xC2B2AE3D27D4EB4Full ^
                      (c + 0x165667B19E3779F9ull) * 0x27D4EB2F165667C5ull;
    h ^= h >> 29;
    return static_cast<std::size_t>(h);
}
}  // namespace

Zbdd::Zbdd(int variables, std::size_t node_limit) : variables_(variables), node_limit_(node_limit) {
    var_ = {variables, variables};
    lo_ = {kEmpty, kBase};
    hi_ = {kEmpty, kBase};
    unique_.assign(1 << 12, -1);
    unique_mask_ = unique_.size() - 1;
    cache_.resize(1 << 16);
    cache_mask_ = cache_.size() - 1;
}

std::size_t Zbdd::cache_index(ZbddRef a, ZbddRef b, std::int32_t t) const {
    return hash3(static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b), static_cast<std::uint64_t>(t)) & cache_mask_;
}

bool Zbdd::lookup(ZbddRef a, ZbddRef b, std::int32_t t, ZbddRef& result) const {
    const CacheEntry& e = cache_[cache_index(a, b, t)];
    if (e.a != a || e.b != b || e.op_and_order != t) return false;
    result = e.result;
    return true;
}

void Zbdd::store(ZbddRef a, ZbddRef b, std::int32_t t, ZbddRef result) {
    cache_[cache_index(a, b, t)] = CacheEntry{a, b, t, result};
}

void Zbdd::grow_unique_table() {
    unique_.assign(unique_.size() * 2, -1);
    unique_mask_ = unique_.size() - 1;
    for (std::size_t n = 2; n < var_.size(); ++n) {
        std::size_t slot = hash3(static_cast<std::uint64_t>(var_[n]), static_cast<std::uint64_t>(lo_[n]),
                                 static_cast<std::uint64_t>(hi_[n])) & unique_mask_;
        while (unique_[slot] >= 0) slot = (slot + 1) & unique_mask_;
        unique_[slot] = static_cast<ZbddRef>(n);
    }
    // Keep the computed table about as large as the diagram (entries are only a cache: dropping
    // them when it grows costs recomputation, never correctness).
    if (cache_.size() < unique_.size() && cache_.size() < (std::size_t{1} << 23)) {
        cache_.assign(unique_.size(), CacheEntry{});
        cache_mask_ = cache_.size() - 1;
    }
}

ZbddRef Zbdd::node(int var, ZbddRef lo, ZbddRef hi) {
    if (hi == kEmpty) return lo;
    std::size_t slot = hash3(static_cast<std::uint64_t>(var), static_cast<std::uint64_t>(lo),
                             static_cast<std::uint64_t>(hi)) & unique_mask_;
    while (unique_[slot] >= 0) {
        const auto n = static_cast<std::size_t>(unique_[slot]);
        if (var_[n] == var && lo_[n] == lo && hi_[n] == hi) return unique_[slot];
        slot = (slot + 1) & unique_mask_;
    }
    if (var_.size() >= node_limit_) {
        throw UnsupportedError("the minimal cut sets need more than " + std::to_string(node_limit_) +
                               " ZBDD nodes for this structure");
    }
    const auto id = static_cast<ZbddRef>(var_.size());
    var_.push_back(var);
    lo_.push_back(lo);
    hi_.push_back(hi);
    unique_[slot] = id;
    if (var_.size() * 2 > unique_.size()) grow_unique_table();
    return id;
}

ZbddRef Zbdd::unite(ZbddRef a, ZbddRef b) {
    if (a == kEmpty || a == b) return b;
    if (b == kEmpty) return a;
    if (a > b) std::swap(a, b);  // commutative: one memo entry
    const std::int32_t t = tag(Op::Unite, kNoLimit);
    if (ZbddRef hit; lookup(a, b, t, hit)) return hit;
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
    store(a, b, t, result);
    return result;
}

ZbddRef Zbdd::without(ZbddRef p, ZbddRef q) {
    if (q == kEmpty || p == kEmpty) return p;
    if (q == kBase || p == q) return kEmpty;  // the empty set is in every set
    const std::int32_t t = tag(Op::Without, kNoLimit);
    if (ZbddRef hit; lookup(p, q, t, hit)) return hit;
    const int vp = var(p), vq = var(q);
    ZbddRef result;
    if (vp < vq) {
        // q has no set with vp: a set {vp} ∪ s contains a set of q when s does.
        const ZbddRef l = without(lo(p), q);
        result = node(vp, l, without(hi(p), q));
    } else if (vq < vp) {
        // p has no set with vq: only q's sets without vq can be contained.
        result = without(p, lo(q));
    } else {
        // {v} ∪ s contains {v} ∪ t (t ∈ hi q) when s contains t, and contains t ∈ lo q when s does.
        const ZbddRef l = without(lo(p), lo(q));
        const ZbddRef h = without(without(hi(p), hi(q)), lo(q));
        result = node(vp, l, h);
    }
    store(p, q, t, result);
    return result;
}

ZbddRef Zbdd::restrict_order(ZbddRef a, int max_order) {
    if (max_order < 0) return kEmpty;
    if (a <= kBase) return a;
    if (max_order == kNoLimit) return a;
    const std::int32_t t = tag(Op::Restrict, max_order);
    if (ZbddRef hit; lookup(a, a, t, hit)) return hit;
    const ZbddRef l = restrict_order(lo(a), max_order);
    const ZbddRef result = node(var(a), l, restrict_order(hi(a), less_one(max_order)));
    store(a, a, t, result);
    return result;
}

ZbddRef Zbdd::product(ZbddRef a, ZbddRef b, int max_order) {
    if (max_order < 0 || a == kEmpty || b == kEmpty) return kEmpty;
    if (a == kBase) return restrict_order(b, max_order);
    if (b == kBase) return restrict_order(a, max_order);
    if (a > b) std::swap(a, b);
    const std::int32_t t = tag(Op::Product, max_order);
    if (ZbddRef hit; lookup(a, b, t, hit)) return hit;
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
    store(a, b, t, result);
    return result;
}

double Zbdd::count(ZbddRef f) const {
    std::vector<double> n(static_cast<std::size_t>(f) + 1, 0.0);
    if (f >= kBase) n[kBase] = 1.0;
    for (std::size_t i = 2; i <= static_cast<std::size_t>(f); ++i) {
        n[i] = n[static_cast<std::size_t>(lo_[i])] + n[static_cast<std::size_t>(hi_[i])];
    }
    return n[static_cast<std::size_t>(f)];
}

}  // namespace nines::analytic
