// Limits and checks that keep hostile or mistaken input from crashing or hanging nines (issue 9,
// "Crashes, hangs and unbounded memory"): checked index arithmetic, files that are not regular text
// files, clean names, law parameters, the event budget, and the bounded "did you mean".
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include <catch2/catch.hpp>

#include "io/index_expression.h"
#include "io/scenario_reader.h"
#include "io/text_file.h"
#include "io/yaml_support.h"
#include "model/workload.h"
#include "sim/runner.h"

using namespace nines;
namespace fs = std::filesystem;

namespace {

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no InputError)";
}

// A fresh directory under the system's temporary folder, removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "nines-limits-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

constexpr const char* kUnit = "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n";

}  // namespace

TEST_CASE("index expressions: every overflow is an error, never a trap or undefined behaviour", "[limits][index]") {
    using io::IndexExpression;
    // 536870912 * 536870912 * 32 = 2^63 does not fit; its negation -2^63 is INT64_MIN.
    const std::string min = "(-536870912*536870912*32)";
    CHECK(IndexExpression::parse(min).evaluate(0) == std::numeric_limits<std::int64_t>::min());
    CHECK_THROWS_WITH(IndexExpression::parse(min + " / -1").evaluate(0), "integer overflow");
    CHECK_THROWS_WITH(IndexExpression::parse(min + " % -1").evaluate(0), "integer overflow");
    CHECK_THROWS_WITH(IndexExpression::parse("-" + min).evaluate(0), "integer overflow");
    CHECK_THROWS_WITH(IndexExpression::parse("0 - " + min).evaluate(0), "integer overflow");
    CHECK_THROWS_WITH(IndexExpression::parse("-i").evaluate(std::numeric_limits<std::int64_t>::min()), "integer overflow");
    CHECK_THROWS_WITH(IndexExpression::parse("i / 0").evaluate(1), "division by zero");
    CHECK_THROWS_WITH(IndexExpression::parse("i % 0").evaluate(1), "modulo by zero");
    // The neighbours of the overflow still work: C++ truncating division and remainder.
    CHECK(IndexExpression::parse("(" + min + " + 1) / -1").evaluate(0) == std::numeric_limits<std::int64_t>::max());
    CHECK(IndexExpression::parse("-7 % -1").evaluate(0) == 0);
    CHECK(IndexExpression::parse("-7 / -2").evaluate(0) == 3);
    CHECK(IndexExpression::parse("-7 % 3").evaluate(0) == -1);
    CHECK(IndexExpression::parse("-i").evaluate(std::numeric_limits<std::int64_t>::max()) == -std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("only regular files are read, with the system's reason when they cannot be", "[limits][files]") {
    CHECK_THAT(message_of([] { io::read_scenario_file("/dev/zero"); }),
               Catch::Contains("/dev/zero: error: cannot read the scenario file: it is not a regular file"));
    TempDir dir;
    CHECK_THAT(message_of([&] { io::read_scenario_file(dir.path.string()); }), Catch::Contains("it is a directory, not a file"));
    const fs::path fifo = dir.path / "pipe.yaml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THAT(message_of([&] { io::read_scenario_file(fifo.string()); }), Catch::Contains("it is not a regular file"));
    fs::create_symlink(dir.path / "loop2.yaml", dir.path / "loop1.yaml");
    fs::create_symlink(dir.path / "loop1.yaml", dir.path / "loop2.yaml");
    CHECK_THAT(message_of([&] { io::read_scenario_file((dir.path / "loop1.yaml").string()); }),
               Catch::Contains("cannot open the scenario file: Too many levels of symbolic links"));
    CHECK_THAT(message_of([&] { io::read_scenario_file((dir.path / "missing.yaml").string()); }),
               Catch::Contains("cannot open the scenario file: No such file or directory"));
    // A file above the size limit is refused from its size alone (a sparse file: nothing is written).
    const fs::path big = dir.path / "big.yaml";
    { std::ofstream(big.string()) << "x"; }
    fs::resize_file(big, io::kMaxTextFileBytes + 1);
    CHECK_THAT(message_of([&] { io::read_scenario_file(big.string()); }), Catch::Contains("MiB a scenario may have"));
    // An import that names a directory: the message points at the import entry.
    fs::create_directory(dir.path / "sub");
    const fs::path scenario = dir.path / "s.yaml";
    { std::ofstream(scenario.string()) << "imports: [ sub ]\ncomponents:\n  d: { type: hdd }\nsystem: d\n"; }
    CHECK_THAT(message_of([&] { io::read_scenario_file(scenario.string()); }),
               Catch::StartsWith(scenario.string() + ":1:12: error: cannot read imported file") &&
                   Catch::Contains("it is a directory"));
}

TEST_CASE("names and values must be clean UTF-8 without control characters", "[limits][text]") {
    using io::find_forbidden_character;
    CHECK(find_forbidden_character("web-01 é 日本 \xf4\x8f\xbf\xbf", false).empty());  // U+10FFFF is allowed
    CHECK(find_forbidden_character("a\x01", false) == "control character U+0001 at character 2");
    CHECK(find_forbidden_character("a\x7f", false) == "control character U+007F at character 2");
    CHECK(find_forbidden_character("\xc2\x85", false) == "control character U+0085 at character 1");  // C1 NEL
    CHECK(find_forbidden_character(std::string("a\0b", 3), false) == "control character U+0000 at character 2");
    CHECK(find_forbidden_character("two\nlines\tand tab", true).empty());
    CHECK(find_forbidden_character("two\nlines", false) == "control character U+000A at character 4");
    CHECK_THAT(find_forbidden_character("\xed\xa0\x80", false), Catch::StartsWith("invalid UTF-8"));      // surrogate
    CHECK_THAT(find_forbidden_character("\xc0\xaf", false), Catch::StartsWith("invalid UTF-8"));          // overlong '/'
    CHECK_THAT(find_forbidden_character("\xf4\x90\x80\x80", false), Catch::StartsWith("invalid UTF-8"));  // > U+10FFFF
    CHECK_THAT(find_forbidden_character("\xe6\x97", false), Catch::StartsWith("invalid UTF-8"));          // truncated
    // The file name goes into every report too.
    CHECK_THAT(message_of([] { io::read_scenario_text(std::string(kUnit) + "system: a\n", "caf\xe9.yaml"); }),
               Catch::Contains("error: the file name has invalid UTF-8") && Catch::Contains("rename the file"));
    CHECK_THAT(message_of([] { io::read_scenario_text(std::string(kUnit) + "system: a\n", "two\nlines.yaml"); }),
               Catch::StartsWith("two\\nlines.yaml: error: the file name has control character U+000A"));
    // A description may span lines; a block or pool name may not hold an escape.
    CHECK_NOTHROW(io::read_scenario_text(std::string("description: \"line one\\nline two\"\n") + kUnit + "system: { parallel: [a] }\n", "t.yaml"));
    CHECK_THAT(message_of([] {
                   io::read_scenario_text(std::string(kUnit) + "blocks:\n  \"b\\x1b\": { parallel: [a] }\nsystem: b\n", "t.yaml");
               }),
               Catch::StartsWith("t.yaml:4:3: error:") && Catch::Contains("control character U+001B"));
}

TEST_CASE("durations stay within [1 ns, 1e12 y]; thresholds are finite decimals", "[limits][quantity]") {
    auto with_mttf = [](const std::string& mttf) {
        return "components:\n  a: { failure: { mttf: " + mttf + " }, repair: { mttr: 1h } }\nsystem: a\n";
    };
    CHECK_NOTHROW(io::read_scenario_text(with_mttf("1e12y"), "t.yaml"));
    CHECK_THAT(message_of([&] { io::read_scenario_text(with_mttf("1.001e12y"), "t.yaml"); }), Catch::Contains("is too long"));
    CHECK_THAT(message_of([&] { io::read_scenario_text(with_mttf("0.9e-9s"), "t.yaml"); }), Catch::Contains("shorter than 1 nanosecond"));
    for (const char* bad : {"nan", "inf", "-inf", "0x1p3", "1e999", "infinity"}) {
        INFO(bad);
        CHECK_THAT(message_of([&] {
                       io::read_scenario_text(std::string(kUnit) + "system: { parallel: [a] }\nexpect: [ \"failures_per_year <= " + bad + "\" ]\n",
                                              "t.yaml");
                   }),
                   Catch::Contains("is not a number"));
    }
    const Model m = io::read_scenario_text(std::string(kUnit) + "system: { parallel: [a] }\nexpect: [ \"nines >= -2.5e0\" ]\n", "t.yaml");
    CHECK(m.expectations.at(0).threshold == -2.5);
}

TEST_CASE("medians of every law against closed forms", "[limits][distribution]") {
    CHECK(Distribution::exponential(10).median() == Approx(10 * std::log(2.0)).epsilon(1e-15));
    CHECK(Distribution::weibull(2, 100, 5).median() == Approx(5 + 100 * std::sqrt(std::log(2.0))).epsilon(1e-15));
    CHECK(Distribution::lognormal(1.5, 2).median() == Approx(std::exp(1.5)).epsilon(1e-15));
    // Gamma of shape 1 is exponential; of shape 2 its CDF at m is 1 - (1 + m/b) e^{-m/b}.
    CHECK(Distribution::gamma(1, 7).median() == Approx(7 * std::log(2.0)).epsilon(1e-12));
    const double g2 = Distribution::gamma(2, 3).median() / 3;
    CHECK(1 - (1 + g2) * std::exp(-g2) == Approx(0.5).epsilon(1e-12));
    // Truncated normal N(1, 2^2) on [0, inf): (Phi((m-1)/2) - Phi(-1/2)) / (1 - Phi(-1/2)) = 1/2.
    const double m = Distribution::normal(1, 2).median();
    const auto phi = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
    CHECK((phi((m - 1) / 2) - phi(-0.5)) / (1 - phi(-0.5)) == Approx(0.5).epsilon(1e-12));
    CHECK(Distribution::normal(50, 2).median() == Approx(50).epsilon(1e-12));
    CHECK(Distribution::uniform(2, 6).median() == 4);
    CHECK(Distribution::fixed(3).median() == 3);
    CHECK(Distribution::empirical({5, 1, 3}).median() == 3);
}

TEST_CASE("the event budget: the estimate, and refusal by the reader and by the runner", "[limits][events]") {
    const Model m = io::read_scenario_text(R"(
components:
  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h }, maintenance: { every: 100h, duration: 1h } }
  b: { failure: { lognormal: { median: 2h, sigma: 3 } }, repair: { fixed: 2h } }
  c: { failure: { mttf: 50h } }
  h: { failure: { mttf: 500h }, repair: { mttr: 1h }, hidden: true, inspect_every: 10h }
system: { series: [a, b, c, h] }
common_cause: [ { members: [a, b], shock: { mttf: 300h } } ]
simulation: { horizon: 1000h }
)",
                                           "t.yaml");
    const double H = 1e5;
    const double ln2 = std::log(2.0);
    // Typical time = min(mean, median): ln 2 x mean for exponential laws, the median 2 h for b.
    const double expected = 2 * 2 * H / (1000 * ln2 + 1 * ln2)   // a: failures and repairs
                            + 2 * 2 * H / 100                     // a: maintenance
                            + 2 * H / (2 + 2)                     // b
                            + 1                                   // c: non-repairable, fails once
                            + 2 * H / (500 * ln2 + ln2) + H / 10  // h: failures and repairs, inspections
                            + (1 + 3) * H / (300 * ln2);          // the shock and its three members
    const EventEstimate e = estimate_events(m, H);
    CHECK(e.per_replication == Approx(expected).epsilon(1e-12));
    CHECK_THAT(e.source, Catch::StartsWith("component 'b' failures and repairs"));
    CHECK_NOTHROW(check_event_budget(m, H));
    // About 0.67 events per hour, most from b: 2e9 h is over the budget, named at component b.
    CHECK_NOTHROW(check_event_budget(m, 1e9));
    CHECK_THAT(message_of([&] { check_event_budget(m, 2e9); }),
               Catch::StartsWith("t.yaml:4:3: error: the simulation would need about 1.3e+09 events per replication") &&
                   Catch::Contains("mostly from component 'b' failures and repairs (typical cycle 4 h)"));
    // The runner refuses a horizon from the command line the same way.
    sim::RunOptions run;
    run.settings = m.simulation;
    run.settings.horizon_h = 2e9;
    run.settings.replications = 1;
    CHECK_THAT(message_of([&] { sim::run_simulation(m, run); }), Catch::Contains("events per replication"));
}

TEST_CASE("grid points: counted in floating point before the conversion to int", "[limits][grid]") {
    // A grid step from the file and a horizon from the command line: 8.8e9 points would overflow an int.
    const Model m = io::read_scenario_text(std::string(kUnit) + "system: { parallel: [a] }\nsimulation: { horizon: 1000h, grid: 1h }\n", "t.yaml");
    sim::RunOptions run;
    run.settings = m.simulation;
    run.settings.horizon_h = 8.76e9;
    run.settings.replications = 1;
    CHECK_THAT(message_of([&] { sim::run_simulation(m, run); }), Catch::Contains("the time grid would have 1000000001 points"));
}

TEST_CASE("did you mean: bounded work for long names and many candidates", "[limits][suggest]") {
    CHECK(io::closest_match("wev", {"db", "web", "lb"}) == "web");
    CHECK(io::closest_match("WEB", {"web"}) == "web");
    CHECK(io::closest_match("databse", {"web", "database", "databases"}) == "database");
    CHECK(io::closest_match("abcdefgh", {"zzzzzzzz"}).empty());
    CHECK(io::closest_match("ab", {"xy", "ax"}) == "ax");  // distance 1 beats 2
    CHECK(io::closest_match("ab", {"xb", "ax"}) == "xb");  // ties: the first one
    // The band must not hide a match whose length differs: distance = length difference.
    CHECK(io::closest_match("replication", {"replications"}) == "replications");
    CHECK(io::closest_match("replicationsss", {"replications"}) == "replications");

    std::vector<std::string> names;
    for (int i = 0; i < 100000; ++i) names.push_back("comp" + std::to_string(i));
    std::mt19937 rng(7);
    std::vector<std::string> long_names;
    for (int i = 0; i < 100000; ++i) {
        std::string s(64, 'a');
        for (char& ch : s) ch = static_cast<char>('a' + rng() % 26);
        long_names.push_back(s);
    }
    const auto start = std::chrono::steady_clock::now();
    CHECK(io::closest_match(std::string(100000, 'x'), names).empty());
    CHECK(io::closest_match(std::string(1000, 'x'), names).empty());
    CHECK(io::closest_match("comp99998", names) == "comp99998");
    CHECK(io::closest_match("cmop5", names) == "comp5");
    io::closest_match(long_names[0].substr(0, 60) + "zzzz", long_names);  // 64 letters against 100,000 of them
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
#ifdef NDEBUG
    CHECK(seconds < 2.0);  // before: about 8e10 distance cells for the 100 KB name alone
#endif
    INFO(seconds);

    // The scenario the audit built (R15), generated here with 20,000 components and a 100 KB name.
    std::string text = "components:\n";
    for (int i = 0; i < 20000; ++i) text += "  comp" + std::to_string(i) + ": { failure: { mttf: 1000h }, repair: { mttr: 1h } }\n";
    text += "system: { series: [ " + std::string(100000, 'x') + " ] }\n";
    CHECK_THAT(message_of([&] { io::read_scenario_text(text, "didyoumean.yaml"); }),
               Catch::StartsWith("didyoumean.yaml:20002:21: error: unknown component or block 'xxx"));
}

TEST_CASE("reference budget: huge expansions are refused before they are built", "[limits][references]") {
    // 10 instances in 3 x 10^6 aliased copies: 3e7 references, over the budget of 2e7.
    std::string text = "components:\n  a: { count: 10, failure: { mttf: 1000h }, repair: { mttr: 1h } }\nblocks:\n  l0: { parallel: [a] }\n";
    text += "system:\n  series:\n    - &b0 { parallel: [a] }\n";
    for (int level = 1; level <= 6; ++level) {
        text += "    - &b" + std::to_string(level) + " { series: [";
        for (int k = 0; k < 10; ++k) text += std::string(k ? ", " : " ") + "*b" + std::to_string(level - 1);
        text += " ] }\n";
    }
    for (int k = 0; k < 2; ++k) text += "    - *b6\n";
    const auto start = std::chrono::steady_clock::now();
    CHECK_THAT(message_of([&] { io::read_scenario_text(text, "bomb.yaml"); }),
               Catch::StartsWith("bomb.yaml:6:3: error: 'system' expands to more than 20 million members"));
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 5.0);
    // Below the budget, the same aliases are legal and give the expected structure.
    std::string small = "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
                        "system:\n  series:\n    - &p { parallel: [a] }\n    - *p\n    - *p\n";
    CHECK_NOTHROW(io::read_scenario_text(small, "small.yaml"));
    // Per-instance requires lists are counted once, not once per instance.
    CHECK_NOTHROW(io::read_scenario_text(
        "components:\n  z: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
        "  w: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h }, requires: [ [ z ], [ \"z[1]\" ] ] }\nsystem: { parallel: [w] }\n",
        "r.yaml"));
}
