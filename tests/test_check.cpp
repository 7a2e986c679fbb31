// Expectations and `check`: pass, fail, inconclusive resolved by more replications, precision targets,
// and JUnit XML read back.
#include <sstream>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "report/check_report.h"
#include "report/check_wording.h"
#include "report/json_report.h"
#include "study/study.h"

using namespace nines;

namespace {

// One exponential unit: availability 100 / 105 = 0.952381.
std::string one_unit(const std::string& expect, const std::string& sim = "{ horizon: 1000h, replications: 20, seed: 4 }") {
    return "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h } }\nsystem: a\nsimulation: " + sim +
           "\nexpect:\n" + expect;
}

study::StudyResults run(const Model& m, bool resolve, int threads = 0) {
    study::StudyOptions o;
    o.run.settings = m.simulation;
    o.run.settings.threads = threads;
    o.resolve_inconclusive = resolve;
    return study::run_study(m, o);
}

}  // namespace

TEST_CASE("expectations pass and fail on clear margins", "[check]") {
    const Model m = io::read_scenario_text(one_unit("  - availability >= 90%\n  - availability >= 99%\n  - mtbf <= 1w\n"
                                                    "  - downtime_per_year > 10h\n  - crosscheck\n"),
                                           "t.yaml");
    const study::StudyResults r = run(m, false);
    REQUIRE(r.expectations.size() == 5);
    CHECK(r.expectations[0].outcome == study::Outcome::Pass);
    CHECK(r.expectations[1].outcome == study::Outcome::Fail);
    CHECK(r.expectations[1].finding == study::Finding::Missed);
    CHECK(report::describe(r.expectations[1]).find("misses >= 99") != std::string::npos);
    CHECK(report::describe(r.expectations[1]).find("percentage points") != std::string::npos);
    CHECK(r.expectations[2].outcome == study::Outcome::Pass);   // MTBF = 105 h
    CHECK(r.expectations[3].outcome == study::Outcome::Pass);   // 417 h per year
    CHECK(r.expectations[4].outcome == study::Outcome::Pass);
}

TEST_CASE("an inconclusive expectation is resolved by more replications, reproducibly", "[check]") {
    // True availability 0.952381; the threshold 0.9510 lies inside a 20-replication interval.
    const Model m = io::read_scenario_text(one_unit("  - availability >= 95.10%\n", "{ horizon: 10000h, replications: 20, seed: 4 }"), "t.yaml");
    const study::StudyResults first = run(m, false);
    CHECK(first.expectations[0].outcome == study::Outcome::Inconclusive);
    const study::StudyResults resolved = run(m, true, 1);
    CHECK(resolved.expectations[0].outcome == study::Outcome::Pass);
    CHECK(resolved.replication_steps.size() > 1);
    CHECK(resolved.simulation.replications > 20);
    const study::StudyResults again = run(m, true, 2);
    CHECK(again.replication_steps == resolved.replication_steps);
    CHECK(report::expectations_to_json(again.expectations).dump() == report::expectations_to_json(resolved.expectations).dump());
    CHECK(report::results_to_json_without_timing(again.simulation).dump() ==
          report::results_to_json_without_timing(resolved.simulation).dump());
    // A threshold on the true value cannot be resolved: inconclusive at the cap.
    const Model exact = io::read_scenario_text(one_unit("  - availability >= 95.2381%\n"), "t.yaml");
    study::StudyOptions o;
    o.run.settings = exact.simulation;
    o.resolve_inconclusive = true;
    o.max_replications = 160;
    const study::StudyResults capped = study::run_study(exact, o);
    CHECK(capped.expectations[0].outcome == study::Outcome::Inconclusive);
    CHECK(capped.simulation.replications == 160);
}

TEST_CASE("percentile, reliability and component expectations have intervals", "[check]") {
    const Model m = io::read_scenario_text(
        one_unit("  - downtime_per_year.p95 <= 1000h\n  - reliability(50h) >= 30%\n  - component.a.failures_per_year >= 50\n"
                 "  - outage.max <= 1000h\n",
                 "{ horizon: 5y, replications: 50, seed: 4 }"),
        "t.yaml");
    const study::StudyResults r = run(m, false);
    for (const study::ExpectationResult& e : r.expectations) {
        INFO(report::describe(e));
        CHECK(e.outcome == study::Outcome::Pass);
    }
    // R(50 h) = exp(-0.5) = 0.607 for a lone exponential unit.
    CHECK(r.expectations[1].value.estimate.lo < 0.6065);
    CHECK(r.expectations[1].value.estimate.hi > 0.6065);
}

TEST_CASE("a metric the run cannot measure says why as data; report words it", "[check]") {
    // 100 h per replication: no whole year for per-year percentiles, and 1 y lies beyond the horizon.
    const Model m = io::read_scenario_text(
        one_unit("  - reliability(1y) >= 50%\n  - downtime_per_year.p95 <= 1h\n", "{ horizon: 100h, replications: 20, seed: 4 }"),
        "t.yaml");
    const study::StudyResults r = run(m, false);
    REQUIRE(r.expectations.size() == 2);
    for (const study::ExpectationResult& e : r.expectations) {
        CHECK(e.outcome == study::Outcome::Inconclusive);
        CHECK(e.finding == study::Finding::NotMeasurable);
        CHECK_FALSE(e.value.measurable);
    }
    CHECK(r.expectations[0].value.unmeasurable == study::Unmeasurable::ReliabilityBeyondHorizon);
    CHECK(r.expectations[1].value.unmeasurable == study::Unmeasurable::NoWholeYear);
    CHECK(report::describe(r.expectations[0]) ==
          "reliability(1.00 y): cannot be measured: reliability at a time beyond the horizon");
    CHECK(report::describe(r.expectations[1]).find("cannot be measured: no whole year was simulated") != std::string::npos);
}

TEST_CASE("a precision target is met, with the same replication count for 1 and 2 threads", "[check]") {
    const std::string text = "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h } }\nsystem: a\n"
                             "simulation: { horizon: 1000h, seed: 9, replications: { until: { availability: 0.001 }, max: 100000, min: 50 } }\n";
    const Model m = io::read_scenario_text(text, "t.yaml");
    REQUIRE(m.simulation.precision.has_value());
    const study::StudyResults one = run(m, false, 1);
    const study::StudyResults two = run(m, false, 2);
    REQUIRE(one.precision.has_value());
    INFO(report::describe(*one.precision));
    CHECK(one.precision->met);
    CHECK(one.precision->half_width <= 0.001);
    CHECK(one.precision->replications == one.simulation.replications);
    CHECK(report::describe(*one.precision).find("precision target met") != std::string::npos);
    CHECK(study::half_width(one.simulation, "availability") <= 0.001);
    CHECK(one.simulation.replications > 50);
    CHECK(one.simulation.replications == two.simulation.replications);
    CHECK(report::results_to_json_without_timing(one.simulation).dump() ==
          report::results_to_json_without_timing(two.simulation).dump());
}

TEST_CASE("JUnit XML carries one test case per expectation and reads back", "[check]") {
    const Model m = io::read_scenario_text(one_unit("  - availability >= 90%\n  - availability >= 99%\n  - availability >= 95.2381%\n"),
                                           "t.yaml");
    report::CheckedScenario c;
    c.file = "t.yaml";
    c.name = "one unit";
    c.study = run(m, false);
    report::CheckedScenario bad;
    bad.file = "bad.yaml";
    bad.input_error = true;
    bad.error = "bad.yaml:3:4: error: something <wrong> & \"quoted\"";
    const std::string xml = report::check_to_junit({c, bad}, false);
    std::istringstream in(xml);
    boost::property_tree::ptree tree;
    boost::property_tree::read_xml(in, tree);
    const auto& suites = tree.get_child("testsuites");
    CHECK(suites.get<int>("<xmlattr>.tests") == 4);
    CHECK(suites.get<int>("<xmlattr>.failures") == 1);
    CHECK(suites.get<int>("<xmlattr>.skipped") == 1);
    CHECK(suites.get<int>("<xmlattr>.errors") == 1);
    int cases = 0;
    for (const auto& suite : suites) {
        if (suite.first != "testsuite") continue;
        for (const auto& tc : suite.second) {
            if (tc.first != "testcase") continue;
            ++cases;
            const std::string name = tc.second.get<std::string>("<xmlattr>.name");
            if (name == "availability >= 99%") {
                const std::string message = tc.second.get<std::string>("failure.<xmlattr>.message");
                CHECK(message.find("95% CI") != std::string::npos);  // measured value and interval
                CHECK(message.find(">= 99") != std::string::npos);   // the threshold
            }
            if (name == "scenario") CHECK(tc.second.get<std::string>("error.<xmlattr>.message") == bad.error);
        }
    }
    CHECK(cases == 4);
    // Under --strict the inconclusive one is a failure.
    std::istringstream strict_in(report::check_to_junit({c}, true));
    boost::property_tree::ptree strict;
    boost::property_tree::read_xml(strict_in, strict);
    CHECK(strict.get<int>("testsuites.<xmlattr>.failures") == 2);
}
