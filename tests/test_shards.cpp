// Shards (sim/step_shard.h) and partial files (shard/partial_file.h): any split of a step, adopted in
// block order, gives the plain run's results bit for bit; a naive reduction (each shard's sums added
// up first, then the shards' totals, as MPI_Reduce of doubles does) does not, and the comparison the
// CLI and MPI tests make sees the difference; a partial read back is the partial written, bit for bit.
#include <cstring>
#include <limits>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "model/error.h"
#include "report/json_report.h"
#include "shard/partial_file.h"
#include "sim/runner.h"

namespace {

using namespace nines;

const std::string kYaml = R"(
components:
  zone: { count: 2, failure: { mttf: 2000h }, repair: { lognormal: { median: 3h, sigma: 1 } } }
  web: { count: 4, failure: { weibull: { shape: 1.2, scale: 800h } }, repair: { mttr: 2h }, requires: [ "zone[i % 2]" ] }
system: { k_of_n: { k: 2, of: web } }
repair: { crews: 1 }
budget: 2h
simulation: { horizon: 3y, replications: 700, seed: 5, grid: 1w }
)";

std::string without_timing(const sim::SimulationResults& r) { return report::results_to_json_without_timing(r).dump(); }

std::vector<sim::StepShard> shards_of(const sim::SimulationRun& run, std::int64_t begin, std::int64_t end, int count) {
    sim::RunOptions options;
    options.settings = run.settings();
    std::vector<sim::StepShard> shards;
    for (int k = 0; k < count; ++k) shards.push_back(run.run_shard(begin, end, k, count, options));
    return shards;
}

std::vector<const sim::StepShard*> pointers(const std::vector<sim::StepShard>& shards) {
    std::vector<const sim::StepShard*> out;
    for (const sim::StepShard& s : shards) {
        if (!s.blocks.empty()) out.push_back(&s);
    }
    return out;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("any split of a step adopted in block order gives the plain run's bits", "[shards]") {
    const Model model = io::read_scenario_text(kYaml, "test.yaml");
    sim::RunOptions options;
    options.settings = model.simulation;
    options.settings.threads = 2;
    sim::SimulationRun plain(model, options.settings);
    plain.extend_to(700, options);
    plain.extend_to(1400, options);  // a second step, as a precision target takes
    const std::string expected = without_timing(plain.results());

    for (int count : {1, 2, 3, 4, 7, 50}) {
        INFO(count << " shards");
        sim::SimulationRun merged(model, options.settings);
        const std::vector<sim::StepShard> first = shards_of(merged, 0, 700, count);
        merged.adopt_step(700, pointers(first));
        const std::vector<sim::StepShard> second = shards_of(merged, 700, 1400, count);
        merged.adopt_step(1400, pointers(second));
        CHECK(without_timing(merged.results()) == expected);
    }
}

TEST_CASE("a naive reduction of per-shard sums changes bits the comparison sees", "[shards]") {
    // Each shard's blocks summed first, then the shards' totals in rank order: what MPI_Reduce of
    // doubles computes. Emulated through adopt_step: the first block of each shard carries the shard's
    // total and its other blocks zeros (adding 0 changes no bit), so the run's sums are exactly the
    // naive ones. For some shard counts the bits differ from the plain run, and the JSON the CLI and
    // MPI tests compare (shortest round-trip decimals: one per bit pattern) differs with them, so
    // those tests would fail on a naive reduction.
    const Model model = io::read_scenario_text(kYaml, "test.yaml");
    sim::RunOptions options;
    options.settings = model.simulation;
    sim::SimulationRun plain(model, options.settings);
    plain.extend_to(700, options);
    const std::string expected = without_timing(plain.results());

    int differing = 0;
    for (int count : {2, 3, 4, 7}) {
        sim::SimulationRun naive(model, options.settings);
        std::vector<sim::StepShard> shards = shards_of(naive, 0, 700, count);
        for (sim::StepShard& s : shards) {
            sim::BlockAccumulator total = s.blocks.front().sums;
            for (std::size_t k = 1; k < s.blocks.size(); ++k) total.merge(s.blocks[k].sums);
            // The lists (per-year downtime, outage lengths) concatenate exactly: keep them per block.
            for (std::size_t k = 0; k < s.blocks.size(); ++k) {
                sim::BlockAccumulator& b = s.blocks[k].sums;
                std::vector<double> years = b.year_downtime_h, outages = b.outage_durations_h;
                if (k == 0) {
                    b = total;
                } else {
                    b.reset(static_cast<int>(b.instance_failures.size()), static_cast<int>(b.component_outages.size()),
                            static_cast<int>(b.grid_up.size()), static_cast<int>(b.cell_down.size()),
                            static_cast<int>(b.pool_busy_h.size()), static_cast<int>(b.cause_downtime_h.size()));
                }
                b.year_downtime_h = years;
                b.outage_durations_h = outages;
            }
        }
        naive.adopt_step(700, pointers(shards));
        if (without_timing(naive.results()) != expected) ++differing;
    }
    CHECK(differing > 0);
}

TEST_CASE("adopt_step refuses shards that do not hold every block once, and leaves the run usable", "[shards]") {
    const Model model = io::read_scenario_text(kYaml, "test.yaml");
    sim::RunOptions options;
    options.settings = model.simulation;
    sim::SimulationRun run(model, options.settings);
    const std::vector<sim::StepShard> shards = shards_of(run, 0, 700, 3);
    CHECK_THROWS_AS(run.adopt_step(700, {&shards[0], &shards[2]}), Error);  // a gap
    CHECK_THROWS_AS(run.adopt_step(700, {&shards[1], &shards[0], &shards[2]}), Error);  // out of order
    CHECK_THROWS_AS(run.adopt_step(700, {&shards[0], &shards[1], &shards[1], &shards[2]}), Error);  // doubled
    CHECK_THROWS_AS(run.adopt_step(800, pointers(shards)), Error);  // another step
    CHECK(run.replications() == 0);
    run.adopt_step(700, pointers(shards));
    sim::SimulationRun plain(model, options.settings);
    plain.extend_to(700, options);
    CHECK(without_timing(run.results()) == without_timing(plain.results()));
}

TEST_CASE("a partial read back is the partial written, bit for bit", "[shards]") {
    const Model model = io::read_scenario_text(kYaml, "test.yaml");
    sim::RunOptions options;
    options.settings = model.simulation;
    sim::SimulationRun run(model, options.settings);
    shard::Partial p;
    p.nines_version = "9.9.9";
    p.scenario_file = "dir/a \"quoted\" name.yaml";
    p.scenario_hash = "fnv1a64:0123456789abcdef";
    p.override_seed = 18446744073709551615ULL;
    p.override_horizon = "3y";
    p.seed = 18446744073709551615ULL;
    p.horizon_h = 3 * 8760.0;
    p.warmup_h = 0.1;
    p.grid_h = 168;
    p.replications = 700;
    p.precision = "availability half-width 1e-05, at most 1000000 replications";
    p.step = 2;
    p.shard = 1;
    p.shards = 3;
    p.data = run.run_shard(0, 700, 1, 3, options);
    // Values a decimal writer could get wrong: non-finite, subnormal, the largest double, 0.1, -0.
    std::vector<double>& cells = p.data.blocks.front().sums.cell_down;
    const double tricky[] = {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::max(), 0.1, -0.0, 1.0 / 3.0};
    for (std::size_t k = 0; k < std::size(tricky); ++k) cells[k] = tricky[k];

    const shard::Partial q = shard::partial_from_text(shard::partial_to_text(p), "x.partial");
    CHECK(q.nines_version == p.nines_version);
    CHECK(q.scenario_file == p.scenario_file);
    CHECK(q.scenario_hash == p.scenario_hash);
    CHECK(q.override_seed == p.override_seed);
    CHECK(q.override_horizon == p.override_horizon);
    CHECK(!q.override_replications);
    CHECK(q.seed == p.seed);
    CHECK(same_bits(q.warmup_h, p.warmup_h));
    CHECK(q.precision == p.precision);
    CHECK(q.step == 2);
    CHECK(q.shard == 1);
    CHECK(q.shards == 3);
    REQUIRE(q.data.blocks.size() == p.data.blocks.size());
    for (std::size_t b = 0; b < p.data.blocks.size(); ++b) {
        const sim::ComputedBlock& x = p.data.blocks[b];
        const sim::ComputedBlock& y = q.data.blocks[b];
        CHECK(x.index == y.index);
        REQUIRE(x.sums.cell_down.size() == y.sums.cell_down.size());
        for (std::size_t k = 0; k < x.sums.cell_down.size(); ++k) CHECK(same_bits(x.sums.cell_down[k], y.sums.cell_down[k]));
        for (std::size_t k = 0; k < x.sums.instance_downtime_h.size(); ++k) {
            CHECK(same_bits(x.sums.instance_downtime_h[k], y.sums.instance_downtime_h[k]));
        }
        CHECK(x.sums.grid_up == y.sums.grid_up);
        CHECK(x.sums.outage_durations_h == y.sums.outage_durations_h);
        REQUIRE(x.outcomes.size() == y.outcomes.size());
        for (std::size_t r = 0; r < x.outcomes.size(); ++r) {
            CHECK(same_bits(x.outcomes[r].unavailability, y.outcomes[r].unavailability));
            CHECK(same_bits(x.outcomes[r].first_failure_h, y.outcomes[r].first_failure_h));
            CHECK(x.outcomes[r].failed == y.outcomes[r].failed);
            CHECK(x.outcomes[r].events == y.outcomes[r].events);
        }
    }
    // The wrong version and damaged text are input errors naming the file.
    std::string text = shard::partial_to_text(p);
    text.replace(text.find("\"format_version\":2"), 18, "\"format_version\":7");
    CHECK_THROWS_AS(shard::partial_from_text(text, "x.partial"), InputError);
    CHECK_THROWS_AS(shard::partial_from_text("{\"format\": \"nines-partial\"", "x.partial"), InputError);
}
