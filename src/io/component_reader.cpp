#include "io/component_reader.h"

#include <algorithm>

#include "io/distribution_reader.h"
#include "io/operations_reader.h"
#include "io/quantity.h"

namespace nines::io {

namespace {

const std::vector<std::string> kComponentKeys = {"count",  "type",     "failure",  "repair",      "requires", "description",
                                                 "cost",   "detect",   "logistics", "crew",       "priority",
                                                 "hidden", "inspect_every", "inspection_duration", "inspection_schedule", "spares",
                                                 "maintenance", "capacity", "logistics_cost"};
const std::vector<std::string> kFutureComponentKeys = {"standby"};

// One component (or domain) `key: def`; `total` counts the instances read so far.
void read_component(ReaderContext& ctx, const YamlNode& key, const YamlNode& def, bool domains, std::int64_t& total) {
    const std::string name = ctx.yaml.scalar(key, "a component name");
    ctx.check_name(key, name);
    if (ctx.component_ids.count(name)) ctx.yaml.fail(key, "duplicate component name '" + name + "'");
    const std::string what = (domains ? "domain '" : "component '") + name + "'";
    if (def.IsMap()) {
        for (auto k = def.begin(); k != def.end(); ++k) {
            const std::string key_name = k->first.IsScalar() ? k->first.Scalar() : "";
            if (std::find(kFutureComponentKeys.begin(), kFutureComponentKeys.end(), key_name) != kFutureComponentKeys.end()) {
                ctx.yaml.fail(k->first, "'" + key_name + "' is not supported by this version of nines yet");
            }
        }
    }
    ctx.yaml.expect_map(def, what, kComponentKeys);
    Component c;
    c.name = name;
    c.domain = domains;
    c.location = ctx.yaml.where(key);
    if (def["count"]) c.count = static_cast<int>(read_integer(ctx.yaml, def["count"], what + " count", 1, 1'000'000));
    // What one instance carries (capacity blocks): whole units of the demand, so that sums are exact.
    if (def["capacity"]) {
        c.capacity = static_cast<int>(read_integer(ctx.yaml, def["capacity"], what + " capacity", 1, 1'000'000));
    }
    total += c.count;
    if (total > kMaxInstances) ctx.yaml.fail(key, "too many component instances (more than 10 million)");
    const ImportedType* type = nullptr;
    if (def["type"]) {
        c.type = ctx.yaml.scalar(def["type"], what + " type");
        auto t = ctx.types.find(c.type);
        if (t == ctx.types.end()) {
            std::vector<std::string> names;
            for (const auto& [n, unused] : ctx.types) names.push_back(n);
            ctx.yaml.fail(def["type"], "unknown component type '" + c.type + "'" + did_you_mean(c.type, names) +
                                           (ctx.types.empty() ? " (no 'imports:' brings any type)" : ""));
        }
        type = &t->second;
    }
    if (def["failure"]) {
        c.failure = read_distribution(ctx.yaml, def["failure"], "failure of " + what, DistributionRole::Failure);
    } else if (type && type->node["failure"]) {
        c.failure = read_distribution(ctx.imports.at(type->file), type->node["failure"], "failure of type '" + c.type + "'",
                                          DistributionRole::Failure);
    } else {
        ctx.yaml.fail(def.IsMap() && def.size() ? def : key, what + ": missing 'failure' distribution");
    }
    if (def["repair"]) {
        c.repair = read_distribution(ctx.yaml, def["repair"], "repair of " + what, DistributionRole::Repair);
    } else if (type && type->node["repair"]) {
        c.repair = read_distribution(ctx.imports.at(type->file), type->node["repair"], "repair of type '" + c.type + "'",
                                         DistributionRole::Repair);
    }
    read_component_operations(ctx, c, def, type, what);
    if (def["cost"]) {
        c.cost_per_unit_year = read_cost(ctx.yaml, def["cost"], what + " cost (per unit and year)");
    } else if (type && type->node["cost"]) {
        c.cost_per_unit_year = read_cost(ctx.imports.at(type->file), type->node["cost"], "cost of type '" + c.type + "'");
    }
    c.first_instance = static_cast<int>(ctx.model.instances.size());
    const int id = static_cast<int>(ctx.model.components.size());
    for (int i = 0; i < c.count; ++i) ctx.model.instances.push_back(Instance{id, i, {}, {}});
    ctx.component_ids[name] = id;
    ctx.component_names.push_back(name);
    ctx.requires_nodes.push_back(def["requires"]);
    ctx.model.components.push_back(std::move(c));
}

}  // namespace

void read_components(ReaderContext& ctx, const YamlNode& node, bool domains) {
    if (!node.IsMap() || node.size() == 0) {
        ctx.yaml.fail(node, domains ? "'domains' must be a non-empty map of domain names (zones, regions, racks) to their definitions"
                                    : "'components' must be a non-empty map of component names to their definitions");
    }
    std::int64_t total = 0;
    // Sized once (a million components would otherwise pass through copies twice their size).
    const std::size_t expected = ctx.model.components.size() + node.size();
    ctx.model.components.reserve(expected);
    ctx.component_names.reserve(expected);
    ctx.requires_nodes.reserve(expected);
    ctx.component_ids.reserve(expected);
    for (auto it = node.begin(); it != node.end(); ++it) {
        try {
            read_component(ctx, it->first, it->second, domains, total);
        } catch (const InputError& e) {
            // Components are independent: the next one is read and its mistakes reported too
            // (scenario_reader stops before the structure, which would only add "unknown component").
            ctx.diagnostics.add(e);
            if (total > kMaxInstances) break;  // every later component would be refused for the same reason
        } catch (const YAML::Exception& e) {
            // As scenario_reader reports it when nothing was collected before.
            ctx.diagnostics.add(InputError(SourceLocation{ctx.yaml.file(), e.mark.is_null() ? 0 : e.mark.line + 1,
                                                          e.mark.is_null() ? 0 : e.mark.column + 1},
                                           "invalid scenario: " + e.msg));
        }
    }
    // The instance count is known only once every component's `count` is read: the doubling left up to
    // twice the room needed (a million instances: 94 MB held for 72 MB), given back here.
    ctx.model.instances.shrink_to_fit();
}

}  // namespace nines::io
