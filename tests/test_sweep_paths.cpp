// Sweep axes: paths into `system` and list items, linked (zipped) keys, duration ranges, a point that
// cannot be built reported and skipped, and `validate`'s check of `sweep:` values. Exact answers: the
// points' models are read back and compared with what the assignments say.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "io/scenario_overrides.h"
#include "io/scenario_reader.h"
#include "io/sweep_points.h"
#include "report/sweep_report.h"
#include "study/sweep.h"
#include "test_support.h"

using namespace nines;

namespace {

using test::write_temp;

const SourceLocation kHere{"test", 0, 0};

const char* kTiers = R"(
components:
  lb: { failure: { mttf: 1000h }, repair: { mttr: 1h } }
  db: { count: 3, failure: { mttf: 500h }, repair: { mttr: 5h } }
system: { series: [ lb, { k_of_n: { k: 2, of: db } } ] }
simulation: { horizon: 2000h, replications: 20, seed: 1 }
)";

// The k of the model's k-of-n block (the only one).
int k_of(const Model& m) {
    for (const Block& b : m.blocks) {
        if (b.kind == BlockKind::KOfN) return b.k;
    }
    return -1;
}

}  // namespace

TEST_CASE("a sweep path reaches into system and list items with [N]", "[sweep][sweep-paths]") {
    const std::string file = write_temp("tiers.yaml", kTiers);
    const SweepAxis axis = io::parse_sweep_spec("system.series[1].k_of_n.k=1..3", kHere);
    const io::SweepPointModels models = io::sweep_point_models(file, {axis});
    for (const std::string& k : axis.values) {
        const Model m = models({{axis.path, k, kHere}}, k);
        CHECK(k_of(m) == std::stoi(k));
    }
    // Out of range, not a list, a map walked as a list: each named.
    CHECK_THROWS_WITH(io::sweep_point_models(file, {io::parse_sweep_spec("system.series[2].k_of_n.k=1", kHere)}),
                      Catch::Contains("has 2 item(s), positions [0] to [1]"));
    CHECK_THROWS_WITH(io::sweep_point_models(file, {io::parse_sweep_spec("system.series.k_of_n.k=1", kHere)}),
                      Catch::Contains("is a list: give a position"));
    CHECK_THROWS_WITH(io::sweep_point_models(file, {io::parse_sweep_spec("system[0].k=1", kHere)}),
                      Catch::Contains("is not a list"));
    // A whole list item replaced: the first member of the series becomes db (the model reads it).
    const Model m = io::sweep_point_models(file, {io::parse_sweep_spec("system.series[0]=db", kHere)})({{"system.series[0]", "db", kHere}}, "x");
    CHECK(m.blocks.size() > 0);
}

TEST_CASE("linked sweep keys are zipped, not crossed", "[sweep][sweep-paths]") {
    const SweepAxis linked = io::parse_linked_spec("db.count=3,5;system.series[1].k_of_n.k=2,3", kHere);
    REQUIRE(linked.values.size() == 2);
    REQUIRE(linked.linked.size() == 1);
    const std::string file = write_temp("tiers_link.yaml", kTiers);
    std::vector<std::pair<int, int>> seen;
    const study::SweepResults r = study::run_sweep(
        {linked}, [&](const std::vector<Assignment>& a, const std::string& label) {
            const Model m = io::sweep_point_models(file, {linked})(a, label);
            seen.push_back({m.components[1].count, k_of(m)});
            return m;
        },
        [](SimulationSettings&) {}, study::StudyOptions{});
    // Crossed, there would be four points including 2-of-5 and 3-of-3.
    REQUIRE(r.points.size() == 2);
    CHECK(seen == std::vector<std::pair<int, int>>{{3, 2}, {5, 3}});
    CHECK(r.keys == std::vector<std::string>{"db.count", "system.series[1].k_of_n.k"});
    CHECK(r.points[1].label == "db.count=5, system.series[1].k_of_n.k=3");
    CHECK_THROWS_WITH(io::parse_linked_spec("db.count=3,5;system.k_of_n.k=2,3,4", kHere), Catch::Contains("as many values"));
    // The same in a scenario file: sweep: { link: { ... } }.
    const Model m = io::read_scenario_text(std::string(kTiers) + "sweep: { link: { db.count: [3, 5], \"system.series[1].k_of_n.k\": [2, 3] }, lb.repair.mttr: [1h, 2h] }\n", "t.yaml");
    REQUIRE(m.sweep.size() == 2);
    CHECK(m.sweep[0].linked.size() == 1);
    CHECK(m.sweep[1].linked.empty());
}

TEST_CASE("duration ranges: 1h..4h:30min and { from, to, step }", "[sweep][sweep-paths]") {
    const SweepAxis a = io::parse_sweep_spec("lb.repair.mttr=1h..4h:30min", kHere);
    CHECK(a.values == std::vector<std::string>{"1h", "1.5h", "2h", "2.5h", "3h", "3.5h", "4h"});
    const SweepAxis b = io::parse_sweep_spec("lb.repair.mttr=10min..1h:10min", kHere);
    CHECK(b.values.size() == 6);  // 10, 20, ..., 60 min: the end is reached despite rounding
    CHECK_THROWS_WITH(io::parse_sweep_spec("lb.repair.mttr=1h..4h", kHere), Catch::Contains("needs a step"));
    CHECK_THROWS_WITH(io::parse_sweep_spec("lb.repair.mttr=4h..1h:1h", kHere), Catch::Contains("no values"));
    CHECK(io::parse_sweep_spec("db.count=2..6:2", kHere).values == std::vector<std::string>{"2", "4", "6"});
    const Model m = io::read_scenario_text(std::string(kTiers) + "sweep: { lb.repair.mttr: { from: 1h, to: 4h, step: 30min } }\n", "t.yaml");
    REQUIRE(m.sweep.size() == 1);
    CHECK(m.sweep[0].values == a.values);
}

TEST_CASE("a sweep point that cannot be built is reported and skipped, not the whole sweep", "[sweep][sweep-paths]") {
    const std::string file = write_temp("tiers_skip.yaml", kTiers);
    const SweepAxis axis = io::parse_sweep_spec("system.series[1].k_of_n.k=2..4", kHere);  // k = 4 > n = 3
    const study::SweepResults r = study::run_sweep({axis}, io::sweep_point_models(file, {axis}), [](SimulationSettings&) {},
                                                   study::StudyOptions{});
    REQUIRE(r.points.size() == 3);
    CHECK(r.points[0].error.empty());
    CHECK(r.points[1].error.empty());
    CHECK_THAT(r.points[2].error, Catch::Contains("k = 4 exceeds the number of members n = 3"));
    const std::string text = report::sweep_to_text(r);
    CHECK_THAT(text, Catch::Contains("skipped system.series[1].k_of_n.k=4"));
    CHECK_THAT(report::sweep_to_csv(r), Catch::Contains("skipped,"));
    // When no point can be built, the sweep is an input error.
    const SweepAxis bad = io::parse_sweep_spec("system.series[1].k_of_n.k=4,5", kHere);
    CHECK_THROWS_AS(study::run_sweep({bad}, io::sweep_point_models(file, {bad}), [](SimulationSettings&) {}, study::StudyOptions{}),
                    InputError);
}
