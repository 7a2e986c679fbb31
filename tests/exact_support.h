// Helpers shared by the statistical tests (tests/test_statistics.cpp) and the coverage study
// (bench/coverage.cpp), which must compute exact values the same way and run the same seeded,
// single-thread replications. No test framework here: the coverage study is a plain program.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>

#include "model/model.h"
#include "sim/runner.h"

namespace nines::test {

// Point availability at time t of an exponential unit (MTTF, MTTR in hours) that starts up.
inline double unit_availability(double mttf, double mttr, double t) {
    const double l = 1 / mttf, m = 1 / mttr;
    return m / (l + m) + l / (l + m) * std::exp(-(l + m) * t);
}

// (1/T) integral_0^T f(t) dt by Simpson's rule with `steps` (even) intervals.
inline double time_average(const std::function<double(double)>& f, double horizon, int steps = 200000) {
    const double h = horizon / steps;
    double s = f(0) + f(horizon);
    for (int i = 1; i < steps; ++i) s += f(i * h) * (i % 2 ? 4 : 2);
    return s * h / 3 / horizon;
}

// The model's own settings but this seed and replication count, on one thread.
inline sim::SimulationResults run_seeded(const Model& model, std::uint64_t seed, std::int64_t replications) {
    sim::RunOptions options;
    options.settings = model.simulation;
    options.settings.seed = seed;
    options.settings.replications = replications;
    options.settings.threads = 1;
    return sim::run_simulation(model, options);
}

}  // namespace nines::test
