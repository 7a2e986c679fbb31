// Unit tests of the kernel's parts (src/sim): each part on its own, against hand-computed values.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "sim/agenda.h"
#include "sim/kernel_model.h"
#include "sim/outage_ledger.h"
#include "sim/repair_shop.h"
#include "sim/service_schedule.h"
#include "sim/standby_groups.h"
#include "sim/structure_state.h"
#include "sim/unit_ledger.h"

using namespace nines;
using sim::EventKind;

namespace {
struct Compiled {
    Model model;
    sim::KernelModel km;
    explicit Compiled(const std::string& yaml) : model(io::read_scenario_text(yaml, "parts.yaml")), km(model, model.simulation) {}
};
sim::BlockAccumulator accumulator(const sim::KernelModel& km) {
    sim::BlockAccumulator acc;
    acc.reset(km.graph.instance_count, km.component_count, km.grid_points, km.grid_cells, static_cast<int>(km.pool_crews.size()), km.cause_count + sim::kCauseKinds);
    return acc;
}
}  // namespace

TEST_CASE("Agenda: each pending event keeps the kind it was scheduled with", "[kernel-parts]") {
    sim::Agenda agenda;
    agenda.reserve(4);
    agenda.schedule(0, 5.0, EventKind::Failure);
    agenda.schedule(1, 2.0, EventKind::SpareArrival);
    agenda.schedule(2, 9.0, EventKind::MaintenanceDue);
    REQUIRE(agenda.top_slot() == 1);
    REQUIRE(agenda.top_kind() == EventKind::SpareArrival);
    agenda.reschedule_top(7.0, EventKind::RepairEnd);  // slot 1 now holds a repair end at 7
    REQUIRE(agenda.top_slot() == 0);
    REQUIRE(agenda.top_kind() == EventKind::Failure);
    agenda.move(2, 1.0);  // moved in time, same kind
    REQUIRE(agenda.top_slot() == 2);
    REQUIRE(agenda.top_kind() == EventKind::MaintenanceDue);
    agenda.pop_top();
    agenda.pop_top();
    REQUIRE(agenda.top_slot() == 1);
    REQUIRE(agenda.top_time() == 7.0);
    REQUIRE(agenda.top_kind() == EventKind::RepairEnd);
}

TEST_CASE("StructureState: 2-of-3 in series with a unit, flips, what-if and forced gates", "[kernel-parts]") {
    const Compiled c(
        "components:\n  a: { count: 3, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "  b: { failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "system: { series: [ { k_of_n: { k: 2, of: a } }, b ] }\n");
    sim::StructureState s(c.km.graph);
    s.reset();
    REQUIRE_FALSE(s.root_down());
    REQUIRE_FALSE(s.flip(0, true));        // one a down: 2 of 3 still up
    REQUIRE(s.would_bring_down(1));        // a second a would bring the system down ...
    REQUIRE_FALSE(s.is_down(1));           // ... and the what-if leaves no trace
    REQUIRE_FALSE(s.root_down());
    REQUIRE(s.flip(2, true));              // second a down: the root goes down
    REQUIRE(s.root_down());
    REQUIRE_FALSE(s.flip(3, true));        // b too: already down, no change at the root
    REQUIRE_FALSE(s.flip(0, false));       // a back, b still down
    REQUIRE(s.flip(3, false));             // b back: up
    REQUIRE_FALSE(s.root_down());
    const int root = c.km.graph.root;
    REQUIRE(s.set_gate(root, true));       // a forced gate (as a standby group's) takes the root down
    REQUIRE(s.root_down());
    REQUIRE(s.set_gate(root, false));
    REQUIRE_FALSE(s.root_down());
    sim::StructureState unused(c.km.graph, false);
    REQUIRE(unused.node_down().empty());
}

TEST_CASE("UnitLedger: failures and downtime inside the window, the down list", "[kernel-parts]") {
    sim::UnitLedger u(3, sim::Window{10.0, 100.0});
    u.reset();
    u.count_failure(0, 5.0);   // before the warmup: not counted
    u.went_down(0, 5.0);
    u.count_failure(1, 20.0);
    u.went_down(1, 20.0);
    u.count_failure(2, 30.0);
    u.went_down(2, 30.0);
    REQUIRE(u.down() == std::vector<int>{0, 1, 2});
    u.came_up(0, 15.0);        // down 5..15: 5 h inside the window
    REQUIRE(u.down() == std::vector<int>{2, 1});
    u.came_up(2, 40.5);        // 10.5 h
    u.close(100.0);            // unit 1 still down: 20..100, 80 h
    REQUIRE(u.failures(0) == 0);
    REQUIRE(u.failures(1) == 1);
    REQUIRE(u.failures(2) == 1);
    REQUIRE(u.downtime(0) == 5.0);
    REQUIRE(u.downtime(1) == 80.0);
    REQUIRE(u.downtime(2) == 10.5);
    u.reset();
    REQUIRE(u.down().empty());
    REQUIRE(u.failures(1) == 0);
}

TEST_CASE("OutageLedger: downtime, years, grid, causes and the open outage", "[kernel-parts]") {
    // Window [0, 2 y], grid every 1000 h; planned outages possible (a maintained component).
    const Compiled c(
        "components:\n  a: { count: 2, failure: { mttf: 100h }, repair: { mttr: 1h }, maintenance: { every: 1000h, duration: 1h } }\n"
        "system: { parallel: [a] }\nsimulation: { horizon: 2y, grid: 1000h }\n");
    sim::OutageLedger ledger(c.km);
    sim::BlockAccumulator acc = accumulator(c.km);
    ledger.reset(acc);
    // Both units of `a` down (unit 0 first): the units ledger the outage ledger reads its cause from.
    sim::UnitLedger both(2, sim::Window{0, 2 * kHoursPerYear});
    auto units_down = [&](double t) {
        both.reset();
        both.went_down(0, t - 0.5);
        both.went_down(1, t);
    };
    // A failure outage across the first year's end: 8750..8770 h, 10 h in each year.
    ledger.record_grid_until(8750.0);
    units_down(8750.0);
    ledger.went_down(8750.0, false, both, 0);
    ledger.record_grid_until(8770.0);
    ledger.went_up(8770.0);
    // A planned outage 10000..10002 that turns unplanned at 10001 (the planned work ends, still down).
    ledger.record_grid_until(10000.0);
    units_down(10000.0);
    ledger.went_down(10000.0, true, both, 0);
    ledger.record_grid_until(10001.0);
    ledger.planned_cover_ended(10001.0);
    ledger.record_grid_until(10002.0);
    ledger.went_up(10002.0);
    // A planned outage that stays planned: 12000..12004.
    ledger.record_grid_until(12000.0);
    units_down(12000.0);
    ledger.went_down(12000.0, true, both, 0);
    ledger.record_grid_until(12004.0);
    ledger.went_up(12004.0);
    // An outage open at the horizon: from 17000 h.
    ledger.record_grid_until(17000.0);
    units_down(17000.0);
    ledger.went_down(17000.0, false, both, 0);
    const sim::ReplicationOutcome o = ledger.close(42);
    const double horizon = 2 * kHoursPerYear;
    REQUIRE(o.events == 42);
    REQUIRE(o.system_failures == 3);  // the first, the planned one turned unplanned, the open one
    REQUIRE(o.failed);
    REQUIRE(o.first_failure_h == 8750.0);
    REQUIRE(o.outage_count == 3);     // completed outages
    REQUIRE(o.outage_sum_h == 20.0 + 2.0 + 4.0);
    REQUIRE(o.outage_open);
    REQUIRE(o.open_outage_h == horizon - 17000.0);
    REQUIRE(o.planned_outages == 1);
    REQUIRE(o.planned_downtime == Approx(4.0 / horizon).epsilon(1e-15));
    const double down = 20.0 + 2.0 + 4.0 + (horizon - 17000.0);
    REQUIRE(o.unavailability == Approx(down / horizon).epsilon(1e-15));
    // The outage list: three completed outages, then the open one; kinds as they ended; the cause is
    // component a (both units are a's), and a is the only component down.
    REQUIRE(acc.outage_records.size() == 4);
    REQUIRE(acc.outage_causes == std::vector<int>{0, 0, 0, 0});
    REQUIRE(acc.outage_components == std::vector<int>{0, 0, 0, 0});
    CHECK(acc.outage_records[0].start_h == 8750.0);
    CHECK(acc.outage_records[0].end_h == 8770.0);
    CHECK_FALSE(acc.outage_records[1].planned);  // turned unplanned at 10001
    CHECK(acc.outage_records[2].planned);
    CHECK(acc.outage_records[3].open);
    CHECK(acc.outage_records[3].end_h == horizon);
    REQUIRE(acc.year_downtime_h.size() == 2);
    REQUIRE(acc.year_downtime_h[0] == Approx(10.0));
    REQUIRE(acc.year_downtime_h[1] == Approx(10.0 + 2.0 + 4.0 + (horizon - 17000.0)));
    REQUIRE(acc.outage_durations_h == std::vector<double>{20.0, 2.0, 4.0});
    REQUIRE(acc.component_outages[0] == 4);  // component a was down in each outage
    // Grid points 0, 1000, ..., 17000 h (18); a point records the state after the events at its instant:
    // down at 10000, 12000 and 17000 (outages start there), up at the others.
    REQUIRE(acc.grid_up.size() == 18);
    for (std::size_t g = 0; g < acc.grid_up.size(); ++g) {
        INFO("grid point " << g);
        REQUIRE(acc.grid_up[g] == (g == 10 || g == 12 || g == 17 ? 0 : 1));
    }
}

TEST_CASE("RepairShop: crews by priority then arrival, busy crew-hours, spares first come first served", "[kernel-parts]") {
    const Compiled c(
        "components:\n"
        "  a: { count: 2, failure: { mttf: 100h }, repair: { mttr: 1h }, crew: shop, spares: parts }\n"
        "  b: { failure: { mttf: 100h }, repair: { mttr: 1h }, crew: shop, priority: 3 }\n"
        "repair: { pools: { shop: { crews: 1 } } }\n"
        "spares: { parts: { stock: 1, lead_time: { fixed: 24h } } }\n"
        "system: { series: [ { parallel: [a] }, b ] }\nsimulation: { horizon: 1000h }\n");
    sim::RepairShop shop(c.km);
    sim::BlockAccumulator acc = accumulator(c.km);
    shop.reset(acc, 1, 0);
    REQUIRE(shop.take_crew(0, 10.0));        // the one crew, from 10 h
    REQUIRE_FALSE(shop.take_crew(0, 11.0));
    shop.wait_for_crew(0, 0, 0, 11.0);       // unit 0 (priority 0) waits from 11 h
    shop.wait_for_crew(0, 3, 2, 12.0);       // unit 2 (priority 3) waits from 12 h
    double waited = -1;
    REQUIRE(shop.release_crew(0, 20.0, &waited) == 2);  // the higher priority first
    REQUIRE(waited == 8.0);
    REQUIRE(shop.release_crew(0, 30.0, &waited) == 0);
    REQUIRE(waited == 19.0);
    REQUIRE(shop.release_crew(0, 40.0, &waited) == -1);  // none waits: the crew goes idle at 40 h
    shop.close(1000.0);
    REQUIRE(acc.pool_busy_h[0] == 30.0);     // busy 10..40
    // Spares: one on hand; the second demand waits for the first order to arrive.
    const int first = shop.order_slot(0);
    REQUIRE(shop.take_part(0));
    const int second = shop.order_slot(0);
    REQUIRE(second != first);
    REQUIRE_FALSE(shop.take_part(0));
    shop.wait_for_part(0, 1, 0, 100.0);      // unit 1 of component a, stock-out at 100 h
    REQUIRE(shop.lead_time(0) == 24.0);
    REQUIRE(shop.part_arrived(first, 124.0) == 1);  // straight to the waiting unit
    REQUIRE(acc.component_stockouts[0] == 1);
    REQUIRE(acc.component_spare_wait_h[0] == 24.0);
    REQUIRE(shop.part_arrived(second, 130.0) == -1);  // nobody waits: on the shelf
    REQUIRE(shop.take_part(0));
}

TEST_CASE("StandbyGroups: cold units keep their clock, starts, switches and failback", "[kernel-parts]") {
    const Compiled c(
        "components:\n  s: { count: 2, failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "blocks:\n  g: { standby: { active: 1, of: s, mode: cold, start_success: 1, switch_time: 2h } }\n"
        "system: g\n");
    sim::Agenda agenda;
    agenda.reserve(c.km.slot_count);
    std::vector<double> stopped(2, 0.0);
    sim::StandbyGroups groups(c.km, agenda, stopped);
    sim::StructureState structure(c.km.graph);
    structure.reset();
    std::vector<sim::RandomStream> streams(2);
    agenda.schedule(0, 50.0, EventKind::Failure);
    agenda.schedule(1, 80.0, EventKind::Failure);
    groups.begin(0.0);
    REQUIRE_FALSE(agenda.contains(1));  // cold standby: its clock stopped with 80 h left
    REQUIRE(stopped[1] == 80.0);
    REQUIRE_FALSE(groups.short_of_active(0));
    // The primary fails at 50 h: out; the standby unit starts and switches for 2 h.
    agenda.pop_top();
    structure.flip(0, true);
    REQUIRE(groups.member_failed(0) == 0);
    REQUIRE(groups.is_out(0));
    REQUIRE(groups.short_of_active(0));
    int failed_starts = 0;
    groups.demand(0, 50.0, structure, streams.data(), [&](int) { ++failed_starts; });
    REQUIRE(failed_starts == 0);
    REQUIRE(agenda.time_of(1) == 130.0);  // its clock resumes: 80 h left
    REQUIRE(agenda.kind_of(1) == EventKind::Failure);
    const int switch_slot = c.km.switch_slot_base + 1;
    REQUIRE(agenda.time_of(switch_slot) == 52.0);
    REQUIRE(agenda.kind_of(switch_slot) == EventKind::SwitchDone);
    REQUIRE(groups.short_of_active(0));   // still switching
    REQUIRE(groups.switch_done(1) == 0);
    REQUIRE_FALSE(groups.short_of_active(0));
    // The primary comes back from repair at 60 h: failback, the standby unit stops again.
    agenda.schedule(0, 160.0, EventKind::Failure);
    structure.flip(0, false);
    REQUIRE_FALSE(groups.member_repaired(0, 60.0));
    REQUIRE_FALSE(agenda.contains(1));
    REQUIRE(stopped[1] == 70.0);          // 130 - 60
    REQUIRE(agenda.contains(0));
}

TEST_CASE("ServiceSchedule: staggered first dues and the review of waiting maintenance", "[kernel-parts]") {
    const Compiled c(
        "components:\n  a: { count: 4, failure: { mttf: 100h }, repair: { mttr: 1h }, maintenance: { every: 100h, duration: 1h } }\n"
        "  h: { failure: { mttf: 100h }, repair: { mttr: 1h }, hidden: true, inspect_every: 30h, inspection_duration: 1h }\n"
        "system: { series: [ { k_of_n: { k: 2, of: a } }, h ] }\n");
    sim::ServiceSchedule service(c.km);
    sim::Agenda agenda;
    agenda.reserve(c.km.slot_count);
    service.begin(agenda);
    for (int k = 0; k < 4; ++k) {  // instance k of 4: first due at 100 (1 + k / 4)
        REQUIRE(agenda.time_of(service.slot(k)) == 100.0 * (1.0 + k / 4.0));
        REQUIRE(agenda.kind_of(service.slot(k)) == EventKind::MaintenanceDue);
    }
    REQUIRE(agenda.time_of(service.slot(4)) == 30.0);
    REQUIRE(agenda.kind_of(service.slot(4)) == EventKind::InspectionStart);
    REQUIRE(service.next_maintenance(0, 125.0) == 225.0);
    service.wait(0);
    service.wait(1);
    service.wait(2);
    std::vector<int> started;
    using Verdict = sim::ServiceSchedule::Verdict;
    service.review([](int i) { return i == 0 ? Verdict::Keep : i == 1 ? Verdict::Drop : Verdict::Start; },
                   [&](int i) { started.push_back(i); });
    REQUIRE(started == std::vector<int>{2});
    REQUIRE(service.waiting(0));
    REQUIRE_FALSE(service.waiting(1));
    REQUIRE_FALSE(service.waiting(2));
    REQUIRE(service.any_waiting());
    service.begin(agenda);
    REQUIRE_FALSE(service.any_waiting());
}

TEST_CASE("OutageLedger: a component's share of downtime counts only the time it was down during outages", "[kernel-parts]") {
    // a and b in series, window [0, 1 y]. Outage 1 (100..110 h) is a's; b is down twice inside it for
    // 0.1 h and 0.2 h (a short maintenance overlapping a long outage). Outage 2 (200..200.5 h) is b's alone.
    // Counting outages, b takes part in both and a in one; by downtime a has 10 of the 10.5 h.
    const Compiled c(
        "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 1h } }\n  b: { failure: { mttf: 100h }, repair: { mttr: 1h } }\n"
        "system: { series: [a, b] }\nsimulation: { horizon: 1y }\n");
    sim::OutageLedger ledger(c.km);
    sim::BlockAccumulator acc = accumulator(c.km);
    ledger.reset(acc);
    // The units ledger the outage ledger reads which units are down (and which went down last) from.
    sim::UnitLedger units(2, sim::Window{0, kHoursPerYear});
    units.reset();
    units.went_down(0, 100.0);
    ledger.unit_went_down(0, 100.0);
    ledger.went_down(100.0, false, units, 0);
    ledger.unit_went_down(1, 101.0);
    ledger.unit_came_up(1, 101.1);
    ledger.unit_went_down(1, 105.0);
    ledger.unit_came_up(1, 105.2);
    ledger.unit_came_up(0, 110.0);
    ledger.went_up(110.0);
    units.came_up(0, 110.0);
    units.went_down(1, 200.0);
    ledger.unit_went_down(1, 200.0);
    ledger.went_down(200.0, false, units, 1);
    ledger.unit_came_up(1, 200.5);
    ledger.went_up(200.5);
    units.came_up(1, 200.5);
    // Outage 3 is open at the horizon: a and b both down from 8000 h; both count for all of it.
    units.went_down(0, 8000.0);
    ledger.unit_went_down(0, 8000.0);
    ledger.went_down(8000.0, false, units, 0);
    ledger.unit_went_down(1, 8000.0);
    const sim::ReplicationOutcome o = ledger.close(7);
    const double open = kHoursPerYear - 8000.0;
    REQUIRE(acc.component_outages == std::vector<std::int64_t>{2, 3});
    REQUIRE(acc.component_outage_downtime_h[0] == Approx(10.0 + open).epsilon(1e-12));
    REQUIRE(acc.component_outage_downtime_h[1] == Approx(0.1 + 0.2 + 0.5 + open).epsilon(1e-12));
    REQUIRE(o.unavailability * kHoursPerYear == Approx(10.5 + open).epsilon(1e-12));
}
