#include "sim/outage_ledger.h"

#include <algorithm>
#include <cmath>

#include "model/model.h"

namespace nines::sim {

OutageLedger::OutageLedger(const KernelModel& km)
    : unit_component_(km.instance_component.data()),
      window_{km.warmup_h, km.horizon_h},
      full_years_(km.full_years),
      grid_points_(km.grid_points),
      grid_cells_(km.grid_cells),
      grid_step_h_(km.grid_step_h),
      has_planned_outages_(km.has_planned_outages),
      record_intervals_(!km.model->slos.empty()) {
    component_.resize(static_cast<std::size_t>(km.component_count));
    involved_.reserve(static_cast<std::size_t>(km.component_count));
    year_downtime_.assign(static_cast<std::size_t>(km.full_years), 0.0);
    cell_down_.assign(static_cast<std::size_t>(km.grid_cells), 0.0);
    // Entries cause_count + kind hold the totals per kind (filled at close).
    cause_down_.assign(static_cast<std::size_t>(km.cause_count + kCauseKinds), 0.0);
    cause_outages_.assign(static_cast<std::size_t>(km.cause_count + kCauseKinds), 0);
    for (CauseKind k : km.cause_kind) cause_kind_.push_back(km.cause_count + static_cast<int>(k));
    outages_.reserve(1024);
}

void OutageLedger::reset(BlockAccumulator& acc) {
    acc_ = &acc;
    out_ = ReplicationOutcome{};
    down_ = false;
    in_window_ = false;
    planned_ = false;
    outage_id_ = 0;
    for (std::size_t c = 0; c < component_.size(); ++c) {
        component_[c] = Component{};
        component_[c].outage_downtime_h = acc.component_outage_downtime_h[c];
    }
    involved_.clear();
    std::fill(year_downtime_.begin(), year_downtime_.end(), 0.0);
    std::fill(cell_down_.begin(), cell_down_.end(), 0.0);
    std::fill(cause_down_.begin(), cause_down_.end(), 0.0);
    std::fill(cause_outages_.begin(), cause_outages_.end(), 0);
    outages_.clear();
    down_intervals_.clear();
    next_grid_ = 0;
    next_grid_time_ = grid_points_ > 0 ? 0.0 : INFINITY;
}

void OutageLedger::record_grid(double t) {
    // Grid point g is at g * step; it records the state in force at that instant.
    while (next_grid_ < grid_points_ && static_cast<double>(next_grid_) * grid_step_h_ < t) {
        if (!down_) ++acc_->grid_up[static_cast<std::size_t>(next_grid_)];
        ++next_grid_;
    }
    next_grid_time_ = next_grid_ < grid_points_ ? static_cast<double>(next_grid_) * grid_step_h_ : INFINITY;
}

void OutageLedger::went_down(double t, bool planned, const UnitLedger& units, int cause) {
    down_ = true;
    down_since_ = t;
    in_window_ = window_.contains(t);
    planned_ = has_planned_outages_ && planned;
    cause_ = cause;
    if (!planned_) unplanned(t);
    if (in_window_) {
        ++cause_outages_[static_cast<std::size_t>(cause)];
        OutageRecord record;
        record.start_h = t;
        acc_->outage_records.push_back(record);  // components join it below (component_joins_outage)
    }
    ++outage_id_;
    involved_.clear();
    const std::size_t causes_from = acc_->outage_causes.size();
    double last = -INFINITY;
    for (int i : units.down()) last = std::max(last, units.down_since(i));
    for (int i : units.down()) {
        const int component = unit_component_[static_cast<std::size_t>(i)];
        const auto c = static_cast<std::size_t>(component);
        if (in_window_ && units.down_since(i) == last) acc_->outage_causes.push_back(component);
        if (component_[c].mark != outage_id_) component_joins_outage(c, t);
    }
    if (!in_window_) return;
    auto causes = acc_->outage_causes.begin() + static_cast<std::ptrdiff_t>(causes_from);
    std::sort(causes, acc_->outage_causes.end());
    acc_->outage_causes.erase(std::unique(causes, acc_->outage_causes.end()), acc_->outage_causes.end());
    acc_->outage_records.back().cause_count = static_cast<int>(acc_->outage_causes.size() - causes_from);
}

// The outage in the window ends at t (or is still open at the horizon t): its record is complete.
void OutageLedger::close_record(double t, bool open) {
    OutageRecord& record = acc_->outage_records.back();
    record.end_h = t;
    record.open = open;
    record.planned = planned_;
    auto& components = acc_->outage_components;
    std::sort(components.end() - record.component_count, components.end());
}

// Component c is down from t during the current outage (again, or for the first time: then it counts
// in the outage's components when the outage started inside the window).
void OutageLedger::component_joins_outage(std::size_t c, double t) {
    Component& k = component_[c];
    k.down_since = t;
    if (k.mark == outage_id_) return;
    k.mark = outage_id_;
    involved_.push_back(c);
    if (in_window_) {
        ++acc_->component_outages[c];
        acc_->outage_components.push_back(static_cast<int>(c));
        ++acc_->outage_records.back().component_count;
    }
}

// The outage ends at t: the components still down stop counting.
void OutageLedger::close_component_downtime(double t) {
    for (std::size_t c : involved_) {
        if (component_[c].units_down > 0) add_component_downtime(c, t);
    }
    involved_.clear();
}

// The current outage is (from t on) a system failure: it counts in MTTF, R(t), failures per year, MTBF.
void OutageLedger::unplanned(double t) {
    planned_ = false;
    if (!out_.failed) {
        out_.failed = true;
        out_.first_failure_h = t;
    }
    if (in_window_) ++out_.system_failures;
}

void OutageLedger::close_planned(double t) {
    out_.planned_downtime += window_.overlap(down_since_, t);
    if (in_window_) ++out_.planned_outages;
}

void OutageLedger::add_downtime(double from, double to) {
    const double in_window = window_.overlap(from, to);
    if (in_window <= 0) return;
    out_.unavailability += in_window;  // divided by the window length at the end
    cause_down_[static_cast<std::size_t>(cause_)] += in_window;
    if (record_intervals_) down_intervals_.emplace_back(std::max(from, window_.from), std::min(to, window_.to));
    // Whole years of the window: [warmup + k y, warmup + (k + 1) y).
    const double start = (from > window_.from ? from : window_.from) - window_.from;
    const double end = (to < window_.to ? to : window_.to) - window_.from;
    for (int k = static_cast<int>(start / kHoursPerYear); k < full_years_; ++k) {
        const double y0 = k * kHoursPerYear;
        const double y1 = y0 + kHoursPerYear;
        if (y0 >= end) break;
        const double a = start > y0 ? start : y0;
        const double b = end < y1 ? end : y1;
        if (b > a) year_downtime_[static_cast<std::size_t>(k)] += b - a;
    }
}

void OutageLedger::add_cell_downtime(double from, double to) {
    // Spread an outage over the grid cells it overlaps (outages are short: usually one cell).
    const double step = grid_step_h_;
    for (int k = static_cast<int>(from / step); k < grid_cells_; ++k) {
        const double c0 = k * step;
        if (c0 >= to) break;
        const double a = from > c0 ? from : c0;
        const double b = to < c0 + step ? to : c0 + step;
        if (b > a) cell_down_[static_cast<std::size_t>(k)] += b - a;
    }
}

void OutageLedger::went_up(double t) {
    close_component_downtime(t);
    down_ = false;
    if (planned_) close_planned(t);
    add_downtime(down_since_, t);
    add_cell_downtime(down_since_, t);
    if (in_window_) {
        const double duration = t - down_since_;
        out_.outage_sum_h += duration;
        ++out_.outage_count;
        outages_.push_back(duration);  // capacity kept across replications
        close_record(t, false);
    }
}

ReplicationOutcome OutageLedger::close(std::int64_t events) {
    const double horizon = window_.to;
    while (next_grid_ < grid_points_) {
        if (!down_) ++acc_->grid_up[static_cast<std::size_t>(next_grid_)];
        ++next_grid_;
    }
    if (down_) {
        close_component_downtime(horizon);
        add_downtime(down_since_, horizon);
        add_cell_downtime(down_since_, horizon);
        if (in_window_) {
            out_.outage_open = true;
            out_.open_outage_h = horizon - down_since_;
            close_record(horizon, true);
        }
        if (planned_) close_planned(horizon);
    }
    for (std::size_t k = 0; k < cause_kind_.size(); ++k) {
        cause_down_[static_cast<std::size_t>(cause_kind_[k])] += cause_down_[k];
        cause_outages_[static_cast<std::size_t>(cause_kind_[k])] += cause_outages_[k];
    }
    for (std::size_t k = 0; k < cause_down_.size(); ++k) {
        const double n = static_cast<double>(cause_outages_[k]);
        acc_->cause_downtime_h[k] += cause_down_[k];
        acc_->cause_downtime_sq[k] += cause_down_[k] * cause_down_[k];
        acc_->cause_outages[k] += cause_outages_[k];
        acc_->cause_outages_sq[k] += n * n;
    }
    for (std::size_t k = 0; k < cell_down_.size(); ++k) {
        acc_->cell_down[k] += cell_down_[k];
        acc_->cell_down_sq[k] += cell_down_[k] * cell_down_[k];
    }
    for (std::size_t c = 0; c < component_.size(); ++c) acc_->component_outage_downtime_h[c] = component_[c].outage_downtime_h;
    if (!out_.failed) out_.first_failure_h = horizon;
    out_.unavailability /= (horizon - window_.from);
    out_.planned_downtime /= (horizon - window_.from);
    out_.events = events;
    acc_->year_downtime_h.insert(acc_->year_downtime_h.end(), year_downtime_.begin(), year_downtime_.end());
    acc_->outage_durations_h.insert(acc_->outage_durations_h.end(), outages_.begin(), outages_.end());
    return out_;
}

}  // namespace nines::sim
