#include "study/method_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nines::study {

namespace {

constexpr double kZ95 = 1.959963984540054;
constexpr double kDefaultRelativeError = 0.10;
constexpr std::int64_t kPilotCycles = 4096;

// The biasing used for `importance`: the distance-based zero-variance approximation, which falls back
// to balanced failure biasing when the model has no usable minimal cut sets (standby groups, or too many).
// Measured on the k-of-n benchmark (README, "Rare events"): the distance variant needs less work there.
FailureBiasing default_biasing(const Model&) { return FailureBiasing::Distance; }

std::string format(const char* pattern, double a, double b = 0, double c = 0, double d = 0) {
    char text[400];
    std::snprintf(text, sizeof text, pattern, a, b, c, d);
    return text;
}

}  // namespace

double requested_relative_error(const SimulationSettings& settings) {
    return settings.relative_error ? *settings.relative_error : kDefaultRelativeError;
}

MethodChoice choose_method(const Model& model, const SimulationSettings& settings) {
    MethodChoice choice;
    switch (settings.method) {
        case SimulationMethod::Plain:
            choice.reason = "plain Monte Carlo, as the scenario asks";
            return choice;
        case SimulationMethod::Splitting:
            throw InputError(settings.method_location,
                             "simulation method 'splitting' is not available yet (importance splitting on the discrete-event "
                             "kernel is being built); use 'importance' (all-exponential models) or 'plain'");
        case SimulationMethod::Importance:
            choice.method = sim::RareEventMethod::Importance;
            choice.biasing = default_biasing(model);
            choice.reason = "importance sampling, as the scenario asks";
            return choice;
        case SimulationMethod::Auto: break;
    }
    // Auto: a short pilot of the accelerated estimator says how often the system fails; plain Monte Carlo
    // needs about (z / r)^2 outages for a relative error r of the unavailability.
    const double r = requested_relative_error(settings);
    const double needed = (kZ95 / r) * (kZ95 / r);
    ImportanceSettings pilot;
    pilot.biasing = default_biasing(model);
    pilot.seed = settings.seed;
    pilot.threads = settings.threads;
    pilot.cycles = kPilotCycles;
    pilot.distance_falls_back = true;
    sim::RareEventEstimate p;
    try {
        p = estimate_unavailability_by_importance(model, pilot);
    } catch (const UnsupportedError& e) {
        choice.reason = std::string("plain Monte Carlo: no accelerated method applies (importance sampling needs a Markovian "
                                    "model: ") + e.what() + "; importance splitting is not available yet)";
        return choice;
    }
    const double window_years = (settings.horizon_h - settings.warmup_h) / kHoursPerYear;
    const double expected = p.failures_per_year.mean * window_years * static_cast<double>(settings.replications);
    if (expected >= needed) {
        choice.reason = format("plain Monte Carlo: it should see about %.0f system outages (%.3g failures per year x %.3g "
                               "simulated years), enough for a relative error of ",
                               expected, p.failures_per_year.mean, window_years * static_cast<double>(settings.replications)) +
                        format("%.3g %% (about %.0f needed)", 100 * r, needed);
        return choice;
    }
    choice.method = sim::RareEventMethod::Importance;
    choice.biasing = pilot.biasing;
    choice.reason = format("importance sampling: plain Monte Carlo would see about %.3g system outages (%.3g failures per year x "
                           "%.3g simulated years), ",
                           expected, p.failures_per_year.mean, window_years * static_cast<double>(settings.replications)) +
                    format("and a relative error of %.3g %% needs about %.0f", 100 * r, needed);
    return choice;
}

sim::RareEventEstimate run_accelerated(const Model& model, const SimulationSettings& settings, const MethodChoice& choice) {
    ImportanceSettings s;
    s.biasing = choice.biasing;
    s.seed = settings.seed;
    s.threads = settings.threads;
    s.target_relative_error = requested_relative_error(settings);
    s.cycles = kFirstAcceleratedCycles;
    s.distance_falls_back = true;
    sim::RareEventEstimate r;
    try {
        r = estimate_unavailability_by_importance(model, s);
    } catch (const UnsupportedError& e) {
        throw InputError(settings.method_location, std::string("simulation method 'importance' needs a Markovian model (every "
                                                               "law exponential, standby without switch time, every "
                                                               "component repaired): ") + e.what());
    }
    r.selection_reason = choice.reason;
    return r;
}

void apply_rare_event_estimate(const sim::RareEventEstimate& rare, sim::SimulationResults& res) {
    res.unavailability = rare.unavailability;
    res.availability = rare.unavailability;
    res.availability.mean = 1.0 - rare.unavailability.mean;
    res.availability.lo = 1.0 - rare.unavailability.hi;
    res.availability.hi = 1.0 - rare.unavailability.lo;
    res.nines = rare.unavailability;
    res.nines.mean = rare.unavailability.mean > 0 ? -std::log10(rare.unavailability.mean) : INFINITY;
    res.nines.lo = rare.unavailability.hi > 0 ? -std::log10(rare.unavailability.hi) : INFINITY;
    res.nines.hi = rare.unavailability.lo > 0 ? -std::log10(rare.unavailability.lo) : INFINITY;
    res.nines.std_error = rare.unavailability.mean > 0 ? rare.unavailability.std_error / (rare.unavailability.mean * std::log(10.0)) : 0;
    res.downtime_h_per_year = rare.unavailability;
    res.downtime_h_per_year.mean *= kHoursPerYear;
    res.downtime_h_per_year.lo *= kHoursPerYear;
    res.downtime_h_per_year.hi *= kHoursPerYear;
    res.downtime_h_per_year.std_error *= kHoursPerYear;
    res.failures_per_year = rare.failures_per_year;
    res.mtbf_h = rare.mtbf_h;
    res.mean_outage_h = rare.mean_down_h;
    // The plain run's caveats concern its own figures now (per-year percentiles, outage distribution, MTTF).
    for (std::string& note : res.notes) note = "plain replications: " + note;
    res.notes.push_back(std::string("availability, unavailability, nines, downtime per year, failures per year, MTBF and mean "
                                    "outage are steady-state figures by ") +
                        rare.variant + " (see 'rare-event estimate'); the other figures come from the plain replications");
}

}  // namespace nines::study
