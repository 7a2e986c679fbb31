// The corpus of bad scenarios in tests/bad/: each must fail with one InputError whose message starts
// with file:line:column and says what is wrong. The expected location and message fragment are in the
// file's first line ("# expect: LINE:COL: fragment"); files that cannot carry a comment are listed here.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"

namespace fs = std::filesystem;

namespace {

std::string expectation_for(const fs::path& file) {
    static const std::map<std::string, std::string> without_comment = {
        {"empty.yaml", "1:1: error: the scenario is empty"},
        {"binary_garbage.yaml", "1:5: error: not a text file"},
    };
    auto it = without_comment.find(file.filename().string());
    if (it != without_comment.end()) return it->second;
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect: ";
    REQUIRE(first.rfind(tag, 0) == 0);
    return first.substr(tag.size());
}

}  // namespace

TEST_CASE("every bad scenario gets one located, specific error", "[bad-input]") {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(NINES_TEST_DIR) / "bad")) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 30);
    for (const fs::path& file : files) {
        const std::string expected = expectation_for(file);
        // "LINE:COL: fragment" or "LINE: fragment"; the message must start with path:LINE[:COL]:
        const auto sep = expected.find(": ");
        const std::string location = expected.substr(0, sep);
        const std::string fragment = expected.substr(sep + 2);
        INFO(file.filename().string() << ": expected " << expected);
        try {
            nines::io::read_scenario_file(file.string());
            FAIL("no error for " << file.filename().string());
        } catch (const nines::InputError& e) {
            const std::string message = e.what();
            INFO("got: " << message);
            CHECK(message.rfind(file.string() + ":" + location + ":", 0) == 0);
            CHECK(message.find(fragment) != std::string::npos);
            CHECK(message.find('\n') == std::string::npos);  // one line
        }
    }
}

TEST_CASE("a missing file is an input error too", "[bad-input]") {
    CHECK_THROWS_AS(nines::io::read_scenario_file("/nonexistent/scenario.yaml"), nines::InputError);
}

// A model library is checked whole when imported: a type no component uses is still read, and its
// mistake reported at its own place in the library (before, the reader skipped unused types: this
// test failed with "no error").
TEST_CASE("a broken type in an imported library is an error even when unused", "[bad-input]") {
    const fs::path dir = fs::path(NINES_TEST_DIR) / "bad_libraries";
    const std::string library = (dir / "unused_type_bad_failure.yaml").lexically_normal().string();
    try {
        nines::io::read_scenario_file((dir / "imports_broken_library.yaml").string());
        FAIL("no error for a library with a broken type");
    } catch (const nines::InputError& e) {
        const std::string message = e.what();
        INFO("got: " << message);
        CHECK(message.rfind(library + ":9:25:", 0) == 0);
        CHECK(message.find("failure of type 'broken' (weibull): missing parameter: shape") != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
}

// A relative import is relative to the importing file: the message says where it led.
TEST_CASE("a missing import names the path it resolved to", "[bad-input]") {
    const fs::path scenario = fs::path(NINES_TEST_DIR) / "bad" / "missing_import.yaml";
    const std::string resolved = fs::absolute(scenario.parent_path() / "../no/such/library.yaml").lexically_normal().string();
    try {
        nines::io::read_scenario_file(scenario.string());
        FAIL("no error for a missing import");
    } catch (const nines::InputError& e) {
        const std::string message = e.what();
        INFO("got: " << message);
        CHECK(message.find("imported file '../no/such/library.yaml' (resolved to '" + resolved + "')") != std::string::npos);
    }
}

// Files with several independent mistakes (tests/bad_multiple/): every one is reported, in file order,
// as a compiler does. Each "# expect: LINE:COL: fragment" line at the top names one, in order; the
// exception's own message is the first (what code that expects one error sees).
TEST_CASE("a file with several independent mistakes reports each of them", "[bad-input][bad-multiple]") {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(NINES_TEST_DIR) / "bad_multiple")) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 3);
    for (const fs::path& file : files) {
        std::vector<std::string> expected;
        std::ifstream in(file);
        for (std::string line; std::getline(in, line) && line.rfind("#", 0) == 0;) {
            if (line.rfind("# expect: ", 0) == 0) expected.push_back(line.substr(10));
        }
        INFO(file.filename().string());
        REQUIRE(expected.size() >= 2);
        try {
            nines::io::read_scenario_file(file.string());
            FAIL("no error for " << file.filename().string());
        } catch (const nines::InputErrors& e) {
            REQUIRE(e.all().size() == expected.size());
            CHECK(std::string(e.what()) == e.all().front().what());
            CHECK(e.not_shown() == 0);
            for (std::size_t i = 0; i < expected.size(); ++i) {
                const auto sep = expected[i].find(": ");
                const std::string message = e.all()[i].what();
                INFO("expected " << expected[i] << ", got: " << message);
                CHECK(message.rfind(file.string() + ":" + expected[i].substr(0, sep) + ":", 0) == 0);
                CHECK(message.find(expected[i].substr(sep + 2)) != std::string::npos);
            }
            CHECK(nines::diagnostic_lines(e).size() == expected.size());
        }
    }
}

// Past 20 errors the rest are counted, not listed: 25 bad components give 20 messages and a count.
TEST_CASE("more than 20 errors: the first 20 and how many more", "[bad-input][bad-multiple]") {
    std::string text = "components:\n";
    for (int i = 0; i < 25; ++i) text += "  c" + std::to_string(i) + ": { count: 0, failure: { mttf: 1h } }\n";
    text += "system: c0\n";
    try {
        nines::io::read_scenario_text(text, "many.yaml");
        FAIL("no error");
    } catch (const nines::InputErrors& e) {
        CHECK(e.all().size() == nines::InputErrors::kMaxReported);
        CHECK(e.not_shown() == 5);
        const std::vector<std::string> lines = nines::diagnostic_lines(e);
        REQUIRE(lines.size() == 21);
        CHECK(lines[0].rfind("many.yaml:2:", 0) == 0);
        CHECK(lines[19].rfind("many.yaml:21:", 0) == 0);
        CHECK(lines[20] == "... and 5 more errors (the first 20 are shown)");
    }
}

// One mistake stays a plain InputError (one line, as tests/bad expects).
TEST_CASE("a single mistake is one InputError, not a list", "[bad-input][bad-multiple]") {
    try {
        nines::io::read_scenario_text("components:\n  a: { count: 0, failure: { mttf: 1h } }\nsystem: a\n", "one.yaml");
        FAIL("no error");
    } catch (const nines::InputErrors&) {
        FAIL("a single error came as a list");
    } catch (const nines::InputError& e) {
        CHECK(nines::diagnostic_lines(e).size() == 1);
    }
}
