#include "io/scenario_reader.h"

#include <algorithm>
#include <cctype>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "io/change_reader.h"
#include "io/component_reader.h"
#include "io/group_reader.h"
#include "io/library_reader.h"
#include "io/operations_reader.h"
#include "io/reader_context.h"
#include "io/structure_reader.h"
#include "io/study_settings_reader.h"
#include "io/text_file.h"
#include "model/structure_graph.h"
#include "model/workload.h"

// The coordinator of the scenario reader: the top-level keys, and the order in which the parts
// (see reader_context.h) read them. The order matters: names are registered before they are
// referred to, and when a file has several mistakes the first one in this order is reported.

namespace nines::io {

namespace {

const std::vector<std::string> kTopKeys = {"name", "description", "components", "blocks", "system", "simulation",
                                           "budget", "expect", "sweep", "cost", "imports", "repair", "common_cause",
                                           "spares", "slo", "domains", "changes"};
// Keys that belong to later versions of the format: recognised, so the message can say so.
const std::vector<std::string> kFutureTopKeys = {"maintenance"};

// Maps in the tree under `node`, up to `limit` (an alias counts its target once more; the sections
// were checked for cycles and sized just before).
std::size_t count_maps(const YamlNode& node, std::size_t limit) {
    std::size_t n = 0;
    std::vector<YamlNode> stack{node};
    while (!stack.empty() && n < limit) {
        const YamlNode at = stack.back();
        stack.pop_back();
        if (at.IsMap()) {
            ++n;
            for (auto it = at.begin(); it != at.end(); ++it) stack.push_back(it->second);
        } else if (at.IsSequence()) {
            for (auto it = at.begin(); it != at.end(); ++it) stack.push_back(*it);
        }
    }
    return n;
}

Model read_model(ReaderContext& ctx, const YamlNode& root, std::size_t document_nodes) {
    YamlReader& yaml = ctx.yaml;
    Model& model = ctx.model;
    if (!root || root.IsNull()) {
        throw InputError(SourceLocation{yaml.file(), 1, 1},
                         "the scenario is empty: expected a map with 'components' and 'system'");
    }
    if (!root.IsMap()) {
        yaml.fail(root, "a scenario must be a map with 'components' and 'system' at the top level");
    }
    for (auto it = root.begin(); it != root.end(); ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
        if (std::find(kFutureTopKeys.begin(), kFutureTopKeys.end(), key) != kFutureTopKeys.end()) {
            yaml.fail(it->first, "'" + key + "' is not supported by this version of nines yet");
        }
    }
    yaml.expect_map(root, "the scenario", kTopKeys);
    if (root["name"]) {
        model.name = yaml.scalar(root["name"], "name");
        yaml.check_clean(root["name"], model.name, "name", false);
    }
    if (root["description"]) yaml.scalar(root["description"], "description");
    if (!root["components"]) {
        throw InputError(yaml.where(root), "missing 'components': a scenario needs at least one component");
    }
    if (root["imports"]) read_imports(ctx, root["imports"]);
    if (root["repair"]) read_repair_policy(ctx, root["repair"]);
    if (root["spares"]) read_spare_pools(ctx, root["spares"]);
    read_components(ctx, root["components"]);
    if (root["domains"]) read_components(ctx, root["domains"], true);
    if (!root["system"]) {
        ctx.diagnostics.add(InputError(yaml.where(root),
                                       "missing 'system': say how the components make up the system (series, parallel, k_of_n)"));
    }
    // Every bad component is reported (each is read independently); what follows refers to the
    // components, and after a bad one would only report "unknown component" again.
    ctx.diagnostics.throw_if_any();
    // Before anything is built from them: YAML aliases can make a short file stand for billions of members.
    for (const char* section : {"system", "blocks", "common_cause"}) {
        if (root[section]) ctx.check_expanded_size(root[section], section);
    }
    if (root["blocks"] && root["blocks"].IsMap()) {
        for (auto it = root["blocks"].begin(); it != root["blocks"].end(); ++it) {
            if (it->first.IsScalar()) ctx.declared_block_names.insert(it->first.Scalar());
        }
    }
    // Blocks sized once (at a million components, doubling would copy hundreds of MB): about one per
    // instance and one per map of the structure sections (distinct maps: no more than the file's nodes).
    std::size_t maps = 0;
    for (const char* section : {"system", "blocks", "common_cause"}) {
        if (root[section]) maps += count_maps(root[section], document_nodes);
    }
    maps = std::min(maps, document_nodes);
    model.blocks.reserve(model.blocks.size() + model.instances.size() + maps);
    read_requires(ctx);
    if (root["common_cause"]) read_common_causes(ctx, root["common_cause"]);
    read_blocks(ctx, root["blocks"]);
    model.system_block = read_block(ctx, root["system"], 0);
    if (root["changes"]) read_changes(ctx, root["changes"]);
    read_study_settings(ctx, root);
    // Compiling the structure checks it is acyclic and reports the cycle with its location.
    StructureGraph::compile(model);
    warn_unused(ctx);
    warn_unused_pools(ctx);
    check_spare_pools_used(ctx);
    check_standby_members(ctx);
    check_change_targets(ctx);
    check_event_budget(model, model.simulation.horizon_h);
    return std::move(model);
}

// yaml-cpp's message for `[ web[0] ]` is "end of sequence flow not found"; the usual cause is an
// unquoted name[index] inside [ ] or { }, so say so when the offending line has one.
std::string unquoted_index_hint(const std::string& text, int line) {
    if (line <= 0) return "";
    std::size_t begin = 0;
    for (int l = 1; l < line && begin != std::string::npos; ++l) {
        begin = text.find('\n', begin);
        if (begin != std::string::npos) ++begin;
    }
    if (begin == std::string::npos) return "";
    const std::string content = text.substr(begin, text.find('\n', begin) - begin);
    for (std::size_t i = 1; i < content.size(); ++i) {
        const char prev = content[i - 1];
        if (content[i] == '[' && (std::isalnum(static_cast<unsigned char>(prev)) || prev == '_')) {
            return " (inside [ ] or { }, quote names with an index: \"web[0]\")";
        }
    }
    return "";
}

// YAML indents with spaces only; a tab in the indentation of the error's line or of a line before it
// is the likely cause (yaml-cpp says "illegal map value" or the like).
std::string tab_indentation_hint(const std::string& text, int line) {
    if (line <= 0) return "";
    int l = 1;
    for (std::size_t begin = 0; begin < text.size() && l <= line; ++l) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        for (std::size_t i = begin; i < end && (text[i] == ' ' || text[i] == '\t'); ++i) {
            if (text[i] == '\t') {
                return " (line " + std::to_string(l) + " is indented with a tab: YAML indents with spaces only)";
            }
        }
        begin = end + 1;
    }
    return "";
}

}  // namespace

Model read_scenario_text(const std::string& text, const std::string& name) {
    // The file name is repeated in every report (JSON, JUnit, the terminal): it must be clean text too.
    if (const std::string problem = find_forbidden_character(name, false); !problem.empty()) {
        throw InputError(SourceLocation{name, 0, 0}, "the file name has " + problem + "; rename the file");
    }
    check_text(text, name);
    std::unique_ptr<YamlDocument> document;
    try {
        document = YamlDocument::parse(text);
    } catch (const YAML::DeepRecursion& e) {
        SourceLocation where{name, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1};
        throw InputError(where, "the file is nested too deeply to be a scenario (YAML depth limit reached)");
    } catch (const YAML::Exception& e) {
        SourceLocation where{name, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1};
        throw InputError(where, "malformed YAML: " + e.msg + unquoted_index_hint(text, where.line) + tab_indentation_hint(text, where.line));
    }
    try {
        ReaderContext ctx(name);
        return read_model(ctx, document->root(), document->node_count());
    } catch (const YAML::Exception& e) {
        // yaml-cpp conversions throw on odd inputs we did not anticipate; keep the location.
        SourceLocation where{name, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1};
        throw InputError(where, "invalid scenario: " + e.msg);
    }
}

Model read_scenario_file(const std::string& path) {
    return read_scenario_text(read_text_file(path, SourceLocation{path, 0, 0}, "the scenario file"), path);
}

}  // namespace nines::io
