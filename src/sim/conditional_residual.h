// The remaining time of a duration already `age` hours old: a draw of X - age from the law of X given
// X > age. Splitting needs it: a copy of a trajectory made mid-run must not inherit the clocks already
// drawn for the original (the copies would then repeat one another until those clocks ring), and a clock
// redrawn from the law given the unit's age is exactly as likely as the original's, because all the past
// reveals about a pending clock is that it has not rung yet.
#pragma once

#include <optional>

#include "model/distribution.h"
#include "sim/random_stream.h"

namespace nines::sim {

// A draw of the remaining time, or nothing when the law has no conditional sampler here (gamma,
// empirical): the caller then keeps the clock it has, which stays correct but makes copies alike.
bool has_remaining_sampler(const Distribution& law);
std::optional<double> draw_remaining(const Distribution& law, double age, RandomStream& rng);

}  // namespace nines::sim
