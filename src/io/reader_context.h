// What the parts of the scenario reader share while one scenario is read: the YAML reader that
// names places in messages, the Model being built, the names seen so far (for references and
// did-you-mean hints) and the running count of expanded references that bounds the model's size.
// Each part (component_reader, structure_reader, operations_reader, group_reader,
// study_settings_reader, library_reader) is a set of functions that receive this context;
// scenario_reader.cpp calls them in order.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "io/index_expression.h"
#include "io/yaml_support.h"
#include "model/model.h"

namespace nines::io {

// Literal nesting deeper than this is refused: no real structure needs it, and it bounds recursion.
constexpr int kMaxNesting = 100;
constexpr std::int64_t kMaxInstances = 10'000'000;
// Block members, requires entries and common-cause members, counted after expansion (a component name
// stands for all its instances, and a YAML alias repeats what it names): more is refused before it is
// built, so an alias bomb or a dense `requires` gets a message instead of exhausting memory. The fuzz
// build lowers it (fuzz/CMakeLists.txt): a mutated alias bomb just under 20 million is valid work that
// takes seconds in a release build and beyond the fuzzer's per-input timeout under its sanitizers.
#ifndef NINES_MAX_REFERENCES
#define NINES_MAX_REFERENCES 20'000'000
#endif
constexpr std::int64_t kMaxReferences = NINES_MAX_REFERENCES;

// A component type brought by `imports:`: its definition and the file that holds it.
struct ImportedType {
    std::string file;
    YamlNode node;
};

// Positions of YAML nodes already sized by expanded_size (line, column, node type).
using ExpansionMemo = std::map<std::tuple<int, int, int>, std::int64_t>;

struct ReaderContext {
    explicit ReaderContext(const std::string& file) : yaml(file) { model.file = file; }

    std::vector<std::unique_ptr<YamlDocument>> documents;  // the imported libraries' (their nodes are kept below)
    YamlReader yaml;
    Model model;
    std::map<std::string, YamlReader> imports;  // by normalised path
    std::map<std::string, ImportedType> types;
    std::unordered_map<std::string, int> component_ids;
    std::vector<std::string> component_names;
    std::vector<std::string> block_names;
    std::set<std::string> declared_block_names;  // the keys of `blocks:`, known before the blocks are read (for messages)
    std::vector<YamlNode> requires_nodes;  // per component, read once every component is known
    std::vector<int> instance_blocks;  // per instance: its Instance block, -1 until made
    std::int64_t references = 0;
    // Errors of independent parts (each component) collected so that reading goes on after one;
    // scenario_reader throws them together before the parts that depend on them.
    Diagnostics diagnostics;

    // How many references `node` expands to (see kMaxReferences), each distinct node counted once.
    std::int64_t expanded_size(const YamlNode& node, ExpansionMemo& memo, int depth = 0);
    // Refuses a section that expands to more than kMaxReferences members.
    void check_expanded_size(const YamlNode& node, const std::string& section);
    // Counts `n` more references (see kMaxReferences) for the entry at `node`.
    void add_references(const YamlNode& node, std::int64_t n, const std::string& what);
    // Refuses names that references could not spell (empty, spaces, commas, brackets).
    void check_name(const YamlNode& node, const std::string& name);
    // Splits "web[2]" into "web" and "2"; a name without brackets leaves `index` empty.
    void split_reference(const YamlNode& node, const std::string& text, std::string& base, std::string& index);
    // The id of component `name`, or an InputError with a did-you-mean hint; `context` follows the name.
    int component_or_fail(const YamlNode& node, const std::string& name, const std::string& context);
    // Resolves one index expression for instance i of the component whose requires list is read.
    int resolve_instance(const YamlNode& node, int component, const IndexExpression& expr, std::int64_t i,
                         const std::string& text, const std::string& owner);
};

// A non-negative amount of money (per year or per hour, as `what` says).
double read_cost(const YamlReader& yaml, const YamlNode& node, const std::string& what);

}  // namespace nines::io
