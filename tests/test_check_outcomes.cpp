// What `check` and `sweep` say about their verdicts: a cross-check with no applicable method is "not
// applicable" (skipped in JUnit, never a pass), `--quiet` keeps only the totals line, and a sweep row
// says what its count counts.
#include <algorithm>
#include <sstream>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <catch2/catch.hpp>

#include "io/scenario_files.h"
#include "io/scenario_reader.h"
#include "model/error.h"
#include "report/check_report.h"
#include "report/check_wording.h"
#include "report/sweep_report.h"
#include "study/study.h"
#include "study/sweep.h"

using namespace nines;

namespace {

// One crew and lognormal repairs: components are dependent and no exact method applies.
const char* kNoReference =
    "components:\n"
    "  a: { count: 2, failure: { mttf: 100h }, repair: { lognormal: { median: 5h, sigma: 0.5 } } }\n"
    "repair: { crews: 1 }\n"
    "system: { parallel: [a] }\n"
    "simulation: { horizon: 1000h, replications: 50, seed: 2 }\n"
    "expect:\n  - crosscheck\n  - availability >= 90%\n";

study::StudyResults study_of(const std::string& yaml) {
    const Model m = io::read_scenario_text(yaml, "t.yaml");
    study::StudyOptions o;
    o.run.settings = m.simulation;
    o.resolve_inconclusive = true;
    return study::run_study(m, o);
}

}  // namespace

TEST_CASE("a cross-check with no applicable method is 'not applicable', skipped in JUnit", "[check]") {
    report::CheckedScenario c;
    c.file = "t.yaml";
    c.name = "no reference";
    c.study = study_of(kNoReference);
    REQUIRE(c.study.expectations.size() == 2);
    INFO(report::describe(c.study.expectations[0]));
    CHECK(c.study.expectations[0].outcome == study::Outcome::NotApplicable);
    CHECK(c.study.expectations[1].outcome == study::Outcome::Pass);

    std::istringstream in(report::check_to_junit({c}, true));
    boost::property_tree::ptree tree;
    boost::property_tree::read_xml(in, tree);
    const auto& suites = tree.get_child("testsuites");
    CHECK(suites.get<int>("<xmlattr>.tests") == 2);
    CHECK(suites.get<int>("<xmlattr>.skipped") == 1);
    CHECK(suites.get<int>("<xmlattr>.failures") == 0);  // not a failure, even under --strict
    for (const auto& tc : suites.get_child("testsuite")) {
        if (tc.first != "testcase" || tc.second.get<std::string>("<xmlattr>.name") != "crosscheck") continue;
        CHECK(tc.second.get_child_optional("skipped").has_value());
        CHECK(tc.second.get<std::string>("skipped.<xmlattr>.message").rfind("not applicable: ", 0) == 0);
    }
    const std::string totals = report::check_totals_to_text({c}, false);
    CHECK(totals == "1 scenario: 1 passed, 0 failed, 0 inconclusive, 1 not applicable\n");
    // The full summary ends with the same totals line; --quiet prints only that line.
    const std::string summary = report::check_summary_to_text({c}, false);
    CHECK(summary.size() > totals.size());
    CHECK(summary.compare(summary.size() - totals.size(), totals.size(), totals) == 0);
}

TEST_CASE("a sweep row says how many expectations pass out of how many", "[sweep]") {
    // One unit (availability 0.952): 1 of the 3 expectations passes at every point.
    const std::string yaml = "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h } }\nsystem: a\n"
                             "simulation: { horizon: 1000h, replications: 40, seed: 2 }\n"
                             "expect:\n  - availability >= 90%\n  - availability >= 99%\n  - availability >= 99.9%\n";
    const Model m = io::read_scenario_text(yaml, "t.yaml");
    study::SweepPoint p;
    p.has_expectations = true;
    study::StudyOptions o;
    o.run.settings = m.simulation;
    p.study = study::run_study(m, o);
    p.expectations = study::Outcome::Fail;
    study::SweepResults s;
    s.keys = {"a.count"};
    p.assignments = {{"a.count", "1", SourceLocation{}}};
    s.points.push_back(p);
    const std::string text = report::sweep_to_text(s);
    INFO(text);
    CHECK(text.find("fail (1 of 3 pass)") != std::string::npos);
    CHECK(text.find("availability >= 99%; availability >= 99.9%") != std::string::npos);  // names what failed
    CHECK(text.find("(1/3)") == std::string::npos);
}

TEST_CASE("scenario folders: every *.yaml in sorted order; an empty folder is an input error", "[check]") {
    const std::vector<std::string> files = io::collect_scenario_files({std::string(NINES_SCENARIO_DIR)});
    REQUIRE(files.size() >= 8);
    CHECK(std::is_sorted(files.begin(), files.end()));
    for (const std::string& f : files) CHECK(f.substr(f.size() - 5) == ".yaml");
    CHECK(io::collect_scenario_files({"some/file.yaml"}) == std::vector<std::string>{"some/file.yaml"});
    CHECK_THROWS_AS(io::collect_scenario_files({std::string(NINES_TEST_DIR) + "/cli"}), InputError);
}
