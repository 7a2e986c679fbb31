#include "analytic/analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analytic/closed_forms.h"
#include "analytic/component_measures.h"
#include "analytic/ctmc_builder.h"
#include "analytic/quadrature.h"
#include "analytic/structure_function.h"
#include "model/structure_graph.h"

namespace nines::analytic {

namespace {

struct Prepared {
    StructureGraph graph;
    std::vector<ComponentMeasures> by_component;
    std::vector<double> a, q, nu;  // per instance
    bool all_repairable = true;
    bool repairable_all_exponential = true;
    bool all_exponential = true;
};

Prepared prepare(const Model& model) {
    Prepared p;
    p.graph = StructureGraph::compile(model);
    for (const Component& c : model.components) {
        p.by_component.push_back(component_measures(c));
        const ComponentMeasures& m = p.by_component.back();
        p.all_repairable = p.all_repairable && m.repairable;
        p.all_exponential = p.all_exponential && m.exponential;
        if (m.repairable && !m.exponential) p.repairable_all_exponential = false;
    }
    for (const Instance& inst : model.instances) {
        const ComponentMeasures& m = p.by_component[static_cast<std::size_t>(inst.component)];
        p.a.push_back(m.availability);
        p.q.push_back(m.repairable ? m.mdt_h / (m.mttf_h + m.mdt_h) : 1.0);
        p.nu.push_back(m.frequency_per_h);
    }
    return p;
}

// True when every node reachable from the root has one parent and no repeated child: then the
// series / parallel / k-of-n formulas apply node by node.
bool is_tree(const StructureGraph& g) {
    for (int n = 0; n < g.node_count; ++n) {
        if (g.parent_begin[static_cast<std::size_t>(n) + 1] - g.parent_begin[static_cast<std::size_t>(n)] > 1) return false;
    }
    return true;
}

UpDown closed_form(const StructureGraph& g, const Prepared& p) {
    std::vector<UpDown> value(static_cast<std::size_t>(g.node_count));
    for (int i = 0; i < g.instance_count; ++i) value[static_cast<std::size_t>(i)] = {p.a[static_cast<std::size_t>(i)], p.q[static_cast<std::size_t>(i)]};
    std::vector<UpDown> kids;
    for (int n : g.gate_order) {
        kids.clear();
        for (int k = g.child_begin[static_cast<std::size_t>(n)]; k < g.child_begin[static_cast<std::size_t>(n) + 1]; ++k) {
            kids.push_back(value[static_cast<std::size_t>(g.children[static_cast<std::size_t>(k)])]);
        }
        const int count = static_cast<int>(kids.size());
        const int need_up = count - g.threshold[static_cast<std::size_t>(n)] + 1;
        value[static_cast<std::size_t>(n)] = need_up == count ? series(kids) : need_up == 1 ? parallel(kids) : k_of_n(need_up, kids);
    }
    return value[static_cast<std::size_t>(g.root)];
}

// Times at which some instance's A(t) or survival can jump (fixed, empirical and uniform laws,
// Weibull locations), so the integrator splits there.
std::vector<double> breakpoints(const Model& model) {
    std::vector<double> cuts;
    for (const Component& c : model.components) {
        const Distribution& d = c.failure;
        if (d.kind == DistributionKind::Fixed) cuts.push_back(d.a);
        if (d.kind == DistributionKind::Uniform) {
            cuts.push_back(d.a);
            cuts.push_back(d.b);
        }
        if (d.kind == DistributionKind::Weibull && d.c > 0) cuts.push_back(d.c);
        if (d.kind == DistributionKind::Empirical) cuts.insert(cuts.end(), d.values.begin(), d.values.end());
    }
    return cuts;
}

// The shortest time scale on which some instance's A(t) changes: the first quadrature panel.
double shortest_scale(const Model& model, const std::vector<ComponentMeasures>& m) {
    double scale = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < m.size(); ++c) {
        if (m[c].repairable) {
            scale = std::min(scale, 1.0 / (1.0 / m[c].mttf_h + 1.0 / m[c].mdt_h));
        } else {
            scale = std::min(scale, model.components[c].failure.mean());
        }
    }
    return scale / 16;
}

// P(down at t) for one instance, computed without 1 - A(t) where a closed form allows it.
double point_unavailability(const ComponentMeasures& m, const Component& c, double t) {
    if (!m.repairable) {
        const Distribution& d = c.failure;
        if (d.kind == DistributionKind::Exponential) return -std::expm1(-t / d.a);
        if (d.kind == DistributionKind::Weibull) return t <= d.c ? 0.0 : -std::expm1(-std::pow((t - d.c) / d.b, d.a));
        return 1.0 - survival(d, t);
    }
    const double lam = 1.0 / m.mttf_h, mu = 1.0 / m.mdt_h;
    return lam / (lam + mu) * -std::expm1(-(lam + mu) * t);
}

// System A(t) and Q(t) from an all-up start, for models whose instances all have exact transients.
StructureFunction::Value system_at(const Model& model, const Prepared& p, const StructureFunction& sf, double t) {
    std::vector<double> a(model.instances.size()), q(model.instances.size());
    for (std::size_t c = 0; c < model.components.size(); ++c) {  // instances of a component share A(t)
        const Component& comp = model.components[c];
        const double ac = point_availability(p.by_component[c], comp, t);
        const double qc = point_unavailability(p.by_component[c], comp, t);
        for (int k = 0; k < comp.count; ++k) {
            a[static_cast<std::size_t>(comp.first_instance + k)] = ac;
            q[static_cast<std::size_t>(comp.first_instance + k)] = qc;
        }
    }
    return sf.evaluate(a, q);
}

}  // namespace

namespace {
// Hidden failures found at periodic inspections: the down time depends on when in the inspection
// cycle the failure falls, so neither the renewal formulas nor the Markov chain here apply.
std::string inspected_component(const Model& model) {
    for (const Component& c : model.components) {
        if (c.inspect_every_h > 0) return c.name;
    }
    return "";
}
// Periodic preventive maintenance: deterministic schedules, outside the renewal formulas and the chain.
std::string maintained_component(const Model& model) {
    for (const Component& c : model.components) {
        if (c.maintenance_every_h > 0) return c.name;
    }
    return "";
}
}  // namespace

AnalyticResults analyze(const Model& model, const AnalysisOptions& options) {
    if (const std::string name = inspected_component(model); !name.empty()) {
        throw UnsupportedError("no exact method applies: component '" + name + "' has hidden failures found by periodic "
                               "inspections, which the analytic module does not model");
    }
    if (const std::string name = maintained_component(model); !name.empty()) {
        throw UnsupportedError("no exact method applies: component '" + name + "' has periodic preventive maintenance, "
                               "which the analytic module does not model");
    }
    const Prepared p = prepare(model);
    const StructureGraph& g = p.graph;
    const StructureFunction sf = StructureFunction::build(g, options.bdd_node_limit);
    AnalyticResults r;
    r.bdd_nodes = sf.bdd.size();

    std::vector<double> birnbaum;
    const StructureFunction::Value exact = sf.evaluate_with_birnbaum(p.a, p.q, birnbaum);
    const bool crews = model.has_dependencies();
    const std::string why = model.dependency_reason();
    if (crews && options.method == Method::Bdd) {
        throw UnsupportedError(why + " make components dependent: the BDD (which assumes independent "
                               "components) does not apply; use the CTMC method");
    }
    if (crews) {
        // Components compete for crews: only the Markov chain is exact.
        Ctmc chain = [&]() {
            try {
                return build_independent_ctmc(model, g, options.ctmc_state_limit);
            } catch (const UnsupportedError& e) {
                throw UnsupportedError(e.where(), "no exact method applies: " + why + " make components dependent, "
                                       "so only a Markov chain is exact, and " + e.what());
            }
        }();
        r.method = "CTMC";
        r.method_reason = why + " make components dependent: exact Markov chain on " + std::to_string(chain.states()) +
                          " states (repair queues and shocks included)";
        const std::vector<double> pi = chain.steady_state();
        for (int s = 0; s < chain.states(); ++s) {
            (chain.is_up(s) ? r.availability : r.unavailability) += pi[static_cast<std::size_t>(s)];
        }
        r.failure_frequency_per_h = chain.failure_frequency(pi);
        r.mtbf_h = r.failure_frequency_per_h > 0 ? 1.0 / r.failure_frequency_per_h : std::numeric_limits<double>::infinity();
        r.mdt_h = r.failure_frequency_per_h > 0 ? r.unavailability / r.failure_frequency_per_h : 0.0;
        r.nines = r.unavailability > 0 ? -std::log10(r.unavailability) : std::numeric_limits<double>::infinity();
        r.downtime_h_per_year = r.unavailability * kHoursPerYear;
        r.mttf_h = chain.mean_time_to_failure();
        r.mttf_method = "CTMC (" + std::to_string(chain.states()) + " states)";
        const CutSetList cuts = minimal_cut_sets(g, p.q, options.max_cut_set_order);
        r.cut_set_order = cuts.max_order;
        r.cut_sets_truncated = cuts.truncated;
        double total = 0;
        for (const CutSet& c : cuts.sets) total += c.probability;
        for (const CutSet& c : cuts.sets) {
            NamedCutSet named;
            for (int i : c.instances) named.instances.push_back(model.instance_name(i));
            named.probability = c.probability;
            named.share = total > 0 ? c.probability / total : 0.0;
            r.cut_sets.push_back(std::move(named));
        }
        r.notes.push_back("importance measures are not computed here (they assume independent components); cut set "
                          "probabilities treat components as independent, an approximation");
        return r;
    }
    if (options.method == Method::Ctmc) {
        const Ctmc chain = build_independent_ctmc(model, g, options.ctmc_state_limit);
        r.method = "CTMC";
        r.method_reason = "requested: steady state of the Markov chain on " + std::to_string(chain.states()) + " states";
        r.availability = chain.steady_availability();
        r.unavailability = chain.steady_unavailability();
    } else if (options.method == Method::Auto && is_tree(g)) {
        const UpDown v = closed_form(g, p);
        r.method = "closed form";
        r.method_reason = "every component appears once and nothing is required: series, parallel and k-of-n formulas apply";
        r.availability = v.up;
        r.unavailability = v.down;
    } else {
        r.method = "BDD";
        r.method_reason = "shared components or requires make the closed forms inexact: exact evaluation on a binary "
                          "decision diagram of " + std::to_string(r.bdd_nodes) + " nodes";
        r.availability = exact.availability;
        r.unavailability = exact.unavailability;
    }
    const double Q = r.unavailability;
    r.nines = Q > 0 ? -std::log10(Q) : std::numeric_limits<double>::infinity();
    r.downtime_h_per_year = Q * kHoursPerYear;
    if (!p.all_repairable) {
        r.notes.push_back("some components are not repairable: in the steady state they are down, so the steady-state "
                          "figures describe the end of life; see MTTF and the simulation's R(t)");
    }

    double nu = 0;
    for (std::size_t i = 0; i < birnbaum.size(); ++i) nu += birnbaum[i] * p.nu[i];
    r.failure_frequency_per_h = nu;
    r.mtbf_h = nu > 0 ? 1.0 / nu : std::numeric_limits<double>::infinity();
    r.mdt_h = nu > 0 ? Q / nu : 0.0;

    // Minimal cut sets and the importance measures that use them.
    const CutSetList cuts = minimal_cut_sets(g, p.q, options.max_cut_set_order);
    r.cut_set_order = cuts.max_order;
    r.cut_sets_truncated = cuts.truncated;
    double cut_total = 0;
    for (const CutSet& c : cuts.sets) cut_total += c.probability;
    std::vector<double> fv_sum(model.instances.size(), 0.0);
    for (const CutSet& c : cuts.sets) {
        NamedCutSet named;
        for (int i : c.instances) {
            named.instances.push_back(model.instance_name(i));
            fv_sum[static_cast<std::size_t>(i)] += c.probability;
        }
        named.probability = c.probability;
        named.share = cut_total > 0 ? c.probability / cut_total : 0.0;
        r.cut_sets.push_back(std::move(named));
    }

    for (std::size_t i = 0; i < model.instances.size(); ++i) {
        Importance imp;
        imp.instance = static_cast<int>(i);
        imp.name = model.instance_name(static_cast<int>(i));
        imp.unavailability = p.q[i];
        imp.birnbaum = birnbaum[i];
        const double q_if_perfect = Q - p.q[i] * birnbaum[i];
        const double q_if_failed = Q + p.a[i] * birnbaum[i];
        imp.criticality = Q > 0 ? birnbaum[i] * p.q[i] / Q : 0.0;
        imp.fussell_vesely = cut_total > 0 ? fv_sum[i] / cut_total : 0.0;
        imp.raw = Q > 0 ? q_if_failed / Q : std::numeric_limits<double>::infinity();
        imp.rrw = q_if_perfect > Q * 1e-12 ? Q / q_if_perfect : std::numeric_limits<double>::infinity();
        r.importance.push_back(imp);
    }
    // Most critical first; values equal up to rounding keep the instances in model order.
    auto same = [](double x, double y) { return std::fabs(x - y) <= 1e-9 * std::max(std::fabs(x), std::fabs(y)); };
    std::sort(r.importance.begin(), r.importance.end(), [&](const Importance& x, const Importance& y) {
        if (!same(x.criticality, y.criticality)) return x.criticality > y.criticality;
        if (!same(x.birnbaum, y.birnbaum)) return x.birnbaum > y.birnbaum;
        return x.instance < y.instance;
    });

    // Mean time to the first system failure.
    if (p.all_repairable) {
        try {
            const Ctmc chain = build_independent_ctmc(model, g, options.ctmc_state_limit);
            r.mttf_h = chain.mean_time_to_failure();
            r.mttf_method = "CTMC (" + std::to_string(chain.states()) + " states)";
        } catch (const UnsupportedError& e) {
            r.mttf_method = std::string("not computed: ") + e.what();
        }
    } else {
        bool none_repairable = true;
        for (const ComponentMeasures& m : p.by_component) none_repairable = none_repairable && !m.repairable;
        if (none_repairable) {
            // R(t) = A(t) = h(S_i(t)); MTTF = integral of R over [0, inf), cut where R has vanished.
            auto reliability = [&](double t) { return system_at(model, p, sf, t).availability; };
            double end = 1;
            for (const Component& c : model.components) end = std::max(end, c.failure.mean());
            while (reliability(end) > 1e-13 && end < 1e12) end *= 2;
            r.mttf_h = integrate(reliability, 0.0, end, breakpoints(model), shortest_scale(model, p.by_component));
            r.mttf_method = "integral of R(t) = h(survival functions)";
        } else {
            r.mttf_method = "not computed: mixes repairable and non-repairable components";
        }
    }
    return r;
}

AvailabilityReference interval_availability_reference(const Model& model, double warmup_h, double horizon_h,
                                                       const AnalysisOptions& options) {
    AvailabilityReference ref;
    if (const std::string name = inspected_component(model); !name.empty()) {
        ref.reason = "component '" + name + "' has hidden failures found by periodic inspections, which the analytic "
                     "module does not model";
        return ref;
    }
    if (const std::string name = maintained_component(model); !name.empty()) {
        ref.reason = "component '" + name + "' has periodic preventive maintenance, which the analytic module does not model";
        return ref;
    }
    const Prepared p = prepare(model);
    const double window = horizon_h - warmup_h;
    if (model.has_dependencies()) {
        const std::string why = model.dependency_reason();
        try {
            const Ctmc chain = build_independent_ctmc(model, p.graph, options.ctmc_state_limit);
            ref.availability = chain.interval_availability(warmup_h, horizon_h);
            ref.unavailability = 1.0 - ref.availability;
            ref.applicable = true;
            ref.exact = true;
            ref.quantity = "exact interval availability (CTMC)";
        } catch (const UnsupportedError& e) {
            ref.reason = why + " make components dependent; only a Markov chain is exact, and " + e.what();
        }
        return ref;
    }
    const StructureFunction sf = StructureFunction::build(p.graph, options.bdd_node_limit);
    if (p.repairable_all_exponential) {
        // Exact: A_i(t) in closed form, pushed through the structure function, integrated.
        auto q_sys = [&](double t) { return system_at(model, p, sf, t).unavailability; };
        const double first = shortest_scale(model, p.by_component);
        // Integrate the unavailability so that small values keep their relative precision; the
        // panels start at 0 so the start-up transient is resolved even when a warm-up cuts into it.
        const double from_zero = integrate(q_sys, 0.0, horizon_h, breakpoints(model), first);
        const double before = warmup_h > 0 ? integrate(q_sys, 0.0, warmup_h, breakpoints(model), first) : 0.0;
        ref.unavailability = (from_zero - before) / window;
        ref.availability = 1.0 - ref.unavailability;
        ref.applicable = true;
        ref.exact = true;
        ref.quantity = "exact interval availability";
        return ref;
    }
    if (!p.all_repairable) {
        ref.reason = "non-repairable components with non-exponential repairable ones: no exact transient";
        return ref;
    }
    std::vector<double> birnbaum;
    const StructureFunction::Value steady = sf.evaluate_with_birnbaum(p.a, p.q, birnbaum);
    double longest_cycle = 0;
    for (const ComponentMeasures& m : p.by_component) longest_cycle = std::max(longest_cycle, m.mttf_h + m.mdt_h);
    if (warmup_h == 0) {
        // Integral of A(t) - A over [0, inf) for each instance (renewal theory), first order in the
        // structure: the start-up transient adds sum_i B_i delta_i / window.
        double correction = 0;
        for (std::size_t i = 0; i < model.instances.size(); ++i) {
            const ComponentMeasures& m = p.by_component[static_cast<std::size_t>(model.instances[i].component)];
            correction += birnbaum[i] * m.startup_area_h;
        }
        ref.unavailability = steady.unavailability - correction / window;
        ref.availability = steady.availability + correction / window;
        ref.applicable = true;
        ref.quantity = "steady state + start-up correction";
        return ref;
    }
    if (warmup_h >= 10 * longest_cycle) {
        ref.unavailability = steady.unavailability;
        ref.availability = steady.availability;
        ref.applicable = true;
        ref.quantity = "steady state after warm-up";
        return ref;
    }
    ref.reason = "the warm-up is neither 0 nor long enough (10 cycles) for the steady state, and non-exponential "
                 "repairs have no closed-form transient";
    return ref;
}

}  // namespace nines::analytic
