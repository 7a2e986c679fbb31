// Builds the CTMC of a model whose components are all exponential: a state says, for every instance,
// whether it is down, noticed, waiting, under repair or carrying load (standby), plus each crew
// pool's and spares pool's queue in arrival order. The state space is explored from the all-up state.
//
// Lumping: instances that are interchangeable (same laws, crew pool, spares pool, priority, common
// causes, and the same place in the structure: symmetric siblings of the same gates, or primaries of
// one standby group) form a class; a state is stored by its canonical member, the one whose class
// members are sorted by what they are doing. The dynamics and the structure are unchanged by any
// permutation inside a class, so the partition into orbits is exactly lumpable: every measure summed
// over states (availability, failure frequency, MTTF) equals the unlumped chain's, and a k-of-n of 20
// identical units with one crew has 21 states instead of 2^20.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analytic/ctmc.h"
#include "model/model.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// Default cap on the reachable states (README, "Markov chains").
inline constexpr std::size_t kDefaultCtmcStateLimit = 2'000'000;
// Cap on the memory the exploration holds (stored states and transitions), whatever the state count.
inline constexpr std::size_t kChainMemoryLimitBytes = std::size_t{1} << 30;
// Every transition copies and compares the state's flags (a byte per instance), and the canonical form
// packs an instance index in 13 bits: beyond this many instances the chain is refused at once (the
// BDD, the closed forms and the simulation still apply).
inline constexpr int kMaxChainInstances = 4096;

struct ChainOptions {
    std::size_t max_states = kDefaultCtmcStateLimit;
    bool lump = true;
    // Per instance (or empty): -1 free, 0 always up (never fails), 1 always down (never repaired,
    // holds no crew). A pinned instance is in no class. Used for importance measures.
    std::vector<int> pinned;
    // Keep each state's set of down instances (BuiltChain::down), for cut set probabilities.
    bool keep_down_sets = false;
};

struct BuiltChain {
    Ctmc chain;
    // The classes of interchangeable instances with two or more members (empty when not lumped).
    std::vector<std::vector<int>> classes;
    // With keep_down_sets: down[s][i] = 1 when instance i is down in (the canonical member of) state s.
    std::vector<std::vector<std::uint8_t>> down;
};

// Throws UnsupportedError (with the reason) when a distribution is not exponential or the reachable
// state space would exceed `options.max_states`.
BuiltChain build_chain(const Model& model, const StructureGraph& graph, const ChainOptions& options);

// The lumped chain with the default options but the given cap.
Ctmc build_independent_ctmc(const Model& model, const StructureGraph& graph, std::size_t max_states);

// The classes of interchangeable instances (each sorted, two or more members), `pinned` as in ChainOptions.
std::vector<std::vector<int>> interchangeable_classes(const Model& model, const StructureGraph& graph,
                                                      const std::vector<int>& pinned = {});

// "21 states (lumped: 20 identical units in 1 class)" and the like.
std::string describe_chain(const BuiltChain& built);

}  // namespace nines::analytic
