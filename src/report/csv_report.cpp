#include "report/csv_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "model/error.h"
#include "model/metric_registry.h"

namespace nines::report {

namespace {

std::string num(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

void estimate_row(std::ostringstream& out, const char* metric, const sim::Estimate& e) {
    out << metric << ',' << num(e.mean) << ',' << (e.has_ci ? num(e.lo) : "") << ','
        << (e.has_ci ? num(e.hi) : "") << '\n';
}

// A percentile with its replication-unit interval; empty cells where it or a bound is out of reach.
void percentile_row(std::ostringstream& out, const char* metric, const sim::PercentileEstimate& p) {
    out << metric << ',' << (p.defined ? num(p.value) : "") << ',' << (p.defined && p.has_ci ? num(p.lo) : "") << ','
        << (p.defined && p.has_ci ? num(p.hi) : "") << '\n';
}

// A metric's row name in summary.csv, from the metric registry.
const char* row(MetricId id) { return metric_spec(id).csv_name; }

// Component names joined by ';' (one CSV cell).
std::string component_names(const sim::SimulationResults& r, const std::vector<int>& indices) {
    std::string out;
    for (int c : indices) {
        if (!out.empty()) out += ';';
        out += r.components[static_cast<std::size_t>(c)].name;
    }
    return csv_quote(out);
}

std::string outages_csv(const sim::SimulationResults& r) {
    std::ostringstream out;
    out << "replication,start_h,end_h,duration_h,open_at_horizon,kind,cause,components_down\n";
    for (const sim::OutageResult& o : r.outage_list) {
        out << o.replication << ',' << num(o.start_h) << ',' << num(o.end_h) << ',' << num(o.end_h - o.start_h) << ','
            << (o.open ? 1 : 0) << ',' << (o.planned ? "planned" : "unplanned") << ',' << component_names(r, o.causes)
            << ',' << component_names(r, o.components_down) << '\n';
    }
    return out.str();
}

std::string summary_csv(const sim::SimulationResults& r) {
    // The same rows for every run: a figure that is undefined (no budget, no completed outage, no
    // planned work) leaves its cells empty rather than dropping or renaming the row.
    std::ostringstream summary;
    const sim::Estimate none{std::nan(""), 0, 0, 0, false};
    summary << "metric,mean,ci95_lo,ci95_hi\n";
    estimate_row(summary, row(MetricId::Availability), r.availability);
    estimate_row(summary, row(MetricId::Unavailability), r.unavailability);
    estimate_row(summary, row(MetricId::Nines), r.nines);
    estimate_row(summary, row(MetricId::DowntimePerYear), r.downtime_h_per_year);
    const sim::PercentileEstimate undefined{};
    const char* year_names[] = {row(MetricId::DowntimePerYearP50), row(MetricId::DowntimePerYearP95), row(MetricId::DowntimePerYearP99)};
    for (std::size_t k = 0; k < 3; ++k) {
        percentile_row(summary, year_names[k],
                       r.year_downtime.count > 0 && k < r.year_downtime_percentiles.size() ? r.year_downtime_percentiles[k] : undefined);
    }
    if (r.budget_h) {
        estimate_row(summary, row(MetricId::BudgetExceeded), r.budget_exceeded);
    } else {
        summary << row(MetricId::BudgetExceeded) << ",,,\n";
    }
    summary << "budget_h," << (r.budget_h ? num(*r.budget_h) : "") << ",,\n";
    estimate_row(summary, row(MetricId::FailuresPerYear), r.failures_per_year);
    estimate_row(summary, row(MetricId::Mtbf), r.mtbf_h);
    summary << "system_outages," << r.system_outages << ",,\n";
    summary << "unplanned_outages," << r.unplanned_outages << ",,\n";
    summary << "planned_outages," << r.planned_outages << ",,\n";
    estimate_row(summary, "planned_outages_per_year", r.has_planned_outages ? r.planned_outages_per_year : none);
    estimate_row(summary, "planned_downtime_per_year_h", r.has_planned_outages ? r.planned_downtime_h_per_year : none);
    estimate_row(summary, "unplanned_downtime_per_year_h",
                 r.has_planned_outages ? r.unplanned_downtime_h_per_year : r.downtime_h_per_year);
    estimate_row(summary, row(MetricId::FailoverOutagesPerYear), r.has_failover ? r.failover_outages_per_year : none);
    estimate_row(summary, row(MetricId::FailoverDowntimePerYear), r.has_failover ? r.failover_downtime_h_per_year : none);
    estimate_row(summary, row(MetricId::ServedFraction), r.service.served_fraction);
    estimate_row(summary, row(MetricId::DegradedPerYear), r.service.degraded_h_per_year);
    estimate_row(summary, row(MetricId::UnservedPerYear), r.service.unserved_h_per_year);
    estimate_row(summary, row(MetricId::MeanOutage), r.mean_outage_h);
    const char* outage_names[] = {row(MetricId::OutageP50), row(MetricId::OutageP95), row(MetricId::OutageP99)};
    for (std::size_t k = 0; k < 3; ++k) {
        percentile_row(summary, outage_names[k],
                       r.outage.count > 0 && k < r.outage_km.percentiles.size() ? r.outage_km.percentiles[k] : undefined);
    }
    summary << row(MetricId::OutageMax) << "," << (r.outage.count > 0 ? num(r.outage.max) : "") << ",,\n";
    summary << "outages_open_at_horizon," << r.open_outages << ",,\n";
    // The MTTF row keeps its name when replications are censored: its mean is then the mean restricted
    // to the horizon (a lower bound, with no two-sided interval), as in the JSON's mttf_h.
    estimate_row(summary, row(MetricId::Mttf), r.mttf_h);
    summary << row(MetricId::Mttf) << "_is_lower_bound," << (r.censored > 0 ? 1 : 0) << ",,\n";
    summary << row(MetricId::Mttf) << "_lower_bound95," << (r.censored > 0 ? num(r.mttf_lower_bound_h) : "") << ",,\n";
    summary << "censored_replications," << r.censored << ",,\n";
    summary << "replications," << r.replications << ",,\n";
    summary << "events," << r.events << ",,\n";
    return summary.str();
}

std::string components_csv(const sim::SimulationResults& r) {
    std::ostringstream comps;
    comps << "component,instances,failures_per_year,failures_per_year_ci95_lo,failures_per_year_ci95_hi,"
             "downtime_h_per_year,downtime_h_per_year_ci95_lo,downtime_h_per_year_ci95_hi,unavailability,"
             "repairs_started,mean_wait_for_crew_h,stockouts,mean_wait_for_spare_h,outages_involved,outage_share,downtime_share\n";
    for (const sim::ComponentResult& c : r.components) {
        const sim::Estimate& f = c.failures_per_year_ci;
        const sim::Estimate& d = c.downtime_h_per_year_ci;
        comps << csv_quote(c.name) << ',' << c.instances << ',' << num(c.failures_per_year) << ','
              << (f.has_ci ? num(f.lo) : "") << ',' << (f.has_ci ? num(f.hi) : "") << ',' << num(c.downtime_h_per_year)
              << ',' << (d.has_ci ? num(d.lo) : "") << ',' << (d.has_ci ? num(d.hi) : "") << ','
              << num(c.unavailability) << ',' << c.repairs_started << ',' << num(c.mean_wait_h) << ',' << c.stockouts
              << ',' << num(c.mean_spare_wait_h) << ',' << c.outages_involved << ',' << num(c.outage_share) << ','
              << num(c.downtime_share) << '\n';
    }
    return comps.str();
}

std::string cells_csv(const sim::SimulationResults& r) {
    std::ostringstream cells;
    cells << "cell_start_h,cell_end_h,availability,availability_ci95_lo,availability_ci95_hi\n";
    for (std::size_t k = 0; k < r.cell_start_h.size(); ++k) {
        const double end = k + 1 < r.cell_start_h.size() ? r.cell_start_h[k + 1] : r.horizon_h;
        cells << num(r.cell_start_h[k]) << ',' << num(std::min(end, r.horizon_h)) << ',' << num(r.cell_availability[k])
              << ',' << num(r.cell_availability_lo[k]) << ',' << num(r.cell_availability_hi[k]) << '\n';
    }
    return cells.str();
}

std::string pools_csv(const sim::SimulationResults& r) {
    std::ostringstream pools;
    pools << "pool,crews,utilisation\n";
    for (const sim::PoolResult& p : r.pools) pools << csv_quote(p.name) << ',' << p.crews << ',' << num(p.utilisation) << '\n';
    return pools.str();
}

void slo_estimate(std::ostringstream& out, const sim::Estimate& e) {
    out << ',' << num(e.mean) << ',' << (e.has_ci ? num(e.lo) : "") << ',' << (e.has_ci ? num(e.hi) : "");
}

// Degraded service (README "Degraded service"): the system, then each capacity block; each figure with
// its 95 % interval over replications.
std::string service_csv(const sim::SimulationResults& r) {
    std::ostringstream out;
    out << "block,mean_demand";
    for (const char* f : {"served_fraction", "degraded_per_year_h", "down_per_year_h", "unserved_per_year_h",
                          "unserved_capacity_h_per_year", "state_up", "state_degraded", "state_down"}) {
        out << ',' << f << ',' << f << "_ci95_lo," << f << "_ci95_hi";
    }
    out << '\n';
    std::vector<const sim::ServiceResult*> rows = {&r.service};
    for (const sim::ServiceResult& b : r.capacity_blocks) rows.push_back(&b);
    for (const sim::ServiceResult* b : rows) {
        out << csv_quote(b->name) << ',' << (b == &r.service ? std::string() : num(b->mean_demand));
        for (const sim::Estimate* e : {&b->served_fraction, &b->degraded_h_per_year, &b->down_h_per_year, &b->unserved_h_per_year,
                                       &b->unserved_capacity_h_per_year, &b->state_up, &b->state_degraded, &b->state_down}) {
            out << ',' << num(e->mean) << ',' << (e->has_ci ? num(e->lo) : "") << ',' << (e->has_ci ? num(e->hi) : "");
        }
        out << '\n';
    }
    return out.str();
}

std::string slo_csv(const sim::SimulationResults& r) {
    std::ostringstream slo;
    slo << "window,target,rolling,windows_per_replication,mean_window_h,budget_h,downtime_h,downtime_h_ci95_lo,"
           "downtime_h_ci95_hi,breach,breach_ci95_lo,breach_ci95_hi,budget_burn,budget_burn_ci95_lo,budget_burn_ci95_hi,"
           "worst_window_h,worst_window_h_ci95_lo,worst_window_h_ci95_hi,breach_time,breach_time_ci95_lo,breach_time_ci95_hi\n";
    const sim::Estimate none{std::nan(""), 0, 0, 0, false};
    for (const sim::SloResult& o : r.slos) {
        slo << csv_quote(o.window) << ',' << num(o.target) << ',' << (o.rolling ? 1 : 0) << ','
            << o.windows_per_replication << ',' << num(o.mean_window_h) << ',' << num(o.budget_h);
        slo_estimate(slo, o.downtime_h);
        slo_estimate(slo, o.breach);
        slo_estimate(slo, o.burn);
        slo_estimate(slo, o.years_per_replication > 0 ? o.worst_h : none);
        slo_estimate(slo, o.rolling ? o.breach_time : none);
        slo << '\n';
    }
    return slo.str();
}

}  // namespace


std::string csv_quote(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void write_csv_directory(const sim::SimulationResults& r, const std::string& directory, OutputFiles& files) {
    files.make_directory(directory);
    const std::filesystem::path dir(directory);
    files.add((dir / "summary.csv").string(), summary_csv(r));

    std::ostringstream series;
    series << "t_h,availability,availability_ci95_lo,availability_ci95_hi,reliability\n";
    for (std::size_t g = 0; g < r.grid_t_h.size(); ++g) {
        series << num(r.grid_t_h[g]) << ',' << num(r.point_availability[g]) << ',' << num(r.point_availability_lo[g])
               << ',' << num(r.point_availability_hi[g]) << ',' << num(r.reliability[g]) << '\n';
    }
    files.add((dir / "time_series.csv").string(), series.str());
    files.add((dir / "cells.csv").string(), cells_csv(r));
    files.add((dir / "components.csv").string(), components_csv(r));
    files.add((dir / "pools.csv").string(), pools_csv(r));
    if (!r.slos.empty()) files.add((dir / "slo.csv").string(), slo_csv(r));
    if (r.has_capacity) files.add((dir / "service.csv").string(), service_csv(r));

    // Downtime by cause: every cause, kinds' totals first (README "Downtime by cause").
    std::ostringstream causes;
    causes << "cause,kind,name,downtime_per_year_h,downtime_ci95_lo,downtime_ci95_hi,outages_per_year,outages_ci95_lo,"
              "outages_ci95_hi,downtime_share\n";
    for (const sim::CauseResult& c : r.causes) {
        causes << csv_quote(c.label) << ',' << c.kind << ',' << csv_quote(c.name) << ',' << num(c.downtime_h_per_year.mean) << ','
               << num(c.downtime_h_per_year.lo) << ',' << num(c.downtime_h_per_year.hi) << ',' << num(c.outages_per_year.mean)
               << ',' << num(c.outages_per_year.lo) << ',' << num(c.outages_per_year.hi) << ',' << num(c.downtime_share) << '\n';
    }
    files.add((dir / "causes.csv").string(), causes.str());

    std::ostringstream years;
    years << "year_index,downtime_h\n";
    for (std::size_t i = 0; i < r.year_downtime_samples_h.size(); ++i) {
        years << i << ',' << num(r.year_downtime_samples_h[i]) << '\n';
    }
    files.add((dir / "year_downtime.csv").string(), years.str());
    files.add((dir / "outages.csv").string(), outages_csv(r));
}

}  // namespace nines::report
