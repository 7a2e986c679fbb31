#include "sim/simulation.h"

#include <algorithm>
#include <vector>
#include <cmath>

namespace nines::sim {

namespace {
template <typename T>
void add_into(std::vector<T>& into, const std::vector<T>& from) {
    for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}
template <typename T>
void append(std::vector<T>& into, const std::vector<T>& from) {
    into.insert(into.end(), from.begin(), from.end());
}
}  // namespace

void BlockAccumulator::merge(const BlockAccumulator& other) {
    add_into(instance_failures, other.instance_failures);
    add_into(instance_downtime_h, other.instance_downtime_h);
    add_into(component_outages, other.component_outages);
    add_into(component_failures_sq, other.component_failures_sq);
    add_into(component_downtime_sq, other.component_downtime_sq);
    add_into(grid_up, other.grid_up);
    add_into(cell_down, other.cell_down);
    add_into(cell_down_sq, other.cell_down_sq);
    add_into(component_wait_h, other.component_wait_h);
    add_into(component_repairs, other.component_repairs);
    add_into(pool_busy_h, other.pool_busy_h);
    add_into(component_spare_wait_h, other.component_spare_wait_h);
    add_into(component_stockouts, other.component_stockouts);
    append(year_downtime_h, other.year_downtime_h);
    append(outage_durations_h, other.outage_durations_h);
}

Simulation::Simulation(const KernelModel& km) : km_(km), g_(km.graph) {
    const int instances = g_.instance_count;
    queue_.reserve(km.slot_count);
    role_.assign(static_cast<std::size_t>(instances), kActive);
    in_maintenance_.assign(static_cast<std::size_t>(instances), 0);
    frozen_.assign(static_cast<std::size_t>(instances), 0.0);
    active_.assign(km.model->standby_groups.size(), 0);
    switching_.assign(km.model->standby_groups.size(), 0);
    const std::size_t spare_pools = km.spare_stock.size();
    on_hand_.assign(spare_pools, 0);
    free_order_slots_.resize(spare_pools);
    spare_queue_.resize(spare_pools);
    spare_queue_head_.assign(spare_pools, 0);
    spare_queue_count_.assign(spare_pools, 0);
    spare_streams_.resize(spare_pools);
    for (std::size_t p = 0; p < spare_pools; ++p) {
        const int slots = km.spare_slot_begin[p + 1] - km.spare_slot_begin[p];
        free_order_slots_[p].reserve(static_cast<std::size_t>(slots));
        spare_queue_[p].assign(static_cast<std::size_t>(slots), 0);  // a ring: at most one entry per demand in flight
    }
    spare_wait_since_.assign(static_cast<std::size_t>(instances), 0.0);
    shock_streams_.resize(km.shock.size());
    streams_.resize(static_cast<std::size_t>(instances));
    failed_children_.assign(static_cast<std::size_t>(g_.node_count), 0);
    node_down_.assign(static_cast<std::size_t>(g_.node_count), 0);
    stack_.resize(static_cast<std::size_t>(g_.node_count) + 1);
    down_since_.assign(static_cast<std::size_t>(instances), 0.0);
    down_list_.reserve(static_cast<std::size_t>(instances));
    down_position_.assign(static_cast<std::size_t>(instances), -1);
    component_mark_.assign(km.model->components.size(), -1);
    year_downtime_.assign(static_cast<std::size_t>(km.full_years), 0.0);
    cell_down_.assign(static_cast<std::size_t>(km.grid_cells), 0.0);
    phase_.assign(static_cast<std::size_t>(instances), kUp);
    wait_since_.assign(static_cast<std::size_t>(instances), 0.0);
    const std::size_t pools = km.pool_crews.size();
    waiting_.resize(pools);
    for (int i = 0; i < instances; ++i) {  // room for every instance of a pool: no growth in the loop
        const int p = km.pool[static_cast<std::size_t>(km.instance_component[static_cast<std::size_t>(i)])];
        if (p >= 0) waiting_[static_cast<std::size_t>(p)].reserve(waiting_[static_cast<std::size_t>(p)].capacity() + 1);
    }
    busy_.assign(pools, 0);
    busy_changed_.assign(pools, 0.0);
    rep_failures_.assign(static_cast<std::size_t>(instances), 0);
    rep_downtime_.assign(static_cast<std::size_t>(instances), 0.0);
    outages_.reserve(1024);
    if (km.has_planned_outages) {
        planned_failed_children_.assign(static_cast<std::size_t>(g_.node_count), 0);
        planned_node_down_.assign(static_cast<std::size_t>(g_.node_count), 0);
    }
    maintenance_pending_.assign(static_cast<std::size_t>(instances), 0);
    pending_maintenance_.reserve(static_cast<std::size_t>(instances));
}

void Simulation::reset_state() {
    std::fill(failed_children_.begin(), failed_children_.end(), 0);
    std::fill(node_down_.begin(), node_down_.end(), 0);
    std::fill(component_mark_.begin(), component_mark_.end(), -1);
    std::fill(year_downtime_.begin(), year_downtime_.end(), 0.0);
    std::fill(cell_down_.begin(), cell_down_.end(), 0.0);
    std::fill(phase_.begin(), phase_.end(), kUp);
    for (auto& w : waiting_) w.clear();
    std::fill(busy_.begin(), busy_.end(), 0);
    std::fill(busy_changed_.begin(), busy_changed_.end(), 0.0);
    waiter_seq_ = 0;
    for (int i : down_list_) down_position_[static_cast<std::size_t>(i)] = -1;
    down_list_.clear();
    outages_.clear();
    queue_.clear();
    system_down_ = false;
    outage_in_window_ = false;
    outage_planned_ = false;
    std::fill(planned_failed_children_.begin(), planned_failed_children_.end(), 0);
    std::fill(planned_node_down_.begin(), planned_node_down_.end(), 0);
    for (int i : pending_maintenance_) maintenance_pending_[static_cast<std::size_t>(i)] = 0;
    pending_maintenance_.clear();
    outage_id_ = 0;
    next_grid_ = 0;
    next_grid_time_ = km_.grid_points > 0 ? 0.0 : INFINITY;
    for (std::size_t p = 0; p < on_hand_.size(); ++p) {
        on_hand_[p] = km_.spare_stock[p];
        free_order_slots_[p].clear();
        for (int k = km_.spare_slot_begin[p + 1] - 1; k >= km_.spare_slot_begin[p]; --k) {
            free_order_slots_[p].push_back(km_.order_slot_base + k);
        }
        spare_queue_head_[p] = 0;
        spare_queue_count_[p] = 0;
    }
}

namespace {
// Flips one node of a structure state (failed-children counts and node states) and propagates the change
// up; returns true when the root changed state. Shared by the system state and the planned-outage shadow.
[[gnu::always_inline]] inline bool flip_and_propagate(const StructureGraph& g_, int* failed, std::uint8_t* node_down, int* stack,
                                                      int instance, bool down) {
    const int root = g_.root;
    const std::uint8_t root_before = node_down[root];
    const int* parent_begin = g_.parent_begin.data();
    const int* parents = g_.parents.data();
    const int* threshold = g_.threshold.data();
    node_down[instance] = down ? 1 : 0;
    int top = 0;
    stack[top++] = instance;
    // A gate changes state only when its failed-children count crosses its threshold, and one flip
    // moves every count in the same direction, so each gate is pushed at most once.
    if (down) {
        while (top > 0) {
            const int n = stack[--top];
            for (int k = parent_begin[n]; k < parent_begin[n + 1]; ++k) {
                const int p = parents[k];
                if (++failed[p] == threshold[p]) {
                    node_down[p] = 1;
                    stack[top++] = p;
                }
            }
        }
    } else {
        while (top > 0) {
            const int n = stack[--top];
            for (int k = parent_begin[n]; k < parent_begin[n + 1]; ++k) {
                const int p = parents[k];
                if (failed[p]-- == threshold[p]) {
                    node_down[p] = 0;
                    stack[top++] = p;
                }
            }
        }
    }
    return node_down[root] != root_before;
}
}  // namespace

// Inlined into the event loop: the call and its spills cost more than the work for most flips.
[[gnu::always_inline]] inline bool Simulation::propagate_flip(int instance, bool down) {
    return flip_and_propagate(g_, failed_children_.data(), node_down_.data(), stack_.data(), instance, down);
}

// The planned-outage shadow: the structure with only the units down for maintenance or inspection down.
void Simulation::planned_flip(int instance, bool down) {
    flip_and_propagate(g_, planned_failed_children_.data(), planned_node_down_.data(), stack_.data(), instance, down);
}

bool Simulation::flip_instance(int instance, bool down) { return propagate_flip(instance, down); }

void Simulation::record_grid_until(double t) {
    // Grid point g is at g * step; it records the state in force at that instant.
    while (next_grid_ < km_.grid_points && static_cast<double>(next_grid_) * km_.grid_step_h < t) {
        if (!system_down_) ++acc_->grid_up[static_cast<std::size_t>(next_grid_)];
        ++next_grid_;
    }
    next_grid_time_ = next_grid_ < km_.grid_points ? static_cast<double>(next_grid_) * km_.grid_step_h : INFINITY;
}

void Simulation::add_system_downtime(double from, double to) {
    const double in_window = window_overlap(from, to);
    if (in_window <= 0) return;
    out_.unavailability += in_window;  // divided by the window length at the end
    // Whole years of the window: [warmup + k y, warmup + (k + 1) y).
    const double start = (from > km_.warmup_h ? from : km_.warmup_h) - km_.warmup_h;
    const double end = (to < km_.horizon_h ? to : km_.horizon_h) - km_.warmup_h;
    for (int k = static_cast<int>(start / kHoursPerYear); k < km_.full_years; ++k) {
        const double y0 = k * kHoursPerYear;
        const double y1 = y0 + kHoursPerYear;
        if (y0 >= end) break;
        const double a = start > y0 ? start : y0;
        const double b = end < y1 ? end : y1;
        if (b > a) year_downtime_[static_cast<std::size_t>(k)] += b - a;
    }
}

// Every outage has a cause. It is *planned* while the units down for maintenance or inspection would
// by themselves keep the system down (the planned-outage shadow's root is down); it becomes *unplanned*
// (a system failure) at the first instant it is down without that being so, i.e. an unplanned failure
// contributes. An outage that starts with a failure is unplanned at once; one that starts with a
// maintenance or inspection becomes unplanned when the planned work ends (or is joined by other
// planned work that no longer suffices) while the system stays down. Models without planned outages
// skip the shadow: every outage is unplanned.
void Simulation::on_system_down(double t) {
    system_down_ = true;
    system_down_since_ = t;
    outage_in_window_ = t >= km_.warmup_h;
    outage_planned_ = km_.has_planned_outages && planned_node_down_[static_cast<std::size_t>(g_.root)];
    if (!outage_planned_) on_unplanned(t);
    if (!outage_in_window_) return;
    ++outage_id_;
    for (int i : down_list_) {
        const int c = km_.instance_component[static_cast<std::size_t>(i)];
        if (component_mark_[static_cast<std::size_t>(c)] != outage_id_) {
            component_mark_[static_cast<std::size_t>(c)] = outage_id_;
            ++acc_->component_outages[static_cast<std::size_t>(c)];
        }
    }
}

// The current outage is (from t on) a system failure: it counts in MTTF, R(t), failures per year, MTBF.
void Simulation::on_unplanned(double t) {
    outage_planned_ = false;
    if (!out_.failed) {
        out_.failed = true;
        out_.first_failure_h = t;
    }
    if (outage_in_window_) ++out_.system_failures;
}

// A planned outage of instance i ends at t (after the structure has it back up).
void Simulation::end_planned(int i, double t) {
    planned_flip(i, false);
    if (system_down_ && outage_planned_ && !planned_node_down_[static_cast<std::size_t>(g_.root)]) on_unplanned(t);
}

// A maintenance of instance i (its event the queue's top) ends at t: the unit comes back renewed, with a
// fresh failure clock, or (renews: false) with its stopped clock resumed; its crew, if it took one, is
// freed; then the outage's cause is brought up to date. (The event loop has already taken it off the
// down list.)
void Simulation::end_maintenance(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    queue_.reschedule_top(t + (km_.maintenance_renews[c] ? km_.instance_failure[iu].draw(streams_[iu]) : frozen_[iu]));
    phase_[iu] = kUp;
    in_maintenance_[iu] = 0;
    if (km_.pool[c] >= 0 && km_.model->components[c].maintenance_uses_crew) release_crew(km_.pool[c], t);
    if (propagate_flip(i, false)) on_system_up(t);
    end_planned(i, t);
}

void Simulation::close_planned_outage(double t) {
    out_.planned_downtime += window_overlap(system_down_since_, t);
    if (outage_in_window_) ++out_.planned_outages;
}

void Simulation::add_cell_downtime(double from, double to) {
    // Spread an outage over the grid cells it overlaps (outages are short: usually one cell).
    const double step = km_.grid_step_h;
    for (int k = static_cast<int>(from / step); k < km_.grid_cells; ++k) {
        const double c0 = k * step;
        if (c0 >= to) break;
        const double a = from > c0 ? from : c0;
        const double b = to < c0 + step ? to : c0 + step;
        if (b > a) cell_down_[static_cast<std::size_t>(k)] += b - a;
    }
}

void Simulation::on_system_up(double t) {
    system_down_ = false;
    if (outage_planned_) close_planned_outage(t);
    add_system_downtime(system_down_since_, t);
    add_cell_downtime(system_down_since_, t);
    if (outage_in_window_) {
        const double duration = t - system_down_since_;
        out_.outage_sum_h += duration;
        ++out_.outage_count;
        outages_.push_back(duration);  // capacity kept across replications
    }
}

void Simulation::account_busy(int pool, double t) {
    // Crew-hours busy inside the window since the pool's last change.
    const auto p = static_cast<std::size_t>(pool);
    acc_->pool_busy_h[p] += busy_[p] * window_overlap(busy_changed_[p], t);
    busy_changed_[p] = t;
}

void Simulation::start_repair(int instance, double t, double waited) {
    const auto iu = static_cast<std::size_t>(instance);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    phase_[iu] = kRepairing;
    if (t >= km_.warmup_h) {
        ++acc_->component_repairs[c];
        acc_->component_wait_h[c] += waited;
    }
}

// The instance is ready for repair at t (detected, logistics done): it takes a crew, or queues.
// `on_top` says whether its pending event is the queue's top (to reschedule in place).
void Simulation::request_repair(int instance, double t, bool on_top) {
    const auto iu = static_cast<std::size_t>(instance);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    const int pool = km_.pool[c];
    if (pool >= 0 && busy_[static_cast<std::size_t>(pool)] >= km_.pool_crews[static_cast<std::size_t>(pool)]) {
        // Every crew is busy: wait, by priority, then first come first served.
        phase_[iu] = kWaiting;
        wait_since_[iu] = t;
        if (on_top) queue_.pop_top();
        std::vector<Waiter>& w = waiting_[static_cast<std::size_t>(pool)];
        w.push_back({km_.priority[c], waiter_seq_++, instance});  // capacity reserved in the constructor
        std::push_heap(w.begin(), w.end());
        return;
    }
    if (pool >= 0) {
        account_busy(pool, t);
        ++busy_[static_cast<std::size_t>(pool)];
    }
    start_repair(instance, t, 0.0);
    const double end = t + work_duration(instance);
    if (on_top) {
        queue_.reschedule_top(end);
    } else {
        queue_.schedule(instance, end);
    }
}

// The instance is ready for repair at t: a repair that needs a part takes one, or waits for one;
// either way a replacement part is ordered (one-for-one replenishment).
void Simulation::request_spare(int instance, double t, bool on_top) {
    const auto iu = static_cast<std::size_t>(instance);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    const int sp = km_.spare_pool[c];
    if (sp < 0) {
        request_repair(instance, t, on_top);
        return;
    }
    const auto p = static_cast<std::size_t>(sp);
    const int slot = free_order_slots_[p].back();  // never empty: slots = stock + users
    free_order_slots_[p].pop_back();
    if (on_hand_[p] > 0) {
        --on_hand_[p];
        queue_.schedule(slot, t + km_.spare_lead[p].draw(spare_streams_[p]));
        request_repair(instance, t, on_top);
        return;
    }
    // Stock-out: wait for the first part to arrive.
    phase_[iu] = kSpareWait;
    spare_wait_since_[iu] = t;
    if (t >= km_.warmup_h) ++acc_->component_stockouts[c];
    if (on_top) queue_.pop_top();
    queue_.schedule(slot, t + km_.spare_lead[p].draw(spare_streams_[p]));
    std::vector<int>& ring = spare_queue_[p];
    ring[(spare_queue_head_[p] + spare_queue_count_[p]++) % ring.size()] = instance;
}

void Simulation::on_order_arrival(int slot, double t) {
    const auto p = static_cast<std::size_t>(km_.order_slot_pool[static_cast<std::size_t>(slot - km_.order_slot_base)]);
    queue_.pop_top();
    free_order_slots_[p].push_back(slot);
    if (spare_queue_count_[p] > 0) {
        // The part goes straight to the repair that has waited longest.
        const int next = spare_queue_[p][spare_queue_head_[p]];
        spare_queue_head_[p] = (spare_queue_head_[p] + 1) % spare_queue_[p].size();
        --spare_queue_count_[p];
        const auto nu = static_cast<std::size_t>(next);
        if (t >= km_.warmup_h) acc_->component_spare_wait_h[static_cast<std::size_t>(km_.instance_component[nu])] += t - spare_wait_since_[nu];
        request_repair(next, t, false);
        return;
    }
    ++on_hand_[p];
}

// A repair in `pool` finished at t: the crew takes the next waiting repair, if any.
void Simulation::release_crew(int pool, double t) {
    std::vector<Waiter>& w = waiting_[static_cast<std::size_t>(pool)];
    if (w.empty()) {
        account_busy(pool, t);
        --busy_[static_cast<std::size_t>(pool)];
        return;
    }
    std::pop_heap(w.begin(), w.end());
    const int next = w.back().instance;
    w.pop_back();
    const auto nu = static_cast<std::size_t>(next);
    start_repair(next, t, t - wait_since_[nu]);
    queue_.schedule(next, t + work_duration(next));
}

// A down instance's pending event fired before its repair ended: the end of detection or logistics.
void Simulation::advance_phase(int instance, double t) {
    const auto iu = static_cast<std::size_t>(instance);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    if (phase_[iu] == kDetecting && km_.has_logistics[c]) {
        phase_[iu] = kLogistics;
        queue_.reschedule_top(t + km_.logistics[c].draw(streams_[iu]));
        return;
    }
    request_spare(instance, t, true);
}

// The instance fails at t. `on_top`: its failure event is the queue's top (the usual case); otherwise
// (a common-cause shock) it has no pending event any more.
void Simulation::fail_instance(int i, double t, bool on_top) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    if (t >= km_.warmup_h) ++rep_failures_[iu];
    auto next = [&](double at) {
        if (on_top) {
            queue_.reschedule_top(at);
        } else {
            queue_.schedule(i, at);
        }
    };
    if (!km_.repairable[c]) {
        if (on_top) queue_.pop_top();
    } else if (!km_.has_ops[c]) {
        next(t + km_.repair[c].draw(streams_[iu]));  // unlimited crews, no delays: repair starts now
    } else if (km_.has_detect[c]) {
        phase_[iu] = kDetecting;
        next(detection_time(i, c, t, streams_[iu]));
    } else if (km_.has_logistics[c]) {
        phase_[iu] = kLogistics;
        next(t + km_.logistics[c].draw(streams_[iu]));
    } else {
        request_spare(i, t, on_top);
    }
    take_down(i, t);
}

double Simulation::detection_time(int i, std::size_t c, double t, RandomStream& rng) const {
    const double every = km_.inspect_every[c];
    if (every > 0) {
        // A hidden failure is found by the first inspection after it (inspections of instance i at
        // offset + j x every, j >= 1), when that inspection ends.
        const double offset = km_.inspect_offset[static_cast<std::size_t>(i)];
        const double j = std::max(1.0, std::floor((t - offset) / every) + 1.0);
        return offset + j * every + km_.model->components[c].inspection_duration_h;
    }
    return t + km_.detect[c].draw(rng);
}

void Simulation::on_shock(int k, double t) {
    // Next shock first: the member failures below change the queue's top.
    const auto ku = static_cast<std::size_t>(k);
    queue_.reschedule_top(t + km_.shock[ku].draw(shock_streams_[ku]));
    for (int i : km_.shock_members[ku]) {  // in instance order
        if (node_down_[static_cast<std::size_t>(i)]) continue;
        if (km_.standby_of[static_cast<std::size_t>(i)] >= 0 && role_[static_cast<std::size_t>(i)] == kOut) continue;
        queue_.cancel(i);  // its own failure clock: replaced by this failure
        fail_instance(i, t, false);
        if (km_.standby_of[static_cast<std::size_t>(i)] >= 0) standby_member_failed(i, t);
    }
}

// ---- Standby groups. A unit's failure clock is its pending event; putting a unit in standby or
// activating it changes how fast that clock runs (accelerated life: warm units age dormant_factor
// times slower, cold ones not at all; for exponential laws this is the usual rate change).

void Simulation::to_standby(int i, double t) {
    const StandbyGroup& g = km_.model->standby_groups[static_cast<std::size_t>(km_.standby_of[static_cast<std::size_t>(i)])];
    role_[static_cast<std::size_t>(i)] = kStandby;
    if (g.mode == StandbyMode::Hot || !queue_.contains(i)) return;
    const double remaining = queue_.time_of(i) - t;
    queue_.cancel(i);
    if (g.mode == StandbyMode::Cold) {
        frozen_[static_cast<std::size_t>(i)] = remaining;
    } else {
        queue_.schedule(i, t + remaining / g.dormant_factor);
    }
}

void Simulation::to_active(int i, double t) {
    const StandbyGroup& g = km_.model->standby_groups[static_cast<std::size_t>(km_.standby_of[static_cast<std::size_t>(i)])];
    if (g.mode == StandbyMode::Cold) {
        queue_.schedule(i, t + frozen_[static_cast<std::size_t>(i)]);
    } else if (g.mode == StandbyMode::Warm && queue_.contains(i)) {
        const double remaining = queue_.time_of(i) - t;
        queue_.cancel(i);
        queue_.schedule(i, t + remaining * g.dormant_factor);
    }
}

double Simulation::work_duration(int i) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    if (in_maintenance_[iu]) return km_.model->components[c].maintenance_duration_h;
    return km_.repair[c].draw(streams_[iu]);
}

// Preventive maintenance of instance i falls due at t: a working unit goes down (planned, not a
// failure) for the maintenance and comes back through the repair path; a failed one is renewed by its
// repair anyway, so the maintenance is skipped. With only_when_redundant, a maintenance that would
// bring the system down (or falls while it is down) waits, and starts at the first instant it would
// not (checked whenever a unit comes back into service); the schedule keeps its own pace meanwhile,
// and dues that fall while one is waiting merge into it.
void Simulation::on_maintenance(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    queue_.reschedule_top(t + km_.model->components[c].maintenance_every_h);
    if (node_down_[iu] || maintenance_pending_[iu]) return;
    if (km_.maintenance_when_redundant[c] && would_bring_system_down(i)) {
        maintenance_pending_[iu] = 1;
        pending_maintenance_.push_back(i);  // capacity reserved for every instance
        return;
    }
    start_maintenance(i, t);
}

void Simulation::start_maintenance(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    const Component& comp = km_.model->components[c];
    // The failure clock: renewed (the unit comes back as new), or stopped and resumed after (renews: false).
    if (!km_.maintenance_renews[c]) frozen_[iu] = queue_.time_of(i) - t;
    queue_.cancel(i);
    in_maintenance_[iu] = 1;
    if (comp.maintenance_uses_crew && km_.pool[c] >= 0) {
        request_repair(i, t, false);
    } else {
        phase_[iu] = kRepairing;
        queue_.schedule(i, t + comp.maintenance_duration_h);
    }
    planned_flip(i, true);
    take_down(i, t);
}

// Would taking working instance i out of service leave the system down? (Flips it and back.)
bool Simulation::would_bring_system_down(int i) {
    if (system_down_) return true;
    const bool down = propagate_flip(i, true);
    propagate_flip(i, false);
    return down;
}

// A unit (`repaired`, or -1 when it is not back from a repair) came back into service at t: start the
// waiting maintenances that no longer bring the system down. A unit that failed while its maintenance
// waited is renewed by its repair: its maintenance is dropped (here when down, or just repaired).
void Simulation::retry_maintenance(double t, int repaired) {
    for (std::size_t k = 0; k < pending_maintenance_.size();) {
        const int i = pending_maintenance_[k];
        const auto iu = static_cast<std::size_t>(i);
        const bool renewed = node_down_[iu] || i == repaired;
        if (renewed || !would_bring_system_down(i)) {
            pending_maintenance_[k] = pending_maintenance_.back();
            pending_maintenance_.pop_back();
            maintenance_pending_[iu] = 0;
            if (!renewed) start_maintenance(i, t);
        } else {
            ++k;
        }
    }
}

// An inspection that takes time starts at t: a working unit is out of service for its duration (its
// failure clock stops meanwhile: an inspection does not wear it); a failed one is already waiting for
// this inspection (its detection ends with it).
void Simulation::on_inspection(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    const Component& comp = km_.model->components[c];
    queue_.reschedule_top(t + comp.inspect_every_h);
    if (node_down_[iu]) return;
    frozen_[iu] = queue_.time_of(i) - t;
    queue_.cancel(i);
    phase_[iu] = kInspecting;
    queue_.schedule(i, t + comp.inspection_duration_h);
    planned_flip(i, true);
    take_down(i, t);
}

void Simulation::end_inspection(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    phase_[iu] = kUp;
    queue_.reschedule_top(t + frozen_[iu]);  // the failure clock resumes where it stopped
    bring_up(i, t);
    end_planned(i, t);
    if (!pending_maintenance_.empty()) retry_maintenance(t, -1);
}

// Takes instance i out of service at t (failure, maintenance, inspection): down list, structure, and
// the outage bookkeeping. The event loop writes the failure case out inline, for speed.
void Simulation::take_down(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
    down_since_[iu] = t;
    down_position_[iu] = static_cast<int>(down_list_.size());
    down_list_.push_back(i);  // capacity reserved for every instance
    if (propagate_flip(i, true)) {
        on_system_down(t);
    } else if (system_down_ && outage_in_window_ && component_mark_[c] != outage_id_) {
        component_mark_[c] = outage_id_;
        ++acc_->component_outages[c];
    }
}

// Puts instance i back in service at t.
void Simulation::bring_up(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    rep_downtime_[iu] += window_overlap(down_since_[iu], t);
    const int pos = down_position_[iu];
    const int last = down_list_.back();
    down_list_[static_cast<std::size_t>(pos)] = last;
    down_position_[static_cast<std::size_t>(last)] = pos;
    down_list_.pop_back();
    down_position_[iu] = -1;
    if (propagate_flip(i, false)) on_system_up(t);
}

void Simulation::standby_begin(double t) {
    for (std::size_t gi = 0; gi < km_.model->standby_groups.size(); ++gi) {
        const StandbyGroup& g = km_.model->standby_groups[gi];
        active_[gi] = 0;
        switching_[gi] = 0;
        for (std::size_t k = 0; k < g.members.size(); ++k) {
            const int i = g.members[k];
            if (static_cast<int>(k) < g.k) {
                role_[static_cast<std::size_t>(i)] = kActive;
                ++active_[gi];
            } else {
                to_standby(i, t);
            }
        }
    }
}

// Starts standby units, in order, until the group has k units active or starting.
void Simulation::standby_demand(int gi, double t) {
    const StandbyGroup& g = km_.model->standby_groups[static_cast<std::size_t>(gi)];
    const auto gu = static_cast<std::size_t>(gi);
    for (int i : g.members) {
        if (active_[gu] + switching_[gu] >= g.k) return;
        const auto iu = static_cast<std::size_t>(i);
        if (role_[iu] != kStandby || node_down_[iu]) continue;
        if (streams_[iu].uniform_open() < g.start_success) {
            to_active(i, t);
            if (g.switch_time_h > 0) {
                role_[iu] = kSwitching;
                ++switching_[gu];
                queue_.schedule(km_.switch_slot_base + i, t + g.switch_time_h);
            } else {
                role_[iu] = kActive;
                ++active_[gu];
            }
        } else {
            // Failed start: the unit goes to repair, and the next one is tried.
            role_[iu] = kOut;
            queue_.cancel(i);
            fail_instance(i, t, false);
        }
    }
}

void Simulation::standby_update(int gi, double t) {
    const StandbyGroup& g = km_.model->standby_groups[static_cast<std::size_t>(gi)];
    const int node = km_.standby_node[static_cast<std::size_t>(gi)];
    const bool down = active_[static_cast<std::size_t>(gi)] < g.k;
    if ((node_down_[static_cast<std::size_t>(node)] != 0) == down) return;
    failed_children_[static_cast<std::size_t>(node)] = down ? 1 : 0;
    if (propagate_flip(node, down)) {
        if (down) {
            on_system_down(t);
        } else {
            on_system_up(t);
        }
    }
}

void Simulation::standby_member_failed(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const int gi = km_.standby_of[iu];
    const auto gu = static_cast<std::size_t>(gi);
    if (role_[iu] == kActive) {
        --active_[gu];
    } else if (role_[iu] == kSwitching) {
        --switching_[gu];
        queue_.cancel(km_.switch_slot_base + i);
    }
    role_[iu] = kOut;
    standby_demand(gi, t);
    standby_update(gi, t);
}

// A repair ends with a working, tested unit: it carries load without a start attempt (start_success is
// the chance that a *dormant* unit starts on demand) and without a switch time. It joins the active
// units when the group is short (a unit still switching in its place goes back to standby); otherwise a
// repaired primary takes the load back at once from the last non-primary carrying it (failback), and
// any other repaired unit becomes standby.
void Simulation::standby_member_repaired(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const int gi = km_.standby_of[iu];
    const auto gu = static_cast<std::size_t>(gi);
    const StandbyGroup& g = km_.model->standby_groups[gu];
    if (active_[gu] < g.k) {
        role_[iu] = kActive;  // its fresh failure clock runs at the active rate already
        ++active_[gu];
        if (active_[gu] + switching_[gu] > g.k) {
            for (auto it = g.members.rbegin(); it != g.members.rend(); ++it) {
                if (role_[static_cast<std::size_t>(*it)] != kSwitching) continue;
                queue_.cancel(km_.switch_slot_base + *it);
                --switching_[gu];
                to_standby(*it, t);
                break;
            }
        }
        standby_update(gi, t);
        return;
    }
    to_standby(i, t);
    if (km_.standby_position[iu] < g.k) {
        for (auto it = g.members.rbegin(); it != g.members.rend(); ++it) {
            const auto ju = static_cast<std::size_t>(*it);
            if (km_.standby_position[ju] >= g.k && role_[ju] == kActive) {
                to_active(i, t);
                role_[iu] = kActive;
                to_standby(*it, t);
                return;
            }
        }
    }
}

void Simulation::on_switch_done(int i, double t) {
    const auto gu = static_cast<std::size_t>(km_.standby_of[static_cast<std::size_t>(i)]);
    queue_.pop_top();
    role_[static_cast<std::size_t>(i)] = kActive;
    --switching_[gu];
    ++active_[gu];
    standby_update(static_cast<int>(gu), t);
    if (!pending_maintenance_.empty()) retry_maintenance(t, -1);
}

ReplicationOutcome Simulation::run(std::uint64_t replication, BlockAccumulator& acc) {
    acc_ = &acc;
    reset_state();
    out_ = ReplicationOutcome{};
    const int instances = g_.instance_count;
    const double horizon = km_.horizon_h;
    const double warmup = km_.warmup_h;
    for (int i = 0; i < instances; ++i) {
        RandomStream& rng = streams_[static_cast<std::size_t>(i)];
        const int c = km_.instance_component[static_cast<std::size_t>(i)];
        const Component& comp = km_.model->components[static_cast<std::size_t>(c)];
        rng.reset(km_.seed, replication, km_.stream_key[static_cast<std::size_t>(c)],
                  static_cast<std::uint32_t>(i - comp.first_instance));
        queue_.schedule(i, km_.instance_failure[static_cast<std::size_t>(i)].draw(rng));
    }
    for (std::size_t p = 0; p < spare_streams_.size(); ++p) spare_streams_[p].reset(km_.seed, replication, km_.spare_key[p], 0);
    if (!active_.empty()) standby_begin(0.0);
    std::fill(in_maintenance_.begin(), in_maintenance_.end(), 0);
    for (int i = 0; i < instances; ++i) {
        const auto c = static_cast<std::size_t>(km_.instance_component[static_cast<std::size_t>(i)]);
        if (km_.has_inspection_outage[c]) {
            // Instance i's inspections: at offset + j x every, j >= 1.
            queue_.schedule(km_.maintenance_slot_base + i, km_.inspect_offset[static_cast<std::size_t>(i)] + km_.model->components[c].inspect_every_h);
            continue;
        }
        if (!km_.has_maintenance[c]) continue;
        // Staggered: instance k of n is due at every x (1 + k / n), then every `every`.
        const Component& comp = km_.model->components[c];
        const int k = i - comp.first_instance;
        queue_.schedule(km_.maintenance_slot_base + i, comp.maintenance_every_h * (1.0 + static_cast<double>(k) / comp.count));
    }
    for (std::size_t k = 0; k < km_.shock.size(); ++k) {
        shock_streams_[k].reset(km_.seed, replication, km_.shock_key[k], 0);
        queue_.schedule(instances + static_cast<int>(k), km_.shock[k].draw(shock_streams_[k]));
    }

    std::int64_t events = 0;
    // Local copies of the pointers the loop reads, so the compiler can keep them in registers.
    const int* instance_component = km_.instance_component.data();
    const Sampler* failure = km_.instance_failure.data();
    const int* standby_of = km_.standby_of.data();
    const std::uint8_t* repairable = km_.repairable.data();
    const Sampler* repair = km_.repair.data();
    const std::uint8_t* has_ops = km_.has_ops.data();
    const std::uint8_t* node_down = node_down_.data();
    RandomStream* streams = streams_.data();
    double* down_since = down_since_.data();
    std::fill(rep_failures_.begin(), rep_failures_.end(), 0);
    std::fill(rep_downtime_.begin(), rep_downtime_.end(), 0.0);
    std::int64_t* instance_failures = rep_failures_.data();
    const bool maintenance_may_wait = km_.any_maintenance_when_redundant;
    double* instance_downtime = rep_downtime_.data();
    while (!queue_.empty()) {
        const double t = queue_.top_time();
        if (t >= horizon) break;
        if (next_grid_time_ < t) record_grid_until(t);
        const int i = queue_.top_slot();
        if (i >= instances) {  // a common-cause shock, or a spare part arriving
            ++events;
            if (i < km_.order_slot_base) {
                on_shock(i - instances, t);
            } else if (i < km_.switch_slot_base) {
                on_order_arrival(i, t);
            } else if (i < km_.maintenance_slot_base) {
                on_switch_done(i - km_.switch_slot_base, t);
            } else {
                const int owner = i - km_.maintenance_slot_base;
                if (km_.has_maintenance[static_cast<std::size_t>(km_.instance_component[static_cast<std::size_t>(owner)])]) {
                    on_maintenance(owner, t);
                } else {
                    on_inspection(owner, t);
                }
            }
            continue;
        }
        const auto iu = static_cast<std::size_t>(i);
        const auto c = static_cast<std::size_t>(instance_component[iu]);
        ++events;
        if (!node_down[iu]) {
            // Failure. The common path is written out here, with the loop's local pointers: through
            // fail_instance() (used for common-cause shocks) it costs about a fifth of the throughput.
            down_since[iu] = t;
            down_position_[iu] = static_cast<int>(down_list_.size());
            down_list_.push_back(i);  // capacity reserved for every instance
            if (t >= warmup) ++instance_failures[iu];
            if (!repairable[c]) {
                queue_.pop_top();
            } else if (!has_ops[c]) {
                queue_.reschedule_top(t + repair[c].draw(streams[iu]));  // unlimited crews, no delays
            } else if (km_.has_detect[c]) {
                phase_[iu] = kDetecting;
                queue_.reschedule_top(detection_time(i, c, t, streams[iu]));
            } else if (km_.has_logistics[c]) {
                phase_[iu] = kLogistics;
                queue_.reschedule_top(t + km_.logistics[c].draw(streams[iu]));
            } else {
                request_spare(i, t, true);
            }
            if (propagate_flip(i, true)) {
                on_system_down(t);
            } else if (system_down_ && outage_in_window_ && component_mark_[c] != outage_id_) {
                component_mark_[c] = outage_id_;
                ++acc.component_outages[c];
            }
            if (standby_of[iu] >= 0) standby_member_failed(i, t);
        } else if (has_ops[c] && phase_[iu] == kInspecting) {
            end_inspection(i, t);
        } else if (has_ops[c] && phase_[iu] != kRepairing) {
            advance_phase(i, t);  // detection or logistics done: on to the crews
        } else {
            // Repair complete: as good as new, with a fresh failure clock. (bring_up() written out with the
            // loop's local pointers, like the failure above.)
            instance_downtime[iu] += window_overlap(down_since[iu], t);
            const int pos = down_position_[iu];
            const int last = down_list_.back();
            down_list_[static_cast<std::size_t>(pos)] = last;
            down_position_[static_cast<std::size_t>(last)] = pos;
            down_list_.pop_back();
            down_position_[iu] = -1;
            if (__builtin_expect(has_ops[c] && in_maintenance_[iu], 0)) {
                end_maintenance(i, t);  // a planned outage ends: its own path, out of the loop
            } else {
                queue_.reschedule_top(t + failure[iu].draw(streams[iu]));
                if (has_ops[c]) {
                    phase_[iu] = kUp;
                    if (km_.pool[c] >= 0) release_crew(km_.pool[c], t);
                }
                if (propagate_flip(i, false)) on_system_up(t);
            }
            if (standby_of[iu] >= 0) standby_member_repaired(i, t);
            if (__builtin_expect(maintenance_may_wait && !pending_maintenance_.empty(), 0)) retry_maintenance(t, i);
        }
    }

    // Close the books at the horizon: pending grid points, open outage, instances still down.
    while (next_grid_ < km_.grid_points) {
        if (!system_down_) ++acc.grid_up[static_cast<std::size_t>(next_grid_)];
        ++next_grid_;
    }
    for (std::size_t p = 0; p < busy_.size(); ++p) account_busy(static_cast<int>(p), horizon);
    if (system_down_) {
        add_system_downtime(system_down_since_, horizon);
        add_cell_downtime(system_down_since_, horizon);
        if (outage_in_window_) {
            out_.outage_open = true;
            out_.open_outage_h = horizon - system_down_since_;
        }
        if (outage_planned_) close_planned_outage(horizon);
    }
    for (std::size_t k = 0; k < cell_down_.size(); ++k) {
        acc.cell_down[k] += cell_down_[k];
        acc.cell_down_sq[k] += cell_down_[k] * cell_down_[k];
    }
    for (int i : down_list_) rep_downtime_[static_cast<std::size_t>(i)] += window_overlap(down_since_[static_cast<std::size_t>(i)], horizon);
    // This replication's per-instance totals into the block, and each component's total and square
    // (for confidence intervals on per-component figures).
    for (const Component& comp : km_.model->components) {
        std::int64_t failures = 0;
        double downtime = 0;
        for (int k = 0; k < comp.count; ++k) {
            const auto i = static_cast<std::size_t>(comp.first_instance + k);
            acc.instance_failures[i] += rep_failures_[i];
            acc.instance_downtime_h[i] += rep_downtime_[i];
            failures += rep_failures_[i];
            downtime += rep_downtime_[i];
        }
        const auto c = static_cast<std::size_t>(&comp - km_.model->components.data());
        acc.component_failures_sq[c] += static_cast<double>(failures) * static_cast<double>(failures);
        acc.component_downtime_sq[c] += downtime * downtime;
    }
    if (!out_.failed) out_.first_failure_h = horizon;
    out_.unavailability /= (horizon - warmup);
    out_.planned_downtime /= (horizon - warmup);
    out_.events = events;
    acc.year_downtime_h.insert(acc.year_downtime_h.end(), year_downtime_.begin(), year_downtime_.end());
    acc.outage_durations_h.insert(acc.outage_durations_h.end(), outages_.begin(), outages_.end());
    return out_;
}

}  // namespace nines::sim
