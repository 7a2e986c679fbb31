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

KernelModel::KernelModel(const Model& m, const SimulationSettings& settings)
    : model(&m), graph(StructureGraph::compile(m)) {
    for (const Component& c : m.components) {
        failure.push_back(make_sampler(c.failure));
        repair.push_back(c.repair ? make_sampler(*c.repair) : Sampler{});
        repairable.push_back(c.repair ? 1 : 0);
        has_detect.push_back(c.detect || c.inspect_every_h > 0 ? 1 : 0);
        inspect_every.push_back(c.inspect_every_h);
        has_logistics.push_back(c.logistics ? 1 : 0);
        detect.push_back(c.detect ? make_sampler(*c.detect) : Sampler{});
        logistics.push_back(c.logistics ? make_sampler(*c.logistics) : Sampler{});
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
    instance_failure_law.reserve(m.instances.size());  // samplers point into it: no reallocation after
    for (std::size_t i = 0; i < m.instances.size(); ++i) instance_failure_law.push_back(m.independent_failure(static_cast<int>(i)));
    for (const Distribution& d : instance_failure_law) instance_failure.push_back(make_sampler(d));
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
    // Random streams are keyed by component name (FNV-1a), not by position, so that adding or
    // resizing one component leaves every other component's draws unchanged. Colliding hashes are
    // moved deterministically (in component order) so no two components share a stream.
    std::set<std::uint32_t> used;
    for (const Component& c : m.components) {
        std::uint32_t h = 2166136261u;
        for (unsigned char ch : c.name) h = (h ^ ch) * 16777619u;
        while (!used.insert(h).second) h = h * 16777619u + 0x9e3779b9u;
        stream_key.push_back(h);
    }
    for (const SparePool& sp : m.spares) {
        std::uint32_t h = 2166136261u;
        for (unsigned char ch : "spares:" + sp.name) h = (h ^ ch) * 16777619u;
        while (!used.insert(h).second) h = h * 16777619u + 0x9e3779b9u;
        spare_key.push_back(h);
    }
    for (const CommonCause& cc : m.common_causes) {
        std::uint32_t h = 2166136261u;
        for (unsigned char ch : cc.label) h = (h ^ ch) * 16777619u;
        while (!used.insert(h).second) h = h * 16777619u + 0x9e3779b9u;
        shock_key.push_back(h);
    }
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
        std::uint32_t h = 2166136261u;
        // Keyed by the block's name, or for an unnamed block by its kind and line:column, never by the
        // file's path: the same scenario read through another path must draw the same numbers.
        const Block& fb = m.blocks[static_cast<std::size_t>(fg.block)];
        const std::string label = !fb.name.empty() || fb.kind == BlockKind::Instance
                                      ? m.block_label(fg.block)
                                      : std::string(to_string(fb.kind)) + " block at " + std::to_string(fb.location.line) +
                                            ":" + std::to_string(fb.location.column);
        for (unsigned char ch : "failover:" + label) h = (h ^ ch) * 16777619u;
        while (!used.insert(h).second) h = h * 16777619u + 0x9e3779b9u;
        failover_key.push_back(h);
    }
    change_slot_base = slot_count;
    slot_count += 3 * static_cast<int>(m.changes.size());
    for (const ChangeStream& cs : m.changes) {
        change_interval.push_back(cs.rate_per_h > 0 ? make_sampler(Distribution::exponential(1.0 / cs.rate_per_h)) : Sampler{});
        change_restart.push_back(cs.restart ? make_sampler(*cs.restart) : Sampler{});
        change_detect.push_back(make_sampler(cs.detect));
        change_rollback.push_back(make_sampler(cs.rollback));
        std::uint32_t h = 2166136261u;
        for (unsigned char ch : "changes:" + cs.name) h = (h ^ ch) * 16777619u;
        while (!used.insert(h).second) h = h * 16777619u + 0x9e3779b9u;
        change_key.push_back(h);
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
