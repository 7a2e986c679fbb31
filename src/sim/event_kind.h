// What a pending event of the simulation is. Every event in the queue carries one of these kinds, set
// when it is scheduled, and the event loop dispatches on it with one switch (Simulation::run). A new
// behaviour adds a kind here, a case there, and a part that handles it.
#pragma once

#include <cstdint>

namespace nines::sim {

enum class EventKind : std::uint8_t {
    Failure,           // a unit's failure clock runs out                      (slot: the unit)
    RepairEnd,         // a repair is done: the unit is as good as new          (slot: the unit)
    DetectionEnd,      // a failed unit's failure is noticed                   (slot: the unit)
    LogisticsEnd,      // a failed unit's logistics delay is over              (slot: the unit)
    MaintenanceEnd,    // a preventive maintenance is done                     (slot: the unit)
    InspectionEnd,     // an inspection that took the unit out of service ends (slot: the unit)
    Shock,             // a common-cause shock                                  (slot: per cause)
    SpareArrival,      // a spare part ordered for a pool arrives               (slot: per order)
    SwitchDone,        // a standby unit finished starting and carries load      (slot: per unit)
    MaintenanceDue,    // a unit's preventive maintenance falls due              (slot: per unit)
    InspectionStart,   // a unit's inspection (with a duration) starts           (slot: per unit)
    DemandChange,      // a capacity block's demand profile steps to a new hour  (slot: one for the model)
    FailoverStep,      // a failover group's timer: detection, switch, failback ends (slot: per group)
    ChangeDue,         // a change of a stream falls due                          (slot: per stream)
    ChangeReach,       // a change reaches its next target (rolling)              (slot: per stream, step)
    ChangeRestartEnd,  // the targets a change reached are done restarting         (slot: per stream, step)
    ChangeDetected,    // a bad change is noticed: roll-out stops, rollback starts (slot: per stream, end)
    ChangeRollbackEnd, // a bad change's rollback is done: what it reached is back  (slot: per stream, end)
};

}  // namespace nines::sim
