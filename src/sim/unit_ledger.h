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
        if (window_.contains(t)) ++failures_[static_cast<std::size_t>(i)];
    }
    void went_down(int i, double t) {
        const auto iu = static_cast<std::size_t>(i);
        down_since_[iu] = t;
        position_[iu] = static_cast<int>(down_.size());
        down_.push_back(i);  // capacity reserved for every unit
    }
    void came_up(int i, double t) {
        const auto iu = static_cast<std::size_t>(i);
        downtime_[iu] += window_.overlap(down_since_[iu], t);
        const int pos = position_[iu];
        const int last = down_.back();
        down_[static_cast<std::size_t>(pos)] = last;
        position_[static_cast<std::size_t>(last)] = pos;
        down_.pop_back();
        position_[iu] = -1;
    }
    // At the horizon: the downtime of the units still down.
    void close(double horizon);

    const std::vector<int>& down() const { return down_; }
    bool is_down(int i) const { return position_[static_cast<std::size_t>(i)] >= 0; }
    double down_since(int i) const { return down_since_[static_cast<std::size_t>(i)]; }
    std::int64_t failures(int i) const { return failures_[static_cast<std::size_t>(i)]; }
    double downtime(int i) const { return downtime_[static_cast<std::size_t>(i)]; }

private:
    Window window_;
    std::vector<int> down_;            // units out of service, in no particular order
    std::vector<int> position_;        // per unit: its index in down_, -1 when up
    std::vector<double> down_since_;   // per unit
    std::vector<std::int64_t> failures_;  // per unit: failures inside the window
    std::vector<double> downtime_;     // per unit: downtime inside the window
};

}  // namespace nines::sim
