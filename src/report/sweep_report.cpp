#include "report/sweep_report.h"

#include <cmath>

#include <fmt/format.h>

#include "report/check_report.h"
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
        points.push_back(pj);
    }
    j["points"] = points;
    j["cheapest_meeting_expectations"] =
        s.cheapest_meeting_expectations >= 0 ? json(s.points[static_cast<std::size_t>(s.cheapest_meeting_expectations)].label) : json(nullptr);
    return j;
}

}  // namespace nines::report
