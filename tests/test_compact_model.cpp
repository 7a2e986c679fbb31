// The model's compact storage (issue 14: a million-component model in under 1 GB): interned file names
// in source locations, delays kept on the heap only when present, blocks' weights and demand profiles
// in one pointer, and the kernel's per-instance failure laws pointing into the model. Each behaves as
// the std::string / std::optional / std::vector / per-instance copy it replaced; the size checks keep
// the objects from growing back unnoticed (x86-64, the platform the sizes were measured on).
#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "model/compact_array.h"
#include "model/heap_optional.h"
#include "model/model.h"
#include "sim/kernel_model.h"

using namespace nines;

TEST_CASE("compact model: file names are shared and compare by their text", "[model][memory]") {
    const std::string name = std::string("scenarios/") + "web.yaml";  // built at run time: not a literal's address
    const SourceLocation a{name, 3, 4};
    const SourceLocation b{"scenarios/web.yaml", 5, 6};
    const SourceLocation other{"scenarios/db.yaml", 3, 4};
    CHECK(a.file == b.file);
    CHECK(&a.file.str() == &b.file.str());  // one copy of the text
    CHECK(a.file != other.file);
    CHECK(a.str() == "scenarios/web.yaml:3:4");
    CHECK(SourceLocation{}.file.empty());
    CHECK(SourceLocation{}.str() == "<input>");
    CHECK(sizeof(SourceLocation) == 16);
}

TEST_CASE("compact model: a heap optional copies its value and reads as std::optional", "[model][memory]") {
    HeapOptional<Distribution> none;
    CHECK_FALSE(none);
    CHECK_FALSE(none.has_value());
    CHECK_THROWS_AS(none.value(), std::bad_optional_access);
    HeapOptional<Distribution> some = Distribution::exponential(4.0);
    REQUIRE(some);
    HeapOptional<Distribution> copy = some;
    copy->a = 8.0;  // the copy owns its value
    CHECK(some->a == 4.0);
    CHECK((*copy).mean() == 8.0);
    const std::optional<Distribution> as_optional = copy;
    REQUIRE(as_optional);
    CHECK(as_optional->a == 8.0);
    copy = std::nullopt;
    CHECK_FALSE(copy);
    copy.emplace(Distribution::fixed(2.0));
    CHECK(copy->mean() == 2.0);
    CHECK(sizeof(HeapOptional<Distribution>) == 8);
}

TEST_CASE("compact model: a compact array holds what it was given", "[model][memory]") {
    CompactArray<double> empty;
    CHECK(empty.empty());
    CHECK(empty.size() == 0);
    CHECK(empty.begin() == empty.end());
    CHECK(empty.to_vector().empty());
    CompactArray<double> profile;
    profile = std::vector<double>{3.0, 9.0, 4.0};
    REQUIRE(profile.size() == 3);
    CHECK(profile[1] == 9.0);
    CHECK(profile.front() == 3.0);
    double sum = 0;
    for (double v : profile) sum += v;
    CHECK(sum == 16.0);
    CompactArray<double> copy = profile;
    CHECK(copy == profile);
    copy = std::vector<double>{3.0, 9.0};
    CHECK(copy != profile);
    CHECK(profile.size() == 3);  // untouched by the copy's change
    const std::vector<double> back = profile;
    CHECK(back == std::vector<double>{3.0, 9.0, 4.0});
    CompactArray<double> moved = std::move(copy);
    CHECK(moved.size() == 2);
    moved.clear();
    CHECK(moved.empty());
    CHECK(sizeof(CompactArray<int>) == 8);
}

TEST_CASE("compact model: model objects stay small", "[model][memory]") {
    // Measured when the side storage was introduced: 448, 176 and 72 bytes before.
    CHECK(sizeof(Component) <= 312);
    CHECK(sizeof(Block) <= 120);
    CHECK(sizeof(Instance) <= 48);
}

TEST_CASE("compact model: the kernel's instance failure laws are the model's, scaled only in beta-factor groups",
          "[model][memory][kernel-parts]") {
    const Model m = io::read_scenario_text(
        "components:\n"
        "  web: { count: 3, failure: { mttf: 1000h }, repair: { mttr: 2h } }\n"
        "  db: { count: 2, failure: { weibull: { shape: 1.5, scale: 800h } }, repair: { mttr: 4h } }\n"
        "common_cause:\n  - { members: [\"web[0]\", \"web[2]\"], beta: 10% }\n"
        "system: { series: [ { k_of_n: { k: 2, of: [web] } }, { parallel: [db] } ] }\n",
        "t.yaml");
    const sim::KernelModel km(m, m.simulation);
    REQUIRE(km.instance_failure_law.size() == m.instances.size());
    for (std::size_t i = 0; i < m.instances.size(); ++i) {
        const Distribution expected = m.independent_failure(static_cast<int>(i));
        const Distribution& law = *km.instance_failure_law[i];
        CHECK(law.kind == expected.kind);
        CHECK(law.a == expected.a);
        CHECK(law.b == expected.b);
        CHECK(law.c == expected.c);
    }
    // web[0] and web[2] own a scaled law (mean 1000 / 0.9 h); web[1] and the db units use the component's.
    CHECK(km.instance_failure_law[0]->a == Approx(1000.0 / 0.9));
    CHECK(km.instance_failure_law[1] == &m.components[0].failure);
    CHECK(km.instance_failure_law[2]->a == Approx(1000.0 / 0.9));
    CHECK(km.instance_failure_law[3] == &m.components[1].failure);
    CHECK(km.scaled_failure_law.size() == 2);
}
