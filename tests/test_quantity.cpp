#include <catch2/catch.hpp>

#include "io/index_expression.h"
#include "io/quantity.h"
#include "io/scenario_reader.h"

#include <fmt/format.h>

using namespace nines::io;

TEST_CASE("durations accept every documented unit", "[quantity]") {
    double h = 0;
    std::string problem;
    struct Case {
        const char* text;
        double hours;
    };
    for (const Case& c : {Case{"30s", 30.0 / 3600}, Case{"15min", 0.25}, Case{"4h", 4}, Case{"2d", 48}, Case{"1w", 168},
                          Case{"1y", 8760}, Case{"12", 12}, Case{"1.5 h", 1.5}, Case{"1e3h", 1000}, Case{"0.5y", 4380}}) {
        INFO(c.text);
        REQUIRE(parse_duration_text(c.text, h, problem));
        CHECK(h == Approx(c.hours));
    }
    CHECK_FALSE(parse_duration_text("5m", h, problem));
    CHECK(problem.find("min") != std::string::npos);
    CHECK_FALSE(parse_duration_text("4 fortnights", h, problem));
    CHECK_FALSE(parse_duration_text("abc", h, problem));
    CHECK_FALSE(parse_duration_text("inf", h, problem));
    CHECK_FALSE(parse_duration_text("nan", h, problem));
    CHECK_FALSE(parse_duration_text("0x10h", h, problem));
    CHECK_FALSE(parse_duration_text("", h, problem));
}

TEST_CASE("milliseconds, months and compound durations", "[quantity]") {
    double h = 0;
    std::string problem;
    struct Case {
        const char* text;
        double hours;
    };
    // A month is a twelfth of the 365-day year: 730 h (README, Quantities).
    for (const Case& c : {Case{"500ms", 0.5 / 3600}, Case{"1 millisecond", 1.0 / 3'600'000}, Case{"1mo", 730},
                          Case{"6 months", 4380}, Case{"12mo", 8760}, Case{"4h23min", 4 + 23.0 / 60},
                          Case{"1d 12h", 36}, Case{"2min30s", 2.5 / 60}, Case{"1y6mo", 8760 + 6 * 730},
                          Case{"1.5h 30min", 2}, Case{"-1h30min", -1.5}, Case{"+1h30min", 1.5}, Case{"1s500ms", 1.5 / 3600}}) {
        INFO(c.text);
        REQUIRE(parse_duration_text(c.text, h, problem));
        CHECK(h == Approx(c.hours).epsilon(1e-12));
    }
    struct Refused {
        const char* text;
        const char* fragment;
    };
    for (const Refused& r : {Refused{"4h23", "'23' has no unit"}, Refused{"4h-3min", "only the first part"},
                             Refused{"4h+3min", "only the first part"}, Refused{"4h 3m", "'min' for minutes, 'mo' for months"},
                             Refused{"4h 3 fortnights", "unknown time unit 'fortnights'"}, Refused{"4h min", "unknown time unit 'h min'"},
                             Refused{"4h, 3min", "unknown time unit 'h, 3min'"}}) {
        INFO(r.text);
        CHECK_FALSE(parse_duration_text(r.text, h, problem));
        CHECK(problem.find(r.fragment) != std::string::npos);
    }
}

TEST_CASE("index expressions follow integer arithmetic with precedence", "[quantity]") {
    CHECK(IndexExpression::parse("i % 2").evaluate(5) == 1);
    CHECK(IndexExpression::parse("i / 2").evaluate(5) == 2);
    CHECK(IndexExpression::parse("1 + 2 * i").evaluate(3) == 7);
    CHECK(IndexExpression::parse("(1 + 2) * i").evaluate(3) == 9);
    CHECK(IndexExpression::parse("-i + 10").evaluate(3) == 7);
    CHECK(IndexExpression::parse("7").evaluate(0) == 7);
    CHECK_FALSE(IndexExpression::parse("7").uses_i());
    CHECK(IndexExpression::parse("i").uses_i());
    CHECK_THROWS_AS(IndexExpression::parse("i +"), std::invalid_argument);
    CHECK_THROWS_AS(IndexExpression::parse("(i"), std::invalid_argument);
    CHECK_THROWS_AS(IndexExpression::parse("j"), std::invalid_argument);
    CHECK_THROWS_AS(IndexExpression::parse("i % 0").evaluate(1), std::domain_error);
    CHECK_THROWS_AS(IndexExpression::parse("999999999 * 999999999 * 999999999").evaluate(0), std::domain_error);
}

TEST_CASE("a percentage is the double nearest the decimal it writes, so it prints back as written", "[quantity]") {
    // 99.85 / 100 gives 0.9984999999999999 (the old reading, which this check rejects).
    CHECK(percent_to_fraction("99.85", 99.85) == 0.9985);
    CHECK(99.85 / 100.0 != 0.9985);
    CHECK(percent_to_fraction("99.95", 99.95) == 0.9995);
    CHECK(percent_to_fraction("99.9999", 99.9999) == 0.999999);
    CHECK(percent_to_fraction("5", 5) == 0.05);
    CHECK(percent_to_fraction("1e1", 10) == 0.1);
    const auto scenario = nines::io::read_scenario_text(
        "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 1h } }\nsystem: a\nexpect: ['availability >= 99.85%']\n", "t.yaml");
    REQUIRE(scenario.expectations.size() == 1);
    CHECK(fmt::format("{}", scenario.expectations[0].threshold) == "0.9985");
}
