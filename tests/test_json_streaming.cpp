// `nines run --json` writes its document piece by piece (report::write_run_json: the per-component
// tables row by row, so that a million components do not need a tree of several GB). The text must be
// byte for byte the dump of the whole tree (report::run_to_json), which this test checks on scenarios
// with components, downtime causes, changes, domains and SLOs. It can fail: indenting the rows by 2
// spaces instead of 4, or dropping the comma between rows, changes the text.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "report/json_report.h"
#include "study/cost.h"
#include "study/study.h"

using namespace nines;

TEST_CASE("run JSON text written in pieces equals the dump of the whole tree", "[report][json]") {
    for (const char* name : {"storage_cluster.yaml", "bad_deploys.yaml", "kafka_zone_loss.yaml", "payments_api_slo.yaml", "dns_failover_regions.yaml", "web_two_zones.yaml"}) {
        const std::filesystem::path file = std::filesystem::path(NINES_SCENARIO_DIR) / name;
        INFO(file.string());
        REQUIRE(std::filesystem::exists(file));
        Model model = io::read_scenario_file(file.string());
        study::StudyOptions o;
        o.run.settings = model.simulation;
        o.run.settings.replications = std::min<std::int64_t>(o.run.settings.replications, 20);
        const study::StudyResults s = study::run_study(model, o);
        const study::CostEstimate cost = study::expected_cost(model, s.simulation);
        const std::string whole = report::run_to_json(s, cost).dump(2) + "\n";
        std::string pieces;
        int count = 0;
        report::write_run_json(s, cost, [&](const std::string& piece) {
            pieces += piece;
            ++count;
        });
        CHECK(count >= 5);
        CHECK(pieces == whole);
        CHECK(report::run_to_json_text(s, cost) == whole);
    }
}
