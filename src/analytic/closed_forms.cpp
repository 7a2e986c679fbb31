#include "analytic/closed_forms.h"

#include <cmath>

namespace nines::analytic {

UpDown series(const std::vector<UpDown>& units) {
    double up = 1;
    double log_up = 0;
    for (const UpDown& u : units) {
        up *= u.up;
        log_up += std::log1p(-u.down);
    }
    return {up, -std::expm1(log_up)};
}

UpDown parallel(const std::vector<UpDown>& units) {
    double down = 1;
    double log_down = 0;
    for (const UpDown& u : units) {
        down *= u.down;
        log_down += std::log1p(-u.up);
    }
    return {-std::expm1(log_down), down};
}

UpDown series(const std::vector<UnitGroup>& groups) {
    double up = 1;
    double log_up = 0;
    for (const UnitGroup& g : groups) {
        up *= g.count == 1 ? g.unit.up : std::pow(g.unit.up, g.count);
        log_up += g.count * std::log1p(-g.unit.down);
    }
    return {up, -std::expm1(log_up)};
}

UpDown parallel(const std::vector<UnitGroup>& groups) {
    double down = 1;
    double log_down = 0;
    for (const UnitGroup& g : groups) {
        down *= g.count == 1 ? g.unit.down : std::pow(g.unit.down, g.count);
        log_down += g.count * std::log1p(-g.unit.up);
    }
    return {-std::expm1(log_down), down};
}

UpDown k_of_n_identical(int k, int n, UpDown unit) {
    UpDown r{0, 0};
    for (int j = 0; j <= n; ++j) {
        const double term = std::exp(std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0)) *
                            std::pow(unit.up, j) * std::pow(unit.down, n - j);
        (j >= k ? r.up : r.down) += term;
    }
    return r;
}

namespace {

// P(at least t of the events) and P(fewer than t), events independent with P(event i) = p[i] and
// P(not event i) = q[i]: the distribution of the count is kept only below t (the rest is one
// bucket), so the cost is O(n t) and both results are sums of positive terms (no 1 - x).
UpDown at_least(int t, const std::vector<UpDown>& units, bool event_is_up) {
    std::vector<double> count(static_cast<std::size_t>(t), 0.0);  // count[j] = P(exactly j events so far)
    count[0] = 1;
    double reached = 0;                                              // P(at least t events so far)
    std::size_t seen = 0;
    for (const UpDown& u : units) {
        const double p = event_is_up ? u.up : u.down, q = event_is_up ? u.down : u.up;
        reached += count[static_cast<std::size_t>(t) - 1] * p;
        for (std::size_t j = std::min(seen + 1, static_cast<std::size_t>(t) - 1); j >= 1; --j) count[j] = count[j] * q + count[j - 1] * p;
        count[0] *= q;
        ++seen;
    }
    double below = 0;
    for (double c : count) below += c;
    return {reached, below};
}

}  // namespace

UpDown k_of_n(int k, const std::vector<UpDown>& units) {
    const int n = static_cast<int>(units.size());
    if (k <= 0) return {1, 0};
    if (k > n) return {0, 1};
    // Up when at least k are up, down when at least n - k + 1 are down: count whichever is fewer.
    if (k <= n - k + 1) {
        const UpDown r = at_least(k, units, true);
        return {r.up, r.down};
    }
    const UpDown r = at_least(n - k + 1, units, false);
    return {r.down, r.up};
}

UpDown weighted_k_of_n(int k, const std::vector<UpDown>& units, const std::vector<int>& weights) {
    if (k <= 0) return {1, 0};
    // weight[j] = P(exactly j up weight so far), j < k; `reached` = P(at least k so far). Both results are
    // sums of positive terms (no 1 - x), as in at_least above.
    std::vector<double> weight(static_cast<std::size_t>(k), 0.0);
    weight[0] = 1;
    double reached = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const double p = units[i].up, q = units[i].down;
        const auto w = static_cast<std::size_t>(weights[i]);
        const auto kk = static_cast<std::size_t>(k);
        for (std::size_t j = kk; j-- > 0;) {
            const double mass = weight[j];
            if (j + w >= kk) {
                reached += mass * p;
            } else {
                weight[j + w] += mass * p;
            }
            weight[j] = mass * q;
        }
    }
    double below = 0;
    for (double c : weight) below += c;
    return {reached, below};
}

}  // namespace nines::analytic
