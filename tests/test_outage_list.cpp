// The outage list behind outages.csv: each outage's replication, start, end, kind, cause and the
// components down during it, checked against hand-computed timelines of fixed-duration laws, and the
// CSV file written from it.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "report/csv_report.h"
#include "report/output_files.h"
#include "test_support.h"

using nines::test::run_yaml;

namespace {
std::string names(const nines::sim::SimulationResults& r, const std::vector<int>& indices) {
    std::string out;
    for (int c : indices) out += (out.empty() ? "" : ";") + r.components[static_cast<std::size_t>(c)].name;
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("outages of a parallel pair with fixed laws: cause is the unit that went down last", "[outages][csv]") {
    // a: up 100 h, down 50 h; b: up 120 h, down 50 h (clocks restart at each repair).
    // a down [100,150) [250,300) [400,450); b down [120,170) [290,340) [460,510).
    // The pair is down while both are: [120,150) and [290,300), each caused by b, which went down last
    // (a is up again at 450 when b fails at 460). A wrong cause rule (the first unit down) names a.
    const nines::sim::SimulationResults r = run_yaml(
        "components:\n"
        "  a: { failure: { fixed: 100h }, repair: { fixed: 50h } }\n"
        "  b: { failure: { fixed: 120h }, repair: { fixed: 50h } }\n"
        "system: { parallel: [a, b] }\n"
        "simulation: { horizon: 480h, replications: 2, seed: 3 }\n");
    REQUIRE(r.outage_list.size() == 4);  // two outages in each of the two (identical) replications
    for (std::size_t k = 0; k < r.outage_list.size(); ++k) {
        const nines::sim::OutageResult& o = r.outage_list[k];
        INFO("outage " << k);
        CHECK(o.replication == static_cast<std::int64_t>(k / 2));
        CHECK(names(r, o.causes) == "b");
        CHECK(names(r, o.components_down) == "a;b");
        CHECK_FALSE(o.open);
        CHECK_FALSE(o.planned);
    }
    CHECK(r.outage_list[0].start_h == Approx(120));
    CHECK(r.outage_list[0].end_h == Approx(150));
    CHECK(r.outage_list[1].start_h == Approx(290));
    CHECK(r.outage_list[1].end_h == Approx(300));
}

TEST_CASE("an outage open at the horizon is listed last with the horizon as its end", "[outages][csv]") {
    // Up 100 h, down 10 h: outages [100,110) [210,220) [320,330), then [430, 435 = horizon) still open.
    const nines::sim::SimulationResults r = run_yaml(
        "components:\n  a: { failure: { fixed: 100h }, repair: { fixed: 10h } }\n"
        "system: a\nsimulation: { horizon: 435h, replications: 1, seed: 1 }\n");
    REQUIRE(r.outage_list.size() == 4);
    CHECK(r.outage_list[3].open);
    CHECK(r.outage_list[3].start_h == Approx(430));
    CHECK(r.outage_list[3].end_h == Approx(435));
    CHECK(r.outage_samples_h.size() == 3);  // the durations list keeps completed outages only
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK_FALSE(r.outage_list[k].open);
        CHECK(r.outage_list[k].start_h == Approx(100 + 110.0 * static_cast<double>(k)));
        CHECK(r.outage_list[k].end_h - r.outage_list[k].start_h == Approx(r.outage_samples_h[k]));
    }
}

TEST_CASE("a maintenance outage is planned, and its cause is the maintained component", "[outages][csv]") {
    const nines::sim::SimulationResults r = run_yaml(
        "components:\n  a: { failure: { mttf: 100y }, repair: { mttr: 10h }, maintenance: { every: 1000h, duration: 4h } }\n"
        "system: a\nsimulation: { horizon: 3500h, replications: 1, seed: 1 }\n");
    REQUIRE(r.outage_list.size() >= 3);
    const nines::sim::OutageResult& o = r.outage_list[0];
    CHECK(o.planned);
    CHECK(names(r, o.causes) == "a");
    CHECK(o.end_h - o.start_h == Approx(4));
}

TEST_CASE("outages.csv lists every outage with its cause; summary.csv keeps its rows when censored", "[outages][csv]") {
    const nines::sim::SimulationResults r = run_yaml(
        "components:\n"
        "  a: { failure: { fixed: 100h }, repair: { fixed: 50h } }\n"
        "  b: { failure: { fixed: 120h }, repair: { fixed: 50h } }\n"
        "system: { parallel: [a, b] }\n"
        "simulation: { horizon: 480h, replications: 2, seed: 3 }\n");
    const std::string dir = (std::filesystem::temp_directory_path() / "nines_test_outage_csv").string();
    std::filesystem::remove_all(dir);
    {
        nines::report::OutputFiles files;
        nines::report::write_csv_directory(r, dir, files);
        files.commit();
    }
    CHECK(read_file(dir + "/outages.csv") ==
          "replication,start_h,end_h,duration_h,open_at_horizon,kind,cause,components_down\n"
          "0,120,150,30,0,unplanned,b,a;b\n"
          "0,290,300,10,0,unplanned,b,a;b\n"
          "1,120,150,30,0,unplanned,b,a;b\n"
          "1,290,300,10,0,unplanned,b,a;b\n");
    // Censored or not, the same rows (the MTTF row is not renamed); a never-failing system is censored.
    const nines::sim::SimulationResults never = run_yaml(
        "components:\n  a: { failure: { mttf: 1000y }, repair: { mttr: 1h } }\n"
        "system: a\nsimulation: { horizon: 100h, replications: 20, seed: 1 }\n");
    REQUIRE(never.censored > 0);
    REQUIRE(r.censored == 0);
    const std::string dir2 = dir + "_censored";
    std::filesystem::remove_all(dir2);
    {
        nines::report::OutputFiles files;
        nines::report::write_csv_directory(never, dir2, files);
        files.commit();
    }
    auto first_column = [](const std::string& csv) {
        std::istringstream in(csv);
        std::string line, out;
        while (std::getline(in, line)) out += line.substr(0, line.find(',')) + "\n";
        return out;
    };
    const std::string rows = first_column(read_file(dir + "/summary.csv"));
    CHECK(rows == first_column(read_file(dir2 + "/summary.csv")));
    CHECK(rows.find("\nmttf_h\n") != std::string::npos);
    CHECK(read_file(dir2 + "/outages.csv") == "replication,start_h,end_h,duration_h,open_at_horizon,kind,cause,components_down\n");
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(dir2);
}
