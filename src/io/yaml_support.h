// Helpers that read YAML nodes (yaml_document.h) strictly: every failure becomes an InputError that names
// file:line:column, and maps are checked for unknown and duplicate keys.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "io/yaml_document.h"

#include "model/error.h"

namespace nines::io {

class YamlReader {
public:
    explicit YamlReader(std::string file) : file_(std::move(file)) {}

    const std::string& file() const { return file_; }
    SourceLocation where(const YamlNode& node) const;
    SourceLocation where(const YAML::Mark& mark) const;

    [[noreturn]] void fail(const YamlNode& node, const std::string& what) const;

    // Checks that node is a map whose keys are all in `allowed` and none repeats. `what` names
    // the map in messages ("component 'web'").
    void expect_map(const YamlNode& node, const std::string& what, const std::vector<std::string>& allowed) const;
    void expect_sequence(const YamlNode& node, const std::string& what) const;
    // The node's text; refuses control characters other than line breaks and tabs, and invalid UTF-8.
    std::string scalar(const YamlNode& node, const std::string& what) const;
    // Refuses `text` (read from `node`) when it holds invalid UTF-8 or a control character (line feed,
    // carriage return and tab only when `allow_line_breaks`): they would break every report that repeats it.
    void check_clean(const YamlNode& node, const std::string& text, const std::string& what, bool allow_line_breaks) const;

    // A map that must have exactly one key from `choices` (a tagged union such as a distribution).
    // `noun` names the choice ("distribution"), `context` where it stands ("for failure of component
    // 'a'", may be empty). Returns the key; `value` receives the value node, `key_node` the key node.
    std::string single_key(const YamlNode& node, const std::string& noun, const std::string& context,
                           const std::vector<std::string>& choices, YamlNode& key_node, YamlNode& value) const;

private:
    std::string file_;
};

// The closest candidate to `word` (edit distance), or "" when nothing is close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);
std::string join(const std::vector<std::string>& items, const std::string& separator);

}  // namespace nines::io
