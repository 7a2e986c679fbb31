// The service schedule: when each unit's preventive maintenance or inspection (one that takes the unit
// out of service) falls due, which units are in maintenance, and which maintenances wait for redundancy
// (only_when_redundant). Maintenance of instance k of n is staggered: first due at every x (1 + k / n),
// then every `every`; inspections at offset + j x every, j >= 1 (offset staggered the same way unless
// the scenario asks for simultaneous ones).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/agenda.h"
#include "sim/kernel_model.h"

namespace nines::sim {

class ServiceSchedule {
public:
    explicit ServiceSchedule(const KernelModel& km);

    // Start of a replication: nothing in maintenance or waiting; the first dues scheduled.
    void begin(Agenda& agenda);
    // The next due after one at t (maintenance or inspection, by the unit's component).
    double next_maintenance(int c, double t) const { return t + km_.maintenance_every[static_cast<std::size_t>(c)]; }
    double next_inspection(int c, double t) const { return t + km_.inspect_every[static_cast<std::size_t>(c)]; }
    int slot(int unit) const { return km_.maintenance_slot_base + unit; }

    bool in_maintenance(int unit) const { return in_maintenance_[static_cast<std::size_t>(unit)] != 0; }
    void set_in_maintenance(int unit, bool in) { in_maintenance_[static_cast<std::size_t>(unit)] = in ? 1 : 0; }

    // Maintenances waiting for redundancy.
    bool waiting(int unit) const { return waiting_flag_[static_cast<std::size_t>(unit)] != 0; }
    bool any_waiting() const { return !waiting_.empty(); }
    void wait(int unit) {
        waiting_flag_[static_cast<std::size_t>(unit)] = 1;
        waiting_.push_back(unit);  // capacity reserved for every unit
    }
    // Goes through the waiting maintenances: `verdict(unit)` says whether one keeps waiting (Keep),
    // is dropped (Drop) or starts now (Start: `start(unit)` is called once it no longer waits).
    enum class Verdict { Keep, Drop, Start };
    template <typename VerdictOf, typename StartFn>
    void review(VerdictOf&& verdict, StartFn&& start);

private:
    const KernelModel& km_;
    std::vector<std::uint8_t> in_maintenance_;  // per unit: down for preventive maintenance
    std::vector<std::uint8_t> waiting_flag_;    // per unit: its maintenance waits for redundancy
    std::vector<int> waiting_;                  // those units
};

template <typename VerdictOf, typename StartFn>
void ServiceSchedule::review(VerdictOf&& verdict, StartFn&& start) {
    for (std::size_t k = 0; k < waiting_.size();) {
        const int i = waiting_[k];
        const Verdict v = verdict(i);
        if (v == Verdict::Keep) {
            ++k;
            continue;
        }
        waiting_[k] = waiting_.back();
        waiting_.pop_back();
        waiting_flag_[static_cast<std::size_t>(i)] = 0;
        if (v == Verdict::Start) start(i);
    }
}

}  // namespace nines::sim
