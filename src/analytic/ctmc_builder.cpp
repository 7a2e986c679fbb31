#include "analytic/ctmc_builder.h"

#include <cmath>
#include <string>
#include <unordered_map>

namespace nines::analytic {

Ctmc build_independent_ctmc(const Model& model, const StructureGraph& graph, std::size_t max_states) {
    const int n = static_cast<int>(model.instances.size());
    for (const Component& c : model.components) {
        if (!c.failure.is_exponential() || (c.repair && !c.repair->is_exponential())) {
            throw UnsupportedError("a Markov chain needs exponential distributions, and component '" + c.name +
                                   "' has " + (c.failure.is_exponential() ? c.repair->describe() : c.failure.describe()));
        }
    }
    // Every subset of instances can be down: 2^n states.
    if (n >= 63 || std::ldexp(1.0, n) > static_cast<double>(max_states)) {
        throw UnsupportedError("the Markov chain would have 2^" + std::to_string(n) + " states, above the cap of " +
                               std::to_string(max_states));
    }
    std::vector<double> fail_rate(static_cast<std::size_t>(n)), repair_rate(static_cast<std::size_t>(n), 0.0);
    for (int i = 0; i < n; ++i) {
        const Component& c = model.components[static_cast<std::size_t>(model.instances[static_cast<std::size_t>(i)].component)];
        fail_rate[static_cast<std::size_t>(i)] = 1.0 / c.failure.mean();
        if (c.repair) repair_rate[static_cast<std::size_t>(i)] = 1.0 / c.repair->mean();
    }
    std::unordered_map<std::uint64_t, int> index;
    std::vector<std::uint64_t> state_of{0};
    index[0] = 0;
    std::vector<Transition> transitions;
    std::vector<std::uint8_t> up;
    std::vector<std::uint8_t> leaf_down(static_cast<std::size_t>(n));
    std::vector<std::uint8_t> node_down;
    for (std::size_t s = 0; s < state_of.size(); ++s) {
        const std::uint64_t mask = state_of[s];
        for (int i = 0; i < n; ++i) leaf_down[static_cast<std::size_t>(i)] = (mask >> i) & 1u;
        graph.evaluate(leaf_down, node_down);
        up.push_back(node_down[static_cast<std::size_t>(graph.root)] ? 0 : 1);
        for (int i = 0; i < n; ++i) {
            const bool down = (mask >> i) & 1u;
            const double rate = down ? repair_rate[static_cast<std::size_t>(i)] : fail_rate[static_cast<std::size_t>(i)];
            if (rate <= 0) continue;
            const std::uint64_t target = mask ^ (std::uint64_t{1} << i);
            auto [it, inserted] = index.try_emplace(target, static_cast<int>(state_of.size()));
            if (inserted) state_of.push_back(target);
            transitions.push_back({static_cast<int>(s), it->second, rate});
        }
    }
    return Ctmc(static_cast<int>(state_of.size()), std::move(transitions), std::move(up), 0);
}

}  // namespace nines::analytic
