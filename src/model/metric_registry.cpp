#include "model/metric_registry.h"

#include <stdexcept>

namespace nines {

namespace {

using U = MetricUnit;
using S = MetricScope;

const std::vector<MetricSpec> kRegistry = {
    // id                               name                               written                              alias                     unit            scope       json_path                                      text label                      csv row                 precision  headline  column label
    {MetricId::Availability,            "availability",                    "availability",                      "",                       U::Probability, S::System,    "/results/availability/mean",                  "availability",                 "availability",           true, true , "availability"},
    {MetricId::Unavailability,          "unavailability",                  "unavailability",                    "",                       U::Probability, S::System,    "/results/unavailability/mean",                "unavailability",               "unavailability",         true, true , ""},
    {MetricId::Nines,                   "nines",                           "nines",                             "",                       U::Number,      S::System,    "/results/nines/mean",                         "nines",                        "nines",                  false, false, ""},
    {MetricId::DowntimePerYear,         "downtime_per_year",               "downtime_per_year",                 "downtime_per_year.mean", U::Duration,    S::System,    "/results/downtime_per_year_h/mean",           "downtime per year",            "downtime_per_year_h",    true, true , "downtime/y"},
    {MetricId::DowntimePerYearP50,      "downtime_per_year.p50",           "downtime_per_year.p50",             "",                       U::Duration,    S::System,    "/results/downtime_per_year_h/percentiles_ci95/p50", "",                       "downtime_per_year_h.p50", false, false, ""},
    {MetricId::DowntimePerYearP95,      "downtime_per_year.p95",           "downtime_per_year.p95",             "",                       U::Duration,    S::System,    "/results/downtime_per_year_h/percentiles_ci95/p95", "",                       "downtime_per_year_h.p95", false, false, ""},
    {MetricId::DowntimePerYearP99,      "downtime_per_year.p99",           "downtime_per_year.p99",             "",                       U::Duration,    S::System,    "/results/downtime_per_year_h/percentiles_ci95/p99", "",                       "downtime_per_year_h.p99", false, false, ""},
    {MetricId::BudgetExceeded,          "budget_exceeded",                 "budget_exceeded",                   "",                       U::Probability, S::System,    "/results/budget_exceeded/mean",               "",                             "budget_exceeded",        false, false, ""},
    {MetricId::FailuresPerYear,         "failures_per_year",               "failures_per_year",                 "",                       U::Number,      S::System,    "/results/system_failures_per_year/mean",      "system failures per year",     "system_failures_per_year", true, true , "failures/y"},
    {MetricId::Mtbf,                    "mtbf",                            "mtbf",                              "",                       U::Duration,    S::System,    "/results/mtbf_h/mean",                        "MTBF",                         "mtbf_h",                 false, true , ""},
    {MetricId::MeanOutage,              "mean_outage",                     "mean_outage",                       "outage.mean",            U::Duration,    S::System,    "/results/outage_h/mean",                      "mean outage",                  "mean_outage_h",          false, true , ""},
    {MetricId::OutageP50,               "outage.p50",                      "outage.p50",                        "",                       U::Duration,    S::System,    "/results/outage_h/percentiles_ci95/p50",      "",                             "outage_h.p50",           false, false, ""},
    {MetricId::OutageP95,               "outage.p95",                      "outage.p95",                        "",                       U::Duration,    S::System,    "/results/outage_h/percentiles_ci95/p95",      "",                             "outage_h.p95",           false, false, ""},
    {MetricId::OutageP99,               "outage.p99",                      "outage.p99",                        "",                       U::Duration,    S::System,    "/results/outage_h/percentiles_ci95/p99",      "",                             "outage_h.p99",           false, false, ""},
    {MetricId::OutageMax,               "outage.max",                      "outage.max",                        "",                       U::Duration,    S::System,    "/results/outage_h/max",                       "",                             "outage_h.max",           false, false, ""},
    {MetricId::Mttf,                    "mttf",                            "mttf",                              "",                       U::Duration,    S::System,    "/results/mttf_h/mean",                        "MTTF (first system failure)",  "mttf_h",                 false, false, ""},
    {MetricId::Reliability,             "reliability",                     "reliability(T)",                    "",                       U::Probability, S::System,    "/time_series/reliability",                    "",                             "",                       false, false, ""},
    {MetricId::Crosscheck,              "crosscheck",                      "crosscheck",                        "",                       U::Verdict,     S::System,    "/crosscheck/verdict",                         "",                             "",                       false, false, ""},
    {MetricId::ComponentFailuresPerYear, "component.failures_per_year",    "component.NAME.failures_per_year",  "",                       U::Number,      S::Component, "/components/*/failures_per_year",             "failures/y",                   "",                       false, false, ""},
    {MetricId::ComponentDowntimePerYear, "component.downtime_per_year",    "component.NAME.downtime_per_year",  "",                       U::Duration,    S::Component, "/components/*/downtime_h_per_year",           "downtime/y",                   "",                       false, false, ""},
    {MetricId::ComponentOutageShare,    "component.outage_share",          "component.NAME.outage_share",       "",                       U::Probability, S::Component, "/components/*/outage_share",                  "in outages",                   "",                       false, false, ""},
    {MetricId::SloBreach,               "slo_breach",                      "slo_breach[W]",                     "",                       U::Probability, S::Window,    "/slo/*/breach/mean",                          "P(window breaches SLO)",       "",                       false, false, ""},
    {MetricId::SloBurn,                 "slo_burn",                        "slo_burn[W]",                       "",                       U::Number,      S::Window,    "/slo/*/budget_burn/mean",                     "budget burn per window",       "",                       false, false, ""},
    {MetricId::SloBreachTime,           "slo_breach_time",                 "slo_breach_time[W]",                "",                       U::Probability, S::Window,    "/slo/*/breach_time/mean",                     "time in breach",               "",                       false, false, ""},
    {MetricId::WindowDowntime,          "window_downtime",                 "window_downtime[W]",                "window_downtime[W].mean", U::Duration,   S::Window,    "/slo/*/downtime_h/mean",                      "downtime per window",          "",                       false, false, ""},
    {MetricId::WindowDowntimeP50,       "window_downtime.p50",             "window_downtime[W].p50",            "",                       U::Duration,    S::Window,    "/slo/*/downtime_h/percentiles_ci95/p50",      "",                             "",                       false, false, ""},
    {MetricId::WindowDowntimeP95,       "window_downtime.p95",             "window_downtime[W].p95",            "",                       U::Duration,    S::Window,    "/slo/*/downtime_h/percentiles_ci95/p95",      "",                             "",                       false, false, ""},
    {MetricId::WindowDowntimeP99,       "window_downtime.p99",             "window_downtime[W].p99",            "",                       U::Duration,    S::Window,    "/slo/*/downtime_h/percentiles_ci95/p99",      "",                             "",                       false, false, ""},
    {MetricId::WorstWindow,             "worst_window",                    "worst_window[W]",                   "",                       U::Duration,    S::Window,    "/slo/*/worst_window_h/mean",                  "worst window of a year",       "",                       false, false, ""},
    {MetricId::WorstWindowP95,          "worst_window.p95",                "worst_window[W].p95",               "",                       U::Duration,    S::Window,    "/slo/*/worst_window_h/percentiles_ci95/p95",  "",                             "",                       false, false, ""},
    {MetricId::FailoverDowntimePerYear, "failover_downtime_per_year",      "failover_downtime_per_year",        "",                       U::Duration,    S::System,    "/failover/downtime_per_year_h/mean",          "failover downtime per year",   "failover_downtime_per_year_h", false, false, ""},
    {MetricId::FailoverOutagesPerYear,  "failover_outages_per_year",       "failover_outages_per_year",         "",                       U::Number,      S::System,    "/failover/outages_per_year/mean",             "failover outages per year",    "failover_outages_per_year", false, false, ""},
    {MetricId::CauseDowntimePerYear,    "cause.downtime_per_year",         "downtime_per_year[CAUSE]",          "",                       U::Duration,    S::Cause,     "/downtime_by_cause/*/downtime_per_year_h/mean", "downtime/y",                 "",                       false, false, ""},
    {MetricId::CauseOutagesPerYear,     "cause.outages_per_year",          "outages_per_year[CAUSE]",           "",                       U::Number,      S::Cause,     "/downtime_by_cause/*/outages_per_year/mean",  "outages/y",                    "",                       false, false, ""},
    {MetricId::ServedFraction,          "served_fraction",                 "served_fraction",                   "",                       U::Probability, S::System,    "/results/served_fraction/mean",               "served fraction",              "served_fraction",        false, false, ""},
    {MetricId::DegradedPerYear,         "degraded_per_year",               "degraded_per_year",                 "",                       U::Duration,    S::System,    "/results/degraded_per_year_h/mean",           "degraded per year",            "degraded_per_year_h",    false, false, ""},
    {MetricId::UnservedPerYear,         "unserved_per_year",               "unserved_per_year",                 "",                       U::Duration,    S::System,    "/results/unserved_per_year_h/mean",           "unserved per year",            "unserved_per_year_h",    false, false, ""},
};

}  // namespace

const std::vector<MetricSpec>& metric_registry() { return kRegistry; }

const MetricSpec& metric_spec(MetricId id) {
    for (const MetricSpec& m : kRegistry) {
        if (m.id == id) return m;
    }
    throw std::logic_error("metric id without a registry entry");  // a programming error, caught by the registry test
}

const MetricSpec* find_metric(std::string_view name) {
    for (const MetricSpec& m : kRegistry) {
        if (name == m.name) return &m;
    }
    return nullptr;
}

std::string result_key(const MetricSpec& spec) {
    const std::string_view path = spec.json_path;
    constexpr std::string_view prefix = "/results/";
    if (path.substr(0, prefix.size()) != prefix) return {};
    const std::string_view rest = path.substr(prefix.size());
    return std::string(rest.substr(0, rest.find('/')));
}

std::vector<const MetricSpec*> headline_metrics() {
    std::vector<const MetricSpec*> out;
    for (const MetricSpec& m : kRegistry) {
        if (m.headline) out.push_back(&m);
    }
    return out;
}

std::vector<std::string> written_metric_names() {
    std::vector<std::string> out;
    for (const MetricSpec& m : kRegistry) {
        out.emplace_back(m.written);
        if (*m.alias) out.emplace_back(m.alias);
    }
    return out;
}

}  // namespace nines
