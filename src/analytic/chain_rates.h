// The exponential rates a Markov description of a model needs, with the checks that its laws are
// exponential: shared by the exact chain (ctmc_builder.h) and the regenerative operations
// (markov_operations.h), so that both refuse the same models with the same messages.
#pragma once

#include <vector>

#include "model/model.h"

namespace nines::analytic {

struct ChainRates {
    std::vector<double> fail, repair, detect, logistics;  // per instance, per hour (0: none)
    std::vector<int> pool, priority, spare_pool;          // per instance (-1: no pool)
    std::vector<double> shock;                            // per common cause, per hour
    std::vector<double> lead;                             // per spare pool, per hour
};

// Throws UnsupportedError naming the component when a failure, repair, detection or logistics law is
// not exponential.
void require_exponential_laws(const Model& model);

// The rates of every instance, common cause and spare pool. An instance with pinned[i] >= 0 (held up or
// down; `pinned` may be shorter than the instances, or empty) neither fails nor is repaired. Throws
// UnsupportedError naming the place when a common cause's shocks or a pool's lead time is not exponential.
ChainRates chain_rates(const Model& model, const std::vector<int>& pinned);

}  // namespace nines::analytic
