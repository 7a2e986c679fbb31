#include "sim/unit_ledger.h"

#include <algorithm>

namespace nines::sim {

UnitLedger::UnitLedger(int units, Window window) : window_(window) {
    const auto n = static_cast<std::size_t>(units);
    down_.reserve(n);
    position_.assign(n, -1);
    down_since_.assign(n, 0.0);
    failures_.assign(n, 0);
    downtime_.assign(n, 0.0);
}

void UnitLedger::reset() {
    for (int i : down_) position_[static_cast<std::size_t>(i)] = -1;
    down_.clear();
    std::fill(failures_.begin(), failures_.end(), 0);
    std::fill(downtime_.begin(), downtime_.end(), 0.0);
}

void UnitLedger::close(double horizon) {
    for (int i : down_) {
        const auto iu = static_cast<std::size_t>(i);
        downtime_[iu] += window_.overlap(down_since_[iu], horizon);
    }
}

}  // namespace nines::sim
