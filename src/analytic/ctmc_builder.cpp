#include "analytic/ctmc_builder.h"

#include <cmath>
#include <map>
#include <string>

#include "analytic/markov_operations.h"

namespace nines::analytic {

Ctmc build_independent_ctmc(const Model& model, const StructureGraph& graph, std::size_t max_states) {
    const MarkovOperations operations(model, graph);  // checks the laws first: the clearer refusal
    const int n = operations.instances();
    // Without crews every subset of instances can be down: 2^n states; crews add queue orders.
    if (n >= 63 || std::ldexp(1.0, n) > static_cast<double>(max_states)) {
        throw UnsupportedError("the Markov chain would have 2^" + std::to_string(n) + " states or more, above the cap of " +
                               std::to_string(max_states));
    }
    std::map<MarkovState, int> index;
    std::vector<MarkovState> states;
    index[operations.initial()] = 0;
    states.push_back(operations.initial());
    std::vector<Transition> transitions;
    std::vector<std::uint8_t> up;
    auto target = [&](const MarkovState& s) {
        auto [it, inserted] = index.try_emplace(s, static_cast<int>(states.size()));
        if (inserted) {
            states.push_back(s);
            if (states.size() > max_states) {
                throw UnsupportedError("the Markov chain has more than " + std::to_string(max_states) + " states");
            }
        }
        return it->second;
    };
    std::vector<MarkovMove> moves;
    for (std::size_t k = 0; k < states.size(); ++k) {
        const MarkovState s = states[k];  // copy: `states` grows below
        up.push_back(operations.is_up(s) ? 1 : 0);
        operations.moves(s, moves);
        for (const MarkovMove& m : moves) transitions.push_back({static_cast<int>(k), target(m.next), m.rate});
    }
    return Ctmc(static_cast<int>(states.size()), std::move(transitions), std::move(up), 0);
}

}  // namespace nines::analytic
