// How much work a model asks of the simulation: the expected number of events in one replication,
// estimated from the model before anything runs, so that a model whose events would never end (a
// maintenance interval of a millisecond over ten years, a shock every microsecond) is refused with a
// clear message instead of appearing to hang.
#pragma once

#include <string>

#include "model/error.h"
#include "model/model.h"

namespace nines {

// At most this many events per replication: about a minute of simulation at 20 M events/s.
inline constexpr double kMaxEventsPerReplication = 1e9;

struct EventEstimate {
    double per_replication = 0;   // expected events in one replication
    double largest = 0;           // the largest single source's share
    std::string source;           // "component 'a' maintenance (every 0.001 s)", for messages
    SourceLocation location;      // where that source is written
};

// Sums, over every source of events, horizon / its typical interval. A law's typical time is the
// smaller of its mean and its median: a heavy-tailed law (lognormal, Weibull of small shape) has a
// mean that its samples almost never reach, and the events follow the median. Sources: failure and
// repair cycles (2 events per cycle, detection and logistics delays included), maintenance (2 per
// interval), inspections (1 or 2 per interval), common-cause shocks (1 + one per member).
EventEstimate estimate_events(const Model& model, double horizon_h);

// Throws InputError at the largest source when the estimate exceeds kMaxEventsPerReplication.
void check_event_budget(const Model& model, double horizon_h);

}  // namespace nines
