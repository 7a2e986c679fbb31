#include "study/method_selection.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "sim/splitting.h"
#include "sim/uniformised_biasing.h"

namespace nines::study {

namespace {

constexpr double kZ95 = 1.959963984540054;
constexpr double kDefaultRelativeError = 0.10;
constexpr std::int64_t kPilotCycles = 4096;

// The biasing used for `importance`: the distance-based zero-variance approximation, which falls back
// to balanced failure biasing when the model has no usable minimal cut sets (standby groups, or too many).
// Measured on the k-of-n benchmark (README, "Rare events"): the distance variant needs less work there.
FailureBiasing default_biasing(const Model&) { return FailureBiasing::Distance; }

// Importance splitting: replications per round of the precision stop, and the most it may take. With 20
// per estimate its intervals covered 93.5 % and 97.0 % on the two coverage cases (README, "Rare
// events"); with 10, 92.5 %.
constexpr std::int64_t kSplittingRound = 20;
constexpr std::int64_t kSplittingMaxReplications = 20 * 512;
// A pilot of this many replications estimates the failure frequency `auto` compares with plain's needs.
constexpr std::int64_t kSplittingPilotReplications = 4;
// Above this share of the estimate in one replication, the interval rests on a lucky run.
constexpr double kDegenerateReplicationShare = 0.5;

// Failure biasing by uniformisation: replications per round of the precision stop (its coverage,
// 94.0 % over 200 seeds on the Weibull/lognormal 2-of-4, was measured with rounds of 8), the most it
// may take, and the pilot `auto` runs.
constexpr std::int64_t kUniformisationRound = 8;
constexpr std::int64_t kUniformisationMaxReplications = 8 * 512;
constexpr std::int64_t kUniformisationPilotReplications = 4;

sim::UniformisedBiasingSettings uniformisation_settings(const SimulationSettings& settings) {
    sim::UniformisedBiasingSettings s;
    s.horizon_h = settings.horizon_h;
    s.warmup_h = settings.warmup_h;
    s.seed = settings.seed;
    s.threads = settings.threads;
    s.replications = kUniformisationRound;
    s.max_replications = kUniformisationMaxReplications;
    return s;
}

sim::SplittingSettings splitting_settings(const SimulationSettings& settings) {
    sim::SplittingSettings s;
    s.horizon_h = settings.horizon_h;
    s.warmup_h = settings.warmup_h;
    s.seed = settings.seed;
    s.threads = settings.threads;
    s.replications = kSplittingRound;
    s.max_replications = kSplittingMaxReplications;
    return s;
}

sim::Estimate estimate_of(const sim::ReplicatedInterval& i, double scale = 1) {
    sim::Estimate e;
    e.mean = i.mean * scale;
    e.std_error = i.std_error * scale;
    e.lo = i.lower * scale;
    e.hi = i.upper * scale;
    e.has_ci = i.std_error > 0;
    return e;
}

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
            try {
                sim::check_splitting_supported(model);
            } catch (const UnsupportedError& e) {
                throw InputError(settings.method_location, std::string("simulation method 'splitting' cannot estimate this model: ") +
                                                               e.what() + "; use 'plain' (or 'importance' for a Markovian model)");
            }
            choice.method = sim::RareEventMethod::Splitting;
            choice.reason = "importance splitting, as the scenario asks";
            return choice;
        case SimulationMethod::Importance:
            choice.method = sim::RareEventMethod::Importance;
            choice.biasing = default_biasing(model);
            try {
                check_importance_sampling_supported(model);
                choice.reason = "importance sampling, as the scenario asks";
            } catch (const UnsupportedError& markov) {
                try {
                    sim::check_uniformised_biasing_supported(model);
                } catch (const UnsupportedError& unif) {
                    throw InputError(settings.method_location,
                                     std::string("simulation method 'importance' needs a Markovian model (every law exponential, "
                                                 "standby without switch time, every component repaired) or one failure biasing "
                                                 "by uniformisation handles: ") + markov.what() + "; uniformisation: " + unif.what());
                }
                choice.by_uniformisation = true;
                choice.reason = std::string("importance sampling by failure biasing through uniformisation, as the scenario asks "
                                            "(not Markovian: ") + markov.what() + ")";
            }
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
    sim::RareEventMethod accelerated = sim::RareEventMethod::Importance;
    std::string accelerated_name = "importance sampling";
    try {
        p = estimate_unavailability_by_importance(model, pilot);
    } catch (const UnsupportedError& markov) {
        // Not Markovian: failure biasing by uniformisation when it handles the model (measured faster
        // than splitting, and it finishes at 100 units where splitting does not), else importance
        // splitting on models small enough for it, each with a short pilot for the failure frequency.
        std::string unif_reason, split_reason;
        try {
            sim::UniformisedBiasingSettings s = uniformisation_settings(settings);
            s.replications = kUniformisationPilotReplications;
            const sim::UniformisedBiasingResult u = sim::estimate_by_uniformised_biasing(model, s);
            p.failures_per_year = estimate_of(u.failure_frequency_per_h, kHoursPerYear);
            choice.by_uniformisation = true;
            accelerated_name = "importance sampling by failure biasing through uniformisation";
        } catch (const UnsupportedError& unif) {
            unif_reason = unif.what();
        }
        if (!choice.by_uniformisation) {
            try {
                sim::check_splitting_supported(model);
                const int instances = StructureGraph::compile(model).instance_count;
                if (instances > kAutoSplittingMaxInstances) {
                    throw UnsupportedError("the model has " + std::to_string(instances) + " instances, and auto picks splitting for at most " +
                                           std::to_string(kAutoSplittingMaxInstances) +
                                           " (its cost grows with every unit that can start an excursion; ask for it with "
                                           "'method: splitting')");
                }
                sim::SplittingSettings s = splitting_settings(settings);
                s.replications = kSplittingPilotReplications;
                const sim::SplittingResult pilot_split = sim::estimate_by_splitting(model, s);
                p.failures_per_year = estimate_of(pilot_split.failure_frequency_per_h, kHoursPerYear);
                accelerated = sim::RareEventMethod::Splitting;
                accelerated_name = "importance splitting";
            } catch (const UnsupportedError& split) {
                choice.reason = std::string("plain Monte Carlo: no accelerated method applies (importance sampling needs a Markovian "
                                            "model: ") + markov.what() + "; failure biasing by uniformisation: " + unif_reason +
                                "; importance splitting: " + split.what() + ")";
                return choice;
            }
        }
    }
    const double window_years = (settings.horizon_h - settings.warmup_h) / kHoursPerYear;
    const double expected = p.failures_per_year.mean * window_years * static_cast<double>(settings.replications);
    if (expected >= needed) {
        choice.by_uniformisation = false;
        choice.reason = format("plain Monte Carlo: it should see about %.0f system outages (%.3g failures per year x %.3g "
                               "simulated years), enough for a relative error of ",
                               expected, p.failures_per_year.mean, window_years * static_cast<double>(settings.replications)) +
                        format("%.3g %% (about %.0f needed)", 100 * r, needed);
        return choice;
    }
    choice.method = accelerated;
    choice.biasing = pilot.biasing;
    choice.reason = accelerated_name + format(": plain Monte Carlo would see about %.3g system outages (%.3g failures per year x "
                           "%.3g simulated years), ",
                           expected, p.failures_per_year.mean, window_years * static_cast<double>(settings.replications)) +
                    format("and a relative error of %.3g %% needs about %.0f", 100 * r, needed);
    return choice;
}

namespace {

std::string lucky_run_warning(std::int64_t replications, double share) {
    return format("one replication of %.0f carries %.0f %% of the estimate: the interval rests on a lucky run and is not to be "
                  "trusted",
                  static_cast<double>(replications), 100 * share);
}

// What the estimators over replications share in the result type: a replication stands for a cycle,
// the figures are over the window, MTBF is the reciprocal of the failure frequency.
template <class Result>
sim::RareEventEstimate from_replications(const Result& x, const SimulationSettings& settings) {
    const double target = requested_relative_error(settings);
    sim::RareEventEstimate r;
    r.over_window = true;
    r.cycles = x.replications;
    r.seed = settings.seed;
    r.threads = settings.threads;
    r.unavailability = estimate_of(x.unavailability);
    r.relative_error = x.unavailability.relative_error;
    r.failures_per_year = estimate_of(x.failure_frequency_per_h, kHoursPerYear);
    if (x.failure_frequency_per_h.mean > 0) {
        // MTBF = 1 / frequency: the interval maps through the reciprocal, the error by the delta method.
        const sim::ReplicatedInterval& f = x.failure_frequency_per_h;
        r.mtbf_h.mean = 1 / f.mean;
        r.mtbf_h.lo = f.upper > 0 ? 1 / f.upper : 0;
        r.mtbf_h.hi = f.lower > 0 ? 1 / f.lower : INFINITY;
        r.mtbf_h.std_error = f.std_error / (f.mean * f.mean);
        r.mtbf_h.has_ci = f.std_error > 0 && f.lower > 0;
    }
    r.mean_down_h = estimate_of(x.mean_down_time_h);
    r.mean_cycle_h.mean = settings.horizon_h;  // a replication: one trajectory over the horizon
    r.variance_ratio = x.variance_ratio;
    r.plain_cycles_for_target = x.plain_replications_for_10_percent;
    r.transitions = x.events;
    r.target_relative_error = target;
    r.target_reached = x.unavailability.relative_error <= target;
    return r;
}

// SplittingResult in the shared result type; the down-set entries over all trajectories stand for the
// cycles that hit.
sim::RareEventEstimate run_splitting(const Model& model, const SimulationSettings& settings) {
    sim::SplittingSettings s = splitting_settings(settings);
    s.target_relative_error = requested_relative_error(settings);
    const sim::SplittingResult x = sim::estimate_by_splitting(model, s);
    sim::RareEventEstimate r = from_replications(x, settings);
    r.method = sim::RareEventMethod::Splitting;
    r.variant = "RESTART, importance = distance to the nearest cut set";
    sim::SplittingDiagnostics d;
    d.trajectories = x.trajectories;
    d.down_entries = x.thresholds.empty() ? 0 : x.thresholds.back().crossings;
    d.largest_replication_share = x.largest_replication_share;
    for (const sim::SplittingThreshold& t : x.thresholds) d.factors.push_back(t.factor);
    d.clocks_redrawn = x.clocks_redrawn;
    if (x.unavailability.mean <= 0) {
        r.warnings.push_back("no replication reached the down set: the estimate is 0 and has no interval (a longer horizon "
                             "or more replications would)");
    }
    if (x.largest_replication_share > kDegenerateReplicationShare) {
        d.degenerate = true;
        r.warnings.push_back(lucky_run_warning(x.replications, x.largest_replication_share));
    }
    if (!x.clocks_redrawn) {
        d.degenerate = true;
        r.warnings.push_back("some law has no conditional sampler: copies keep the original's clocks for it (unbiased, but "
                             "the copies are alike and the interval may be optimistic)");
    }
    if (!r.target_reached) {
        r.warnings.push_back(format("relative error target %.3g %% not reached after %.0f replications", 100 * s.target_relative_error,
                                    static_cast<double>(x.replications)));
    }
    r.splitting = d;
    return r;
}

// Failure biasing by uniformisation in the shared result type: importance sampling whose weighted
// samples are the branches (one per excursion of the main trajectories), with the likelihood-ratio
// diagnostics and warnings of the Markovian importance sampling.
sim::RareEventEstimate run_uniformisation(const Model& model, const SimulationSettings& settings) {
    sim::UniformisedBiasingSettings s = uniformisation_settings(settings);
    s.target_relative_error = requested_relative_error(settings);
    const sim::UniformisedBiasingResult x = sim::estimate_by_uniformised_biasing(model, s);
    sim::RareEventEstimate r = from_replications(x, settings);
    r.method = sim::RareEventMethod::Importance;
    r.variant = format("failure biasing through uniformisation, p = %.2g, one biased branch per excursion", s.failure_bias);
    sim::LikelihoodRatioDiagnostics d;
    d.sample = "branch";
    d.samples = x.branches;
    d.cycles_hitting = x.branches_hitting;
    d.largest_share = x.largest_branch_share;
    d.top_1_percent_share = x.top_1_percent_share;
    d.mean_weight_hitting = x.mean_weight_hitting;
    d.max_weight_hitting = x.max_weight_hitting;
    d.effective_sample_size = x.effective_sample_size;
    r.likelihood_ratio = d;
    add_likelihood_ratio_warnings(r);
    if (x.largest_replication_share > kDegenerateReplicationShare) {
        r.likelihood_ratio->degenerate = true;
        r.warnings.push_back(lucky_run_warning(x.replications, x.largest_replication_share));
    }
    return r;
}

}  // namespace

sim::RareEventEstimate run_accelerated(const Model& model, const SimulationSettings& settings, const MethodChoice& choice) {
    const auto start = std::chrono::steady_clock::now();
    const bool on_kernel = choice.method == sim::RareEventMethod::Splitting || choice.by_uniformisation;
    sim::RareEventEstimate r;
    try {
        if (choice.method == sim::RareEventMethod::Splitting) {
            r = run_splitting(model, settings);
        } else if (choice.by_uniformisation) {
            r = run_uniformisation(model, settings);
        } else {
            ImportanceSettings s;
            s.biasing = choice.biasing;
            s.seed = settings.seed;
            s.threads = settings.threads;
            s.target_relative_error = requested_relative_error(settings);
            s.cycles = kFirstAcceleratedCycles;
            s.distance_falls_back = true;
            r = estimate_unavailability_by_importance(model, s);  // times itself
        }
    } catch (const UnsupportedError& e) {
        const char* refusal = choice.method == sim::RareEventMethod::Splitting
                                  ? "simulation method 'splitting' cannot estimate this model: "
                              : choice.by_uniformisation ? "simulation method 'importance' cannot estimate this model by failure "
                                                           "biasing through uniformisation: "
                                                         : "simulation method 'importance' needs a Markovian model (every law "
                                                           "exponential, standby without switch time, every component repaired): ";
        throw InputError(settings.method_location, refusal + std::string(e.what()));
    }
    if (on_kernel) r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
    if (!res.has_capacity) {
        // Without capacity blocks the system serves all or nothing: its served fraction is the availability.
        res.service.served_fraction = res.availability;
        res.service.state_up = res.availability;
        res.service.state_down = res.unavailability;
        res.service.unserved_h_per_year = res.downtime_h_per_year;
    }
    // The plain run's caveats concern its own figures now (per-year percentiles, outage distribution, MTTF).
    for (std::string& note : res.notes) note = "plain replications: " + note;
    // Importance sampling on the Markov chain estimates the steady state; splitting and uniformisation
    // the same window as the plain run.
    const std::string kind = rare.method == sim::RareEventMethod::Splitting
                                 ? "figures over the simulated window (warm-up excluded) by importance splitting, "
                             : rare.over_window ? "figures over the simulated window (warm-up excluded) by "
                                                : "steady-state figures by ";
    res.notes.push_back(std::string("availability, unavailability, nines, downtime per year, failures per year, MTBF and mean "
                                    "outage are ") + kind +
                        rare.variant + " (see 'rare-event estimate'); the other figures come from the plain replications");
}

}  // namespace nines::study
