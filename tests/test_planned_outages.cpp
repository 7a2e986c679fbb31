// Planned outages (maintenance, inspections) are not failures: every system outage has a cause, and
// MTTF, R(t), failures per year and MTBF count the unplanned ones only. Also: inspections staggered
// across instances, and the maintenance options renews / only_when_redundant. Exact values throughout.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "test_support.h"

using nines::test::check_agrees;
using nines::test::run_yaml;

namespace {
// Calendar time to the first failure of an exponential unit (mean m) whose failure clock stops for d
// at each planned outage; its up spans are `first`, then `rest`, `rest`, ...:
// E[T] = m + d sum_{j >= 0} P(X > first + j rest) = m + d exp(-first/m) / (1 - exp(-rest/m)).
double mttf_with_pauses(double m, double d, double first, double rest) {
    return m + d * std::exp(-first / m) / (1 - std::exp(-rest / m));
}
}  // namespace

TEST_CASE("maintenance is not a system failure: MTTF and R(t) from the failure law", "[planned-outages][maintenance]") {
    // MTTF 2000 h, maintenance every 500 h for 10 h (due 500 h, 1000 h, ...): up spans 500 h, then 490 h.
    const double m = 2000;
    const std::string text = "components:\n  a: { failure: { mttf: 2000h }, repair: { mttr: 10h }, maintenance: { every: 500h, duration: 10h } }\n"
                             "system: a\nsimulation: { horizon: 60000h, replications: 3000, seed: 61, grid: 1000h }\n";
    const nines::sim::SimulationResults r = run_yaml(text);
    REQUIRE(r.censored == 0);
    const double exact = mttf_with_pauses(m, 10, 500, 490);
    // Wrong: the first maintenance counted as a failure (first failure before 500 h, else at 500 h).
    const double wrong = m * (1 - std::exp(-500 / m));
    check_agrees(r.mttf_h, exact, wrong, "MTTF with maintenance");
    // R(2000 h): 1,970 h of up time by then (500 + 3 x 490).
    const double n = static_cast<double>(r.replications);
    const double rel = std::exp(-1970 / m);
    INFO("R(2000 h) = " << r.reliability[2] << ", exact " << rel);
    REQUIRE(r.grid_t_h[2] == 2000);
    CHECK(std::fabs(r.reliability[2] - rel) < 4 * std::sqrt(rel * (1 - rel) / n));
    CHECK(r.reliability[1] > 0.5);  // the old rule gave R = 0 after the first maintenance
    // Every maintenance is a planned outage; failures per year are the unit's own. Its clock runs a share
    // 1 - q_m - 10 nu of the time (q_m = 10/500 of the time in maintenance, skipped while in repair), so
    // nu = (1 - 0.02 (1 - 10 nu)) / m, nu = 0.98 / (m + 10 - 0.2): first order in the (periodic) phase,
    // hence a 0.5 % allowance on top of 4 SE. Wrong: each maintenance counted as a failure too.
    CHECK(r.planned_outages > 0);
    CHECK(r.unplanned_outages == r.system_outages - r.planned_outages);
    const double nu = 8760 * 0.98 / (m + 10 - 0.2);
    INFO("failures per year " << r.failures_per_year.mean << " +- " << r.failures_per_year.std_error << ", expected " << nu);
    CHECK(std::fabs(r.failures_per_year.mean - nu) < 4 * r.failures_per_year.std_error + 0.005 * nu);
    CHECK(std::fabs(r.failures_per_year.mean - (nu + 8760.0 / 500)) > 4 * r.failures_per_year.std_error + 0.005 * nu);
    // Downtime splits into its causes and adds up.
    CHECK(r.planned_downtime_h_per_year.mean + r.unplanned_downtime_h_per_year.mean ==
          Approx(r.downtime_h_per_year.mean).epsilon(1e-9));
}

TEST_CASE("a 100-year unit with maintenance every 90 days: no failure per maintenance", "[planned-outages][maintenance]") {
    const nines::sim::SimulationResults r = run_yaml(
        "components:\n  a: { failure: { mttf: 100y }, repair: { mttr: 10h }, maintenance: { every: 90d, duration: 4h } }\n"
        "system: a\nsimulation: { horizon: 2y, replications: 1000, seed: 1 }\n");
    // 4 maintenances a year of 4 h each: planned, exactly (a failure cannot fall in a maintenance).
    CHECK(r.planned_outages == 8 * 1000);
    CHECK(r.planned_downtime_h_per_year.mean == Approx(16.0).epsilon(1e-9));
    // Failures per year: about 0.01 (a 100-year unit), not 4.
    check_agrees(r.failures_per_year, 0.01, 4.0, "failures per year of a 100-year unit");
    // R(2 y) from the failure law alone: up 17,520 h less 8 maintenances of 4 h (the clock stops), so
    // R = exp(-17,488 h / 100 y) = 0.980; the old rule gave R = 0 from the first maintenance (90 d) on.
    const double rel = std::exp(-17488.0 / (100 * 8760));
    INFO("R(2 y) = " << r.reliability.back() << ", exact " << rel);
    CHECK(std::fabs(r.reliability.back() - rel) < 4 * std::sqrt(rel * (1 - rel) / 1000));
    CHECK(static_cast<double>(r.censored) / 1000 == Approx(r.reliability.back()).epsilon(1e-12));
}

TEST_CASE("inspections are not failures: a hidden unit's MTTF is its failure law's", "[planned-outages][inspection]") {
    // MTTF 2000 h, hidden, inspected every 720 h for 2 h (the clock stops during an inspection): up spans
    // 720 h, then 718 h. The system fails when the unit fails (a hidden failure is down at once).
    const std::string text = "components:\n  a: { failure: { mttf: 2000h }, repair: { mttr: 10h }, hidden: true, inspect_every: 720h,"
                             " inspection_duration: 2h }\nsystem: a\nsimulation: { horizon: 50000h, replications: 3000, seed: 21 }\n";
    const nines::sim::SimulationResults r = run_yaml(text);
    REQUIRE(r.censored == 0);
    const double exact = mttf_with_pauses(2000, 2, 720, 718);
    check_agrees(r.mttf_h, exact, 2000 * (1 - std::exp(-720.0 / 2000)), "MTTF of a hidden unit with inspections");
    CHECK(r.planned_outages > 0);
}

TEST_CASE("inspections of redundant units are staggered; simultaneous ones on request", "[planned-outages][inspection]") {
    // Units that never fail: every outage comes from inspections. Inspected every 720 h for 1 h over
    // 10,000 h: 13 inspections per unit.
    const std::string units = "components:\n  a: { count: 2, failure: { mttf: 1000000y }, repair: { mttr: 10h }, hidden: true,"
                              " inspect_every: 720h, inspection_duration: 1h";
    const std::string rest = " }\nsystem: { parallel: [a] }\nsimulation: { horizon: 10000h, replications: 5, seed: 22 }\n";
    const nines::sim::SimulationResults staggered = run_yaml(units + rest);
    CHECK(staggered.unavailability.mean == 0);
    CHECK(staggered.system_outages == 0);
    const nines::sim::SimulationResults together = run_yaml(units + ", inspection_schedule: simultaneous" + rest);
    CHECK(together.unavailability.mean == Approx(13.0 / 10000).epsilon(1e-12));
    CHECK(together.planned_outages == 13 * 5);
    CHECK(together.unplanned_outages == 0);
    CHECK(together.failures_per_year.mean == 0);

    // With failures: staggered inspections never overlap, so no outage is planned (an inspection while the
    // other unit is failed unseen is a system failure: the failure contributes).
    const nines::sim::SimulationResults pair = run_yaml(
        "components:\n  a: { count: 2, failure: { mttf: 5000h }, repair: { mttr: 10h }, hidden: true, inspect_every: 720h, inspection_duration: 1h }\n"
        "system: { parallel: [a] }\nsimulation: { horizon: 5y, replications: 500, seed: 22 }\n");
    CHECK(pair.planned_outages == 0);
    CHECK(pair.unplanned_outages > 0);
    const nines::sim::SimulationResults pair_together = run_yaml(
        "components:\n  a: { count: 2, failure: { mttf: 5000h }, repair: { mttr: 10h }, hidden: true, inspect_every: 720h, inspection_duration: 1h,"
        " inspection_schedule: simultaneous }\nsystem: { parallel: [a] }\nsimulation: { horizon: 5y, replications: 500, seed: 22 }\n");
    // Simultaneous: the 60 inspections in 5 y are planned outages when both units are up at the time
    // (each has failed unseen since the last inspection with probability 1 - exp(-720 / 5000) = 13 %),
    // about 60 x 0.87^2 = 45 per replication; the others are system failures.
    const double per_replication = static_cast<double>(pair_together.planned_outages) / 500;
    INFO("planned outages per replication " << per_replication);
    CHECK(per_replication > 40);
    CHECK(per_replication < 50);
}

TEST_CASE("a hidden failure found at a staggered inspection: exact times", "[planned-outages][inspection]") {
    // Staggered: instance 0 is inspected at 100 h + j x 100 h, instance 1 at 50 h + j x 100 h, 1 h each
    // (the failure clock stops meanwhile). Both have a fixed life of 120 h: instance 1 (inspected at 50 h)
    // and instance 0 (at 100 h) both fail at 121 h, unseen. Instance 1's failure is found when its 150 h
    // inspection ends (151 h) and repaired in 10 h (back at 161 h); instance 0's at 201 h (back at 211 h).
    const nines::sim::SimulationResults r = run_yaml(
        "components:\n  a: { count: 2, failure: { fixed: 120h }, repair: { fixed: 10h }, hidden: true, inspect_every: 100h, inspection_duration: 1h }\n"
        "system: { parallel: [a] }\nsimulation: { horizon: 240h, replications: 1, seed: 1 }\n");
    // The pair is down while both are: [121, 161) = 40 h; the first system failure is at 121 h.
    CHECK(r.unavailability.mean * 240 == Approx(40.0).epsilon(1e-9));
    CHECK(r.mttf_h.mean == Approx(121.0).epsilon(1e-12));
    CHECK(r.planned_outages == 0);
    // Simultaneous (both at 100 h + j x 100 h): a planned outage [100, 101), then both fail at 121 h and
    // are found at 201 h, back at 211 h: down 1 + 90 h, and the first failure is still at 121 h.
    const nines::sim::SimulationResults s = run_yaml(
        "components:\n  a: { count: 2, failure: { fixed: 120h }, repair: { fixed: 10h }, hidden: true, inspect_every: 100h, inspection_duration: 1h,"
        " inspection_schedule: simultaneous }\nsystem: { parallel: [a] }\nsimulation: { horizon: 240h, replications: 1, seed: 1 }\n");
    CHECK(s.unavailability.mean * 240 == Approx(91.0).epsilon(1e-9));
    CHECK(s.planned_outages == 1);
    CHECK(s.planned_downtime_h_per_year.mean * 240 / 8760 == Approx(1.0).epsilon(1e-9));
    CHECK(s.mttf_h.mean == Approx(121.0).epsilon(1e-12));
}

TEST_CASE("maintenance renews: false keeps the unit's age", "[planned-outages][maintenance]") {
    // Fixed life 1000 h; maintenance due every 300 h for 10 h. Renewing, the unit never fails. Not
    // renewing, its clock stops during each maintenance: up 300 + 290 + 290 = 880 h by 900 h, then
    // 120 h more: the first failure is at 1030 h, in every replication.
    const std::string unit = "components:\n  a: { failure: { fixed: 1000h }, repair: { fixed: 10h }, maintenance: { every: 300h, duration: 10h";
    const std::string rest = " } }\nsystem: a\nsimulation: { horizon: 1200h, replications: 3, seed: 5 }\n";
    const nines::sim::SimulationResults renewed = run_yaml(unit + rest);
    CHECK(renewed.first_failures == 0);
    CHECK(renewed.components[0].failures_per_year == 0);
    const nines::sim::SimulationResults aged = run_yaml(unit + ", renews: false" + rest);
    CHECK(aged.first_failures == 3);
    CHECK(aged.mttf_h.mean == Approx(1030.0).epsilon(1e-12));
    // Down: maintenances [300, 310), [600, 610), [900, 910), failure [1030, 1040), and at 1200 h the
    // maintenance due 1200 h is at the horizon: 40 h in 1200 h.
    CHECK(aged.unavailability.mean * 1200 == Approx(40.0).epsilon(1e-9));
}

TEST_CASE("maintenance only_when_redundant waits while the redundancy is down", "[planned-outages][maintenance]") {
    // a (never fails) is maintained every 100 h for 5 h; b, in parallel with it, fails after a fixed 255 h
    // and is repaired in a fixed 100 h: down [255, 355), [610, 710), [965, 1065), [1320, 1420), ...
    // Without the option, the maintenances due at 300, 700, 1000 and 1400 h fall while b is down: 5 h
    // outages each (unplanned: b's failure contributes). (Failures at 610 h and 1320 h do not meet a
    // maintenance: those at 600 h and 1300 h end at 605 h and 1305 h.) With it they wait for b (355, 710, 1065, 1420 h):
    // no outage at all, and every maintenance still happens.
    const std::string head = "components:\n  a: { failure: { mttf: 1000000y }, repair: { mttr: 1h }, maintenance: { every: 100h, duration: 5h";
    const std::string tail = " } }\n  b: { failure: { fixed: 255h }, repair: { fixed: 100h } }\n"
                             "system: { parallel: [a, b] }\nsimulation: { horizon: 1500h, replications: 2, seed: 7 }\n";
    const nines::sim::SimulationResults plain = run_yaml(head + tail);
    CHECK(plain.unavailability.mean * 1500 == Approx(20.0).epsilon(1e-9));
    CHECK(plain.system_outages == 4 * 2);
    const nines::sim::SimulationResults waiting = run_yaml(head + ", only_when_redundant: true" + tail);
    CHECK(waiting.unavailability.mean == 0);
    CHECK(waiting.system_outages == 0);
    // 14 maintenances (due 100 h .. 1400 h) of 5 h each, in both runs (a has 2 instances-replications).
    CHECK(plain.components[0].downtime_h_per_year * 1500 / 8760 == Approx(70.0).epsilon(1e-9));
    CHECK(waiting.components[0].downtime_h_per_year * 1500 / 8760 == Approx(70.0).epsilon(1e-9));

    // A unit that fails while its maintenance waits is renewed by its repair: the maintenance is dropped.
    // a (fixed life 120 h, repair 5 h): maintained [100, 105) and [200, 205) (renewed: fails at 325 h);
    // due at 300 h while b is down [255, 355): waits; a fails at 325 h, repaired at 330 h: dropped, so a
    // is down 5 + 5 + 5 h by 399 h (not 20 h with a further maintenance at 355 h); the pair 5 h.
    const nines::sim::SimulationResults dropped = run_yaml(
        "components:\n  a: { failure: { fixed: 120h }, repair: { fixed: 5h }, maintenance: { every: 100h, duration: 5h, only_when_redundant: true } }\n"
        "  b: { failure: { fixed: 255h }, repair: { fixed: 100h } }\nsystem: { parallel: [a, b] }\n"
        "simulation: { horizon: 399h, replications: 1, seed: 9 }\n");
    CHECK(dropped.components[0].downtime_h_per_year * 399 / 8760 == Approx(15.0).epsilon(1e-9));
    CHECK(dropped.unavailability.mean * 399 == Approx(5.0).epsilon(1e-9));

    // A unit without redundancy is never maintained with only_when_redundant.
    const nines::sim::SimulationResults alone = run_yaml(
        "components:\n  a: { failure: { mttf: 1000000y }, repair: { mttr: 1h }, maintenance: { every: 100h, duration: 10h, only_when_redundant: true } }\n"
        "system: a\nsimulation: { horizon: 1000h, replications: 2, seed: 8 }\n");
    CHECK(alone.unavailability.mean == 0);
}
