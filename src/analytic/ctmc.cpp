#include "analytic/ctmc.h"

#include <cmath>
#include <limits>
#include <string>

#include <Eigen/Sparse>
#include <Eigen/SparseLU>

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

std::vector<double> Ctmc::steady_state() const {
    // Solve pi Q = 0 with sum(pi) = 1: transpose, and replace the last balance equation by the
    // normalisation.
    std::vector<Eigen::Triplet<double>> entries;
    const int last = states_ - 1;
    for (const Transition& t : transitions_) {
        if (t.from == t.to) continue;
        if (t.to != last) entries.emplace_back(t.to, t.from, t.rate);
        if (t.from != last) entries.emplace_back(t.from, t.from, -t.rate);
    }
    for (int s = 0; s < states_; ++s) entries.emplace_back(last, s, 1.0);
    SparseMatrix a(states_, states_);
    a.setFromTriplets(entries.begin(), entries.end());
    a.makeCompressed();
    Eigen::SparseLU<SparseMatrix> lu;
    lu.compute(a);
    if (lu.info() != Eigen::Success) {
        throw UnsupportedError("the Markov chain has no unique steady state (is a component non-repairable?)");
    }
    Vector b = Vector::Zero(states_);
    b[last] = 1.0;
    const Vector pi = lu.solve(b);
    if (lu.info() != Eigen::Success || !pi.allFinite()) {
        throw UnsupportedError("the Markov chain steady state could not be solved");
    }
    return std::vector<double>(pi.data(), pi.data() + pi.size());
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
        throw UnsupportedError("the transient Markov solution would need " + std::to_string(static_cast<long long>(terms)) +
                               " uniformization steps over " + std::to_string(states_) + " states");
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
