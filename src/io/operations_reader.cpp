#include "io/operations_reader.h"

#include "io/distribution_reader.h"
#include "io/quantity.h"

namespace nines::io {

void read_component_operations(ReaderContext& ctx, Component& c, const YamlNode& def, const ImportedType* type,
                               const std::string& what) {
    if (def["detect"]) c.detect = read_distribution(ctx.yaml, def["detect"], "detection delay of " + what, DistributionRole::Other);
    if (def["logistics"]) {
        c.logistics = read_distribution(ctx.yaml, def["logistics"], "logistics delay of " + what, DistributionRole::Other);
    }
    if (def["logistics_cost"]) {
        if (!def["logistics"]) {
            ctx.yaml.fail(def["logistics_cost"], what + ": 'logistics_cost' is the price of a 'logistics' delay (a response contract); give 'logistics' too");
        }
        c.logistics_cost_per_unit_year = read_cost(ctx.yaml, def["logistics_cost"], what + " logistics_cost (per unit and year)");
    }
    if (def["hidden"]) {
        const std::string h = ctx.yaml.scalar(def["hidden"], what + " hidden");
        if (h != "true" && h != "false") ctx.yaml.fail(def["hidden"], what + " hidden: write true or false");
        if (h == "true") {
            if (!def["inspect_every"]) ctx.yaml.fail(def["hidden"], what + ": hidden failures need 'inspect_every' (the inspection interval)");
            if (def["detect"]) ctx.yaml.fail(def["detect"], what + ": a hidden failure is found by inspection, not by a 'detect' delay");
            c.inspect_every_h = read_duration(ctx.yaml, def["inspect_every"], what + " inspect_every");
            if (def["inspection_duration"]) {
                c.inspection_duration_h = read_duration(ctx.yaml, def["inspection_duration"], what + " inspection_duration");
                if (c.inspection_duration_h >= c.inspect_every_h) {
                    ctx.yaml.fail(def["inspection_duration"], what + ": an inspection must be shorter than the interval between them");
                }
            }
        }
    }
    if (def["inspection_duration"] && c.inspect_every_h == 0) {
        ctx.yaml.fail(def["inspection_duration"], what + ": 'inspection_duration' needs 'hidden: true' and 'inspect_every'");
    }
    if (def["inspect_every"] && c.inspect_every_h == 0) {
        ctx.yaml.fail(def["inspect_every"], what + ": 'inspect_every' needs 'hidden: true'");
    }
    if (def["inspection_schedule"]) {
        const std::string v = ctx.yaml.scalar(def["inspection_schedule"], what + " inspection_schedule");
        if (v != "staggered" && v != "simultaneous") {
            ctx.yaml.fail(def["inspection_schedule"], what + " inspection_schedule: write staggered or simultaneous");
        }
        if (c.inspect_every_h == 0) {
            ctx.yaml.fail(def["inspection_schedule"], what + ": 'inspection_schedule' needs 'hidden: true' and 'inspect_every'");
        }
        c.inspections_simultaneous = v == "simultaneous";
    }
    if (def["spares"]) {
        const std::string pool = ctx.yaml.scalar(def["spares"], what + " spares");
        std::vector<std::string> names;
        for (std::size_t p = 0; p < ctx.model.spares.size(); ++p) {
            names.push_back(ctx.model.spares[p].name);
            if (ctx.model.spares[p].name == pool) c.spare_pool = static_cast<int>(p);
        }
        if (c.spare_pool < 0) {
            ctx.yaml.fail(def["spares"], "spares pool '" + pool + "' does not exist" + did_you_mean(pool, names) +
                                             (names.empty() ? " (define it under a top-level 'spares:')" : ""));
        }
    }
    if (def["maintenance"]) {
        const YamlNode mn = def["maintenance"];
        ctx.yaml.expect_map(mn, what + " maintenance", {"every", "duration", "crew", "renews", "only_when_redundant"});
        if (!mn["every"]) ctx.yaml.fail(mn, what + " maintenance: missing parameter: every");
        if (!mn["duration"]) ctx.yaml.fail(mn, what + " maintenance: missing parameter: duration");
        c.maintenance_every_h = read_duration(ctx.yaml, mn["every"], what + " maintenance every");
        c.maintenance_duration_h = read_duration(ctx.yaml, mn["duration"], what + " maintenance duration");
        if (c.maintenance_duration_h >= c.maintenance_every_h) {
            ctx.yaml.fail(mn["duration"], what + " maintenance: the duration must be shorter than the interval");
        }
        if (mn["crew"]) {
            const std::string v = ctx.yaml.scalar(mn["crew"], what + " maintenance crew");
            if (v != "true" && v != "false") ctx.yaml.fail(mn["crew"], what + " maintenance crew: write true or false");
            c.maintenance_uses_crew = v == "true";
        }
        for (const char* option : {"renews", "only_when_redundant"}) {
            if (!mn[option]) continue;
            const std::string v = ctx.yaml.scalar(mn[option], what + " maintenance " + option);
            if (v != "true" && v != "false") ctx.yaml.fail(mn[option], what + " maintenance " + option + ": write true or false");
            (std::string(option) == "renews" ? c.maintenance_renews : c.maintenance_only_when_redundant) = v == "true";
        }
        if (!def["repair"] && !(type && type->node["repair"])) {
            ctx.yaml.fail(mn, what + ": maintenance renews a repairable unit; give it a 'repair'");
        }
        if (c.inspection_duration_h > 0) {
            ctx.yaml.fail(mn, what + ": maintenance together with an inspection_duration is not supported (both use the unit's service timer)");
        }
    }
    if (def["priority"]) c.priority = static_cast<int>(read_integer(ctx.yaml, def["priority"], what + " priority", -1000000, 1000000));
    if (def["crew"]) {
        const std::string pool = ctx.yaml.scalar(def["crew"], what + " crew");
        std::vector<std::string> names;
        for (std::size_t p = 0; p < ctx.model.pools.size(); ++p) {
            names.push_back(ctx.model.pools[p].name);
            if (ctx.model.pools[p].name == pool) c.pool = static_cast<int>(p);
        }
        if (c.pool < 0) {
            ctx.yaml.fail(def["crew"], "crew pool '" + pool + "' does not exist" + did_you_mean(pool, names) +
                                           (names.empty() ? " (define pools under 'repair: { pools: ... }')"
                                                       : "; pools: " + join(names, ", ")));
        }
    } else if (!ctx.model.pools.empty() && ctx.model.pools.front().name == "default") {
        c.pool = 0;  // `repair: { crews: N }`: one pool shared by every repairable component
    }
    if (!c.repair && (def["detect"] || def["logistics"] || def["crew"] || def["priority"] || c.inspect_every_h > 0 || def["spares"])) {
        ctx.yaml.fail(def["detect"] ? def["detect"] : def["logistics"] ? def["logistics"] : def["crew"] ? def["crew"] : def["priority"] ? def["priority"] : def["spares"] ? def["spares"] : def["hidden"],
                      what + " has no 'repair': detection, inspections, logistics, crews and priority only apply to repairs");
    }
}

// `spares: { disks: { stock: 2, lead_time: { exponential: { mean: 3d } } } }`
void read_spare_pools(ReaderContext& ctx, const YamlNode& node) {
    if (!node.IsMap() || node.size() == 0) ctx.yaml.fail(node, "'spares' must be a map of pool names to { stock, lead_time }");
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string name = ctx.yaml.scalar(it->first, "a spares pool name");
        ctx.check_name(it->first, name);
        for (const SparePool& p : ctx.model.spares) {
            if (p.name == name) ctx.yaml.fail(it->first, "duplicate spares pool '" + name + "'");
        }
        const std::string what = "spares pool '" + name + "'";
        ctx.yaml.expect_map(it->second, what, {"stock", "lead_time", "cost"});
        if (!it->second["stock"]) ctx.yaml.fail(it->second, what + ": missing parameter: stock");
        if (!it->second["lead_time"]) ctx.yaml.fail(it->second, what + ": missing parameter: lead_time");
        SparePool p;
        p.name = name;
        p.location = ctx.yaml.where(it->first);
        p.stock = static_cast<int>(read_integer(ctx.yaml, it->second["stock"], what + " stock", 0, 100000));
        p.lead_time = read_distribution(ctx.yaml, it->second["lead_time"], what + " lead_time", DistributionRole::Other);
        if (it->second["cost"]) p.holding_cost_per_part_year = read_cost(ctx.yaml, it->second["cost"], what + " cost (per part held and year)");
        ctx.model.spares.push_back(std::move(p));
    }
}

// A spares pool nobody draws from is a mistake in the file (a misspelt name, a forgotten line).
void check_spare_pools_used(ReaderContext& ctx) {
    for (std::size_t p = 0; p < ctx.model.spares.size(); ++p) {
        bool used = false;
        for (const Component& c : ctx.model.components) used = used || c.spare_pool == static_cast<int>(p);
        if (!used) {
            throw InputError(ctx.model.spares[p].location, "spares pool '" + ctx.model.spares[p].name +
                                                               "' is used by no component (add 'spares: " + ctx.model.spares[p].name +
                                                               "' to the components that need its parts)");
        }
    }
}

// `repair: { crews: 2 }` (one shared pool) or `repair: { pools: { onsite: { crews: 2 }, vendor: { crews: 1 } } }`.
void read_repair_policy(ReaderContext& ctx, const YamlNode& node) {
    ctx.yaml.expect_map(node, "repair", {"crews", "pools", "cost"});
    if (node["crews"] && node["pools"]) ctx.yaml.fail(node, "repair: give 'crews' (one shared pool) or 'pools', not both");
    if (node["cost"] && !node["crews"]) ctx.yaml.fail(node["cost"], "repair: 'cost' (per crew and year) goes with 'crews'; with 'pools', give each pool its own 'cost'");
    if (node["crews"]) {
        ctx.model.pools.push_back({"default", static_cast<int>(read_integer(ctx.yaml, node["crews"], "repair crews", 1, 100000)),
                                   ctx.yaml.where(node["crews"]),
                                   node["cost"] ? read_cost(ctx.yaml, node["cost"], "repair cost (per crew and year)") : 0.0});
    } else if (node["pools"]) {
        if (!node["pools"].IsMap() || node["pools"].size() == 0) ctx.yaml.fail(node["pools"], "repair pools must be a map of pool names to { crews: N }");
        for (auto it = node["pools"].begin(); it != node["pools"].end(); ++it) {
            const std::string name = ctx.yaml.scalar(it->first, "a pool name");
            ctx.check_name(it->first, name);
            for (const RepairPool& p : ctx.model.pools) {
                if (p.name == name) ctx.yaml.fail(it->first, "duplicate pool name '" + name + "'");
            }
            ctx.yaml.expect_map(it->second, "pool '" + name + "'", {"crews", "cost"});
            if (!it->second["crews"]) ctx.yaml.fail(it->second, "pool '" + name + "': missing parameter: crews");
            ctx.model.pools.push_back({name, static_cast<int>(read_integer(ctx.yaml, it->second["crews"], "pool '" + name + "' crews", 1, 100000)),
                                       ctx.yaml.where(it->first),
                                       it->second["cost"] ? read_cost(ctx.yaml, it->second["cost"], "pool '" + name + "' cost (per crew and year)") : 0.0});
        }
    } else {
        ctx.yaml.fail(node, "repair: give 'crews: N' or 'pools'");
    }
}

void warn_unused_pools(ReaderContext& ctx) {
    for (std::size_t p = 0; p < ctx.model.pools.size(); ++p) {
        bool used = false;
        for (const Component& c : ctx.model.components) used = used || (c.pool == static_cast<int>(p) && c.repair);
        if (!used) {
            ctx.model.warnings.push_back(ctx.model.pools[p].location.str() + ": warning: repair pool '" + ctx.model.pools[p].name +
                                             "' is used by no repairable component");
        }
    }
}

}  // namespace nines::io
