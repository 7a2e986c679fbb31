// The scenario reader's YAML document (src/io/yaml_document.h) is read by libyaml, and by yaml-cpp where
// libyaml does not agree with it. These tests hold the two parsers equal: on every YAML file of the
// repository and on the YAML features scenarios use, libyaml's document has the same nodes, text and
// marks (line and byte column, as yaml-cpp counts them) as yaml-cpp's, or libyaml stands aside.
// They can fail: counting columns in characters (libyaml's own unit) fails the non-ASCII case, and
// taking a quoted "null" for a null fails the null case.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <catch2/catch.hpp>
#include <yaml-cpp/exceptions.h>

#include "io/yaml_document.h"

namespace fs = std::filesystem;
using nines::io::YamlDocument;
using nines::io::YamlNode;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// "fast" when libyaml's document equals yaml-cpp's, "fallback" when libyaml stood aside, "refused"
// when yaml-cpp refuses the text (then libyaml must stand aside too, so the error is yaml-cpp's).
std::string compare_parsers(const std::string& text, const std::string& name) {
    std::unique_ptr<YamlDocument> reference;
    bool refused = false;
    try {
        reference = YamlDocument::parse_yaml_cpp(text);
    } catch (const YAML::Exception&) {
        refused = true;
    }
    const std::unique_ptr<YamlDocument> fast = YamlDocument::parse_libyaml(text);
    if (refused) {
        INFO(name);
        CHECK(fast == nullptr);
        return "refused";
    }
    if (!fast) return "fallback";
    const std::string difference = reference->first_difference(*fast);
    INFO(name << ": " << difference);
    CHECK(difference.empty());
    return "fast";
}

}  // namespace

TEST_CASE("libyaml and yaml-cpp build the same document from every YAML file of the repository", "[yaml]") {
    std::vector<fs::path> files;
    const fs::path root = fs::path(NINES_TEST_DIR).parent_path();
    for (const char* dir : {"scenarios", "models", "tests", "bench", "python", "notebooks", "schema"}) {
        if (!fs::exists(root / dir)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
            const std::string ext = entry.path().extension().string();
            if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 100);
    std::map<std::string, int> outcomes;
    for (const fs::path& file : files) {
        const std::string outcome = compare_parsers(read_file(file), file.string());
        ++outcomes[outcome];
        // The scenarios shipped are the fast path's everyday work: none may need the fallback.
        if (file.parent_path().filename() == "scenarios") CHECK(outcome == "fast");
    }
    INFO("fast " << outcomes["fast"] << ", fallback " << outcomes["fallback"] << ", refused " << outcomes["refused"]);
    CHECK(outcomes["fast"] >= 100);
}

TEST_CASE("libyaml and yaml-cpp agree on the YAML features scenarios use", "[yaml]") {
    const std::vector<std::string> cases = {
        "",
        "# only a comment\n",
        "a: 1\nb:\nc: ~\nd: null\ne: 'null'\nf: \"~\"\ng: NULL\n",
        "key:\n  - a\n  -\n  - c\n",
        "empty_map: {}\nempty_list: []\nflow: { a: [1, 2, { b: c }], d: e }\n",
        "name: é café\nweb: { label: \"ünïcode\", count: 2 }\n  # trailing comment\n",
        "names: [ \"日本\", x ]\nafter: { k: v }\n",
        "a: &anchor { mttf: 1000h }\nb: *anchor\nc: [ *anchor, *anchor ]\n",
        "desc: |\n  line one\n  line two\n\nfolded: >\n  one\n  two\nnext: x\n",
        "plain: this is\n  continued here\nquoted: \"a\n  b\"\n",
        "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
        "---\na: 1\n...\n---\nb: 2\n",
        "--- \nseries:\n- a\n- b\nparallel:\n  - c\n",
        "\"quoted key\": 1\n? complex\n: value\n",
        "a: 'it''s'\nb: \"tab\\there\"\nc: \"\\u00e9\"\n",
        "system:\n  series:\n    - { parallel: [p0] }\n    - { parallel: [p1] }\n",
        "k: v # comment\nlist: [a, b] # comment\n",
        "a:\n  b:\n    c:\n      d: [[[1]]]\n",
        "a:\n  b:\nc: 1\n", "a: # comment\n\n  # more\nb: 2\n", "a:\n", "a:", "a:  ", "x: { a: , b: 1 }\n", "é: x\nf:\n  - é\n  -\n",
        "a: &e\nb: *e\n",
    };
    for (const std::string& text : cases) {
        INFO(text);
        const std::string outcome = compare_parsers(text, text);
        CHECK(outcome != "refused");
    }
}

TEST_CASE("text yaml-cpp refuses gets yaml-cpp's error, and tags go to yaml-cpp", "[yaml]") {
    for (const std::string text : {"a: *missing\n", "a: [1, 2\n", "a:\n\t- b\n", "a: b: c\n"}) {
        INFO(text);
        CHECK(YamlDocument::parse_libyaml(text) == nullptr);
        CHECK_THROWS_AS(YamlDocument::parse(text), YAML::Exception);
    }
    // yaml-cpp reads the list and stops where libyaml refuses the text: the result is yaml-cpp's.
    CHECK(YamlDocument::parse_libyaml("- a\nb: c\n") == nullptr);
    CHECK(YamlDocument::parse("- a\nb: c\n")->root().IsSequence());
    // A tagged scalar is yaml-cpp's to interpret: libyaml stands aside, the result is yaml-cpp's.
    const std::string tagged = "a: !!str null\nb: 1\n";
    CHECK(YamlDocument::parse_libyaml(tagged) == nullptr);
    const auto doc = YamlDocument::parse(tagged);
    CHECK(doc->root()["a"].IsScalar());
    CHECK(doc->root()["a"].Scalar() == "null");
}

TEST_CASE("YamlNode answers as YAML::Node does", "[yaml]") {
    const auto doc = YamlDocument::parse("a: 1\nb: [x, y]\nc:\na: 2\nd: { e: f }\n");
    const YamlNode root = doc->root();
    REQUIRE(root.IsMap());
    CHECK(root.size() == 5);
    CHECK(root["a"].Scalar() == "1");  // the first of duplicate keys, as yaml-cpp
    CHECK(root["b"].IsSequence());
    CHECK(root["b"].size() == 2);
    CHECK(root["b"][1].Scalar() == "y");
    CHECK_FALSE(root["b"][2]);
    CHECK(root["c"]);
    CHECK(root["c"].IsNull());
    CHECK_FALSE(root["zzz"]);
    CHECK_THROWS_AS(root["zzz"].IsMap(), YAML::InvalidNode);
    CHECK_THROWS_AS(root["a"]["x"], YAML::BadSubscript);
    CHECK(root["d"].Mark().line == 4);
    CHECK(root["d"].Mark().column == 3);
    std::vector<std::string> keys;
    for (auto it = root.begin(); it != root.end(); ++it) keys.push_back(it->first.Scalar());
    CHECK(keys == std::vector<std::string>{"a", "b", "c", "a", "d"});
    std::vector<std::string> items;
    for (const YamlNode& item : root["b"]) items.push_back(item.Scalar());
    CHECK(items == std::vector<std::string>{"x", "y"});
    const YamlNode free_null;
    CHECK(free_null);
    CHECK(free_null.IsNull());
    CHECK(free_null.Mark().is_null());
    CHECK(YamlDocument::parse("")->root().IsNull());
}
