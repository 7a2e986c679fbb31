#include "report/compare_report.h"

#include <cmath>

#include <fmt/format.h>

#include "report/json_report.h"
#include "report/text_report.h"
#include "model/metric_registry.h"
#include "study/metrics.h"
#include "model/units_format.h"

namespace nines::report {

namespace {

using json = nlohmann::ordered_json;

json estimate(const sim::Estimate& e) {
    return {{"mean", json_number(e.mean)}, {"ci95", e.has_ci ? json::array({json_number(e.lo), json_number(e.hi)}) : json(nullptr)}};
}

std::string sig_range(const sim::Estimate& e) {
    return fmt::format("{} (95% CI {} .. {})", format_sig(e.mean, 3), format_sig(e.lo, 3), format_sig(e.hi, 3));
}

}  // namespace

std::string compare_to_text(const study::CompareResults& c) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{""};
    for (std::size_t i = 0; i < c.designs.size(); ++i) {
        const auto& d = c.designs[i];
        header.push_back(fmt::format("{}: {}", static_cast<char>('A' + i), d.name.empty() ? d.file : d.name));
    }
    rows.push_back(header);
    auto add = [&](const std::string& label, const std::function<std::string(const study::ComparedDesign&)>& cell) {
        std::vector<std::string> row{label};
        for (const auto& d : c.designs) row.push_back(cell(d));
        rows.push_back(row);
    };
    // The headline metrics (registry), each under its text label.
    for (const MetricSpec* m : headline_metrics()) {
        add(m->text_label, [m](const study::ComparedDesign& d) { return metric_cell(*m, study::measure(m->id, d.study.simulation)); });
    }
    add("cost per year", [](const study::ComparedDesign& d) { return d.cost.defined ? format_sig(d.cost.total_per_year.mean, 4) : std::string("-"); });
    std::vector<std::size_t> width(header.size(), 0);
    for (const auto& row : rows) {
        for (std::size_t k = 0; k < row.size(); ++k) width[k] = std::max(width[k], row[k].size());
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line = fmt::format("  {:<{}}", row[0], width[0]);
        for (std::size_t k = 1; k < row.size(); ++k) line += fmt::format("  {:>{}}", row[k], width[k]);
        out += line + "\n";
    }
    const auto& s = c.designs.front().study.simulation;
    out += fmt::format("\ndifferences against A ({} replications each, seed {}, common random numbers):\n", format_count(s.replications), s.seed);
    for (std::size_t i = 1; i < c.designs.size(); ++i) {
        const auto& d = c.designs[i];
        out += fmt::format("  {} - A  unavailability     {}\n", static_cast<char>('A' + i), sig_range(d.unavailability.paired));
        out += fmt::format("          failures per year  {}\n", sig_range(d.failures_per_year.paired));
        out += fmt::format("          common random numbers narrow these intervals {:.1f}x and {:.1f}x against independent runs\n",
                           d.unavailability.width_ratio, d.failures_per_year.width_ratio);
    }
    return out;
}

json compare_to_json(const study::CompareResults& c) {
    json j;
    j["format"] = "nines-compare";
    j["format_version"] = 1;
    json designs = json::array();
    for (std::size_t i = 0; i < c.designs.size(); ++i) {
        const auto& d = c.designs[i];
        const auto& r = d.study.simulation;
        json dj;
        dj["file"] = d.file;
        dj["name"] = d.name;
        for (const MetricSpec* m : headline_metrics()) {
            const study::MetricValue v = study::measure(m->id, r);
            dj[result_key(*m)] = v.measurable ? estimate(v.estimate) : json(nullptr);
        }
        dj["cost_per_year"] = d.cost.defined ? estimate(d.cost.total_per_year) : json(nullptr);
        if (i > 0) {
            auto diff = [](const study::Difference& x) {
                return json{{"paired", estimate(x.paired)}, {"independent", estimate(x.independent)}, {"ci_width_ratio", x.width_ratio}};
            };
            dj["difference_vs_first"] = {{"unavailability", diff(d.unavailability)}, {"failures_per_year", diff(d.failures_per_year)}};
        }
        designs.push_back(dj);
    }
    j["designs"] = designs;
    return j;
}

}  // namespace nines::report
