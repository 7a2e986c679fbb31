// The pending transitions of a replication: at most one per instance ("slot"), kept in an indexed
// 4-ary min-heap on time. Each entry is 16 bytes (time, slot, and a 32-bit tag the caller gives: the
// Agenda keeps the event's kind there), and the heap is laid out so that the four children of a node
// fill exactly one 64-byte cache line: a sift-down touches one line per level, and the slot moved up
// is in the line already read. (Before, times and slots were separate arrays: two lines per level at
// 10^6 slots, and the kind a third array read on every event.)
//
// Ties: entries with equal times leave in an order fixed by the sequence of heap operations, which is
// itself a deterministic function of the seed, so runs are reproducible without a tie-break key. The
// layout does not change that order: the comparisons and moves are those of the separate arrays.
//
// Complexity: top O(1); schedule, reschedule_top, pop_top, cancel O(log4 n). Storage is sized once
// (reserve) and never grows inside the event loop.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace nines::sim {

class EventQueue {
public:
    struct alignas(16) Entry {
        double time;
        std::int32_t slot;
        std::uint32_t tag;
    };
    static_assert(sizeof(Entry) == 16, "four children must fill one 64-byte line");

    void reserve(int slots) {
        // Entry i lives at heap_[i], with heap_ 48 bytes past a line boundary, so that children
        // 4i+1 .. 4i+4 start on a line (entries are 16-byte aligned: at most 3 entries skipped).
        storage_.reset(new Entry[static_cast<std::size_t>(slots) + 4]);
        const auto raw = reinterpret_cast<std::uintptr_t>(storage_.get());
        heap_ = storage_.get() + ((48 + 64 - raw % 64) % 64) / sizeof(Entry);
        size_ = 0;
        position_.assign(static_cast<std::size_t>(slots), kAbsent);
    }
    void clear() {
        for (std::uint32_t k = 0; k < size_; ++k) position_[static_cast<std::size_t>(heap_[k].slot)] = kAbsent;
        size_ = 0;
    }
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    double top_time() const { return heap_[0].time; }
    int top_slot() const { return heap_[0].slot; }
    std::uint32_t top_tag() const { return heap_[0].tag; }
    bool contains(int slot) const { return position_[static_cast<std::size_t>(slot)] != kAbsent; }
    // The pending time (and tag) of a slot that has one.
    double time_of(int slot) const { return heap_[position_[static_cast<std::size_t>(slot)]].time; }
    std::uint32_t tag_of(int slot) const { return heap_[position_[static_cast<std::size_t>(slot)]].tag; }

    // Adds a transition for a slot that has none pending.
    void schedule(int slot, double time, std::uint32_t tag = 0) {
        const std::uint32_t at = size_++;
        position_[static_cast<std::size_t>(slot)] = at;
        sift_up(at, Entry{time, slot, tag});
    }
    // Gives the earliest slot a new, later or equal time (the common case: the next transition of the
    // instance just processed). One sift-down instead of a pop and a push.
    void reschedule_top(double time, std::uint32_t tag = 0) { sift_down(0, Entry{time, heap_[0].slot, tag}); }
    void pop_top() { remove_at(0); }
    void cancel(int slot) {
        const std::uint32_t at = position_[static_cast<std::size_t>(slot)];
        if (at != kAbsent) remove_at(at);
    }

private:
    static constexpr std::uint32_t kAbsent = 0xffffffffu;

    void place(std::uint32_t at, const Entry& e) {
        heap_[at] = e;
        position_[static_cast<std::size_t>(e.slot)] = at;
    }
    void sift_up(std::uint32_t at, const Entry& e) {
        while (at > 0) {
            const std::uint32_t parent = (at - 1) / 4;
            if (!(e.time < heap_[parent].time)) break;
            place(at, heap_[parent]);
            at = parent;
        }
        place(at, e);
    }
    void sift_down(std::uint32_t at, const Entry& e) {
        const std::uint32_t n = size_;
        const Entry* h = heap_;
        for (;;) {
            const std::uint32_t first = 4 * at + 1;
            if (first >= n) break;
            std::uint32_t best = first;
            double best_time = h[first].time;
            if (first + 4 <= n) {
                // Full set of children: a tournament written so the compiler can use conditional moves
                // (the outcome of each comparison is random, so branches would mispredict half the time).
                const double t0 = h[first].time, t1 = h[first + 1].time, t2 = h[first + 2].time, t3 = h[first + 3].time;
                const std::uint32_t b01 = t1 < t0 ? first + 1 : first;
                const double m01 = t1 < t0 ? t1 : t0;
                const std::uint32_t b23 = t3 < t2 ? first + 3 : first + 2;
                const double m23 = t3 < t2 ? t3 : t2;
                best = m23 < m01 ? b23 : b01;
                best_time = m23 < m01 ? m23 : m01;
            } else {
                for (std::uint32_t c = first + 1; c < n; ++c) {
                    if (h[c].time < best_time) { best = c; best_time = h[c].time; }
                }
            }
            if (!(best_time < e.time)) break;
            place(at, h[best]);
            at = best;
        }
        place(at, e);
    }
    void remove_at(std::uint32_t at) {
        position_[static_cast<std::size_t>(heap_[at].slot)] = kAbsent;
        const Entry last = heap_[--size_];
        if (at == size_) return;
        if (at > 0 && last.time < heap_[(at - 1) / 4].time) {
            sift_up(at, last);
        } else {
            sift_down(at, last);
        }
    }

    std::unique_ptr<Entry[]> storage_;
    Entry* heap_ = nullptr;
    std::uint32_t size_ = 0;
    std::vector<std::uint32_t> position_;
};

}  // namespace nines::sim
