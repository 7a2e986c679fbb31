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
