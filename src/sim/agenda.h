// The pending events of a replication: the time-ordered queue of slots (EventQueue) and, per slot, the
// kind of the event pending there. A slot has at most one pending event; the kinds are stored beside
// the heap (one byte per slot), so the heap's layout and its order of ties are those of EventQueue.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/event_kind.h"
#include "sim/event_queue.h"

namespace nines::sim {

class Agenda {
public:
    void reserve(int slots) {
        queue_.reserve(slots);
        kind_.assign(static_cast<std::size_t>(slots), EventKind::Failure);
    }
    void clear() { queue_.clear(); }
    bool empty() const { return queue_.empty(); }
    double top_time() const { return queue_.top_time(); }
    int top_slot() const { return queue_.top_slot(); }
    EventKind top_kind() const { return kind_[static_cast<std::size_t>(queue_.top_slot())]; }
    bool contains(int slot) const { return queue_.contains(slot); }
    double time_of(int slot) const { return queue_.time_of(slot); }
    EventKind kind_of(int slot) const { return kind_[static_cast<std::size_t>(slot)]; }

    void schedule(int slot, double time, EventKind kind) {
        kind_[static_cast<std::size_t>(slot)] = kind;
        queue_.schedule(slot, time);
    }
    // The event on top is followed, in the same slot, by a later (or equal) one of kind `kind`.
    void reschedule_top(double time, EventKind kind) {
        kind_[static_cast<std::size_t>(queue_.top_slot())] = kind;
        queue_.reschedule_top(time);
    }
    void pop_top() { queue_.pop_top(); }
    void cancel(int slot) { queue_.cancel(slot); }
    // Moves a slot's pending event to another time, keeping its kind.
    void move(int slot, double time) {
        queue_.cancel(slot);
        queue_.schedule(slot, time);
    }

private:
    EventQueue queue_;
    std::vector<EventKind> kind_;  // per slot: the kind of its pending event (stale when none is pending)
};

}  // namespace nines::sim
