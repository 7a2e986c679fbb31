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
