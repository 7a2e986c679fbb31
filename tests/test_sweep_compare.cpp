// Sweeps and design comparison: availability rising with replicas, every point in the CSV, and
// common random numbers narrowing the interval of a difference (measured, not assumed).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "io/scenario_overrides.h"
#include "io/scenario_reader.h"
#include "io/sweep_points.h"
#include "report/sweep_report.h"
#include "study/compare.h"
#include "study/sweep.h"
#include "test_support.h"

using namespace nines;

namespace {

using test::write_temp;

const char* kReplicas = R"(
components:
  web: { count: 2, failure: { mttf: 200h }, repair: { lognormal: { median: 10h, sigma: 0.5 } }, cost: 1000 }
system: { parallel: [web] }
cost: { downtime_per_hour: 100 }
simulation: { horizon: 2y, replications: 200, seed: 5 }
expect:
  - availability >= 99.99%
)";

}  // namespace

TEST_CASE("a sweep of web replicas: availability rises with every replica, the CSV holds every point", "[sweep]") {
    const std::string file = write_temp("replicas.yaml", kReplicas);
    const io::SweepAxis axis = io::parse_sweep_spec("web.count=1..5", SourceLocation{"--set", 0, 0});
    const study::SweepResults s = study::run_sweep({axis}, io::sweep_point_models(file, {axis}), [](SimulationSettings&) {}, {});
    REQUIRE(s.points.size() == 5);
    for (std::size_t i = 1; i < s.points.size(); ++i) {
        INFO("web.count = " << i + 1);
        CHECK(s.points[i].study.simulation.unavailability.mean < s.points[i - 1].study.simulation.unavailability.mean);
    }
    // One replica: 1 - A = MTTR / (MTTF + MTTR), within the run's interval.
    const double mttr = 10 * std::exp(0.125);
    const sim::Estimate& u1 = s.points[0].study.simulation.unavailability;
    CHECK(std::fabs(u1.mean - mttr / (200 + mttr)) < 4 * u1.std_error);
    // Cheapest design meeting availability >= 99.99%: the smallest count that passes.
    REQUIRE(s.cheapest_meeting_expectations >= 0);
    const auto& best = s.points[static_cast<std::size_t>(s.cheapest_meeting_expectations)];
    CHECK(best.expectations == study::Outcome::Pass);
    for (int i = 0; i < s.cheapest_meeting_expectations; ++i) CHECK(s.points[static_cast<std::size_t>(i)].expectations != study::Outcome::Pass);
    const std::string csv = report::sweep_to_csv(s);
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line);
    CHECK(line.rfind("web.count,availability,availability_ci95_lo", 0) == 0);
    int rows = 0;
    while (std::getline(lines, line)) {
        CHECK(line.rfind(std::to_string(rows + 1) + ",", 0) == 0);
        ++rows;
    }
    CHECK(rows == 5);
    std::filesystem::remove(file);
}

TEST_CASE("compare: common random numbers narrow the interval of a difference", "[compare]") {
    const std::string a = write_temp("a.yaml", R"(
components:
  db: { count: 2, failure: { mttf: 500h }, repair: { mttr: 10h } }
  app: { count: 3, failure: { weibull: { shape: 1.5, scale: 300h } }, repair: { mttr: 2h } }
system: { series: [ { parallel: [db] }, { k_of_n: { k: 2, of: app } } ] }
simulation: { horizon: 1y, replications: 300, seed: 2 }
)");
    // B repairs the database 10% faster: a small change, hard to see with independent runs.
    std::string btext = R"(
components:
  db: { count: 2, failure: { mttf: 500h }, repair: { mttr: 9h } }
  app: { count: 3, failure: { weibull: { shape: 1.5, scale: 300h } }, repair: { mttr: 2h } }
system: { series: [ { parallel: [db] }, { k_of_n: { k: 2, of: app } } ] }
simulation: { horizon: 1y, replications: 300, seed: 2 }
)";
    const std::string b = write_temp("b.yaml", btext);
    const study::CompareResults c = study::compare_designs({io::read_scenario_file(a), io::read_scenario_file(b)}, [](SimulationSettings&) {}, {});
    REQUIRE(c.designs.size() == 2);
    const study::Difference& d = c.designs[1].unavailability;
    INFO("paired " << d.paired.mean << " [" << d.paired.lo << ", " << d.paired.hi << "], independent [" << d.independent.lo
                   << ", " << d.independent.hi << "], ratio " << d.width_ratio);
    CHECK(d.paired.hi < 0);           // faster repair: less unavailability, and CRN can tell
    CHECK(d.width_ratio > 2.0);       // the measured narrowing
    CHECK(d.independent.hi > d.independent.lo);
    std::filesystem::remove(a);
    std::filesystem::remove(b);
}
