#include "study/compare.h"

#include <cmath>

namespace nines::study {

namespace {

// Seed for the independent runs: any fixed function of the seed that gives different streams.
std::uint64_t independent_seed(std::uint64_t seed) { return seed ^ 0x5DEECE66Dull ^ (seed << 17); }

sim::Estimate paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) d[i] = b[i] - a[i];
    return sim::mean_estimate(d);
}

sim::Estimate independent_difference(const sim::Estimate& a, const sim::Estimate& b) {
    sim::Estimate e;
    e.mean = b.mean - a.mean;
    e.std_error = std::sqrt(a.std_error * a.std_error + b.std_error * b.std_error);
    e.lo = e.mean - 1.959963984540054 * e.std_error;
    e.hi = e.mean + 1.959963984540054 * e.std_error;
    e.has_ci = a.has_ci && b.has_ci;
    return e;
}

Difference difference(const std::vector<double>& first, const std::vector<double>& other, const sim::Estimate& first_alone,
                      const sim::Estimate& other_alone) {
    Difference d;
    d.paired = paired_difference(first, other);
    d.independent = independent_difference(first_alone, other_alone);
    const double paired_width = d.paired.hi - d.paired.lo;
    d.width_ratio = paired_width > 0 ? (d.independent.hi - d.independent.lo) / paired_width : INFINITY;
    return d;
}

}  // namespace

std::vector<SimulationSettings> compare_run_settings(const std::vector<Model>& models,
                                                     const std::function<void(SimulationSettings&)>& adjust) {
    if (models.size() < 2) throw InputError(SourceLocation{"command line", 0, 0}, "compare needs at least two scenario files");
    SimulationSettings settings = models.front().simulation;
    adjust(settings);
    settings.precision.reset();  // paired differences need the same replication count for every design
    // Each design runs twice: with the common seed (paired) and with the independent one.
    std::vector<SimulationSettings> runs(2 * models.size(), settings);
    for (std::size_t i = 1; i < runs.size(); i += 2) runs[i].seed = independent_seed(settings.seed);
    return runs;
}

CompareResults compare_designs(const std::vector<Model>& models,
                               const std::function<void(SimulationSettings&)>& adjust, const StudyOptions& base) {
    const std::vector<SimulationSettings> runs = compare_run_settings(models, adjust);
    CompareResults out;
    std::vector<StudyResults> independent;
    for (std::size_t i = 0; i < models.size(); ++i) {
        ComparedDesign d;
        d.file = models[i].file;
        d.name = models[i].name;
        StudyOptions o = base;
        o.run.settings = runs[2 * i];
        d.study = run_study(models[i], o);
        d.cost = expected_cost(models[i], d.study.simulation);
        o.run.settings = runs[2 * i + 1];
        independent.push_back(run_study(models[i], o));
        out.designs.push_back(std::move(d));
    }
    const sim::SimulationResults& first = out.designs.front().study.simulation;
    for (std::size_t i = 1; i < out.designs.size(); ++i) {
        const sim::SimulationResults& r = out.designs[i].study.simulation;
        // Independent pairs: the first design under the main seed against this one under the other seed.
        out.designs[i].unavailability = difference(first.replication_unavailability, r.replication_unavailability,
                                                   first.unavailability, independent[i].simulation.unavailability);
        out.designs[i].failures_per_year = difference(first.replication_failures_per_year, r.replication_failures_per_year,
                                                      first.failures_per_year, independent[i].simulation.failures_per_year);
    }
    return out;
}

}  // namespace nines::study
