// Builds the CTMC of a model whose components are all exponential: a state is the set of instances
// that are down; every up instance fails at 1/MTTF, every down repairable instance is repaired at
// 1/MTTR (unlimited crews). The state space is explored from the all-up state.
#pragma once

#include <cstddef>

#include "analytic/ctmc.h"
#include "model/model.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// Throws UnsupportedError (with the reason) when a distribution is not exponential or the reachable
// state space would exceed `max_states`.
Ctmc build_independent_ctmc(const Model& model, const StructureGraph& graph, std::size_t max_states);

}  // namespace nines::analytic
