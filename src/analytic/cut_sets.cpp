#include "analytic/cut_sets.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "analytic/gate_logic.h"

namespace nines::analytic {

namespace {

using Set = std::vector<int>;
using Family = std::vector<Set>;

Set merge(const Set& a, const Set& b) {
    Set out;
    out.reserve(a.size() + b.size());
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

// Removes duplicates and every set that contains a smaller one.
void minimise(Family& family) {
    std::sort(family.begin(), family.end(), [](const Set& x, const Set& y) {
        return x.size() != y.size() ? x.size() < y.size() : x < y;
    });
    family.erase(std::unique(family.begin(), family.end()), family.end());
    Family kept;
    kept.reserve(family.size());
    for (Set& s : family) {
        bool redundant = false;
        for (const Set& k : kept) {
            if (k.size() >= s.size()) break;
            if (std::includes(s.begin(), s.end(), k.begin(), k.end())) {
                redundant = true;
                break;
            }
        }
        if (!redundant) kept.push_back(std::move(s));
    }
    family = std::move(kept);
}

// All unions of one set from each family, keeping only those within the order limit.
Family product(const std::vector<const Family*>& families, int max_order, std::size_t cap, bool& truncated,
               bool& order_limited, std::size_t& work, std::size_t max_work) {
    Family acc{Set{}};
    for (const Family* f : families) {
        Family next;
        for (const Set& a : acc) {
            for (const Set& b : *f) {
                if (++work > max_work && max_work > 0) {
                    truncated = true;
                    return acc;
                }
                Set m = merge(a, b);
                if (static_cast<int>(m.size()) > max_order) {
                    order_limited = true;
                    continue;
                }
                next.push_back(std::move(m));
                if (next.size() > cap) {
                    truncated = true;
                    break;
                }
            }
            if (next.size() > cap) break;
        }
        minimise(next);
        acc = std::move(next);
        if (acc.empty()) break;
    }
    return acc;
}

double log_binomial(int n, int k) { return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0); }

}  // namespace

CutSetList minimal_cut_sets(const StructureGraph& g, const std::vector<double>& q, int max_order,
                            std::size_t max_sets_per_gate, std::size_t max_work) {
    CutSetList result;
    result.max_order = max_order;
    std::vector<Family> down(static_cast<std::size_t>(g.node_count));
    std::size_t work = 0;
    // A child's family is freed once its last parent has used it: memory stays near the largest
    // families alive at once instead of the sum over all gates.
    std::vector<int> uses(static_cast<std::size_t>(g.node_count), 0);
    for (int n : g.gate_order) {
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            ++uses[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])];
        }
    }
    for (int i = 0; i < g.instance_count; ++i) down[static_cast<std::size_t>(i)] = Family{Set{i}};
    for (int n : g.gate_order) {
        std::vector<const Family*> kids;
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            kids.push_back(&down[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]);
        }
        const int count = static_cast<int>(kids.size());
        const int t = g.threshold[static_cast<std::size_t>(n)];  // down when t children are down
        // A series gate is down when any child is: the union of the children's families. Parallel and
        // k_of_n gates are down when some t children are: products over every choice of t children.
        const bool any_child = cut_set_expansion(g.kind[static_cast<std::size_t>(n)]) == CutSetExpansion::AnyChild;
        Family family;
        if (any_child) {
            for (const Family* f : kids) family.insert(family.end(), f->begin(), f->end());
            if (max_work > 0 && (work += family.size()) > max_work) {
                result.truncated = true;
                return result;
            }
            minimise(family);
        } else if (!g.unit_weights(n)) {
            // Weighted children (a capacity block): every minimal choice of children whose weight
            // reaches t (dropping any one of them falls below t), all down.
            const std::vector<int> w = g.child_weights(n);
            if (count > 20) {
                result.truncated = true;  // too many choices of children to enumerate
            } else {
                for (std::uint32_t mask = 1; mask < (std::uint32_t{1} << count); ++mask) {
                    int sum = 0, lightest = t;
                    std::vector<const Family*> chosen;
                    for (int j = 0; j < count; ++j) {
                        if (!(mask >> j & 1U)) continue;
                        sum += w[static_cast<std::size_t>(j)];
                        lightest = std::min(lightest, w[static_cast<std::size_t>(j)]);
                        chosen.push_back(kids[static_cast<std::size_t>(j)]);
                    }
                    if (sum < t || sum - lightest >= t) continue;
                    Family part = product(chosen, max_order, max_sets_per_gate, result.truncated, result.order_limited,
                                          work, max_work);
                    family.insert(family.end(), part.begin(), part.end());
                    if (max_work > 0 && work > max_work) return result;
                }
                minimise(family);
            }
        } else if (log_binomial(count, t) > std::log(1e5)) {
            result.truncated = true;  // too many combinations of children to enumerate
        } else {
            // Every choice of t children, all down.
            std::vector<int> pick(static_cast<std::size_t>(t));
            for (int j = 0; j < t; ++j) pick[static_cast<std::size_t>(j)] = j;
            for (;;) {
                std::vector<const Family*> chosen;
                for (int j : pick) chosen.push_back(kids[static_cast<std::size_t>(j)]);
                Family part = product(chosen, max_order, max_sets_per_gate, result.truncated, result.order_limited, work,
                                      max_work);
                family.insert(family.end(), part.begin(), part.end());
                if (max_work > 0 && work > max_work) return result;
                int j = t - 1;
                while (j >= 0 && pick[static_cast<std::size_t>(j)] == count - t + j) --j;
                if (j < 0) break;
                ++pick[static_cast<std::size_t>(j)];
                for (int m = j + 1; m < t; ++m) pick[static_cast<std::size_t>(m)] = pick[static_cast<std::size_t>(m) - 1] + 1;
            }
            minimise(family);
        }
        if (family.size() > max_sets_per_gate) {
            result.truncated = true;
            family.resize(max_sets_per_gate);
        }
        work += family.size();
        down[static_cast<std::size_t>(n)] = std::move(family);
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            const auto c = static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)]);
            if (--uses[c] == 0 && static_cast<int>(c) != g.root) Family().swap(down[c]);
        }
        if (max_work > 0 && work > max_work) {
            result.truncated = true;
            return result;
        }
    }
    for (Set& s : down[static_cast<std::size_t>(g.root)]) {
        CutSet c;
        c.probability = 1;
        for (int i : s) c.probability *= q[static_cast<std::size_t>(i)];
        c.instances = std::move(s);
        result.sets.push_back(std::move(c));
    }
    // Most probable first; probabilities equal up to rounding keep the order (size, then instances).
    std::stable_sort(result.sets.begin(), result.sets.end(), [](const CutSet& a, const CutSet& b) {
        return a.probability > b.probability * (1 + 1e-9);
    });
    return result;
}

}  // namespace nines::analytic
