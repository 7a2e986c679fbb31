#include "sim/unit_ledger.h"

#include <algorithm>

namespace nines::sim {

UnitLedger::UnitLedger(int units, Window window) : window_(window) {
    const auto n = static_cast<std::size_t>(units);
    down_.reserve(n);
    unit_.resize(n);
}

void UnitLedger::reset() {
    down_.clear();
    std::fill(unit_.begin(), unit_.end(), Unit{});
}

void UnitLedger::close(double horizon) {
    for (int i : down_) {
        Unit& u = unit_[static_cast<std::size_t>(i)];
        u.downtime += window_.overlap(u.down_since, horizon);
    }
}

}  // namespace nines::sim
