// The scenario reader on valid input: every distribution form, units, structure forms, requires.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "model/structure_graph.h"

using namespace nines;

namespace {
Model read(const std::string& text) { return io::read_scenario_text(text, "t.yaml"); }
}  // namespace

TEST_CASE("distributions and shorthands are read with their units", "[reader]") {
    const Model m = read(R"(
components:
  a: { failure: { mttf: 2y }, repair: { mttr: 30min } }
  b: { failure: { exponential: { rate: 2/y } }, repair: { exponential: { mean: 90s } } }
  c: { failure: { afr: 4% }, repair: { fixed: 4h } }
  d: { failure: { weibull: { shape: 2, scale: 1000h, location: 10h } }, repair: { lognormal: { median: 2h, sigma: 0.5 } } }
  e: { failure: { weibull: { shape: 2, mean: 1000h } }, repair: { lognormal: { mean: 2h, sd: 1h } } }
  f: { failure: { normal: { mean: 100h, sd: 10h } }, repair: { gamma: { shape: 2, scale: 1h } } }
  g: { failure: { uniform: { min: 10d, max: 20d } }, repair: { empirical: [1h, 2h, 6h] } }
  h: { failure: { exponential: { afr: 0.5 } }, repair: { gamma: { shape: 3, mean: 6h } } }
  k: { failure: { fixed: { value: 1w } } }
system: { series: [a, b, c, d, e, f, g, h, k] }
)");
    REQUIRE(m.components.size() == 9);
    CHECK(m.components[0].failure.mean() == Approx(2 * 8760));
    CHECK(m.components[0].repair->mean() == Approx(0.5));
    CHECK(m.components[1].failure.mean() == Approx(4380));
    CHECK(m.components[1].repair->mean() == Approx(90.0 / 3600));
    CHECK(m.components[2].failure.mean() == Approx(8760 / 0.04));
    CHECK(m.components[2].repair->kind == DistributionKind::Fixed);
    CHECK(m.components[3].failure.c == Approx(10));
    CHECK(std::exp(m.components[3].repair->a) == Approx(2.0));
    CHECK(m.components[4].failure.mean() == Approx(1000));
    CHECK(m.components[4].repair->mean() == Approx(2.0));
    // lognormal from mean and sd: variance (exp(s^2) - 1) exp(2 mu + s^2) = sd^2
    const Distribution& ln = *m.components[4].repair;
    CHECK((std::exp(ln.b * ln.b) - 1) * std::exp(2 * ln.a + ln.b * ln.b) == Approx(1.0));
    CHECK(m.components[5].failure.kind == DistributionKind::Normal);
    CHECK(m.components[5].repair->mean() == Approx(2.0));
    CHECK(m.components[6].failure.mean() == Approx(15 * 24));
    CHECK(m.components[6].repair->mean() == Approx(3.0));
    CHECK(m.components[7].failure.mean() == Approx(8760 / 0.5));
    CHECK(m.components[7].repair->mean() == Approx(6.0));
    CHECK_FALSE(m.components[8].repair.has_value());
    CHECK(m.components[8].failure.mean() == Approx(168));
}

TEST_CASE("counted components expand to instances; names stand for all of them", "[reader]") {
    const Model m = read(R"(
components:
  web: { count: 3, failure: { mttf: 1000 }, repair: { mttr: 1 } }
  db:  { failure: { mttf: 1000 }, repair: { mttr: 1 } }
system:
  series:
    - { parallel: [web] }
    - db
    - web[2]
    - { k_of_n: { k: 2, of: web } }
    - { parallel: web }
)");
    REQUIRE(m.instances.size() == 4);
    CHECK(m.instance_name(0) == "web[0]");
    CHECK(m.instance_name(3) == "db");
    const Block& root = m.blocks[static_cast<std::size_t>(m.system_block)];
    REQUIRE(root.kind == BlockKind::Series);
    REQUIRE(root.children.size() == 5);
    const Block& par = m.blocks[static_cast<std::size_t>(root.children[0])];
    CHECK(par.kind == BlockKind::Parallel);
    CHECK(par.children.size() == 3);
    const Block& web2 = m.blocks[static_cast<std::size_t>(root.children[2])];
    CHECK(web2.kind == BlockKind::Instance);
    CHECK(web2.instance == 2);
    const Block& kofn = m.blocks[static_cast<std::size_t>(root.children[3])];
    CHECK(kofn.kind == BlockKind::KOfN);
    CHECK(kofn.k == 2);
    CHECK(kofn.children.size() == 3);
    CHECK(m.blocks[static_cast<std::size_t>(root.children[4])].children.size() == 3);
}

TEST_CASE("a counted name standing alone puts its instances in series", "[reader]") {
    const Model m = read(R"(
components:
  web: { count: 2, failure: { mttf: 1000 }, repair: { mttr: 1 } }
system: web
)");
    const Block& root = m.blocks[static_cast<std::size_t>(m.system_block)];
    CHECK(root.kind == BlockKind::Series);
    CHECK(root.children.size() == 2);
}

TEST_CASE("requires: index expressions and explicit lists per instance", "[reader]") {
    const Model m = read(R"(
components:
  zone: { count: 2, failure: { mttf: 1000 }, repair: { mttr: 1 } }
  rack: { count: 3, failure: { mttf: 1000 }, repair: { mttr: 1 }, requires: [["zone[0]"], ["zone[1]"], ["zone[0]", "zone[1]"]] }
  web:  { count: 4, failure: { mttf: 1000 }, repair: { mttr: 1 }, requires: [ "zone[i % 2]", "rack[i / 2]" ] }
  all:  { failure: { mttf: 1000 }, repair: { mttr: 1 }, requires: zone }
system: { series: [ { parallel: [web] }, all ] }
)");
    auto req = [&](int inst) { return m.instances[static_cast<std::size_t>(inst)].requires; };
    // rack = instances 2..4, web = 5..8, all = 9
    CHECK(req(2) == std::vector<int>{0});
    CHECK(req(4) == std::vector<int>{0, 1});
    CHECK(req(5) == std::vector<int>{0, 2});  // web[0]: zone[0], rack[0]
    CHECK(req(6) == std::vector<int>{1, 2});  // web[1]: zone[1], rack[0]
    CHECK(req(7) == std::vector<int>{0, 3});  // web[2]: zone[0], rack[1]
    CHECK(req(8) == std::vector<int>{1, 3});
    CHECK(req(9) == std::vector<int>{0, 1});
}

TEST_CASE("named blocks may be shared and referenced before definition", "[reader]") {
    const Model m = read(R"(
components:
  disk: { count: 3, failure: { mttf: 1000 }, repair: { mttr: 1 } }
  web:  { failure: { mttf: 1000 }, repair: { mttr: 1 } }
  dr:   { failure: { mttf: 1000 }, repair: { mttr: 1 } }
blocks:
  app: { series: [ web, storage ] }
  storage: { k_of_n: { k: 2, of: disk } }
system: { parallel: [ app, dr, storage ] }
)");
    CHECK(m.named_blocks.size() == 2);
    const StructureGraph g = StructureGraph::compile(m);
    // storage is shared: its node has two parents (app and the root).
    const int storage = g.block_node[static_cast<std::size_t>(m.named_blocks.at("storage"))];
    CHECK(g.parent_begin[static_cast<std::size_t>(storage) + 1] - g.parent_begin[static_cast<std::size_t>(storage)] == 2);
}

TEST_CASE("simulation settings and budget", "[reader]") {
    const Model m = read(R"(
components:
  a: { failure: { mttf: 1000 }, repair: { mttr: 1 } }
system: a
budget: 30min
simulation: { horizon: 5y, replications: 123, seed: 99, warmup: 1y, threads: 2, grid: 1w }
)");
    CHECK(m.simulation.horizon_h == Approx(5 * 8760));
    CHECK(m.simulation.replications == 123);
    CHECK(m.simulation.seed == 99);
    CHECK(m.simulation.warmup_h == Approx(8760));
    CHECK(m.simulation.threads == 2);
    CHECK(m.simulation.grid_h == Approx(168));
    REQUIRE(m.budget_h.has_value());
    CHECK(*m.budget_h == Approx(0.5));
}

TEST_CASE("an unused component is a warning, not an error", "[reader]") {
    const Model m = read(R"(
components:
  a: { failure: { mttf: 1000 }, repair: { mttr: 1 } }
  spare: { failure: { mttf: 1000 }, repair: { mttr: 1 } }
system: a
)");
    REQUIRE(m.warnings.size() == 1);
    CHECK(m.warnings[0].find("spare") != std::string::npos);
}

TEST_CASE("a horizon without a unit is read as hours, with a warning", "[reader]") {
    const std::string base = "components:\n  a: { failure: { mttf: 1000h }, repair: { mttr: 1h } }\nsystem: a\n";
    for (const char* horizon : {"10", "10.5", "1e3", "'10 '"}) {
        INFO(horizon);
        const Model m = read(base + "simulation: { horizon: " + horizon + " }\n");
        REQUIRE(m.warnings.size() == 1);
        CHECK(m.warnings[0].rfind("t.yaml:4:24: warning: simulation horizon", 0) == 0);
        CHECK(m.warnings[0].find("has no unit, so it is") != std::string::npos);
        CHECK(m.warnings[0].find("or '") != std::string::npos);
    }
    CHECK(read(base + "simulation: { horizon: 10 }\n").simulation.horizon_h == 10);
    for (const char* horizon : {"10h", "10y", "4h23min", "2mo"}) {
        INFO(horizon);
        CHECK(read(base + "simulation: { horizon: " + horizon + " }\n").warnings.empty());
    }
}

TEST_CASE("every scenario in scenarios/ reads", "[reader]") {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NINES_SCENARIO_DIR)) {
        INFO(entry.path().string());
        CHECK_NOTHROW(io::read_scenario_file(entry.path().string()));
        ++count;
    }
    CHECK(count >= 3);
}

TEST_CASE("all 52 published fault trees read and compile", "[reader]") {
    int count = 0;
    std::size_t largest_blocks = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NINES_FAULT_TREE_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        INFO(entry.path().string());
        const Model m = io::read_scenario_file(entry.path().string());
        const StructureGraph g = StructureGraph::compile(m);
        CHECK(g.root >= 0);
        largest_blocks = std::max(largest_blocks, m.named_blocks.size());
        ++count;
    }
    CHECK(count == 52);
    CHECK(largest_blocks == 5965);  // telecom.yaml
}

TEST_CASE("model library types: inherited, overridden, and sourced", "[reader][models]") {
    const std::string dir = std::string(NINES_TEST_DIR) + "/";
    const Model m = io::read_scenario_text(R"(
imports: [ ../models/infrastructure.yaml ]
components:
  disk: { type: hdd, count: 4 }
  fast: { type: hdd, repair: { mttr: 1h } }
  srv:  { type: server, cost: 99 }
system: { series: [ { k_of_n: { k: 3, of: disk } }, fast, srv ] }
)", dir + "scenario.yaml");
    CHECK(m.components[0].type == "hdd");
    CHECK(m.components[0].failure.mean() == Approx(8760 / 0.017));
    REQUIRE(m.components[0].repair.has_value());
    CHECK(m.components[0].repair->kind == DistributionKind::Lognormal);
    CHECK(m.components[0].cost_per_unit_year == Approx(60));
    CHECK(m.components[1].repair->mean() == Approx(1.0));  // overridden
    CHECK(m.components[2].cost_per_unit_year == Approx(99));

    // A library type without a source for its numbers is refused, at the library's line.
    const std::string lib = dir + "bad_library.tmp.yaml";
    {
        std::ofstream out(lib);
        out << "types:\n  psu:\n    failure: { afr: 2% }\n    sources: { failure: \"vendor datasheet\" }\n"
               "  fan:\n    failure: { afr: 5% }\n    repair: { mttr: 2h }\n    sources: { failure: \"assumption\" }\n";
    }
    try {
        io::read_scenario_text("imports: [ bad_library.tmp.yaml ]\ncomponents:\n  p: { type: psu }\nsystem: p\n", dir + "scenario.yaml");
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("bad_library.tmp.yaml:8:14: error: type 'fan': no source for 'repair'") != std::string::npos);
    }
    std::filesystem::remove(lib);
}
