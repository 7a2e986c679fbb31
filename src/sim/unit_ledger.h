// The units out of service and each unit's record in a replication: the list of units down (for the
// components down during a system outage), when each went down, its failures and its downtime inside
// the window.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/window.h"

namespace nines::sim {

class UnitLedger {
public:
    UnitLedger(int units, Window window);
    void reset();

    void count_failure(int i, double t) {
        if (window_.contains(t)) ++unit_[static_cast<std::size_t>(i)].failures;
    }
    void went_down(int i, double t) {
        Unit& u = unit_[static_cast<std::size_t>(i)];
        u.down_since = t;
        u.position = static_cast<int>(down_.size());
        down_.push_back(i);  // capacity reserved for every unit
    }
    void came_up(int i, double t) {
        Unit& u = unit_[static_cast<std::size_t>(i)];
        u.downtime += window_.overlap(u.down_since, t);
        const int pos = u.position;
        const int last = down_.back();
        down_[static_cast<std::size_t>(pos)] = last;
        unit_[static_cast<std::size_t>(last)].position = pos;
        down_.pop_back();
        u.position = -1;
    }
    // At the horizon: the downtime of the units still down.
    void close(double horizon);
    // Unit i's record is about to be needed (the next event is its): start fetching it.
    void prefetch(int i) const { __builtin_prefetch(&unit_[static_cast<std::size_t>(i)], 1); }

    const std::vector<int>& down() const { return down_; }
    bool is_down(int i) const { return unit_[static_cast<std::size_t>(i)].position >= 0; }
    double down_since(int i) const { return unit_[static_cast<std::size_t>(i)].down_since; }
    std::int64_t failures(int i) const { return unit_[static_cast<std::size_t>(i)].failures; }
    double downtime(int i) const { return unit_[static_cast<std::size_t>(i)].downtime; }

private:
    // One unit's record, 32 bytes: a failure or a return touches one cache line of the ledger, not
    // four (at 10^6 units separate arrays missed the cache once each per event).
    struct alignas(32) Unit {
        double down_since = 0;
        double downtime = 0;           // inside the window
        std::int64_t failures = 0;     // inside the window
        int position = -1;             // its index in down_, -1 when up
    };
    Window window_;
    std::vector<int> down_;            // units out of service, in no particular order
    std::vector<Unit> unit_;
};

}  // namespace nines::sim
