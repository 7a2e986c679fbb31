// Coverage of the 95% intervals that `nines run` prints, measured over many seeds against exact values
// computed here independently of the library's analytic code (closed forms for independent exponential
// units, small Markov chains integrated by RK4) or, for non-exponential laws and per-year figures, a
// reference run 1000x larger than the studied ones.
//   nines-coverage [seeds=1000]
// Prints, per model and replication count (5, 10, 20, 50): coverage and the share of misses that are
// optimistic (true unavailability / outage length above the interval, true MTTF below it...).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "exact_support.h"
#include "io/scenario_reader.h"
#include "sim/runner.h"

namespace {

using nines::sim::SimulationResults;
constexpr double kYear = 8760.0;

using nines::test::time_average;
using nines::test::unit_availability;

// Integral over [0, T] of the state probabilities of a CTMC (generator q, row-sum zero) from state 0.
std::vector<double> ctmc_occupation(const std::vector<std::vector<double>>& q, double horizon) {
    const std::size_t n = q.size();
    double max_rate = 0;
    for (std::size_t i = 0; i < n; ++i) max_rate = std::max(max_rate, -q[i][i]);
    const double dt_target = 0.02 / max_rate;
    const long steps = static_cast<long>(std::ceil(horizon / dt_target));
    const double dt = horizon / static_cast<double>(steps);
    std::vector<double> p(n, 0.0), occ(n, 0.0);
    p[0] = 1;
    auto deriv = [&](const std::vector<double>& x) {
        std::vector<double> d(n, 0.0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) d[j] += x[i] * q[i][j];
        return d;
    };
    for (long s = 0; s < steps; ++s) {
        auto k1 = deriv(p);
        std::vector<double> x(n);
        for (std::size_t i = 0; i < n; ++i) x[i] = p[i] + 0.5 * dt * k1[i];
        auto k2 = deriv(x);
        for (std::size_t i = 0; i < n; ++i) x[i] = p[i] + 0.5 * dt * k2[i];
        auto k3 = deriv(x);
        for (std::size_t i = 0; i < n; ++i) x[i] = p[i] + dt * k3[i];
        auto k4 = deriv(x);
        for (std::size_t i = 0; i < n; ++i) {
            // The occupation integral by the same RK4 stages (p is the derivative of occupation).
            occ[i] += dt * (p[i] + 2 * (p[i] + 0.5 * dt * k1[i]) + 2 * (p[i] + 0.5 * dt * k2[i]) + (p[i] + dt * k3[i])) / 6;
            p[i] += dt * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
        }
    }
    return occ;
}


struct Interval {
    double lo, hi;
    bool ok;
};

// A measured figure: how to get its interval from the results, its exact value, and which side of a
// miss is optimistic (+1: the truth is above the interval, i.e. the interval is too low).
struct Figure {
    std::string model;
    std::string what;
    std::string yaml;
    double exact;
    int optimistic_side;
    std::function<Interval(const SimulationResults&)> interval;
};

Interval unavailability(const SimulationResults& r) { return {r.unavailability.lo, r.unavailability.hi, r.unavailability.has_ci}; }

}  // namespace

int main(int argc, char** argv) {
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 1000;
    const std::int64_t counts[] = {5, 10, 20, 50};
    std::vector<Figure> figures;
    const std::string y1 = "simulation: { horizon: 1y }\n";

    figures.push_back({"single unit (MTTF 1000 h, MTTR 10 h, 1 y)", "unavailability",
                       "components:\n  a: { failure: { mttf: 1000h }, repair: { mttr: 10h } }\nsystem: a\n" + y1,
                       time_average([](double t) { return 1 - unit_availability(1000, 10, t); }, kYear), +1, unavailability});
    figures.push_back({"1-of-2 (MTTF 1000 h, MTTR 50 h, 1 y)", "unavailability",
                       "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 50h } }\nsystem: { parallel: [a] }\n" + y1,
                       time_average([](double t) { const double q = 1 - unit_availability(1000, 50, t); return q * q; }, kYear),
                       +1, unavailability});
    figures.push_back({"2-of-3 unequal (500/20, 1000/50, 2000/100 h, 1 y)", "unavailability",
                       "components:\n  a: { failure: { mttf: 500h }, repair: { mttr: 20h } }\n"
                       "  b: { failure: { mttf: 1000h }, repair: { mttr: 50h } }\n"
                       "  c: { failure: { mttf: 2000h }, repair: { mttr: 100h } }\nsystem: { k_of_n: { k: 2, of: [a, b, c] } }\n" + y1,
                       time_average([](double t) {
                           const double a = unit_availability(500, 20, t), b = unit_availability(1000, 50, t),
                                        c = unit_availability(2000, 100, t);
                           return 1 - (a * b * c + (1 - a) * b * c + a * (1 - b) * c + a * b * (1 - c));
                       }, kYear),
                       +1, unavailability});
    figures.push_back({"series of pairs (1000/50 h, 2000/100 h, 1 y)", "unavailability",
                       "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 50h } }\n"
                       "  b: { count: 2, failure: { mttf: 2000h }, repair: { mttr: 100h } }\n"
                       "system: { series: [ { parallel: [a] }, { parallel: [b] } ] }\n" + y1,
                       time_average([](double t) {
                           const double qa = 1 - unit_availability(1000, 50, t), qb = 1 - unit_availability(2000, 100, t);
                           return 1 - (1 - qa * qa) * (1 - qb * qb);
                       }, kYear),
                       +1, unavailability});
    {
        // 1-of-2 with one crew: states = units down (0, 1, 2); repairs one at a time.
        const double l = 1 / 1000.0, m = 1 / 50.0;
        const auto occ = ctmc_occupation({{-2 * l, 2 * l, 0}, {m, -(m + l), l}, {0, m, -m}}, kYear);
        figures.push_back({"1-of-2, one crew (1000/50 h, 1 y)", "unavailability",
                           "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 50h } }\n"
                           "repair: { crews: 1 }\nsystem: { parallel: [a] }\n" + y1,
                           occ[2] / kYear, +1, unavailability});
    }
    {
        const std::string yaml = "components:\n  a: { failure: { weibull: { shape: 2, scale: 1000h } }, "
                                 "repair: { lognormal: { median: 20h, sigma: 1 } } }\nsystem: a\n" + y1;
        const nines::Model model = nines::io::read_scenario_text(yaml, "reference.yaml");
        const SimulationResults ref = nines::test::run_seeded(model, 999, 100000);
        std::fprintf(stderr, "Weibull/lognormal reference: U = %.6g +- %.2g (SE)\n", ref.unavailability.mean, ref.unavailability.std_error);
        figures.push_back({"Weibull(2, 1000 h) / lognormal(20 h, 1) unit, 1 y", "unavailability", yaml, ref.unavailability.mean, +1,
                           unavailability});
    }
    figures.push_back({"rare outages: 1-of-2 (3000/10 h, 100 y), U ~ 1e-5", "unavailability",
                       "components:\n  a: { count: 2, failure: { mttf: 3000h }, repair: { mttr: 10h } }\nsystem: { parallel: [a] }\n"
                       "simulation: { horizon: 100y }\n",
                       time_average([](double t) { const double q = 1 - unit_availability(3000, 10, t); return q * q; }, 100 * kYear),
                       +1, unavailability});
    // MTTF of a 1-of-2 pair from all up: (3 lambda + mu) / (2 lambda^2); horizon long enough that no
    // replication is censored (P(T > 50 y) = e^-38).
    const std::string pair_mttf = "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 50h } }\nsystem: { parallel: [a] }\n";
    figures.push_back({"1-of-2 MTTF (1000/50 h, 50 y: uncensored)", "MTTF", pair_mttf + "simulation: { horizon: 50y }\n",
                       (3 / 1000.0 + 1 / 50.0) / (2 / 1e6), -1,
                       [](const SimulationResults& r) { return Interval{r.mttf_h.lo, r.mttf_h.hi, r.mttf_h.has_ci}; }});
    figures.push_back({"1-of-2 MTTF, 5 y horizon (censored)", "MTTF >= bound", pair_mttf + "simulation: { horizon: 5y }\n",
                       (3 / 1000.0 + 1 / 50.0) / (2 / 1e6), -1,
                       [](const SimulationResults& r) {
                           if (r.censored == 0) return Interval{r.mttf_h.lo, INFINITY, r.mttf_h.has_ci};
                           return Interval{r.mttf_lower_bound_h, INFINITY, true};
                       }});
    // Outage of a 1-of-2 pair with exponential repairs: both units in repair, it ends with the first
    // repair, min of two exponentials: MTTR / 2.
    figures.push_back({"1-of-2 (1000/50 h, 1 y): outage = min of 2 repairs", "mean outage",
                       "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 50h } }\nsystem: { parallel: [a] }\n" + y1,
                       25.0, +1,
                       [](const SimulationResults& r) { return Interval{r.mean_outage_h.lo, r.mean_outage_h.hi, r.mean_outage_h.has_ci}; }});
    figures.push_back({"long outages (8760/1440 h, 1 y): open outages censored", "mean outage",
                       "components:\n  a: { failure: { mttf: 8760h }, repair: { mttr: 1440h } }\nsystem: a\n" + y1, 1440.0, +1,
                       [](const SimulationResults& r) { return Interval{r.mean_outage_h.lo, r.mean_outage_h.hi, r.mean_outage_h.has_ci}; }});
    // Per-year figures when outages last about a year (years of a replication strongly correlated);
    // references from runs 1000x larger. p95 is taken where the per-year law has no atom (MTTR 2000 h:
    // with year-long repairs over 5% of years are wholly down and p95 is exactly 8760 h).
    for (const char* mttr : {"8760h", "2000h"}) {
        const std::string yaml = std::string("components:\n  a: { failure: { mttf: 8760h }, repair: { mttr: ") + mttr +
                                 " } }\nsystem: a\nbudget: 2000h\nsimulation: { horizon: 10y }\n";
        const nines::Model model = nines::io::read_scenario_text(yaml, "reference.yaml");
        const SimulationResults ref = nines::test::run_seeded(model, 999, 50000);
        const int k = std::string(mttr) == "8760h" ? 0 : 1;  // p50 or p95
        std::fprintf(stderr, "per-year reference (MTTR %s): P(year > 2000 h) = %.5f +- %.2g, p%d = %.1f h\n", mttr,
                     ref.budget_exceeded.mean, ref.budget_exceeded.std_error, k ? 95 : 50, ref.year_downtime_percentiles[static_cast<std::size_t>(k)].value);
        const std::string name = std::string("outages of MTTR ") + mttr + ", MTTF 8760 h, 10 y";
        figures.push_back({name, "P(year > 2000 h)", yaml, ref.budget_exceeded.mean, +1,
                           [](const SimulationResults& r) { return Interval{r.budget_exceeded.lo, r.budget_exceeded.hi, r.budget_exceeded.has_ci}; }});
        figures.push_back({name, k ? "p95 of year downtime" : "p50 of year downtime", yaml,
                           ref.year_downtime_percentiles[static_cast<std::size_t>(k)].value, +1, [k](const SimulationResults& r) {
                               const auto& p = r.year_downtime_percentiles[static_cast<std::size_t>(k)];
                               return Interval{p.lo, p.hi, p.has_ci};
                           }});
    }

    std::printf("%-56s %-22s %6s %9s %11s\n", "model", "figure", "reps", "coverage", "optimistic");
    for (const Figure& f : figures) {
        const nines::Model model = nines::io::read_scenario_text(f.yaml, "coverage.yaml");
        for (std::int64_t n : counts) {
            int covered = 0, optimistic = 0, no_interval = 0;
            for (int s = 1; s <= seeds; ++s) {
                const Interval iv = f.interval(nines::test::run_seeded(model, static_cast<std::uint64_t>(s), n));
                if (!iv.ok) {
                    ++no_interval;
                    continue;
                }
                if (iv.lo <= f.exact && f.exact <= iv.hi) {
                    ++covered;
                } else if ((f.optimistic_side > 0) == (f.exact > iv.hi)) {
                    ++optimistic;
                }
            }
            const int with = seeds - no_interval;
            const int missed = with - covered;
            std::printf("%-56s %-22s %6lld %8.1f%% %10.0f%%%s\n", f.model.c_str(), f.what.c_str(), static_cast<long long>(n),
                        with > 0 ? 100.0 * covered / with : 0.0, missed > 0 ? 100.0 * optimistic / missed : 0.0,
                        no_interval ? (" (" + std::to_string(no_interval) + " runs without interval)").c_str() : "");
            std::fflush(stdout);
        }
    }
    std::printf("exact values: ");
    for (const Figure& f : figures) std::printf("%s %s = %.6g; ", f.model.c_str(), f.what.c_str(), f.exact);
    std::printf("\n");
    return 0;
}
