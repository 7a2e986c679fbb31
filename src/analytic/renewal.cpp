#include "analytic/renewal.h"

#include <algorithm>
#include <cmath>

#include <boost/math/special_functions/gamma.hpp>

namespace nines::analytic {

namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI); }

// Masses below this are dropped from the tails of the lattice laws: far below any unavailability
// the cross-check can resolve, and it keeps the convolutions short.
constexpr double kNegligible = 1e-22;

// Lattice convolution of two mass vectors, truncated to indices 0..n.
std::vector<double> convolve(const std::vector<double>& x, const std::vector<double>& y, int n) {
    std::vector<double> out(static_cast<std::size_t>(n) + 1, 0.0);
    for (std::size_t i = 0; i < x.size() && i <= static_cast<std::size_t>(n); ++i) {
        if (x[i] == 0) continue;
        const std::size_t top = std::min(y.size(), static_cast<std::size_t>(n) - i + 1);
        for (std::size_t j = 0; j < top; ++j) out[i + j] += x[i] * y[j];
    }
    return out;
}

// Drops the trailing entries whose total is negligible.
void trim(std::vector<double>& masses) {
    double tail = 0;
    std::size_t keep = masses.size();
    while (keep > 1 && tail + masses[keep - 1] < kNegligible) tail += masses[--keep];
    masses.resize(keep);
}

}  // namespace

double ramp(const Distribution& d, double x) {
    if (!(x > 0)) return 0.0;
    switch (d.kind) {
        case DistributionKind::Exponential: {
            const double y = x / d.a;
            // x - m (1 - e^{-y}) = m (y + expm1(-y)); the series keeps the digits when y is small.
            if (y < 1e-2) return d.a * y * y * (0.5 - y * (1.0 / 6 - y * (1.0 / 24 - y * (1.0 / 120 - y / 720))));
            return d.a * (y + std::expm1(-y));
        }
        case DistributionKind::Weibull: {
            const double s = x - d.c;
            if (s <= 0) return 0.0;
            const double z = std::pow(s / d.b, d.a);
            const double k1 = 1.0 + 1.0 / d.a;
            // s F(s) - E[(X - c); X <= x]
            return s * -std::expm1(-z) - d.b * std::tgamma(k1) * boost::math::gamma_p(k1, z);
        }
        case DistributionKind::Lognormal: {
            const double z = (std::log(x) - d.a) / d.b;
            return x * normal_cdf(z) - std::exp(d.a + 0.5 * d.b * d.b) * normal_cdf(z - d.b);
        }
        case DistributionKind::Normal: {
            // Survival S(s) = Phi_c((s - m)/sd) / Phi_c(-m/sd); integral of Phi_c is z Phi_c(z) - phi(z).
            auto g = [](double z) { return z * normal_cdf(-z) - normal_pdf(z); };
            const double z0 = -d.a / d.b, zx = (x - d.a) / d.b;
            const double area_up = d.b * (g(zx) - g(z0)) / normal_cdf(-z0);
            return std::max(0.0, x - area_up);
        }
        case DistributionKind::Gamma: {
            const double y = x / d.b;
            return std::max(0.0, x * boost::math::gamma_p(d.a, y) - d.a * d.b * boost::math::gamma_p(d.a + 1, y));
        }
        case DistributionKind::Uniform: {
            if (x <= d.a) return 0.0;
            if (x >= d.b) return x - 0.5 * (d.a + d.b);
            return (x - d.a) * (x - d.a) / (2 * (d.b - d.a));
        }
        case DistributionKind::Fixed: return std::max(0.0, x - d.a);
        case DistributionKind::Empirical: {
            double sum = 0;
            for (double v : d.values) sum += std::max(0.0, x - v);
            return sum / static_cast<double>(d.values.size());
        }
    }
    return 0.0;
}

std::vector<double> lattice_masses(const Distribution& d, double h, int n) {
    // P(X' <= k) = (ramp((k+1)h) - ramp(kh)) / h: non-decreasing, in [0, 1].
    std::vector<double> masses(static_cast<std::size_t>(n) + 1, 0.0);
    double below = 0, previous_ramp = 0;
    for (int k = 0; k <= n; ++k) {
        const double r = ramp(d, (k + 1) * h);
        const double cdf = std::clamp((r - previous_ramp) / h, below, 1.0);
        masses[static_cast<std::size_t>(k)] = cdf - below;
        below = cdf;
        previous_ramp = r;
        if (below >= 1.0) break;
    }
    for (double m : masses) {
        if (!std::isfinite(m)) throw UnsupportedError("the " + d.describe() + " law has no finite lattice form");
    }
    return masses;
}

std::vector<double> lattice_unavailability(const Component& c, double h, int cells) {
    const int n = cells - 1;
    const std::vector<double> up = lattice_masses(c.failure, h, n);
    std::vector<double> q(static_cast<std::size_t>(cells), 0.0);
    if (!c.repair) {
        double cdf = 0;
        for (int m = 0; m < cells; ++m) q[static_cast<std::size_t>(m)] = cdf += up[static_cast<std::size_t>(m)];
        return q;
    }
    std::vector<double> down = lattice_masses(*c.repair, h, n);
    if (c.detect) down = convolve(down, lattice_masses(*c.detect, h, n), n);
    if (c.logistics) down = convolve(down, lattice_masses(*c.logistics, h, n), n);
    // P(D' > i), kept while it matters.
    std::vector<double> down_tail;
    double cdf = 0;
    for (double m : down) {
        cdf += m;
        const double tail = std::max(0.0, 1.0 - cdf);
        down_tail.push_back(tail);
        if (tail < kNegligible) break;
    }
    trim(down);
    std::vector<double> cycle = convolve(up, down, n);
    trim(cycle);
    std::vector<double> u = up;
    trim(u);
    // The lattice may be so coarse that whole cycles fit in one cell (c_0 near 1): the component is
    // then in its steady state on every cell; the caller's step halving sees the difference.
    const double stay = 1.0 - cycle[0];
    if (stay < 1e-9) {
        const double steady = c.repair->mean() + (c.detect ? c.detect->mean() : 0) + (c.logistics ? c.logistics->mean() : 0);
        std::fill(q.begin(), q.end(), steady / (steady + c.failure.mean()));
        return q;
    }
    std::vector<double> reversed(static_cast<std::size_t>(cells), 0.0);  // reversed[cells - 1 - m] = Q(m)
    for (int m = 0; m < cells; ++m) {
        // First up period ends at j <= m and its down time has not ended by m.
        double first = 0;
        const int from = std::max(0, m - static_cast<int>(down_tail.size()) + 1);
        for (int j = std::min(m, static_cast<int>(u.size()) - 1); j >= from; --j) {
            first += u[static_cast<std::size_t>(j)] * down_tail[static_cast<std::size_t>(m - j)];
        }
        // sum_{k=1..top} c_k Q(m - k) over `reversed` (Q(m - k) = reversed[base + k]): both arrays run
        // forward, and four partial sums let the loop pipeline (this is the O(n^2) part).
        const std::size_t top = static_cast<std::size_t>(std::min(m, static_cast<int>(cycle.size()) - 1));
        const double* cyc = cycle.data();
        const double* r = reversed.data() + (static_cast<std::size_t>(cells) - 1 - static_cast<std::size_t>(m));
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        std::size_t k = 1;
        for (; k + 3 <= top; k += 4) {
            s0 += cyc[k] * r[k];
            s1 += cyc[k + 1] * r[k + 1];
            s2 += cyc[k + 2] * r[k + 2];
            s3 += cyc[k + 3] * r[k + 3];
        }
        for (; k <= top; ++k) s0 += cyc[k] * r[k];
        const double renewed = (s0 + s1) + (s2 + s3);
        q[static_cast<std::size_t>(m)] = std::clamp((first + renewed) / stay, 0.0, 1.0);
        reversed[static_cast<std::size_t>(cells) - 1 - static_cast<std::size_t>(m)] = q[static_cast<std::size_t>(m)];
    }
    return q;
}

}  // namespace nines::analytic
