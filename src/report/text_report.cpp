#include "report/text_report.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "model/metric_registry.h"
#include "model/units_format.h"

namespace nines::report {

namespace {

struct Row {
    std::string label;
    std::string value;
    std::string ci;
    std::string extra;
};

std::string duration_range(const sim::Estimate& e) {
    if (!e.has_ci) return "";
    const std::string unit = duration_unit_for(e.mean);
    return "95% CI " + format_duration_in(e.lo, unit) + " .. " + format_duration_in(e.hi, unit);
}

std::string render(const std::vector<Row>& rows) {
    std::size_t w0 = 0, w1 = 0, w2 = 0;
    for (const Row& r : rows) {
        w0 = std::max(w0, r.label.size());
        w1 = std::max(w1, r.value.size());
        w2 = std::max(w2, r.ci.size());
    }
    std::string out;
    for (const Row& r : rows) {
        std::string line = fmt::format("  {:<{}}  {:>{}}  {:<{}}  {}", r.label, w0, r.value, w1, r.ci, w2, r.extra);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

// A metric's row label, from the metric registry.
std::string label(MetricId id) { return metric_spec(id).text_label; }

// Downtime by cause: each kind with downtime, then its components, domains or streams (indented);
// causes without downtime are left out (the JSON lists them all).
std::string causes_to_text(const sim::SimulationResults& r) {
    std::vector<Row> rows;
    rows.push_back({"downtime by cause", "downtime/y", "", "outages/y   share of downtime"});
    auto row = [&](const sim::CauseResult& c, const std::string& name) {
        rows.push_back({name, format_duration(c.downtime_h_per_year.mean), duration_range(c.downtime_h_per_year),
                        fmt::format("{:<11} {}", format_sig(c.outages_per_year.mean, 3), format_percent(c.downtime_share, 1))});
    };
    for (const sim::CauseResult& kind : r.causes) {
        if (!kind.name.empty() || kind.downtime_h_per_year.mean <= 0) continue;
        row(kind, kind.kind);
        for (const sim::CauseResult& c : r.causes) {
            if (c.kind == kind.kind && !c.name.empty() && c.downtime_h_per_year.mean > 0) row(c, "  " + c.name);
        }
    }
    if (rows.size() == 1) return "";
    return "\n" + render(rows);
}

// Degraded service (models with capacity blocks): the system's and each capacity block's served
// fraction, time degraded and down, and unserved demand (README "Degraded service").
std::string service_to_text(const sim::SimulationResults& r) {
    if (!r.has_capacity) return "";
    std::vector<Row> rows;
    rows.push_back({"degraded service", "served", "", fmt::format("{:<11} {:<11} {}", "degraded/y", "down/y", "unserved/y")});
    auto row = [&](const sim::ServiceResult& b, const std::string& name, bool system) {
        const sim::Estimate& s = b.served_fraction;
        const int digits = digits_for((s.hi - s.lo) * 50.0, 3, 9);
        std::string unserved = format_duration(b.unserved_h_per_year.mean);
        if (!system) {
            unserved += fmt::format(" ({} capacity-h of demand {})", format_sig(b.unserved_capacity_h_per_year.mean, 3),
                                    format_sig(b.mean_demand, 4));
        }
        rows.push_back({name, format_percent(s.mean, digits),
                        s.has_ci ? "95% CI " + format_percent(s.lo, digits) + " .. " + format_percent(s.hi, digits) : "",
                        fmt::format("{:<11} {:<11} {}", format_duration(b.degraded_h_per_year.mean),
                                    format_duration(b.down_h_per_year.mean), unserved)});
    };
    row(r.service, "system", true);
    for (const sim::ServiceResult& b : r.capacity_blocks) row(b, "  " + b.name, false);
    return "\n" + render(rows);
}

}  // namespace

std::vector<const sim::ComponentResult*> components_by_downtime_share(const sim::SimulationResults& r) {
    std::vector<const sim::ComponentResult*> out;
    for (const sim::ComponentResult& c : r.components) out.push_back(&c);
    std::stable_sort(out.begin(), out.end(), [](const sim::ComponentResult* a, const sim::ComponentResult* b) {
        return a->downtime_share > b->downtime_share;
    });
    return out;
}

std::string results_to_text(const sim::SimulationResults& r, const std::string& extra) {
    std::string out;
    const std::string title = r.scenario_name.empty() ? r.scenario_file : r.scenario_name;
    out += fmt::format("{}\n", title);
    out += fmt::format("{} replications x {} horizon{}, seed {}\n\n", format_count(r.replications),
                       format_duration(r.horizon_h),
                       r.warmup_h > 0 ? ", warm-up " + format_duration(r.warmup_h) : std::string(), r.seed);

    std::vector<Row> rows;
    const sim::Estimate& a = r.availability;
    const int digits = digits_for((a.hi - a.lo) * 50.0, 3, 9);
    rows.push_back({label(MetricId::Availability), format_percent(a.mean, digits),
                    a.has_ci ? "95% CI " + format_percent(a.lo, digits) + " .. " + format_percent(a.hi, digits) : "",
                    ""});
    const sim::Estimate& u = r.unavailability;
    rows.push_back({label(MetricId::Unavailability), format_sig(u.mean, 3),
                    u.has_ci ? "95% CI " + format_sig(u.lo, 3) + " .. " + format_sig(u.hi, 3) : "", ""});
    const sim::Estimate& n = r.nines;
    rows.push_back({label(MetricId::Nines), format_sig(n.mean, 3),
                    n.has_ci ? "95% CI " + format_sig(n.lo, 3) + " .. " + format_sig(n.hi, 3) : "", ""});
    std::string years;
    if (r.year_downtime.count > 0) {
        years = fmt::format("per year: p50 {}  p95 {}  p99 {}", format_duration(r.year_downtime.p50),
                            format_duration(r.year_downtime.p95), format_duration(r.year_downtime.p99));
    } else {
        years = "(no whole year simulated: no per-year percentiles)";
    }
    rows.push_back({label(MetricId::DowntimePerYear), format_duration(r.downtime_h_per_year.mean), duration_range(r.downtime_h_per_year),
                    years});
    if (r.budget_h) {
        const sim::Estimate& b = r.budget_exceeded;
        rows.push_back({"P(year > budget " + format_duration(*r.budget_h) + ")", format_percent(b.mean, 2),
                        b.has_ci ? "95% CI " + format_percent(b.lo, 2) + " .. " + format_percent(b.hi, 2) : "",
                        fmt::format("over {} simulated years", format_count(r.year_downtime.count))});
    }
    const sim::Estimate& f = r.failures_per_year;
    rows.push_back({label(MetricId::FailuresPerYear), format_sig(f.mean, 3),
                    f.has_ci ? "95% CI " + format_sig(f.lo, 3) + " .. " + format_sig(f.hi, 3) : "", ""});
    if (f.mean > 0) {
        rows.push_back({label(MetricId::Mtbf), format_duration(r.mtbf_h.mean), duration_range(r.mtbf_h), ""});
    } else {
        rows.push_back({label(MetricId::Mtbf), "n/a", "", "no system failure observed"});
    }
    if (r.has_planned_outages) {
        const sim::Estimate& p = r.planned_outages_per_year;
        rows.push_back({"planned outages per year", format_sig(p.mean, 3),
                        p.has_ci ? "95% CI " + format_sig(p.lo, 3) + " .. " + format_sig(p.hi, 3) : "",
                        fmt::format("downtime/y: planned {}  unplanned {}", format_duration(r.planned_downtime_h_per_year.mean),
                                    format_duration(r.unplanned_downtime_h_per_year.mean))});
    }
    if (r.has_failover) {
        const sim::Estimate& fo = r.failover_outages_per_year;
        rows.push_back({label(MetricId::FailoverOutagesPerYear), format_sig(fo.mean, 3),
                        fo.has_ci ? "95% CI " + format_sig(fo.lo, 3) + " .. " + format_sig(fo.hi, 3) : "",
                        "changes of the member carrying a failover group's load that took the system down"});
        rows.push_back({label(MetricId::FailoverDowntimePerYear), format_duration(r.failover_downtime_h_per_year.mean),
                        duration_range(r.failover_downtime_h_per_year), "system down while detecting, switching or failing back"});
    }
    if (r.outage.count > 0) {
        // Kaplan-Meier: an outage open at the horizon counts as lasting at least until then.
        auto pct = [](const sim::PercentileEstimate& p) { return p.defined ? format_duration(p.value) : std::string("n/a"); };
        std::string spread = fmt::format("p50 {}  p95 {}  p99 {}  max {}", pct(r.outage_km.percentiles[0]),
                                        pct(r.outage_km.percentiles[1]), pct(r.outage_km.percentiles[2]),
                                        format_duration(r.outage.max));
        if (r.open_outages > 0) spread += fmt::format("  ({} open at the horizon, censored)", format_count(r.open_outages));
        rows.push_back({r.outage_km.reaches_zero || r.open_outages == 0 ? label(MetricId::MeanOutage)
                                                                     : label(MetricId::MeanOutage) + " (restricted)",
                        format_duration(r.mean_outage_h.mean), duration_range(r.mean_outage_h), spread});
    } else if (r.mean_outage_h.has_ci) {
        // From an accelerated estimate: no outage to show percentiles of.
        rows.push_back({label(MetricId::MeanOutage), format_duration(r.mean_outage_h.mean), duration_range(r.mean_outage_h), ""});
    } else {
        rows.push_back({label(MetricId::MeanOutage), "n/a", "", r.open_outages > 0 ? "no completed outage" : "no outage"});
    }
    if (r.censored == 0) {
        rows.push_back({label(MetricId::Mttf), format_duration(r.mttf_h.mean), duration_range(r.mttf_h), ""});
    } else if (r.first_failures == 0) {
        rows.push_back({label(MetricId::Mttf), ">= " + format_duration(r.mttf_lower_bound_h), "95% lower bound",
                        "no replication failed before the horizon"});
    } else {
        // With censoring only the mean up to the horizon is estimable: print a real 95% lower bound,
        // and the restricted mean with its interval.
        rows.push_back({label(MetricId::Mttf), ">= " + format_duration(r.mttf_lower_bound_h), "95% lower bound",
                        fmt::format("{} of {} replications never failed (censored at the horizon)",
                                    format_count(r.censored), format_count(r.replications))});
        rows.push_back({"  mean up to the horizon", format_duration(r.first_failure_km.mean.mean),
                        duration_range(r.first_failure_km.mean), "Kaplan-Meier restricted mean, below the MTTF"});
    }
    out += render(rows);
    out += service_to_text(r);
    out += extra;
    for (const std::string& note : r.notes) out += "  note: " + note + "\n";

    out += "\n";
    std::vector<Row> comp_rows;
    const bool pools = !r.pools.empty();
    // Ranked by the share of system downtime each component was down for (the number of outages it took
    // part in beside it: counting outages let frequent short overlaps outrank the cause of long outages).
    const std::string share_label = label(MetricId::ComponentOutageShare);
    const std::string shares_header = fmt::format("{:<15} {}", "downtime share", share_label);
    comp_rows.push_back({"component", label(MetricId::ComponentFailuresPerYear), label(MetricId::ComponentDowntimePerYear),
                         pools ? fmt::format("{:<32} wait for crew", shares_header) : shares_header});
    for (const sim::ComponentResult* cp : components_by_downtime_share(r)) {
        const sim::ComponentResult& c = *cp;
        std::string share = fmt::format("{:<15} {}", format_percent(c.downtime_share, 1),
                                        fmt::format("{} ({})", format_percent(c.outage_share, 1), format_count(c.outages_involved)));
        if (pools) share = fmt::format("{:<32} {}", share, c.repairs_started > 0 ? format_duration(c.mean_wait_h) : "-");
        comp_rows.push_back({c.instances > 1 ? fmt::format("{} (x{})", c.name, c.instances) : c.name,
                             format_sig(c.failures_per_year, 3), format_duration(c.downtime_h_per_year), share});
    }
    out += render(comp_rows);
    out += causes_to_text(r);
    bool any_stockout = false;
    for (const sim::ComponentResult& c : r.components) any_stockout = any_stockout || c.stockouts > 0;
    if (any_stockout) {
        out += "\n";
        std::vector<Row> spare_rows;
        spare_rows.push_back({"spares", "stock-outs/y", "wait for part", ""});
        const double simulated_years = static_cast<double>(r.replications) * (r.horizon_h - r.warmup_h) / 8760.0;
        for (const sim::ComponentResult& c : r.components) {
            if (c.stockouts == 0) continue;
            spare_rows.push_back({c.name, format_sig(static_cast<double>(c.stockouts) / simulated_years, 3), format_duration(c.mean_spare_wait_h), ""});
        }
        out += render(spare_rows);
    }
    if (pools) {
        out += "\n";
        std::vector<Row> pool_rows;
        pool_rows.push_back({"repair pool", "crews", "utilisation", ""});
        for (const sim::PoolResult& p : r.pools) {
            pool_rows.push_back({p.name, std::to_string(p.crews), format_percent(p.utilisation, 1), ""});
        }
        out += render(pool_rows);
    }
    for (const sim::SloResult& o : r.slos) {
        out += "\n";
        out += fmt::format("SLO {} per {}: {} windows per replication, budget {} per window of mean length {}{}\n",
                           format_percent(o.target, 3), o.window, o.windows_per_replication, format_duration(o.budget_h),
                           format_duration(o.mean_window_h),
                           o.capacity_weighted ? "; capacity-weighted: downtime counts the share of the demand not served" : "");
        if (o.downtime_percentiles.empty()) {
            out += "  (no such window lies wholly inside [warmup, horizon])\n";
            continue;
        }
        auto pct = [](const std::vector<sim::PercentileEstimate>& ps) {
            // From log bins (more windows than a run keeps): the bins' precision goes with the figures.
            const std::string bins = ps[0].relative_precision > 0
                                         ? fmt::format("  (log bins, within {:.2g} %)", 100 * ps[0].relative_precision)
                                         : std::string();
            return fmt::format("p50 {}  p95 {}  p99 {}{}", format_duration(ps[0].value), format_duration(ps[1].value),
                               format_duration(ps[2].value), bins);
        };
        auto share = [](const sim::Estimate& e) {
            return e.has_ci ? "95% CI " + format_percent(e.lo, 2) + " .. " + format_percent(e.hi, 2) : std::string();
        };
        std::vector<Row> slo_rows;
        slo_rows.push_back({label(MetricId::SloBreach), format_percent(o.breach.mean, 2), share(o.breach),
                            o.rolling ? "sampled every 24 h" : ""});
        slo_rows.push_back({label(MetricId::WindowDowntime), format_duration(o.downtime_h.mean), duration_range(o.downtime_h),
                            pct(o.downtime_percentiles)});
        slo_rows.push_back({label(MetricId::SloBurn), format_percent(o.burn.mean, 1), share(o.burn), "downtime / budget"});
        if (o.years_per_replication > 0) {
            slo_rows.push_back({label(MetricId::WorstWindow), format_duration(o.worst_h.mean), duration_range(o.worst_h),
                                pct(o.worst_percentiles)});
        }
        if (o.rolling) slo_rows.push_back({label(MetricId::SloBreachTime), format_percent(o.breach_time.mean, 2), share(o.breach_time), ""});
        out += render(slo_rows);
    }
    return out;
}

std::string timing_to_text(const sim::SimulationResults& r) {
    return fmt::format("events {} in {:.2f} s: {:.1f} M events/s on {} thread{}", format_count(r.events), r.wall_seconds,
                       r.events_per_second / 1e6, r.threads, r.threads == 1 ? "" : "s");
}

std::string metric_cell(const MetricSpec& spec, const study::MetricValue& value) {
    const sim::Estimate& e = value.estimate;
    if (!value.measurable || !std::isfinite(e.mean)) return "n/a";
    if (spec.id == MetricId::Availability) return format_percent(e.mean, digits_for((e.hi - e.lo) * 50.0, 3, 9));
    switch (spec.unit) {
        case MetricUnit::Duration: return format_duration(e.mean);
        case MetricUnit::Probability:
        case MetricUnit::Number: return format_sig(e.mean, 3);
        case MetricUnit::Verdict: break;
    }
    return "n/a";
}

}  // namespace nines::report
