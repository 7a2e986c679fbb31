#include "io/change_reader.h"

#include <algorithm>
#include <functional>

#include "io/distribution_reader.h"
#include "io/quantity.h"

namespace nines::io {

namespace {

const std::vector<std::string> kChangeKeys = {"touches", "every", "rate", "rollout", "pause", "restart", "bad", "detect", "rollback",
                                              "description"};
const std::vector<std::string> kRollouts = {"all_at_once", "rolling"};

// The instances under a block, in the block's order, each once.
void block_instances(const Model& model, int block, std::vector<int>& out) {
    const Block& b = model.blocks[static_cast<std::size_t>(block)];
    if (b.kind == BlockKind::Instance) {
        if (std::find(out.begin(), out.end(), b.instance) == out.end()) out.push_back(b.instance);
        return;
    }
    for (int child : b.children) block_instances(model, child, out);
}

// One `touches` entry: a component (all its instances), an instance ("web[2]") or a named block.
void read_target(ReaderContext& ctx, const YamlNode& entry, ChangeStream& cs) {
    const std::string text = ctx.yaml.scalar(entry, "a change target");
    std::string base, index;
    ctx.split_reference(entry, text, base, index);
    if (index.empty() && ctx.component_ids.count(base) == 0) {
        const auto named = ctx.model.named_blocks.find(base);
        if (named != ctx.model.named_blocks.end()) {
            block_instances(ctx.model, named->second, cs.targets);
            return;
        }
    }
    const int comp = ctx.component_or_fail(entry, base, " in the touches of change '" + cs.name + "'");
    const Component& c = ctx.model.components[static_cast<std::size_t>(comp)];
    ctx.add_references(entry, index.empty() ? c.count : 1, "change targets");
    if (index.empty()) {
        for (int k = 0; k < c.count; ++k) cs.targets.push_back(c.first_instance + k);
        return;
    }
    IndexExpression expr;
    try {
        expr = IndexExpression::parse(index);
    } catch (const std::invalid_argument& e) {
        ctx.yaml.fail(entry, e.what());
    }
    cs.targets.push_back(ctx.resolve_instance(entry, comp, expr, 0, text, ""));
}

ChangeStream read_change(ReaderContext& ctx, const YamlNode& key, const YamlNode& def) {
    YamlReader& yaml = ctx.yaml;
    ChangeStream cs;
    cs.name = yaml.scalar(key, "a change stream name");
    ctx.check_name(key, cs.name);
    cs.location = yaml.where(key);
    const std::string what = "change '" + cs.name + "'";
    yaml.expect_map(def, what, kChangeKeys);
    if (!def["touches"]) yaml.fail(def.size() ? def : key, what + ": missing 'touches' (the components, instances or blocks it changes)");
    if (def["touches"].IsScalar()) {
        read_target(ctx, def["touches"], cs);
    } else {
        yaml.expect_sequence(def["touches"], what + " touches");
        for (const YamlNode& entry : def["touches"]) read_target(ctx, entry, cs);
    }
    // Each unit once, in the order written (the roll-out order).
    std::vector<int> unique;
    for (int i : cs.targets) {
        if (std::find(unique.begin(), unique.end(), i) == unique.end()) unique.push_back(i);
    }
    cs.targets = std::move(unique);
    if (cs.targets.empty()) yaml.fail(def["touches"], what + ": touches no unit");
    if (def["every"].IsDefined() == def["rate"].IsDefined()) {
        yaml.fail(def, what + ": give 'every' (a period: every: 1w) or 'rate' (exponential intervals: rate: 2/d), one of them");
    }
    if (def["every"]) cs.every_h = read_duration(yaml, def["every"], what + " every");
    if (def["rate"]) cs.rate_per_h = read_rate_per_hour(yaml, def["rate"], what + " rate");
    if (def["rollout"]) {
        const std::string kind = yaml.scalar(def["rollout"], what + " rollout");
        if (kind == "rolling") {
            cs.rollout = Rollout::Rolling;
        } else if (kind != "all_at_once") {
            yaml.fail(def["rollout"], what + ": unknown rollout '" + kind + "'" + did_you_mean(kind, kRollouts) + "; choose one of " +
                                          join(kRollouts, ", "));
        }
    }
    if (def["pause"]) {
        if (cs.rollout != Rollout::Rolling) yaml.fail(def["pause"], what + ": 'pause' is the wait between units of a rolling roll-out (rollout: rolling)");
        cs.pause_h = read_duration_or_zero(yaml, def["pause"], what + " pause");
    }
    if (def["restart"]) cs.restart = read_distribution(yaml, def["restart"], "restart of " + what, DistributionRole::Other);
    if (!def["bad"]) yaml.fail(def, what + ": missing 'bad' (the probability that a change is bad, 0 to 100%)");
    cs.bad_probability = read_probability(yaml, def["bad"], what + " bad (the probability that a change is bad)");
    if (cs.bad_probability > 0 || def["detect"] || def["rollback"]) {
        for (const char* k : {"detect", "rollback"}) {
            if (!def[k]) yaml.fail(def, what + ": missing '" + std::string(k) + "' (a distribution: how a bad change ends is detection, then rollback)");
        }
        cs.detect = read_distribution(yaml, def["detect"], "detection of a bad " + what, DistributionRole::Other);
        cs.rollback = read_distribution(yaml, def["rollback"], "rollback of " + what, DistributionRole::Other);
    } else {
        cs.detect = Distribution::fixed(1.0);  // never drawn: no change is bad
        cs.rollback = Distribution::fixed(1.0);
    }
    return cs;
}

}  // namespace

void read_changes(ReaderContext& ctx, const YamlNode& node) {
    if (!node.IsMap() || node.size() == 0) {
        ctx.yaml.fail(node, "'changes' must be a non-empty map of change stream names to their definitions");
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        ChangeStream cs = read_change(ctx, it->first, it->second);
        for (const ChangeStream& other : ctx.model.changes) {
            if (other.name == cs.name) ctx.yaml.fail(it->first, "duplicate change stream name '" + cs.name + "'");
        }
        ctx.model.changes.push_back(std::move(cs));
    }
}

void check_change_targets(ReaderContext& ctx) {
    for (const ChangeStream& cs : ctx.model.changes) {
        for (int i : cs.targets) {
            for (const StandbyGroup& g : ctx.model.standby_groups) {
                if (std::find(g.members.begin(), g.members.end(), i) != g.members.end()) {
                    throw InputError(cs.location, "change '" + cs.name + "' touches " + ctx.model.instance_name(i) +
                                                      ", a standby member: changes to standby members are not supported yet");
                }
            }
            for (const FailoverGroup& g : ctx.model.failover_groups) {
                bool member = false;
                for (const std::vector<int>& units : g.member_units) member = member || std::find(units.begin(), units.end(), i) != units.end();
                if (g.mode != StandbyMode::Hot && member) {
                    throw InputError(cs.location, "change '" + cs.name + "' touches " + ctx.model.instance_name(i) +
                                                      ", a member of a warm or cold failover group: not supported yet");
                }
            }
        }
    }
}

}  // namespace nines::io
