// Importance measures and cut set probabilities of a model whose components are dependent (crews,
// spares, standby, common causes), from its Markov chain: exact wherever the chain is. Definitions
// (README, "Importance measures"):
//   q_i          P(i down) in the steady state of the whole chain;
//   Birnbaum     A(i never fails) - A(i always down), each a chain solved again with i pinned (an
//                always-down unit holds no crew and takes no spare);
//   criticality  Birnbaum x q_i / Q;  RAW  Q(i always down) / Q;  RRW  Q / Q(i never fails);
//   F-V          P(some minimal cut set containing i is entirely down | system down);
//   cut set      P(every instance of the set is down), the joint probability (not a product).
// On a lumped chain, q, F-V and a cut set's probability are averages over each state's orbit: the
// class average, exactly. (Single units of a class can differ slightly: a common-cause shock queues
// its victims for repair in instance order.) Birnbaum, RAW and RRW come from chains with the unit
// pinned, exact for each unit.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analytic/analysis.h"
#include "analytic/ctmc_builder.h"
#include "analytic/cut_sets.h"
#include "model/model.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// Chains solved for importance (two per class of interchangeable units, two per other unit) times
// their states: beyond this, the measures are not computed (the note says why).
inline constexpr double kChainImportanceWork = 3e5;

struct ChainImportance {
    bool computed = false;
    std::string reason;                       // why not, when not computed
    std::vector<Importance> importance;       // model order
    std::vector<double> cut_set_probability;  // per cut set given, joint probability of all its units down
};

// `built` is the model's chain (with keep_down_sets); `q_sys` its steady-state unavailability;
// `pi` its stationary law. `fv_cuts`: every minimal cut set (F-V needs them all).
ChainImportance chain_importance(const Model& model, const StructureGraph& graph, const BuiltChain& built,
                                 const std::vector<double>& pi, const std::vector<CutSet>& cuts,
                                 const std::vector<CutSet>& fv_cuts, std::size_t max_states);

}  // namespace nines::analytic
