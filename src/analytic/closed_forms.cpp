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

UpDown k_of_n_identical(int k, int n, UpDown unit) {
    UpDown r{0, 0};
    for (int j = 0; j <= n; ++j) {
        const double term = std::exp(std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0)) *
                            std::pow(unit.up, j) * std::pow(unit.down, n - j);
        (j >= k ? r.up : r.down) += term;
    }
    return r;
}

UpDown k_of_n(int k, const std::vector<UpDown>& units) {
    // count[j] = P(exactly j of the units seen so far are up).
    std::vector<double> count(units.size() + 1, 0.0);
    count[0] = 1;
    for (std::size_t i = 0; i < units.size(); ++i) {
        for (std::size_t j = i + 1; j >= 1; --j) count[j] = count[j] * units[i].down + count[j - 1] * units[i].up;
        count[0] *= units[i].down;
    }
    UpDown r{0, 0};
    for (std::size_t j = 0; j < count.size(); ++j) (static_cast<int>(j) >= k ? r.up : r.down) += count[j];
    return r;
}

}  // namespace nines::analytic
