// The pending events of a replication: the time-ordered queue of slots (EventQueue) and, per slot, the
// kind of the event pending there. A slot has at most one pending event; its kind travels in the heap
// entry's tag, so the event on top brings its kind in the cache line already read (the order of ties
// is EventQueue's: the tag takes no part in comparisons).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/event_kind.h"
#include "sim/event_queue.h"

namespace nines::sim {

class Agenda {
public:
    void reserve(int slots) { queue_.reserve(slots); }
    void clear() { queue_.clear(); }
    bool empty() const { return queue_.empty(); }
    double top_time() const { return queue_.top_time(); }
    int top_slot() const { return queue_.top_slot(); }
    EventKind top_kind() const { return static_cast<EventKind>(queue_.top_tag()); }
    bool contains(int slot) const { return queue_.contains(slot); }
    double time_of(int slot) const { return queue_.time_of(slot); }
    // The kind of a slot's pending event (the slot must have one).
    EventKind kind_of(int slot) const { return static_cast<EventKind>(queue_.tag_of(slot)); }

    void schedule(int slot, double time, EventKind kind) { queue_.schedule(slot, time, static_cast<std::uint32_t>(kind)); }
    // The event on top is followed, in the same slot, by a later (or equal) one of kind `kind`.
    void reschedule_top(double time, EventKind kind) { queue_.reschedule_top(time, static_cast<std::uint32_t>(kind)); }
    void pop_top() { queue_.pop_top(); }
    void cancel(int slot) { queue_.cancel(slot); }
    // Moves a slot's pending event to another time, keeping its kind.
    void move(int slot, double time) {
        const std::uint32_t kind = queue_.tag_of(slot);
        queue_.cancel(slot);
        queue_.schedule(slot, time, kind);
    }

private:
    EventQueue queue_;
};

}  // namespace nines::sim
