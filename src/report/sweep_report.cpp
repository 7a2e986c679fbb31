#include "report/sweep_report.h"

#include <cmath>

#include <fmt/format.h>

#include "report/check_report.h"
#include "report/csv_report.h"
#include "model/units_format.h"
#include "study/check.h"

namespace nines::report {

namespace {

using json = nlohmann::ordered_json;

std::string num(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

std::string expectations_cell(const study::SweepPoint& p) {
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
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = s.keys;
    for (const char* h : {"availability", "95% CI", "downtime/y", "failures/y", "expectations", "cost/y"}) header.emplace_back(h);
    rows.push_back(header);
    for (const study::SweepPoint& p : s.points) {
        std::vector<std::string> row;
        for (const Assignment& a : p.assignments) row.push_back(a.value);
        const sim::Estimate& a = p.study.simulation.availability;
        const int digits = digits_for((a.hi - a.lo) * 50.0, 3, 9);
        row.push_back(format_percent(a.mean, digits));
        row.push_back(a.has_ci ? format_percent(a.lo, digits) + " .. " + format_percent(a.hi, digits) : "n/a");
        row.push_back(format_duration(p.study.simulation.downtime_h_per_year.mean));
        row.push_back(format_sig(p.study.simulation.failures_per_year.mean, 3));
        row.push_back(expectations_cell(p));
        row.push_back(p.cost.defined ? format_sig(p.cost.total_per_year.mean, 4) : "-");
        rows.push_back(row);
    }
    std::vector<std::size_t> width(header.size(), 0);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line = " ";
        for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format(" {:>{}}", row[c], width[c]);
        out += line + "\n";
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
    std::string out;
    for (const std::string& k : s.keys) out += csv_quote(k) + ",";
    out += "availability,availability_ci95_lo,availability_ci95_hi,unavailability,downtime_h_per_year,"
           "downtime_ci95_lo,downtime_ci95_hi,failures_per_year,failures_ci95_lo,failures_ci95_hi,mtbf_h,"
           "expectations,cost_per_year,cost_ci95_lo,cost_ci95_hi,replications\n";
    for (const study::SweepPoint& p : s.points) {
        for (const Assignment& a : p.assignments) out += csv_quote(a.value) + ",";
        const sim::SimulationResults& r = p.study.simulation;
        out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", num(r.availability.mean), num(r.availability.lo),
                           num(r.availability.hi), num(r.unavailability.mean), num(r.downtime_h_per_year.mean),
                           num(r.downtime_h_per_year.lo), num(r.downtime_h_per_year.hi), num(r.failures_per_year.mean),
                           num(r.failures_per_year.lo), num(r.failures_per_year.hi), num(r.mtbf_h.mean),
                           p.has_expectations ? study::to_string(p.expectations) : "",
                           p.cost.defined ? num(p.cost.total_per_year.mean) : "", p.cost.defined ? num(p.cost.total_per_year.lo) : "",
                           p.cost.defined ? num(p.cost.total_per_year.hi) : "", r.replications);
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
        const sim::SimulationResults& r = p.study.simulation;
        pj["availability"] = {{"mean", r.availability.mean}, {"ci95", {r.availability.lo, r.availability.hi}}};
        pj["downtime_per_year_h"] = {{"mean", r.downtime_h_per_year.mean}, {"ci95", {r.downtime_h_per_year.lo, r.downtime_h_per_year.hi}}};
        pj["system_failures_per_year"] = {{"mean", r.failures_per_year.mean}, {"ci95", {r.failures_per_year.lo, r.failures_per_year.hi}}};
        pj["expectations"] = p.has_expectations ? json(study::to_string(p.expectations)) : json(nullptr);
        pj["expectation_results"] = expectations_to_json(p.study.expectations);
        pj["cost_per_year"] = p.cost.defined ? json{{"mean", p.cost.total_per_year.mean},
                                                    {"ci95", {p.cost.total_per_year.lo, p.cost.total_per_year.hi}},
                                                    {"ownership", p.cost.ownership_per_year}}
                                             : json(nullptr);
        pj["replications"] = r.replications;
        points.push_back(pj);
    }
    j["points"] = points;
    j["cheapest_meeting_expectations"] =
        s.cheapest_meeting_expectations >= 0 ? json(s.points[static_cast<std::size_t>(s.cheapest_meeting_expectations)].label) : json(nullptr);
    return j;
}

}  // namespace nines::report
