#include "model/workload.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

namespace nines {

namespace {

double typical(const Distribution& d) {
    double median = d.mean();
    try {
        median = d.median();
    } catch (const std::exception&) {
        // Boost's inverse gamma may report an overflow for extreme shapes: the mean serves then.
    }
    const double m = std::min(d.mean(), median);
    return std::isfinite(m) && m > 0 ? m : 0.0;
}

std::string format_hours(double h) {
    char buf[64];
    if (h >= 1) {
        std::snprintf(buf, sizeof buf, "%.3g h", h);
    } else {
        std::snprintf(buf, sizeof buf, "%.3g s", h * 3600.0);
    }
    return buf;
}

// horizon / interval events, infinite when the interval is 0 (a law whose typical time underflows).
double per_horizon(double horizon_h, double interval_h) { return interval_h > 0 ? horizon_h / interval_h : INFINITY; }

}  // namespace

EventEstimate estimate_events(const Model& model, double horizon_h) {
    EventEstimate e;
    auto add = [&](double events, const std::string& source, const SourceLocation& where) {
        e.per_replication += events;
        if (events > e.largest || (std::isinf(events) && e.source.empty())) {
            e.largest = events;
            e.source = source;
            e.location = where;
        }
    };
    for (const Component& c : model.components) {
        const double n = c.count;
        const std::string what = "component '" + c.name + "'";
        if (c.repair) {
            double cycle = typical(c.failure) + typical(*c.repair);
            if (c.detect) cycle += typical(*c.detect);
            if (c.logistics) cycle += typical(*c.logistics);
            add(n * 2 * per_horizon(horizon_h, cycle),
                what + " failures and repairs (typical cycle " + format_hours(cycle) + ")", c.location);
        } else {
            add(n, what + " failures", c.location);
        }
        if (c.maintenance_every_h > 0) {
            add(n * 2 * per_horizon(horizon_h, c.maintenance_every_h),
                what + " maintenance (every " + format_hours(c.maintenance_every_h) + ")", c.location);
        }
        if (c.inspect_every_h > 0) {
            add(n * (c.inspection_duration_h > 0 ? 2 : 1) * per_horizon(horizon_h, c.inspect_every_h),
                what + " inspections (every " + format_hours(c.inspect_every_h) + ")", c.location);
        }
    }
    for (const CommonCause& cc : model.common_causes) {
        if (!cc.shock) continue;  // beta factor: part of the members' own failure rate
        const double interval = typical(*cc.shock);
        add((1.0 + static_cast<double>(cc.members.size())) * per_horizon(horizon_h, interval),
            cc.label + " shocks (typical interval " + format_hours(interval) + ")", cc.location);
    }
    return e;
}

void check_event_budget(const Model& model, double horizon_h) {
    const EventEstimate e = estimate_events(model, horizon_h);
    if (!(e.per_replication > kMaxEventsPerReplication)) return;
    char buf[160];
    if (std::isinf(e.per_replication)) {
        std::snprintf(buf, sizeof buf, "events without end (a typical interval that rounds to 0 h; at most %.0e per replication)",
                      kMaxEventsPerReplication);
    } else {
        std::snprintf(buf, sizeof buf, "about %.2g events per replication over a horizon of %.4g h (at most %.0e)",
                      e.per_replication, horizon_h, kMaxEventsPerReplication);
    }
    throw InputError(e.location, std::string("the simulation would need ") + buf + ", mostly from " + e.source +
                                     "; lengthen that interval or shorten the horizon");
}

}  // namespace nines
