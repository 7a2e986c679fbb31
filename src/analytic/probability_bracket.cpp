#include "analytic/probability_bracket.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <utility>

namespace nines::analytic {

namespace {

// A simplified sub-structure, in "down" logic: Down and Up are the constants, Leaf an instance, and a
// gate is down when its children's down weight reaches `threshold`. AnyDown (every child weighs the
// threshold) and AllDown (every child is needed) are kept apart: they flatten into their own kind,
// and a leaf child among them can be set in its siblings (propagate).
enum class Kind : std::uint8_t { Up, Down, Leaf, AnyDown, AllDown, Threshold };

struct Formula {
    Kind kind = Kind::Up;
    int threshold = 0;
    int leaf = -1;
    std::vector<int> children;  // sorted by id, each once
    std::vector<int> weights;   // Threshold only, parallel to children; empty when all weigh 1
};

struct Interval {
    double lower;
    double upper;
};

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// A gate of disjoint children whose down weight is counted (a distribution over 0..threshold) only
// up to this many children x threshold; beyond, its bounds come from the gates alone.
constexpr std::size_t kThresholdWork = 10'000'000;

// P(sum of w_i X_i >= t) for independent X_i ~ Bernoulli(p_i): the distribution of the down weight,
// the weights at or above t pooled in its last cell.
double weight_at_least(const std::vector<double>& p, const std::vector<int>& w, int t) {
    if (t <= 0) return 1.0;
    std::vector<double> dist(static_cast<std::size_t>(t) + 1, 0.0);
    dist[0] = 1.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const auto wi = static_cast<std::size_t>(w.empty() ? 1 : w[i]);
        for (std::size_t d = dist.size(); d-- > 0;) {
            if (dist[d] == 0) continue;
            const double moved = dist[d] * p[i];
            dist[d] -= moved;
            dist[std::min(d + wi, dist.size() - 1)] += moved;
        }
    }
    return std::min(1.0, dist.back());
}

// P(some of independent events with these probabilities): the sum of each one alone after those
// before it, which keeps the digits of small probabilities (1 - prod(1 - p) would cancel them).
double any_of(const std::vector<double>& p) {
    double none_before = 1.0;
    double total = 0.0;
    for (const double x : p) {
        total += none_before * x;
        none_before *= 1.0 - x;
    }
    return std::min(1.0, total);
}

class Conditioner {
public:
    Conditioner(const StructureGraph& g, const std::vector<double>& a, const std::vector<double>& q, const BracketBudget& budget)
        : budget_(budget) {
        // Only the instances the root can reach get a variable (and a bit in every set).
        std::vector<int>& var_of = var_of_;
        var_of.assign(static_cast<std::size_t>(g.instance_count), -1);
        std::vector<std::uint8_t> reached(static_cast<std::size_t>(g.node_count), 0);
        reached[static_cast<std::size_t>(g.root)] = 1;
        for (auto it = g.gate_order.rbegin(); it != g.gate_order.rend(); ++it) {
            if (reached[static_cast<std::size_t>(*it)] == 0) continue;
            for (int k = g.child_begin[static_cast<std::size_t>(*it)]; k < g.child_begin[static_cast<std::size_t>(*it) + 1]; ++k) {
                reached[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])] = 1;
            }
        }
        for (int i = 0; i < g.instance_count; ++i) {
            if (reached[static_cast<std::size_t>(i)] == 0) continue;
            var_of[static_cast<std::size_t>(i)] = static_cast<int>(down_.size());
            down_.push_back(q[static_cast<std::size_t>(i)]);
            up_.push_back(a[static_cast<std::size_t>(i)]);
        }
        words_ = (down_.size() + 63) / 64;
        occurrences_.assign(down_.size(), 0);
        in_children_.assign(down_.size(), 0);
        first_child_.assign(down_.size(), -1);
        value_.assign(down_.size(), 0);
        slots_.assign(1024, -1);
        up_id_ = add({Kind::Up, 0, -1, {}, {}});
        down_id_ = add({Kind::Down, 0, -1, {}, {}});
        std::vector<int> formula_of(static_cast<std::size_t>(g.node_count), -1);
        for (int i = 0; i < g.instance_count; ++i) {
            if (var_of[static_cast<std::size_t>(i)] >= 0) formula_of[static_cast<std::size_t>(i)] = intern({Kind::Leaf, 0, var_of[static_cast<std::size_t>(i)], {}, {}});
        }
        for (const int n : g.gate_order) {
            if (reached[static_cast<std::size_t>(n)] == 0) continue;
            std::vector<std::pair<int, int>> kids;
            for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
                kids.emplace_back(formula_of[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])], g.weight[static_cast<std::size_t>(k)]);
            }
            formula_of[static_cast<std::size_t>(n)] = propagate(gate(g.threshold[static_cast<std::size_t>(n)], std::move(kids)));
        }
        root_ = formula_of[static_cast<std::size_t>(g.root)];
    }

    ProbabilityBracket run() { return run_from(root_); }
    void set_branch_limit(long limit) { budget_.branch_limit = limit; }

    // Bounds on P(root down | instance down) and P(root down | instance up), each with its own
    // expansion budget; the sub-structures solved before (the unconditioned run's) serve again.
    std::pair<ProbabilityBracket, ProbabilityBracket> run_given(int instance) {
        const int v = var_of_[static_cast<std::size_t>(instance)];
        if (v < 0) {
            // The root does not reach it: the condition changes nothing.
            const ProbabilityBracket same = run_from(root_);
            return {same, same};
        }
        const int if_down = condition_one(root_, v, true);
        const int if_up = condition_one(root_, v, false);
        const ProbabilityBracket down = run_from(if_down);
        return {down, run_from(if_up)};
    }

private:
    ProbabilityBracket run_from(int root) {
        // Each run its own expansion budget; the store of sub-structures (memory) is shared, and once
        // full, every run keeps the bounds from the gates and the solved parts.
        branches_ = 0;
        exhausted_ = formulas_.size() >= budget_.node_limit;
        ProbabilityBracket out;
        Interval best = bounds(root);
        // The first cut-off keeps branches that can move the result by a thousandth of its upper bound.
        double allowance = std::max(best.upper, 1e-300) * 1e-3;
        while (!exhausted_) {
            ++out.rounds;
            const Interval r = solve(root, allowance);
            best = {std::max(best.lower, r.lower), std::min(best.upper, r.upper)};
            if (best.upper - best.lower <= budget_.relative_width * best.lower) break;
            allowance /= 100.0;
            if (allowance < 1e-300) break;
        }
        // Rounding: each value above is a sum of products of probabilities, each step within a relative 2^-53.
        out.lower = std::max(0.0, best.lower * (1 - 1e-12));
        out.upper = std::min(1.0, best.upper * (1 + 1e-12));
        if (out.lower > out.upper) out.lower = out.upper;
        out.branches = branches_;
        out.nodes = formulas_.size();
        return out;
    }

    // ---- the store of simplified sub-structures, hash-consed ----
    std::size_t hash_of(const Formula& f) const {
        std::size_t h = static_cast<std::size_t>(f.kind) * 0x9E3779B97F4A7C15ULL ^ static_cast<std::size_t>(f.threshold) * 31 ^
                        static_cast<std::size_t>(f.leaf + 1) * 0x100000001B3ULL;
        for (const int c : f.children) h = (h ^ static_cast<std::size_t>(c)) * 0x100000001B3ULL;
        for (const int w : f.weights) h = (h ^ static_cast<std::size_t>(w)) * 0x9E3779B97F4A7C15ULL;
        return h ^ (h >> 29);
    }
    static bool same(const Formula& x, const Formula& y) {
        return x.kind == y.kind && x.threshold == y.threshold && x.leaf == y.leaf && x.children == y.children && x.weights == y.weights;
    }
    int add(Formula f) {
        const int id = static_cast<int>(formulas_.size());
        support_.resize(support_.size() + words_, 0);
        std::uint64_t* s = support(id);
        if (f.kind == Kind::Leaf) s[static_cast<std::size_t>(f.leaf) / 64] |= std::uint64_t{1} << (static_cast<std::size_t>(f.leaf) % 64);
        for (const int c : f.children) {
            const std::uint64_t* cs = support(c);
            for (std::size_t w = 0; w < words_; ++w) s[w] |= cs[w];
        }
        formulas_.push_back(std::move(f));
        cheap_.push_back({-1.0, -1.0});
        solved_.push_back({0.0, 1.0});
        solved_allowance_.push_back(kInfinity);
        if (formulas_.size() >= budget_.node_limit) exhausted_ = true;
        return id;
    }
    int intern(Formula f) {
        if (2 * (formulas_.size() + 1) > slots_.size()) {
            std::vector<int> bigger(slots_.size() * 2, -1);
            for (int id = 0; id < static_cast<int>(formulas_.size()); ++id) {
                std::size_t at = hash_of(formulas_[static_cast<std::size_t>(id)]) & (bigger.size() - 1);
                while (bigger[at] >= 0) at = (at + 1) & (bigger.size() - 1);
                bigger[at] = id;
            }
            slots_ = std::move(bigger);
        }
        std::size_t at = hash_of(f) & (slots_.size() - 1);
        while (slots_[at] >= 0) {
            if (same(formulas_[static_cast<std::size_t>(slots_[at])], f)) return slots_[at];
            at = (at + 1) & (slots_.size() - 1);
        }
        const int id = add(std::move(f));
        slots_[at] = id;
        return id;
    }
    std::uint64_t* support(int id) { return &support_[static_cast<std::size_t>(id) * words_]; }
    const Formula& at(int id) const { return formulas_[static_cast<std::size_t>(id)]; }

    // A gate down when its children's down weight reaches t, simplified: constants folded, weights
    // capped at t, a child listed twice weighing the sum, and the kind decided by the weights.
    int gate(int t, std::vector<std::pair<int, int>> kids) {
        std::vector<std::pair<int, int>> open;
        for (const auto& [c, w] : kids) {
            if (c == down_id_) {
                t -= w;
            } else if (c != up_id_) {
                open.emplace_back(c, w);
            }
        }
        if (t <= 0) return down_id_;
        std::sort(open.begin(), open.end());
        std::vector<std::pair<int, int>> merged;
        long total = 0;
        for (const auto& [c, w] : open) {
            if (!merged.empty() && merged.back().first == c) {
                merged.back().second = std::min(t, merged.back().second + w);
            } else {
                merged.emplace_back(c, std::min(t, w));
            }
        }
        int lightest = t;
        for (const auto& [c, w] : merged) {
            total += w;
            lightest = std::min(lightest, w);
        }
        if (total < t) return up_id_;
        if (lightest == t || total - lightest < t) {
            // Any child down brings it down, or every child is needed: flatten children of the same kind.
            const Kind kind = lightest == t ? Kind::AnyDown : Kind::AllDown;
            std::vector<int> flat;
            for (const auto& [c, w] : merged) {
                if (at(c).kind == kind) {
                    flat.insert(flat.end(), at(c).children.begin(), at(c).children.end());
                } else {
                    flat.push_back(c);
                }
            }
            std::sort(flat.begin(), flat.end());
            flat.erase(std::unique(flat.begin(), flat.end()), flat.end());
            if (flat.size() == 1) return flat[0];
            return intern({kind, 0, -1, std::move(flat), {}});
        }
        Formula f{Kind::Threshold, t, -1, {}, {}};
        bool unit = true;
        for (const auto& [c, w] : merged) {
            f.children.push_back(c);
            f.weights.push_back(w);
            unit = unit && w == 1;
        }
        if (unit) f.weights.clear();
        return intern(std::move(f));
    }

    // The sub-structure with the variables in `mask` set to value_ (1 down, 0 up).
    int condition(int f, const std::vector<std::uint64_t>& mask, std::unordered_map<int, int>& memo) {
        const std::uint64_t* s = support(f);
        bool touched = false;
        for (std::size_t w = 0; w < words_ && !touched; ++w) touched = (s[w] & mask[w]) != 0;
        if (!touched) return f;
        if (at(f).kind == Kind::Leaf) return value_[static_cast<std::size_t>(at(f).leaf)] != 0 ? down_id_ : up_id_;
        if (const auto it = memo.find(f); it != memo.end()) return it->second;
        const Formula node = at(f);  // a copy: interning below may move the store
        std::vector<std::pair<int, int>> kids;
        int t = node.threshold;
        if (node.kind == Kind::AnyDown) t = 1;
        if (node.kind == Kind::AllDown) t = static_cast<int>(node.children.size());
        for (std::size_t k = 0; k < node.children.size(); ++k) {
            kids.emplace_back(condition(node.children[k], mask, memo), node.weights.empty() ? 1 : node.weights[k]);
        }
        const int r = gate(t, std::move(kids));
        memo.emplace(f, r);
        return r;
    }
    int condition_one(int f, int var, bool down) {
        std::vector<std::uint64_t> mask(words_, 0);
        mask[static_cast<std::size_t>(var) / 64] |= std::uint64_t{1} << (static_cast<std::size_t>(var) % 64);
        value_[static_cast<std::size_t>(var)] = down ? 1 : 0;
        std::unordered_map<int, int> memo;
        return condition(f, mask, memo);
    }

    // AnyDown(x, G...) = AnyDown(x, G|x up ...), AllDown(x, G...) = AllDown(x, G|x down ...): a leaf
    // child's other occurrences go, which splits gates that only it joined.
    int propagate(int f) {
        for (;;) {
            const Kind kind = at(f).kind;
            if (kind != Kind::AnyDown && kind != Kind::AllDown) return f;
            std::vector<std::uint64_t> mask(words_, 0);
            bool any = false;
            for (const int c : at(f).children) {
                if (at(c).kind != Kind::Leaf) continue;
                const auto v = static_cast<std::size_t>(at(c).leaf);
                mask[v / 64] |= std::uint64_t{1} << (v % 64);
                value_[v] = kind == Kind::AllDown ? 1 : 0;
                any = true;
            }
            if (!any) return f;
            std::unordered_map<int, int> memo;
            const std::vector<int> children = at(f).children;
            std::vector<std::pair<int, int>> kids;
            bool changed = false;
            for (const int c : children) {
                const int d = at(c).kind == Kind::Leaf ? c : condition(c, mask, memo);
                changed = changed || d != c;
                kids.emplace_back(d, 1);
            }
            if (!changed) return f;
            const int t = kind == Kind::AnyDown ? 1 : static_cast<int>(kids.size());  // before kids is moved
            f = gate(t, std::move(kids));
        }
    }

    // ---- bounds from the gates alone ----
    // Children with pairwise disjoint instances (independent), picked greedily in the order given.
    std::vector<std::size_t> disjoint_children(int f, const std::vector<std::size_t>& order) {
        std::vector<std::uint64_t> used(words_, 0);
        std::vector<std::size_t> out;
        for (const std::size_t k : order) {
            const std::uint64_t* s = support(at(f).children[k]);
            bool free = true;
            for (std::size_t w = 0; w < words_ && free; ++w) free = (s[w] & used[w]) == 0;
            if (!free) continue;
            out.push_back(k);
            for (std::size_t w = 0; w < words_; ++w) used[w] |= s[w];
        }
        return out;
    }
    Interval bounds(int f) {
        const Formula& node = at(f);
        if (node.kind == Kind::Up) return {0.0, 0.0};
        if (node.kind == Kind::Down) return {1.0, 1.0};
        if (node.kind == Kind::Leaf) return {down_[static_cast<std::size_t>(node.leaf)], down_[static_cast<std::size_t>(node.leaf)]};
        if (cheap_[static_cast<std::size_t>(f)].lower >= 0) return cheap_[static_cast<std::size_t>(f)];
        const std::vector<int> children = node.children;
        std::vector<Interval> c;
        for (const int x : children) c.push_back(bounds(x));
        const Formula& n = at(f);
        const std::size_t m = c.size();
        std::vector<std::size_t> by_upper(m);
        std::iota(by_upper.begin(), by_upper.end(), std::size_t{0});
        std::vector<std::size_t> by_lower = by_upper;
        std::stable_sort(by_upper.begin(), by_upper.end(), [&](std::size_t x, std::size_t y) { return c[x].upper < c[y].upper; });
        std::stable_sort(by_lower.begin(), by_lower.end(), [&](std::size_t x, std::size_t y) { return c[x].lower > c[y].lower; });
        std::vector<double> uppers;
        for (const Interval& x : c) uppers.push_back(x.upper);
        Interval r{0.0, 1.0};
        if (n.kind == Kind::AllDown) {
            // Harris: at least the product; at most the product over independent children alone.
            r.lower = 1.0;
            for (const Interval& x : c) r.lower *= x.lower;
            for (const std::size_t k : disjoint_children(f, by_upper)) r.upper *= c[k].upper;
        } else if (n.kind == Kind::AnyDown) {
            // Harris: at most as if independent; at least the independent children's union alone.
            r.upper = any_of(uppers);
            std::vector<double> lowers;
            for (const std::size_t k : disjoint_children(f, by_lower)) lowers.push_back(c[k].lower);
            r.lower = any_of(lowers);
        } else {
            // Down weight reaching t: at most P(any child down), at most E[weight] / t (Markov), at most
            // the independent children reaching t less the others' weight; at least the independent
            // children reaching t alone, at least the heaviest-first product reaching t (Harris).
            const int t = n.threshold;
            auto weight = [&](std::size_t k) { return n.weights.empty() ? 1 : n.weights[k]; };
            double mean = 0.0;
            long others = 0;
            for (std::size_t k = 0; k < m; ++k) mean += weight(k) * c[k].upper;
            r.upper = std::min(any_of(uppers), mean / t);
            const std::vector<std::size_t> free_up = disjoint_children(f, by_upper);
            const std::vector<std::size_t> free_low = disjoint_children(f, by_lower);
            if (static_cast<std::size_t>(t) * m <= kThresholdWork) {
                std::vector<std::uint8_t> chosen(m, 0);
                std::vector<double> p;
                std::vector<int> w;
                for (const std::size_t k : free_up) {
                    chosen[k] = 1;
                    p.push_back(c[k].upper);
                    w.push_back(weight(k));
                }
                for (std::size_t k = 0; k < m; ++k) others += chosen[k] != 0 ? 0 : weight(k);
                r.upper = std::min(r.upper, weight_at_least(p, w, t - static_cast<int>(std::min<long>(others, t))));
                p.clear();
                w.clear();
                for (const std::size_t k : free_low) {
                    p.push_back(c[k].lower);
                    w.push_back(weight(k));
                }
                r.lower = weight_at_least(p, w, t);
            } else {
                r.lower = 0.0;
            }
            double product = 1.0;
            long reached = 0;
            for (const std::size_t k : by_lower) {
                if (reached >= t) break;
                product *= c[k].lower;
                reached += weight(k);
            }
            if (reached >= t) r.lower = std::max(r.lower, product);
        }
        r.upper = std::max(r.upper, r.lower);
        cheap_[static_cast<std::size_t>(f)] = r;
        return r;
    }

    // ---- the conditioning ----
    // The variable to set: among those in more than one child of the gate (what keeps it from splitting
    // into independent parts), the one in most children, then the one in most gates below, then the lowest.
    int branch_variable(int f) {
        const std::vector<int> children = at(f).children;
        std::vector<int> touched;
        for (const int c : children) {
            const std::uint64_t* s = support(c);
            for (std::size_t w = 0; w < words_; ++w) {
                for (std::uint64_t bits = s[w]; bits != 0; bits &= bits - 1) {
                    const std::size_t v = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
                    if (in_children_[v]++ == 0) touched.push_back(static_cast<int>(v));
                }
            }
        }
        // Occurrences: the gates below f with the variable as a child.
        std::vector<int> stack{f};
        ++visit_;
        visited_.resize(formulas_.size(), 0);
        visited_[static_cast<std::size_t>(f)] = visit_;
        std::vector<int> counted;
        while (!stack.empty()) {
            const int x = stack.back();
            stack.pop_back();
            for (const int c : at(x).children) {
                if (at(c).kind == Kind::Leaf) {
                    if (occurrences_[static_cast<std::size_t>(at(c).leaf)]++ == 0) counted.push_back(at(c).leaf);
                } else if (visited_[static_cast<std::size_t>(c)] != visit_) {
                    visited_[static_cast<std::size_t>(c)] = visit_;
                    stack.push_back(c);
                }
            }
        }
        int best = -1;
        std::pair<int, int> best_score{-1, -1};
        for (const int v : touched) {
            const std::pair<int, int> score{in_children_[static_cast<std::size_t>(v)], occurrences_[static_cast<std::size_t>(v)]};
            if (score > best_score || (score == best_score && v < best)) {
                best_score = score;
                best = v;
            }
        }
        for (const int v : touched) in_children_[static_cast<std::size_t>(v)] = 0;
        for (const int v : counted) occurrences_[static_cast<std::size_t>(v)] = 0;
        return best;
    }

    // Bounds on P(f down), refined while a refinement can move them by more than `allowance`.
    Interval solve(int f, double allowance) {
        // Counts this call's nesting while it runs.
        struct Nesting {
            int& depth;
            explicit Nesting(int& d) : depth(++d) {}
            ~Nesting() { --depth; }
        } nesting(depth_);
        const Kind kind = at(f).kind;
        if (kind == Kind::Up) return {0.0, 0.0};
        if (kind == Kind::Down) return {1.0, 1.0};
        if (kind == Kind::Leaf) return bounds(f);
        const auto fi = static_cast<std::size_t>(f);
        // A solved interval serves any coarser allowance, and an exact one (its bounds met) any allowance.
        if (solved_allowance_[fi] <= allowance || solved_[fi].lower == solved_[fi].upper) return solved_[fi];
        const Interval cheap = bounds(f);
        if (cheap.upper - cheap.lower <= allowance) return cheap;
        if (exhausted_ || depth_ > kBracketMaxDepth) {
            return solved_allowance_[fi] < kInfinity ? solved_[fi] : cheap;
        }
        Interval r = cheap;
        if (const int g = propagate(f); g != f) {
            r = solve(g, allowance);
        } else {
            r = expand(f, allowance);
        }
        r = {std::max(r.lower, cheap.lower), std::min(r.upper, cheap.upper)};
        if (r.lower > r.upper) r.lower = r.upper;  // rounding only: both are bounds
        solved_[fi] = r;
        solved_allowance_[fi] = allowance;
        return r;
    }

    Interval expand(int f, double allowance) {
        const Formula node = at(f);
        const std::size_t m = node.children.size();
        // Children joined by shared variables, as groups: union-find through each variable's first child
        // (linear in the supports; pairwise tests would cost children^2, seconds for 3,000 children).
        std::vector<std::size_t> group(m);
        std::iota(group.begin(), group.end(), std::size_t{0});
        auto find = [&](std::size_t x) {
            while (group[x] != x) x = group[x] = group[group[x]];
            return x;
        };
        std::vector<int> touched;
        for (std::size_t i = 0; i < m; ++i) {
            const std::uint64_t* s = support(node.children[i]);
            for (std::size_t w = 0; w < words_; ++w) {
                for (std::uint64_t bits = s[w]; bits != 0; bits &= bits - 1) {
                    const std::size_t v = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
                    if (first_child_[v] < 0) {
                        first_child_[v] = static_cast<int>(i);
                        touched.push_back(static_cast<int>(v));
                    } else if (find(i) != find(static_cast<std::size_t>(first_child_[v]))) {
                        group[find(i)] = find(static_cast<std::size_t>(first_child_[v]));
                    }
                }
            }
        }
        for (const int v : touched) first_child_[static_cast<std::size_t>(v)] = -1;
        std::vector<std::vector<int>> parts;
        std::vector<std::size_t> part_of(m, m);
        for (std::size_t i = 0; i < m; ++i) {
            const std::size_t root = find(i);
            if (part_of[root] == m) {
                part_of[root] = parts.size();
                parts.emplace_back();
            }
            parts[part_of[root]].push_back(node.children[i]);
        }
        if (node.kind != Kind::Threshold && parts.size() > 1) {
            // Independent parts: AllDown is their product, AnyDown their union; an error in one part
            // reaches the gate times the others' P (AllDown) or P(up) (AnyDown), so each part's allowance
            // is divided by that, from the others' bounds (the solved ones, the cheap ones before).
            const bool all = node.kind == Kind::AllDown;
            std::vector<int> sub;
            std::vector<Interval> iv;
            for (std::vector<int>& p : parts) {
                sub.push_back(p.size() == 1 ? p[0] : intern({node.kind, 0, -1, std::move(p), {}}));
                iv.push_back(bounds(sub.back()));
            }
            std::vector<std::size_t> order(sub.size());
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
                return iv[x].upper - iv[x].lower < iv[y].upper - iv[y].lower;
            });
            for (const std::size_t i : order) {
                double sensitivity = 1.0;
                for (std::size_t j = 0; j < sub.size(); ++j) {
                    if (j != i) sensitivity *= all ? iv[j].upper : 1.0 - iv[j].lower;
                }
                iv[i] = solve(sub[i], sensitivity > 0 ? allowance / sensitivity : kInfinity);
            }
            Interval r{1.0, 1.0};
            if (all) {
                for (const Interval& x : iv) {
                    r.lower *= x.lower;
                    r.upper *= x.upper;
                }
                return r;
            }
            std::vector<double> lowers;
            std::vector<double> uppers;
            for (const Interval& x : iv) {
                lowers.push_back(x.lower);
                uppers.push_back(x.upper);
            }
            return {any_of(lowers), any_of(uppers)};
        }
        if (node.kind == Kind::Threshold && parts.size() == m && static_cast<std::size_t>(node.threshold) * m <= kThresholdWork) {
            // Independent children: the distribution of their down weight (it grows with each child's P).
            std::vector<double> lowers;
            std::vector<double> uppers;
            for (const int c : node.children) {
                const Interval x = solve(c, allowance);
                lowers.push_back(x.lower);
                uppers.push_back(x.upper);
            }
            return {weight_at_least(lowers, node.weights, node.threshold), weight_at_least(uppers, node.weights, node.threshold)};
        }
        const int v = branch_variable(f);
        if (v < 0) return bounds(f);  // no variable left to set: cannot happen for a gate that did not split
        ++branches_;
        if (branches_ >= budget_.branch_limit) exhausted_ = true;
        const double q = down_[static_cast<std::size_t>(v)];
        const double a = up_[static_cast<std::size_t>(v)];
        const int if_down = condition_one(f, v, true);
        const int if_up = condition_one(f, v, false);
        const Interval d = q > 0 ? solve(if_down, allowance / q) : Interval{0.0, 0.0};
        const Interval u = a > 0 ? solve(if_up, allowance / a) : Interval{0.0, 0.0};
        return {q * d.lower + a * u.lower, q * d.upper + a * u.upper};
    }

    BracketBudget budget_;
    std::vector<int> var_of_;  // per instance of the graph: its variable, -1 when the root does not reach it
    std::vector<double> down_;
    std::vector<double> up_;
    std::size_t words_ = 1;
    std::vector<Formula> formulas_;
    std::vector<std::uint64_t> support_;
    std::vector<int> slots_;
    std::vector<Interval> cheap_;
    std::vector<Interval> solved_;
    std::vector<double> solved_allowance_;
    std::vector<int> occurrences_;
    std::vector<int> in_children_;
    std::vector<int> first_child_;  // expand's scratch: the first child with the variable, -1 otherwise
    std::vector<std::uint8_t> value_;
    std::vector<std::uint32_t> visited_;  // == visit_: seen by the current walk of branch_variable
    std::uint32_t visit_ = 0;
    int up_id_ = -1;
    int down_id_ = -1;
    int root_ = -1;
    long branches_ = 0;
    int depth_ = 0;  // solve calls under way
    bool exhausted_ = false;
};

}  // namespace

std::string bracket_refusal(const StructureGraph& g, const BracketBudget& budget) {
    if (budget.node_limit < static_cast<std::size_t>(g.node_count) + 2) {
        return "the structure's " + std::to_string(g.node_count) + " nodes do not fit in the " +
               std::to_string(budget.node_limit) + " sub-structures the memory budget holds";
    }
    std::vector<int> depth(static_cast<std::size_t>(g.node_count), 0);
    for (const int n : g.gate_order) {
        int d = 0;
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            d = std::max(d, depth[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]);
        }
        depth[static_cast<std::size_t>(n)] = d + 1;
        if (d + 1 > kBracketMaxDepth) {
            return "gates are nested more than " + std::to_string(kBracketMaxDepth) + " deep";
        }
    }
    return "";
}

std::optional<ProbabilityBracket> bracket_down_probability(const StructureGraph& g, const std::vector<double>& a,
                                                           const std::vector<double>& q, const BracketBudget& budget) {
    if (!bracket_refusal(g, budget).empty()) return std::nullopt;
    Conditioner conditioner(g, a, q, budget);
    return conditioner.run();
}

std::optional<ConditionedBrackets> bracket_down_probability_given(const StructureGraph& g, const std::vector<double>& a,
                                                                  const std::vector<double>& q, const BracketBudget& budget,
                                                                  const std::vector<int>& instances, long branch_limit_each) {
    if (!bracket_refusal(g, budget).empty()) return std::nullopt;
    Conditioner conditioner(g, a, q, budget);
    ConditionedBrackets out;
    out.unconditioned = conditioner.run();
    conditioner.set_branch_limit(branch_limit_each);
    for (const int i : instances) out.given.push_back(conditioner.run_given(i));
    return out;
}

}  // namespace nines::analytic
