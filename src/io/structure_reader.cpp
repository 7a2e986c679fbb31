#include "io/structure_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "io/group_reader.h"
#include "io/quantity.h"

namespace nines::io {

namespace {

// The block kinds a scenario may write, from the kind table (model/block_kind.h).
std::vector<std::string> written_block_kinds() {
    std::vector<std::string> out;
    for (BlockKind kind : kWrittenBlockKinds) out.emplace_back(to_string(kind));
    return out;
}

}  // namespace

// Members of the structure, read recursively: a block's children may be blocks written inline.
static int add_block(ReaderContext& ctx, Block b);
static int read_reference(ReaderContext& ctx, const YamlNode& node);
static void fill_block(ReaderContext& ctx, int id, const YamlNode& node, int depth);

// One requires entry for instance `i` of `owner_component`: "zone", "zone[1]", "zone[i % 2]".
static void add_requirement(ReaderContext& ctx, const YamlNode& entry, int owner_component, int i, std::vector<int>& out) {
    const std::string text = ctx.yaml.scalar(entry, "a requires entry");
    std::string base;
    std::string index_text;
    ctx.split_reference(entry, text, base, index_text);
    const int target = ctx.component_or_fail(entry, base, " in requires");
    const Component& t = ctx.model.components[static_cast<std::size_t>(target)];
    ctx.add_references(entry, index_text.empty() ? t.count : 1, "requires");
    if (index_text.empty()) {
        for (int k = 0; k < t.count; ++k) out.push_back(t.first_instance + k);
        return;
    }
    IndexExpression expr;
    try {
        expr = IndexExpression::parse(index_text);
    } catch (const std::invalid_argument& e) {
        ctx.yaml.fail(entry, e.what());
    }
    const Component& owner = ctx.model.components[static_cast<std::size_t>(owner_component)];
    out.push_back(ctx.resolve_instance(entry, target, expr, i, text,
                                       ctx.model.instance_name(owner.first_instance + i)));
}

void read_requires(ReaderContext& ctx) {
    for (std::size_t c = 0; c < ctx.model.components.size(); ++c) {
        const YamlNode node = ctx.requires_nodes[c];
        if (!node) continue;
        const Component& comp = ctx.model.components[c];
        const std::string what = "requires of component '" + comp.name + "'";
        {
            // Refused before it is built: every instance requires every instance the list names
            // (a list of per-instance lists names each instance's own).
            ExpansionMemo memo;
            const std::int64_t named = ctx.expanded_size(node, memo);
            const bool per_instance_lists = node.IsSequence() && node.size() > 0 && node[0].IsSequence();
            const std::int64_t total = per_instance_lists ? named : named * comp.count;
            if (named > kMaxReferences || total > kMaxReferences) {
                ctx.yaml.fail(node, what + " expands to more than " + std::to_string(kMaxReferences / 1'000'000) +
                                        " million requirements (" + std::to_string(comp.count) +
                                        " instances, each requiring every instance named)");
            }
        }
        if (node.IsScalar()) {
            for (int i = 0; i < comp.count; ++i) {
                Instance& inst = ctx.model.instances[static_cast<std::size_t>(comp.first_instance + i)];
                add_requirement(ctx, node, static_cast<int>(c), i, inst.requires);
                inst.requires_location = ctx.yaml.where(node);
            }
            continue;
        }
        ctx.yaml.expect_sequence(node, what);
        bool per_instance = node.size() > 0 && node[0].IsSequence();
        if (per_instance) {
            if (node.size() != static_cast<std::size_t>(comp.count)) {
                ctx.yaml.fail(node, what + ": a list per instance needs " + std::to_string(comp.count) +
                                        " lists (one per instance), got " + std::to_string(node.size()));
            }
            for (int i = 0; i < comp.count; ++i) {
                const YamlNode list = node[static_cast<std::size_t>(i)];
                ctx.yaml.expect_sequence(list, what + " for " + ctx.model.instance_name(comp.first_instance + i));
                Instance& inst = ctx.model.instances[static_cast<std::size_t>(comp.first_instance + i)];
                inst.requires_location = ctx.yaml.where(list);
                for (const YamlNode& entry : list) add_requirement(ctx, entry, static_cast<int>(c), i, inst.requires);
            }
        } else {
            for (int i = 0; i < comp.count; ++i) {
                Instance& inst = ctx.model.instances[static_cast<std::size_t>(comp.first_instance + i)];
                inst.requires_location = ctx.yaml.where(node);
                for (const YamlNode& entry : node) {
                    if (entry.IsSequence()) {
                        ctx.yaml.fail(entry, what + ": mix of names and per-instance lists; use one form");
                    }
                    add_requirement(ctx, entry, static_cast<int>(c), i, inst.requires);
                }
            }
        }
    }
}

void read_blocks(ReaderContext& ctx, const YamlNode& node) {
    if (!node) return;
    if (!node.IsMap()) ctx.yaml.fail(node, "'blocks' must be a map of block names to structures");
    // Register every name first so blocks may refer to blocks defined further down.
    std::vector<std::pair<int, YamlNode>> definitions;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string name = ctx.yaml.scalar(it->first, "a block name");
        ctx.check_name(it->first, name);
        if (ctx.component_ids.count(name)) ctx.yaml.fail(it->first, "block name '" + name + "' is also a component name");
        if (ctx.model.named_blocks.count(name)) ctx.yaml.fail(it->first, "duplicate block name '" + name + "'");
        Block b;
        b.name = name;
        b.location = ctx.yaml.where(it->first);
        const int id = add_block(ctx, std::move(b));
        ctx.model.named_blocks[name] = id;
        ctx.block_names.push_back(name);
        definitions.emplace_back(id, it->second);
    }
    for (auto& [id, def] : definitions) fill_block(ctx, id, def, 0);
}

static int add_block(ReaderContext& ctx, Block b) {
    ctx.model.blocks.push_back(std::move(b));
    return static_cast<int>(ctx.model.blocks.size()) - 1;
}

static int instance_block(ReaderContext& ctx, int instance) {
    if (ctx.instance_blocks.size() < ctx.model.instances.size()) ctx.instance_blocks.resize(ctx.model.instances.size(), -1);
    int& block = ctx.instance_blocks[static_cast<std::size_t>(instance)];
    if (block < 0) {
        Block b;
        b.kind = BlockKind::Instance;
        b.instance = instance;
        block = add_block(ctx, std::move(b));
    }
    return block;
}

// The block a component name stands for when it stands alone: its instances in series.
static int whole_component_block(ReaderContext& ctx, int component, const YamlNode& node) {
    const Component& c = ctx.model.components[static_cast<std::size_t>(component)];
    if (c.count == 1) return instance_block(ctx, c.first_instance);
    Block b;
    b.kind = BlockKind::Series;
    b.location = ctx.yaml.where(node);
    ctx.add_references(node, c.count, "the structure");
    for (int k = 0; k < c.count; ++k) b.children.push_back(instance_block(ctx, c.first_instance + k));
    return add_block(ctx, std::move(b));
}

// A name in a list: a counted component contributes all its instances as siblings.
static void append_children(ReaderContext& ctx, const YamlNode& item, std::vector<int>& children, int depth) {
    if (item.IsScalar()) {
        const std::string text = ctx.yaml.scalar(item, "a structure member");
        auto it = ctx.component_ids.find(text);
        if (it != ctx.component_ids.end()) {
            const Component& c = ctx.model.components[static_cast<std::size_t>(it->second)];
            ctx.add_references(item, c.count, "the structure");
            for (int k = 0; k < c.count; ++k) children.push_back(instance_block(ctx, c.first_instance + k));
            return;
        }
    }
    ctx.add_references(item, 1, "the structure");
    children.push_back(read_block(ctx, item, depth + 1));
}

std::vector<int> read_children(ReaderContext& ctx, const YamlNode& node, const std::string& what, int depth) {
    std::vector<int> children;
    if (node.IsSequence()) {
        if (node.size() == 0) ctx.yaml.fail(node, what + " has no members");
        for (const YamlNode& item : node) append_children(ctx, item, children, depth);
    } else if (node.IsScalar()) {
        append_children(ctx, node, children, depth);
    } else {
        ctx.yaml.fail(node, what + " must be a list of blocks (or one component name for all its instances)");
    }
    return children;
}

static int read_reference(ReaderContext& ctx, const YamlNode& node) {
    const std::string text = ctx.yaml.scalar(node, "a structure member");
    std::string base;
    std::string index_text;
    ctx.split_reference(node, text, base, index_text);
    if (index_text.empty()) {
        auto block = ctx.model.named_blocks.find(base);
        if (block != ctx.model.named_blocks.end()) return block->second;
        auto comp = ctx.component_ids.find(base);
        if (comp != ctx.component_ids.end()) return whole_component_block(ctx, comp->second, node);
        std::vector<std::string> names = ctx.component_names;
        names.insert(names.end(), ctx.block_names.begin(), ctx.block_names.end());
        ctx.yaml.fail(node, "unknown component or block '" + base + "'" + did_you_mean(base, names));
    }
    const int component = ctx.component_or_fail(node, base, "");
    IndexExpression expr;
    try {
        expr = IndexExpression::parse(index_text);
    } catch (const std::invalid_argument& e) {
        ctx.yaml.fail(node, e.what());
    }
    if (expr.uses_i()) ctx.yaml.fail(node, "'" + text + "': 'i' is only meaningful inside requires");
    return instance_block(ctx, ctx.resolve_instance(node, component, expr, 0, text, ""));
}

int read_block(ReaderContext& ctx, const YamlNode& node, int depth) {
    if (node.IsScalar()) return read_reference(ctx, node);
    Block b;
    b.location = ctx.yaml.where(node);
    const int id = add_block(ctx, std::move(b));
    fill_block(ctx, id, node, depth);
    return id;
}

// A demand profile, hour by hour: `{ daily: [24 values] }`, `{ weekly: [168 values] }` (Monday 00:00 first),
// or `{ peak: P, trough: T, peak_at: "HH:MM" }`: the daily cosine T + (P - T) (1 + cos(2 pi (t - peak_at) / 24 h)) / 2
// taken at the middle of each hour (so a step function, like the lists).
static std::vector<double> read_demand_profile(ReaderContext& ctx, const YamlNode& node) {
    if (node["daily"] || node["weekly"]) {
        YamlNode key_node;
        YamlNode list;
        const std::string key = ctx.yaml.single_key(node, "demand profile", "", {"daily", "weekly"}, key_node, list);
        const bool daily = key == "daily";
        const std::size_t hours = daily ? 24 : 168;
        ctx.yaml.expect_sequence(list, "capacity demand " + key);
        if (list.size() != hours) {
            ctx.yaml.fail(list, "capacity demand: a " + key + " profile needs " + std::to_string(hours) +
                                    " hourly values (got " + std::to_string(list.size()) + ")");
        }
        std::vector<double> out;
        for (const YamlNode& v : list) out.push_back(read_positive_number(ctx.yaml, v, "capacity demand " + key + " value"));
        return out;
    }
    ctx.yaml.expect_map(node, "capacity demand", {"peak", "trough", "peak_at"});
    for (const char* key : {"peak", "trough", "peak_at"}) {
        if (!node[key]) {
            ctx.yaml.fail(node, std::string("capacity demand: missing parameter: ") + key +
                                    " (a profile is { daily: [24 values] }, { weekly: [168 values] } or { peak, trough, peak_at })");
        }
    }
    const double peak = read_positive_number(ctx.yaml, node["peak"], "capacity demand peak");
    const double trough = read_positive_number(ctx.yaml, node["trough"], "capacity demand trough");
    if (trough > peak) ctx.yaml.fail(node["trough"], "capacity demand: trough is above peak");
    const std::string at = ctx.yaml.scalar(node["peak_at"], "capacity demand peak_at");
    int hh = -1, mm = -1;
    char colon = 0;
    if (std::sscanf(at.c_str(), "%d%c%d", &hh, &colon, &mm) != 3 || colon != ':' || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
        at.size() > 5) {
        ctx.yaml.fail(node["peak_at"], "capacity demand peak_at: '" + at + "' is not a time of day HH:MM (00:00 to 23:59)");
    }
    const double peak_h = hh + mm / 60.0;
    std::vector<double> out;
    for (int h = 0; h < 24; ++h) {
        out.push_back(trough + (peak - trough) * (1 + std::cos(2 * M_PI * (h + 0.5 - peak_h) / 24)) / 2);
    }
    return out;
}

// `{ capacity: { of: [...], demand: D } }`: up while the members that are up carry at least D. Members
// are instances (their component's `capacity:` is their weight); a block has no capacity of its own.
static void read_capacity(ReaderContext& ctx, int id, const YamlNode& value, int depth) {
    ctx.yaml.expect_map(value, "capacity", {"of", "demand", "load_sharing"});
    if (!value["of"]) ctx.yaml.fail(value, "capacity: missing parameter: of");
    if (!value["demand"]) ctx.yaml.fail(value, "capacity: missing parameter: demand");
    std::vector<int> children = read_children(ctx, value["of"], "capacity 'of'", depth);
    std::vector<int> weights;
    std::int64_t total = 0;
    for (std::size_t j = 0; j < children.size(); ++j) {
        const Block& member = ctx.model.blocks[static_cast<std::size_t>(children[j])];
        if (member.kind != BlockKind::Instance) {
            ctx.yaml.fail(value["of"], "capacity: member '" + ctx.model.block_label(children[j]) +
                                     "' is a block; members must be component instances, whose 'capacity:' is what "
                                     "they carry (use 'requires:' for what an instance depends on)");
        }
        const Instance& inst = ctx.model.instances[static_cast<std::size_t>(member.instance)];
        weights.push_back(ctx.model.components[static_cast<std::size_t>(inst.component)].capacity);
        total += weights.back();
    }
    if (total > 1'000'000'000) ctx.yaml.fail(value["of"], "capacity: the members carry more than 10^9 in all");
    std::vector<double> profile;
    double demand = 0;
    std::string shown;  // the demand as the message names it
    if (value["demand"].IsMap()) {
        profile = read_demand_profile(ctx, value["demand"]);
        demand = *std::max_element(profile.begin(), profile.end());
        char text[32];
        std::snprintf(text, sizeof text, "%.6g", demand);
        shown = std::string("peak ") + text;
    } else {
        demand = read_positive_number(ctx.yaml, value["demand"], "capacity demand");
        shown = ctx.yaml.scalar(value["demand"], "capacity demand");
    }
    // Capacities are whole, so "at least D" is "at least ceil(D)".
    const double needed = std::ceil(demand);
    if (needed > static_cast<double>(total)) {
        ctx.yaml.fail(value["demand"], "capacity: demand " + shown + " exceeds what all " +
                                           std::to_string(children.size()) + " members carry together (" +
                                           std::to_string(total) + "): no configuration can meet it");
    }
    Block& b = ctx.model.blocks[static_cast<std::size_t>(id)];
    b.kind = BlockKind::Capacity;
    b.children = std::move(children);
    b.weights = std::move(weights);
    b.demand = demand;
    b.demand_profile = std::move(profile);
    b.k = static_cast<int>(needed);
    if (b.location.line == 0) b.location = ctx.yaml.where(value);
    if (const YamlNode ls = value["load_sharing"]) {
        ctx.yaml.expect_map(ls, "capacity load_sharing", {"factor"});
        if (!ls["factor"]) ctx.yaml.fail(ls, "capacity load_sharing: missing parameter: factor");
        const double a = read_number(ctx.yaml, ls["factor"], "capacity load_sharing factor");
        if (a < 0 || a > 10) {
            ctx.yaml.fail(ls["factor"], "capacity load_sharing: factor must be between 0 and 10 (got " +
                                            ctx.yaml.scalar(ls["factor"], "factor") +
                                            "): survivors' failure rates scale as (capacity_total / capacity_up)^factor");
        }
        b.load_sharing_factor = a;
        // A maintenance that does not renew stops the unit's failure clock and resumes it later: the time
        // left is kept outside the agenda, where load sharing cannot rescale it.
        for (int child : b.children) {
            const Block& member = ctx.model.blocks[static_cast<std::size_t>(child)];
            const Component& c = ctx.model.components[static_cast<std::size_t>(
                ctx.model.instances[static_cast<std::size_t>(member.instance)].component)];
            if (c.maintenance_every_h > 0 && !c.maintenance_renews) {
                ctx.yaml.fail(ls, "capacity load_sharing: member '" + c.name + "' has maintenance that does not renew it "
                                  "(its stopped failure clock cannot follow the load); not supported yet");
            }
        }
    }
}

static void fill_block(ReaderContext& ctx, int id, const YamlNode& node, int depth) {
    if (depth > kMaxNesting) {
        ctx.yaml.fail(node, "structure nested more than " + std::to_string(kMaxNesting) +
                                " levels deep; define sub-blocks under 'blocks:' instead");
    }
    if (node.IsScalar()) {  // a named block that aliases a component or another block
        const int child = read_reference(ctx, node);
        ctx.model.blocks[static_cast<std::size_t>(id)].kind = BlockKind::Series;
        ctx.model.blocks[static_cast<std::size_t>(id)].children = {child};
        return;
    }
    YamlNode key_node;
    YamlNode value;
    const std::string name = ctx.yaml.single_key(node, "block kind", "", written_block_kinds(), key_node, value);
    const BlockKind block_kind = *block_kind_named(name);  // single_key accepted only the table's names
    if (block_kind != BlockKind::Capacity && value.IsMap() && value["load_sharing"]) {
        ctx.yaml.fail(value["load_sharing"], "load_sharing applies only to capacity blocks (a " + name +
                                                 " block carries no load: its members have no capacity to share it)");
    }
    std::vector<int> children;
    int k = 0;
    // Each kind's parameters.
    switch (block_kind) {
        case BlockKind::Instance: return;  // not reached: written as a bare reference, read above
        case BlockKind::Standby: read_standby(ctx, id, value); return;
        case BlockKind::Series:
        case BlockKind::Parallel: children = read_children(ctx, value, name, depth); break;
        case BlockKind::Capacity: read_capacity(ctx, id, value, depth); return;
        case BlockKind::KOfN: {
            ctx.yaml.expect_map(value, "k_of_n", {"k", "of"});
            if (!value["k"]) ctx.yaml.fail(value, "k_of_n: missing parameter: k");
            if (!value["of"]) ctx.yaml.fail(value, "k_of_n: missing parameter: of");
            children = read_children(ctx, value["of"], "k_of_n 'of'", depth);
            const std::int64_t n = static_cast<std::int64_t>(children.size());
            const std::int64_t kk = read_integer(ctx.yaml, value["k"], "k_of_n k", std::numeric_limits<int>::min(),
                                                 std::numeric_limits<int>::max());
            if (kk < 1) ctx.yaml.fail(value["k"], "k_of_n: k must be at least 1 (got " + std::to_string(kk) + ")");
            if (kk > n) {
                ctx.yaml.fail(value["k"], "k_of_n: k = " + std::to_string(kk) + " exceeds the number of members n = " +
                                              std::to_string(n));
            }
            k = static_cast<int>(kk);
            break;
        }
    }
    Block& b = ctx.model.blocks[static_cast<std::size_t>(id)];
    b.kind = block_kind;
    b.children = std::move(children);
    b.k = k;
    if (b.location.line == 0) b.location = ctx.yaml.where(node);
}

void warn_unused(ReaderContext& ctx) {
    std::vector<char> used(ctx.model.instances.size(), 0);
    for (const Block& b : ctx.model.blocks) {
        if (b.kind == BlockKind::Instance) used[static_cast<std::size_t>(b.instance)] = 1;
    }
    for (const Instance& inst : ctx.model.instances) {
        for (int r : inst.requires) used[static_cast<std::size_t>(r)] = 1;
    }
    for (const Component& c : ctx.model.components) {
        bool any = false;
        for (int k = 0; k < c.count; ++k) any = any || used[static_cast<std::size_t>(c.first_instance + k)];
        if (!any) {
            ctx.model.warnings.push_back(c.location.str() + ": warning: component '" + c.name +
                                         "' is not part of the system; it is simulated but cannot affect availability");
        }
    }
}

}  // namespace nines::io
