#include "analytic/bdd.h"

#include <algorithm>
#include <string>

namespace nines::analytic {

std::size_t bdd_node_limit_for_memory(double bytes) {
    if (!(bytes >= static_cast<double>(bdd_memory_bound_bytes(kMinBddNodeLimit)))) return 0;
    // The bound grows with the limit: the largest limit within the budget by bisection.
    std::size_t lo = kMinBddNodeLimit;
    std::size_t hi = kMaxBddNodeLimit;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo + 1) / 2;
        if (static_cast<double>(bdd_memory_bound_bytes(mid)) <= bytes) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

std::string bdd_memory_refusal(double bytes) {
    if (bdd_node_limit_for_memory(bytes) > 0) return "";
    return "too small for a decision diagram: at least " +
           std::to_string((bdd_memory_bound_bytes(kMinBddNodeLimit) + (std::size_t{1} << 20) - 1) >> 20) + " MiB";
}

Bdd::Bdd(int variables, std::size_t node_limit) : variables_(variables), nodes_(variables, node_limit) {}

BddRef Bdd::make_node(int level, BddRef low, BddRef high) {
    if (low == high) return low;
    const std::size_t slots = nodes_.slots();
    const BddRef id = nodes_.find_or_add(level, low, high);
    if (id == NodeTable::kFull) {
        throw BddNodeLimitError("the exact (BDD) evaluation needs more than " + std::to_string(nodes_.node_limit()) +
                                " nodes for this structure");
    }
    // Keep the computed table roughly proportional to the diagram.
    if (nodes_.slots() != slots) cache_.follow(nodes_.slots(), std::size_t{1} << 24);
    return id;
}

BddRef Bdd::variable(int level) { return make_node(level, kFalse, kTrue); }

BddRef Bdd::ite(BddRef f, BddRef g, BddRef h) {
    if (f == kTrue) return g;
    if (f == kFalse) return h;
    if (g == h) return g;
    if (g == kTrue && h == kFalse) return f;
    if (BddRef hit; cache_.lookup(f, g, h, hit)) return hit;
    const int top = std::min(level(f), std::min(level(g), level(h)));
    auto cof_low = [&](BddRef x) { return level(x) == top ? low(x) : x; };
    auto cof_high = [&](BddRef x) { return level(x) == top ? high(x) : x; };
    const BddRef lo = ite(cof_low(f), cof_low(g), cof_low(h));
    const BddRef hi = ite(cof_high(f), cof_high(g), cof_high(h));
    const BddRef result = make_node(top, lo, hi);
    cache_.store(f, g, h, result);
    return result;
}

BddRef Bdd::at_least(const std::vector<BddRef>& functions, int k) {
    // row[j] = "at least j of the functions seen so far are true", built from the last function back.
    const int n = static_cast<int>(functions.size());
    if (k <= 0) return kTrue;
    if (k > n) return kFalse;
    std::vector<BddRef> row(static_cast<std::size_t>(k) + 1, kFalse);
    row[0] = kTrue;
    for (int i = n - 1; i >= 0; --i) {
        // Only counts that can still be reached matter: j <= n - i.
        for (int j = std::min(k, n - i); j >= 1; --j) {
            row[static_cast<std::size_t>(j)] =
                ite(functions[static_cast<std::size_t>(i)], row[static_cast<std::size_t>(j) - 1], row[static_cast<std::size_t>(j)]);
        }
    }
    return row[static_cast<std::size_t>(k)];
}

BddRef Bdd::at_least_weighted(const std::vector<BddRef>& functions, const std::vector<int>& weights, int k) {
    // row[j] = "the true functions seen so far weigh at least j", built from the last function back;
    // a true function of weight w takes j to j - w (at least 0: kTrue).
    if (k <= 0) return kTrue;
    std::vector<BddRef> row(static_cast<std::size_t>(k) + 1, kFalse);
    row[0] = kTrue;
    for (std::size_t i = functions.size(); i-- > 0;) {
        const int w = weights[i];
        for (int j = k; j >= 1; --j) {  // descending: row[j - w] is still the previous function's
            row[static_cast<std::size_t>(j)] =
                ite(functions[i], row[static_cast<std::size_t>(std::max(0, j - w))], row[static_cast<std::size_t>(j)]);
        }
    }
    return row[static_cast<std::size_t>(k)];
}

void Bdd::forward(BddRef f, const std::vector<double>& p, const std::vector<double>& q, bool complement,
                  std::vector<double>& value) const {
    const auto top = static_cast<std::size_t>(f);
    value.assign(top + 1, 0.0);
    value[0] = complement ? 1.0 : 0.0;
    if (top >= 1) value[1] = complement ? 0.0 : 1.0;
    for (std::size_t n = 2; n <= top; ++n) {
        const auto l = static_cast<std::size_t>(level(static_cast<BddRef>(n)));
        value[n] = p[l] * value[static_cast<std::size_t>(high(static_cast<BddRef>(n)))] + q[l] * value[static_cast<std::size_t>(low(static_cast<BddRef>(n)))];
    }
}

double Bdd::probability(BddRef f, const std::vector<double>& p, const std::vector<double>& q, bool complement) const {
    std::vector<double> value;
    forward(f, p, q, complement, value);
    return value[static_cast<std::size_t>(f)];
}

double Bdd::probability_and_gradient(BddRef f, const std::vector<double>& p, const std::vector<double>& q,
                                     bool complement, std::vector<double>& gradient) const {
    const auto top = static_cast<std::size_t>(f);
    std::vector<double> value;
    forward(f, p, q, complement, value);
    // reach[n] = probability that the evaluation path from f passes through n; then
    // dP/dp_l = sum over nodes n at level l of reach[n] (value[high] - value[low]).
    gradient.assign(static_cast<std::size_t>(variables_), 0.0);
    std::vector<double> reach(top + 1, 0.0);
    reach[top] = 1.0;
    for (std::size_t n = top; n >= 2; --n) {
        if (reach[n] == 0.0) continue;
        const auto l = static_cast<std::size_t>(level(static_cast<BddRef>(n)));
        const auto hi = static_cast<std::size_t>(high(static_cast<BddRef>(n)));
        const auto lo = static_cast<std::size_t>(low(static_cast<BddRef>(n)));
        gradient[l] += reach[n] * (complement ? value[lo] - value[hi] : value[hi] - value[lo]);
        reach[hi] += reach[n] * p[l];
        reach[lo] += reach[n] * q[l];
    }
    return value[top];
}

}  // namespace nines::analytic
