#include "analytic/tree_gradient.h"

#include <cmath>

#include "analytic/gate_logic.h"

namespace nines::analytic {

namespace {

// P(Bin(n, p) = j) with q = 1 - p given apart, in logarithms: n may be a million.
double binomial_probability(int n, int j, double p, double q) {
    if (j < 0 || j > n) return 0.0;
    if (p == 0) return j == 0 ? 1.0 : 0.0;
    if (q == 0) return j == n ? 1.0 : 0.0;
    const double log_choose = std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0);
    return std::exp(log_choose + j * std::log(p) + (n - j) * std::log(q));
}

// The derivative of gate n's availability with respect to each of its children's (in child order);
// false when the gate is too wide for it (kTreeGradientWork).
bool child_derivatives(const StructureGraph& g, int n, const std::vector<UpDown>& value, std::vector<double>& out) {
    const auto begin = static_cast<std::size_t>(g.child_begin[static_cast<std::size_t>(n)]);
    const auto end = static_cast<std::size_t>(g.child_begin[static_cast<std::size_t>(n) + 1]);
    const std::size_t count = end - begin;
    const int t = g.threshold[static_cast<std::size_t>(n)];
    auto child = [&](std::size_t k) { return value[static_cast<std::size_t>(g.children[begin + k])]; };
    auto weight = [&](std::size_t k) { return g.weight[begin + k]; };
    out.assign(count, 0.0);
    const bool unit = g.unit_weights(n);
    if (t == 1 || (unit && t == static_cast<int>(count))) {
        // Series (down when any child is down): the others all up. Parallel (down when all are): the
        // others all down. Prefix and suffix products, so that a zero anywhere costs nothing.
        const bool series = t == 1;
        std::vector<double> suffix(count + 1, 1.0);
        for (std::size_t k = count; k-- > 0;) suffix[k] = suffix[k + 1] * (series ? child(k).up : child(k).down);
        double prefix = 1.0;
        for (std::size_t k = 0; k < count; ++k) {
            out[k] = prefix * suffix[k + 1];
            prefix *= series ? child(k).up : child(k).down;
        }
        return true;
    }
    bool identical = true;
    for (std::size_t k = 1; k < count && identical; ++k) {
        identical = child(k).up == child(0).up && child(k).down == child(0).down && weight(k) == weight(0);
    }
    if (identical) {
        // The others' down weight is w X with X ~ Bin(count - 1, q): in [t - w, t - 1] for X = ceil(t / w) - 1 alone.
        const int w = weight(0);
        const int x = (t + w - 1) / w - 1;
        const double d = binomial_probability(static_cast<int>(count) - 1, x, child(0).down, child(0).up);
        out.assign(count, d);
        return true;
    }
    const auto below = static_cast<std::size_t>(t);  // down weights 0 .. t - 1 are kept
    if (count * below > kTreeGradientWork) return false;
    // suffix[k * below + d]: P(children k .. count - 1 have down weight d), for d < t.
    std::vector<double> suffix((count + 1) * below, 0.0);
    suffix[count * below] = 1.0;
    for (std::size_t k = count; k-- > 0;) {
        const auto w = static_cast<std::size_t>(weight(k));
        for (std::size_t d = 0; d < below; ++d) {
            const double after = suffix[(k + 1) * below + d];
            suffix[k * below + d] += after * child(k).up;
            if (d + w < below) suffix[k * below + d + w] += after * child(k).down;
        }
    }
    std::vector<double> prefix(below, 0.0);  // P(children 0 .. k - 1 have down weight d)
    prefix[0] = 1.0;
    std::vector<double> next(below);
    for (std::size_t k = 0; k < count; ++k) {
        const auto w = static_cast<std::size_t>(weight(k));
        double sum = 0;
        for (std::size_t d1 = 0; d1 < below; ++d1) {
            if (prefix[d1] == 0) continue;
            // Others' down weight d1 + d2 in [t - w, t - 1], written without subtraction of sums.
            for (std::size_t d2 = (d1 + w >= below) ? 0 : below - w - d1; d1 + d2 < below; ++d2) {
                sum += prefix[d1] * suffix[(k + 1) * below + d2];
            }
        }
        out[k] = sum;
        std::fill(next.begin(), next.end(), 0.0);
        for (std::size_t d = 0; d < below; ++d) {
            next[d] += prefix[d] * child(k).up;
            if (d + w < below) next[d + w] += prefix[d] * child(k).down;
        }
        prefix.swap(next);
    }
    return true;
}

}  // namespace

std::vector<UpDown> tree_node_values(const StructureGraph& g, const std::vector<double>& a, const std::vector<double>& q) {
    std::vector<UpDown> value(static_cast<std::size_t>(g.node_count));
    for (int i = 0; i < g.instance_count; ++i) value[static_cast<std::size_t>(i)] = {a[static_cast<std::size_t>(i)], q[static_cast<std::size_t>(i)]};
    std::vector<UpDown> kids;
    for (const int n : g.gate_order) {
        kids.clear();
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            kids.push_back(value[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]);
        }
        value[static_cast<std::size_t>(n)] = closed_form_gate(g.kind[static_cast<std::size_t>(n)], g.need_up(n), kids, g.child_weights(n));
    }
    return value;
}

std::optional<std::vector<double>> tree_birnbaum(const StructureGraph& g, const std::vector<UpDown>& value) {
    // Top down: each node's derivative of the system's availability, a child's from its one parent's.
    std::vector<double> derivative(static_cast<std::size_t>(g.node_count), 0.0);
    derivative[static_cast<std::size_t>(g.root)] = 1.0;
    std::vector<double> partial;
    for (auto it = g.gate_order.rbegin(); it != g.gate_order.rend(); ++it) {
        const int n = *it;
        const double above = derivative[static_cast<std::size_t>(n)];
        if (above == 0) continue;
        if (!child_derivatives(g, n, value, partial)) return std::nullopt;
        const int begin = g.child_begin[static_cast<std::size_t>(n)];
        for (std::size_t k = 0; k < partial.size(); ++k) {
            derivative[static_cast<std::size_t>(g.children[static_cast<std::size_t>(begin) + k])] = above * partial[k];
        }
    }
    derivative.resize(static_cast<std::size_t>(g.instance_count));
    return derivative;
}

}  // namespace nines::analytic
