// Small continuous-time Markov chains written out by hand in a test and solved here, independently
// of the project's chain builder and solvers (analytic/ctmc.*): dense Gaussian elimination, for a
// few dozen states at most.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <vector>

namespace nines::test {

// A transition written by hand: (from state, to state, rate per hour).
using HandRate = std::tuple<int, int, double>;

// Stationary distribution of an irreducible chain with generator `q` (q[i][j] the rate from i to j,
// each row summing to 0): Gaussian elimination with partial pivoting on pi Q = 0, one balance
// equation replaced by sum pi = 1.
inline std::vector<double> stationary(const std::vector<std::vector<double>>& q) {
    const std::size_t n = q.size();
    std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) a[j][i] = q[i][j];
    }
    for (std::size_t j = 0; j <= n; ++j) a[n - 1][j] = 1.0;
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t pivot = c;
        for (std::size_t r = c + 1; r < n; ++r) {
            if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
        }
        std::swap(a[c], a[pivot]);
        for (std::size_t r = 0; r < n; ++r) {
            if (r == c) continue;
            const double f = a[r][c] / a[c][c];
            for (std::size_t k = c; k <= n; ++k) a[r][k] -= f * a[c][k];
        }
    }
    std::vector<double> pi(n);
    for (std::size_t i = 0; i < n; ++i) pi[i] = a[i][n] / a[i][i];
    return pi;
}

// The generator of `n` states from transitions (a repeated pair adds up).
inline std::vector<std::vector<double>> generator(int n, const std::vector<HandRate>& rates) {
    const auto un = static_cast<std::size_t>(n);
    std::vector<std::vector<double>> q(un, std::vector<double>(un, 0.0));
    for (auto [from, to, r] : rates) {
        q[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)] += r;
        q[static_cast<std::size_t>(from)][static_cast<std::size_t>(from)] -= r;
    }
    return q;
}

inline std::vector<double> stationary(int n, const std::vector<HandRate>& rates) { return stationary(generator(n, rates)); }

// Largest residual of pi Q = 0: the chain was solved to machine precision.
inline double balance_residual(const std::vector<double>& pi, const std::vector<HandRate>& rates) {
    std::vector<double> flow(pi.size(), 0.0);
    for (auto [from, to, r] : rates) {
        flow[static_cast<std::size_t>(to)] += pi[static_cast<std::size_t>(from)] * r;
        flow[static_cast<std::size_t>(from)] -= pi[static_cast<std::size_t>(from)] * r;
    }
    double worst = 0;
    for (double f : flow) worst = std::max(worst, std::fabs(f));
    return worst;
}

}  // namespace nines::test
