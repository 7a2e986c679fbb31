#include <algorithm>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "sim/event_queue.h"

TEST_CASE("the indexed heap pops in time order under random operations", "[event-queue]") {
    std::mt19937 gen(7);
    std::uniform_real_distribution<double> time(0.0, 100.0);
    const int slots = 257;
    nines::sim::EventQueue q;
    q.reserve(slots);
    std::multiset<std::pair<double, int>> reference;
    std::vector<double> pending(slots, -1.0);
    double now = 0;
    for (int step = 0; step < 200000; ++step) {
        const int op = static_cast<int>(gen() % 4);
        const int slot = static_cast<int>(gen() % slots);
        if (op == 0 && !q.contains(slot)) {
            const double t = now + time(gen);
            q.schedule(slot, t);
            reference.insert({t, slot});
            pending[slot] = t;
        } else if (op == 1 && q.contains(slot)) {
            q.cancel(slot);
            reference.erase(reference.find({pending[slot], slot}));
            pending[slot] = -1;
        } else if (op == 2 && !q.empty()) {
            REQUIRE(q.top_time() == reference.begin()->first);
            const int top = q.top_slot();
            now = q.top_time();
            const double t = now + time(gen);
            reference.erase(reference.find({pending[top], top}));
            q.reschedule_top(t);
            reference.insert({t, top});
            pending[top] = t;
        } else if (op == 3 && !q.empty()) {
            REQUIRE(q.top_time() == reference.begin()->first);
            const int top = q.top_slot();
            now = q.top_time();
            reference.erase(reference.find({pending[top], top}));
            pending[top] = -1;
            q.pop_top();
        }
        REQUIRE(q.size() == reference.size());
    }
    while (!q.empty()) {
        REQUIRE(q.top_time() == reference.begin()->first);
        reference.erase(reference.begin());
        q.pop_top();
    }
}

namespace {

// The queue as it was before entries were packed (times and slots in separate arrays), kept here as
// the reference for the order of ties: the packed heap must make the same comparisons and moves, so
// that every run keeps its bits.
class SeparateArraysHeap {
public:
    explicit SeparateArraysHeap(int slots) : position_(static_cast<std::size_t>(slots), kAbsent) {}
    bool empty() const { return time_.empty(); }
    double top_time() const { return time_[0]; }
    int top_slot() const { return slot_[0]; }
    bool contains(int s) const { return position_[static_cast<std::size_t>(s)] != kAbsent; }
    void schedule(int s, double t) {
        const auto at = static_cast<std::uint32_t>(time_.size());
        time_.push_back(t);
        slot_.push_back(s);
        position_[static_cast<std::size_t>(s)] = at;
        sift_up(at, t, s);
    }
    void reschedule_top(double t) { sift_down(0, t, slot_[0]); }
    void pop_top() { remove_at(0); }
    void cancel(int s) {
        const std::uint32_t at = position_[static_cast<std::size_t>(s)];
        if (at != kAbsent) remove_at(at);
    }

private:
    static constexpr std::uint32_t kAbsent = 0xffffffffu;
    void place(std::uint32_t at, double t, int s) {
        time_[at] = t;
        slot_[at] = s;
        position_[static_cast<std::size_t>(s)] = at;
    }
    void sift_up(std::uint32_t at, double t, int s) {
        while (at > 0) {
            const std::uint32_t parent = (at - 1) / 4;
            if (!(t < time_[parent])) break;
            place(at, time_[parent], slot_[parent]);
            at = parent;
        }
        place(at, t, s);
    }
    void sift_down(std::uint32_t at, double t, int s) {
        const auto n = static_cast<std::uint32_t>(time_.size());
        for (;;) {
            const std::uint32_t first = 4 * at + 1;
            if (first >= n) break;
            std::uint32_t best = first;
            double best_time = time_[first];
            if (first + 4 <= n) {
                const double t0 = time_[first], t1 = time_[first + 1], t2 = time_[first + 2], t3 = time_[first + 3];
                const std::uint32_t b01 = t1 < t0 ? first + 1 : first;
                const double m01 = t1 < t0 ? t1 : t0;
                const std::uint32_t b23 = t3 < t2 ? first + 3 : first + 2;
                const double m23 = t3 < t2 ? t3 : t2;
                best = m23 < m01 ? b23 : b01;
                best_time = m23 < m01 ? m23 : m01;
            } else {
                for (std::uint32_t c = first + 1; c < n; ++c) {
                    if (time_[c] < best_time) { best = c; best_time = time_[c]; }
                }
            }
            if (!(best_time < t)) break;
            place(at, best_time, slot_[best]);
            at = best;
        }
        place(at, t, s);
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

}  // namespace

// Times drawn from a handful of whole numbers tie constantly: the slot on top after every operation
// must be the separate-array heap's, and each slot's tag must travel with it. (Breaking ties by slot
// instead, or taking the right-hand child on equal times in the tournament, fails this test.)
TEST_CASE("the packed heap leaves ties in the order of the separate-array heap and keeps each slot's tag", "[event-queue]") {
    std::mt19937 gen(11);
    const int slots = 1000;
    nines::sim::EventQueue q;
    q.reserve(slots);
    SeparateArraysHeap reference(slots);
    std::vector<std::uint32_t> tag(slots, 0);
    double now = 0;
    int ties_on_top = 0;
    for (int step = 0; step < 300000; ++step) {
        const int op = static_cast<int>(gen() % 5);
        const int slot = static_cast<int>(gen() % slots);
        const double t = now + static_cast<double>(gen() % 4);
        const auto new_tag = static_cast<std::uint32_t>(gen() % 17);
        if (op <= 1 && !q.contains(slot)) {
            q.schedule(slot, t, new_tag);
            reference.schedule(slot, t);
            tag[static_cast<std::size_t>(slot)] = new_tag;
        } else if (op == 2 && q.contains(slot)) {
            REQUIRE(q.tag_of(slot) == tag[static_cast<std::size_t>(slot)]);
            q.cancel(slot);
            reference.cancel(slot);
        } else if (op == 3 && !q.empty()) {
            now = q.top_time();
            REQUIRE(q.top_tag() == tag[static_cast<std::size_t>(q.top_slot())]);
            tag[static_cast<std::size_t>(q.top_slot())] = new_tag;
            q.reschedule_top(t, new_tag);
            reference.reschedule_top(t);
        } else if (op == 4 && !q.empty()) {
            now = q.top_time();
            REQUIRE(q.top_tag() == tag[static_cast<std::size_t>(q.top_slot())]);
            q.pop_top();
            reference.pop_top();
            if (!q.empty() && q.top_time() == now) ++ties_on_top;  // the next event ties with the one just taken
        }
        REQUIRE(q.empty() == reference.empty());
        if (!q.empty()) {
            REQUIRE(q.top_slot() == reference.top_slot());
            REQUIRE(q.top_time() == reference.top_time());
        }
    }
    REQUIRE(ties_on_top > 1000);
}
