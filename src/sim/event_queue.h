// The pending transitions of a replication: at most one per instance, kept in an indexed 4-ary
// min-heap ordered by (time, instance). The instance number breaks ties, so equal times are
// processed in a fixed order on every run.
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
        heap_.reserve(static_cast<std::size_t>(slots));
        position_.assign(static_cast<std::size_t>(slots), kAbsent);
    }
    void clear() {
        for (const Entry& e : heap_) position_[static_cast<std::size_t>(e.slot)] = kAbsent;
        heap_.clear();
    }
    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    double top_time() const { return heap_[0].time; }
    int top_slot() const { return heap_[0].slot; }
    bool contains(int slot) const { return position_[static_cast<std::size_t>(slot)] != kAbsent; }

    // Adds a transition for a slot that has none pending.
    void schedule(int slot, double time) {
        const auto at = static_cast<std::uint32_t>(heap_.size());
        heap_.push_back({time, slot});
        position_[static_cast<std::size_t>(slot)] = at;
        sift_up(at);
    }
    // Gives the earliest slot a new, later or equal time (the common case: the next transition of the
    // instance just processed). One sift-down instead of a pop and a push.
    void reschedule_top(double time) {
        heap_[0].time = time;
        sift_down(0);
    }
    void pop_top() { remove_at(0); }
    void cancel(int slot) {
        const std::uint32_t at = position_[static_cast<std::size_t>(slot)];
        if (at != kAbsent) remove_at(at);
    }

private:
    struct Entry {
        double time;
        int slot;
    };
    static constexpr std::uint32_t kAbsent = 0xffffffffu;

    static bool before(const Entry& x, const Entry& y) {
        return x.time < y.time || (x.time == y.time && x.slot < y.slot);
    }
    void place(std::uint32_t at, const Entry& e) {
        heap_[at] = e;
        position_[static_cast<std::size_t>(e.slot)] = at;
    }
    void sift_up(std::uint32_t at) {
        const Entry e = heap_[at];
        while (at > 0) {
            const std::uint32_t parent = (at - 1) / 4;
            if (!before(e, heap_[parent])) break;
            place(at, heap_[parent]);
            at = parent;
        }
        place(at, e);
    }
    void sift_down(std::uint32_t at) {
        const Entry e = heap_[at];
        const auto n = static_cast<std::uint32_t>(heap_.size());
        for (;;) {
            const std::uint32_t first = 4 * at + 1;
            if (first >= n) break;
            std::uint32_t best = first;
            const std::uint32_t last = first + 4 < n ? first + 4 : n;
            for (std::uint32_t c = first + 1; c < last; ++c) {
                if (before(heap_[c], heap_[best])) best = c;
            }
            if (!before(heap_[best], e)) break;
            place(at, heap_[best]);
            at = best;
        }
        place(at, e);
    }
    void remove_at(std::uint32_t at) {
        position_[static_cast<std::size_t>(heap_[at].slot)] = kAbsent;
        const Entry last = heap_.back();
        heap_.pop_back();
        if (at == heap_.size()) return;
        heap_[at] = last;
        position_[static_cast<std::size_t>(last.slot)] = at;
        if (at > 0 && before(last, heap_[(at - 1) / 4])) {
            sift_up(at);
        } else {
            sift_down(at);
        }
    }

    std::vector<Entry> heap_;
    std::vector<std::uint32_t> position_;
};

}  // namespace nines::sim
