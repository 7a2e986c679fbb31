#include "sim/repair_shop.h"

#include <algorithm>

namespace nines::sim {

RepairShop::RepairShop(const KernelModel& km) : km_(km), window_{km.warmup_h, km.horizon_h}, crews_(km.pool_crews) {
    const std::size_t pools = km.pool_crews.size();
    waiting_.resize(pools);
    for (std::size_t i = 0; i < km.instance_component.size(); ++i) {  // room for every unit of a pool: no growth in the loop
        const int p = km.pool[static_cast<std::size_t>(km.instance_component[i])];
        if (p >= 0) waiting_[static_cast<std::size_t>(p)].reserve(waiting_[static_cast<std::size_t>(p)].capacity() + 1);
    }
    busy_.assign(pools, 0);
    busy_changed_.assign(pools, 0.0);
    wait_since_.assign(km.instance_component.size(), 0.0);
    const std::size_t spare_pools = km.spare_stock.size();
    on_hand_.assign(spare_pools, 0);
    free_order_slots_.resize(spare_pools);
    spare_queue_.resize(spare_pools);
    spare_queue_head_.assign(spare_pools, 0);
    spare_queue_count_.assign(spare_pools, 0);
    spare_streams_.resize(spare_pools);
    for (std::size_t p = 0; p < spare_pools; ++p) {
        const int slots = km.spare_slot_begin[p + 1] - km.spare_slot_begin[p];
        free_order_slots_[p].reserve(static_cast<std::size_t>(slots));
        spare_queue_[p].assign(static_cast<std::size_t>(slots), 0);  // a ring: at most one entry per demand in flight
    }
    spare_wait_since_.assign(km.instance_component.size(), 0.0);
}

void RepairShop::reset(BlockAccumulator& acc, std::uint64_t seed, std::uint64_t replication) {
    acc_ = &acc;
    for (auto& w : waiting_) w.clear();
    std::fill(busy_.begin(), busy_.end(), 0);
    std::fill(busy_changed_.begin(), busy_changed_.end(), 0.0);
    waiter_seq_ = 0;
    for (std::size_t p = 0; p < on_hand_.size(); ++p) {
        on_hand_[p] = km_.spare_stock[p];
        free_order_slots_[p].clear();
        for (int k = km_.spare_slot_begin[p + 1] - 1; k >= km_.spare_slot_begin[p]; --k) {
            free_order_slots_[p].push_back(km_.order_slot_base + k);
        }
        spare_queue_head_[p] = 0;
        spare_queue_count_[p] = 0;
        spare_streams_[p].reset(seed, replication, km_.spare_key[p], 0);
    }
}

void RepairShop::account_busy(int pool, double t) {
    // Crew-hours busy inside the window since the pool's last change.
    const auto p = static_cast<std::size_t>(pool);
    acc_->pool_busy_h[p] += busy_[p] * window_.overlap(busy_changed_[p], t);
    busy_changed_[p] = t;
}

void RepairShop::wait_for_crew(int pool, int priority, int unit, double t) {
    wait_since_[static_cast<std::size_t>(unit)] = t;
    std::vector<Waiter>& w = waiting_[static_cast<std::size_t>(pool)];
    w.push_back({priority, waiter_seq_++, unit});  // capacity reserved in the constructor
    std::push_heap(w.begin(), w.end());
}

int RepairShop::release_crew(int pool, double t, double* waited) {
    std::vector<Waiter>& w = waiting_[static_cast<std::size_t>(pool)];
    if (w.empty()) {
        account_busy(pool, t);
        --busy_[static_cast<std::size_t>(pool)];
        return -1;
    }
    std::pop_heap(w.begin(), w.end());
    const int next = w.back().unit;
    w.pop_back();
    *waited = t - wait_since_[static_cast<std::size_t>(next)];
    return next;
}

void RepairShop::wait_for_part(int pool, int unit, int c, double t) {
    const auto p = static_cast<std::size_t>(pool);
    spare_wait_since_[static_cast<std::size_t>(unit)] = t;
    if (window_.contains(t)) ++acc_->component_stockouts[static_cast<std::size_t>(c)];
    std::vector<int>& ring = spare_queue_[p];
    ring[(spare_queue_head_[p] + spare_queue_count_[p]++) % ring.size()] = unit;
}

int RepairShop::part_arrived(int slot, double t) {
    const auto p = static_cast<std::size_t>(km_.order_slot_pool[static_cast<std::size_t>(slot - km_.order_slot_base)]);
    free_order_slots_[p].push_back(slot);
    if (spare_queue_count_[p] == 0) {
        ++on_hand_[p];
        return -1;
    }
    // The part goes straight to the repair that has waited longest.
    const int next = spare_queue_[p][spare_queue_head_[p]];
    spare_queue_head_[p] = (spare_queue_head_[p] + 1) % spare_queue_[p].size();
    --spare_queue_count_[p];
    const auto nu = static_cast<std::size_t>(next);
    if (window_.contains(t)) acc_->component_spare_wait_h[static_cast<std::size_t>(km_.instance_component[nu])] += t - spare_wait_since_[nu];
    return next;
}

void RepairShop::close(double horizon) {
    for (std::size_t p = 0; p < busy_.size(); ++p) account_busy(static_cast<int>(p), horizon);
}

}  // namespace nines::sim
