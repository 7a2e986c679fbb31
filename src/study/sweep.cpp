#include "study/sweep.h"

namespace nines::study {

SweepResults run_sweep(const std::vector<SweepAxis>& axes, const SweepPointModel& model_at,
                       const std::function<void(SimulationSettings&)>& adjust, const StudyOptions& base) {
    if (axes.empty()) throw InputError(SourceLocation{"command line", 0, 0}, "nothing to sweep: no axes given");
    SweepResults out;
    for (const SweepAxis& a : axes) out.keys.push_back(a.path);
    std::size_t total = 1;
    for (const SweepAxis& a : axes) {
        total *= a.values.size();
        if (total > 10000) throw InputError(a.location, "the sweep has more than 10,000 points");
    }
    std::vector<std::size_t> index(axes.size(), 0);
    double best_cost = 0;
    for (std::size_t n = 0; n < total; ++n) {
        SweepPoint point;
        for (std::size_t k = 0; k < axes.size(); ++k) {
            point.assignments.push_back({axes[k].path, axes[k].values[index[k]], axes[k].location});
            point.label += (k ? ", " : "") + axes[k].path + "=" + axes[k].values[index[k]];
        }
        const Model model = model_at(point.assignments, point.label);
        StudyOptions options = base;
        options.run.settings = model.simulation;
        adjust(options.run.settings);
        point.study = run_study(model, options);
        point.cost = expected_cost(model, point.study.simulation);
        point.has_expectations = !model.expectations.empty();
        for (const ExpectationResult& r : point.study.expectations) {
            if (r.outcome == Outcome::Fail) point.expectations = Outcome::Fail;
            if (r.outcome == Outcome::Inconclusive && point.expectations == Outcome::Pass) point.expectations = Outcome::Inconclusive;
        }
        if (point.cost.defined && point.has_expectations && point.expectations == Outcome::Pass &&
            (out.cheapest_meeting_expectations < 0 || point.cost.total_per_year.mean < best_cost)) {
            out.cheapest_meeting_expectations = static_cast<int>(out.points.size());
            best_cost = point.cost.total_per_year.mean;
        }
        out.points.push_back(std::move(point));
        // Next combination: the last axis varies fastest.
        for (std::size_t k = axes.size(); k-- > 0;) {
            if (++index[k] < axes[k].values.size()) break;
            index[k] = 0;
        }
    }
    return out;
}

}  // namespace nines::study
