// A continuous-time Markov chain on an explicit (reachable) state space, solved with Eigen:
// steady state (sparse LU up to kDirectSolveLimit states, preconditioned BiCGSTAB polished by
// Gauss-Seidel beyond), point and interval availability by uniformization, and the mean time to the
// first entry into a down state (absorbing-chain solve). It is the exact reference for behaviours
// that make components dependent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nines::analytic {

enum class CtmcSolver { Auto, Direct, Iterative };

// Auto: the sparse LU up to this many unknowns (it is faster there: README, "Markov chains"), the
// iterative solver beyond.
inline constexpr int kDirectSolveLimit = 1000;
// The iterative solver stops when every equation holds to this relative (componentwise backward)
// error: |b_j - (A x)_j| <= tol * (sum_i |A_ji x_i| + |b_j|). It keeps the relative precision of tiny
// probabilities, which a norm-wise residual would not.
inline constexpr double kIterativeTolerance = 1e-10;
inline constexpr int kMaxIterations = 5000;
// The iterative solver's preconditioner: an incomplete LU (ILUT) up to this many unknowns, Jacobi beyond.
inline constexpr int kIlutLimit = 20000;

// How the last linear solve went (for benchmarks and messages).
struct SolveReport {
    std::string solver;       // "sparse LU", "BiCGSTAB+ILUT, Gauss-Seidel"
    int iterations = 0;       // BiCGSTAB iterations + Gauss-Seidel sweeps
    double residual = 0;      // largest componentwise relative residual (see kIterativeTolerance)
    std::size_t nonzeros = 0; // of the matrix solved
};

struct Transition {
    int from = 0;
    int to = 0;
    double rate = 0;  // per hour
};

class Ctmc {
public:
    // `up[s]` says whether the system is up in state s; the chain starts in `initial`.
    Ctmc(int states, std::vector<Transition> transitions, std::vector<std::uint8_t> up, int initial);

    int states() const { return states_; }
    std::size_t transition_count() const { return transitions_.size(); }
    void set_solver(CtmcSolver solver) { solver_ = solver; }
    const SolveReport& last_solve() const { return last_solve_; }
    bool is_up(int state) const { return up_[static_cast<std::size_t>(state)] != 0; }
    // Frequency of system failures (up -> down transitions) per hour under the distribution `pi`.
    double failure_frequency(const std::vector<double>& pi) const;
    // Stationary distribution; throws UnsupportedError when the chain has no unique one (absorbing
    // states, for example non-repairable components).
    std::vector<double> steady_state() const;
    // The long-run distribution from the initial state: steady_state() when the chain is irreducible
    // (the same numbers, the same solve); otherwise the stationary distribution of the one closed
    // class the initial state reaches, 0 on every other state. Throws UnsupportedError when it reaches
    // several closed classes (the limit would depend on which one absorbs it). Used for chains with a
    // unit pinned down, whose start may be transient.
    std::vector<double> long_run_distribution() const;
    // Steady-state availability and unavailability (each summed over its own states, for precision).
    double steady_availability() const;
    double steady_unavailability() const;
    // P(system up at t) from the initial state.
    double point_availability(double t) const;
    // (1 / (t1 - t0)) * integral of the point availability over [t0, t1].
    double interval_availability(double t0, double t1) const;
    // Mean time from the initial state to the first system failure (infinity if it cannot happen).
    double mean_time_to_failure() const;
    // Integral of the state distribution over [0, t] for horizons far beyond the mixing time, where
    // uniformization would take too long: t pi + deviation (exact up to exp(-spectral gap x t)).
    std::vector<double> cumulative_long(double t) const;

private:
    // The states of the one closed class reachable from the initial state, in increasing order; empty
    // when the chain is irreducible. Throws UnsupportedError when several closed classes are reachable.
    std::vector<int> reachable_closed_class() const;
    // Integral of the state distribution over [0, t] (cumulative), by uniformization.
    std::vector<double> cumulative(double t) const;
    // Solves x Q = rhs with x(0) = 0 (the equation of state 0 dropped), for several right-hand sides.
    std::vector<std::vector<double>> reduced_solve(const std::vector<std::vector<double>>& rhs) const;
    std::vector<double> transient(double t) const;
    void uniformized_step(const std::vector<double>& p, std::vector<double>& next, double lambda) const;

    int states_;
    std::vector<Transition> transitions_;
    std::vector<std::uint8_t> up_;
    int initial_;
    std::vector<double> exit_rate_;
    CtmcSolver solver_ = CtmcSolver::Auto;
    mutable SolveReport last_solve_;
};

}  // namespace nines::analytic
