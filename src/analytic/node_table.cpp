#include "analytic/node_table.h"

namespace nines::analytic {

NodeTable::NodeTable(int variables, std::size_t node_limit) : node_limit_(node_limit) {
    nodes_ = {Node{variables, 0, 0}, Node{variables, 1, 1}};
    unique_.assign(std::size_t{1} << 12, -1);
    unique_mask_ = unique_.size() - 1;
}

void NodeTable::grow() {
    unique_.assign(unique_.size() * 2, -1);
    unique_mask_ = unique_.size() - 1;
    for (std::size_t n = 2; n < nodes_.size(); ++n) {
        std::size_t slot = hash_triple(static_cast<std::uint64_t>(nodes_[n].var), static_cast<std::uint64_t>(nodes_[n].lo),
                                       static_cast<std::uint64_t>(nodes_[n].hi)) & unique_mask_;
        while (unique_[slot] >= 0) slot = (slot + 1) & unique_mask_;
        unique_[slot] = static_cast<NodeRef>(n);
    }
}

}  // namespace nines::analytic
