#include "sim/simulation.h"

#include <algorithm>
#include <cmath>

namespace nines::sim {

Simulation::Simulation(const KernelModel& km)
    : km_(km),
      units_count_(km.graph.instance_count),
      prefetch_(km.graph.instance_count >= kPrefetchUnits),
      window_{km.warmup_h, km.horizon_h},
      structure_(km.graph),
      planned_(km.graph, km.has_planned_outages),
      units_(km.graph.instance_count, window_),
      outages_(km),
      slo_(*km.model, km.warmup_h, km.horizon_h),
      served_(km, std::any_of(km.model->slos.begin(), km.model->slos.end(),
                              [](const SloObjective& o) { return o.capacity_weighted; })),
      has_served_(served_.enabled()),
      load_(km),
      has_load_(load_.enabled()),
      shop_(km),
      standby_(km, agenda_, stopped_clock_),
      failover_(km, agenda_, window_),
      has_failover_(km.has_failover),
      service_(km) {
    agenda_.reserve(km.slot_count);
    streams_.resize(static_cast<std::size_t>(km.graph.instance_count));
    shock_streams_.resize(km.shock.size());
    stopped_clock_.assign(static_cast<std::size_t>(km.graph.instance_count), 0.0);
    change_streams_.resize(km.change_targets.size());
    changes_.resize(km.change_targets.size());
    hold_.assign(static_cast<std::size_t>(km.graph.instance_count), 0);
    has_changes_ = !km.change_targets.empty();
}

ReplicationOutcome Simulation::run(std::uint64_t replication, BlockAccumulator& acc) {
    structure_.reset();
    planned_.reset();
    units_.reset();
    outages_.reset(acc);
    served_.reset();
    shop_.reset(acc, km_.seed, replication);
    agenda_.clear();
    const int units = km_.graph.instance_count;
    for (int i = 0; i < units; ++i) {
        RandomStream& rng = streams_[static_cast<std::size_t>(i)];
        const auto c = static_cast<std::size_t>(component(i));
        rng.reset(km_.seed, replication, km_.stream_key[c], static_cast<std::uint32_t>(i - km_.component_first[c]));
        agenda_.schedule(i, km_.instance_failure[static_cast<std::size_t>(i)].draw(rng), EventKind::Failure);
    }
    if (!km_.demand.empty()) {
        apply_demand(0, 0.0);  // all units up and the peak demand within reach: no outage at t = 0
        if (km_.demand_slot >= 0) {
            demand_period_ = 0;
            demand_next_ = 0;
            if (km_.demand.change_hours().front() == 0) ++demand_next_;  // hour 0 is applied
            schedule_demand_change();
        }
    }
    if (!standby_.empty()) standby_.begin(0.0);
    if (km_.has_failover) {
        failover_.begin(replication);
        if (failover_.has_dormancy()) failover_.rest(0.0, structure_, stopped_clock_);
    }
    service_.begin(agenda_);
    for (std::size_t k = 0; k < km_.shock.size(); ++k) {
        shock_streams_[k].reset(km_.seed, replication, km_.shock_key[k], 0);
        agenda_.schedule(units + static_cast<int>(k), km_.shock[k].draw(shock_streams_[k]), EventKind::Shock);
    }

    std::fill(hold_.begin(), hold_.end(), 0);
    for (std::size_t k = 0; k < changes_.size(); ++k) {
        changes_[k] = ChangeInProgress{};
        change_streams_[k].reset(km_.seed, replication, km_.change_key[k], 0);
        const double every = km_.change_every[k];
        agenda_.schedule(change_slot(static_cast<int>(k), 0), every > 0 ? every : km_.change_interval[k].draw(change_streams_[k]),
                         EventKind::ChangeDue);
    }

    if (has_load_) {
        load_.reset();
        load_.after_event(0.0, structure_, agenda_);
    }

    // The event loop: the earliest event, dispatched on its kind.
    std::int64_t events = 0;
    const double horizon = km_.horizon_h;
    while (!agenda_.empty()) {
        const double t = agenda_.top_time();
        if (t >= horizon) break;
        outages_.record_grid_until(t);
        if (has_served_) served_.advance_to(t, structure_);
        const int slot = agenda_.top_slot();
        ++events;
        // Failures, the commonest kind, are tested before the switch: one compare, which predicts better
        // than the switch's jump table (model M: 2 to 3 % of the loop's time).
        const EventKind kind = agenda_.top_kind();
        if (kind == EventKind::Failure) {
            on_failure(slot, t);
            if (__builtin_expect(has_load_, 0)) load_.after_event(t, structure_, agenda_);
            continue;
        }
        switch (kind) {
            case EventKind::Failure: break;  // handled above
            case EventKind::RepairEnd: on_repair_end(slot, t); break;
            case EventKind::DetectionEnd: on_detection_end(slot, t); break;
            case EventKind::LogisticsEnd: on_logistics_end(slot, t); break;
            case EventKind::MaintenanceEnd: on_maintenance_end(slot, t); break;
            case EventKind::InspectionEnd: on_inspection_end(slot, t); break;
            case EventKind::Shock: on_shock(slot - units, t); break;
            case EventKind::SpareArrival: on_spare_arrival(slot, t); break;
            case EventKind::SwitchDone: on_switch_done(slot - km_.switch_slot_base, t); break;
            case EventKind::MaintenanceDue: on_maintenance_due(slot - km_.maintenance_slot_base, t); break;
            case EventKind::InspectionStart: on_inspection_start(slot - km_.maintenance_slot_base, t); break;
            case EventKind::DemandChange: on_demand_change(t); break;
            case EventKind::FailoverStep: on_failover_step(slot - km_.failover_slot_base, t); break;
            case EventKind::ChangeDue: on_change_due((slot - km_.change_slot_base) / 3, t); break;
            case EventKind::ChangeReach: on_change_reach((slot - km_.change_slot_base) / 3, t); break;
            case EventKind::ChangeRestartEnd: on_change_restart_end((slot - km_.change_slot_base) / 3, t); break;
            case EventKind::ChangeDetected: on_change_detected((slot - km_.change_slot_base) / 3, t); break;
            case EventKind::ChangeRollbackEnd: on_change_rollback_end((slot - km_.change_slot_base) / 3, t); break;
        }
        if (__builtin_expect(has_load_, 0)) load_.after_event(t, structure_, agenda_);
    }

    // Close the books at the horizon: crews, units still down, each component's totals and squares
    // (for confidence intervals on per-component figures), then the outages.
    shop_.close(horizon);
    units_.close(horizon);
    for (int c = 0; c < km_.component_count; ++c) {
        std::int64_t failures = 0;
        double downtime = 0;
        const int first = km_.component_first[static_cast<std::size_t>(c)];
        for (int i = first; i < first + km_.component_units[static_cast<std::size_t>(c)]; ++i) {
            acc.instance_failures[static_cast<std::size_t>(i)] += units_.failures(i);
            acc.instance_downtime_h[static_cast<std::size_t>(i)] += units_.downtime(i);
            failures += units_.failures(i);
            downtime += units_.downtime(i);
        }
        acc.component_failures_sq[static_cast<std::size_t>(c)] += static_cast<double>(failures) * static_cast<double>(failures);
        acc.component_downtime_sq[static_cast<std::size_t>(c)] += downtime * downtime;
    }
    ReplicationOutcome outcome = outages_.close(events);
    if (km_.has_failover) {
        failover_.ledger().close(horizon);
        outcome.failover_downtime = failover_.ledger().downtime_h() / (horizon - window_.from);
        outcome.failover_outages = failover_.ledger().outages();
    }
    if (has_served_) {
        served_.advance_to(horizon, structure_);
        served_.close(acc);
    }
    if (slo_.enabled()) {
        if (has_served_) {
            slo_.close(outages_.down_intervals(), acc, static_cast<std::int64_t>(replication), &served_.unserved_intervals(),
                       &served_.unserved_shares());
        } else {
            slo_.close(outages_.down_intervals(), acc, static_cast<std::int64_t>(replication));
        }
    }
    return outcome;
}

// ---- Failures and returns ------------------------------------------------------------------------

[[gnu::always_inline]] inline void Simulation::fail_unit(int i, double t, bool on_top) {
    const KernelModel::UnitRoute& route = km_.unit_route[static_cast<std::size_t>(i)];
    const int c = route.component;
    const auto cu = static_cast<std::size_t>(c);
    units_.count_failure(i, t);
    RandomStream& rng = streams_[static_cast<std::size_t>(i)];
    auto next = [&](double at, EventKind kind) {
        if (on_top) {
            agenda_.reschedule_top(at, kind);
            prefetch_top();
        } else {
            agenda_.schedule(i, at, kind);
        }
    };
    if (!(route.flags & KernelModel::kRouteRepairable)) {
        if (on_top) agenda_.pop_top();
    } else if (!(route.flags & KernelModel::kRouteHasOps)) {
        next(t + km_.repair[cu].draw(rng), EventKind::RepairEnd);  // unlimited crews, no delays: repair starts now
    } else if (km_.has_detect[cu]) {
        next(detection_time(i, c, t), EventKind::DetectionEnd);
    } else if (km_.has_logistics[cu]) {
        next(t + km_.logistics[cu].draw(rng), EventKind::LogisticsEnd);
    } else {
        request_spare(i, t, on_top);
    }
    take_down(i, t, route.cause);
}

[[gnu::always_inline]] inline void Simulation::take_down(int i, double t, int cause) {
    units_.went_down(i, t);
    if (__builtin_expect(has_changes_, 0) && hold_[static_cast<std::size_t>(i)] > 0) return;  // out of service already
    last_cause_ = cause;
    outages_.unit_went_down(component(i), t);
    if (structure_.flip(i, true)) system_went_down(t);
    if (__builtin_expect(has_failover_, 0)) failover_review(t);
}

[[gnu::always_inline]] inline void Simulation::bring_up(int i, double t) {
    units_.came_up(i, t);
    if (__builtin_expect(has_changes_, 0) && hold_[static_cast<std::size_t>(i)] > 0) return;  // still held by a change
    outages_.unit_came_up(component(i), t);
    if (structure_.flip(i, false)) system_went_up(t);
    if (__builtin_expect(has_failover_, 0)) failover_review(t);
}

void Simulation::system_went_down(double t) {
    outages_.went_down(t, km_.has_planned_outages && planned_.root_down(), units_, last_cause_);
    if (km_.has_failover) failover_.ledger().system(t, true);
}

void Simulation::system_went_up(double t) {
    outages_.went_up(t);
    if (km_.has_failover) failover_.ledger().system(t, false);
}

// ---- Failover groups ----------------------------------------------------------------------------------

// The structure changed at t: the failover groups react, and their gates follow. A reaction can change
// the structure again (a failed start sends an instance to repair; a gate inside another group's
// member): the nested call only asks this one to look again, until nothing changes.
void Simulation::failover_review(double t) {
    if (reviewing_) {
        review_again_ = true;
        return;
    }
    reviewing_ = true;
    do {
        review_again_ = false;
        failover_.review(t, structure_, [&](int unit) {
            agenda_.cancel(unit);  // a failed start: the unit goes to repair
            fail_unit(unit, t, false);
        });
        failover_gates(t);
    } while (review_again_);
    if (failover_.has_dormancy()) failover_.rest(t, structure_, stopped_clock_);
    reviewing_ = false;
}

void Simulation::failover_gates(double t) {
    for (int g = 0; g < failover_.groups(); ++g) {
        const bool down = failover_.gate_down(g, structure_);
        const int node = failover_.node(g);
        if (structure_.is_down(node) == down) continue;
        review_again_ = true;  // the gate may be inside another group's member
        // The group names the cause of its gate going down: failover while it changes the carrying
        // member, else the cause of the event that set it off (kept for the events that follow).
        const int cause = last_cause_;
        if (down) last_cause_ = failover_.gate_cause(g, structure_, cause);
        if (structure_.set_gate(node, down)) {
            if (down) {
                system_went_down(t);
            } else {
                system_went_up(t);
            }
        }
        last_cause_ = cause;
    }
}

// A group's timer fired: its step may change the structure (a failed start), so the groups then review.
void Simulation::on_failover_step(int g, double t) {
    reviewing_ = true;
    failover_.step(g, t, structure_, [&](int unit) {
        agenda_.cancel(unit);
        fail_unit(unit, t, false);
    });
    reviewing_ = false;
    failover_review(t);
}

[[gnu::always_inline]] inline void Simulation::back_in_service(int i, double t) {
    if ((km_.unit_route[static_cast<std::size_t>(i)].flags & KernelModel::kRouteStandby) && standby_.member_repaired(i, t)) {
        standby_gate(km_.standby_of[static_cast<std::size_t>(i)], t);
    }
    if (__builtin_expect(service_.any_waiting(), 0)) review_waiting_maintenance(t, i);
}

[[gnu::always_inline]] inline void Simulation::on_failure(int i, double t) {
    fail_unit(i, t, true);
    if (km_.unit_route[static_cast<std::size_t>(i)].flags & KernelModel::kRouteStandby) standby_failed(i, t);
}

// A repair is done: the unit is as good as new, with a fresh failure clock.
[[gnu::always_inline]] inline void Simulation::on_repair_end(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    agenda_.reschedule_top(t + km_.instance_failure[iu].draw(streams_[iu]), EventKind::Failure);
    prefetch_top();
    if (km_.unit_route[iu].flags & KernelModel::kRouteCrewPool) release_crew(km_.pool[static_cast<std::size_t>(component(i))], t);
    bring_up(i, t);
    back_in_service(i, t);
}

double Simulation::detection_time(int i, int c, double t) {
    const auto cu = static_cast<std::size_t>(c);
    const double every = km_.inspect_every[cu];
    if (every > 0) {
        // A hidden failure is found by the first inspection after it (inspections of unit i at
        // offset + j x every, j >= 1), when that inspection ends.
        const double offset = km_.inspect_offset[static_cast<std::size_t>(i)];
        const double j = std::max(1.0, std::floor((t - offset) / every) + 1.0);
        return offset + j * every + km_.inspection_duration[cu];
    }
    return t + km_.detect[cu].draw(streams_[static_cast<std::size_t>(i)]);
}

void Simulation::on_detection_end(int i, double t) {
    const auto c = static_cast<std::size_t>(component(i));
    if (km_.has_logistics[c]) {
        agenda_.reschedule_top(t + km_.logistics[c].draw(streams_[static_cast<std::size_t>(i)]), EventKind::LogisticsEnd);
        return;
    }
    request_spare(i, t, true);
}

void Simulation::on_logistics_end(int i, double t) { request_spare(i, t, true); }

// A repair that needs a part takes one, or waits for one; either way a replacement is ordered.
void Simulation::request_spare(int i, double t, bool on_top) {
    const int c = component(i);
    const int pool = km_.spare_pool[static_cast<std::size_t>(c)];
    if (pool < 0) {
        request_repair(i, t, on_top);
        return;
    }
    const int slot = shop_.order_slot(pool);
    if (shop_.take_part(pool)) {
        agenda_.schedule(slot, t + shop_.lead_time(pool), EventKind::SpareArrival);
        request_repair(i, t, on_top);
        return;
    }
    shop_.wait_for_part(pool, i, c, t);  // stock-out: the first part to arrive is for this unit
    if (on_top) agenda_.pop_top();
    agenda_.schedule(slot, t + shop_.lead_time(pool), EventKind::SpareArrival);
}

void Simulation::on_spare_arrival(int slot, double t) {
    agenda_.pop_top();
    const int next = shop_.part_arrived(slot, t);
    if (next >= 0) request_repair(next, t, false);
}

// The work (repair or maintenance) takes a crew, or waits for one by priority then arrival.
void Simulation::request_repair(int i, double t, bool on_top) {
    const auto c = static_cast<std::size_t>(component(i));
    const int pool = km_.pool[c];
    if (pool >= 0 && !shop_.take_crew(pool, t)) {
        shop_.wait_for_crew(pool, km_.priority[c], i, t);
        if (on_top) agenda_.pop_top();
        return;
    }
    shop_.count_repair(static_cast<int>(c), t, 0.0);
    const double end = t + work_duration(i);
    if (on_top) {
        agenda_.reschedule_top(end, work_end(i));
    } else {
        agenda_.schedule(i, end, work_end(i));
    }
}

// A crew of `pool` is free at t: it takes the next waiting work, if any.
void Simulation::release_crew(int pool, double t) {
    double waited = 0;
    const int next = shop_.release_crew(pool, t, &waited);
    if (next < 0) return;
    shop_.count_repair(component(next), t, waited);
    agenda_.schedule(next, t + work_duration(next), work_end(next));
}

double Simulation::work_duration(int i) {
    const auto c = static_cast<std::size_t>(component(i));
    if (service_.in_maintenance(i)) return km_.maintenance_duration[c];
    return km_.repair[c].draw(streams_[static_cast<std::size_t>(i)]);
}

// ---- Common causes ----------------------------------------------------------------------------------

void Simulation::on_shock(int k, double t) {
    // Next shock first: the member failures below change the agenda's top.
    const auto ku = static_cast<std::size_t>(k);
    agenda_.reschedule_top(t + km_.shock[ku].draw(shock_streams_[ku]), EventKind::Shock);
    for (int i : km_.shock_members[ku]) {  // in unit order
        const bool standby_member = km_.standby_of[static_cast<std::size_t>(i)] >= 0;
        if (structure_.is_down(i) || (standby_member && standby_.is_out(i))) continue;
        agenda_.cancel(i);  // its own failure clock: replaced by this failure
        fail_unit(i, t, false);
        if (standby_member) standby_failed(i, t);
    }
}

// ---- Standby groups ---------------------------------------------------------------------------------

void Simulation::standby_failed(int i, double t) {
    const int g = standby_.member_failed(i);
    standby_demand(g, t);
    standby_gate(g, t);
}

void Simulation::standby_demand(int g, double t) {
    standby_.demand(g, t, structure_, streams_.data(), [&](int unit) {
        agenda_.cancel(unit);  // a failed start: the unit goes to repair
        fail_unit(unit, t, false);
    });
}

// The group's gate in the structure: down while fewer than k members carry load.
void Simulation::standby_gate(int g, double t) {
    const bool down = standby_.short_of_active(g);
    const int node = standby_.node(g);
    if (structure_.is_down(node) == down) return;
    if (structure_.set_gate(node, down)) {
        if (down) {
            system_went_down(t);
        } else {
            system_went_up(t);
        }
    }
    if (km_.has_failover) failover_review(t);
}

void Simulation::on_switch_done(int i, double t) {
    agenda_.pop_top();
    const int g = standby_.switch_done(i);
    if (standby_.start_failed(i)) {
        // A failed start has cost its switch time: the unit goes to repair and the next one is tried.
        agenda_.cancel(i);
        fail_unit(i, t, false);
        standby_demand(g, t);
    }
    standby_gate(g, t);
    if (service_.any_waiting()) review_waiting_maintenance(t, -1);
}

// ---- Planned work: maintenance and inspections ------------------------------------------------------

// Preventive maintenance of unit i falls due at t: a working unit goes down (planned, not a failure)
// for the maintenance and comes back through on_maintenance_end; a failed one is renewed by its repair
// anyway, so the maintenance is skipped. With only_when_redundant, a maintenance that would bring the
// system down (or falls while it is down) waits, and starts at the first instant it would not (checked
// whenever a unit comes back into service); the schedule keeps its own pace meanwhile, and dues that
// fall while one is waiting merge into it.
void Simulation::on_maintenance_due(int i, double t) {
    const int c = component(i);
    agenda_.reschedule_top(service_.next_maintenance(c, t), EventKind::MaintenanceDue);
    if (structure_.is_down(i) || service_.waiting(i)) return;
    if (km_.maintenance_when_redundant[static_cast<std::size_t>(c)] && would_bring_system_down(i)) {
        service_.wait(i);
        return;
    }
    start_maintenance(i, t);
}

void Simulation::start_maintenance(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(component(i));
    // The failure clock: renewed (the unit comes back as new), or stopped and resumed after (renews: false).
    if (!km_.maintenance_renews[c]) stopped_clock_[iu] = agenda_.time_of(i) - t;
    agenda_.cancel(i);
    service_.set_in_maintenance(i, true);
    if (km_.maintenance_uses_crew[c] && km_.pool[c] >= 0) {
        request_repair(i, t, false);
    } else {
        agenda_.schedule(i, t + km_.maintenance_duration[c], EventKind::MaintenanceEnd);
    }
    planned_.flip(i, true);
    take_down(i, t, km_.planned_cause);
}

// A maintenance is done: the unit comes back renewed, with a fresh failure clock, or (renews: false)
// with its stopped clock resumed; its crew, if it took one, is freed.
void Simulation::on_maintenance_end(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    const auto c = static_cast<std::size_t>(component(i));
    agenda_.reschedule_top(t + (km_.maintenance_renews[c] ? km_.instance_failure[iu].draw(streams_[iu]) : stopped_clock_[iu]),
                           EventKind::Failure);
    service_.set_in_maintenance(i, false);
    if (km_.pool[c] >= 0 && km_.maintenance_uses_crew[c]) release_crew(km_.pool[c], t);
    bring_up(i, t);
    end_planned(i, t);
    back_in_service(i, t);
}

// Would taking working unit i out of service leave the system down?
bool Simulation::would_bring_system_down(int i) { return outages_.system_down() || structure_.would_bring_down(i); }

// A unit (`repaired`, or -1 when it is not back from a repair) came back into service at t: start the
// waiting maintenances that no longer bring the system down. A unit that failed while its maintenance
// waited is renewed by its repair: its maintenance is dropped (here when down, or just repaired).
void Simulation::review_waiting_maintenance(double t, int repaired) {
    using Verdict = ServiceSchedule::Verdict;
    service_.review(
        [&](int i) {
            if (structure_.is_down(i) || i == repaired) return Verdict::Drop;
            return would_bring_system_down(i) ? Verdict::Keep : Verdict::Start;
        },
        [&](int i) { start_maintenance(i, t); });
}

// An inspection that takes time starts at t: a working unit is out of service for its duration (its
// failure clock stops meanwhile: an inspection does not wear it); a failed one is already waiting for
// this inspection (its detection ends with it).
void Simulation::on_inspection_start(int i, double t) {
    const int c = component(i);
    agenda_.reschedule_top(service_.next_inspection(c, t), EventKind::InspectionStart);
    if (structure_.is_down(i)) return;
    stopped_clock_[static_cast<std::size_t>(i)] = agenda_.time_of(i) - t;
    agenda_.cancel(i);
    agenda_.schedule(i, t + km_.inspection_duration[static_cast<std::size_t>(c)], EventKind::InspectionEnd);
    planned_.flip(i, true);
    take_down(i, t, km_.planned_cause);
}

void Simulation::on_inspection_end(int i, double t) {
    agenda_.reschedule_top(t + stopped_clock_[static_cast<std::size_t>(i)], EventKind::Failure);  // the clock resumes
    bring_up(i, t);
    end_planned(i, t);
    if (service_.any_waiting()) review_waiting_maintenance(t, -1);
}

// A planned outage of unit i ends at t (after the structure has it back up): an outage that only the
// planned work explained is, from now on, a system failure.
void Simulation::end_planned(int i, double t) {
    planned_.flip(i, false);
    if (!planned_.root_down()) outages_.planned_cover_ended(t);
}

// ---- Demand profiles ------------------------------------------------------------------------------

void Simulation::schedule_demand_change() {
    const std::vector<int>& hours = km_.demand.change_hours();
    if (demand_next_ >= hours.size()) {
        demand_next_ = 0;
        ++demand_period_;
    }
    const double at = static_cast<double>(demand_period_) * km_.demand.period_h() + hours[demand_next_];
    agenda_.schedule(km_.demand_slot, at, EventKind::DemandChange);
}

void Simulation::on_demand_change(double t) {
    agenda_.pop_top();
    apply_demand(km_.demand.change_hours()[demand_next_], t);
    ++demand_next_;
    schedule_demand_change();
}

void Simulation::apply_demand(int hour, double t) {
    const std::vector<int>& nodes = km_.demand.nodes();
    const bool was_down = structure_.root_down();
    for (std::size_t j = 0; j < nodes.size(); ++j) {
        const int threshold = km_.demand.threshold(hour, j);
        structure_.set_threshold(nodes[j], threshold);
        if (km_.has_planned_outages) planned_.set_threshold(nodes[j], threshold);
    }
    // Judged once after every gate has its new threshold: several profiles stepping at the same hour
    // are one change of the system's state.
    if (structure_.root_down() != was_down) {
        if (structure_.root_down()) {
            system_went_down(t);
        } else {
            system_went_up(t);
        }
    }
    if (__builtin_expect(has_failover_, 0)) failover_review(t);  // a member's capacity block may have changed state
}

// ---- Changes ------------------------------------------------------------------------------------------

// A change of stream s falls due: the next one is scheduled; this one starts unless the stream's previous
// change is still in progress (then it is dropped: folded into the next). Whether it is bad, and when
// that would be noticed, is drawn at its start.
void Simulation::on_change_due(int s, double t) {
    const auto su = static_cast<std::size_t>(s);
    RandomStream& rng = change_streams_[su];
    const double every = km_.change_every[su];
    agenda_.reschedule_top(t + (every > 0 ? every : km_.change_interval[su].draw(rng)), EventKind::ChangeDue);
    ChangeInProgress& c = changes_[su];
    if (c.active) return;
    c = ChangeInProgress{};
    c.active = true;
    c.bad = rng.uniform_open() < km_.change_bad[su];
    if (c.bad) agenda_.schedule(change_slot(s, 2), t + km_.change_detect[su].draw(rng), EventKind::ChangeDetected);
    change_reach(s, t);
}

// The change reaches its next step's targets (all of them at once, or the next one of a rolling
// roll-out): they restart (out of service for the restart time), and a bad change keeps them out.
void Simulation::change_reach(int s, double t) {
    const auto su = static_cast<std::size_t>(s);
    ChangeInProgress& c = changes_[su];
    const std::vector<int>& targets = km_.change_targets[su];
    const int n = static_cast<int>(targets.size());
    c.step_first = c.reached;
    c.reached = km_.change_rolling[su] ? c.reached + 1 : n;
    const bool restart = km_.change_has_restart[su] != 0;
    if (c.bad || restart) {
        for (int j = c.step_first; j < c.reached; ++j) hold(targets[static_cast<std::size_t>(j)], t, km_.change_cause_base + s);
    }
    if (restart) {
        agenda_.schedule(change_slot(s, 1), t + km_.change_restart[su].draw(change_streams_[su]), EventKind::ChangeRestartEnd);
    } else {
        change_step_done(s, t);
    }
}

void Simulation::on_change_reach(int s, double t) {
    agenda_.pop_top();
    change_reach(s, t);
}

// The step's targets are done restarting: a good change lets them go back into service.
void Simulation::on_change_restart_end(int s, double t) {
    agenda_.pop_top();
    const auto su = static_cast<std::size_t>(s);
    const ChangeInProgress& c = changes_[su];
    if (!c.bad) {
        for (int j = c.step_first; j < c.reached; ++j) release(km_.change_targets[su][static_cast<std::size_t>(j)], t);
    }
    change_step_done(s, t);
}

// A step is done: the roll-out goes on after the pause, or (all reached) a good change is over; a bad
// one is over when its rollback ends.
void Simulation::change_step_done(int s, double t) {
    const auto su = static_cast<std::size_t>(s);
    ChangeInProgress& c = changes_[su];
    if (c.reached < static_cast<int>(km_.change_targets[su].size()) && !c.detected) {
        agenda_.schedule(change_slot(s, 1), t + km_.change_pause[su], EventKind::ChangeReach);
    } else if (!c.bad) {
        c.active = false;
    }
}

// A bad change is noticed: the roll-out stops where it is and the rollback starts.
void Simulation::on_change_detected(int s, double t) {
    const auto su = static_cast<std::size_t>(s);
    changes_[su].detected = true;
    agenda_.cancel(change_slot(s, 1));
    agenda_.reschedule_top(t + km_.change_rollback[su].draw(change_streams_[su]), EventKind::ChangeRollbackEnd);
}

// The rollback is done: everything the bad change reached is back in service.
void Simulation::on_change_rollback_end(int s, double t) {
    agenda_.pop_top();
    const auto su = static_cast<std::size_t>(s);
    ChangeInProgress& c = changes_[su];
    for (int j = 0; j < c.reached; ++j) release(km_.change_targets[su][static_cast<std::size_t>(j)], t);
    c.active = false;
}

// A change takes unit i out of service (a unit already down for its own reasons stays down as it is).
void Simulation::hold(int i, double t, int cause) {
    const auto iu = static_cast<std::size_t>(i);
    if (hold_[iu]++ > 0 || units_.is_down(i)) return;
    last_cause_ = cause;
    outages_.unit_went_down(component(i), t);
    if (structure_.flip(i, true)) system_went_down(t);
    if (__builtin_expect(has_failover_, 0)) failover_review(t);
}

void Simulation::release(int i, double t) {
    const auto iu = static_cast<std::size_t>(i);
    if (--hold_[iu] > 0 || units_.is_down(i)) return;
    outages_.unit_came_up(component(i), t);
    if (structure_.flip(i, false)) system_went_up(t);
    if (__builtin_expect(has_failover_, 0)) failover_review(t);
}

}  // namespace nines::sim
