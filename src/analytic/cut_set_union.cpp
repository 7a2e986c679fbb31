#include "analytic/cut_set_union.h"

#include <algorithm>
#include <cstdint>

#include "analytic/bdd.h"

namespace nines::analytic {

std::optional<double> cut_set_union_probability(const std::vector<CutSet>& sets, const std::vector<double>& a,
                                                const std::vector<double>& q, const std::vector<int>& rank,
                                                std::size_t node_limit) {
    // The instances the sets name, levelled in the order of their ranks.
    std::vector<int> named;
    std::vector<std::uint8_t> seen(q.size(), 0);
    for (const CutSet& set : sets) {
        for (const int i : set.instances) {
            if (seen[static_cast<std::size_t>(i)] != 0) continue;
            seen[static_cast<std::size_t>(i)] = 1;
            named.push_back(i);
        }
    }
    std::sort(named.begin(), named.end(),
              [&](int x, int y) { return rank[static_cast<std::size_t>(x)] < rank[static_cast<std::size_t>(y)]; });
    std::vector<int> level_of(q.size(), -1);
    std::vector<double> up;
    std::vector<double> down;
    for (const int i : named) {
        const auto at = static_cast<std::size_t>(i);
        level_of[at] = static_cast<int>(down.size());
        down.push_back(q[at]);
        up.push_back(a[at]);
    }
    try {
        Bdd bdd(static_cast<int>(down.size()), node_limit);
        std::vector<BddRef> terms;
        std::vector<int> levels;
        for (const CutSet& set : sets) {
            levels.clear();
            for (const int i : set.instances) levels.push_back(level_of[static_cast<std::size_t>(i)]);
            // Deepest first, so that each AND adds one node above the conjunction so far.
            std::sort(levels.rbegin(), levels.rend());
            BddRef all_down = Bdd::kTrue;
            for (const int l : levels) all_down = bdd.and_(bdd.variable(l), all_down);
            terms.push_back(all_down);
        }
        // OR in pairs, round after round: the manager keeps every intermediate diagram, and a running
        // OR of thousands of sets leaves thousands of versions of a large one behind (jbd9601's 8,001
        // sets of order <= 4: more than 20 million nodes that way).
        while (terms.size() > 1) {
            std::vector<BddRef> next;
            for (std::size_t k = 0; k + 1 < terms.size(); k += 2) next.push_back(bdd.or_(terms[k], terms[k + 1]));
            if (terms.size() % 2 == 1) next.push_back(terms.back());
            terms.swap(next);
        }
        const BddRef any_down = terms.empty() ? Bdd::kFalse : terms.front();
        // Variable true = the instance is down: P(true) is its unavailability.
        return bdd.probability(any_down, down, up, false);
    } catch (const BddNodeLimitError&) {
        return std::nullopt;
    }
}

}  // namespace nines::analytic
