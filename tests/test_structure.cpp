// Structure evaluation: incremental propagation (the kernel's) against a full recursive evaluation of
// the model's blocks written independently here, after random flips on random shared structures.
#include <functional>
#include <random>
#include <tuple>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "model/structure_graph.h"
#include "sim/kernel_model.h"
#include "sim/simulation.h"

using namespace nines;

namespace {

// A random scenario: components with requires on earlier components, named blocks over instances
// and earlier blocks (so shared sub-blocks), and a random system block.
std::string random_scenario(std::mt19937& gen) {
    std::uniform_int_distribution<int> coin(0, 99);
    const int n_comp = 4 + coin(gen) % 8;
    std::string y = "components:\n";
    for (int c = 0; c < n_comp; ++c) {
        const int count = 1 + coin(gen) % 3;
        y += "  c" + std::to_string(c) + ": { count: " + std::to_string(count) + ", failure: { mttf: 100 }, repair: { mttr: 1 }";
        if (c > 0 && coin(gen) < 30) {
            const int target = coin(gen) % c;
            y += ", requires: [ c" + std::to_string(target) + " ]";
        }
        y += " }\n";
    }
    y += "blocks:\n";
    const int n_blocks = 3 + coin(gen) % 8;
    for (int b = 0; b < n_blocks; ++b) {
        std::vector<std::string> members;
        const int m = 1 + coin(gen) % 4;
        for (int k = 0; k < m; ++k) {
            if (b > 0 && coin(gen) < 35) {
                members.push_back("b" + std::to_string(coin(gen) % b));
            } else {
                const int c = coin(gen) % n_comp;
                members.push_back(coin(gen) < 50 ? "c" + std::to_string(c) : "\"c" + std::to_string(c) + "[0]\"");
            }
        }
        std::string list = "[";
        for (std::size_t k = 0; k < members.size(); ++k) list += (k ? ", " : "") + members[k];
        list += "]";
        const int kind = coin(gen) % 3;
        y += "  b" + std::to_string(b) + ": ";
        if (kind == 0) {
            y += "{ series: " + list + " }\n";
        } else if (kind == 1) {
            y += "{ parallel: " + list + " }\n";
        } else {
            // k = 1 is always valid whatever the expanded member count.
            y += "{ k_of_n: { k: 1, of: " + list + " } }\n";
        }
    }
    y += "system: { k_of_n: { k: 1, of: [ b" + std::to_string(n_blocks - 1) + ", b" + std::to_string(coin(gen) % n_blocks) + " ] } }\n";
    return y;
}

// Reference: recursive evaluation straight from the Model (not from the compiled graph).
bool model_up(const Model& m, const std::vector<std::uint8_t>& raw_down, int block) {
    std::function<bool(int)> instance_up = [&](int i) {
        if (raw_down[static_cast<std::size_t>(i)]) return false;
        for (int r : m.instances[static_cast<std::size_t>(i)].requires) {
            if (!instance_up(r)) return false;
        }
        return true;
    };
    std::function<bool(int)> up = [&](int b) {
        const Block& blk = m.blocks[static_cast<std::size_t>(b)];
        if (blk.kind == BlockKind::Instance) return instance_up(blk.instance);
        int n_up = 0;
        for (int c : blk.children) n_up += up(c) ? 1 : 0;
        const int n = static_cast<int>(blk.children.size());
        if (blk.kind == BlockKind::Series) return n_up == n;
        if (blk.kind == BlockKind::Parallel) return n_up >= 1;
        return n_up >= blk.k;
    };
    return up(block);
}

}  // namespace

TEST_CASE("incremental propagation equals full recomputation after random flips", "[structure]") {
    std::mt19937 gen(12345);
    int checked = 0;
    for (int trial = 0; trial < 200; ++trial) {
        const std::string yaml = random_scenario(gen);
        INFO(yaml);
        const Model m = io::read_scenario_text(yaml, "random.yaml");
        sim::KernelModel km(m, m.simulation);
        sim::Simulation simulation(km);
        simulation.reset_state();
        const int n = km.graph.instance_count;
        std::vector<std::uint8_t> raw(static_cast<std::size_t>(n), 0);
        std::vector<std::uint8_t> full;
        std::uniform_int_distribution<int> pick(0, n - 1);
        for (int step = 0; step < 200; ++step) {
            const int i = pick(gen);
            raw[static_cast<std::size_t>(i)] ^= 1;
            const bool root_before = simulation.node_down()[static_cast<std::size_t>(km.graph.root)] != 0;
            const bool changed = simulation.flip_instance(i, raw[static_cast<std::size_t>(i)] != 0);
            km.graph.evaluate(raw, full);
            // Every node reachable from the root agrees with the full evaluation.
            for (int g : km.graph.gate_order) {
                REQUIRE(simulation.node_down()[static_cast<std::size_t>(g)] == full[static_cast<std::size_t>(g)]);
            }
            const bool root_down = simulation.node_down()[static_cast<std::size_t>(km.graph.root)] != 0;
            REQUIRE(changed == (root_down != root_before));
            REQUIRE(root_down == !model_up(m, raw, m.system_block));
            ++checked;
        }
    }
    CHECK(checked == 40000);
}

TEST_CASE("thresholds: series 1, parallel n, k-of-n n-k+1", "[structure]") {
    const Model m = io::read_scenario_text(R"(
components:
  a: { count: 5, failure: { mttf: 100 }, repair: { mttr: 1 } }
blocks:
  s: { series: [a] }
  p: { parallel: [a] }
  k: { k_of_n: { k: 3, of: a } }
system: { series: [s, p, k] }
)", "t.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    CHECK(g.threshold[static_cast<std::size_t>(g.block_node[static_cast<std::size_t>(m.named_blocks.at("s"))])] == 1);
    CHECK(g.threshold[static_cast<std::size_t>(g.block_node[static_cast<std::size_t>(m.named_blocks.at("p"))])] == 5);
    CHECK(g.threshold[static_cast<std::size_t>(g.block_node[static_cast<std::size_t>(m.named_blocks.at("k"))])] == 3);
}

TEST_CASE("gate kinds: every block type, normalised to what the gate computes", "[structure][gate-kind]") {
    const Model m = io::read_scenario_text(R"(
components:
  a: { count: 5, failure: { mttf: 100 }, repair: { mttr: 1 } }
  zone: { failure: { mttf: 1000 }, repair: { mttr: 2 } }
  r: { count: 2, failure: { mttf: 100 }, repair: { mttr: 1 }, requires: [zone] }
  db: { count: 3, failure: { mttf: 100 }, repair: { mttr: 1 } }
blocks:
  s: { series: [a] }
  p: { parallel: [a] }
  k: { k_of_n: { k: 3, of: a } }
  k_all: { k_of_n: { k: 5, of: a } }
  k_one: { k_of_n: { k: 1, of: a } }
  p_single: { parallel: ["a[0]"] }
  alias: s
  sb: { standby: { active: 1, of: db, mode: cold } }
system: { series: [s, p, k, k_all, k_one, p_single, alias, sb, r] }
)", "t.yaml");
    const StructureGraph g = StructureGraph::compile(m);
    auto node = [&](const char* name) {
        return static_cast<std::size_t>(g.block_node[static_cast<std::size_t>(m.named_blocks.at(name))]);
    };
    const std::vector<std::tuple<const char*, GateKind, int>> expected = {
        {"s", GateKind::Series, 1},      {"p", GateKind::Parallel, 5},      {"k", GateKind::KOfN, 3},
        {"k_all", GateKind::Series, 1},  {"k_one", GateKind::Parallel, 5},  {"p_single", GateKind::Series, 1},
        {"alias", GateKind::Series, 1},  {"sb", GateKind::Standby, 1},
    };
    for (const auto& [name, kind, threshold] : expected) {
        INFO(name);
        CHECK(to_string(g.kind[node(name)]) == std::string(to_string(kind)));
        CHECK(g.threshold[node(name)] == threshold);
    }
    CHECK(g.child_count(static_cast<int>(node("sb"))) == 0);  // the standby group's state is set, not counted
    CHECK(g.need_up(static_cast<int>(node("k"))) == 3);
    // An instance with requirements stands for a series gate over itself and what it requires.
    const Component& r = m.components[static_cast<std::size_t>(m.find_component("r"))];
    for (int i = 0; i < r.count; ++i) {
        const auto eff = static_cast<std::size_t>(g.effective_node[static_cast<std::size_t>(r.first_instance + i)]);
        CHECK_FALSE(g.is_leaf(static_cast<int>(eff)));
        CHECK(g.kind[eff] == GateKind::Series);
        CHECK(g.threshold[eff] == 1);
        CHECK(g.child_count(static_cast<int>(eff)) == 2);
    }
    // The system block.
    CHECK(g.kind[static_cast<std::size_t>(g.root)] == GateKind::Series);
    // Every gate's threshold is the one its kind implies (the kernel counts with it).
    for (int n = g.instance_count; n < g.node_count; ++n) {
        const int count = g.child_count(n);
        const int t = g.threshold[static_cast<std::size_t>(n)];
        switch (g.kind[static_cast<std::size_t>(n)]) {
            case GateKind::Series: CHECK(t == 1); break;
            case GateKind::Parallel: CHECK((t == count && count >= 2)); break;
            case GateKind::KOfN: CHECK((t > 1 && t < count)); break;
            case GateKind::Standby: CHECK((t == 1 && count == 0)); break;
            case GateKind::Instance: FAIL("a gate of kind instance (only leaves are)"); break;
            case GateKind::Capacity: FAIL("a gate of kind capacity (compiled as a weighted k-of-n)"); break;
        }
    }
    for (int n = 0; n < g.instance_count; ++n) CHECK(g.kind[static_cast<std::size_t>(n)] == GateKind::Instance);
}
