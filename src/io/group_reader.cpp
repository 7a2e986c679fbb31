#include "io/group_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "io/distribution_reader.h"
#include "io/quantity.h"
#include "io/structure_reader.h"

namespace nines::io {

namespace {

const char* const kFailoverKeys[] = {"detect", "failback", "failback_time", "failback_delay"};

// A delay: a duration (`30s`, a constant) or a distribution (`{ exponential: { mean: 30s } }`).
Distribution read_delay(ReaderContext& ctx, const YamlNode& node, const std::string& what) {
    if (node.IsScalar()) return Distribution::fixed(read_duration_or_zero(ctx.yaml, node, what));
    return read_distribution(ctx.yaml, node, what, DistributionRole::Other);
}

// `mode: hot | warm | cold` of a standby block (plain or failover).
StandbyMode read_mode(ReaderContext& ctx, const YamlNode& node) {
    const std::string mode = ctx.yaml.scalar(node, "standby mode");
    if (mode == "hot") return StandbyMode::Hot;
    if (mode == "warm") return StandbyMode::Warm;
    if (mode == "cold") return StandbyMode::Cold;
    ctx.yaml.fail(node, "standby mode '" + mode + "' is not one of hot, warm, cold" + did_you_mean(mode, {"hot", "warm", "cold"}));
}

// The instances under block `id`, through its children (a requirement is not part of the block), each once.
std::vector<int> units_under(ReaderContext& ctx, int id) {
    std::vector<int> units;
    std::vector<int> stack{id};
    while (!stack.empty()) {
        const Block& b = ctx.model.blocks[static_cast<std::size_t>(stack.back())];
        stack.pop_back();
        if (b.kind == BlockKind::Instance) {
            if (std::find(units.begin(), units.end(), b.instance) == units.end()) units.push_back(b.instance);
            continue;
        }
        stack.insert(stack.end(), b.children.begin(), b.children.end());
    }
    std::sort(units.begin(), units.end());
    return units;
}

// Whether a standby block is a failover group: a failover key, a switch_time distribution, or a member
// that is not a bare instance (a block, or an instance with requirements).
bool is_failover(ReaderContext& ctx, const YamlNode& value, const std::vector<int>& children) {
    for (const char* key : kFailoverKeys) {
        if (value[key]) return true;
    }
    if (value["switch_time"] && !value["switch_time"].IsScalar()) return true;
    for (int child : children) {
        const Block& b = ctx.model.blocks[static_cast<std::size_t>(child)];
        if (b.kind != BlockKind::Instance || !ctx.model.instances[static_cast<std::size_t>(b.instance)].requires.empty()) return true;
    }
    return false;
}

// `{ standby: { active: 1, of: [region_a, region_b], mode: hot, detect: {...}, switch_time: {...},
//   start_success: 99%, failback: auto | manual | never, failback_time: {...}, failback_delay: {...} } }`
void read_failover(ReaderContext& ctx, int id, const YamlNode& value, const std::vector<int>& children) {
    FailoverGroup g;
    g.block = id;
    g.location = ctx.yaml.where(value);
    if (children.size() > 64) ctx.yaml.fail(value["of"], "a failover group has at most 64 members, and this one has " + std::to_string(children.size()));
    for (int child : children) {
        if (std::find(g.members.begin(), g.members.end(), child) != g.members.end()) {
            ctx.yaml.fail(value["of"], "'" + ctx.model.block_label(child) + "' is listed twice in this failover group");
        }
        const Block& b = ctx.model.blocks[static_cast<std::size_t>(child)];
        g.members.push_back(child);
        g.member_instance.push_back(b.kind == BlockKind::Instance ? b.instance : -1);
        g.member_units.push_back(units_under(ctx, child));
    }
    if (g.members.size() < 2) ctx.yaml.fail(value["of"], "a failover group needs at least two members (a primary and a standby)");
    const std::int64_t active = value["active"] ? read_integer(ctx.yaml, value["active"], "standby active", 1, 1000000) : 1;
    if (active >= static_cast<std::int64_t>(g.members.size())) {
        ctx.yaml.fail(value["active"], "failover group without a standby member: " + std::to_string(g.members.size()) + " members for " +
                                           std::to_string(active) + " active; a failover group needs at least one member more than it has active");
    }
    g.active = static_cast<int>(active);
    if (!value["mode"]) {
        ctx.yaml.fail(value, "failover group: missing parameter: mode (hot: every member's failure clock runs; warm: a standby "
                             "member's runs dormant_factor times as fast; cold: a standby member does not fail)");
    }
    g.mode = read_mode(ctx, value["mode"]);
    const std::string mode = ctx.yaml.scalar(value["mode"], "standby mode");
    if (g.mode != StandbyMode::Hot) {
        // A block member at rest: its instances' failure clocks rest. Its requirements (zones, racks)
        // run as always. A group inside it would have its own idea of which units run: refused.
        for (std::size_t m = 0; m < g.members.size(); ++m) {
            if (g.member_instance[m] >= 0) continue;
            std::vector<int> stack{g.members[m]};
            while (!stack.empty()) {
                const Block& b = ctx.model.blocks[static_cast<std::size_t>(stack.back())];
                stack.pop_back();
                if (b.kind == BlockKind::Standby) {
                    ctx.yaml.fail(value["mode"], mode + " failover: member '" + ctx.model.block_label(g.members[m]) +
                                                     "' holds a standby or failover group, whose units would rest by two rules; write mode: hot");
                }
                stack.insert(stack.end(), b.children.begin(), b.children.end());
            }
        }
    }
    if (g.mode == StandbyMode::Warm) {
        if (!value["dormant_factor"]) ctx.yaml.fail(value, "warm standby: missing parameter: dormant_factor (standby failure rate / active rate)");
        g.dormant_factor = read_probability(ctx.yaml, value["dormant_factor"], "standby dormant_factor");
        if (g.dormant_factor <= 0) ctx.yaml.fail(value["dormant_factor"], "a dormant_factor of 0 is cold standby: write mode: cold");
    } else if (value["dormant_factor"]) {
        ctx.yaml.fail(value["dormant_factor"], "dormant_factor applies to warm standby only");
    }
    if (value["start_success"]) g.start_success = read_probability(ctx.yaml, value["start_success"], "standby start_success");
    if (g.start_success <= 0) ctx.yaml.fail(value["start_success"], "standby start_success must be above 0");
    if (value["detect"]) g.detect = read_delay(ctx, value["detect"], "failover detect");
    if (value["switch_time"]) g.switch_time = read_delay(ctx, value["switch_time"], "standby switch_time");
    if (value["failback"]) {
        const std::string policy = ctx.yaml.scalar(value["failback"], "failback");
        if (policy == "auto") {
            g.failback = FailbackPolicy::Auto;
        } else if (policy == "manual") {
            g.failback = FailbackPolicy::Manual;
        } else if (policy == "never") {
            g.failback = FailbackPolicy::Never;
        } else {
            ctx.yaml.fail(value["failback"], "failback '" + policy + "' is not one of auto, manual, never" +
                                                 did_you_mean(policy, {"auto", "manual", "never"}));
        }
    }
    if (value["failback_time"]) {
        if (g.failback == FailbackPolicy::Never) ctx.yaml.fail(value["failback_time"], "failback_time with failback: never (there is no failback)");
        g.failback_time = read_delay(ctx, value["failback_time"], "failback_time");
    }
    if (g.failback == FailbackPolicy::Manual) {
        if (!value["failback_delay"]) {
            ctx.yaml.fail(value["failback"], "failback: manual needs failback_delay: how long after the primary's return an operator "
                                             "fails back (e.g. the next weekly window: { uniform: { min: 0, max: 1w } })");
        }
        g.failback_delay = read_delay(ctx, value["failback_delay"], "failback_delay");
    } else if (value["failback_delay"]) {
        ctx.yaml.fail(value["failback_delay"], "failback_delay applies to failback: manual only");
    }
    Block& b = ctx.model.blocks[static_cast<std::size_t>(id)];
    b.kind = BlockKind::Standby;
    b.children = children;
    b.k = g.active;
    ctx.model.failover_groups.push_back(std::move(g));
}

}  // namespace

// `{ standby: { active: 1, of: db, mode: cold, start_success: 99%, switch_time: 30s, dormant_factor: 10% } }`
void read_standby(ReaderContext& ctx, int id, const YamlNode& value) {
    ctx.yaml.expect_map(value, "standby", {"active", "of", "mode", "start_success", "switch_time", "dormant_factor", "detect",
                                           "failback", "failback_time", "failback_delay"});
    if (!value["of"]) ctx.yaml.fail(value, "standby: missing parameter: of");
    const std::vector<int> children = read_children(ctx, value["of"], "standby 'of'", 0);
    if (is_failover(ctx, value, children)) {
        read_failover(ctx, id, value, children);
        return;
    }
    StandbyGroup g;
    g.block = id;
    for (int child : children) {
        const Block& b = ctx.model.blocks[static_cast<std::size_t>(child)];
        if (b.kind != BlockKind::Instance) ctx.yaml.fail(value["of"], "standby 'of' must list component instances, not blocks");
        if (!ctx.model.instances[static_cast<std::size_t>(b.instance)].requires.empty()) {
            ctx.yaml.fail(value["of"], "standby members cannot have 'requires' (" + ctx.model.instance_name(b.instance) + ")");
        }
        for (const StandbyGroup& other : ctx.model.standby_groups) {
            if (std::find(other.members.begin(), other.members.end(), b.instance) != other.members.end()) {
                ctx.yaml.fail(value["of"], ctx.model.instance_name(b.instance) + " is already in another standby group");
            }
        }
        g.members.push_back(b.instance);
    }
    g.k = value["active"] ? static_cast<int>(read_integer(ctx.yaml, value["active"], "standby active", 1, 1000000)) : 1;
    if (static_cast<int>(g.members.size()) <= g.k) {
        ctx.yaml.fail(value["of"] ? value["of"] : value, "standby group without enough units: " + std::to_string(g.members.size()) +
                                                             " units for " + std::to_string(g.k) + " active; a standby group needs at least one spare unit");
    }
    if (value["mode"]) g.mode = read_mode(ctx, value["mode"]);
    if (value["start_success"]) g.start_success = read_probability(ctx.yaml, value["start_success"], "standby start_success");
    if (g.start_success <= 0) ctx.yaml.fail(value["start_success"], "standby start_success must be above 0");
    if (value["switch_time"]) g.switch_time_h = read_duration_or_zero(ctx.yaml, value["switch_time"], "standby switch_time");
    if (g.mode == StandbyMode::Warm) {
        if (!value["dormant_factor"]) ctx.yaml.fail(value, "warm standby: missing parameter: dormant_factor (standby failure rate / active rate)");
        g.dormant_factor = read_probability(ctx.yaml, value["dormant_factor"], "standby dormant_factor");
        if (g.dormant_factor <= 0) ctx.yaml.fail(value["dormant_factor"], "a dormant_factor of 0 is cold standby: write mode: cold");
    } else if (value["dormant_factor"]) {
        ctx.yaml.fail(value["dormant_factor"], "dormant_factor applies to warm standby only");
    }
    Block& b = ctx.model.blocks[static_cast<std::size_t>(id)];
    b.kind = BlockKind::Standby;
    b.children = children;
    b.k = g.k;
    ctx.model.standby_groups.push_back(std::move(g));
}

// Standby members belong to their group alone: elsewhere their raw state would bypass the group. The
// instance members of warm and cold failover groups too: their dormancy would reach the other uses.
namespace {

void check_own_members(ReaderContext& ctx, int group_block, const std::vector<int>& members, const char* what) {
    for (int i : members) {
        const Component& c = ctx.model.components[static_cast<std::size_t>(ctx.model.instances[static_cast<std::size_t>(i)].component)];
        if (c.maintenance_every_h > 0 || c.inspection_duration_h > 0) {
            throw InputError(c.location, "component '" + c.name + "' is in a " + what + ": maintenance and "
                                                                "inspections that take units out of service are not supported there");
        }
    }
    for (std::size_t b = 0; b < ctx.model.blocks.size(); ++b) {
        const Block& block = ctx.model.blocks[b];
        if (static_cast<int>(b) == group_block) continue;
        for (int child : block.children) {
            const Block& c = ctx.model.blocks[static_cast<std::size_t>(child)];
            if (c.kind == BlockKind::Instance && std::find(members.begin(), members.end(), c.instance) != members.end()) {
                throw InputError(block.location.line ? block.location : c.location,
                                 ctx.model.instance_name(c.instance) + " is in a " + what + " and cannot appear elsewhere in the structure");
            }
        }
    }
    for (const Instance& inst : ctx.model.instances) {
        for (int r : inst.requires) {
            if (std::find(members.begin(), members.end(), r) != members.end()) {
                throw InputError(inst.requires_location, ctx.model.instance_name(r) + " is in a " + what + " and cannot be required");
            }
        }
    }
}

}  // namespace

// The units of a warm or cold failover group's block members belong to their member alone: a block
// outside the member that lists one of them, or one of the member's inner blocks, would see a unit at
// rest that it counts on; two members sharing a unit would disagree on whether it rests.
void check_block_members(ReaderContext& ctx, const FailoverGroup& g) {
    std::vector<int> inside(ctx.model.blocks.size(), -1);  // block -> the member whose subtree holds it
    for (std::size_t m = 0; m < g.members.size(); ++m) {
        if (g.member_instance[m] >= 0) continue;
        std::vector<int> stack{g.members[m]};
        while (!stack.empty()) {
            const int id = stack.back();
            stack.pop_back();
            const Block& b = ctx.model.blocks[static_cast<std::size_t>(id)];
            if (b.kind == BlockKind::Instance) continue;
            if (inside[static_cast<std::size_t>(id)] >= 0 && inside[static_cast<std::size_t>(id)] != static_cast<int>(m)) {
                throw InputError(g.location, "'" + ctx.model.block_label(id) + "' is in two members of a warm or cold failover group");
            }
            inside[static_cast<std::size_t>(id)] = static_cast<int>(m);
            stack.insert(stack.end(), b.children.begin(), b.children.end());
        }
    }
    std::vector<int> unit_member(ctx.model.instances.size(), -1);
    for (std::size_t m = 0; m < g.members.size(); ++m) {
        if (g.member_instance[m] >= 0) continue;
        for (int i : g.member_units[m]) {
            if (unit_member[static_cast<std::size_t>(i)] >= 0) {
                throw InputError(g.location, "'" + ctx.model.instance_name(i) + "' is in two members of a warm or cold failover group");
            }
            unit_member[static_cast<std::size_t>(i)] = static_cast<int>(m);
        }
    }
    for (std::size_t b = 0; b < ctx.model.blocks.size(); ++b) {
        const Block& block = ctx.model.blocks[b];
        if (static_cast<int>(b) == g.block || inside[b] >= 0 || block.kind == BlockKind::Instance) continue;
        for (int child : block.children) {
            const Block& c = ctx.model.blocks[static_cast<std::size_t>(child)];
            const bool unit = c.kind == BlockKind::Instance && unit_member[static_cast<std::size_t>(c.instance)] >= 0;
            if (unit || (c.kind != BlockKind::Instance && inside[static_cast<std::size_t>(child)] >= 0)) {
                throw InputError(block.location.line ? block.location : c.location,
                                 "'" + (unit ? ctx.model.instance_name(c.instance) : ctx.model.block_label(child)) +
                                     "' is in a member of a warm or cold failover group and cannot appear elsewhere in the structure");
            }
        }
    }
}

void check_standby_members(ReaderContext& ctx) {
    for (const StandbyGroup& g : ctx.model.standby_groups) check_own_members(ctx, g.block, g.members, "standby group");
    for (const FailoverGroup& g : ctx.model.failover_groups) {
        if (g.mode == StandbyMode::Hot) continue;
        std::vector<int> instance_members;
        for (int i : g.member_instance) {
            if (i >= 0) instance_members.push_back(i);
        }
        check_own_members(ctx, g.block, instance_members, "warm or cold failover group");
        std::vector<int> block_units;
        for (std::size_t m = 0; m < g.members.size(); ++m) {
            if (g.member_instance[m] < 0) block_units.insert(block_units.end(), g.member_units[m].begin(), g.member_units[m].end());
        }
        if (block_units.empty()) continue;
        check_block_members(ctx, g);
        // Maintenance, inspections and requirements on the block members' units, as for instance members
        // (the blocks' own listing of their units is allowed: check_block_members checked the rest).
        for (int i : block_units) {
            const Component& c = ctx.model.components[static_cast<std::size_t>(ctx.model.instances[static_cast<std::size_t>(i)].component)];
            if (c.maintenance_every_h > 0 || c.inspection_duration_h > 0) {
                throw InputError(c.location, "component '" + c.name + "' is in a warm or cold failover group: maintenance and "
                                                                    "inspections that take units out of service are not supported there");
            }
        }
        for (const Instance& inst : ctx.model.instances) {
            for (int r : inst.requires) {
                if (std::find(block_units.begin(), block_units.end(), r) != block_units.end()) {
                    throw InputError(inst.requires_location, ctx.model.instance_name(r) + " is in a warm or cold failover group and cannot be required");
                }
            }
        }
    }
}

// `common_cause: [ { members: [db], beta: 5% }, { members: [web, lb], shock: { mttf: 5y } } ]`
void read_common_causes(ReaderContext& ctx, const YamlNode& node) {
    ctx.yaml.expect_sequence(node, "common_cause");
    for (const YamlNode& item : node) {
        CommonCause cc;
        cc.label = "common_cause[" + std::to_string(ctx.model.common_causes.size()) + "]";
        cc.location = ctx.yaml.where(item);
        // Counted from 1 for people ("#1" is the first entry); the label keeps the 0-based YAML index.
        const std::string what = "common cause #" + std::to_string(ctx.model.common_causes.size() + 1);
        ctx.yaml.expect_map(item, what, {"members", "beta", "shock"});
        if (!item["members"]) ctx.yaml.fail(item, what + ": missing parameter: members");
        if (item["beta"].IsDefined() == item["shock"].IsDefined()) ctx.yaml.fail(item, what + ": give 'beta' (a beta factor) or 'shock' (a distribution), one of them");
        const YamlNode members = item["members"];
        ctx.yaml.expect_sequence(members, what + " members");
        for (const YamlNode& m : members) {
            const std::string text = ctx.yaml.scalar(m, "a member");
            std::string base, index;
            ctx.split_reference(m, text, base, index);
            const int comp = ctx.component_or_fail(m, base, " in common_cause members");
            const Component& c = ctx.model.components[static_cast<std::size_t>(comp)];
            ctx.add_references(m, index.empty() ? c.count : 1, "common_cause members");
            if (index.empty()) {
                for (int k = 0; k < c.count; ++k) cc.members.push_back(c.first_instance + k);
            } else {
                IndexExpression expr;
                try {
                    expr = IndexExpression::parse(index);
                } catch (const std::invalid_argument& e) {
                    ctx.yaml.fail(m, e.what());
                }
                cc.members.push_back(ctx.resolve_instance(m, comp, expr, 0, text, ""));
            }
        }
        std::sort(cc.members.begin(), cc.members.end());
        cc.members.erase(std::unique(cc.members.begin(), cc.members.end()), cc.members.end());
        if (cc.members.size() < 2) ctx.yaml.fail(members, what + ": a common cause needs at least two members");
        if (item["beta"]) {
            cc.beta = read_probability(ctx.yaml, item["beta"], what + " beta");
            if (cc.beta <= 0 || cc.beta >= 1) ctx.yaml.fail(item["beta"], what + ": beta must be above 0% and below 100%");
            double rate = -1;
            for (int i : cc.members) {
                const Component& c = ctx.model.components[static_cast<std::size_t>(ctx.model.instances[static_cast<std::size_t>(i)].component)];
                if (!c.failure.is_exponential()) {
                    ctx.yaml.fail(members, what + ": the beta factor needs exponential members, and '" + c.name + "' has " + c.failure.describe() +
                                               "; use 'shock' for other laws");
                }
                if (rate >= 0 && std::fabs(c.failure.mean() - rate) > 1e-9 * rate) {
                    ctx.yaml.fail(members, what + ": the beta factor needs members with the same failure rate");
                }
                rate = c.failure.mean();
            }
            for (const CommonCause& other : ctx.model.common_causes) {
                for (int i : cc.members) {
                    if (other.beta > 0 && std::find(other.members.begin(), other.members.end(), i) != other.members.end()) {
                        ctx.yaml.fail(members, what + ": " + ctx.model.instance_name(i) + " is already in a beta-factor group");
                    }
                }
            }
        } else {
            cc.shock = read_distribution(ctx.yaml, item["shock"], what + " shock", DistributionRole::Failure);
        }
        ctx.model.common_causes.push_back(std::move(cc));
    }
}

}  // namespace nines::io
