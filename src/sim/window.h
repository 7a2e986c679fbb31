// The measurement window [warmup, horizon] of a replication.
#pragma once

namespace nines::sim {

struct Window {
    double from = 0;  // warmup
    double to = 0;    // horizon
    bool contains(double t) const { return t >= from; }
    // The length of [a, b] inside the window.
    double overlap(double a, double b) const {
        const double lo = a > from ? a : from;
        const double hi = b < to ? b : to;
        return hi > lo ? hi - lo : 0.0;
    }
};

}  // namespace nines::sim
