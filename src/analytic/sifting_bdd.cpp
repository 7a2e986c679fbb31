#include "analytic/sifting_bdd.h"

#include <algorithm>
#include <string>

#include "analytic/bdd.h"

#include "analytic/node_table.h"

namespace nines::analytic {

SiftingBdd::SiftingBdd(int variables, std::size_t node_limit)
    : node_limit_(node_limit), table_(static_cast<std::size_t>(variables)), level_of_var_(static_cast<std::size_t>(variables)),
      var_at_level_(static_cast<std::size_t>(variables)) {
    nodes_.push_back(Node{variables, 0, 0, 1, -1});  // terminals: never counted, never freed
    nodes_.push_back(Node{variables, 1, 1, 1, -1});
    for (int v = 0; v < variables; ++v) {
        level_of_var_[static_cast<std::size_t>(v)] = v;
        var_at_level_[static_cast<std::size_t>(v)] = v;
        table_[static_cast<std::size_t>(v)].bucket.assign(8, -1);
    }
    cache_.assign(std::size_t{1} << 16, CacheEntry{});
}

std::size_t SiftingBdd::bucket_of(const Subtable& t, Ref lo, Ref hi) const {
    return hash_triple(static_cast<std::uint64_t>(lo), static_cast<std::uint64_t>(hi), 0) & (t.bucket.size() - 1);
}

void SiftingBdd::insert(int var, Ref n) {
    Subtable& t = table_[static_cast<std::size_t>(var)];
    if (t.count >= 2 * t.bucket.size()) {
        std::vector<Ref> old;
        old.swap(t.bucket);
        t.bucket.assign(old.size() * 4, -1);
        for (Ref head : old) {
            while (head >= 0) {
                const Ref next = nodes_[static_cast<std::size_t>(head)].next;
                const std::size_t b = bucket_of(t, nodes_[static_cast<std::size_t>(head)].lo, nodes_[static_cast<std::size_t>(head)].hi);
                nodes_[static_cast<std::size_t>(head)].next = t.bucket[b];
                t.bucket[b] = head;
                head = next;
            }
        }
    }
    const std::size_t b = bucket_of(t, nodes_[static_cast<std::size_t>(n)].lo, nodes_[static_cast<std::size_t>(n)].hi);
    nodes_[static_cast<std::size_t>(n)].next = t.bucket[b];
    t.bucket[b] = n;
    ++t.count;
}

void SiftingBdd::unlink(Ref n) {
    const Node& node = nodes_[static_cast<std::size_t>(n)];
    Subtable& t = table_[static_cast<std::size_t>(node.var)];
    Ref* link = &t.bucket[bucket_of(t, node.lo, node.hi)];
    while (*link != n) link = &nodes_[static_cast<std::size_t>(*link)].next;
    *link = node.next;
    --t.count;
}

void SiftingBdd::free_node(Ref n) {
    Node& node = nodes_[static_cast<std::size_t>(n)];
    node.var = -1;
    node.next = free_;
    free_ = n;
    --allocated_;
}

SiftingBdd::Ref SiftingBdd::make_node(int var, Ref lo, Ref hi) {
    if (lo == hi) return lo;
    Subtable& t = table_[static_cast<std::size_t>(var)];
    for (Ref n = t.bucket[bucket_of(t, lo, hi)]; n >= 0; n = nodes_[static_cast<std::size_t>(n)].next) {
        if (nodes_[static_cast<std::size_t>(n)].lo == lo && nodes_[static_cast<std::size_t>(n)].hi == hi) return n;
    }
    if (allocated_ >= node_limit_) {
        throw BddNodeLimitError("the exact (BDD) evaluation needs more than " + std::to_string(node_limit_) +
                                " nodes for this structure, with dynamic reordering (sifting)");
    }
    Ref n;
    if (free_ >= 0) {
        n = free_;
        free_ = nodes_[static_cast<std::size_t>(n)].next;
        nodes_[static_cast<std::size_t>(n)] = Node{var, lo, hi, 0, -1};
    } else {
        n = static_cast<Ref>(nodes_.size());
        nodes_.push_back(Node{var, lo, hi, 0, -1});
    }
    ++allocated_;
    ref(lo);
    ref(hi);
    insert(var, n);
    return n;
}

SiftingBdd::Ref SiftingBdd::variable(int var) { return make_node(var, kFalse, kTrue); }

SiftingBdd::Ref SiftingBdd::ite(Ref f, Ref g, Ref h) {
    if (f == kTrue) return g;
    if (f == kFalse) return h;
    if (g == h) return g;
    if (g == kTrue && h == kFalse) return f;
    CacheEntry& e = cache_[hash_triple(static_cast<std::uint64_t>(f), static_cast<std::uint64_t>(g), static_cast<std::uint64_t>(h)) &
                           (cache_.size() - 1)];
    if (e.f == f && e.g == g && e.h == h) return e.result;
    const int top = std::min(level(f), std::min(level(g), level(h)));
    auto cof_low = [&](Ref x) { return level(x) == top ? low(x) : x; };
    auto cof_high = [&](Ref x) { return level(x) == top ? high(x) : x; };
    const Ref lo = ite(cof_low(f), cof_low(g), cof_low(h));
    const Ref hi = ite(cof_high(f), cof_high(g), cof_high(h));
    const Ref result = make_node(var_at_level_[static_cast<std::size_t>(top)], lo, hi);
    // `e` may have been overwritten by the recursion: store again.
    CacheEntry& slot = cache_[hash_triple(static_cast<std::uint64_t>(f), static_cast<std::uint64_t>(g), static_cast<std::uint64_t>(h)) &
                              (cache_.size() - 1)];
    slot = CacheEntry{f, g, h, result};
    return result;
}

void SiftingBdd::clear_cache() {
    std::size_t n = std::size_t{1} << 16;
    while (n < allocated_ && n < (std::size_t{1} << 22)) n *= 2;
    cache_.assign(n, CacheEntry{});
}

void SiftingBdd::release(Ref n) {
    if (n < 2 || --nodes_[static_cast<std::size_t>(n)].ref > 0) return;
    dying_.push_back(n);
    while (!dying_.empty()) {
        const Ref d = dying_.back();
        dying_.pop_back();
        unlink(d);
        for (const Ref c : {nodes_[static_cast<std::size_t>(d)].lo, nodes_[static_cast<std::size_t>(d)].hi}) {
            if (c >= 2 && --nodes_[static_cast<std::size_t>(c)].ref == 0) dying_.push_back(c);
        }
        free_node(d);
    }
}

void SiftingBdd::collect() {
    for (std::size_t n = 2; n < nodes_.size(); ++n) {
        Node& node = nodes_[n];
        if (node.var < 0 || node.ref > 0) continue;
        node.ref = 1;
        release(static_cast<Ref>(n));  // frees it, and its children left at zero
    }
    clear_cache();
}

void SiftingBdd::swap(int level) {
    const int x = var_at_level_[static_cast<std::size_t>(level)];
    const int y = var_at_level_[static_cast<std::size_t>(level) + 1];
    ++swap_work_;
    if (!interacts(x, y)) {
        // No function depends on both, so no node of x has a child testing y: only the levels change.
        var_at_level_[static_cast<std::size_t>(level)] = y;
        var_at_level_[static_cast<std::size_t>(level) + 1] = x;
        level_of_var_[static_cast<std::size_t>(y)] = level;
        level_of_var_[static_cast<std::size_t>(x)] = level + 1;
        return;
    }
    Subtable& tx = table_[static_cast<std::size_t>(x)];
    // Nodes of x with a child testing y change; the others keep their children and go one level down.
    std::vector<Ref>& moving = moving_;
    moving.clear();
    swap_work_ += tx.bucket.size();
    for (Ref& head : tx.bucket) {
        Ref* link = &head;
        while (*link >= 0) {
            Node& node = nodes_[static_cast<std::size_t>(*link)];
            if (var(node.lo) == y || var(node.hi) == y) {
                moving.push_back(*link);
                *link = node.next;
                --tx.count;
            } else {
                link = &node.next;
            }
        }
    }
    var_at_level_[static_cast<std::size_t>(level)] = y;
    var_at_level_[static_cast<std::size_t>(level) + 1] = x;
    level_of_var_[static_cast<std::size_t>(y)] = level;
    level_of_var_[static_cast<std::size_t>(x)] = level + 1;
    swap_work_ += moving.size();
    for (const Ref f : moving) {
        const Ref f0 = nodes_[static_cast<std::size_t>(f)].lo;
        const Ref f1 = nodes_[static_cast<std::size_t>(f)].hi;
        const bool y0 = var(f0) == y;
        const bool y1 = var(f1) == y;
        const Ref f00 = y0 ? low(f0) : f0, f01 = y0 ? high(f0) : f0;
        const Ref f10 = y1 ? low(f1) : f1, f11 = y1 ? high(f1) : f1;
        // f = y ? (x ? f11 : f01) : (x ? f10 : f00)
        const Ref lo = make_node(x, f00, f10);
        ref(lo);
        const Ref hi = make_node(x, f01, f11);
        ref(hi);
        Node& node = nodes_[static_cast<std::size_t>(f)];
        node.var = y;
        node.lo = lo;
        node.hi = hi;
        insert(y, f);
        release(f0);
        release(f1);
    }
}

void SiftingBdd::check_swap_work() const {
    if (swap_work_limit_ > 0 && swap_work_ > swap_work_limit_) {
        throw SiftingWorkLimitError("sifting gave up after " + std::to_string(swap_work_) + " units of swap work (its bound)");
    }
}

void SiftingBdd::sift_variable(int v, const SiftLimits& limits) {
    const int last = variable_count() - 1;
    std::size_t best = allocated_;
    int best_level = level_of_variable(v);
    const double own = limits.own_growth * static_cast<double>(table_[static_cast<std::size_t>(v)].count);
    auto too_large = [&]() {
        const double b = static_cast<double>(best), a = static_cast<double>(allocated_);
        return a > limits.max_growth * b || a > b + own;
    };
    auto down = [&]() {
        while (level_of_variable(v) < last) {
            swap(level_of_variable(v));
            check_swap_work();
            if (allocated_ < best) {
                best = allocated_;
                best_level = level_of_variable(v);
            }
            if (too_large()) break;
        }
    };
    auto up = [&]() {
        while (level_of_variable(v) > 0) {
            swap(level_of_variable(v) - 1);
            check_swap_work();
            if (allocated_ < best) {
                best = allocated_;
                best_level = level_of_variable(v);
            }
            if (too_large()) break;
        }
    };
    // The nearer end first (fewer swaps to undo).
    if (level_of_variable(v) > last / 2) {
        down();
        up();
    } else {
        up();
        down();
    }
    while (level_of_variable(v) < best_level) swap(level_of_variable(v));
    while (level_of_variable(v) > best_level) swap(level_of_variable(v) - 1);
}

void SiftingBdd::find_interactions() {
    const auto vars = static_cast<std::size_t>(variable_count());
    interaction_words_ = 0;
    interaction_.clear();
    if (vars > kMaxInteractionVariables) return;  // the matrix would be too large: every pair interacts
    interaction_words_ = (vars + 63) / 64;
    interaction_.assign(vars * interaction_words_, 0);
    // Roots: nodes referenced from outside the diagrams (more references than parents).
    std::vector<int> parents(nodes_.size(), 0);
    for (std::size_t n = 2; n < nodes_.size(); ++n) {
        if (nodes_[n].var < 0) continue;
        ++parents[static_cast<std::size_t>(nodes_[n].lo)];
        ++parents[static_cast<std::size_t>(nodes_[n].hi)];
    }
    std::vector<int> stamp(nodes_.size(), 0);
    std::vector<std::uint64_t> support(interaction_words_);
    std::vector<Ref> stack;
    int epoch = 0;
    for (std::size_t r = 2; r < nodes_.size(); ++r) {
        if (nodes_[r].var < 0 || nodes_[r].ref <= parents[r]) continue;
        ++epoch;
        std::fill(support.begin(), support.end(), 0);
        stack.assign(1, static_cast<Ref>(r));
        while (!stack.empty()) {
            const Ref n = stack.back();
            stack.pop_back();
            if (n < 2 || stamp[static_cast<std::size_t>(n)] == epoch) continue;
            stamp[static_cast<std::size_t>(n)] = epoch;
            const Node& node = nodes_[static_cast<std::size_t>(n)];
            support[static_cast<std::size_t>(node.var) / 64] |= std::uint64_t{1} << (static_cast<unsigned>(node.var) % 64);
            stack.push_back(node.lo);
            stack.push_back(node.hi);
        }
        for (std::size_t w = 0; w < interaction_words_; ++w) {
            for (std::uint64_t bits = support[w]; bits != 0; bits &= bits - 1) {
                const std::size_t v = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
                std::uint64_t* row = &interaction_[v * interaction_words_];
                for (std::size_t k = 0; k < interaction_words_; ++k) row[k] |= support[k];
            }
        }
    }
}

void SiftingBdd::sift(const SiftLimits& limits) {
    collect();
    find_interactions();
    std::vector<int> vars;
    for (int v = 0; v < variable_count(); ++v) {
        if (table_[static_cast<std::size_t>(v)].count > 0) vars.push_back(v);
    }
    // Largest levels first (Rudell); ties by variable, so the result is deterministic.
    std::stable_sort(vars.begin(), vars.end(), [&](int a, int b) {
        return table_[static_cast<std::size_t>(a)].count > table_[static_cast<std::size_t>(b)].count;
    });
    for (const int v : vars) sift_variable(v, limits);
    interaction_words_ = 0;
    interaction_.clear();
    clear_cache();
}

}  // namespace nines::analytic
