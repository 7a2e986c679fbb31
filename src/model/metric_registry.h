// The metric registry: every metric nines reports and an expectation can name, as data in one place.
// The expectation reader takes its names and units from here; the text, CSV, sweep and compare
// reports, JUnit and the Python module (nines.metrics(), its charts and help) their labels and keys;
// and study::measure reads each metric off the results with one exhaustive switch over MetricId, so a
// new metric is a row here, an enumerator, and a case the compiler asks for.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/expectation.h"

namespace nines {

enum class MetricId {
    Availability,
    Unavailability,
    Nines,
    DowntimePerYear,
    DowntimePerYearP50,
    DowntimePerYearP95,
    DowntimePerYearP99,
    BudgetExceeded,
    FailuresPerYear,
    Mtbf,
    MeanOutage,
    OutageP50,
    OutageP95,
    OutageP99,
    OutageMax,
    Mttf,
    Reliability,
    Crosscheck,
    ComponentFailuresPerYear,
    ComponentDowntimePerYear,
    ComponentOutageShare,
    SloBreach,
    SloBurn,
    SloBreachTime,
    WindowDowntime,
    WindowDowntimeP50,
    WindowDowntimeP95,
    WindowDowntimeP99,
    WorstWindow,
    WorstWindowP95,
    FailoverDowntimePerYear,
    FailoverOutagesPerYear,
    CauseDowntimePerYear,
    CauseOutagesPerYear,
    ServedFraction,
    DegradedPerYear,
    UnservedPerYear,
};

// What the metric is per: the system, one component (written component.NAME.<field>), one SLO
// window kind (written name[WINDOW], e.g. slo_breach[month]), or one downtime cause (written
// name[CAUSE], e.g. downtime_per_year[change], downtime_per_year[change:deploys]).
enum class MetricScope { System, Component, Window, Cause };

struct MetricSpec {
    MetricId id;
    const char* name;        // canonical name in Expectation::metric ("downtime_per_year.p95", "component.outage_share")
    const char* written;     // as an expectation writes it ("reliability(T)", "component.NAME.outage_share")
    const char* alias;       // another accepted spelling ("downtime_per_year.mean"), or ""
    MetricUnit unit;
    MetricScope scope;
    const char* json_path;   // JSON pointer to its value in the run JSON; "*" stands for a component's index
    const char* text_label;  // its label in the text report ("" when the text report has no row of its own)
    const char* csv_name;    // its row in summary.csv and its column in the sweep CSV ("" when none)
    bool precision_target;   // may be the metric of a precision target (settings.precision.metric)
    bool headline;           // a system metric every sweep point and compared design reports (CSV, JSON, compare table)
    const char* column_label;  // its header in narrow tables (the sweep table: "downtime/y"), "" when it has none
};

// The key of a system metric in the run JSON's "results" object ("downtime_per_year_h" for
// "/results/downtime_per_year_h/mean"), which the sweep and compare JSON use for it too; "" for a
// metric outside "results".
std::string result_key(const MetricSpec& spec);

// The headline metrics, in registry order: the columns of sweeps and the rows of comparisons.
std::vector<const MetricSpec*> headline_metrics();

// All metrics, in the order the reader lists them in messages.
const std::vector<MetricSpec>& metric_registry();

// The entry for an id (every id has exactly one).
const MetricSpec& metric_spec(MetricId id);

// The entry whose canonical name is `name` (Expectation::metric), or nullptr.
const MetricSpec* find_metric(std::string_view name);

// Names an expectation may use, as written, aliases after their metric: what the reader accepts.
std::vector<std::string> written_metric_names();

}  // namespace nines
