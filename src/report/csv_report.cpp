#include "report/csv_report.h"

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

    std::ostringstream summary;
    summary << "metric,mean,ci95_lo,ci95_hi\n";
    estimate_row(summary, row(MetricId::Availability), r.availability);
    estimate_row(summary, row(MetricId::Unavailability), r.unavailability);
    estimate_row(summary, row(MetricId::Nines), r.nines);
    estimate_row(summary, row(MetricId::DowntimePerYear), r.downtime_h_per_year);
    if (r.year_downtime.count > 0) {
        const char* names[] = {row(MetricId::DowntimePerYearP50), row(MetricId::DowntimePerYearP95), row(MetricId::DowntimePerYearP99)};
        for (std::size_t k = 0; k < 3; ++k) percentile_row(summary, names[k], r.year_downtime_percentiles[k]);
    }
    if (r.budget_h) estimate_row(summary, row(MetricId::BudgetExceeded), r.budget_exceeded);
    estimate_row(summary, row(MetricId::FailuresPerYear), r.failures_per_year);
    estimate_row(summary, row(MetricId::Mtbf), r.mtbf_h);
    if (r.has_planned_outages) {
        estimate_row(summary, "planned_outages_per_year", r.planned_outages_per_year);
        estimate_row(summary, "planned_downtime_per_year_h", r.planned_downtime_h_per_year);
        estimate_row(summary, "unplanned_downtime_per_year_h", r.unplanned_downtime_h_per_year);
    }
    if (r.has_failover) {
        estimate_row(summary, row(MetricId::FailoverOutagesPerYear), r.failover_outages_per_year);
        estimate_row(summary, row(MetricId::FailoverDowntimePerYear), r.failover_downtime_h_per_year);
    }
    estimate_row(summary, row(MetricId::MeanOutage), r.mean_outage_h);
    if (r.outage.count > 0) {
        const char* names[] = {row(MetricId::OutageP50), row(MetricId::OutageP95), row(MetricId::OutageP99)};
        for (std::size_t k = 0; k < 3; ++k) percentile_row(summary, names[k], r.outage_km.percentiles[k]);
        summary << row(MetricId::OutageMax) << "," << num(r.outage.max) << ",,\n";
    }
    if (r.censored > 0) {
        // Censored: a 95% lower confidence bound of the MTTF, and the mean restricted to the horizon.
        summary << row(MetricId::Mttf) << "_lower_bound95," << num(r.mttf_lower_bound_h) << ",,\n";
        estimate_row(summary, (std::string(row(MetricId::Mttf)) + "_restricted_mean").c_str(), r.first_failure_km.mean);
    } else {
        estimate_row(summary, row(MetricId::Mttf), r.mttf_h);
    }
    files.add((dir / "summary.csv").string(), summary.str());

    std::ostringstream series;
    series << "t_h,availability,availability_ci95_lo,availability_ci95_hi,reliability\n";
    for (std::size_t g = 0; g < r.grid_t_h.size(); ++g) {
        series << num(r.grid_t_h[g]) << ',' << num(r.point_availability[g]) << ',' << num(r.point_availability_lo[g])
               << ',' << num(r.point_availability_hi[g]) << ',' << num(r.reliability[g]) << '\n';
    }
    files.add((dir / "time_series.csv").string(), series.str());

    std::ostringstream comps;
    comps << "component,instances,failures_per_year,downtime_h_per_year,unavailability,outages_involved,outage_share,downtime_share\n";
    for (const sim::ComponentResult& c : r.components) {
        comps << csv_quote(c.name) << ',' << c.instances << ',' << num(c.failures_per_year) << ','
              << num(c.downtime_h_per_year) << ',' << num(c.unavailability) << ',' << c.outages_involved << ','
              << num(c.outage_share) << ',' << num(c.downtime_share) << '\n';
    }
    files.add((dir / "components.csv").string(), comps.str());

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

    std::ostringstream outages;
    outages << "duration_h\n";
    for (double d : r.outage_samples_h) outages << num(d) << '\n';
    files.add((dir / "outages.csv").string(), outages.str());
}

}  // namespace nines::report
