#include "analytic/ctmc.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <algorithm>
#include <fmt/format.h>

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

namespace {

using RowMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor>;

// The sparse LU found the matrix singular (callers say what that means for their chain).
struct SingularMatrix {};

// The largest componentwise relative residual |b_j - (A x)_j| / (sum_i |A_ji x_i| + |b_j|).
double relative_residual(const RowMatrix& a, const Vector& x, const Vector& b) {
    double worst = 0;
    for (Eigen::Index j = 0; j < a.outerSize(); ++j) {
        double r = b[j], scale = std::fabs(b[j]);
        for (RowMatrix::InnerIterator it(a, j); it; ++it) {
            const double v = it.value() * x[it.col()];
            r -= v;
            scale += std::fabs(v);
        }
        if (scale > 0) worst = std::max(worst, std::fabs(r) / scale);
    }
    return worst;
}

// One Gauss-Seidel sweep, forward or backward: each unknown from its own equation.
void gauss_seidel_sweep(const RowMatrix& a, Vector& x, const Vector& b, bool forward) {
    const Eigen::Index n = a.outerSize();
    for (Eigen::Index k = 0; k < n; ++k) {
        const Eigen::Index j = forward ? k : n - 1 - k;
        double sum = b[j], diagonal = 0;
        for (RowMatrix::InnerIterator it(a, j); it; ++it) {
            if (it.col() == j) {
                diagonal = it.value();
            } else {
                sum -= it.value() * x[it.col()];
            }
        }
        if (diagonal != 0) x[j] = sum / diagonal;
    }
}

// Solves A x = b for each b; A is a nonsingular M-matrix here (a generator with one state's
// equation and unknown removed, or minus the generator restricted to the up states). The sparse LU
// below kDirectSolveLimit unknowns (or when asked), else BiCGSTAB preconditioned by an incomplete LU,
// then Gauss-Seidel sweeps (which converge on M-matrices) until kIterativeTolerance holds. Throws
// SingularMatrix when the LU finds A singular, UnsupportedError when the iteration does not converge.
std::vector<Vector> solve_linear(const SparseMatrix& a, const std::vector<Vector>& rhs, CtmcSolver solver,
                                 SolveReport& report) {
    const bool direct = solver == CtmcSolver::Direct || (solver == CtmcSolver::Auto && a.rows() <= kDirectSolveLimit);
    const RowMatrix rows = a;
    report = SolveReport{};
    report.nonzeros = static_cast<std::size_t>(a.nonZeros());
    std::vector<Vector> out;
    if (direct) {
        report.solver = "sparse LU";
        Eigen::SparseLU<SparseMatrix> lu;
        lu.compute(a);
        if (lu.info() != Eigen::Success) throw SingularMatrix{};
        for (const Vector& b : rhs) {
            Vector x = lu.solve(b);
            if (lu.info() != Eigen::Success || !x.allFinite()) throw SingularMatrix{};
            report.residual = std::max(report.residual, relative_residual(rows, x, b));
            out.push_back(std::move(x));
        }
        return out;
    }
    // The incomplete LU converges in a few tens of iterations but its factorisation grows faster than
    // the matrix (0.8 s at 10,000 unknowns, minutes at 100,000): beyond kIlutLimit, Jacobi.
    const bool ilut = a.rows() <= kIlutLimit;
    report.solver = ilut ? "BiCGSTAB+ILUT, Gauss-Seidel" : "BiCGSTAB+Jacobi, Gauss-Seidel";
    Eigen::BiCGSTAB<SparseMatrix, Eigen::IncompleteLUT<double>> with_ilut;
    Eigen::BiCGSTAB<SparseMatrix, Eigen::DiagonalPreconditioner<double>> with_jacobi;
    if (ilut) {
        with_ilut.preconditioner().setDroptol(1e-8);
        with_ilut.preconditioner().setFillfactor(4);
        with_ilut.setTolerance(1e-14);
        with_ilut.setMaxIterations(kMaxIterations);
        with_ilut.compute(a);
    } else {
        with_jacobi.setTolerance(1e-14);
        with_jacobi.setMaxIterations(kMaxIterations);
        with_jacobi.compute(a);
    }
    for (const Vector& b : rhs) {
        Vector x = Vector::Zero(a.rows());
        int iterations = 0;
        const Eigen::ComputationInfo info = ilut ? with_ilut.info() : with_jacobi.info();
        if (info == Eigen::Success) {
            x = ilut ? Vector(with_ilut.solve(b)) : Vector(with_jacobi.solve(b));
            iterations = static_cast<int>(ilut ? with_ilut.iterations() : with_jacobi.iterations());
            if (!x.allFinite()) x = Vector::Zero(a.rows());
        }
        double residual = relative_residual(rows, x, b);
        for (int sweep = 0; residual > kIterativeTolerance && iterations < kMaxIterations; ++sweep, ++iterations) {
            gauss_seidel_sweep(rows, x, b, sweep % 2 == 0);
            residual = relative_residual(rows, x, b);
        }
        if (residual > kIterativeTolerance) {
            throw UnsupportedError(fmt::format("the iterative solver did not converge on the Markov chain ({} unknowns): "
                                               "relative residual {:.2g} after {} iterations, tolerance {:.0e}",
                                               a.rows(), residual, iterations, kIterativeTolerance));
        }
        report.iterations += iterations;
        report.residual = std::max(report.residual, residual);
        out.push_back(std::move(x));
    }
    return out;
}

}  // namespace

// Solves x Q = rhs with x(0) = 0: the equations of columns 1..n-1 (the transpose of Q without state
// 0's row and column), for several right-hand sides with one factorisation. No dense normalisation
// row, so the matrix stays sparse.
std::vector<std::vector<double>> Ctmc::reduced_solve(const std::vector<std::vector<double>>& rhs) const {
    const int m = states_ - 1;
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(transitions_.size() * 2);
    for (const Transition& t : transitions_) {
        if (t.from == t.to || t.from == 0) continue;
        if (t.to != 0) entries.emplace_back(t.to - 1, t.from - 1, t.rate);
        entries.emplace_back(t.from - 1, t.from - 1, -t.rate);
    }
    SparseMatrix a(m, m);
    a.setFromTriplets(entries.begin(), entries.end());
    a.makeCompressed();
    entries = {};
    std::vector<Vector> b;
    for (const std::vector<double>& r : rhs) {
        Vector v(m);
        for (int j = 0; j < m; ++j) v[j] = r[static_cast<std::size_t>(j) + 1];
        b.push_back(std::move(v));
    }
    std::vector<Vector> solved;
    try {
        solved = solve_linear(a, b, solver_, last_solve_);
    } catch (const SingularMatrix&) {
        throw UnsupportedError("the Markov chain has no unique steady state (is a component non-repairable?)");
    }
    std::vector<std::vector<double>> out;
    for (const Vector& x : solved) {
        std::vector<double> full(static_cast<std::size_t>(states_), 0.0);
        for (int j = 0; j < m; ++j) full[static_cast<std::size_t>(j) + 1] = x[j];
        out.push_back(std::move(full));
    }
    return out;
}

std::vector<double> Ctmc::steady_state() const {
    if (states_ == 1) return {1.0};
    // pi Q = 0 with pi(0) = 1, then normalised: column j gives sum_{i>0} pi_i Q(i, j) = -Q(0, j).
    // State 0 (all up) is the most probable: the others are fractions of it, none overflows.
    std::vector<double> rhs(static_cast<std::size_t>(states_), 0.0);
    for (const Transition& t : transitions_) {
        if (t.from != 0 || t.to == 0) continue;
        rhs[static_cast<std::size_t>(t.to)] -= t.rate;
    }
    std::vector<double> pi = reduced_solve({rhs}).front();
    pi[0] = 1.0;
    double total = 0;
    for (double v : pi) total += v;
    if (!(total > 0) || !std::isfinite(total)) throw UnsupportedError("the Markov chain has no unique steady state");
    for (double& v : pi) v /= total;
    return pi;
}

std::vector<int> Ctmc::reachable_closed_class() const {
    // Tarjan's strongly connected components over the states reachable from the initial state
    // (iterative: chains have millions of states). A component is closed when no transition leaves it.
    const auto n = static_cast<std::size_t>(states_);
    std::vector<std::size_t> first(n + 1, 0);
    for (const Transition& t : transitions_) {
        if (t.from != t.to && t.rate > 0) ++first[static_cast<std::size_t>(t.from) + 1];
    }
    for (std::size_t s = 0; s < n; ++s) first[s + 1] += first[s];
    std::vector<int> target(first[n]);
    {
        std::vector<std::size_t> fill(first.begin(), first.end() - 1);
        for (const Transition& t : transitions_) {
            if (t.from != t.to && t.rate > 0) target[fill[static_cast<std::size_t>(t.from)]++] = t.to;
        }
    }
    std::vector<int> order(n, -1), low(n, 0), component(n, -1);
    std::vector<int> stack;
    std::vector<std::pair<int, std::size_t>> calls;  // (state, next edge to follow)
    int visited = 0, components = 0;
    auto enter = [&](int v) {
        const auto uv = static_cast<std::size_t>(v);
        order[uv] = low[uv] = visited++;
        stack.push_back(v);
        calls.emplace_back(v, first[uv]);
    };
    enter(initial_);
    while (!calls.empty()) {
        const int v = calls.back().first;
        const auto uv = static_cast<std::size_t>(v);
        const std::size_t e = calls.back().second;
        if (e < first[uv + 1]) {
            ++calls.back().second;
            const auto w = static_cast<std::size_t>(target[e]);
            if (order[w] < 0) {
                enter(target[e]);
            } else if (component[w] < 0) {
                low[uv] = std::min(low[uv], order[w]);  // on the stack: in v's component or an open ancestor's
            }
            continue;
        }
        calls.pop_back();
        if (!calls.empty()) {
            const auto parent = static_cast<std::size_t>(calls.back().first);
            low[parent] = std::min(low[parent], low[uv]);
        }
        if (low[uv] == order[uv]) {
            int w = -1;
            do {
                w = stack.back();
                stack.pop_back();
                component[static_cast<std::size_t>(w)] = components;
            } while (w != v);
            ++components;
        }
    }
    if (visited == states_ && components == 1) return {};  // irreducible
    std::vector<std::uint8_t> open(static_cast<std::size_t>(components), 0);
    for (const Transition& t : transitions_) {
        const int from = component[static_cast<std::size_t>(t.from)];
        if (from >= 0 && t.rate > 0 && component[static_cast<std::size_t>(t.to)] != from) open[static_cast<std::size_t>(from)] = 1;
    }
    int closed = -1, closed_count = 0;
    for (int c = 0; c < components; ++c) {
        if (!open[static_cast<std::size_t>(c)]) {
            closed = c;
            ++closed_count;
        }
    }
    if (closed_count != 1) {
        throw UnsupportedError(fmt::format("the Markov chain has no unique long-run distribution: its start reaches {} "
                                           "closed classes of states",
                                           closed_count));
    }
    std::vector<int> members;
    for (int s = 0; s < states_; ++s) {
        if (component[static_cast<std::size_t>(s)] == closed) members.push_back(s);
    }
    return members;
}

std::vector<double> Ctmc::long_run_distribution() const {
    if (states_ == 1) return {1.0};
    const std::vector<int> members = reachable_closed_class();
    if (members.empty()) return steady_state();  // irreducible: the usual solve, unchanged
    // From the start the chain leaves the transient states with probability 1 and ends in the one
    // closed class it can reach; the fraction of time spent in each state converges to that class's
    // stationary distribution, whatever the start (transient states: 0). With a unit pinned down this
    // is what "A(unit always down)" means: the long-run availability of the system that has lost the
    // unit for good, after whatever reconfiguration the loss triggers at the start has played out.
    std::vector<int> local(static_cast<std::size_t>(states_), -1);
    for (std::size_t k = 0; k < members.size(); ++k) local[static_cast<std::size_t>(members[k])] = static_cast<int>(k);
    std::vector<Transition> inside;
    for (const Transition& t : transitions_) {
        const int from = local[static_cast<std::size_t>(t.from)];
        if (from >= 0) inside.push_back({from, local[static_cast<std::size_t>(t.to)], t.rate});  // closed: `to` is in it
    }
    std::vector<std::uint8_t> up;
    for (int s : members) up.push_back(up_[static_cast<std::size_t>(s)]);
    Ctmc closed(static_cast<int>(members.size()), std::move(inside), std::move(up), 0);
    closed.set_solver(solver_);
    const std::vector<double> pi_closed = closed.steady_state();
    last_solve_ = closed.last_solve();
    std::vector<double> pi(static_cast<std::size_t>(states_), 0.0);
    for (std::size_t k = 0; k < members.size(); ++k) pi[static_cast<std::size_t>(members[k])] = pi_closed[k];
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
    // deviation y solves y Q = pi - p0 with sum(y) = 0 (since d/dt p = p Q). Solved with y(0) = 0,
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
    Vector tau;
    try {
        tau = solve_linear(a, {Vector::Ones(n)}, solver_, last_solve_).front();
    } catch (const SingularMatrix&) {
        return std::numeric_limits<double>::infinity();  // some up states never reach a down one
    }
    return tau[index[static_cast<std::size_t>(initial_)]];
}

}  // namespace nines::analytic
