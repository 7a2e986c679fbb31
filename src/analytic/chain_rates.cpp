#include "analytic/chain_rates.h"

#include "model/error.h"

namespace nines::analytic {

void require_exponential_laws(const Model& model) {
    for (const Component& c : model.components) {
        if (!c.failure.is_exponential() || (c.repair && !c.repair->is_exponential())) {
            throw UnsupportedError(c.location, "a Markov chain needs exponential distributions, and component '" + c.name +
                                   "' has " + (c.failure.is_exponential() ? c.repair->describe() : c.failure.describe()));
        }
        for (const HeapOptional<Distribution>* delay : {&c.detect, &c.logistics}) {
            if (*delay && !(*delay)->is_exponential()) {
                throw UnsupportedError(c.location, "a Markov chain needs exponential delays, and component '" + c.name + "' has " +
                                       (*delay)->describe());
            }
        }
    }
}

ChainRates chain_rates(const Model& model, const std::vector<int>& pinned) {
    const std::size_t n = model.instances.size();
    ChainRates r;
    r.fail.assign(n, 0.0);
    r.repair.assign(n, 0.0);
    r.detect.assign(n, 0.0);
    r.logistics.assign(n, 0.0);
    r.pool.assign(n, -1);
    r.priority.assign(n, 0);
    r.spare_pool.assign(n, -1);
    for (std::size_t i = 0; i < n; ++i) {
        const Component& c = model.components[static_cast<std::size_t>(model.instances[i].component)];
        r.priority[i] = c.priority;
        if (i < pinned.size() && pinned[i] >= 0) continue;  // pinned: neither fails nor is repaired
        r.fail[i] = 1.0 / model.independent_failure(static_cast<int>(i)).mean();
        if (c.repair) {
            r.repair[i] = 1.0 / c.repair->mean();
            r.pool[i] = c.pool;
            r.spare_pool[i] = c.spare_pool;
            if (c.detect) r.detect[i] = 1.0 / c.detect->mean();
            if (c.logistics) r.logistics[i] = 1.0 / c.logistics->mean();
        }
    }
    // Common causes: a shock at its (exponential) rate fails every member that is up.
    for (const CommonCause& cc : model.common_causes) {
        if (cc.beta > 0) {
            const auto first = static_cast<std::size_t>(model.instances[static_cast<std::size_t>(cc.members.front())].component);
            r.shock.push_back(cc.beta / model.components[first].failure.mean());
        } else if (cc.shock->is_exponential()) {
            r.shock.push_back(1.0 / cc.shock->mean());
        } else {
            throw UnsupportedError(cc.location, "a Markov chain needs exponential shocks, and " + cc.label + " has " + cc.shock->describe());
        }
    }
    for (const SparePool& sp : model.spares) {
        if (!sp.lead_time.is_exponential()) {
            throw UnsupportedError(sp.location, "a Markov chain needs exponential lead times, and spares pool '" + sp.name + "' has " +
                                   sp.lead_time.describe());
        }
        r.lead.push_back(1.0 / sp.lead_time.mean());
    }
    return r;
}

}  // namespace nines::analytic
