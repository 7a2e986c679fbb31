#include "study/sweep.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace nines::study {

namespace {
// The next combination: the last axis varies fastest.
void advance(std::vector<std::size_t>& index, const std::vector<SweepAxis>& axes) {
    for (std::size_t k = axes.size(); k-- > 0;) {
        if (++index[k] < axes[k].values.size()) break;
        index[k] = 0;
    }
}

// A value as a number, when the whole text is one.
std::optional<double> number_in(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return v;
}

// The order "smallest" means: point by point, the first axis deciding first; an axis whose values
// are all numbers compares them as numbers (a list may be written in any order), any other axis by
// the values' positions in its list.
std::vector<std::size_t> smallest_first(const std::vector<SweepAxis>& axes, const std::vector<std::vector<std::size_t>>& index_of) {
    std::vector<std::vector<double>> rank(axes.size());
    for (std::size_t k = 0; k < axes.size(); ++k) {
        bool numeric = true;
        for (const std::string& v : axes[k].values) numeric = numeric && number_in(v).has_value();
        for (std::size_t i = 0; i < axes[k].values.size(); ++i) {
            rank[k].push_back(numeric ? *number_in(axes[k].values[i]) : static_cast<double>(i));
        }
    }
    std::vector<std::size_t> order(index_of.size());
    for (std::size_t n = 0; n < order.size(); ++n) order[n] = n;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        for (std::size_t k = 0; k < axes.size(); ++k) {
            const double ra = rank[k][index_of[a][k]], rb = rank[k][index_of[b][k]];
            if (ra != rb) return ra < rb;
        }
        return false;
    });
    return order;
}
}  // namespace

std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes) {
    std::size_t total = 1;
    for (const SweepAxis& a : axes) {
        total *= a.values.size();
        if (total > 10000) throw InputError(a.location, "the sweep has more than 10,000 points");
    }
    std::vector<SweepPoint> points;
    std::vector<std::size_t> index(axes.size(), 0);
    for (std::size_t n = 0; n < total; ++n) {
        SweepPoint point;
        for (std::size_t k = 0; k < axes.size(); ++k) {
            point.assignments.push_back({axes[k].path, axes[k].values[index[k]], axes[k].location});
            point.label += (k ? ", " : "") + axes[k].path + "=" + axes[k].values[index[k]];
            for (const LinkedPath& l : axes[k].linked) {
                point.assignments.push_back({l.path, l.values[index[k]], axes[k].location});
                point.label += ", " + l.path + "=" + l.values[index[k]];
            }
        }
        points.push_back(std::move(point));
        advance(index, axes);
    }
    return points;
}

SweepResults run_sweep(const std::vector<SweepAxis>& axes, const SweepPointModel& model_at,
                       const std::function<void(SimulationSettings&)>& adjust, const StudyOptions& base, SweepGoal goal) {
    if (axes.empty()) throw InputError(SourceLocation{"command line", 0, 0}, "nothing to sweep: no axes given");
    SweepResults out;
    out.goal = goal;
    for (const SweepAxis& a : axes) {
        out.keys.push_back(a.path);
        for (const LinkedPath& l : a.linked) out.keys.push_back(l.path);
    }
    double best_cost = 0;
    for (SweepPoint& point : sweep_points(axes)) {
        // A point whose values make the scenario invalid is reported and skipped; the sweep goes on.
        std::optional<Model> built;
        try {
            built.emplace(model_at(point.assignments, point.label));
        } catch (const InputError& e) {
            point.error = e.what();
        }
        if (!built) {
            out.points.push_back(std::move(point));
            continue;
        }
        const Model& model = *built;
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
    }
    if (goal == SweepGoal::Smallest) {
        // Each point's position on each axis, in sweep_points' order (the last axis varies fastest).
        std::vector<std::vector<std::size_t>> index_of;
        std::vector<std::size_t> index(axes.size(), 0);
        for (std::size_t n = 0; n < out.points.size(); ++n) {
            index_of.push_back(index);
            advance(index, axes);
        }
        // A point passes when it ran, has expectations and none of them failed or stayed inconclusive.
        auto passes = [&](std::size_t n) {
            const SweepPoint& p = out.points[n];
            return p.error.empty() && p.has_expectations && p.expectations == Outcome::Pass;
        };
        for (std::size_t n : smallest_first(axes, index_of)) {
            if (out.smallest_meeting_expectations < 0) {
                if (passes(n)) out.smallest_meeting_expectations = static_cast<int>(n);
            } else if (!passes(n) && out.points[n].error.empty()) {
                out.larger_not_passing.push_back(static_cast<int>(n));
            }
        }
    }
    // Nothing to compare when no point could be built: the first point's problem is the sweep's.
    bool any_ran = false;
    for (const SweepPoint& p : out.points) any_ran = any_ran || p.error.empty();
    if (!any_ran && !out.points.empty()) throw InputError(axes.front().location, "no point of the sweep is a valid scenario; the first: " + out.points.front().error);
    return out;
}

}  // namespace nines::study
