// SLO windows: the virtual calendar, the downtime of a window and the rolling breach time against
// independent computations, and the simulated window figures of a single exponential unit against the
// exact occupation-time law of an alternating renewal process.
#include <cmath>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/slo_windows.h"
#include "test_support.h"

using nines::SloObjective;
using nines::SloWindowKind;
using namespace nines::sim;

namespace {

SloObjective objective(SloWindowKind kind, double days, double target) {
    SloObjective o;
    o.kind = kind;
    o.days = days;
    o.target = target;
    return o;
}

// ---- The exact law of the downtime D(L) in a window of length L of a unit with exponential up
// times (rate lam) and exponential repairs (rate mu), independent of the kernel's code.
//
// Measure time on the unit's up-time clock: failures are a Poisson process of rate lam on it, and
// each adds an Exp(mu) repair. The up time in the window reaches tau = L - x by the window's end iff
// tau + (the repairs of the failures before up time tau) <= L, so starting up
//   P(D(L) <= x) = sum_n Poisson(n; lam (L - x)) P(Gamma(n, mu) <= x),
// and starting down (a residual Exp(mu) repair first) Gamma(n + 1, mu) in place of Gamma(n, mu).
double erlang_cdf(int n, double mu, double x) {
    if (n == 0) return 1.0;
    double sum = 0, term = std::exp(-mu * x);
    for (int k = 0; k < n; ++k) {
        sum += term;
        term *= mu * x / (k + 1);
    }
    return 1.0 - sum;
}

double downtime_at_most(double lam, double mu, double length, double x, bool start_up) {
    const double m = lam * (length - x);
    double total = 0, pk = std::exp(-m);
    for (int n = 0; n < 400; ++n) {
        total += pk * erlang_cdf(n + (start_up ? 0 : 1), mu, x);
        pk *= m / (n + 1);
    }
    return total;
}

// P(up at t) from all-up at 0.
double up_at(double lam, double mu, double t) {
    const double pi_up = mu / (lam + mu);
    return pi_up + (1 - pi_up) * std::exp(-(lam + mu) * t);
}

// P(the downtime of [a, a + length] exceeds x), the unit all-up at time 0.
double breach_probability(double lam, double mu, double a, double length, double x) {
    const double p = up_at(lam, mu, a);
    return 1.0 - (p * downtime_at_most(lam, mu, length, x, true) + (1 - p) * downtime_at_most(lam, mu, length, x, false));
}

// Brute force: downtime of [a, b] by summing overlaps.
double overlap_sum(const std::vector<std::pair<double, double>>& down, double a, double b) {
    double s = 0;
    for (const auto& [s0, s1] : down) s += std::max(0.0, std::min(b, s1) - std::max(a, s0));
    return s;
}

}  // namespace

TEST_CASE("SLO calendar: months and quarters have their real lengths, from 1 January at time 0", "[slo]") {
    const std::vector<int> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    CHECK(calendar_month_days() == days);
    const SloWindowPlan months = plan_slo_windows(objective(SloWindowKind::Month, 0, 0.999), 0, 2 * 8760);
    REQUIRE(months.start.size() == 24);
    double t = 0;
    for (std::size_t i = 0; i < 24; ++i) {
        INFO("month " << i);
        CHECK(months.start[i] == Approx(t));
        CHECK(months.end[i] - months.start[i] == Approx(days[i % 12] * 24.0));
        CHECK(months.budget_h[i] == Approx(0.001 * days[i % 12] * 24.0));
        CHECK(months.year[i] == static_cast<int>(i / 12));
        t = months.end[i];
    }
    CHECK(t == Approx(2 * 8760.0));  // 365-day years: the calendar repeats
    CHECK(months.years == 2);
    // A 30.4-day month (8760 / 12) would put February's end at 1460 h, not 1416 h.
    CHECK(months.end[1] == Approx(59 * 24.0));
    const SloWindowPlan quarters = plan_slo_windows(objective(SloWindowKind::Quarter, 0, 0.999), 0, 8760);
    REQUIRE(quarters.start.size() == 4);
    const double qdays[] = {90, 91, 92, 92};
    for (std::size_t i = 0; i < 4; ++i) CHECK(quarters.end[i] - quarters.start[i] == Approx(qdays[i] * 24.0));
    // Only windows wholly inside [warmup, horizon]: a 10-day warm-up drops January; a horizon ending on
    // 15 March drops March; no whole calendar year then.
    const SloWindowPlan partial = plan_slo_windows(objective(SloWindowKind::Month, 0, 0.999), 240, (31 + 28 + 15) * 24.0);
    REQUIRE(partial.start.size() == 1);
    CHECK(partial.start[0] == Approx(31 * 24.0));
    CHECK(partial.years == 0);
    CHECK(partial.year[0] == -1);
    // Fixed 30-day windows tile from time 0 (12 in a year, the 13th would end on day 390).
    const SloWindowPlan fixed = plan_slo_windows(objective(SloWindowKind::Fixed, 30, 0.999), 0, 8760);
    CHECK(fixed.start.size() == 12);
    CHECK(fixed.end.back() == Approx(360 * 24.0));
    // Rolling 30 days: sampled at the end of each day from day 30 to day 365.
    const SloWindowPlan rolling = plan_slo_windows(objective(SloWindowKind::Rolling, 30, 0.999), 0, 8760);
    CHECK(rolling.rolling);
    CHECK(rolling.start.size() == 365 - 30 + 1);
    CHECK(rolling.end.front() == Approx(720.0));
    CHECK(rolling.end.back() == Approx(8760.0));
}

TEST_CASE("SLO windows: downtime index and rolling breach time against brute force", "[slo]") {
    std::mt19937_64 gen(7);
    std::exponential_distribution<double> up(1.0 / 200), downd(1.0 / 6);
    int wrong_checked = 0;
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<std::pair<double, double>> down;
        for (double t = up(gen); t < 4000; t += up(gen)) {
            const double e = std::min(4000.0, t + downd(gen));
            down.emplace_back(t, e);
            t = e;
        }
        DowntimeIndex index;
        index.assign(down);
        for (double a : {0.0, 13.5, 500.0, 1999.0}) {
            for (double len : {24.0, 300.0, 1500.0}) {
                CHECK(index.between(a, a + len) == Approx(overlap_sum(down, a, a + len)).margin(1e-9));
            }
        }
        // Time in [720, 4000] with more than 8 h down in the trailing 720 h, against a fine grid (the
        // midpoints of 0.01 h steps: an error of at most ~0.01 h per crossing).
        const double length = 720, budget = 8, from = 720, to = 4000;
        const double exact = rolling_breach_time(down, from, to, length, budget);
        double grid = 0, leading = 0;
        const double step = 0.01;
        for (double t = from + step / 2; t < to; t += step) {
            grid += overlap_sum(down, t - length, t) > budget ? step : 0.0;
            leading += overlap_sum(down, t, t + length) > budget ? step : 0.0;  // wrong: the window ahead
        }
        const double crossings = 2.0 * static_cast<double>(down.size()) + 2;
        INFO("trial " << trial << ": sweep " << exact << " h, grid " << grid << " h, leading window " << leading << " h");
        CHECK(std::fabs(exact - grid) <= step * crossings);
        if (std::fabs(leading - grid) > 2 * step * crossings) {
            ++wrong_checked;
            CHECK(std::fabs(exact - leading) > step * crossings);
        }
    }
    CHECK(wrong_checked >= 10);  // the wrong window was told apart in most trials, not vacuously
}

TEST_CASE("SLO windows part: one replication's window downtimes, yearly worst and rolling breach", "[slo][kernel-parts]") {
    // Two years with a 10-day warm-up: January of year 0 is dropped, year 0 is not whole (no worst
    // window), year 1 is. Outages: 2 h on 3 February (month 1), 30 h across the 31 March / 1 April
    // boundary, 5 h on 10 July of year 1.
    nines::Model model;
    SloObjective month = objective(SloWindowKind::Month, 0, 0.999);
    month.window = "month";
    SloObjective rolling = objective(SloWindowKind::Rolling, 30, 0.999);
    rolling.window = "rolling 30d";
    model.slos = {month, rolling};
    const double mar31 = (31 + 28 + 30) * 24.0, jul10 = 8760 + (31 + 28 + 31 + 30 + 31 + 30 + 9) * 24.0;
    const std::vector<std::pair<double, double>> down = {{33 * 24.0, 33 * 24.0 + 2}, {mar31 + 10, mar31 + 40}, {jul10, jul10 + 5}};
    SloWindows part(model, 240, 2 * 8760);
    BlockAccumulator acc;
    acc.reset(0, 0, 0, 0, 0, 0);
    part.close(down, acc, 0);
    REQUIRE(acc.slo_window_downtime_h.size() == 2);
    const std::vector<double>& m = acc.slo_window_downtime_h[0];
    REQUIRE(m.size() == 23);  // February of year 0 to December of year 1
    CHECK(m[0] == Approx(2));      // February
    CHECK(m[1] == Approx(14));     // March: 31 March 10:00 to 24:00
    CHECK(m[2] == Approx(16));     // April: the rest of the 30 h
    CHECK(m[6 + 11] == Approx(5)); // July of year 1
    double total = 0;
    for (double d : m) total += d;
    CHECK(total == Approx(37));
    // What the run keeps when it lets the values go: every window in the log histogram, and per
    // replication the mean downtime and the windows over budget (0.1 % of a month, about 0.72 h:
    // February, March, April and July of year 1).
    CHECK(acc.slo_window_hist[0].pooled().count() == 23);
    CHECK(acc.slo_window_hist[0].pooled().zeros() == 19);
    REQUIRE(acc.slo_rep_mean_down[0].size() == 1);
    CHECK(acc.slo_rep_mean_down[0][0] == Approx(37.0 / 23));
    CHECK(acc.slo_rep_hits[0][0] == 4);
    CHECK(acc.slo_rep_mean_worst[0][0] == Approx(5));
    REQUIRE(acc.slo_year_worst_h[0].size() == 1);  // only year 1 is whole
    CHECK(acc.slo_year_worst_h[0][0] == Approx(5));
    // Rolling: the worst 30 days of year 1 hold the 5 h outage; the time in breach (over 0.72 h in the
    // trailing 720 h) from the independent sweep on the same list.
    REQUIRE(acc.slo_year_worst_h[1].size() == 1);
    CHECK(acc.slo_year_worst_h[1][0] == Approx(5));
    REQUIRE(acc.slo_rolling_breach[1].size() == 1);
    const double from = 240 + 720, to = 2 * 8760;
    CHECK(acc.slo_rolling_breach[1][0] == Approx(rolling_breach_time(down, from, to, 720, 0.72) / (to - from)));
    // By hand: each outage longer than 0.72 h keeps the trailing window over budget from 0.72 h into it
    // until 720 h after the point where less than 0.72 h of it remains in the window; the first one is
    // already in the window when the measurement starts (960 h) and leaves it at 794 - 0.72 + 720 h.
    const double by_hand = (794 - 0.72 + 720 - from) + (720 + 30 - 2 * 0.72) + (720 + 5 - 2 * 0.72);
    CHECK(acc.slo_rolling_breach[1][0] * (to - from) == Approx(by_hand));
}

TEST_CASE("SLO windows of one exponential unit: the exact occupation-time law", "[slo][statistical]") {
    // MTTF 500 h, MTTR 8 h, target 99 %: a month's budget (7.44 h for 31 days) is near one repair, so
    // P(breach) depends on the whole law of the downtime, not just on whether the unit failed.
    const double lam = 1.0 / 500, mu = 1.0 / 8;
    const std::string text =
        "components:\n  db: { failure: { exponential: { mttf: 500h } }, repair: { exponential: { mttr: 8h } } }\n"
        "system: db\nsimulation: { horizon: 2y, replications: 1500, seed: 11 }\n"
        "slo: { target: 99%, window: [month, rolling 30d] }\n";
    const SimulationResults r = nines::test::run_yaml(text);
    REQUIRE(r.slos.size() == 2);
    const SloResult& month = r.slos[0];
    REQUIRE(month.windows_per_replication == 24);
    // Exact: the mean over the 24 calendar months of P(D > 1 % of the month), all-up at time 0.
    auto monthly = [&](double lam_, double mu_) {
        double t = 0, sum = 0, mean_down = 0;
        const double pi_down = lam_ / (lam_ + mu_), c = lam_ + mu_;
        for (int i = 0; i < 24; ++i) {
            const double len = calendar_month_days()[static_cast<std::size_t>(i % 12)] * 24.0;
            sum += breach_probability(lam_, mu_, t, len, 0.01 * len);
            mean_down += pi_down * (len - (std::exp(-c * t) - std::exp(-c * (t + len))) / c);
            t += len;
        }
        return std::pair{sum / 24, mean_down / 24};
    };
    const auto [p_exact, d_exact] = monthly(lam, mu);
    // Wrong model: repairs of 7 h on average (the breach probability moves by about 3 points).
    const auto [p_wrong, d_wrong] = monthly(lam, 1.0 / 7);
    nines::test::check_agrees(month.breach, p_exact, p_wrong, "P(month breaches 99 %)");
    nines::test::check_agrees(month.downtime_h, d_exact, d_wrong, "mean downtime per month");

    // Rolling 30 days: the fraction of [720 h, 2 y] in breach is the time average of P(D > 7.2 h) for the
    // trailing window, whose law depends on the state at its start (all-up at time 0).
    const SloResult& rolling = r.slos[1];
    REQUIRE(rolling.rolling);
    auto rolling_exact = [&](double lam_, double mu_) {
        const double from = 720, to = 2 * 8760.0, step = 2.0;
        double sum = 0;
        for (double t = from + step / 2; t < to; t += step) sum += breach_probability(lam_, mu_, t - 720, 720, 7.2);
        return sum * step / (to - from);
    };
    nines::test::check_agrees(rolling.breach_time, rolling_exact(lam, mu), rolling_exact(lam, 1.0 / 7),
                              "fraction of time the rolling 30-day SLO is breached");
}

TEST_CASE("SLO windows: the same results for any thread count", "[slo]") {
    const std::string text =
        "components:\n  a: { count: 2, failure: { weibull: { shape: 1.5, scale: 900h } }, repair: { lognormal: { median: 5h, sigma: 1 } } }\n"
        "system: { parallel: [a] }\nsimulation: { horizon: 3y, replications: 300, seed: 4 }\n"
        "slo: { target: 99.99%, window: [quarter, 28d, rolling 7d] }\n";
    const SimulationResults one = nines::test::run_yaml(text, 1);
    const SimulationResults two = nines::test::run_yaml(text, 2);
    REQUIRE(one.slos.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(one.slos[k].downtime_samples_h == two.slos[k].downtime_samples_h);
        CHECK(one.slos[k].breach.mean == two.slos[k].breach.mean);
        CHECK(one.slos[k].worst_h.mean == two.slos[k].worst_h.mean);
        CHECK(one.slos[k].breach_time.mean == two.slos[k].breach_time.mean);
    }
}
