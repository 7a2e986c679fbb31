#include "analytic/chain_importance.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace nines::analytic {

namespace {

// C(n, k) as a double (small arguments: class sizes).
double choose(int n, int k) {
    if (k < 0 || k > n) return 0;
    double c = 1;
    for (int j = 1; j <= k; ++j) c = c * (n - k + j) / j;
    return c;
}

}  // namespace

ChainImportance chain_importance(const Model& model, const StructureGraph& graph, const BuiltChain& built,
                                 const std::vector<double>& pi, const std::vector<CutSet>& cuts,
                                 const std::vector<CutSet>& fv_cuts, std::size_t max_states) {
    ChainImportance out;
    const std::size_t n = model.instances.size();
    const Ctmc& chain = built.chain;
    const auto states = static_cast<std::size_t>(chain.states());
    // One representative per class: its measures hold for every member (they are interchangeable).
    std::vector<int> class_of(n, -1);
    for (std::size_t k = 0; k < built.classes.size(); ++k) {
        for (int i : built.classes[k]) class_of[static_cast<std::size_t>(i)] = static_cast<int>(k);
    }
    std::vector<int> representatives;
    for (std::size_t i = 0; i < n; ++i) {
        const int k = class_of[i];
        if (k < 0 || built.classes[static_cast<std::size_t>(k)].front() == static_cast<int>(i)) representatives.push_back(static_cast<int>(i));
    }
    const double work = 2.0 * static_cast<double>(representatives.size()) * static_cast<double>(states);
    if (work > kChainImportanceWork) {
        out.reason = fmt::format("importance by the Markov chain needs {} more chains of about {} states (more than {:.0e} "
                                 "states in all)", 2 * representatives.size(), states, kChainImportanceWork);
        return out;
    }
    double Q = 0;
    for (std::size_t s = 0; s < states; ++s) Q += chain.is_up(static_cast<int>(s)) ? 0.0 : pi[s];

    // Per state: how many units of each class are down; the orbit average of "i down" is that
    // count over the class size.
    auto class_down = [&](std::size_t s, std::size_t k) {
        int d = 0;
        for (int i : built.classes[k]) d += built.down[s][static_cast<std::size_t>(i)];
        return d;
    };
    std::vector<double> q(n, 0.0), fv(n, 0.0);
    out.cut_set_probability.assign(cuts.size(), 0.0);
    std::vector<std::uint8_t> in_down_cut(n);
    std::vector<int> downs(built.classes.size());
    for (std::size_t s = 0; s < states; ++s) {
        if (pi[s] == 0) continue;
        const std::vector<std::uint8_t>& d = built.down[s];
        for (std::size_t k = 0; k < built.classes.size(); ++k) downs[k] = class_down(s, k);
        for (std::size_t i = 0; i < n; ++i) {
            const int k = class_of[i];
            q[i] += pi[s] * (k < 0 ? d[i] : static_cast<double>(downs[static_cast<std::size_t>(k)]) /
                                                static_cast<double>(built.classes[static_cast<std::size_t>(k)].size()));
        }
        // P(C down): average over the orbit of C, C(d_K, m_K) / C(n_K, m_K) per class K.
        for (std::size_t c = 0; c < cuts.size(); ++c) {
            std::vector<int> m(built.classes.size(), 0);
            double p = 1;
            for (int i : cuts[c].instances) {
                const int k = class_of[static_cast<std::size_t>(i)];
                if (k < 0) {
                    p *= d[static_cast<std::size_t>(i)];
                } else {
                    ++m[static_cast<std::size_t>(k)];
                }
            }
            for (std::size_t k = 0; k < m.size() && p > 0; ++k) {
                if (m[k] > 0) p *= choose(downs[k], m[k]) / choose(static_cast<int>(built.classes[k].size()), m[k]);
            }
            out.cut_set_probability[c] += pi[s] * p;
        }
        if (chain.is_up(static_cast<int>(s))) continue;
        // F-V: units in a minimal cut set that is down here, averaged over each class.
        std::fill(in_down_cut.begin(), in_down_cut.end(), 0);
        for (const CutSet& c : fv_cuts) {
            bool all = true;
            for (int i : c.instances) all = all && d[static_cast<std::size_t>(i)];
            if (!all) continue;
            for (int i : c.instances) in_down_cut[static_cast<std::size_t>(i)] = 1;
        }
        std::vector<double> class_share(built.classes.size(), 0.0);
        for (std::size_t k = 0; k < built.classes.size(); ++k) {
            for (int i : built.classes[k]) class_share[k] += in_down_cut[static_cast<std::size_t>(i)];
            class_share[k] /= static_cast<double>(built.classes[k].size());
        }
        for (std::size_t i = 0; i < n; ++i) {
            const int k = class_of[i];
            fv[i] += pi[s] * (k < 0 ? in_down_cut[i] : class_share[static_cast<std::size_t>(k)]);
        }
    }

    // Q with one unit pinned: a chain of its own (the unit leaves its class; the others stay lumped).
    auto pinned_q = [&](int i, int state) {
        ChainOptions options;
        options.max_states = max_states;
        options.pinned.assign(n, -1);
        options.pinned[static_cast<std::size_t>(i)] = state;
        // Pinned down, the unit's loss may trigger a reconfiguration at the start (a failover group
        // detects it and switches) that never undoes itself: the start is then transient, and the
        // long-run distribution is that of the closed class it leads to (Ctmc::long_run_distribution).
        const Ctmc pinned = build_chain(model, graph, options).chain;
        const std::vector<double> p = pinned.long_run_distribution();
        double down = 0;
        for (std::size_t s = 0; s < p.size(); ++s) down += pinned.is_up(static_cast<int>(s)) ? 0.0 : p[s];
        return down;
    };
    std::vector<double> q_up(n), q_down(n);
    for (int r : representatives) {
        const double u = pinned_q(r, 0), dn = pinned_q(r, 1);
        const int k = class_of[static_cast<std::size_t>(r)];
        if (k < 0) {
            q_up[static_cast<std::size_t>(r)] = u;
            q_down[static_cast<std::size_t>(r)] = dn;
        } else {
            for (int i : built.classes[static_cast<std::size_t>(k)]) {
                q_up[static_cast<std::size_t>(i)] = u;
                q_down[static_cast<std::size_t>(i)] = dn;
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        Importance imp;
        imp.instance = static_cast<int>(i);
        imp.name = model.instance_name(static_cast<int>(i));
        imp.unavailability = q[i];
        imp.birnbaum = q_down[i] - q_up[i];  // A(up) - A(down)
        imp.criticality = Q > 0 ? imp.birnbaum * q[i] / Q : 0.0;
        imp.fussell_vesely = Q > 0 ? fv[i] / Q : std::numeric_limits<double>::quiet_NaN();
        imp.raw = Q > 0 ? q_down[i] / Q : std::numeric_limits<double>::infinity();
        imp.rrw = q_up[i] > Q * 1e-12 ? Q / q_up[i] : std::numeric_limits<double>::infinity();
        out.importance.push_back(imp);
    }
    out.computed = true;
    (void)graph;
    return out;
}

}  // namespace nines::analytic
