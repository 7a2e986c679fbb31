#include "sim/slo_windows.h"

#include <algorithm>
#include <cmath>

namespace nines::sim {

namespace {

constexpr double kDay = 24.0;
constexpr double kYear = 8760.0;
// Window bounds are sums of whole hours; a little slack keeps a window ending exactly at the horizon.
constexpr double kSlack = 1e-6;

}  // namespace

const std::vector<int>& calendar_month_days() {
    static const std::vector<int> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days;
}

SloWindowPlan plan_slo_windows(const SloObjective& slo, double warmup_h, double horizon_h) {
    SloWindowPlan plan;
    plan.allowed_fraction = 1.0 - slo.target;
    const int first_year = static_cast<int>(std::ceil(warmup_h / kYear - kSlack));
    const int end_year = static_cast<int>(std::floor(horizon_h / kYear + kSlack));  // exclusive
    plan.years = std::max(0, end_year - first_year);
    auto add = [&](double a, double b) {
        if (a < warmup_h - kSlack || b > horizon_h + kSlack) return;
        plan.start.push_back(a);
        plan.end.push_back(b);
        plan.budget_h.push_back(plan.allowed_fraction * (b - a));
        // The calendar year the window ends in: end in (y, y + 1] years.
        const int y = static_cast<int>(std::ceil(b / kYear - kSlack)) - 1;
        plan.year.push_back(y >= first_year && y < end_year ? y - first_year : -1);
    };
    switch (slo.kind) {
        case SloWindowKind::Month:
        case SloWindowKind::Quarter: {
            std::vector<int> days = calendar_month_days();
            if (slo.kind == SloWindowKind::Quarter) days = {31 + 28 + 31, 30 + 31 + 30, 31 + 31 + 30, 31 + 30 + 31};
            for (int y = static_cast<int>(std::floor(warmup_h / kYear)); y * kYear < horizon_h; ++y) {
                double t = y * kYear;
                for (int d : days) {
                    add(t, t + d * kDay);
                    t += d * kDay;
                }
            }
            break;
        }
        case SloWindowKind::Fixed: {
            const double len = slo.days * kDay;
            for (double j = std::floor(warmup_h / len); j * len < horizon_h; j += 1) add(j * len, (j + 1) * len);
            break;
        }
        case SloWindowKind::Rolling: {
            plan.rolling = true;
            plan.length_h = slo.days * kDay;
            // Sampled every 24 h: t = warmup + L, + 1 d, ... <= horizon.
            for (double t = warmup_h + plan.length_h; t <= horizon_h + kSlack; t += kDay) add(t - plan.length_h, t);
            break;
        }
    }
    return plan;
}

void DowntimeIndex::assign(const std::vector<std::pair<double, double>>& down, const std::vector<double>* weights) {
    down_ = &down;
    weights_ = weights;
    before_.resize(down.size());
    double sum = 0;
    for (std::size_t i = 0; i < down.size(); ++i) {
        before_[i] = sum;
        sum += (down[i].second - down[i].first) * (weights ? (*weights)[i] : 1.0);
    }
}

double DowntimeIndex::up_to(double t) const {
    const auto& d = *down_;
    // The last interval starting before t.
    const auto it = std::upper_bound(d.begin(), d.end(), t, [](double v, const std::pair<double, double>& x) { return v < x.first; });
    if (it == d.begin()) return 0.0;
    const auto i = static_cast<std::size_t>(it - d.begin()) - 1;
    return before_[i] + (std::min(t, d[i].second) - d[i].first) * (weights_ ? (*weights_)[i] : 1.0);
}

double rolling_breach_time(const std::vector<std::pair<double, double>>& down, double from, double to, double length_h,
                           double budget_h, const std::vector<double>* weights) {
    if (to <= from) return 0.0;
    DowntimeIndex index;
    index.assign(down, weights);
    std::vector<double> points = {from, to};
    for (const auto& [a, b] : down) {
        for (double p : {a, b, a + length_h, b + length_h}) {
            if (p > from && p < to) points.push_back(p);
        }
    }
    std::sort(points.begin(), points.end());
    auto trailing = [&](double t) { return index.between(t - length_h, t); };
    double breached = 0;
    double t0 = points[0];
    double d0 = trailing(t0);
    for (std::size_t k = 1; k < points.size(); ++k) {
        const double t1 = points[k];
        if (t1 <= t0) continue;
        const double d1 = trailing(t1);
        // Linear between breakpoints: the part of [t0, t1] where it is above the budget.
        if (d0 > budget_h && d1 > budget_h) {
            breached += t1 - t0;
        } else if (d0 > budget_h || d1 > budget_h) {
            const double cross = t0 + (budget_h - d0) / (d1 - d0) * (t1 - t0);
            breached += d0 > budget_h ? cross - t0 : t1 - cross;
        }
        t0 = t1;
        d0 = d1;
    }
    return breached;
}

SloWindows::SloWindows(const Model& model, double warmup_h, double horizon_h) : warmup_h_(warmup_h), horizon_h_(horizon_h) {
    for (const SloObjective& slo : model.slos) {
        plans_.push_back(plan_slo_windows(slo, warmup_h, horizon_h));
        capacity_weighted_.push_back(slo.capacity_weighted);
    }
}

void SloWindows::close(const std::vector<std::pair<double, double>>& down, BlockAccumulator& acc, std::int64_t replication,
                       const std::vector<std::pair<double, double>>* unserved, const std::vector<double>* unserved_share) {
    acc.slo_window_downtime_h.resize(plans_.size());
    acc.slo_year_worst_h.resize(plans_.size());
    acc.slo_rolling_breach.resize(plans_.size());
    acc.slo_window_hist.resize(plans_.size());
    acc.slo_worst_hist.resize(plans_.size());
    acc.slo_rep_mean_down.resize(plans_.size());
    acc.slo_rep_mean_burn.resize(plans_.size());
    acc.slo_rep_hits.resize(plans_.size());
    acc.slo_rep_mean_worst.resize(plans_.size());
    for (std::size_t k = 0; k < plans_.size(); ++k) {
        const SloWindowPlan& plan = plans_[k];
        // A capacity-weighted SLO counts each piece of outage by the share of the demand not served.
        const bool weighted = capacity_weighted_[k] && unserved != nullptr;
        const std::vector<std::pair<double, double>>& intervals = weighted ? *unserved : down;
        const std::vector<double>* weights = weighted ? unserved_share : nullptr;
        index_.assign(intervals, weights);
        worst_.assign(static_cast<std::size_t>(plan.years), 0.0);
        std::vector<double>& out = acc.slo_window_downtime_h[k];
        BatchedLogHistogram& hist = acc.slo_window_hist[k];
        // The replication's figures for the intervals, summed in window order (as from the values).
        const double windows = static_cast<double>(plan.start.size());
        double mean_down = 0, mean_burn = 0;
        std::int64_t hits = 0;
        for (std::size_t w = 0; w < plan.start.size(); ++w) {
            const double d = index_.between(plan.start[w], plan.end[w]);
            if (!acc.slo_values_dropped) out.push_back(d);
            hist.add(d, replication);
            mean_down += d / windows;
            mean_burn += d / plan.budget_h[w] / windows;
            hits += d > plan.budget_h[w] ? 1 : 0;
            if (plan.year[w] >= 0) {
                double& worst = worst_[static_cast<std::size_t>(plan.year[w])];
                worst = std::max(worst, d);
            }
        }
        if (!plan.start.empty()) {
            acc.slo_rep_mean_down[k].push_back(mean_down);
            acc.slo_rep_mean_burn[k].push_back(mean_burn);
            acc.slo_rep_hits[k].push_back(hits);
        }
        if (!acc.slo_values_dropped) acc.slo_year_worst_h[k].insert(acc.slo_year_worst_h[k].end(), worst_.begin(), worst_.end());
        if (plan.years > 0) {
            double mean_worst = 0;
            for (double v : worst_) {
                acc.slo_worst_hist[k].add(v, replication);
                mean_worst += v / static_cast<double>(plan.years);
            }
            acc.slo_rep_mean_worst[k].push_back(mean_worst);
        }
        if (plan.rolling) {
            const double from = warmup_h_ + plan.length_h;
            const double span = horizon_h_ - from;
            const double t =
                rolling_breach_time(intervals, from, horizon_h_, plan.length_h, plan.allowed_fraction * plan.length_h, weights);
            acc.slo_rolling_breach[k].push_back(span > 0 ? t / span : 0.0);
        }
    }
}

std::vector<SloResult> summarise_slos(const Model& model, double warmup_h, double horizon_h, const BlockAccumulator& merged,
                                      std::int64_t replications) {
    std::vector<SloResult> out;
    const auto n = static_cast<std::size_t>(replications);
    for (std::size_t k = 0; k < model.slos.size(); ++k) {
        const SloObjective& slo = model.slos[k];
        const SloWindowPlan plan = plan_slo_windows(slo, warmup_h, horizon_h);
        SloResult r;
        r.window = slo.window;
        r.target = slo.target;
        r.rolling = plan.rolling;
        r.capacity_weighted = slo.capacity_weighted;
        const std::size_t w = plan.start.size();
        r.windows_per_replication = static_cast<std::int64_t>(w);
        r.years_per_replication = plan.years;
        if (w > 0) {
            double length = 0;
            for (std::size_t i = 0; i < w; ++i) length += plan.end[i] - plan.start[i];
            r.mean_window_h = length / static_cast<double>(w);
            r.budget_h = plan.allowed_fraction * r.mean_window_h;
        }
        if (n == 0 || w == 0 || k >= merged.slo_rep_mean_down.size()) {
            out.push_back(std::move(r));
            continue;
        }
        // Windows of one replication are correlated (an outage spans two windows, a rolling window
        // overlaps the next 29): the replication is the unit of every interval. The per-replication
        // figures come from SloWindows::close; the percentiles from the values while the run keeps them,
        // from the log histograms beyond SimulationSettings::exact_slo_values (README "Percentiles from
        // log histograms").
        const bool exact = !merged.slo_values_dropped;
        std::vector<std::int64_t> items(n, static_cast<std::int64_t>(w));
        r.downtime_h = positive_mean_estimate(merged.slo_rep_mean_down[k]);
        if (exact) {
            const std::vector<double>& d = merged.slo_window_downtime_h[k];
            r.downtime_samples_h = d;
            std::vector<std::int64_t> cluster(d.size());
            for (std::size_t i = 0; i < d.size(); ++i) cluster[i] = static_cast<std::int64_t>(i / w);
            r.downtime_percentiles = clustered_percentiles(d, cluster, replications, {0.50, 0.95, 0.99});
        } else {
            r.downtime_percentiles = histogram_percentiles(merged.slo_window_hist[k], replications, {0.50, 0.95, 0.99});
        }
        r.breach = clustered_proportion_estimate(merged.slo_rep_hits[k], items);
        r.burn = positive_mean_estimate(merged.slo_rep_mean_burn[k]);
        if (plan.years > 0) {
            r.worst_h = positive_mean_estimate(merged.slo_rep_mean_worst[k]);
            if (exact) {
                const std::vector<double>& worst = merged.slo_year_worst_h[k];
                const auto y = static_cast<std::size_t>(plan.years);
                std::vector<std::int64_t> year_cluster(worst.size());
                for (std::size_t i = 0; i < worst.size(); ++i) year_cluster[i] = static_cast<std::int64_t>(i / y);
                r.worst_percentiles = clustered_percentiles(worst, year_cluster, replications, {0.50, 0.95, 0.99});
            } else {
                r.worst_percentiles = histogram_percentiles(merged.slo_worst_hist[k], replications, {0.50, 0.95, 0.99});
            }
        }
        if (plan.rolling) r.breach_time = mean_estimate(merged.slo_rolling_breach[k]);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace nines::sim
