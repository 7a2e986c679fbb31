#include "io/yaml_support.h"

#include <algorithm>
#include <set>

#include "io/text_file.h"

namespace nines::io {

SourceLocation YamlReader::where(const YAML::Mark& mark) const {
    if (mark.is_null()) return SourceLocation{file_, 0, 0};
    return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

SourceLocation YamlReader::where(const YamlNode& node) const { return where(node.Mark()); }

void YamlReader::fail(const YamlNode& node, const std::string& what) const { throw InputError(where(node), what); }

void YamlReader::expect_map(const YamlNode& node, const std::string& what,
                            const std::vector<std::string>& allowed) const {
    if (!node.IsMap()) fail(node, what + " must be a map of keys to values");
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const YamlNode key = it->first;
        if (!key.IsScalar()) fail(key, "keys of " + what + " must be plain names");
        const std::string& name = key.Scalar();
        check_clean(key, name, "a key in " + what, false);
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            fail(key, "unknown key '" + name + "' in " + what + did_you_mean(name, allowed) +
                          "; allowed keys: " + join(allowed, ", "));
        }
        if (!seen.insert(name).second) fail(key, "duplicate key '" + name + "' in " + what);
    }
}

void YamlReader::expect_sequence(const YamlNode& node, const std::string& what) const {
    if (!node.IsSequence()) fail(node, what + " must be a list");
}

std::string YamlReader::scalar(const YamlNode& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be a single value, not a " + (node.IsMap() ? "map" : node.IsSequence() ? "list" : "null"));
    check_clean(node, node.Scalar(), what, true);
    return node.Scalar();
}

void YamlReader::check_clean(const YamlNode& node, const std::string& text, const std::string& what,
                             bool allow_line_breaks) const {
    const std::string problem = find_forbidden_character(text, allow_line_breaks);
    if (!problem.empty()) {
        fail(node, what + ": " + problem + " (YAML escapes such as \\x01 or \\ud800 are not allowed in names and values)");
    }
}

std::string YamlReader::single_key(const YamlNode& node, const std::string& noun, const std::string& context,
                                   const std::vector<std::string>& choices, YamlNode& key_node,
                                   YamlNode& value) const {
    const std::string where_text = context.empty() ? "" : " " + context;
    if (!node.IsMap() || node.size() != 1) {
        fail(node, "a " + noun + where_text + " must be a map with exactly one key, one of: " + join(choices, ", "));
    }
    auto it = node.begin();
    key_node = it->first;
    value = it->second;
    if (!key_node.IsScalar()) fail(key_node, "the " + noun + where_text + " must be one of " + join(choices, ", "));
    const std::string key = key_node.Scalar();
    check_clean(key_node, key, "the " + noun + where_text, false);
    if (std::find(choices.begin(), choices.end(), key) == choices.end()) {
        fail(key_node, "unknown " + noun + " '" + key + "'" + where_text + did_you_mean(key, choices) +
                           "; expected one of " + join(choices, ", "));
    }
    return key;
}

namespace {

// Suggestions are for typos: longer words get none, and the work per lookup is capped, so that an
// unknown name among millions (or a 100 KB name) costs microseconds, not minutes.
constexpr std::size_t kMaxSuggestLength = 64;
constexpr std::size_t kMaxSuggestCells = 20'000'000;  // edit-distance cells per lookup

// Case-insensitive Levenshtein distance of a and b, computed only in the band |i - j| <= limit;
// returns limit + 1 as soon as the distance must exceed `limit`. `cells` counts the work done.
std::size_t bounded_edit_distance(const std::string& a, const std::string& b, std::size_t limit, std::size_t& cells) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    const std::size_t too_far = limit + 1;
    std::vector<std::size_t> row(m + 1);
    for (std::size_t j = 0; j <= m; ++j) row[j] = std::min(j, too_far);
    for (std::size_t i = 1; i <= n; ++i) {
        const std::size_t lo = i > limit ? i - limit : 1;
        const std::size_t hi = std::min(m, i + limit);
        std::size_t diagonal = row[lo - 1];
        row[lo - 1] = lo == 1 ? std::min(i, too_far) : too_far;
        std::size_t best = row[lo - 1];
        for (std::size_t j = lo; j <= hi; ++j) {
            const std::size_t above = row[j];
            const std::size_t cost = (std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                      std::tolower(static_cast<unsigned char>(b[j - 1])))
                                         ? 0
                                         : 1;
            row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + cost, too_far});
            diagonal = above;
            best = std::min(best, row[j]);
        }
        if (hi < m) row[hi + 1] = too_far;  // outside the band
        cells += hi - lo + 1;
        if (best > limit) return too_far;
    }
    return std::min(row[m], too_far);
}

}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
    if (word.size() > kMaxSuggestLength) return "";
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;  // a suggestion must be closer
    std::size_t cells = 0;
    for (const std::string& c : candidates) {
        if (cells > kMaxSuggestCells) break;
        // Only a strictly closer candidate replaces the first best one.
        const std::size_t d = bounded_edit_distance(word, c, best_distance - 1, cells);
        if (d < best_distance) {
            best_distance = d;
            best = c;
            if (d == 0) break;
        }
    }
    return best;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
    const std::string best = closest_match(word, candidates);
    return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += separator;
        out += items[i];
    }
    return out;
}

}  // namespace nines::io
