#include "report/sweep_report.h"

#include <cmath>

#include <fmt/format.h>

#include "report/check_report.h"
#include "report/check_wording.h"
#include "report/csv_report.h"
#include "report/json_report.h"
#include "report/text_report.h"
#include "model/metric_registry.h"
#include "model/units_format.h"
#include "study/check.h"
#include "study/metrics.h"

namespace nines::report {

namespace {

using json = nlohmann::ordered_json;

std::string num(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

// The expectations that failed (or stayed inconclusive, after a ';'), as written.
std::string failed_expectations(const study::SweepPoint& p, study::Outcome which) {
    std::string out;
    for (const study::ExpectationResult& r : p.study.expectations) {
        if (r.outcome == which) out += (out.empty() ? "" : "; ") + r.expectation.text;
    }
    return out;
}

std::string expectations_cell(const study::SweepPoint& p) {
    if (!p.error.empty()) return "skipped: invalid (below)";
    if (!p.has_expectations) return "-";
    // The worst verdict, then what the count counts: "fail (1 of 5 pass)".
    int pass = 0, not_applicable = 0;
    for (const study::ExpectationResult& r : p.study.expectations) {
        pass += r.outcome == study::Outcome::Pass ? 1 : 0;
        not_applicable += r.outcome == study::Outcome::NotApplicable ? 1 : 0;
    }
    return fmt::format("{} ({} of {} pass{})", study::to_string(p.expectations), pass, p.study.expectations.size(),
                       not_applicable ? fmt::format(", {} not applicable", not_applicable) : "");
}

// The SLO windows of the sweep (those of its first point that ran: every point has the same `slo:`
// unless the sweep changes it).
const std::vector<sim::SloResult>* sweep_slos(const study::SweepResults& s) {
    for (const study::SweepPoint& p : s.points) {
        if (p.error.empty()) return &p.study.simulation.slos;
    }
    return nullptr;
}

const sim::SloResult* slo_of(const study::SweepPoint& p, const std::string& window) {
    for (const sim::SloResult& o : p.study.simulation.slos) {
        if (o.window == window) return &o;
    }
    return nullptr;
}

// The confidence statement of a point that passed `slo_breach[W] <= p`: the upper end of the interval
// its verdict rests on (95 %, widened for sequential looks) is at most p, so the SLO is met in at
// least 1 - p of the windows with at least 95 % confidence (97.5 % one-sided).
std::string confidence_statements(const study::SweepPoint& p) {
    std::string out;
    for (const study::ExpectationResult& r : p.study.expectations) {
        const Expectation& e = r.expectation;
        if (r.outcome != study::Outcome::Pass || e.metric != metric_spec(MetricId::SloBreach).name) continue;
        if (e.comparison != Comparison::AtMost && e.comparison != Comparison::Below) continue;
        const sim::SloResult* o = slo_of(p, e.window);
        if (!o) continue;
        const std::string windows = e.window == "month" ? "months" : e.window == "quarter" ? "quarters" : e.window + " windows";
        out += fmt::format("  meets {:g} % per {} in at least {:g} % of {} with 95% confidence: P(breach) {} (95% CI {} .. {}), "
                           "upper end of the verdict's {} interval {} <= {}\n",
                           o->target * 100, e.window, (1 - e.threshold) * 100, windows,
                           format_metric(o->breach.mean, MetricUnit::Probability), format_metric(o->breach.lo, MetricUnit::Probability),
                           format_metric(o->breach.hi, MetricUnit::Probability), format_percent(r.look.level(), 2),
                           format_metric(r.decision.hi, MetricUnit::Probability), format_metric(e.threshold, MetricUnit::Probability));
    }
    return out;
}

}  // namespace

std::string sweep_to_text(const study::SweepResults& s) {
    // The columns: the headline metrics that have a column label (registry), availability with its interval.
    std::vector<const MetricSpec*> columns;
    for (const MetricSpec* m : headline_metrics()) {
        if (*m->column_label) columns.push_back(m);
    }
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = s.keys;
    for (const MetricSpec* m : columns) {
        header.emplace_back(m->column_label);
        if (m->id == MetricId::Availability) header.emplace_back("95% CI");
    }
    // With `slo:`, P(a window breaches) and its interval for each window kind.
    const std::vector<sim::SloResult>* slos = sweep_slos(s);
    if (slos) {
        for (const sim::SloResult& o : *slos) {
            header.push_back("P(breach) " + o.window);
            header.emplace_back("95% CI");
        }
    }
    header.emplace_back("expectations");
    header.emplace_back("cost/y");
    header.emplace_back("not passed");
    rows.push_back(header);
    for (const study::SweepPoint& p : s.points) {
        std::vector<std::string> row;
        for (const Assignment& a : p.assignments) row.push_back(a.value);
        if (!p.error.empty()) {
            for (const MetricSpec* m : columns) {
                row.emplace_back("-");
                if (m->id == MetricId::Availability) row.emplace_back("-");
            }
            for (std::size_t k = 0; slos && k < 2 * slos->size(); ++k) row.emplace_back("-");
            row.push_back(expectations_cell(p));
            row.emplace_back("-");
            row.emplace_back("");
            rows.push_back(row);
            continue;
        }
        for (const MetricSpec* m : columns) {
            const study::MetricValue v = study::measure(m->id, p.study.simulation);
            row.push_back(metric_cell(*m, v));
            if (m->id == MetricId::Availability) {
                const sim::Estimate& a = v.estimate;
                const int digits = digits_for((a.hi - a.lo) * 50.0, 3, 9);
                row.push_back(a.has_ci ? format_percent(a.lo, digits) + " .. " + format_percent(a.hi, digits) : "n/a");
            }
        }
        for (std::size_t k = 0; slos && k < slos->size(); ++k) {
            const sim::SloResult* o = slo_of(p, (*slos)[k].window);
            const bool measured = o && o->windows_per_replication > 0;
            row.push_back(measured ? format_metric(o->breach.mean, MetricUnit::Probability) : "-");
            row.push_back(measured && o->breach.has_ci ? format_metric(o->breach.lo, MetricUnit::Probability) + " .. " +
                                                             format_metric(o->breach.hi, MetricUnit::Probability)
                                                       : "-");
        }
        row.push_back(expectations_cell(p));
        row.push_back(p.cost.defined ? format_sig(p.cost.total_per_year.mean, 4) : "-");
        // Which expectations did not pass, as written (failed ones first, then inconclusive ones).
        std::string not_passed = failed_expectations(p, study::Outcome::Fail);
        const std::string open = failed_expectations(p, study::Outcome::Inconclusive);
        if (!open.empty()) not_passed += (not_passed.empty() ? "" : "; ") + std::string("inconclusive: ") + open;
        row.push_back(not_passed);
        rows.push_back(row);
    }
    std::vector<std::size_t> width(header.size(), 0);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line = " ";
        for (std::size_t c = 0; c + 1 < row.size(); ++c) line += fmt::format(" {:>{}}", row[c], width[c]);
        line += " " + row.back();  // the last column, text, left-aligned
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    for (const study::SweepPoint& p : s.points) {
        if (!p.error.empty()) out += fmt::format("\nskipped {}: {}\n", p.label, p.error);
    }
    if (s.cheapest_meeting_expectations >= 0) {
        const study::SweepPoint& p = s.points[static_cast<std::size_t>(s.cheapest_meeting_expectations)];
        out += fmt::format("\ncheapest design meeting every expectation: {} (expected cost {} per year, 95% CI {} .. {})\n",
                           p.label, format_sig(p.cost.total_per_year.mean, 4), format_sig(p.cost.total_per_year.lo, 4),
                           format_sig(p.cost.total_per_year.hi, 4));
    }
    if (s.goal == SweepGoal::Smallest) {
        if (s.smallest_meeting_expectations >= 0) {
            const study::SweepPoint& p = s.points[static_cast<std::size_t>(s.smallest_meeting_expectations)];
            out += fmt::format("\nsmallest design meeting every expectation: {}\n", p.label);
            out += confidence_statements(p);
            if (!s.larger_not_passing.empty()) {
                std::string labels;
                for (int n : s.larger_not_passing) labels += (labels.empty() ? "" : "; ") + s.points[static_cast<std::size_t>(n)].label;
                out += fmt::format("  but larger points do not pass ({}): the expectations are not monotone in the swept values\n", labels);
            }
        } else {
            out += "\nno point of the sweep meets every expectation\n";
        }
    }
    return out;
}

std::string sweep_to_csv(const study::SweepResults& s) {
    // Each headline metric (registry order) is three columns named after its summary.csv row:
    // NAME, NAME_ci95_lo, NAME_ci95_hi; empty cells where the run cannot measure it.
    std::string out;
    for (const std::string& k : s.keys) out += csv_quote(k) + ",";
    for (const MetricSpec* m : headline_metrics()) out += fmt::format("{0},{0}_ci95_lo,{0}_ci95_hi,", m->csv_name);
    out += "expectations,cost_per_year,cost_ci95_lo,cost_ci95_hi,replications,failed_expectations,inconclusive_expectations,error\n";
    for (const study::SweepPoint& p : s.points) {
        for (const Assignment& a : p.assignments) out += csv_quote(a.value) + ",";
        if (!p.error.empty()) {
            for (std::size_t k = 0; k < headline_metrics().size(); ++k) out += ",,,";
            out += "skipped,,,,,,," + csv_quote(p.error) + "\n";
            continue;
        }
        const sim::SimulationResults& r = p.study.simulation;
        for (const MetricSpec* m : headline_metrics()) {
            const study::MetricValue v = study::measure(m->id, r);
            const sim::Estimate& e = v.estimate;
            out += v.measurable ? fmt::format("{},{},{},", num(e.mean), e.has_ci ? num(e.lo) : "", e.has_ci ? num(e.hi) : "") : ",,,";
        }
        out += fmt::format("{},{},{},{},{},{},{},\n", p.has_expectations ? study::to_string(p.expectations) : "",
                           p.cost.defined ? num(p.cost.total_per_year.mean) : "", p.cost.defined ? num(p.cost.total_per_year.lo) : "",
                           p.cost.defined ? num(p.cost.total_per_year.hi) : "", r.replications,
                           csv_quote(failed_expectations(p, study::Outcome::Fail)),
                           csv_quote(failed_expectations(p, study::Outcome::Inconclusive)));
    }
    return out;
}

json sweep_to_json(const study::SweepResults& s) {
    json j;
    j["format"] = "nines-sweep";
    j["format_version"] = 1;
    j["keys"] = s.keys;
    json points = json::array();
    for (const study::SweepPoint& p : s.points) {
        json pj;
        json values;
        for (const Assignment& a : p.assignments) values[a.path] = a.value;
        pj["values"] = values;
        if (!p.error.empty()) {
            pj["error"] = p.error;  // skipped: the values make the scenario invalid
            points.push_back(pj);
            continue;
        }
        const sim::SimulationResults& r = p.study.simulation;
        // Each headline metric under its key in the run JSON's "results" (registry); null when unmeasurable.
        for (const MetricSpec* m : headline_metrics()) {
            const study::MetricValue v = study::measure(m->id, r);
            pj[result_key(*m)] = v.measurable ? json{{"mean", json_number(v.estimate.mean)},
                                                     {"ci95", {json_number(v.estimate.lo), json_number(v.estimate.hi)}}}
                                              : json(nullptr);
        }
        pj["expectations"] = p.has_expectations ? json(study::to_string(p.expectations)) : json(nullptr);
        pj["expectation_results"] = expectations_to_json(p.study.expectations);
        pj["cost_per_year"] = p.cost.defined ? json{{"mean", p.cost.total_per_year.mean},
                                                    {"ci95", {p.cost.total_per_year.lo, p.cost.total_per_year.hi}},
                                                    {"ownership", p.cost.ownership_per_year}}
                                             : json(nullptr);
        if (p.cost.defined && p.cost.operations_per_year > 0) pj["cost_per_year"]["operations"] = operations_cost_to_json(p.cost);
        pj["replications"] = r.replications;
        if (!r.slos.empty()) {
            // P(a window breaches) per window kind, for charts of P(breach) against the swept values.
            json slos = json::array();
            for (const sim::SloResult& o : r.slos) {
                slos.push_back({{"window", o.window},
                                {"target", o.target},
                                {"budget_h", json_number(o.budget_h)},
                                {"breach", {{"mean", json_number(o.breach.mean)}, {"ci95", {json_number(o.breach.lo), json_number(o.breach.hi)}}}},
                                {"downtime_per_window_h",
                                 {{"mean", json_number(o.downtime_h.mean)}, {"ci95", {json_number(o.downtime_h.lo), json_number(o.downtime_h.hi)}}}}});
            }
            pj["slo"] = slos;
        }
        points.push_back(pj);
    }
    j["points"] = points;
    j["cheapest_meeting_expectations"] =
        s.cheapest_meeting_expectations >= 0 ? json(s.points[static_cast<std::size_t>(s.cheapest_meeting_expectations)].label) : json(nullptr);
    if (s.goal == SweepGoal::Smallest) {
        j["goal"] = "smallest";
        j["smallest_meeting_expectations"] =
            s.smallest_meeting_expectations >= 0 ? json(s.points[static_cast<std::size_t>(s.smallest_meeting_expectations)].label) : json(nullptr);
        json larger = json::array();
        for (int n : s.larger_not_passing) larger.push_back(s.points[static_cast<std::size_t>(n)].label);
        j["larger_not_passing"] = larger;
    }
    return j;
}

}  // namespace nines::report
