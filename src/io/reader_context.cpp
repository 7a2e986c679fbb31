#include "io/reader_context.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace nines::io {

// How many references `node` expands to (a component name counts its instances), each distinct node
// counted once: an alias names the same node as its anchor, which has the same position and type,
// so the size of `&a [*b, *b, *b]` is computed from the size of b, not by walking every copy.
// A node that contains itself (`&a [ *a ]`, which yaml-cpp builds as a cycle) is refused, and so is
// a chain of aliases deeper than any structure needs.
std::int64_t ReaderContext::expanded_size(const YamlNode& node, ExpansionMemo& memo, int depth) {
    constexpr std::int64_t kInProgress = -1;
    if (depth > 10 * kMaxNesting) yaml.fail(node, "nested too deeply (through YAML aliases)");
    const YAML::Mark mark = node.Mark();
    const auto key = std::make_tuple(mark.line, mark.column, static_cast<int>(node.Type()));
    // Without aliases every node is reached once: no memo (at a million components it would hold
    // millions of entries for nothing).
    const bool memoise = !mark.is_null() && node.document_has_aliases();
    if (memoise) {
        auto it = memo.find(key);
        if (it != memo.end()) {
            if (it->second == kInProgress) yaml.fail(node, "this node contains itself through a YAML alias");
            return it->second;
        }
        memo[key] = kInProgress;
    }
    std::int64_t size = 1;
    if (node.IsScalar()) {
        auto c = component_ids.find(node.Scalar());
        if (c != component_ids.end()) size = model.components[static_cast<std::size_t>(c->second)].count;
    } else if (node.IsSequence() || node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            size += expanded_size(node.IsMap() ? it->second : *it, memo, depth + 1);
            if (size > kMaxReferences) break;  // enough to refuse; stop walking
        }
    }
    size = std::min(size, kMaxReferences + 1);
    if (memoise) memo[key] = size;
    return size;
}

void ReaderContext::check_expanded_size(const YamlNode& node, const std::string& section) {
    ExpansionMemo memo;
    if (expanded_size(node, memo) > kMaxReferences) {
        yaml.fail(node, "'" + section + "' expands to more than " + std::to_string(kMaxReferences / 1'000'000) +
                            " million members; YAML aliases and component names repeat what they stand for");
    }
}

// Counts `n` more references (see kMaxReferences) for the entry at `node`.
void ReaderContext::add_references(const YamlNode& node, std::int64_t n, const std::string& what) {
    references += n;
    if (references > kMaxReferences) {
        yaml.fail(node, "the model expands to more than " + std::to_string(kMaxReferences / 1'000'000) +
                            " million references (block members, requires and common-cause members), here in " + what +
                            "; YAML aliases and component names repeat what they stand for");
    }
}

void ReaderContext::check_name(const YamlNode& node, const std::string& name) {
    if (name.empty()) yaml.fail(node, "a name must not be empty");
    for (char ch : name) {
        if (ch == '[' || ch == ']' || ch == ',' || std::isspace(static_cast<unsigned char>(ch))) {
            yaml.fail(node, "name '" + name + "' must not contain spaces, commas or brackets");
        }
    }
}

// Splits "web[2]" into "web" and "2"; a name without brackets leaves `index` empty.
void ReaderContext::split_reference(const YamlNode& node, const std::string& text, std::string& base, std::string& index) {
    const auto open = text.find('[');
    if (open == std::string::npos) {
        base = text;
        index.clear();
        return;
    }
    if (text.back() != ']' || open == 0) yaml.fail(node, "'" + text + "' is not a name or name[index]");
    base = text.substr(0, open);
    index = text.substr(open + 1, text.size() - open - 2);
    if (index.empty()) yaml.fail(node, "'" + text + "': empty index");
}

int ReaderContext::component_or_fail(const YamlNode& node, const std::string& name, const std::string& context) {
    auto it = component_ids.find(name);
    if (it != component_ids.end()) return it->second;
    std::string hint = did_you_mean(name, component_names);
    if (hint.empty() && (model.named_blocks.count(name) || declared_block_names.count(name))) {
        hint = context == " in requires" ? " ('" + name + "' is a block: requires takes components or their instances, not blocks)"
                                         : " ('" + name + "' is a block, not a component)";
    }
    yaml.fail(node, "unknown component '" + name + "'" + context + hint);
}

// Resolves one index expression for instance i of the component whose requires list is read.
int ReaderContext::resolve_instance(const YamlNode& node, int component, const IndexExpression& expr, std::int64_t i,
                                    const std::string& text, const std::string& owner) {
    std::int64_t index = 0;
    try {
        index = expr.evaluate(i);
    } catch (const std::domain_error& e) {
        yaml.fail(node, "cannot evaluate the index of '" + text + "'" + (owner.empty() ? "" : " for " + owner) + ": " +
                            e.what() + (std::string(e.what()) == "integer overflow" ? " (a value leaves the 64-bit range)" : ""));
    }
    const Component& c = model.components[static_cast<std::size_t>(component)];
    if (index < 0 || index >= c.count) {
        yaml.fail(node, "instance index out of range: '" + text + "' gives index " + std::to_string(index) +
                            (owner.empty() ? "" : " for " + owner) + ", but '" + c.name + "' has " +
                            std::to_string(c.count) + (c.count == 1 ? " instance" : " instances") + " (0.." +
                            std::to_string(c.count - 1) + ")");
    }
    return c.first_instance + static_cast<int>(index);
}

double read_cost(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    const std::string text = yaml.scalar(node, what);
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v)) yaml.fail(node, what + ": '" + text + "' is not a number");
    if (v < 0) yaml.fail(node, what + " must not be negative");
    return v;
}

}  // namespace nines::io
