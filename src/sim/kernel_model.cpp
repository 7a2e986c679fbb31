#include "sim/kernel_model.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace nines::sim {

const char* to_string(CauseKind kind) {
    switch (kind) {
        case CauseKind::Failure: return "failure";
        case CauseKind::Maintenance: return "maintenance";
        case CauseKind::Change: return "change";
        case CauseKind::Domain: return "domain";
        case CauseKind::Failover: return "failover";
    }
    return "?";
}

namespace {

// A random stream's key: the FNV-1a hash of a label that names what draws from it (a component's name,
// "spares:POOL", "failover:BLOCK", ...), never its position or the file's path, so that editing one part
// of a scenario leaves every other part's draws unchanged. A key already taken is moved deterministically
// (in the order labels arrive) so that no two streams coincide.
std::uint32_t unused_stream_key(const std::string& label, std::set<std::uint32_t>& used) {
    std::uint32_t h = 2166136261u;
    for (unsigned char ch : label) h = (h ^ ch) * 16777619u;
    while (!used.insert(h).second) h = h * 16777619u + 0x9e3779b9u;
    return h;
}

}  // namespace

KernelModel::KernelModel(const Model& m, const SimulationSettings& settings)
    : model(&m), graph(StructureGraph::compile(m)) {
    // Every per-component and per-instance array is sized once: grown by push_back, a million-component
    // model kept up to twice the room it needed (issue 14: memory at 10^6 components).
    const std::size_t components_n = m.components.size();
    const std::size_t instances_n = m.instances.size();
    for (std::vector<Sampler>* v : {&failure, &repair}) v->reserve(components_n);
    // The delay samplers are read only for components with that delay (has_detect without an inspection,
    // has_logistics): a model where no component has one holds none (96 bytes a component otherwise).
    const bool any_detect = std::any_of(m.components.begin(), m.components.end(), [](const Component& c) { return bool(c.detect); });
    const bool any_logistics =
        std::any_of(m.components.begin(), m.components.end(), [](const Component& c) { return bool(c.logistics); });
    if (any_detect) detect.reserve(components_n);
    if (any_logistics) logistics.reserve(components_n);
    for (std::vector<std::uint8_t>* v : {&repairable, &has_detect, &has_logistics, &has_ops, &has_maintenance,
                                         &maintenance_uses_crew, &has_inspection_outage, &maintenance_renews,
                                         &maintenance_when_redundant}) {
        v->reserve(components_n);
    }
    for (std::vector<double>* v : {&inspect_every, &maintenance_every, &maintenance_duration, &inspection_duration}) {
        v->reserve(components_n);
    }
    for (std::vector<int>* v : {&pool, &spare_pool, &priority, &component_first, &component_units, &component_cause}) {
        v->reserve(components_n);
    }
    stream_key.reserve(components_n);
    cause_kind.reserve(components_n + m.changes.size() + 2);
    cause_name.reserve(components_n + m.changes.size() + 2);
    inspect_offset.reserve(instances_n);
    instance_component.reserve(instances_n);
    instance_failure.reserve(instances_n);
    instance_failure_law.reserve(instances_n);
    for (const Component& c : m.components) {
        failure.push_back(make_sampler(c.failure));
        repair.push_back(c.repair ? make_sampler(*c.repair) : Sampler{});
        repairable.push_back(c.repair ? 1 : 0);
        has_detect.push_back(c.detect || c.inspect_every_h > 0 ? 1 : 0);
        inspect_every.push_back(c.inspect_every_h);
        has_logistics.push_back(c.logistics ? 1 : 0);
        if (any_detect) detect.push_back(c.detect ? make_sampler(*c.detect) : Sampler{});
        if (any_logistics) logistics.push_back(c.logistics ? make_sampler(*c.logistics) : Sampler{});
        pool.push_back(c.repair ? c.pool : -1);
        spare_pool.push_back(c.repair ? c.spare_pool : -1);
        priority.push_back(c.priority);
        has_ops.push_back(c.repair && (c.detect || c.logistics || c.pool >= 0 || c.inspect_every_h > 0 || c.spare_pool >= 0 ||
                                       c.maintenance_every_h > 0) ? 1 : 0);
    }
    for (const RepairPool& p : m.pools) pool_crews.push_back(p.crews);
    // Inspections are staggered like maintenance (instance k of n at every x (j + k / n)), unless the
    // scenario asks for simultaneous ones.
    for (const Component& c : m.components) {
        for (int k = 0; k < c.count; ++k) {
            inspect_offset.push_back(c.inspections_simultaneous ? 0.0 : c.inspect_every_h * static_cast<double>(k) / c.count);
        }
    }
    for (const Instance& inst : m.instances) instance_component.push_back(inst.component);
    component_count = static_cast<int>(m.components.size());
    for (const Component& c : m.components) {
        component_first.push_back(c.first_instance);
        component_units.push_back(c.count);
    }
    // An instance's own failure law is its component's, except in a beta-factor group (scaled by
    // 1 - beta): only those scaled laws are copied (a copy per instance was 56 bytes each), the others
    // point into the model, which outlives this. Samplers point into the laws: scaled_failure_law is
    // sized before the first pointer into it is taken.
    std::vector<std::uint8_t> in_beta_group(instances_n, 0);
    for (const CommonCause& cc : m.common_causes) {
        if (cc.beta <= 0) continue;
        for (int member : cc.members) in_beta_group[static_cast<std::size_t>(member)] = 1;
    }
    scaled_failure_law.reserve(static_cast<std::size_t>(std::count(in_beta_group.begin(), in_beta_group.end(), 1)));
    for (std::size_t i = 0; i < instances_n; ++i) {
        if (in_beta_group[i]) {
            scaled_failure_law.push_back(m.independent_failure(static_cast<int>(i)));
            instance_failure_law.push_back(&scaled_failure_law.back());
        } else {
            instance_failure_law.push_back(&m.components[static_cast<std::size_t>(m.instances[i].component)].failure);
        }
    }
    for (const Distribution* d : instance_failure_law) instance_failure.push_back(make_sampler(*d));
    shock_law.reserve(m.common_causes.size());
    for (const CommonCause& cc : m.common_causes) {
        if (cc.beta > 0) {
            // Shock rate beta x lambda: exponential with mean (member mean) / beta.
            const Distribution& member = m.components[static_cast<std::size_t>(m.instances[static_cast<std::size_t>(cc.members.front())].component)].failure;
            shock_law.push_back(Distribution::exponential(member.mean() / cc.beta));
        } else {
            shock_law.push_back(*cc.shock);
        }
        shock_members.push_back(cc.members);
    }
    for (const Distribution& d : shock_law) shock.push_back(make_sampler(d));
    order_slot_base = static_cast<int>(m.instances.size() + m.common_causes.size());
    spare_slot_begin.push_back(0);
    for (std::size_t p = 0; p < m.spares.size(); ++p) {
        const SparePool& sp = m.spares[p];
        spare_stock.push_back(sp.stock);
        spare_lead.push_back(make_sampler(sp.lead_time));
        int users = 0;
        for (const Instance& inst : m.instances) users += m.components[static_cast<std::size_t>(inst.component)].spare_pool == static_cast<int>(p) ? 1 : 0;
        const int slots = sp.stock + users;
        for (int k = 0; k < slots; ++k) order_slot_pool.push_back(static_cast<int>(p));
        spare_slot_begin.push_back(spare_slot_begin.back() + slots);
    }
    // Random streams are keyed by name (unused_stream_key), components first, then spares pools and shocks.
    std::set<std::uint32_t> used;
    for (const Component& c : m.components) stream_key.push_back(unused_stream_key(c.name, used));
    for (const SparePool& sp : m.spares) spare_key.push_back(unused_stream_key("spares:" + sp.name, used));
    for (const CommonCause& cc : m.common_causes) shock_key.push_back(unused_stream_key(cc.label, used));
    standby_of.assign(m.instances.size(), -1);
    standby_position.assign(m.instances.size(), -1);
    for (std::size_t g = 0; g < m.standby_groups.size(); ++g) {
        const StandbyGroup& group = m.standby_groups[g];
        for (std::size_t k = 0; k < group.members.size(); ++k) {
            standby_of[static_cast<std::size_t>(group.members[k])] = static_cast<int>(g);
            standby_position[static_cast<std::size_t>(group.members[k])] = static_cast<int>(k);
        }
        standby_node.push_back(graph.block_node[static_cast<std::size_t>(group.block)]);
    }
    standby_groups = m.standby_groups;
    switch_slot_base = order_slot_base + spare_slot_begin.back();
    maintenance_slot_base = switch_slot_base + (m.standby_groups.empty() ? 0 : static_cast<int>(m.instances.size()));
    bool any_maintenance = false;
    for (const Component& c : m.components) {
        has_maintenance.push_back(c.maintenance_every_h > 0 ? 1 : 0);
        maintenance_every.push_back(c.maintenance_every_h);
        maintenance_duration.push_back(c.maintenance_duration_h);
        maintenance_uses_crew.push_back(c.maintenance_uses_crew ? 1 : 0);
        inspection_duration.push_back(c.inspection_duration_h);
        has_inspection_outage.push_back(c.inspection_duration_h > 0 ? 1 : 0);
        maintenance_renews.push_back(c.maintenance_renews ? 1 : 0);
        maintenance_when_redundant.push_back(c.maintenance_only_when_redundant ? 1 : 0);
        any_maintenance_when_redundant = any_maintenance_when_redundant || c.maintenance_only_when_redundant;
        any_maintenance = any_maintenance || c.maintenance_every_h > 0 || c.inspection_duration_h > 0;
    }
    has_planned_outages = any_maintenance;
    slot_count = maintenance_slot_base + (any_maintenance ? static_cast<int>(m.instances.size()) : 0);
    demand = DemandSchedule(m, graph);
    if (demand.has_changes()) demand_slot = slot_count++;
    // Failover groups: samplers point into failover_groups, which is not resized after this.
    failover_groups = m.failover_groups;
    has_failover = !failover_groups.empty();
    failover_slot_base = slot_count;
    slot_count += static_cast<int>(failover_groups.size());
    for (const FailoverGroup& fg : failover_groups) {
        failover_node.push_back(graph.block_node[static_cast<std::size_t>(fg.block)]);
        std::vector<int> nodes;
        for (int b : fg.members) nodes.push_back(graph.block_node[static_cast<std::size_t>(b)]);
        failover_member_node.push_back(std::move(nodes));
        failover_detect.push_back(fg.detect ? make_sampler(*fg.detect) : Sampler{});
        failover_switch.push_back(make_sampler(fg.switch_time));
        failover_failback.push_back(make_sampler(fg.failback_time));
        failover_delay.push_back(fg.failback_delay ? make_sampler(*fg.failback_delay) : Sampler{});
        // Keyed by the block's name, or for an unnamed block by its kind and line:column, never by the
        // file's path: the same scenario read through another path must draw the same numbers.
        const Block& fb = m.blocks[static_cast<std::size_t>(fg.block)];
        const std::string label = !fb.name.empty() || fb.kind == BlockKind::Instance
                                      ? m.block_label(fg.block)
                                      : std::string(to_string(fb.kind)) + " block at " + std::to_string(fb.location.line) +
                                            ":" + std::to_string(fb.location.column);
        failover_key.push_back(unused_stream_key("failover:" + label, used));
    }
    change_slot_base = slot_count;
    slot_count += 3 * static_cast<int>(m.changes.size());
    for (const ChangeStream& cs : m.changes) {
        change_interval.push_back(cs.rate_per_h > 0 ? make_sampler(Distribution::exponential(1.0 / cs.rate_per_h)) : Sampler{});
        change_restart.push_back(cs.restart ? make_sampler(*cs.restart) : Sampler{});
        change_detect.push_back(make_sampler(cs.detect));
        change_rollback.push_back(make_sampler(cs.rollback));
        change_key.push_back(unused_stream_key("changes:" + cs.name, used));
        change_targets.push_back(cs.targets);
        change_every.push_back(cs.every_h);
        change_rolling.push_back(cs.rollout == Rollout::Rolling ? 1 : 0);
        change_has_restart.push_back(cs.restart ? 1 : 0);
        change_pause.push_back(cs.pause_h);
        change_bad.push_back(cs.bad_probability);
    }
    for (int c = 0; c < component_count; ++c) {
        component_cause.push_back(c);
        cause_kind.push_back(m.components[static_cast<std::size_t>(c)].domain ? CauseKind::Domain : CauseKind::Failure);
        cause_name.push_back(m.components[static_cast<std::size_t>(c)].name);
    }
    planned_cause = component_count;
    cause_kind.push_back(CauseKind::Maintenance);
    cause_name.emplace_back();
    change_cause_base = planned_cause + 1;
    for (const ChangeStream& cs : m.changes) {
        cause_kind.push_back(CauseKind::Change);
        cause_name.push_back(cs.name);
    }
    failover_cause = change_cause_base + static_cast<int>(m.changes.size());
    cause_kind.push_back(CauseKind::Failover);
    cause_name.emplace_back();
    cause_count = failover_cause + 1;
    unit_route.resize(instance_component.size());
    for (std::size_t i = 0; i < unit_route.size(); ++i) {
        const auto c = static_cast<std::size_t>(instance_component[i]);
        UnitRoute& r = unit_route[i];
        r.component = instance_component[i];
        r.cause = component_cause[c];
        r.flags = static_cast<std::uint8_t>((repairable[c] ? kRouteRepairable : 0) | (has_ops[c] ? kRouteHasOps : 0) |
                                            (standby_of[i] >= 0 ? kRouteStandby : 0) | (pool[c] >= 0 ? kRouteCrewPool : 0));
    }
    horizon_h = settings.horizon_h;
    warmup_h = settings.warmup_h;
    grid_step_h = settings.grid_h > 0 ? settings.grid_h : horizon_h / 100.0;
    // A relative epsilon keeps the last point when the horizon is an exact multiple of the step.
    // Clamped before the conversion (a huge count is UB as an int); the runner refuses counts above its cap.
    const double steps = std::min(horizon_h / grid_step_h, 1e9);
    grid_points = static_cast<int>(std::floor(steps * (1 + 1e-12))) + 1;
    grid_cells = std::max(1, static_cast<int>(std::ceil(steps * (1 - 1e-12))));
    full_years = static_cast<int>(std::floor((horizon_h - warmup_h) / kHoursPerYear * (1 + 1e-12)));
    seed = settings.seed;
}

}  // namespace nines::sim
