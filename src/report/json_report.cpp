#include "report/json_report.h"

#include <cmath>
#include <functional>

#include "report/analytic_report.h"
#include "report/check_report.h"
#include "report/check_wording.h"
#include "report/rare_event_report.h"
#include "sim/log_histogram.h"

namespace nines::report {

namespace {

using json = nlohmann::ordered_json;


json estimate(const sim::Estimate& e) {
    json j;
    j["mean"] = json_number(e.mean);
    j["ci95"] = e.has_ci ? json::array({json_number(e.lo), json_number(e.hi)}) : json(nullptr);
    j["std_error"] = e.has_ci ? json_number(e.std_error) : json(nullptr);
    return j;
}

// Percentile intervals (replication as the unit); null where the data do not reach the percentile or a bound.
json percentile_intervals(const std::vector<sim::PercentileEstimate>& ps) {
    json j = json::object();
    for (const sim::PercentileEstimate& p : ps) {
        const std::string key = "p" + std::to_string(static_cast<int>(std::lround(p.p * 100)));
        j[key] = p.defined && p.has_ci ? json::array({json_number(p.lo), json_number(p.hi)}) : json(nullptr);
    }
    return j;
}

// Where a distribution's percentiles come from (README "Percentiles from log histograms"): the values
// themselves, or exact-count log bins whose midpoints are within `relative` of the values' percentiles.
json percentile_precision(const std::vector<sim::PercentileEstimate>& ps) {
    const double relative = ps.empty() ? 0.0 : ps.front().relative_precision;
    if (relative == 0) return json{{"source", "values"}, {"relative", 0}};
    return json{{"source", "log_histogram"}, {"relative", relative}, {"batches", sim::BatchedLogHistogram::kBatches}};
}

json summary(const sim::DistributionSummary& d) {
    json j;
    j["count"] = d.count;
    if (d.count == 0) {
        for (const char* k : {"mean", "p50", "p95", "p99", "max"}) j[k] = nullptr;
        return j;
    }
    j["mean"] = json_number(d.mean);
    j["p50"] = json_number(d.p50);
    j["p95"] = json_number(d.p95);
    j["p99"] = json_number(d.p99);
    j["max"] = json_number(d.max);
    return j;
}

json component_row(const sim::ComponentResult& c);
json cause_row(const sim::CauseResult& c);

// The per-component tables ("components", "downtime_by_cause") hold a row per component: at a million
// components, as a tree of nlohmann values, several GB. run_to_json_text writes them row by row into the
// text instead: the tree gets a marker in their place (`tables` false), replaced in its dump by the rows,
// each dumped alone and indented as the whole dump indents it (byte-identical: the test
// "run JSON text ..." compares it with the tree's dump).
const char* const kComponentsMarker = "\u0001nines-components-table\u0001";
const char* const kCausesMarker = "\u0001nines-causes-table\u0001";

json results_tree(const sim::SimulationResults& r, bool tables);

}  // namespace

json json_number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json results_to_json_without_timing(const sim::SimulationResults& r) { return results_tree(r, true); }

namespace {

json component_row(const sim::ComponentResult& c) {
    return {{"name", c.name},
            {"instances", c.instances},
            {"failures_per_year", json_number(c.failures_per_year)},
            {"downtime_h_per_year", json_number(c.downtime_h_per_year)},
            {"unavailability", json_number(c.unavailability)},
            {"repairs_started", c.repairs_started},
            {"mean_wait_for_crew_h", json_number(c.mean_wait_h)},
            {"stockouts", c.stockouts},
            {"mean_wait_for_spare_h", json_number(c.mean_spare_wait_h)},
            {"outages_involved", c.outages_involved},
            {"outage_share", json_number(c.outage_share)},
            {"downtime_share", json_number(c.downtime_share)}};
}

json cause_row(const sim::CauseResult& c) {
    return {{"cause", c.label},
            {"kind", c.kind},
            {"name", c.name.empty() ? json(nullptr) : json(c.name)},
            {"downtime_per_year_h", estimate(c.downtime_h_per_year)},
            {"outages_per_year", estimate(c.outages_per_year)},
            {"downtime_share", json_number(c.downtime_share)}};
}

// An array of a top-level key as dump(2) writes it (the array at depth 1, its rows at depth 2), one
// row in memory at a time, handed to `sink` in pieces of about a megabyte.
template <class Row, class ToJson>
void write_table(const std::vector<Row>& rows, ToJson to_json, const std::function<void(const std::string&)>& sink) {
    if (rows.empty()) {
        sink("[]");
        return;
    }
    std::string out = "[\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string row = to_json(rows[i]).dump(2);
        out += "    ";
        for (char ch : row) {
            out += ch;
            if (ch == '\n') out += "    ";  // JSON strings escape their line breaks: every \n is the layout's
        }
        out += i + 1 < rows.size() ? ",\n" : "\n";
        if (out.size() > (1U << 20)) {
            sink(out);
            out.clear();
        }
    }
    out += "  ]";
    sink(out);
}

json results_tree(const sim::SimulationResults& r, bool tables) {
    json j;
    j["format"] = "nines-results";
    j["format_version"] = kJsonFormatVersion;
    j["nines_version"] = NINES_VERSION;
    j["scenario"] = {{"name", r.scenario_name}, {"file", r.scenario_file}};
    j["settings"] = {{"horizon_h", r.horizon_h},       {"warmup_h", r.warmup_h}, {"replications", r.replications},
                     {"seed", r.seed},                 {"grid_step_h", r.grid_step_h}};
    json s;
    s["availability"] = estimate(r.availability);
    s["unavailability"] = estimate(r.unavailability);
    s["nines"] = estimate(r.nines);
    json dt = estimate(r.downtime_h_per_year);
    const json years = summary(r.year_downtime);
    dt["years_sampled"] = years["count"];
    dt["p50"] = years["p50"];
    dt["p95"] = years["p95"];
    dt["p99"] = years["p99"];
    dt["max"] = years["max"];
    dt["percentiles_ci95"] = percentile_intervals(r.year_downtime_percentiles);
    s["downtime_per_year_h"] = dt;
    if (r.budget_h) {
        json b = estimate(r.budget_exceeded);
        b["budget_h"] = *r.budget_h;
        s["budget_exceeded"] = b;
    } else {
        s["budget_exceeded"] = nullptr;
    }
    s["system_outages"] = r.system_outages;
    s["system_failures_per_year"] = estimate(r.failures_per_year);
    s["mtbf_h"] = estimate(r.mtbf_h);
    // Outages by cause: unplanned ones are the system failures; planned ones come from maintenance and
    // inspections alone. Their downtimes add up to downtime_per_year_h.
    s["outages_by_cause"] = {
        {"unplanned", {{"count", r.unplanned_outages}, {"downtime_per_year_h", estimate(r.unplanned_downtime_h_per_year)}}},
        {"planned", {{"count", r.planned_outages}, {"per_year", estimate(r.planned_outages_per_year)},
                     {"downtime_per_year_h", estimate(r.planned_downtime_h_per_year)}}}};
    json outage = estimate(r.mean_outage_h);
    const json os = summary(r.outage);
    outage["count"] = os["count"];
    outage["p50"] = os["p50"];
    outage["p95"] = os["p95"];
    outage["p99"] = os["p99"];
    outage["max"] = os["max"];
    outage["open_at_horizon"] = r.open_outages;
    outage["restricted_to_h"] = r.open_outages > 0 && !r.outage_km.reaches_zero ? json_number(r.outage_km.restricted_to_h) : json(nullptr);
    outage["percentiles_ci95"] = percentile_intervals(r.outage_km.percentiles);
    s["outage_h"] = outage;
    json ff = estimate(r.mttf_h);
    ff["failed_replications"] = r.first_failures;
    ff["censored_replications"] = r.censored;
    ff["is_lower_bound"] = r.censored > 0;
    ff["lower_bound95_h"] = r.censored > 0 ? json_number(r.mttf_lower_bound_h) : json(nullptr);
    ff["restricted_mean_h"] = r.censored > 0 ? estimate(r.first_failure_km.mean) : json(nullptr);
    s["mttf_h"] = ff;
    s["intervals_reliable"] = r.intervals_reliable;
    // Degraded service (README "Degraded service"): for every model; without capacity blocks the
    // system serves all or nothing (served fraction = availability, never degraded).
    s["served_fraction"] = estimate(r.service.served_fraction);
    s["degraded_per_year_h"] = estimate(r.service.degraded_h_per_year);
    s["unserved_per_year_h"] = estimate(r.service.unserved_h_per_year);
    s["service_state"] = {{"up", estimate(r.service.state_up)},
                          {"degraded", estimate(r.service.state_degraded)},
                          {"down", estimate(r.service.state_down)}};
    j["results"] = s;
    j["time_series"] = {{"t_h", r.grid_t_h},
                        {"availability", r.point_availability},
                        {"availability_ci95_lo", r.point_availability_lo},
                        {"availability_ci95_hi", r.point_availability_hi},
                        {"reliability", r.reliability},
                        {"cell_start_h", r.cell_start_h},
                        {"cell_availability", r.cell_availability},
                        {"cell_availability_ci95_lo", r.cell_availability_lo},
                        {"cell_availability_ci95_hi", r.cell_availability_hi}};
    if (tables) {
        json comps = json::array();
        for (const sim::ComponentResult& c : r.components) comps.push_back(component_row(c));
        j["components"] = comps;
    } else {
        j["components"] = kComponentsMarker;
    }
    // Downtime by cause (README "Downtime by cause"): the kinds' totals first, then each component,
    // domain and change stream.
    if (tables) {
        json causes = json::array();
        for (const sim::CauseResult& c : r.causes) causes.push_back(cause_row(c));
        j["downtime_by_cause"] = causes;
    } else {
        j["downtime_by_cause"] = kCausesMarker;
    }
    json pools = json::array();
    for (const sim::PoolResult& p : r.pools) {
        pools.push_back({{"name", p.name}, {"crews", p.crews}, {"utilisation", json_number(p.utilisation)}});
    }
    j["repair_pools"] = pools;
    // SLO windows: only when the scenario has `slo:` (results of other scenarios stay as they were).
    if (!r.slos.empty()) {
        json slos = json::array();
        for (const sim::SloResult& o : r.slos) {
            json d = estimate(o.downtime_h);
            d["percentiles_ci95"] = percentile_intervals(o.downtime_percentiles);
            d["percentile_precision"] = percentile_precision(o.downtime_percentiles);
            for (const sim::PercentileEstimate& p : o.downtime_percentiles) {
                d["p" + std::to_string(static_cast<int>(std::lround(p.p * 100)))] = json_number(p.value);
            }
            json worst = nullptr;
            if (o.years_per_replication > 0) {
                worst = estimate(o.worst_h);
                worst["percentiles_ci95"] = percentile_intervals(o.worst_percentiles);
                worst["percentile_precision"] = percentile_precision(o.worst_percentiles);
                for (const sim::PercentileEstimate& p : o.worst_percentiles) {
                    worst["p" + std::to_string(static_cast<int>(std::lround(p.p * 100)))] = json_number(p.value);
                }
            }
            slos.push_back({{"window", o.window},
                            {"target", o.target},
                            {"rolling", o.rolling},
                            {"measure", o.capacity_weighted ? "capacity_weighted" : "availability"},
                            {"windows_per_replication", o.windows_per_replication},
                            {"mean_window_h", json_number(o.mean_window_h)},
                            {"budget_h", json_number(o.budget_h)},
                            {"downtime_h", d},
                            {"breach", estimate(o.breach)},
                            {"budget_burn", estimate(o.burn)},
                            {"years_per_replication", o.years_per_replication},
                            {"worst_window_h", worst},
                            {"breach_time", o.rolling ? estimate(o.breach_time) : json(nullptr)}});
        }
        j["slo"] = slos;
    }
    if (r.has_capacity) {
        // Each capacity block's degraded service (a section of its own, only with capacity blocks).
        json blocks = json::array();
        for (const sim::ServiceResult& b : r.capacity_blocks) {
            blocks.push_back({{"name", b.name},
                              {"mean_demand", json_number(b.mean_demand)},
                              {"served_fraction", estimate(b.served_fraction)},
                              {"degraded_per_year_h", estimate(b.degraded_h_per_year)},
                              {"down_per_year_h", estimate(b.down_h_per_year)},
                              {"unserved_per_year_h", estimate(b.unserved_h_per_year)},
                              {"unserved_capacity_h_per_year", estimate(b.unserved_capacity_h_per_year)},
                              {"state", {{"up", estimate(b.state_up)},
                                         {"degraded", estimate(b.state_degraded)},
                                         {"down", estimate(b.state_down)}}}});
        }
        j["capacity_blocks"] = blocks;
    }
    if (r.has_failover) {
        // Failover groups (a section of its own, like slo, only when the model has some): system downtime
        // while a group changes its carrying member, and those changes.
        j["failover"] = {{"count", r.failover_outages},
                         {"outages_per_year", estimate(r.failover_outages_per_year)},
                         {"downtime_per_year_h", estimate(r.failover_downtime_h_per_year)}};
    }
    j["events"] = r.events;
    j["notes"] = r.notes;
    return j;
}

json run_tree(const study::StudyResults& study, const study::CostEstimate& cost, bool tables);

}  // namespace

json results_to_json(const sim::SimulationResults& r) {
    json j = results_to_json_without_timing(r);
    j["timing"] = {{"wall_s", r.wall_seconds}, {"events_per_s", r.events_per_second}, {"threads", r.threads}};
    return j;
}

json operations_cost_to_json(const study::CostEstimate& cost) {
    return {{"crews", cost.crews_per_year},
            {"spares", cost.spares_per_year},
            {"logistics", cost.logistics_per_year},
            {"total", cost.operations_per_year}};
}

json run_to_json(const study::StudyResults& study, const study::CostEstimate& cost) { return run_tree(study, cost, true); }

namespace {

json run_tree(const study::StudyResults& study, const study::CostEstimate& cost, bool tables) {
    json j = results_tree(study.simulation, tables);
    j["crosscheck"] = crosscheck_to_json(study.crosscheck);
    if (study.served_crosscheck) j["crosscheck_served"] = crosscheck_to_json(*study.served_crosscheck);
    if (study.precision) j["precision"] = describe(*study.precision);
    j["method"] = study.rare_event ? rare_event_method_name(study.rare_event->method) : "plain";
    j["method_reason"] = study.method_reason;
    j["rare_event"] = study.rare_event ? rare_event_to_json(*study.rare_event) : nlohmann::ordered_json(nullptr);
    if (cost.defined) {
        j["cost_per_year"] = {{"mean", cost.total_per_year.mean},
                              {"ci95", {cost.total_per_year.lo, cost.total_per_year.hi}},
                              {"ownership", cost.ownership_per_year},
                              {"downtime", cost.downtime_per_year.mean}};
        if (cost.operations_per_year > 0) j["cost_per_year"]["operations"] = operations_cost_to_json(cost);
    }
    j["expectations"] = expectations_to_json(study.expectations);
    const sim::SimulationResults& r = study.simulation;
    j["timing"] = {{"wall_s", r.wall_seconds}, {"events_per_s", r.events_per_second}, {"threads", r.threads}};
    if (study.rare_event) j["timing"]["rare_event_wall_s"] = study.rare_event->wall_seconds;
    return j;
}

}  // namespace

void write_run_json(const study::StudyResults& study, const study::CostEstimate& cost,
                    const std::function<void(const std::string&)>& sink) {
    const std::string skeleton = run_tree(study, cost, false).dump(2) + "\n";
    const std::string components = json(kComponentsMarker).dump();
    const std::string causes = json(kCausesMarker).dump();
    const std::size_t at_components = skeleton.find(components);
    const std::size_t at_causes = skeleton.find(causes, at_components);
    sink(skeleton.substr(0, at_components));
    write_table(study.simulation.components, component_row, sink);
    sink(skeleton.substr(at_components + components.size(), at_causes - at_components - components.size()));
    write_table(study.simulation.causes, cause_row, sink);
    sink(skeleton.substr(at_causes + causes.size()));
}

std::string run_to_json_text(const study::StudyResults& study, const study::CostEstimate& cost) {
    std::string text;
    write_run_json(study, cost, [&text](const std::string& piece) { text += piece; });
    return text;
}

}  // namespace nines::report
