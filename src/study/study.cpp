#include "study/study.h"

#include <algorithm>
#include <cmath>


#include "analytic/analysis.h"
#include "study/method_selection.h"
#include "study/sequential.h"

namespace nines::study {

namespace {

constexpr std::int64_t kReplicationCeiling = 10'000'000;

analytic::CrossCheck cross_check(const analytic::AvailabilityReference& reference, const sim::SimulationResults& r) {
    const sim::Estimate& u = r.unavailability;
    return analytic::cross_check(reference, u.mean, u.std_error, u.lo, u.hi, u.has_ci, r.system_outages);
}

// The most replications looks at undecided expectations may reach.
std::int64_t look_cap(const SimulationSettings& settings, const StudyOptions& options) {
    return std::min(kReplicationCeiling, options.max_replications > 0 ? options.max_replications : 16 * settings.replications);
}

}  // namespace

std::vector<std::int64_t> planned_targets(const SimulationSettings& settings, const StudyOptions& options) {
    std::vector<std::int64_t> targets{settings.replications};
    if (settings.precision) {
        // As run_study's loop: double (capped) while below max_replications.
        while (targets.back() < settings.precision->max_replications) {
            targets.push_back(std::min(2 * targets.back(), settings.precision->max_replications));
        }
    } else if (options.resolve_inconclusive && !settings.relative_error) {
        targets = planned_looks(settings.replications, look_cap(settings, options));
    }
    return targets;
}

double half_width(const sim::SimulationResults& r, const std::string& metric) {
    // Read through the metric registry, as expectations are.
    Expectation target;
    target.metric = metric;
    const MetricValue v = measure(target, r);
    const sim::Estimate& e = v.estimate;
    if (!v.measurable || !e.has_ci) return INFINITY;
    return 0.5 * (e.hi - e.lo);
}

StudyResults run_study(const Model& model, const StudyOptions& options) {
    const SimulationSettings& settings = options.run.settings;
    // The method first: a refused one (importance on a non-Markovian model, splitting on a model it does not
    // handle) stops before any work.
    const MethodChoice choice = choose_method(model, settings);
    // The cross-check's reference before the run's kernel exists: at a million components the two hold
    // hundreds of MB each, and the run's peak memory is the larger of them, not their sum (issue 14).
    analytic::AvailabilityReference reference;
    try {
        reference = analytic::interval_availability_reference(model, settings.warmup_h, settings.horizon_h);
    } catch (const UnsupportedError& e) {
        reference.applicable = false;
        reference.reason = e.what();
        reference.unsupported_at = e.where();
    }
    sim::SimulationRun run(model, settings);
    StudyResults out;
    out.method_reason = choice.reason;
    auto extend = [&](std::int64_t target) {
        run.extend_to(target, options.run);
        out.replication_steps.push_back(run.replications());
    };
    extend(settings.replications);

    if (settings.precision) {
        const PrecisionTarget& p = *settings.precision;
        // The half-width is judged only from kPrecisionTargetFloor replications on: a half-width
        // estimated from a handful is itself so uncertain that stopping on it gives optimistic intervals.
        double hw = half_width(run.results(), p.metric);
        while ((hw > p.half_width || run.replications() < kPrecisionTargetFloor) && run.replications() < p.max_replications) {
            extend(std::min(2 * run.replications(), p.max_replications));
            hw = half_width(run.results(), p.metric);
        }
        out.precision = PrecisionOutcome{p.metric, hw, p.half_width, run.replications(), hw <= p.half_width};
    }
    if (choice.method == sim::RareEventMethod::Plain && settings.relative_error) {
        // `until: relative_error <= r` with plain Monte Carlo: double the replications until the
        // unavailability's 95% half-width over its estimate is at most r.
        const double target = *settings.relative_error;
        constexpr std::int64_t kMaxPlainReplications = 1'000'000;
        auto relative = [&]() {
            const sim::Estimate& u = run.results().unavailability;
            return u.has_ci && u.mean > 0 ? 0.5 * (u.hi - u.lo) / u.mean : INFINITY;
        };
        double re = relative();
        while ((re > target || run.replications() < kPrecisionTargetFloor) && run.replications() < kMaxPlainReplications) {
            extend(std::min(2 * run.replications(), kMaxPlainReplications));
            re = relative();
        }
        out.precision = PrecisionOutcome{"relative_error", re, target, run.replications(), re <= target};
    }
    if (choice.method != sim::RareEventMethod::Plain) out.rare_event = run_accelerated(model, settings, choice);
    auto results = [&]() {
        sim::SimulationResults r = run.results();
        if (out.rare_event) apply_rare_event_estimate(*out.rare_event, r);
        return r;
    };

    std::optional<analytic::AvailabilityReference> served_reference;
    if (std::any_of(model.blocks.begin(), model.blocks.end(), [](const Block& b) { return b.kind == BlockKind::Capacity; })) {
        served_reference = analytic::interval_served_reference(model, settings.warmup_h, settings.horizon_h);
    }

    // Expectations are judged at planned looks (one without resolve_inconclusive); an expectation keeps
    // the verdict of the first look that decides it, and only undecided ones are judged again.
    std::vector<std::int64_t> looks{run.replications()};
    if (options.resolve_inconclusive) looks = planned_looks(run.replications(), look_cap(settings, options));
    out.expectations.resize(model.expectations.size());
    std::vector<bool> decided(model.expectations.size(), false);
    const std::vector<Look> spent = spend_error(looks);
    for (std::size_t k = 0; k < looks.size(); ++k) {
        if (k > 0) extend(looks[k]);
        out.simulation = results();
        out.crosscheck = cross_check(reference, out.simulation);
        if (out.rare_event && out.rare_event->likelihood_ratio) {
            // The accelerated estimate's own count of cycles that reached the down set stands for the outages.
            const sim::Estimate& u = out.simulation.unavailability;
            out.crosscheck = analytic::cross_check(reference, u.mean, u.std_error, u.lo, u.hi, u.has_ci,
                                                   out.rare_event->likelihood_ratio->cycles_hitting);
        }
        if (out.rare_event && out.rare_event->splitting) {
            // Splitting's entries into the down set, over all its trajectories, stand for the outages.
            const sim::Estimate& u = out.simulation.unavailability;
            out.crosscheck = analytic::cross_check(reference, u.mean, u.std_error, u.lo, u.hi, u.has_ci,
                                                   out.rare_event->splitting->down_entries);
        }
        if (served_reference) {
            // The served fraction through the same verdict as availability: its unserved share 1 - served.
            const sim::Estimate& s = out.simulation.service.served_fraction;
            out.served_crosscheck = analytic::cross_check(*served_reference, 1.0 - s.mean, s.std_error, 1.0 - s.hi, 1.0 - s.lo,
                                                          s.has_ci, out.simulation.system_outages);
        }
        const Look& look = spent[k];
        for (std::size_t i = 0; i < model.expectations.size(); ++i) {
            if (decided[i]) continue;
            out.expectations[i] = evaluate(model.expectations[i], out.simulation, out.crosscheck, look);
            decided[i] = out.expectations[i].outcome != Outcome::Inconclusive;
        }
        if (std::all_of(decided.begin(), decided.end(), [](bool d) { return d; })) break;
    }
    return out;
}

}  // namespace nines::study
