#include "io/scenario_reader.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "io/distribution_reader.h"
#include "io/expectation_reader.h"
#include "io/scenario_overrides.h"
#include "io/index_expression.h"
#include "io/quantity.h"
#include "io/text_file.h"
#include "io/yaml_support.h"
#include "model/structure_graph.h"
#include "model/workload.h"

namespace nines::io {

namespace {

// Literal nesting deeper than this is refused: no real structure needs it, and it bounds recursion.
constexpr int kMaxNesting = 100;
constexpr std::int64_t kMaxInstances = 10'000'000;
// Block members, requires entries and common-cause members, counted after expansion (a component name
// stands for all its instances, and a YAML alias repeats what it names): more is refused before it is
// built, so an alias bomb or a dense `requires` gets a message instead of exhausting memory.
constexpr std::int64_t kMaxReferences = 20'000'000;
// The same limit as the simulation's (sim/runner.cpp), checked here so that validate reports it.
constexpr int kMaxGridPoints = 100'000;

const std::vector<std::string> kTopKeys = {"name", "description", "components", "blocks", "system", "simulation",
                                           "budget", "expect", "sweep", "cost", "imports", "repair", "common_cause",
                                           "spares"};
const std::vector<std::string> kComponentKeys = {"count",  "type",     "failure",  "repair",      "requires", "description",
                                                 "cost",   "detect",   "logistics", "crew",       "priority",
                                                 "hidden", "inspect_every", "inspection_duration", "inspection_schedule", "spares",
                                                 "maintenance"};
const std::vector<std::string> kFutureComponentKeys = {"standby"};
const std::vector<std::string> kTypeKeys = {"description", "failure", "repair", "cost", "sources"};
const std::vector<std::string> kSimulationKeys = {"horizon", "replications", "seed", "warmup", "threads", "grid"};
const std::vector<std::string> kBlockKinds = {"series", "parallel", "k_of_n", "standby"};

// Keys that belong to later versions of the format: recognised, so the message can say so.
const std::vector<std::string> kFutureTopKeys = {"maintenance"};

void check_text(const std::string& text, const std::string& name);

class ScenarioReader {
public:
    ScenarioReader(const std::string& file) : yaml_(file) { model_.file = file; }

    Model read(const YAML::Node& root) {
        if (!root || root.IsNull()) {
            throw InputError(SourceLocation{yaml_.file(), 1, 1},
                             "the scenario is empty: expected a map with 'components' and 'system'");
        }
        if (!root.IsMap()) {
            yaml_.fail(root, "a scenario must be a map with 'components' and 'system' at the top level");
        }
        for (auto it = root.begin(); it != root.end(); ++it) {
            const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
            if (std::find(kFutureTopKeys.begin(), kFutureTopKeys.end(), key) != kFutureTopKeys.end()) {
                yaml_.fail(it->first, "'" + key + "' is not supported by this version of nines yet");
            }
        }
        yaml_.expect_map(root, "the scenario", kTopKeys);
        if (root["name"]) {
            model_.name = yaml_.scalar(root["name"], "name");
            yaml_.check_clean(root["name"], model_.name, "name", false);
        }
        if (root["description"]) yaml_.scalar(root["description"], "description");
        if (!root["components"]) {
            throw InputError(yaml_.where(root), "missing 'components': a scenario needs at least one component");
        }
        if (root["imports"]) read_imports(root["imports"]);
        if (root["repair"]) read_repair_policy(root["repair"]);
        if (root["spares"]) read_spare_pools(root["spares"]);
        read_components(root["components"]);
        if (!root["system"]) {
            throw InputError(yaml_.where(root),
                             "missing 'system': say how the components make up the system (series, parallel, k_of_n)");
        }
        // Before anything is built from them: YAML aliases can make a short file stand for billions of members.
        for (const char* section : {"system", "blocks", "common_cause"}) {
            if (root[section]) check_expanded_size(root[section], section);
        }
        read_requires();
        if (root["common_cause"]) read_common_causes(root["common_cause"]);
        read_blocks(root["blocks"]);
        model_.system_block = read_block(root["system"], 0);
        if (root["simulation"]) read_simulation(root["simulation"]);
        if (root["budget"]) model_.budget_h = read_duration_or_zero(yaml_, root["budget"], "budget (downtime per year)");
        if (root["expect"]) model_.expectations = read_expectations(yaml_, root["expect"], component_names_);
        if (root["cost"]) {
            yaml_.expect_map(root["cost"], "cost", {"downtime_per_hour"});
            if (root["cost"]["downtime_per_hour"]) {
                model_.downtime_cost_per_hour = read_cost(yaml_, root["cost"]["downtime_per_hour"], "cost of an hour of downtime");
            }
        }
        if (root["sweep"]) read_sweep(root["sweep"], root);
        for (const Expectation& e : model_.expectations) {
            if (e.metric == "budget_exceeded" && !model_.budget_h) {
                throw InputError(e.location, "expectation '" + e.text + "' needs a 'budget:' (downtime per year)");
            }
        }
        // Compiling the structure checks it is acyclic and reports the cycle with its location.
        StructureGraph::compile(model_);
        warn_unused();
        warn_unused_pools();
        check_spare_pools_used();
        check_standby_members();
        check_event_budget(model_, model_.simulation.horizon_h);
        return std::move(model_);
    }

private:
    void read_components(const YAML::Node& node) {
        if (!node.IsMap() || node.size() == 0) {
            yaml_.fail(node, "'components' must be a non-empty map of component names to their definitions");
        }
        std::int64_t total = 0;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const YAML::Node key = it->first;
            const std::string name = yaml_.scalar(key, "a component name");
            check_name(key, name);
            if (component_ids_.count(name)) yaml_.fail(key, "duplicate component name '" + name + "'");
            const std::string what = "component '" + name + "'";
            const YAML::Node def = it->second;
            if (def.IsMap()) {
                for (auto k = def.begin(); k != def.end(); ++k) {
                    const std::string key_name = k->first.IsScalar() ? k->first.Scalar() : "";
                    if (std::find(kFutureComponentKeys.begin(), kFutureComponentKeys.end(), key_name) != kFutureComponentKeys.end()) {
                        yaml_.fail(k->first, "'" + key_name + "' is not supported by this version of nines yet");
                    }
                }
            }
            yaml_.expect_map(def, what, kComponentKeys);
            Component c;
            c.name = name;
            c.location = yaml_.where(key);
            if (def["count"]) c.count = static_cast<int>(read_integer(yaml_, def["count"], what + " count", 1, 1'000'000));
            total += c.count;
            if (total > kMaxInstances) yaml_.fail(key, "too many component instances (more than 10 million)");
            const ImportedType* type = nullptr;
            if (def["type"]) {
                c.type = yaml_.scalar(def["type"], what + " type");
                auto t = types_.find(c.type);
                if (t == types_.end()) {
                    std::vector<std::string> names;
                    for (const auto& [n, unused] : types_) names.push_back(n);
                    yaml_.fail(def["type"], "unknown component type '" + c.type + "'" + did_you_mean(c.type, names) +
                                                (types_.empty() ? " (no 'imports:' brings any type)" : ""));
                }
                type = &t->second;
            }
            if (def["failure"]) {
                c.failure = read_distribution(yaml_, def["failure"], "failure of " + what, DistributionRole::Failure);
            } else if (type && type->node["failure"]) {
                c.failure = read_distribution(imports_.at(type->file), type->node["failure"], "failure of type '" + c.type + "'",
                                              DistributionRole::Failure);
            } else {
                yaml_.fail(def.IsMap() && def.size() ? def : key, what + ": missing 'failure' distribution");
            }
            if (def["repair"]) {
                c.repair = read_distribution(yaml_, def["repair"], "repair of " + what, DistributionRole::Repair);
            } else if (type && type->node["repair"]) {
                c.repair = read_distribution(imports_.at(type->file), type->node["repair"], "repair of type '" + c.type + "'",
                                             DistributionRole::Repair);
            }
            if (def["detect"]) c.detect = read_distribution(yaml_, def["detect"], "detection delay of " + what, DistributionRole::Other);
            if (def["logistics"]) {
                c.logistics = read_distribution(yaml_, def["logistics"], "logistics delay of " + what, DistributionRole::Other);
            }
            if (def["hidden"]) {
                const std::string h = yaml_.scalar(def["hidden"], what + " hidden");
                if (h != "true" && h != "false") yaml_.fail(def["hidden"], what + " hidden: write true or false");
                if (h == "true") {
                    if (!def["inspect_every"]) yaml_.fail(def["hidden"], what + ": hidden failures need 'inspect_every' (the inspection interval)");
                    if (def["detect"]) yaml_.fail(def["detect"], what + ": a hidden failure is found by inspection, not by a 'detect' delay");
                    c.inspect_every_h = read_duration(yaml_, def["inspect_every"], what + " inspect_every");
                    if (def["inspection_duration"]) {
                        c.inspection_duration_h = read_duration(yaml_, def["inspection_duration"], what + " inspection_duration");
                        if (c.inspection_duration_h >= c.inspect_every_h) {
                            yaml_.fail(def["inspection_duration"], what + ": an inspection must be shorter than the interval between them");
                        }
                    }
                }
            }
            if (def["inspection_duration"] && c.inspect_every_h == 0) {
                yaml_.fail(def["inspection_duration"], what + ": 'inspection_duration' needs 'hidden: true' and 'inspect_every'");
            }
            if (def["inspect_every"] && c.inspect_every_h == 0) {
                yaml_.fail(def["inspect_every"], what + ": 'inspect_every' needs 'hidden: true'");
            }
            if (def["inspection_schedule"]) {
                const std::string v = yaml_.scalar(def["inspection_schedule"], what + " inspection_schedule");
                if (v != "staggered" && v != "simultaneous") {
                    yaml_.fail(def["inspection_schedule"], what + " inspection_schedule: write staggered or simultaneous");
                }
                if (c.inspect_every_h == 0) {
                    yaml_.fail(def["inspection_schedule"], what + ": 'inspection_schedule' needs 'hidden: true' and 'inspect_every'");
                }
                c.inspections_simultaneous = v == "simultaneous";
            }
            if (def["spares"]) {
                const std::string pool = yaml_.scalar(def["spares"], what + " spares");
                std::vector<std::string> names;
                for (std::size_t p = 0; p < model_.spares.size(); ++p) {
                    names.push_back(model_.spares[p].name);
                    if (model_.spares[p].name == pool) c.spare_pool = static_cast<int>(p);
                }
                if (c.spare_pool < 0) {
                    yaml_.fail(def["spares"], "spares pool '" + pool + "' does not exist" + did_you_mean(pool, names) +
                                                  (names.empty() ? " (define it under a top-level 'spares:')" : ""));
                }
            }
            if (def["maintenance"]) {
                const YAML::Node mn = def["maintenance"];
                yaml_.expect_map(mn, what + " maintenance", {"every", "duration", "crew", "renews", "only_when_redundant"});
                if (!mn["every"]) yaml_.fail(mn, what + " maintenance: missing parameter: every");
                if (!mn["duration"]) yaml_.fail(mn, what + " maintenance: missing parameter: duration");
                c.maintenance_every_h = read_duration(yaml_, mn["every"], what + " maintenance every");
                c.maintenance_duration_h = read_duration(yaml_, mn["duration"], what + " maintenance duration");
                if (c.maintenance_duration_h >= c.maintenance_every_h) {
                    yaml_.fail(mn["duration"], what + " maintenance: the duration must be shorter than the interval");
                }
                if (mn["crew"]) {
                    const std::string v = yaml_.scalar(mn["crew"], what + " maintenance crew");
                    if (v != "true" && v != "false") yaml_.fail(mn["crew"], what + " maintenance crew: write true or false");
                    c.maintenance_uses_crew = v == "true";
                }
                for (const char* option : {"renews", "only_when_redundant"}) {
                    if (!mn[option]) continue;
                    const std::string v = yaml_.scalar(mn[option], what + " maintenance " + option);
                    if (v != "true" && v != "false") yaml_.fail(mn[option], what + " maintenance " + option + ": write true or false");
                    (std::string(option) == "renews" ? c.maintenance_renews : c.maintenance_only_when_redundant) = v == "true";
                }
                if (!def["repair"] && !(type && type->node["repair"])) {
                    yaml_.fail(mn, what + ": maintenance renews a repairable unit; give it a 'repair'");
                }
                if (c.inspection_duration_h > 0) {
                    yaml_.fail(mn, what + ": maintenance together with an inspection_duration is not supported (both use the unit's service timer)");
                }
            }
            if (def["priority"]) c.priority = static_cast<int>(read_integer(yaml_, def["priority"], what + " priority", -1000000, 1000000));
            if (def["crew"]) {
                const std::string pool = yaml_.scalar(def["crew"], what + " crew");
                std::vector<std::string> names;
                for (std::size_t p = 0; p < model_.pools.size(); ++p) {
                    names.push_back(model_.pools[p].name);
                    if (model_.pools[p].name == pool) c.pool = static_cast<int>(p);
                }
                if (c.pool < 0) {
                    yaml_.fail(def["crew"], "crew pool '" + pool + "' does not exist" + did_you_mean(pool, names) +
                                                (names.empty() ? " (define pools under 'repair: { pools: ... }')"
                                                               : "; pools: " + join(names, ", ")));
                }
            } else if (!model_.pools.empty() && model_.pools.front().name == "default") {
                c.pool = 0;  // `repair: { crews: N }`: one pool shared by every repairable component
            }
            if (!c.repair && (def["detect"] || def["logistics"] || def["crew"] || def["priority"] || c.inspect_every_h > 0 || def["spares"])) {
                yaml_.fail(def["detect"] ? def["detect"] : def["logistics"] ? def["logistics"] : def["crew"] ? def["crew"] : def["priority"] ? def["priority"] : def["spares"] ? def["spares"] : def["hidden"],
                           what + " has no 'repair': detection, inspections, logistics, crews and priority only apply to repairs");
            }
            if (def["cost"]) {
                c.cost_per_unit_year = read_cost(yaml_, def["cost"], what + " cost (per unit and year)");
            } else if (type && type->node["cost"]) {
                c.cost_per_unit_year = read_cost(imports_.at(type->file), type->node["cost"], "cost of type '" + c.type + "'");
            }
            c.first_instance = static_cast<int>(model_.instances.size());
            const int id = static_cast<int>(model_.components.size());
            for (int i = 0; i < c.count; ++i) model_.instances.push_back(Instance{id, i, {}, {}});
            component_ids_[name] = id;
            component_names_.push_back(name);
            requires_nodes_.push_back(def["requires"]);
            model_.components.push_back(std::move(c));
        }
    }

    // How many references `node` expands to (a component name counts its instances), each distinct node
    // counted once: an alias names the same node as its anchor, which has the same position and type,
    // so the size of `&a [*b, *b, *b]` is computed from the size of b, not by walking every copy.
    // A node that contains itself (`&a [ *a ]`, which yaml-cpp builds as a cycle) is refused, and so is
    // a chain of aliases deeper than any structure needs.
    std::int64_t expanded_size(const YAML::Node& node, std::map<std::tuple<int, int, int>, std::int64_t>& memo, int depth = 0) {
        constexpr std::int64_t kInProgress = -1;
        if (depth > 10 * kMaxNesting) yaml_.fail(node, "nested too deeply (through YAML aliases)");
        const YAML::Mark mark = node.Mark();
        const auto key = std::make_tuple(mark.line, mark.column, static_cast<int>(node.Type()));
        if (!mark.is_null()) {
            auto it = memo.find(key);
            if (it != memo.end()) {
                if (it->second == kInProgress) yaml_.fail(node, "this node contains itself through a YAML alias");
                return it->second;
            }
            memo[key] = kInProgress;
        }
        std::int64_t size = 1;
        if (node.IsScalar()) {
            auto c = component_ids_.find(node.Scalar());
            if (c != component_ids_.end()) size = model_.components[static_cast<std::size_t>(c->second)].count;
        } else if (node.IsSequence() || node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                size += expanded_size(node.IsMap() ? it->second : *it, memo, depth + 1);
                if (size > kMaxReferences) break;  // enough to refuse; stop walking
            }
        }
        size = std::min(size, kMaxReferences + 1);
        if (!mark.is_null()) memo[key] = size;
        return size;
    }

    void check_expanded_size(const YAML::Node& node, const std::string& section) {
        std::map<std::tuple<int, int, int>, std::int64_t> memo;
        if (expanded_size(node, memo) > kMaxReferences) {
            yaml_.fail(node, "'" + section + "' expands to more than " + std::to_string(kMaxReferences / 1'000'000) +
                                 " million members; YAML aliases and component names repeat what they stand for");
        }
    }

    // Counts `n` more references (see kMaxReferences) for the entry at `node`.
    void add_references(const YAML::Node& node, std::int64_t n, const std::string& what) {
        references_ += n;
        if (references_ > kMaxReferences) {
            yaml_.fail(node, "the model expands to more than " + std::to_string(kMaxReferences / 1'000'000) +
                                 " million references (block members, requires and common-cause members), here in " + what +
                                 "; YAML aliases and component names repeat what they stand for");
        }
    }

    void check_name(const YAML::Node& node, const std::string& name) {
        if (name.empty()) yaml_.fail(node, "a name must not be empty");
        for (char ch : name) {
            if (ch == '[' || ch == ']' || ch == ',' || std::isspace(static_cast<unsigned char>(ch))) {
                yaml_.fail(node, "name '" + name + "' must not contain spaces, commas or brackets");
            }
        }
    }

    // Splits "web[2]" into "web" and "2"; a name without brackets leaves `index` empty.
    void split_reference(const YAML::Node& node, const std::string& text, std::string& base, std::string& index) {
        const auto open = text.find('[');
        if (open == std::string::npos) {
            base = text;
            index.clear();
            return;
        }
        if (text.back() != ']' || open == 0) yaml_.fail(node, "'" + text + "' is not a name or name[index]");
        base = text.substr(0, open);
        index = text.substr(open + 1, text.size() - open - 2);
        if (index.empty()) yaml_.fail(node, "'" + text + "': empty index");
    }

    int component_or_fail(const YAML::Node& node, const std::string& name, const std::string& context) {
        auto it = component_ids_.find(name);
        if (it != component_ids_.end()) return it->second;
        std::string hint = did_you_mean(name, component_names_);
        if (hint.empty() && model_.named_blocks.count(name)) hint = " ('" + name + "' is a block, not a component)";
        yaml_.fail(node, "unknown component '" + name + "'" + context + hint);
    }

    // Resolves one index expression for instance i of the component whose requires list is read.
    int resolve_instance(const YAML::Node& node, int component, const IndexExpression& expr, std::int64_t i,
                         const std::string& text, const std::string& owner) {
        std::int64_t index = 0;
        try {
            index = expr.evaluate(i);
        } catch (const std::domain_error& e) {
            yaml_.fail(node, "cannot evaluate the index of '" + text + "'" + (owner.empty() ? "" : " for " + owner) + ": " +
                                 e.what() + (std::string(e.what()) == "integer overflow" ? " (a value leaves the 64-bit range)" : ""));
        }
        const Component& c = model_.components[static_cast<std::size_t>(component)];
        if (index < 0 || index >= c.count) {
            yaml_.fail(node, "instance index out of range: '" + text + "' gives index " + std::to_string(index) +
                                 (owner.empty() ? "" : " for " + owner) + ", but '" + c.name + "' has " +
                                 std::to_string(c.count) + (c.count == 1 ? " instance" : " instances") + " (0.." +
                                 std::to_string(c.count - 1) + ")");
        }
        return c.first_instance + static_cast<int>(index);
    }

    // One requires entry for instance `i` of `owner_component`: "zone", "zone[1]", "zone[i % 2]".
    void add_requirement(const YAML::Node& entry, int owner_component, int i, std::vector<int>& out) {
        const std::string text = yaml_.scalar(entry, "a requires entry");
        std::string base;
        std::string index_text;
        split_reference(entry, text, base, index_text);
        const int target = component_or_fail(entry, base, " in requires");
        const Component& t = model_.components[static_cast<std::size_t>(target)];
        add_references(entry, index_text.empty() ? t.count : 1, "requires");
        if (index_text.empty()) {
            for (int k = 0; k < t.count; ++k) out.push_back(t.first_instance + k);
            return;
        }
        IndexExpression expr;
        try {
            expr = IndexExpression::parse(index_text);
        } catch (const std::invalid_argument& e) {
            yaml_.fail(entry, e.what());
        }
        const Component& owner = model_.components[static_cast<std::size_t>(owner_component)];
        out.push_back(resolve_instance(entry, target, expr, i, text,
                                       model_.instance_name(owner.first_instance + i)));
    }

    void read_requires() {
        for (std::size_t c = 0; c < model_.components.size(); ++c) {
            const YAML::Node node = requires_nodes_[c];
            if (!node) continue;
            const Component& comp = model_.components[c];
            const std::string what = "requires of component '" + comp.name + "'";
            {
                // Refused before it is built: every instance requires every instance the list names
                // (a list of per-instance lists names each instance's own).
                std::map<std::tuple<int, int, int>, std::int64_t> memo;
                const std::int64_t named = expanded_size(node, memo);
                const bool per_instance_lists = node.IsSequence() && node.size() > 0 && node[0].IsSequence();
                const std::int64_t total = per_instance_lists ? named : named * comp.count;
                if (named > kMaxReferences || total > kMaxReferences) {
                    yaml_.fail(node, what + " expands to more than " + std::to_string(kMaxReferences / 1'000'000) +
                                         " million requirements (" + std::to_string(comp.count) +
                                         " instances, each requiring every instance named)");
                }
            }
            if (node.IsScalar()) {
                for (int i = 0; i < comp.count; ++i) {
                    Instance& inst = model_.instances[static_cast<std::size_t>(comp.first_instance + i)];
                    add_requirement(node, static_cast<int>(c), i, inst.requires);
                    inst.requires_location = yaml_.where(node);
                }
                continue;
            }
            yaml_.expect_sequence(node, what);
            bool per_instance = node.size() > 0 && node[0].IsSequence();
            if (per_instance) {
                if (node.size() != static_cast<std::size_t>(comp.count)) {
                    yaml_.fail(node, what + ": a list per instance needs " + std::to_string(comp.count) +
                                         " lists (one per instance), got " + std::to_string(node.size()));
                }
                for (int i = 0; i < comp.count; ++i) {
                    const YAML::Node list = node[static_cast<std::size_t>(i)];
                    yaml_.expect_sequence(list, what + " for instance " + std::to_string(i));
                    Instance& inst = model_.instances[static_cast<std::size_t>(comp.first_instance + i)];
                    inst.requires_location = yaml_.where(list);
                    for (const YAML::Node& entry : list) add_requirement(entry, static_cast<int>(c), i, inst.requires);
                }
            } else {
                for (int i = 0; i < comp.count; ++i) {
                    Instance& inst = model_.instances[static_cast<std::size_t>(comp.first_instance + i)];
                    inst.requires_location = yaml_.where(node);
                    for (const YAML::Node& entry : node) {
                        if (entry.IsSequence()) {
                            yaml_.fail(entry, what + ": mix of names and per-instance lists; use one form");
                        }
                        add_requirement(entry, static_cast<int>(c), i, inst.requires);
                    }
                }
            }
        }
    }

    void read_blocks(const YAML::Node& node) {
        if (!node) return;
        if (!node.IsMap()) yaml_.fail(node, "'blocks' must be a map of block names to structures");
        // Register every name first so blocks may refer to blocks defined further down.
        std::vector<std::pair<int, YAML::Node>> definitions;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const std::string name = yaml_.scalar(it->first, "a block name");
            check_name(it->first, name);
            if (component_ids_.count(name)) yaml_.fail(it->first, "block name '" + name + "' is also a component name");
            if (model_.named_blocks.count(name)) yaml_.fail(it->first, "duplicate block name '" + name + "'");
            Block b;
            b.name = name;
            b.location = yaml_.where(it->first);
            const int id = add_block(std::move(b));
            model_.named_blocks[name] = id;
            block_names_.push_back(name);
            definitions.emplace_back(id, it->second);
        }
        for (auto& [id, def] : definitions) fill_block(id, def, 0);
    }

    int add_block(Block b) {
        model_.blocks.push_back(std::move(b));
        return static_cast<int>(model_.blocks.size()) - 1;
    }

    int instance_block(int instance) {
        auto [it, inserted] = instance_blocks_.try_emplace(instance, -1);
        if (inserted) {
            Block b;
            b.kind = BlockKind::Instance;
            b.instance = instance;
            it->second = add_block(std::move(b));
        }
        return it->second;
    }

    // The block a component name stands for when it stands alone: its instances in series.
    int whole_component_block(int component, const YAML::Node& node) {
        const Component& c = model_.components[static_cast<std::size_t>(component)];
        if (c.count == 1) return instance_block(c.first_instance);
        Block b;
        b.kind = BlockKind::Series;
        b.location = yaml_.where(node);
        add_references(node, c.count, "the structure");
        for (int k = 0; k < c.count; ++k) b.children.push_back(instance_block(c.first_instance + k));
        return add_block(std::move(b));
    }

    // A name in a list: a counted component contributes all its instances as siblings.
    void append_children(const YAML::Node& item, std::vector<int>& children, int depth) {
        if (item.IsScalar()) {
            const std::string text = yaml_.scalar(item, "a structure member");
            auto it = component_ids_.find(text);
            if (it != component_ids_.end()) {
                const Component& c = model_.components[static_cast<std::size_t>(it->second)];
                add_references(item, c.count, "the structure");
                for (int k = 0; k < c.count; ++k) children.push_back(instance_block(c.first_instance + k));
                return;
            }
        }
        add_references(item, 1, "the structure");
        children.push_back(read_block(item, depth + 1));
    }

    std::vector<int> read_children(const YAML::Node& node, const std::string& what, int depth) {
        std::vector<int> children;
        if (node.IsSequence()) {
            if (node.size() == 0) yaml_.fail(node, what + " has no members");
            for (const YAML::Node& item : node) append_children(item, children, depth);
        } else if (node.IsScalar()) {
            append_children(node, children, depth);
        } else {
            yaml_.fail(node, what + " must be a list of blocks (or one component name for all its instances)");
        }
        return children;
    }

    int read_reference(const YAML::Node& node) {
        const std::string text = yaml_.scalar(node, "a structure member");
        std::string base;
        std::string index_text;
        split_reference(node, text, base, index_text);
        if (index_text.empty()) {
            auto block = model_.named_blocks.find(base);
            if (block != model_.named_blocks.end()) return block->second;
            auto comp = component_ids_.find(base);
            if (comp != component_ids_.end()) return whole_component_block(comp->second, node);
            std::vector<std::string> names = component_names_;
            names.insert(names.end(), block_names_.begin(), block_names_.end());
            yaml_.fail(node, "unknown component or block '" + base + "'" + did_you_mean(base, names));
        }
        const int component = component_or_fail(node, base, "");
        IndexExpression expr;
        try {
            expr = IndexExpression::parse(index_text);
        } catch (const std::invalid_argument& e) {
            yaml_.fail(node, e.what());
        }
        if (expr.uses_i()) yaml_.fail(node, "'" + text + "': 'i' is only meaningful inside requires");
        return instance_block(resolve_instance(node, component, expr, 0, text, ""));
    }

    int read_block(const YAML::Node& node, int depth) {
        if (node.IsScalar()) return read_reference(node);
        Block b;
        b.location = yaml_.where(node);
        const int id = add_block(std::move(b));
        fill_block(id, node, depth);
        return id;
    }

    void fill_block(int id, const YAML::Node& node, int depth) {
        if (depth > kMaxNesting) {
            yaml_.fail(node, "structure nested more than " + std::to_string(kMaxNesting) +
                                 " levels deep; define sub-blocks under 'blocks:' instead");
        }
        if (node.IsScalar()) {  // a named block that aliases a component or another block
            const int child = read_reference(node);
            model_.blocks[static_cast<std::size_t>(id)].kind = BlockKind::Series;
            model_.blocks[static_cast<std::size_t>(id)].children = {child};
            return;
        }
        YAML::Node key_node;
        YAML::Node value;
        const std::string kind = yaml_.single_key(node, "block kind", "", kBlockKinds, key_node, value);
        if (kind == "standby") {
            read_standby(id, value);
            return;
        }
        std::vector<int> children;
        int k = 0;
        BlockKind block_kind = BlockKind::Series;
        if (kind == "series" || kind == "parallel") {
            children = read_children(value, kind, depth);
            block_kind = kind == "series" ? BlockKind::Series : BlockKind::Parallel;
        } else {
            yaml_.expect_map(value, "k_of_n", {"k", "of"});
            if (!value["k"]) yaml_.fail(value, "k_of_n: missing parameter: k");
            if (!value["of"]) yaml_.fail(value, "k_of_n: missing parameter: of");
            children = read_children(value["of"], "k_of_n 'of'", depth);
            const std::int64_t n = static_cast<std::int64_t>(children.size());
            const std::int64_t kk = read_integer(yaml_, value["k"], "k_of_n k", std::numeric_limits<int>::min(),
                                                 std::numeric_limits<int>::max());
            if (kk < 1) yaml_.fail(value["k"], "k_of_n: k must be at least 1 (got " + std::to_string(kk) + ")");
            if (kk > n) {
                yaml_.fail(value["k"], "k_of_n: k = " + std::to_string(kk) + " exceeds the number of members n = " +
                                           std::to_string(n));
            }
            k = static_cast<int>(kk);
            block_kind = BlockKind::KOfN;
        }
        Block& b = model_.blocks[static_cast<std::size_t>(id)];
        b.kind = block_kind;
        b.children = std::move(children);
        b.k = k;
        if (b.location.line == 0) b.location = yaml_.where(node);
    }

    void read_simulation(const YAML::Node& node) {
        yaml_.expect_map(node, "simulation", kSimulationKeys);
        SimulationSettings& s = model_.simulation;
        s.location = yaml_.where(node);
        if (node["horizon"]) s.horizon_h = read_duration(yaml_, node["horizon"], "simulation horizon");
        if (node["replications"]) read_replications(node["replications"]);
        if (node["seed"]) {
            s.seed = static_cast<std::uint64_t>(
                read_integer(yaml_, node["seed"], "simulation seed", 0, std::numeric_limits<std::int64_t>::max()));
        }
        if (node["warmup"]) s.warmup_h = read_duration_or_zero(yaml_, node["warmup"], "simulation warmup");
        if (node["threads"]) s.threads = static_cast<int>(read_integer(yaml_, node["threads"], "simulation threads", 0, 1024));
        if (node["grid"]) s.grid_h = read_duration(yaml_, node["grid"], "simulation grid");
        if (s.warmup_h >= s.horizon_h) {
            yaml_.fail(node["warmup"] ? node["warmup"] : node, "simulation warmup must be shorter than the horizon");
        }
        if (s.grid_h > s.horizon_h) yaml_.fail(node["grid"], "simulation grid step is longer than the horizon");
        if (s.grid_h > 0 && s.horizon_h / s.grid_h > kMaxGridPoints) {
            char points[32];
            std::snprintf(points, sizeof points, "%.3g", s.horizon_h / s.grid_h + 1);
            yaml_.fail(node["grid"], std::string("simulation grid: a step of '") + node["grid"].Scalar() + "' gives " + points +
                                         " points over the horizon (at most " + std::to_string(kMaxGridPoints) +
                                         "); choose a coarser grid");
        }
    }

    // `replications: 2000`, or a precision target:
    // `replications: { until: { availability: 1e-5 }, max: 1000000, min: 100 }`.
    void read_replications(const YAML::Node& node) {
        SimulationSettings& s = model_.simulation;
        if (!node.IsMap()) {
            s.replications = read_integer(yaml_, node, "simulation replications", 1, 10'000'000);
            return;
        }
        yaml_.expect_map(node, "simulation replications", {"until", "max", "min"});
        if (!node["until"]) yaml_.fail(node, "simulation replications: a map needs 'until' (a precision target), or give a number");
        YAML::Node key_node;
        YAML::Node value;
        const std::vector<std::string> metrics = {"availability", "unavailability", "downtime_per_year", "failures_per_year"};
        PrecisionTarget target;
        target.metric = yaml_.single_key(node["until"], "precision metric", "in replications 'until'", metrics, key_node, value);
        const std::string what = "precision target for " + target.metric + " (95% half-width)";
        if (target.metric == "downtime_per_year") {
            target.half_width = read_duration(yaml_, value, what);
        } else if (target.metric == "failures_per_year") {
            target.half_width = read_positive_number(yaml_, value, what);
        } else {
            target.half_width = read_probability(yaml_, value, what);
            if (target.half_width <= 0) yaml_.fail(value, what + " must be above 0");
        }
        if (node["max"]) target.max_replications = read_integer(yaml_, node["max"], "replications max", 2, 10'000'000);
        s.replications = node["min"] ? read_integer(yaml_, node["min"], "replications min", 2, 10'000'000) : 100;
        if (s.replications > target.max_replications) yaml_.fail(node, "replications: min exceeds max");
        s.precision = target;
    }

    static double read_cost(const YamlReader& yaml, const YAML::Node& node, const std::string& what) {
        const std::string text = yaml.scalar(node, what);
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v)) yaml.fail(node, what + ": '" + text + "' is not a number");
        if (v < 0) yaml.fail(node, what + " must not be negative");
        return v;
    }

    // `{ standby: { active: 1, of: db, mode: cold, start_success: 99%, switch_time: 30s, dormant_factor: 10% } }`
    void read_standby(int id, const YAML::Node& value) {
        yaml_.expect_map(value, "standby", {"active", "of", "mode", "start_success", "switch_time", "dormant_factor"});
        if (!value["of"]) yaml_.fail(value, "standby: missing parameter: of");
        StandbyGroup g;
        g.block = id;
        const std::vector<int> children = read_children(value["of"], "standby 'of'", 0);
        for (int child : children) {
            const Block& b = model_.blocks[static_cast<std::size_t>(child)];
            if (b.kind != BlockKind::Instance) yaml_.fail(value["of"], "standby 'of' must list component instances, not blocks");
            if (!model_.instances[static_cast<std::size_t>(b.instance)].requires.empty()) {
                yaml_.fail(value["of"], "standby members cannot have 'requires' (" + model_.instance_name(b.instance) + ")");
            }
            for (const StandbyGroup& other : model_.standby_groups) {
                if (std::find(other.members.begin(), other.members.end(), b.instance) != other.members.end()) {
                    yaml_.fail(value["of"], model_.instance_name(b.instance) + " is already in another standby group");
                }
            }
            g.members.push_back(b.instance);
        }
        g.k = value["active"] ? static_cast<int>(read_integer(yaml_, value["active"], "standby active", 1, 1000000)) : 1;
        if (static_cast<int>(g.members.size()) <= g.k) {
            yaml_.fail(value["of"] ? value["of"] : value, "standby group without enough units: " + std::to_string(g.members.size()) +
                                                              " units for " + std::to_string(g.k) + " active; a standby group needs at least one spare unit");
        }
        if (value["mode"]) {
            const std::string mode = yaml_.scalar(value["mode"], "standby mode");
            if (mode == "hot") {
                g.mode = StandbyMode::Hot;
            } else if (mode == "warm") {
                g.mode = StandbyMode::Warm;
            } else if (mode == "cold") {
                g.mode = StandbyMode::Cold;
            } else {
                yaml_.fail(value["mode"], "standby mode '" + mode + "' is not one of hot, warm, cold" + did_you_mean(mode, {"hot", "warm", "cold"}));
            }
        }
        if (value["start_success"]) g.start_success = read_probability(yaml_, value["start_success"], "standby start_success");
        if (g.start_success <= 0) yaml_.fail(value["start_success"], "standby start_success must be above 0");
        if (value["switch_time"]) g.switch_time_h = read_duration_or_zero(yaml_, value["switch_time"], "standby switch_time");
        if (g.mode == StandbyMode::Warm) {
            if (!value["dormant_factor"]) yaml_.fail(value, "warm standby: missing parameter: dormant_factor (standby failure rate / active rate)");
            g.dormant_factor = read_probability(yaml_, value["dormant_factor"], "standby dormant_factor");
            if (g.dormant_factor <= 0) yaml_.fail(value["dormant_factor"], "a dormant_factor of 0 is cold standby: write mode: cold");
        } else if (value["dormant_factor"]) {
            yaml_.fail(value["dormant_factor"], "dormant_factor applies to warm standby only");
        }
        Block& b = model_.blocks[static_cast<std::size_t>(id)];
        b.kind = BlockKind::Standby;
        b.children = children;
        b.k = g.k;
        model_.standby_groups.push_back(std::move(g));
    }

    // Standby members belong to their group alone: elsewhere their raw state would bypass the group.
    void check_standby_members() {
        for (const StandbyGroup& g : model_.standby_groups) {
            for (int i : g.members) {
                const Component& c = model_.components[static_cast<std::size_t>(model_.instances[static_cast<std::size_t>(i)].component)];
                if (c.maintenance_every_h > 0 || c.inspection_duration_h > 0) {
                    throw InputError(c.location, "component '" + c.name + "' is in a standby group: maintenance and "
                                                                        "inspections that take units out of service are not supported there");
                }
            }
            for (std::size_t b = 0; b < model_.blocks.size(); ++b) {
                const Block& block = model_.blocks[b];
                if (static_cast<int>(b) == g.block) continue;
                for (int child : block.children) {
                    const Block& c = model_.blocks[static_cast<std::size_t>(child)];
                    if (c.kind == BlockKind::Instance && std::find(g.members.begin(), g.members.end(), c.instance) != g.members.end()) {
                        throw InputError(block.location.line ? block.location : c.location,
                                         model_.instance_name(c.instance) + " is in a standby group and cannot appear elsewhere in the structure");
                    }
                }
            }
            for (const Instance& inst : model_.instances) {
                for (int r : inst.requires) {
                    if (std::find(g.members.begin(), g.members.end(), r) != g.members.end()) {
                        throw InputError(inst.requires_location, model_.instance_name(r) + " is in a standby group and cannot be required");
                    }
                }
            }
        }
    }

    // `spares: { disks: { stock: 2, lead_time: { exponential: { mean: 3d } } } }`
    void read_spare_pools(const YAML::Node& node) {
        if (!node.IsMap() || node.size() == 0) yaml_.fail(node, "'spares' must be a map of pool names to { stock, lead_time }");
        for (auto it = node.begin(); it != node.end(); ++it) {
            const std::string name = yaml_.scalar(it->first, "a spares pool name");
            check_name(it->first, name);
            for (const SparePool& p : model_.spares) {
                if (p.name == name) yaml_.fail(it->first, "duplicate spares pool '" + name + "'");
            }
            const std::string what = "spares pool '" + name + "'";
            yaml_.expect_map(it->second, what, {"stock", "lead_time"});
            if (!it->second["stock"]) yaml_.fail(it->second, what + ": missing parameter: stock");
            if (!it->second["lead_time"]) yaml_.fail(it->second, what + ": missing parameter: lead_time");
            SparePool p;
            p.name = name;
            p.location = yaml_.where(it->first);
            p.stock = static_cast<int>(read_integer(yaml_, it->second["stock"], what + " stock", 0, 100000));
            p.lead_time = read_distribution(yaml_, it->second["lead_time"], what + " lead_time", DistributionRole::Other);
            model_.spares.push_back(std::move(p));
        }
    }

    // A spares pool nobody draws from is a mistake in the file (a misspelt name, a forgotten line).
    void check_spare_pools_used() {
        for (std::size_t p = 0; p < model_.spares.size(); ++p) {
            bool used = false;
            for (const Component& c : model_.components) used = used || c.spare_pool == static_cast<int>(p);
            if (!used) {
                throw InputError(model_.spares[p].location, "spares pool '" + model_.spares[p].name +
                                                                "' is used by no component (add 'spares: " + model_.spares[p].name +
                                                                "' to the components that need its parts)");
            }
        }
    }

    // `common_cause: [ { members: [db], beta: 5% }, { members: [web, lb], shock: { mttf: 5y } } ]`
    void read_common_causes(const YAML::Node& node) {
        yaml_.expect_sequence(node, "common_cause");
        for (const YAML::Node& item : node) {
            CommonCause cc;
            cc.label = "common_cause[" + std::to_string(model_.common_causes.size()) + "]";
            cc.location = yaml_.where(item);
            const std::string what = "common cause " + std::to_string(model_.common_causes.size());
            yaml_.expect_map(item, what, {"members", "beta", "shock"});
            if (!item["members"]) yaml_.fail(item, what + ": missing parameter: members");
            if (item["beta"].IsDefined() == item["shock"].IsDefined()) yaml_.fail(item, what + ": give 'beta' (a beta factor) or 'shock' (a distribution), one of them");
            const YAML::Node members = item["members"];
            yaml_.expect_sequence(members, what + " members");
            for (const YAML::Node& m : members) {
                const std::string text = yaml_.scalar(m, "a member");
                std::string base, index;
                split_reference(m, text, base, index);
                const int comp = component_or_fail(m, base, " in common_cause members");
                const Component& c = model_.components[static_cast<std::size_t>(comp)];
                add_references(m, index.empty() ? c.count : 1, "common_cause members");
                if (index.empty()) {
                    for (int k = 0; k < c.count; ++k) cc.members.push_back(c.first_instance + k);
                } else {
                    IndexExpression expr;
                    try {
                        expr = IndexExpression::parse(index);
                    } catch (const std::invalid_argument& e) {
                        yaml_.fail(m, e.what());
                    }
                    cc.members.push_back(resolve_instance(m, comp, expr, 0, text, ""));
                }
            }
            std::sort(cc.members.begin(), cc.members.end());
            cc.members.erase(std::unique(cc.members.begin(), cc.members.end()), cc.members.end());
            if (cc.members.size() < 2) yaml_.fail(members, what + ": a common cause needs at least two members");
            if (item["beta"]) {
                cc.beta = read_probability(yaml_, item["beta"], what + " beta");
                if (cc.beta <= 0 || cc.beta >= 1) yaml_.fail(item["beta"], what + ": beta must be above 0% and below 100%");
                double rate = -1;
                for (int i : cc.members) {
                    const Component& c = model_.components[static_cast<std::size_t>(model_.instances[static_cast<std::size_t>(i)].component)];
                    if (!c.failure.is_exponential()) {
                        yaml_.fail(members, what + ": the beta factor needs exponential members, and '" + c.name + "' has " + c.failure.describe() +
                                                "; use 'shock' for other laws");
                    }
                    if (rate >= 0 && std::fabs(c.failure.mean() - rate) > 1e-9 * rate) {
                        yaml_.fail(members, what + ": the beta factor needs members with the same failure rate");
                    }
                    rate = c.failure.mean();
                }
                for (const CommonCause& other : model_.common_causes) {
                    for (int i : cc.members) {
                        if (other.beta > 0 && std::find(other.members.begin(), other.members.end(), i) != other.members.end()) {
                            yaml_.fail(members, what + ": " + model_.instance_name(i) + " is already in a beta-factor group");
                        }
                    }
                }
            } else {
                cc.shock = read_distribution(yaml_, item["shock"], what + " shock", DistributionRole::Failure);
            }
            model_.common_causes.push_back(std::move(cc));
        }
    }

    // `repair: { crews: 2 }` (one shared pool) or `repair: { pools: { onsite: { crews: 2 }, vendor: { crews: 1 } } }`.
    void read_repair_policy(const YAML::Node& node) {
        yaml_.expect_map(node, "repair", {"crews", "pools"});
        if (node["crews"] && node["pools"]) yaml_.fail(node, "repair: give 'crews' (one shared pool) or 'pools', not both");
        if (node["crews"]) {
            model_.pools.push_back({"default", static_cast<int>(read_integer(yaml_, node["crews"], "repair crews", 1, 100000)),
                                    yaml_.where(node["crews"])});
        } else if (node["pools"]) {
            if (!node["pools"].IsMap() || node["pools"].size() == 0) yaml_.fail(node["pools"], "repair pools must be a map of pool names to { crews: N }");
            for (auto it = node["pools"].begin(); it != node["pools"].end(); ++it) {
                const std::string name = yaml_.scalar(it->first, "a pool name");
                check_name(it->first, name);
                for (const RepairPool& p : model_.pools) {
                    if (p.name == name) yaml_.fail(it->first, "duplicate pool name '" + name + "'");
                }
                yaml_.expect_map(it->second, "pool '" + name + "'", {"crews"});
                if (!it->second["crews"]) yaml_.fail(it->second, "pool '" + name + "': missing parameter: crews");
                model_.pools.push_back({name, static_cast<int>(read_integer(yaml_, it->second["crews"], "pool '" + name + "' crews", 1, 100000)),
                                        yaml_.where(it->first)});
            }
        } else {
            yaml_.fail(node, "repair: give 'crews: N' or 'pools'");
        }
    }

    void warn_unused_pools() {
        for (std::size_t p = 0; p < model_.pools.size(); ++p) {
            bool used = false;
            for (const Component& c : model_.components) used = used || (c.pool == static_cast<int>(p) && c.repair);
            if (!used) {
                model_.warnings.push_back(model_.pools[p].location.str() + ": warning: repair pool '" + model_.pools[p].name +
                                          "' is used by no repairable component");
            }
        }
    }

    // `imports: [ ../models/infrastructure.yaml ]`: files with `types:`, paths relative to this file.
    void read_imports(const YAML::Node& node) {
        yaml_.expect_sequence(node, "imports");
        const std::filesystem::path base = std::filesystem::path(yaml_.file()).parent_path();
        for (const YAML::Node& entry : node) {
            const std::string rel = yaml_.scalar(entry, "an import");
            const std::filesystem::path path = std::filesystem::path(rel).is_absolute() ? std::filesystem::path(rel) : base / rel;
            const std::string text = read_text_file(path.string(), yaml_.where(entry), "imported file '" + path.string() + "'");
            const std::string file = path.lexically_normal().string();
            check_text(text, file);
            YAML::Node doc;
            try {
                doc = YAML::Load(text);
            } catch (const YAML::Exception& e) {
                throw InputError(SourceLocation{file, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1},
                                 "malformed YAML: " + e.msg);
            }
            imports_.emplace(file, YamlReader(file));
            const YamlReader& reader = imports_.at(file);
            if (!doc.IsMap()) reader.fail(doc, "a model library must be a map with 'types'");
            reader.expect_map(doc, "the model library", {"description", "types"});
            if (!doc["types"] || !doc["types"].IsMap()) reader.fail(doc, "a model library needs a 'types' map");
            for (auto it = doc["types"].begin(); it != doc["types"].end(); ++it) {
                const std::string name = reader.scalar(it->first, "a type name");
                const YAML::Node def = it->second;
                const std::string what = "type '" + name + "'";
                reader.expect_map(def, what, kTypeKeys);
                if (!def["failure"]) reader.fail(it->first, what + ": missing 'failure' distribution");
                // Every number needs its source (or the word "assumption"): a library is only as good as that.
                if (!def["sources"] || !def["sources"].IsMap()) reader.fail(it->first, what + ": missing 'sources' (where each number comes from)");
                reader.expect_map(def["sources"], what + " sources", {"failure", "repair", "cost"});
                for (const char* field : {"failure", "repair", "cost"}) {
                    if (def[field] && !def["sources"][field]) {
                        reader.fail(def["sources"], what + ": no source for '" + std::string(field) + "' (cite one, or write \"assumption: ...\")");
                    }
                }
                if (!types_.emplace(name, ImportedType{file, def}).second) {
                    reader.fail(it->first, "type '" + name + "' is defined twice in the imports");
                }
            }
        }
    }

    // `sweep: { web.count: 2..6, lb.repair.mttr: [1h, 2h] }`: checked again when applied.
    void read_sweep(const YAML::Node& node, const YAML::Node& root) {
        if (!node.IsMap() || node.size() == 0) yaml_.fail(node, "'sweep' must be a map of keys to values (a list or a range such as 2..6)");
        std::set<std::string> seen;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const std::string key = yaml_.scalar(it->first, "a sweep key");
            if (!seen.insert(key).second) yaml_.fail(it->first, "duplicate key '" + key + "' in sweep");
            const SweepAxis axis = sweep_axis_from_yaml(key, it->second, yaml_.where(it->first));
            check_assignment_path(root, key, yaml_.file(), axis.location);
            model_.sweep.push_back({axis.path, axis.values, axis.location});
        }
    }

    void warn_unused() {
        std::vector<char> used(model_.instances.size(), 0);
        for (const Block& b : model_.blocks) {
            if (b.kind == BlockKind::Instance) used[static_cast<std::size_t>(b.instance)] = 1;
        }
        for (const Instance& inst : model_.instances) {
            for (int r : inst.requires) used[static_cast<std::size_t>(r)] = 1;
        }
        for (const Component& c : model_.components) {
            bool any = false;
            for (int k = 0; k < c.count; ++k) any = any || used[static_cast<std::size_t>(c.first_instance + k)];
            if (!any) {
                model_.warnings.push_back(c.location.str() + ": warning: component '" + c.name +
                                          "' is not part of the system; it is simulated but cannot affect availability");
            }
        }
    }

    struct ImportedType {
        std::string file;
        YAML::Node node;
    };

    YamlReader yaml_;
    Model model_;
    std::map<std::string, YamlReader> imports_;       // by normalised path
    std::map<std::string, ImportedType> types_;
    std::unordered_map<std::string, int> component_ids_;
    std::vector<std::string> component_names_;
    std::vector<std::string> block_names_;
    std::vector<YAML::Node> requires_nodes_;
    std::unordered_map<int, int> instance_blocks_;
    std::int64_t references_ = 0;
};

// Refuses bytes that cannot be YAML text before yaml-cpp sees them, so garbage gets a clear message.
void check_text(const std::string& text, const std::string& name) {
    int line = 1;
    int column = 1;
    for (unsigned char ch : text) {
        if (ch == 0 || (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t')) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "0x%02x", ch);
            throw InputError(SourceLocation{name, line, column},
                             std::string("not a text file: control byte ") + buf + " (is this a binary file?)");
        }
        if (ch == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    // Invalid UTF-8 (truncated or overlong sequences, surrogates) also means a binary or wrongly encoded file.
    line = 1;
    column = 1;
    for (std::size_t i = 0; i < text.size();) {
        char32_t code_point = 0;
        const std::size_t len = decode_utf8(text, i, code_point);
        if (len == 0) {
            throw InputError(SourceLocation{name, line, column}, "not a UTF-8 text file (is this a binary file?)");
        }
        if (code_point == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += len;
    }
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

}  // namespace

Model read_scenario_text(const std::string& text, const std::string& name) {
    // The file name is repeated in every report (JSON, JUnit, the terminal): it must be clean text too.
    if (const std::string problem = find_forbidden_character(name, false); !problem.empty()) {
        throw InputError(SourceLocation{name, 0, 0}, "the file name has " + problem + "; rename the file");
    }
    check_text(text, name);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
        SourceLocation where{name, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1};
        throw InputError(where, "the file is nested too deeply to be a scenario (YAML depth limit reached)");
    } catch (const YAML::Exception& e) {
        SourceLocation where{name, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1};
        throw InputError(where, "malformed YAML: " + e.msg + unquoted_index_hint(text, where.line));
    }
    try {
        return ScenarioReader(name).read(root);
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
