// The repair shop of a replication: crew pools (busy crews, repairs waiting for one by priority then
// arrival, crew-hours busy) and spare-part pools (parts on hand, outstanding orders with their event
// slots, repairs waiting for a part first come first served, lead times). It decides who gets a crew or
// a part; the simulation schedules the events that follow.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel_model.h"
#include "sim/random_stream.h"
#include "sim/replication.h"
#include "sim/window.h"

namespace nines::sim {

class RepairShop {
public:
    explicit RepairShop(const KernelModel& km);
    void reset(BlockAccumulator& acc, std::uint64_t seed, std::uint64_t replication);

    // ---- Crews (pool >= 0).
    // Takes a crew of `pool` at t if one is free.
    bool take_crew(int pool, double t) {
        const auto p = static_cast<std::size_t>(pool);
        if (busy_[p] >= crews_[p]) return false;
        account_busy(pool, t);
        ++busy_[p];
        return true;
    }
    // Unit `unit` (of priority `priority`) waits from t for a crew of `pool`.
    void wait_for_crew(int pool, int priority, int unit, double t);
    // A crew of `pool` finished at t: returns the waiting unit it takes next (and its wait in *waited),
    // or -1 when none waits and the crew goes idle.
    int release_crew(int pool, double t, double* waited);
    // A repair of component c starts at t after waiting `waited` for a crew (statistics).
    void count_repair(int c, double t, double waited) {
        if (window_.contains(t)) {
            ++acc_->component_repairs[static_cast<std::size_t>(c)];
            acc_->component_wait_h[static_cast<std::size_t>(c)] += waited;
        }
    }

    // ---- Spare parts (pool >= 0). Every demand orders a replacement (one-for-one replenishment):
    // the order's event slot and lead time come from order_part.
    int order_slot(int pool) {  // never runs out: slots = stock + users
        std::vector<int>& free = free_order_slots_[static_cast<std::size_t>(pool)];
        const int slot = free.back();
        free.pop_back();
        return slot;
    }
    double lead_time(int pool) {
        const auto p = static_cast<std::size_t>(pool);
        return km_.spare_lead[p].draw(spare_streams_[p]);
    }
    // Takes a part from stock if one is on hand.
    bool take_part(int pool) {
        const auto p = static_cast<std::size_t>(pool);
        if (on_hand_[p] == 0) return false;
        --on_hand_[p];
        return true;
    }
    // Unit `unit` of component c found no part at t: it waits for the next arrival.
    void wait_for_part(int pool, int unit, int c, double t);
    // The order in `slot` arrived at t: returns the unit that waited longest for a part of its pool
    // (it takes the part) or -1 (the part goes on the shelf).
    int part_arrived(int slot, double t);

    // At the horizon: crew-hours busy up to it.
    void close(double horizon);

private:
    void account_busy(int pool, double t);

    // A repair waiting for a crew; the heap puts the highest priority, then the earliest, on top.
    struct Waiter {
        int priority;
        std::int64_t seq;
        int unit;
        bool operator<(const Waiter& o) const { return priority != o.priority ? priority < o.priority : seq > o.seq; }
    };

    const KernelModel& km_;
    Window window_;
    BlockAccumulator* acc_ = nullptr;
    std::vector<int> crews_;                 // per pool
    std::vector<std::vector<Waiter>> waiting_;  // per pool: a heap of repairs waiting for a crew
    std::vector<int> busy_;                  // per pool: crews at work
    std::vector<double> busy_changed_;       // per pool: when busy_ last changed
    std::vector<double> wait_since_;         // per unit: when it started waiting for a crew
    std::int64_t waiter_seq_ = 0;
    std::vector<int> on_hand_;               // per spares pool: parts in stock
    std::vector<std::vector<int>> free_order_slots_;  // per spares pool: order slots not in use
    std::vector<std::vector<int>> spare_queue_;       // per spares pool: a ring of units waiting for a part
    std::vector<std::size_t> spare_queue_head_;
    std::vector<std::size_t> spare_queue_count_;
    std::vector<double> spare_wait_since_;   // per unit
    std::vector<RandomStream> spare_streams_;  // per spares pool: its lead times
};

}  // namespace nines::sim
