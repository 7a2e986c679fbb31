// The application API's contracts: the cross-check says why it gave no verdict as data (and study
// decides outcomes by that, not by the message text), and the metric registry is the one list of
// metrics: every entry is readable from results, sits at its JSON path in the run JSON, and the
// expectation parser accepts exactly the registry's names.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analytic/crosscheck.h"
#include "io/expectation_reader.h"
#include "io/scenario_reader.h"
#include "io/scenario_overrides.h"
#include "io/sweep_points.h"
#include "model/error.h"
#include "model/metric_registry.h"
#include "report/analytic_report.h"
#include "report/check_report.h"
#include "report/json_report.h"
#include "report/compare_report.h"
#include "report/sweep_report.h"
#include "study/check.h"
#include "study/metrics.h"
#include "study/compare.h"
#include "study/study.h"
#include "study/sweep.h"

using namespace nines;

namespace {

analytic::AvailabilityReference reference(double unavailability, double error = 0) {
    analytic::AvailabilityReference r;
    r.applicable = true;
    r.quantity = "test reference";
    r.exact = error == 0;
    r.unavailability = unavailability;
    r.availability = 1 - unavailability;
    r.error = error;
    return r;
}

Expectation crosscheck_expectation() {
    Expectation e;
    e.text = e.metric = "crosscheck";
    e.unit = MetricUnit::Verdict;
    return e;
}

study::Outcome outcome_of(const analytic::CrossCheck& c) {
    return study::evaluate(crosscheck_expectation(), sim::SimulationResults{}, c).outcome;
}

// Two units in parallel, exponential laws, a budget, three years: every metric has data.
const char* kScenario =
    "components:\n"
    "  db: { count: 2, failure: { exponential: { mttf: 500h } }, repair: { exponential: { mttr: 20h } } }\n"
    "  lb: { failure: { exponential: { mttf: 2000h } }, repair: { exponential: { mttr: 5h } } }\n"
    "system: { series: [lb, { standby: { of: db, mode: hot, switch_time: { exponential: { mean: 10min } } } }] }\n"
    "budget: 10h\n"
    "simulation: { horizon: 3y, replications: 200, seed: 5 }\n"
    "slo: { target: 99.9%, window: [rolling 30d, month] }\n";

std::string with_expectation(const std::string& line) {
    return std::string(kScenario) + "expect:\n  - \"" + line + "\"\n";
}

// A name as written with its placeholders filled in, and a threshold of its unit.
std::string expectation_line(const std::string& written, MetricUnit unit) {
    if (written == "crosscheck") return written;
    std::string name = written;
    if (name == "reliability(T)") name = "reliability(1y)";
    if (const auto at = name.find("NAME"); at != std::string::npos) name.replace(at, 4, "db");
    if (const auto at = name.find("[W]"); at != std::string::npos) {
        name.replace(at, 3, name.rfind("slo_breach_time", 0) == 0 ? "[rolling 30d]" : "[month]");
    }
    if (const auto at = name.find("[CAUSE]"); at != std::string::npos) name.replace(at, 7, "[failure:db]");
    const char* threshold = unit == MetricUnit::Probability ? "50%" : unit == MetricUnit::Duration ? "100h" : "1";
    return name + " <= " + threshold;
}

}  // namespace

TEST_CASE("cross-check: the cause of no verdict is data, and the outcome follows it", "[api][crosscheck]") {
    using analytic::NoVerdictCause;
    // A simulated unavailability of 1e-3 with standard error 1e-4 and its 95% interval.
    const double u = 1e-3, se = 1e-4, lo = u - 1.96 * se, hi = u + 1.96 * se;

    const analytic::CrossCheck agrees = analytic::cross_check(reference(1.05e-3), u, se, lo, hi, true, 100);
    CHECK(agrees.verdict == analytic::Verdict::Agrees);
    CHECK(agrees.cause == NoVerdictCause::None);
    CHECK(outcome_of(agrees) == study::Outcome::Pass);

    const analytic::CrossCheck disagrees = analytic::cross_check(reference(2e-3), u, se, lo, hi, true, 100);
    CHECK(disagrees.verdict == analytic::Verdict::Disagrees);
    CHECK(outcome_of(disagrees) == study::Outcome::Fail);

    const analytic::CrossCheck few = analytic::cross_check(reference(1.05e-3), u, se, lo, hi, true, 19);
    CHECK(few.cause == NoVerdictCause::TooFewOutages);
    CHECK(few.outages == 19);
    CHECK(outcome_of(few) == study::Outcome::Inconclusive);

    const analytic::CrossCheck no_interval = analytic::cross_check(reference(1.05e-3), u, 0, u, u, false, 3);
    CHECK(no_interval.cause == NoVerdictCause::NoInterval);
    CHECK(outcome_of(no_interval) == study::Outcome::Inconclusive);

    const analytic::CrossCheck rough = analytic::cross_check(reference(1.05e-3, 1e-4), u, se, lo, hi, true, 100);
    CHECK(rough.cause == NoVerdictCause::ApproximateReference);
    CHECK(rough.std_error == se);
    CHECK(outcome_of(rough) == study::Outcome::NotApplicable);

    // No method: whatever the refusal's wording, not applicable. The old text matching took a reason
    // starting with "only " or naming a "confidence interval" for too few outages (inconclusive).
    for (const char* why : {"only a Markov chain is exact, and the chain has too many states",
                            "the confidence interval of a lognormal repair is not modelled"}) {
        analytic::AvailabilityReference none;
        none.reason = why;
        none.unsupported_at = SourceLocation{"m.yaml", 3, 5};
        const analytic::CrossCheck c = analytic::cross_check(none, u, se, lo, hi, true, 100);
        INFO(why);
        CHECK(c.verdict == analytic::Verdict::NotApplicable);
        CHECK(c.cause == NoVerdictCause::NoExactMethod);
        CHECK(c.reason == why);
        CHECK(c.unsupported_at.str() == "m.yaml:3:5");
        CHECK(outcome_of(c) == study::Outcome::NotApplicable);
        const nlohmann::ordered_json j = report::crosscheck_to_json(c);
        CHECK(j.at("cause") == "no_exact_method");
        CHECK(j.at("reason_at") == "m.yaml:3:5");
    }
}

TEST_CASE("cross-check through a study: a model without reference carries the refusal's place", "[api][crosscheck]") {
    // One crew and lognormal repairs: dependent components, no exact method.
    const Model m = io::read_scenario_text(
        "components:\n"
        "  a: { count: 2, failure: { mttf: 100h }, repair: { lognormal: { median: 5h, sigma: 0.5 } } }\n"
        "repair: { crews: 1 }\n"
        "system: { parallel: [a] }\n"
        "simulation: { horizon: 1000h, replications: 50, seed: 2 }\n"
        "expect:\n  - crosscheck\n",
        "nomethod.yaml");
    study::StudyOptions o;
    o.run.settings = m.simulation;
    const study::StudyResults r = study::run_study(m, o);
    CHECK(r.crosscheck.cause == analytic::NoVerdictCause::NoExactMethod);
    CHECK(r.crosscheck.unsupported_at.file == "nomethod.yaml");
    CHECK(r.crosscheck.unsupported_at.line == 2);  // component 'a'
    REQUIRE(r.expectations.size() == 1);
    CHECK(r.expectations[0].outcome == study::Outcome::NotApplicable);
}

TEST_CASE("metric registry: one entry per id, unique names", "[api][metrics]") {
    std::set<std::string> names, written, csv;
    std::set<int> ids;
    for (const MetricSpec& m : metric_registry()) {
        INFO(m.name);
        CHECK(names.insert(m.name).second);
        CHECK(written.insert(m.written).second);
        if (*m.alias) CHECK(written.insert(m.alias).second);
        if (*m.csv_name) CHECK(csv.insert(m.csv_name).second);
        CHECK(ids.insert(static_cast<int>(m.id)).second);
        CHECK(&metric_spec(m.id) == &m);
        CHECK(find_metric(m.name) == &m);
        CHECK(std::string(m.json_path).rfind('/', 0) == 0);
    }
    CHECK(static_cast<int>(ids.size()) == static_cast<int>(MetricId::UnservedPerYear) + 1);
    CHECK(find_metric("no_such_metric") == nullptr);
}

TEST_CASE("metric registry: the expectation parser accepts exactly the registry's names", "[api][metrics]") {
    CHECK(io::expectation_metric_names() == written_metric_names());
    for (const MetricSpec& m : metric_registry()) {
        for (const std::string& written : {std::string(m.written), std::string(m.alias)}) {
            if (written.empty()) continue;
            const std::string line = expectation_line(written, m.unit);
            INFO(line);
            const Model model = io::read_scenario_text(with_expectation(line), "t.yaml");
            REQUIRE(model.expectations.size() == 1);
            CHECK(model.expectations[0].metric == m.name);
            CHECK(model.expectations[0].unit == m.unit);
        }
    }
    // Near misses and names of other layers (CSV rows, JSON keys) are refused.
    for (const char* line : {"mtbf_h <= 100h", "outage.p90 <= 1h", "downtime_per_year_h <= 1h", "component.db.mttr <= 1h",
                             "component.db.unavailability <= 1%", "crosscheck <= 1", "reliability <= 50%",
                             "system_failures_per_year <= 1"}) {
        INFO(line);
        CHECK_THROWS_AS(io::read_scenario_text(with_expectation(line), "t.yaml"), InputError);
    }
}

TEST_CASE("metric registry: every metric is readable from results and sits at its JSON path", "[api][metrics]") {
    const Model model = io::read_scenario_text(kScenario, "t.yaml");
    study::StudyOptions o;
    o.run.settings = model.simulation;
    const study::StudyResults s = study::run_study(model, o);
    const sim::SimulationResults& r = s.simulation;
    REQUIRE(r.system_outages > 50);
    // The run JSON as `nines run --json` writes it (results, then the cross-check).
    nlohmann::ordered_json j = report::results_to_json(r);
    j["crosscheck"] = report::crosscheck_to_json(s.crosscheck);
    for (const MetricSpec& m : metric_registry()) {
        INFO(m.name << " at " << m.json_path);
        std::string path = m.json_path;
        if (const auto at = path.find('*'); at != std::string::npos) path.replace(at, 1, "0");
        CHECK(j.contains(nlohmann::json::json_pointer(path)));
        if (m.id == MetricId::Crosscheck) continue;  // a verdict, judged by study::evaluate
        Expectation e;
        e.metric = m.name;
        e.unit = m.unit;
        if (m.scope == MetricScope::Component) e.component = "db";
        if (m.scope == MetricScope::Window) e.window = "rolling 30d";  // slo/0 in the JSON
        if (m.scope == MetricScope::Cause) e.cause = "failure";        // downtime_by_cause/0 in the JSON
        if (m.id == MetricId::Reliability) e.at_h = 1000.0;
        const study::MetricValue v = study::measure(e, r);
        CHECK(v.measurable);
        CHECK(std::isfinite(v.estimate.mean));
        CHECK((v.estimate.has_ci || v.point_only));
        // The value at the JSON path is the measured one where the JSON holds a point value of the metric.
        const nlohmann::ordered_json& at = j.at(nlohmann::json::json_pointer(path));
        if (at.is_number()) CHECK(at.get<double>() == Approx(v.estimate.mean).epsilon(1e-12));
    }
    // An unknown component or an unknown name is not measurable, with the reason.
    Expectation bad;
    bad.metric = "component.failures_per_year";
    bad.component = "nope";
    CHECK_FALSE(study::measure(bad, r).measurable);
    bad.metric = "no_such_metric";
    CHECK_FALSE(study::measure(bad, r).measurable);
}

TEST_CASE("metric registry: precision targets are the registry's precision metrics", "[api][metrics]") {
    for (const MetricSpec& m : metric_registry()) {
        if (m.scope != MetricScope::System || m.unit == MetricUnit::Verdict || m.id == MetricId::Reliability) continue;
        const char* width = m.unit == MetricUnit::Probability ? "0.1%" : m.unit == MetricUnit::Duration ? "1h" : "0.5";
        const std::string yaml = std::string(kScenario).replace(std::string(kScenario).find("replications: 200"), 17,
                                                                std::string("replications: { until: { ") + m.name + ": " +
                                                                    width + " }, max: 400 }");
        INFO(yaml);
        if (m.precision_target) {
            const Model model = io::read_scenario_text(yaml, "t.yaml");
            REQUIRE(model.simulation.precision);
            CHECK(model.simulation.precision->metric == m.name);
            // The study reads the half-width through the registry: finite after a run.
            study::StudyOptions o;
            o.run.settings = model.simulation;
            CHECK(std::isfinite(study::half_width(study::run_study(model, o).simulation, m.name)));
        } else {
            CHECK_THROWS_AS(io::read_scenario_text(yaml, "t.yaml"), InputError);
        }
    }
}

TEST_CASE("study takes models: compare and sweep run on models the caller read", "[api][compare][sweep]") {
    const char* design =
        "components:\n"
        "  web: { count: 2, failure: { mttf: 200h }, repair: { mttr: 10h } }\n"
        "system: { parallel: [web] }\n"
        "simulation: { horizon: 1y, replications: 100, seed: 3 }\n";
    // Compare: the same design twice, read from text (no file): the paired difference is exactly 0.
    const std::vector<Model> designs = {io::read_scenario_text(design, "a.yaml"), io::read_scenario_text(design, "b.yaml")};
    const study::CompareResults c = study::compare_designs(designs, [](SimulationSettings&) {}, {});
    REQUIRE(c.designs.size() == 2);
    CHECK(c.designs[0].file == "a.yaml");
    CHECK(c.designs[1].file == "b.yaml");
    CHECK(c.designs[1].unavailability.paired.mean == 0.0);
    CHECK(c.designs[1].study.simulation.unavailability.mean > 0);
    CHECK_THROWS_AS(study::compare_designs(std::vector<Model>{designs[0]}, [](SimulationSettings&) {}, {}), InputError);

    // Sweep: the models come from the caller; the same points as the file-based sweep, value for value.
    const std::string text = std::string(design) + "expect:\n  - availability >= 99.9%\n";
    const io::SweepAxis axis = io::parse_sweep_spec("web.count=1..3", SourceLocation{"--set", 0, 0});
    std::vector<std::string> labels;
    const study::SweepResults from_models = study::run_sweep(
        {axis},
        [&](const std::vector<io::Assignment>& assignments, const std::string& label) {
            labels.push_back(label);
            return io::read_scenario_text(io::apply_assignments(text, "s.yaml", assignments), "s.yaml");
        },
        [](SimulationSettings&) {}, {});
    CHECK(labels == std::vector<std::string>{"web.count=1", "web.count=2", "web.count=3"});
    const std::filesystem::path file = std::filesystem::temp_directory_path() / "nines_test_api_sweep.yaml";
    std::ofstream(file) << text;
    const study::SweepResults from_file = study::run_sweep({axis}, io::sweep_point_models(file.string(), {axis}), [](SimulationSettings&) {}, {});
    REQUIRE(from_models.points.size() == 3);
    REQUIRE(from_file.points.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(from_models.points[i].label == from_file.points[i].label);
        CHECK(from_models.points[i].study.simulation.unavailability.mean == from_file.points[i].study.simulation.unavailability.mean);
        CHECK(from_models.points[i].expectations == from_file.points[i].expectations);
    }
    CHECK(from_models.cheapest_meeting_expectations == from_file.cheapest_meeting_expectations);
    std::filesystem::remove(file);
}

TEST_CASE("metric registry: sweeps and comparisons name the headline metrics as the run outputs do", "[api][metrics][sweep][compare]") {
    const char* design =
        "components:\n"
        "  web: { count: 2, failure: { mttf: 200h }, repair: { mttr: 10h } }\n"
        "system: { parallel: [web] }\n"
        "simulation: { horizon: 1y, replications: 60, seed: 3 }\n";
    const io::SweepAxis axis = io::parse_sweep_spec("web.count=1..2", SourceLocation{"--set", 0, 0});
    const study::SweepResults sweep = study::run_sweep(
        {axis},
        [&](const std::vector<io::Assignment>& assignments, const std::string&) {
            return io::read_scenario_text(io::apply_assignments(design, "s.yaml", assignments), "s.yaml");
        },
        [](SimulationSettings&) {}, {});
    const std::vector<Model> designs = {io::read_scenario_text(design, "a.yaml"), io::read_scenario_text(design, "b.yaml")};
    const study::CompareResults compared = study::compare_designs(designs, [](SimulationSettings&) {}, {});
    const std::vector<const MetricSpec*> headline = headline_metrics();
    REQUIRE(headline.size() >= 4);

    // The sweep CSV: each headline metric's summary.csv row name, then its interval (a report with its
    // own list, like the old "downtime_h_per_year" column, fails here).
    const std::string csv = report::sweep_to_csv(sweep);
    std::string expected_header = "web.count,";
    for (const MetricSpec* m : headline) {
        const std::string n = m->csv_name;
        expected_header += n + "," + n + "_ci95_lo," + n + "_ci95_hi,";
    }
    expected_header += "expectations,cost_per_year,cost_ci95_lo,cost_ci95_hi,replications,failed_expectations,inconclusive_expectations,error";
    CHECK(csv.substr(0, csv.find('\n')) == expected_header);

    // The JSON of the run, a sweep point and a compared design: the same key and value for each headline metric.
    const nlohmann::ordered_json run = report::results_to_json(sweep.points[1].study.simulation);
    const nlohmann::ordered_json point = report::sweep_to_json(sweep)["points"][1];
    const nlohmann::ordered_json design_json = report::compare_to_json(compared)["designs"][0];
    const std::string table = report::compare_to_text(compared);
    for (const MetricSpec* m : headline) {
        INFO(m->name);
        const std::string key = result_key(*m);
        REQUIRE_FALSE(key.empty());
        CHECK(std::string(m->json_path).rfind("/results/" + key + "/", 0) == 0);
        REQUIRE(point.contains(key));
        REQUIRE(design_json.contains(key));
        const double in_run = run.at(nlohmann::json::json_pointer(m->json_path)).get<double>();
        CHECK(point[key]["mean"].get<double>() == in_run);
        CHECK(design_json[key]["mean"].get<double>() == study::measure(m->id, compared.designs[0].study.simulation).estimate.mean);
        CHECK(table.find(std::string("  ") + m->text_label + " ") != std::string::npos);  // a row under its text label
    }
    // The sweep table's columns are the headline metrics with a column label.
    const std::string text = report::sweep_to_text(sweep);
    for (const MetricSpec* m : headline) {
        if (*m->column_label) CHECK(text.substr(0, text.find('\n')).find(m->column_label) != std::string::npos);
    }
}

TEST_CASE("expectation results say why as data: the finding", "[api][check]") {
    const Model model = io::read_scenario_text(std::string(kScenario) +
                                                   "expect:\n"
                                                   "  - availability >= 50%\n"
                                                   "  - availability >= 99.9999%\n"
                                                   "  - reliability(10y) >= 1%\n"
                                                   "  - crosscheck\n",
                                               "t.yaml");
    study::StudyOptions o;
    o.run.settings = model.simulation;
    const study::StudyResults s = study::run_study(model, o);
    REQUIRE(s.expectations.size() == 4);
    CHECK(s.expectations[0].finding == study::Finding::Met);
    CHECK(s.expectations[1].finding == study::Finding::Missed);
    CHECK(s.expectations[2].finding == study::Finding::NotMeasurable);  // beyond the 3 y horizon
    CHECK(s.expectations[2].outcome == study::Outcome::Inconclusive);
    const study::Finding cross = s.expectations[3].finding;
    CHECK((cross == study::Finding::CrosscheckAgrees || cross == study::Finding::CrosscheckDisagrees));
    const nlohmann::ordered_json j = report::expectations_to_json(s.expectations);
    CHECK(j.at(0).at("finding") == "met");
    CHECK(j.at(1).at("finding") == "missed");
    CHECK(j.at(2).at("finding") == "not_measurable");
}
