#include "sim/structure_state.h"

#include <algorithm>

namespace nines::sim {

StructureState::StructureState(const StructureGraph& g, bool used) : g_(&g) {
    if (!used) return;
    failed_.assign(static_cast<std::size_t>(g.node_count), 0);
    down_.assign(static_cast<std::size_t>(g.node_count), 0);
    stack_.resize(static_cast<std::size_t>(g.node_count) + 1);
    if (g.weighted) threshold_ = g.threshold;
}

void StructureState::reset() {
    std::fill(failed_.begin(), failed_.end(), 0);
    std::fill(down_.begin(), down_.end(), 0);
    if (!threshold_.empty()) std::copy(g_->threshold.begin(), g_->threshold.end(), threshold_.begin());
}

bool StructureState::flip_weighted(int node, bool down) {
    const int root = g_->root;
    std::uint8_t* node_down = down_.data();
    int* failed = failed_.data();
    int* stack = stack_.data();
    const std::uint8_t root_before = node_down[root];
    const int* parent_begin = g_->parent_begin.data();
    const int* parents = g_->parents.data();
    const int* parent_weight = g_->parent_weight.data();
    const int* threshold = threshold_.data();
    node_down[node] = down ? 1 : 0;
    int top = 0;
    stack[top++] = node;
    // A gate changes state when its down weight crosses its threshold; one flip moves every sum in the
    // same direction, so each gate still crosses (and is pushed) at most once.
    if (down) {
        while (top > 0) {
            const int n = stack[--top];
            for (int k = parent_begin[n]; k < parent_begin[n + 1]; ++k) {
                const int p = parents[k];
                const int before = failed[p];
                failed[p] = before + parent_weight[k];
                if (before < threshold[p] && failed[p] >= threshold[p]) {
                    node_down[p] = 1;
                    stack[top++] = p;
                }
            }
        }
    } else {
        while (top > 0) {
            const int n = stack[--top];
            for (int k = parent_begin[n]; k < parent_begin[n + 1]; ++k) {
                const int p = parents[k];
                const int before = failed[p];
                failed[p] = before - parent_weight[k];
                if (before >= threshold[p] && failed[p] < threshold[p]) {
                    node_down[p] = 0;
                    stack[top++] = p;
                }
            }
        }
    }
    return node_down[root] != root_before;
}

}  // namespace nines::sim
