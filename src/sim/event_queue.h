// The pending transitions of a replication: at most one per instance ("slot"), kept in an indexed
// 4-ary min-heap on time. Times and slots live in separate arrays so that the four children compared
// at each level of a sift-down are 32 contiguous bytes.
//
// Ties: entries with equal times leave in an order fixed by the sequence of heap operations, which is
// itself a deterministic function of the seed, so runs are reproducible without a tie-break key.
//
// Complexity: top O(1); schedule, reschedule_top, pop_top, cancel O(log4 n). Storage is sized once
// (reserve) and never grows inside the event loop.
#pragma once

#include <cstdint>
#include <vector>

namespace nines::sim {

class EventQueue {
public:
    void reserve(int slots) {
        time_.reserve(static_cast<std::size_t>(slots));
        slot_.reserve(static_cast<std::size_t>(slots));
        position_.assign(static_cast<std::size_t>(slots), kAbsent);
    }
    void clear() {
        for (int s : slot_) position_[static_cast<std::size_t>(s)] = kAbsent;
        time_.clear();
        slot_.clear();
    }
    bool empty() const { return time_.empty(); }
    std::size_t size() const { return time_.size(); }
    double top_time() const { return time_[0]; }
    int top_slot() const { return slot_[0]; }
    bool contains(int slot) const { return position_[static_cast<std::size_t>(slot)] != kAbsent; }
    // The pending time of a slot that has one.
    double time_of(int slot) const { return time_[position_[static_cast<std::size_t>(slot)]]; }

    // Adds a transition for a slot that has none pending.
    void schedule(int slot, double time) {
        const auto at = static_cast<std::uint32_t>(time_.size());
        time_.push_back(time);
        slot_.push_back(slot);
        position_[static_cast<std::size_t>(slot)] = at;
        sift_up(at, time, slot);
    }
    // Gives the earliest slot a new, later or equal time (the common case: the next transition of the
    // instance just processed). One sift-down instead of a pop and a push.
    void reschedule_top(double time) { sift_down(0, time, slot_[0]); }
    void pop_top() { remove_at(0); }
    void cancel(int slot) {
        const std::uint32_t at = position_[static_cast<std::size_t>(slot)];
        if (at != kAbsent) remove_at(at);
    }

private:
    static constexpr std::uint32_t kAbsent = 0xffffffffu;

    void place(std::uint32_t at, double time, int slot) {
        time_[at] = time;
        slot_[at] = slot;
        position_[static_cast<std::size_t>(slot)] = at;
    }
    void sift_up(std::uint32_t at, double time, int slot) {
        while (at > 0) {
            const std::uint32_t parent = (at - 1) / 4;
            if (!(time < time_[parent])) break;
            place(at, time_[parent], slot_[parent]);
            at = parent;
        }
        place(at, time, slot);
    }
    void sift_down(std::uint32_t at, double time, int slot) {
        const auto n = static_cast<std::uint32_t>(time_.size());
        const double* t = time_.data();
        for (;;) {
            const std::uint32_t first = 4 * at + 1;
            if (first >= n) break;
            std::uint32_t best = first;
            double best_time = t[first];
            if (first + 4 <= n) {
                // Full set of children: a tournament written so the compiler can use conditional moves
                // (the outcome of each comparison is random, so branches would mispredict half the time).
                const double t0 = t[first], t1 = t[first + 1], t2 = t[first + 2], t3 = t[first + 3];
                const std::uint32_t b01 = t1 < t0 ? first + 1 : first;
                const double m01 = t1 < t0 ? t1 : t0;
                const std::uint32_t b23 = t3 < t2 ? first + 3 : first + 2;
                const double m23 = t3 < t2 ? t3 : t2;
                best = m23 < m01 ? b23 : b01;
                best_time = m23 < m01 ? m23 : m01;
            } else {
                for (std::uint32_t c = first + 1; c < n; ++c) {
                    if (t[c] < best_time) { best = c; best_time = t[c]; }
                }
            }
            if (!(best_time < time)) break;
            place(at, best_time, slot_[best]);
            at = best;
        }
        place(at, time, slot);
    }
    void remove_at(std::uint32_t at) {
        position_[static_cast<std::size_t>(slot_[at])] = kAbsent;
        const double last_time = time_.back();
        const int last_slot = slot_.back();
        time_.pop_back();
        slot_.pop_back();
        if (at == time_.size()) return;
        if (at > 0 && last_time < time_[(at - 1) / 4]) {
            sift_up(at, last_time, last_slot);
        } else {
            sift_down(at, last_time, last_slot);
        }
    }

    std::vector<double> time_;
    std::vector<int> slot_;
    std::vector<std::uint32_t> position_;
};

}  // namespace nines::sim
