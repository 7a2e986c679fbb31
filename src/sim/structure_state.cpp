#include "sim/structure_state.h"

#include <algorithm>

namespace nines::sim {

StructureState::StructureState(const StructureGraph& g, bool used) : g_(&g) {
    if (!used) return;
    failed_.assign(static_cast<std::size_t>(g.node_count), 0);
    down_.assign(static_cast<std::size_t>(g.node_count), 0);
    stack_.resize(static_cast<std::size_t>(g.node_count) + 1);
}

void StructureState::reset() {
    std::fill(failed_.begin(), failed_.end(), 0);
    std::fill(down_.begin(), down_.end(), 0);
}

}  // namespace nines::sim
