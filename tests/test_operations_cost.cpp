// Costs of operations: crews (per crew and year), spare parts held (per part and year) and response
// contracts (`logistics_cost`, per unit and year) join ownership and downtime in the expected cost, so
// that "the cheapest design meeting every expectation" over crews is a real trade: with crews free the
// most crews would always win (less downtime), with their price the fewest that meet the expectations do.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "io/scenario_overrides.h"
#include "io/scenario_reader.h"
#include "io/sweep_points.h"
#include "report/json_report.h"
#include "report/sweep_report.h"
#include "study/cost.h"
#include "study/study.h"
#include "study/sweep.h"
#include "test_support.h"

using namespace nines;

namespace {

using test::write_temp;

const char* kPriced = R"(
components:
  disk: { count: 4, failure: { mttf: 2000h }, repair: { mttr: 24h }, cost: 100, spares: parts,
          logistics: { fixed: 4h }, logistics_cost: 50, crew: onsite }
  psu:  { count: 2, failure: { mttf: 5000h }, repair: { mttr: 8h }, cost: 40, crew: vendor }
system: { series: [ { k_of_n: { k: 3, of: disk } }, { parallel: [psu] } ] }
repair: { pools: { onsite: { crews: 2, cost: 10000 }, vendor: { crews: 1, cost: 3000 } } }
spares: { parts: { stock: 3, lead_time: { exponential: { mean: 5d } }, cost: 30 } }
cost: { downtime_per_hour: 1000 }
simulation: { horizon: 1y, replications: 50, seed: 3 }
)";

}  // namespace

TEST_CASE("operations costs are added exactly: crews, spares held, response contracts", "[cost]") {
    const Model model = io::read_scenario_file(write_temp("priced.yaml", kPriced));
    study::StudyOptions options;
    options.run.settings = model.simulation;
    const study::StudyResults r = study::run_study(model, options);
    const study::CostEstimate c = study::expected_cost(model, r.simulation);
    REQUIRE(c.defined);
    CHECK(c.ownership_per_year == 4 * 100 + 2 * 40);
    CHECK(c.crews_per_year == 2 * 10000 + 1 * 3000);
    CHECK(c.spares_per_year == 3 * 30);
    CHECK(c.logistics_per_year == 4 * 50);
    CHECK(c.operations_per_year == 23000 + 90 + 200);
    const sim::Estimate& d = r.simulation.downtime_h_per_year;
    const double fixed = 480 + 23290;
    CHECK(c.total_per_year.mean == Approx(fixed + 1000 * d.mean).epsilon(1e-12));
    CHECK(c.total_per_year.lo == Approx(fixed + 1000 * d.lo).epsilon(1e-12));
    CHECK(c.total_per_year.hi == Approx(fixed + 1000 * d.hi).epsilon(1e-12));
    // In the run JSON, under cost_per_year.operations.
    const nlohmann::ordered_json j = report::run_to_json(r, c);
    CHECK(j["cost_per_year"]["operations"]["crews"] == 23000.0);
    CHECK(j["cost_per_year"]["operations"]["spares"] == 90.0);
    CHECK(j["cost_per_year"]["operations"]["logistics"] == 200.0);
    CHECK(j["cost_per_year"]["operations"]["total"] == 23290.0);
}

TEST_CASE("operations costs are read from the file, and refused where they mean nothing", "[cost][bad-input]") {
    const Model shared = io::read_scenario_text(R"(
components:
  a: { count: 2, failure: { mttf: 100h }, repair: { mttr: 1h } }
system: { parallel: [a] }
repair: { crews: 3, cost: 1200.5 }
)", "shared.yaml");
    REQUIRE(shared.pools.size() == 1);
    CHECK(shared.pools[0].cost_per_crew_year == 1200.5);
    // `cost` beside `pools` is ambiguous (per which pool?): each pool takes its own.
    CHECK_THROWS_WITH(io::read_scenario_text(R"(
components:
  a: { failure: { mttf: 100h }, repair: { mttr: 1h }, crew: p }
system: a
repair: { pools: { p: { crews: 1 } }, cost: 10 }
)", "pools.yaml"),
                      Catch::StartsWith("pools.yaml:5:45:") && Catch::Contains("give each pool its own 'cost'"));
    CHECK_THROWS_WITH(io::read_scenario_text(R"(
components:
  a: { failure: { mttf: 100h }, repair: { mttr: 1h }, logistics_cost: 10 }
system: a
)", "contract.yaml"),
                      Catch::StartsWith("contract.yaml:3:71:") && Catch::Contains("give 'logistics' too"));
}

// A sweep over the crew count of a 4-of-6 tier whose repairs queue for crews. Without a price on crews,
// three crews always cost least (least downtime); priced, the cheapest design meeting the expectation is
// the smallest crew count that meets it. Both are checked, so a cost model that ignored the crews' price
// fails the second.
TEST_CASE("a sweep over crews picks the cheapest design meeting the expectations once crews cost", "[cost][sweep]") {
    auto scenario = [](const std::string& crew_cost) {
        return std::string(R"(
components:
  disk: { count: 6, failure: { mttf: 1000h }, repair: { mttr: 40h }, cost: 100 }
system: { k_of_n: { k: 4, of: disk } }
repair: { crews: 1)") + crew_cost + R"( }
cost: { downtime_per_hour: 1000 }
simulation: { horizon: 2y, replications: 100, seed: 9 }
expect:
  - availability >= 99.6%
)";
    };
    const SweepAxis axis = io::parse_sweep_spec("repair.crews=1..3", SourceLocation{"test", 0, 0});
    study::StudyOptions refine;
    refine.resolve_inconclusive = true;
    const auto run = [&](const std::string& file) {
        return study::run_sweep({axis}, io::sweep_point_models(file, {axis}), [](SimulationSettings&) {}, refine);
    };
    const study::SweepResults free_crews = run(write_temp("crews_free.yaml", scenario("")));
    const study::SweepResults priced = run(write_temp("crews_priced.yaml", scenario(", cost: 20000")));
    REQUIRE(priced.points.size() == 3);
    // The exact steady-state availability of each design: the birth-death chain of the number of failed
    // disks (failure rate (6 - j) / 1000 h, repair rate min(j, crews) / 40 h), up while j <= 2:
    // 99.33 %, 99.84 %, 99.89 %. Each point must agree within 4 standard errors.
    for (int crews = 1; crews <= 3; ++crews) {
        double p = 1, up = 1, all = 1;
        for (int j = 0; j < 6; ++j) {
            p *= (6 - j) / 1000.0 / (std::min(j + 1, crews) / 40.0);
            all += p;
            if (j + 1 <= 2) up += p;
        }
        const sim::Estimate& u = priced.points[static_cast<std::size_t>(crews - 1)].study.simulation.unavailability;
        INFO("crews = " << crews << ": exact unavailability " << 1 - up / all << ", simulated " << u.mean << " +- " << u.std_error);
        CHECK(std::fabs(u.mean - (1 - up / all)) < 4 * u.std_error);
    }
    // One crew misses the expectation (99.6 %); two and three meet it.
    CHECK(priced.points[0].expectations == study::Outcome::Fail);
    CHECK(priced.points[1].expectations == study::Outcome::Pass);
    CHECK(priced.points[2].expectations == study::Outcome::Pass);
    CHECK(free_crews.cheapest_meeting_expectations == 2);
    CHECK(priced.cheapest_meeting_expectations == 1);
    for (std::size_t i = 0; i < 3; ++i) {
        // Same random numbers with and without the price: the costs differ by exactly crews x 20000.
        INFO("repair.crews = " << i + 1);
        CHECK(priced.points[i].cost.crews_per_year == 20000.0 * static_cast<double>(i + 1));
        CHECK(priced.points[i].cost.total_per_year.mean ==
              Approx(free_crews.points[i].cost.total_per_year.mean + 20000.0 * static_cast<double>(i + 1)).epsilon(1e-12));
    }
    const std::string json = report::sweep_to_json(priced).dump();
    CHECK(json.find("\"operations\":{\"crews\":40000.0") != std::string::npos);
}
