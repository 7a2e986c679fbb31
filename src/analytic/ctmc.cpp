#include "analytic/ctmc.h"

#include <cmath>
#include <limits>
#include <string>

#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <memory>

#include "model/error.h"

namespace nines::analytic {

namespace {

using SparseMatrix = Eigen::SparseMatrix<double>;
using Vector = Eigen::VectorXd;

// Number of uniformization terms beyond which a transient solve is refused (time or memory).
constexpr double kMaxUniformizationWork = 4e9;

}  // namespace

Ctmc::Ctmc(int states, std::vector<Transition> transitions, std::vector<std::uint8_t> up, int initial)
    : states_(states), transitions_(std::move(transitions)), up_(std::move(up)), initial_(initial) {
    exit_rate_.assign(static_cast<std::size_t>(states_), 0.0);
    for (const Transition& t : transitions_) {
        if (t.from != t.to) exit_rate_[static_cast<std::size_t>(t.from)] += t.rate;
    }
}

// Solves x Q = rhs for x restricted to the first n - 1 states (x of the last state fixed at 0), for
// several right-hand sides with one sparse LU of Q^T without its last row and column: no dense
// normalisation row, so the factorisation stays sparse.
std::vector<std::vector<double>> Ctmc::reduced_solve(const std::vector<std::vector<double>>& rhs) const {
    const int m = states_ - 1;
    std::vector<Eigen::Triplet<double>> entries;
    for (const Transition& t : transitions_) {
        if (t.from == t.to) continue;
        if (t.from < m && t.to < m) entries.emplace_back(t.to, t.from, t.rate);
        if (t.from < m) entries.emplace_back(t.from, t.from, -t.rate);
    }
    SparseMatrix a(m, m);
    a.setFromTriplets(entries.begin(), entries.end());
    a.makeCompressed();
    Eigen::SparseLU<SparseMatrix> lu;
    lu.compute(a);
    if (lu.info() != Eigen::Success) {
        throw UnsupportedError("the Markov chain has no unique steady state (is a component non-repairable?)");
    }
    std::vector<std::vector<double>> out;
    for (const std::vector<double>& r : rhs) {
        Vector b(m);
        for (int j = 0; j < m; ++j) b[j] = r[static_cast<std::size_t>(j)];
        const Vector x = lu.solve(b);
        if (lu.info() != Eigen::Success || !x.allFinite()) throw UnsupportedError("the Markov chain could not be solved");
        std::vector<double> full(static_cast<std::size_t>(states_), 0.0);
        for (int j = 0; j < m; ++j) full[static_cast<std::size_t>(j)] = x[j];
        out.push_back(std::move(full));
    }
    return out;
}

std::vector<double> Ctmc::steady_state() const {
    if (states_ == 1) return {1.0};
    // pi Q = 0 with pi(last) = 1, then normalised: column j gives sum_{i<last} pi_i Q(i, j) = -Q(last, j).
    const int last = states_ - 1;
    std::vector<double> rhs(static_cast<std::size_t>(states_), 0.0);
    for (const Transition& t : transitions_) {
        if (t.from != last || t.to == last) continue;
        rhs[static_cast<std::size_t>(t.to)] -= t.rate;
    }
    // The last state's own diagonal entry does not enter the reduced equations.
    std::vector<double> pi = reduced_solve({rhs}).front();
    pi[static_cast<std::size_t>(last)] = 1.0;
    double total = 0;
    for (double v : pi) total += v;
    if (!(total > 0) || !std::isfinite(total)) throw UnsupportedError("the Markov chain has no unique steady state");
    for (double& v : pi) v /= total;
    return pi;
}

double Ctmc::failure_frequency(const std::vector<double>& pi) const {
    double f = 0;
    for (const Transition& t : transitions_) {
        if (up_[static_cast<std::size_t>(t.from)] && !up_[static_cast<std::size_t>(t.to)]) f += pi[static_cast<std::size_t>(t.from)] * t.rate;
    }
    return f;
}

double Ctmc::steady_availability() const {
    const std::vector<double> pi = steady_state();
    double a = 0;
    for (int s = 0; s < states_; ++s) a += up_[static_cast<std::size_t>(s)] ? pi[static_cast<std::size_t>(s)] : 0.0;
    return a;
}

double Ctmc::steady_unavailability() const {
    const std::vector<double> pi = steady_state();
    double q = 0;
    for (int s = 0; s < states_; ++s) q += up_[static_cast<std::size_t>(s)] ? 0.0 : pi[static_cast<std::size_t>(s)];
    return q;
}

void Ctmc::uniformized_step(const std::vector<double>& p, std::vector<double>& next, double lambda) const {
    // next = p P with P = I + Q / lambda.
    for (int s = 0; s < states_; ++s) next[static_cast<std::size_t>(s)] = p[static_cast<std::size_t>(s)] * (1 - exit_rate_[static_cast<std::size_t>(s)] / lambda);
    for (const Transition& tr : transitions_) {
        if (tr.from != tr.to) next[static_cast<std::size_t>(tr.to)] += p[static_cast<std::size_t>(tr.from)] * tr.rate / lambda;
    }
}

std::vector<double> Ctmc::transient(double t) const {
    // p(t) = sum_k Poisson(k; L t) p0 P^k with P = I + Q / L.
    double lambda = 0;
    for (double r : exit_rate_) lambda = std::max(lambda, r);
    std::vector<double> p(static_cast<std::size_t>(states_), 0.0);
    p[static_cast<std::size_t>(initial_)] = 1.0;
    if (lambda == 0 || t <= 0) return p;
    lambda *= 1.02;
    const double lt = lambda * t;
    const double terms = lt + 10 * std::sqrt(lt) + 20;
    if (terms * static_cast<double>(transitions_.size() + static_cast<std::size_t>(states_)) > kMaxUniformizationWork) {
        throw UnsupportedError("the transient Markov solution would need " + std::to_string(static_cast<long long>(terms)) +
                               " uniformization steps over " + std::to_string(states_) + " states");
    }
    std::vector<double> result(static_cast<std::size_t>(states_), 0.0);
    std::vector<double> next(static_cast<std::size_t>(states_));
    double mass = 0;
    for (long long k = 0; k <= static_cast<long long>(terms); ++k) {
        const double w = std::exp(-lt + static_cast<double>(k) * std::log(lt) - std::lgamma(static_cast<double>(k) + 1));
        for (int s = 0; s < states_; ++s) result[static_cast<std::size_t>(s)] += w * p[static_cast<std::size_t>(s)];
        mass += w;
        if (mass > 1 - 1e-14 && static_cast<double>(k) > lt) break;
        uniformized_step(p, next, lambda);
        p.swap(next);
    }
    return result;
}

std::vector<double> Ctmc::cumulative(double t) const {
    // integral_0^t p(u) du = (1/L) sum_k P(N(L t) > k) p0 P^k.
    double lambda = 0;
    for (double r : exit_rate_) lambda = std::max(lambda, r);
    std::vector<double> p(static_cast<std::size_t>(states_), 0.0);
    p[static_cast<std::size_t>(initial_)] = 1.0;
    std::vector<double> result(static_cast<std::size_t>(states_), 0.0);
    if (t <= 0) return result;
    if (lambda == 0) {
        result[static_cast<std::size_t>(initial_)] = t;
        return result;
    }
    lambda *= 1.02;
    const double lt = lambda * t;
    const double terms = lt + 10 * std::sqrt(lt) + 20;
    if (terms * static_cast<double>(transitions_.size() + static_cast<std::size_t>(states_)) > kMaxUniformizationWork) {
        return cumulative_long(t);
    }
    std::vector<double> next(static_cast<std::size_t>(states_));
    double cdf = 0;
    for (long long k = 0;; ++k) {
        const double w = std::exp(-lt + static_cast<double>(k) * std::log(lt) - std::lgamma(static_cast<double>(k) + 1));
        cdf += w;
        const double tail = std::max(0.0, 1 - cdf);  // P(N > k)
        for (int s = 0; s < states_; ++s) result[static_cast<std::size_t>(s)] += tail * p[static_cast<std::size_t>(s)] / lambda;
        if ((tail < 1e-15 && static_cast<double>(k) > lt) || static_cast<double>(k) > terms) break;
        uniformized_step(p, next, lambda);
        p.swap(next);
    }
    return result;
}

std::vector<double> Ctmc::cumulative_long(double t) const {
    // Horizons far beyond the chain's mixing time: integral_0^t p = t pi + y + O(exp(-gap t)), where the
    // deviation y solves y Q = pi - p0 with sum(y) = 0 (since d/dt p = p Q). Solved with y(last) = 0,
    // then shifted along pi (pi Q = 0) to sum to zero.
    const std::vector<double> pi = steady_state();
    std::vector<double> b(static_cast<std::size_t>(states_));
    for (int s = 0; s < states_; ++s) b[static_cast<std::size_t>(s)] = pi[static_cast<std::size_t>(s)] - (s == initial_ ? 1.0 : 0.0);
    std::vector<double> y = states_ > 1 ? reduced_solve({b}).front() : std::vector<double>{0.0};
    double sum = 0;
    for (double v : y) sum += v;
    std::vector<double> result(static_cast<std::size_t>(states_));
    for (int s = 0; s < states_; ++s) {
        result[static_cast<std::size_t>(s)] = t * pi[static_cast<std::size_t>(s)] + y[static_cast<std::size_t>(s)] - sum * pi[static_cast<std::size_t>(s)];
    }
    return result;
}

double Ctmc::point_availability(double t) const {
    const std::vector<double> p = transient(t);
    double a = 0;
    for (int s = 0; s < states_; ++s) a += up_[static_cast<std::size_t>(s)] ? p[static_cast<std::size_t>(s)] : 0.0;
    return a;
}

double Ctmc::interval_availability(double t0, double t1) const {
    auto uptime = [&](double t) {
        const std::vector<double> c = cumulative(t);
        double u = 0;
        for (int s = 0; s < states_; ++s) u += up_[static_cast<std::size_t>(s)] ? c[static_cast<std::size_t>(s)] : 0.0;
        return u;
    };
    return (uptime(t1) - uptime(t0)) / (t1 - t0);
}

double Ctmc::mean_time_to_failure() const {
    if (!up_[static_cast<std::size_t>(initial_)]) return 0.0;
    // Restrict to up states; down states absorb. Solve -Q_UU tau = 1.
    std::vector<int> index(static_cast<std::size_t>(states_), -1);
    int n = 0;
    for (int s = 0; s < states_; ++s) {
        if (up_[static_cast<std::size_t>(s)]) index[static_cast<std::size_t>(s)] = n++;
    }
    std::vector<Eigen::Triplet<double>> entries;
    bool can_fail = false;
    for (const Transition& t : transitions_) {
        if (t.from == t.to || !up_[static_cast<std::size_t>(t.from)]) continue;
        const int i = index[static_cast<std::size_t>(t.from)];
        entries.emplace_back(i, i, t.rate);
        if (up_[static_cast<std::size_t>(t.to)]) {
            entries.emplace_back(i, index[static_cast<std::size_t>(t.to)], -t.rate);
        } else {
            can_fail = true;
        }
    }
    if (!can_fail) return std::numeric_limits<double>::infinity();
    SparseMatrix a(n, n);
    a.setFromTriplets(entries.begin(), entries.end());
    a.makeCompressed();
    Eigen::SparseLU<SparseMatrix> lu;
    lu.compute(a);
    if (lu.info() != Eigen::Success) return std::numeric_limits<double>::infinity();
    const Vector tau = lu.solve(Vector::Ones(n));
    if (lu.info() != Eigen::Success || !tau.allFinite()) return std::numeric_limits<double>::infinity();
    return tau[index[static_cast<std::size_t>(initial_)]];
}

}  // namespace nines::analytic
