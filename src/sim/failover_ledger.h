// What failovers cost the system in one replication: the system's downtime while at least one failover
// group is changing the member that carries its load (detecting, switching, failing back), and how many
// such changes took the system down. A change is counted once, at the first instant during it at which
// the system is down, when that instant lies in the window.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/window.h"

namespace nines::sim {

class FailoverLedger {
public:
    FailoverLedger(Window window, int groups) : window_(window) {
        active_.assign(static_cast<std::size_t>(groups), 0);
        counted_.assign(static_cast<std::size_t>(groups), 0);
    }
    void reset() {
        std::fill(active_.begin(), active_.end(), std::uint8_t{0});
        std::fill(counted_.begin(), counted_.end(), std::uint8_t{0});
        changing_ = 0;
        down_ = false;
        since_ = 0;
        downtime_ = 0;
        outages_ = 0;
    }
    // Group g starts / ends a change of its carrying member at t.
    void begin(int g, double t) {
        const auto gu = static_cast<std::size_t>(g);
        if (active_[gu]) return;
        accumulate(t);
        active_[gu] = 1;
        counted_[gu] = 0;
        ++changing_;
        if (down_) count(gu, t);
    }
    void end(int g, double t) {
        const auto gu = static_cast<std::size_t>(g);
        if (!active_[gu]) return;
        accumulate(t);
        active_[gu] = 0;
        --changing_;
    }
    // The system went down (or up) at t.
    void system(double t, bool down) {
        accumulate(t);
        down_ = down;
        if (!down || changing_ == 0) return;
        for (std::size_t g = 0; g < active_.size(); ++g) {
            if (active_[g] && !counted_[g]) count(g, t);
        }
    }
    // At the horizon: the downtime fraction of the window and the count.
    void close(double horizon) { accumulate(horizon); }
    double downtime_h() const { return downtime_; }
    std::int64_t outages() const { return outages_; }

private:
    void accumulate(double t) {
        if (changing_ > 0 && down_) downtime_ += window_.overlap(since_, t);
        since_ = t;
    }
    void count(std::size_t g, double t) {
        counted_[g] = 1;
        if (t >= window_.from && t < window_.to) ++outages_;
    }

    Window window_;
    std::vector<std::uint8_t> active_, counted_;
    int changing_ = 0;
    bool down_ = false;
    double since_ = 0;
    double downtime_ = 0;
    std::int64_t outages_ = 0;
};

}  // namespace nines::sim
