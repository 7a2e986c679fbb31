#include "analytic/analysis.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analytic/bdd.h"
#include "analytic/bdd_cut_sets.h"
#include "analytic/cut_set_union.h"
#include "analytic/probability_bracket.h"
#include "analytic/closed_forms.h"
#include "analytic/chain_importance.h"
#include "analytic/component_measures.h"
#include "analytic/ctmc_builder.h"
#include "analytic/quadrature.h"
#include "analytic/renewal.h"
#include "analytic/standby_structure.h"
#include "analytic/variable_order.h"
#include "analytic/structure_cut_sets.h"
#include "analytic/structure_function.h"
#include "analytic/tree_classes.h"
#include "analytic/tree_gradient.h"
#include "model/structure_graph.h"
#include "model/units_format.h"

namespace nines::analytic {

namespace {

struct Prepared {
    StructureGraph graph;      // as compiled: standby groups are nodes whose state the Markov chain sets
    StructureGraph structure;  // for the structure function: standby groups as k-of-n of their units
    std::vector<ComponentMeasures> by_component;
    std::vector<double> a, q, nu;  // per instance
    bool all_repairable = true;
    bool repairable_all_exponential = true;
    bool all_exponential = true;
};

Prepared prepare(const Model& model) {
    Prepared p;
    p.graph = StructureGraph::compile(model);
    p.structure = standby_as_k_of_n(model, p.graph);
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
    return tree_node_values(g, p.a, p.q)[static_cast<std::size_t>(g.root)];
}

// Steady-state rates from each instance's Birnbaum importance: nu = sum_i Birnbaum_i nu_i, MTBF = 1 / nu,
// MDT = Q / nu.
void fill_rates(const Prepared& p, const std::vector<double>& birnbaum, double Q, AnalyticResults& r) {
    double nu = 0;
    for (std::size_t i = 0; i < birnbaum.size(); ++i) nu += birnbaum[i] * p.nu[i];
    r.failure_frequency_per_h = nu;
    r.mtbf_h = nu > 0 ? 1.0 / nu : std::numeric_limits<double>::infinity();
    r.mdt_h = nu > 0 ? Q / nu : 0.0;
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
    // lam / (lam + mu) written as MDT / (MTTF + MDT), finite when a denormal MTTF makes lam overflow.
    return m.mdt_h / (m.mttf_h + m.mdt_h) * -std::expm1(-(1.0 / m.mttf_h + 1.0 / m.mdt_h) * t);
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

// The same for a tree-shaped structure, through classes of identical subtrees (tree_classes.h): one
// A(t) per distinct set of laws and one closed form per class, so each time t costs O(classes), not
// O(instances). Built only when the structure is a tree.
class TreeSystemAt {
public:
    TreeSystemAt(const Model& model, const Prepared& p, const std::vector<std::size_t>& same_laws_as)
        : TreeSystemAt(model, p, leaf_classes(model, same_laws_as)) {}

    StructureFunction::Value operator()(double t) const {
        std::vector<UpDown> leaf(representative_.size());
        for (std::size_t k = 0; k < representative_.size(); ++k) {
            const std::size_t c = representative_[k];
            leaf[k] = UpDown{point_availability(p_.by_component[c], model_.components[c], t),
                             point_unavailability(p_.by_component[c], model_.components[c], t)};
        }
        const UpDown v = tree_.evaluate(leaf);
        return StructureFunction::Value{v.up, v.down};
    }
    // The system's unavailability given each component's (up, down) probabilities.
    double unavailability(const std::function<UpDown(std::size_t)>& component_value) const {
        std::vector<UpDown> leaf(representative_.size());
        for (std::size_t k = 0; k < representative_.size(); ++k) leaf[k] = component_value(representative_[k]);
        return tree_.evaluate(leaf).down;
    }

private:
    struct LeafClasses {
        std::vector<int> of_instance;             // the class of each instance's component's laws
        std::vector<std::size_t> representative;  // one component per class
    };
    static LeafClasses leaf_classes(const Model& model, const std::vector<std::size_t>& same_laws_as) {
        LeafClasses out;
        std::vector<int> class_of_component(model.components.size(), -1);
        for (std::size_t c = 0; c < model.components.size(); ++c) {
            const std::size_t first = same_laws_as[c];
            if (first == c) {
                class_of_component[c] = static_cast<int>(out.representative.size());
                out.representative.push_back(c);
            } else {
                class_of_component[c] = class_of_component[first];
            }
        }
        out.of_instance.resize(model.instances.size());
        for (std::size_t i = 0; i < model.instances.size(); ++i) {
            out.of_instance[i] = class_of_component[static_cast<std::size_t>(model.instances[i].component)];
        }
        return out;
    }
    TreeSystemAt(const Model& model, const Prepared& p, LeafClasses leaves)
        : model_(model), p_(p), representative_(std::move(leaves.representative)),
          tree_(p.graph, leaves.of_instance, static_cast<int>(representative_.size())) {}

    const Model& model_;
    const Prepared& p_;
    std::vector<std::size_t> representative_;  // declared before tree_, which is built from its size
    TreeClasses tree_;
};

// The lattice solution of the interval unavailability (see renewal.h) and its error.
struct LatticeReference {
    double unavailability = 0;
    double error = 0;      // 2 |this - the solution with twice the step| + the steady-state tail's bound
    int cells = 0;
    bool converged = false;
};

// Relative error the lattice solution aims at: far below any simulation's standard error.
constexpr double kLatticeRelativeTarget = 1e-4;
// Work bound: components x cells^2 (the renewal convolutions), about a second at the most.
constexpr double kLatticeWork = 4.0e9;

// For each component, the first component with the same laws (failure, repair, delays): a type used
// several times is solved once. Keys are the laws' exact bytes, so only identical laws match.
std::vector<std::size_t> same_laws(const Model& model) {
    auto append = [](std::string& key, const std::optional<Distribution>& d) {
        auto put = [&key](double v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
        key.push_back(d ? static_cast<char>('A' + static_cast<int>(d->kind)) : '-');
        if (!d) return;
        put(d->a);
        put(d->b);
        put(d->c);
        put(static_cast<double>(d->values.size()));
        for (double v : d->values) put(v);
    };
    std::map<std::string, std::size_t> first;
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < model.components.size(); ++c) {
        const Component& x = model.components[c];
        std::string key;
        append(key, x.failure);
        append(key, x.repair);
        append(key, x.detect);
        append(key, x.logistics);
        out.push_back(first.emplace(std::move(key), c).first->second);
    }
    return out;
}

// One lattice solution with `cells` cells over [0, solve_to]; past solve_to (when it is before the
// horizon) every component is taken to be in its steady state, and `tail_error` bounds what that
// misses by the largest deviation from the steady state over the last quarter of the lattice.
// The structure is evaluated through `tree` when it is a tree (one closed form per class of identical
// subtrees), otherwise through `sf`; exactly one of them is given.
double lattice_solution(const Model& model, const Prepared& p, const StructureFunction* sf, const TreeSystemAt* tree,
                        const std::vector<std::size_t>& same_laws_as, double warmup_h, double horizon_h, double solve_to,
                        int cells, double& tail_error) {
    const double h = solve_to / cells;
    std::vector<std::vector<double>> by_component;
    for (std::size_t c = 0; c < model.components.size(); ++c) {
        // Components with the same laws (a type used several times) share one solution.
        const std::size_t same = same_laws_as[c];
        by_component.push_back(same == c ? lattice_unavailability(model.components[c], h, cells) : by_component[same]);
    }
    const std::size_t n = tree ? 0 : model.instances.size();
    std::vector<double> a(n), q(n);
    auto system_q = [&](auto&& component_q) {
        if (tree) {
            return tree->unavailability([&](std::size_t c) {
                const double qc = component_q(c);
                return UpDown{1.0 - qc, qc};
            });
        }
        for (std::size_t c = 0; c < model.components.size(); ++c) {
            const Component& comp = model.components[c];
            const double qc = component_q(c);
            for (int k = 0; k < comp.count; ++k) {
                q[static_cast<std::size_t>(comp.first_instance + k)] = qc;
                a[static_cast<std::size_t>(comp.first_instance + k)] = 1.0 - qc;
            }
        }
        return sf->evaluate(a, q).unavailability;
    };
    auto steady_q = [&] {
        if (!tree) return sf->evaluate(p.a, p.q).unavailability;
        return tree->unavailability([&](std::size_t c) {
            const auto i = static_cast<std::size_t>(model.components[c].first_instance);
            return UpDown{p.a[i], p.q[i]};
        });
    };
    const double steady = solve_to < horizon_h ? steady_q() : 0.0;
    double area = 0, deviation = 0;
    for (int m = 0; m < cells; ++m) {
        const double lo = m * h, hi = m + 1 == cells ? solve_to : (m + 1) * h;
        const double overlap = std::max(0.0, std::min(hi, horizon_h) - std::max(lo, warmup_h));
        const bool late = 4 * m >= 3 * cells;
        if (overlap <= 0 && !late) continue;
        const double qs = system_q([&](std::size_t c) { return by_component[c][static_cast<std::size_t>(m)]; });
        area += overlap * qs;
        if (late) deviation = std::max(deviation, std::fabs(qs - steady));
    }
    tail_error = 0;
    if (solve_to < horizon_h) {
        const double tail = horizon_h - std::max(solve_to, warmup_h);
        area += tail * steady;
        tail_error = tail * deviation / (horizon_h - warmup_h);
    }
    return area / (horizon_h - warmup_h);
}

LatticeReference lattice_reference(const Model& model, const Prepared& p, const StructureFunction* sf,
                                   const TreeSystemAt* tree, double warmup_h, double horizon_h) {
    // Renewal processes forget their start within some tens of cycles; solve that far at most.
    double solve_to = horizon_h;
    if (p.all_repairable) {
        double longest_cycle = 0;
        for (const ComponentMeasures& m : p.by_component) longest_cycle = std::max(longest_cycle, m.mttf_h + m.mdt_h);
        if (std::isfinite(longest_cycle) && longest_cycle > 0) solve_to = std::min(horizon_h, 64 * longest_cycle);
    }
    const std::vector<std::size_t> same_laws_as = same_laws(model);
    double components = 0;  // distinct solutions to compute
    for (std::size_t c = 0; c < model.components.size(); ++c) components += same_laws_as[c] == c ? 1 : 0;
    components = std::max(components, 1.0);
    // At least 4096 cells when the work allows, fewer for very many distinct components (then the
    // error target is less likely met, and the reference says it is approximate).
    int max_cells = 512;
    while (components * 4.0 * (2.0 * max_cells) * (2.0 * max_cells) <= kLatticeWork && max_cells < (1 << 16)) max_cells *= 2;
    const int min_cells = std::min(4096, max_cells);
    LatticeReference r;
    double previous = 0, tail = 0;
    for (int cells = std::min(1024, max_cells / 2);; cells *= 2) {
        const double value = lattice_solution(model, p, sf, tree, same_laws_as, warmup_h, horizon_h, solve_to, cells, tail);
        if (!std::isfinite(value)) throw UnsupportedError("the renewal equations have no finite lattice solution");
        r.unavailability = value;
        r.cells = cells;
        if (cells > std::min(1024, max_cells / 2)) {
            // The difference between two solutions is the error of the finer one when it falls as h
            // (3 times it when it falls as h^2, as for smooth laws); twice it is a margin for both.
            r.error = 2 * std::fabs(value - previous) + tail;
            r.converged = r.error <= kLatticeRelativeTarget * value;
            if (cells >= min_cells && (r.converged || cells >= max_cells)) break;
        }
        previous = value;
    }
    return r;
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

// A k-of-n gate needs about k (n - k + 1) diagram nodes even over plain variables: give up the diagram
// at once, naming the block, rather than build towards the node limit (seconds and gigabytes for a wide
// one); the caller then answers as for any structure too large for its diagram (cut_sets_only).
void check_k_of_n_sizes(const Model& model, const StructureGraph& g, std::size_t node_limit) {
    for (std::size_t b = 0; b < model.blocks.size(); ++b) {
        const Block& block = model.blocks[b];
        if ((block.kind != BlockKind::KOfN && block.kind != BlockKind::Capacity) || b >= g.block_node.size()) continue;
        const int node = g.block_node[b];
        if (node < 0 || g.is_leaf(node)) continue;
        const double count = g.child_count(node);
        const double need_up = g.need_up(node);
        // Weighted (a capacity block): a node per child and reachable weight below the demand.
        const double nodes = g.unit_weights(node) ? need_up * (count - need_up + 1) : need_up * count;
        if (nodes > static_cast<double>(node_limit)) {
            throw BddNodeLimitError(block.location,
                                    fmt::format("the exact (BDD) evaluation of the {} at {} ({} of {}) needs about {:.3g} "
                                                "nodes, more than the limit of {}", to_string(block.kind), block.location.str(),
                                                need_up, static_cast<double>(g.total_weight(node)), nodes, node_limit));
        }
    }
}

// The place a reason is about: the component it names, otherwise the system.
SourceLocation place_of(const Model& model, const std::string& reason) {
    for (const Component& c : model.components) {
        if (reason.find("component '" + c.name + "'") != std::string::npos) return c.location;
    }
    if (model.system_block >= 0 && static_cast<std::size_t>(model.system_block) < model.blocks.size()) {
        return model.blocks[static_cast<std::size_t>(model.system_block)].location;
    }
    return {};
}

// The ZBDD node limit grows with the model: 500,000 pairs in series are 500,000 cut sets of order 2, a
// family of about 2 nodes per instance; 8 per instance (320 MB at 10^6 instances) lets such linear
// families through while a combinatorial one still stops at the fixed limit of small models. A BDD
// memory budget above the default raises it in proportion (the diagrams' memory, asked for as one).
std::size_t cut_set_node_limit(std::size_t instances, const AnalysisOptions& options) {
    const std::size_t scale = std::max<std::size_t>(1, options.bdd_node_limit / kDefaultBddNodeLimit);
    return std::max(kCutSetZbddNodeLimit * scale, 8 * instances);
}

// A cut set by its instances' names, with its probability and its share of `total` (0 when total is 0).
NamedCutSet named_cut_set(const Model& model, const CutSet& set, double probability, double total) {
    NamedCutSet named;
    for (int i : set.instances) named.instances.push_back(model.instance_name(i));
    named.probability = probability;
    named.share = total > 0 ? probability / total : 0.0;
    return named;
}

// Minimal cut sets from the BDD (ZBDD, order limit inside the construction) into `r`; shares are of
// `q_total`, the exact unavailability of the structure with independent components.
BddCutSets list_cut_sets(const Model& model, const StructureFunction& sf, const Prepared& p, const AnalysisOptions& options,
                         double q_total, AnalyticResults& r) {
    BddCutSets cuts = bdd_minimal_cut_sets(sf, p.q, options.max_cut_set_order, cut_set_node_limit(p.q.size(), options));
    r.cut_set_order = cuts.listed.max_order;
    r.cut_sets_truncated = cuts.listed.truncated;
    r.cut_sets_complete = cuts.listed.complete();
    r.cut_set_count = cuts.count_within_order;
    r.fussell_vesely_complete = cuts.all_known;
    r.zbdd_nodes = cuts.zbdd_nodes;
    for (const CutSet& c : cuts.listed.sets) r.cut_sets.push_back(named_cut_set(model, c, c.probability, q_total));
    return cuts;
}

// Importance of every instance for independent components with unavailabilities p.q: Birnbaum from
// the BDD, F-V from the minimal cut sets' ZBDD. Most critical first.
void fill_importance(const Model& model, const Prepared& p, const std::vector<double>& birnbaum, double Q,
                     const BddCutSets& cuts, AnalyticResults& r) {
    const double fv_total = cuts.total;
    const std::vector<double>& fv_sum = cuts.containing;
    for (std::size_t i = 0; i < model.instances.size(); ++i) {
        Importance imp;
        imp.instance = static_cast<int>(i);
        imp.name = model.instance_name(static_cast<int>(i));
        imp.unavailability = p.q[i];
        imp.birnbaum = birnbaum[i];
        const double q_if_perfect = Q - p.q[i] * birnbaum[i];
        const double q_if_failed = Q + p.a[i] * birnbaum[i];
        imp.criticality = Q > 0 ? birnbaum[i] * p.q[i] / Q : 0.0;
        imp.fussell_vesely = fv_total > 0 ? fv_sum[i] / fv_total : std::numeric_limits<double>::quiet_NaN();
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

}

// What the structure alone gives when no exact method applies to the availability: minimal cut sets,
// and importance measures for independent components with the unavailabilities of their own laws
// (a ranking, with its caveat in the notes). The availability figures are not computed (NaN, null
// in JSON, "not computed" in text); `method_reason` says why.
AnalyticResults structure_only(const Model& model, const Prepared& p, const StructureFunction& sf,
                               const AnalysisOptions& options, const std::string& reason, const std::string& caveat,
                               double q_independent, const std::vector<double>& birnbaum, AnalyticResults r) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    r.method = "structure only";
    r.method_reason = reason;
    r.availability_computed = false;
    r.availability = r.unavailability = r.nines = r.downtime_h_per_year = nan;
    r.failure_frequency_per_h = r.mtbf_h = r.mdt_h = nan;
    r.mttf_method = "not computed: " + reason;
    const BddCutSets cuts = list_cut_sets(model, sf, p, options, q_independent, r);
    fill_importance(model, p, birnbaum, q_independent, cuts, r);
    r.notes.push_back("importance measures, cut set probabilities and shares are from the structure alone (" + caveat +
                      "; each unit's unavailability from its own failure and repair laws): a ranking of what matters, "
                      "not exact values for this model");
    return r;
}

// Dependent components: cut set probabilities and importance measures from the Markov chain
// (chain_importance.h), exact; when the chain is too large to solve once per unit, the cut sets
// keep the product of the units' unavailabilities and the note says so.
void add_chain_importance(const Model& model, const StructureGraph& g, const std::vector<double>& q,
                          const BuiltChain& built, const std::vector<double>& pi, const CutSetList& cuts,
                          const AnalysisOptions& options, AnalyticResults& r) {
    CutSetList unlimited;
    const CutSetList* fv_cuts = &cuts;
    if (!cuts.complete()) {
        unlimited = minimal_cut_sets(g, q, std::max(options.max_cut_set_order, g.instance_count), kFussellVeselySetCap,
                                     kFussellVeselyWork);
        if (unlimited.complete()) fv_cuts = &unlimited;
    }
    ChainImportance ci;
    try {
        ci = chain_importance(model, g, built, pi, cuts.sets, fv_cuts->sets, options.ctmc_state_limit);
    } catch (const UnsupportedError& e) {
        ci.reason = std::string("importance by the Markov chain failed: ") + e.what();
    }
    std::vector<double> probability;
    for (std::size_t c = 0; c < cuts.sets.size(); ++c) {
        probability.push_back(ci.computed ? ci.cut_set_probability[c] : cuts.sets[c].probability);
    }
    double total = 0;
    for (double v : probability) total += v;
    for (std::size_t c = 0; c < cuts.sets.size(); ++c) {
        r.cut_sets.push_back(named_cut_set(model, cuts.sets[c], probability[c], total));
    }
    if (!ci.computed) {
        r.notes.push_back("importance measures are not computed here: " + ci.reason + "; cut set probabilities treat "
                          "components as independent, an approximation");
        return;
    }
    // Most probable first, as for independent components.
    std::stable_sort(r.cut_sets.begin(), r.cut_sets.end(),
                     [](const NamedCutSet& x, const NamedCutSet& y) { return x.probability > y.probability; });
    r.importance = std::move(ci.importance);
    r.fussell_vesely_complete = fv_cuts->complete();
    auto same = [](double x, double y) { return std::fabs(x - y) <= 1e-9 * std::max(std::fabs(x), std::fabs(y)); };
    std::sort(r.importance.begin(), r.importance.end(), [&](const Importance& x, const Importance& y) {
        if (!same(x.criticality, y.criticality)) return x.criticality > y.criticality;
        if (!same(x.birnbaum, y.birnbaum)) return x.birnbaum > y.birnbaum;
        return x.instance < y.instance;
    });
    r.notes.push_back("importance measures and cut set probabilities computed by the Markov chain (exact, dependencies "
                      "included): Birnbaum = A(unit never fails) - A(unit always down, holding no crew), each a chain "
                      "solved again; F-V = P(a minimal cut set with the unit is down | system down); a cut set's "
                      "probability is P(all its units down together)");
    if (!r.fussell_vesely_complete) {
        r.notes.push_back(fmt::format("Fussell-Vesely counts the minimal cut sets up to order {} only: higher orders are "
                                      "too many to enumerate", cuts.max_order));
    }
}

// The instances of the listed minimal cut sets (most probable sets first), each once, at most `limit`.
std::vector<int> cut_set_instances(const std::vector<CutSet>& sets, std::size_t limit) {
    std::vector<int> out;
    for (const CutSet& c : sets) {
        for (const int i : c.instances) {
            if (out.size() >= limit) return out;
            if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
        }
    }
    return out;
}

// Without listed cut sets: the instances that are children of the most gates (shared units, such as a
// zone every host requires, are where a structure's dependence sits), ties by index, at most `limit`.
std::vector<int> most_shared_instances(const StructureGraph& g, std::size_t limit) {
    std::vector<int> out;
    for (int i = 0; i < g.instance_count; ++i) {
        if (g.parent_begin[static_cast<std::size_t>(i) + 1] > g.parent_begin[static_cast<std::size_t>(i)]) out.push_back(i);
    }
    auto parents = [&](int i) { return g.parent_begin[static_cast<std::size_t>(i) + 1] - g.parent_begin[static_cast<std::size_t>(i)]; };
    std::stable_sort(out.begin(), out.end(), [&](int x, int y) { return parents(x) > parents(y); });
    if (out.size() > limit) out.resize(limit);
    return out;
}

// Importance measures bounded from bounds on P(down | i down) = P1 and P(down | i up) = P0, and on P(down)
// itself (low, high). With P = q P1 + a P0, each measure is monotone in P1 and P0 (Birnbaum P1 - P0,
// criticality q (P1 - P0) / P, RAW P1 / P and RRW P / P0 = a + q P1 / P0 rise with P1 and fall with P0),
// so each is bounded at the corners of the two intervals; the bounds on P give a second certified pair
// for the measures that divide by it, and the tighter of each pair is kept.
ImportanceBounds importance_bounds(const std::string& name, double q, double a, double low, double high,
                                   const ProbabilityBracket& given_down, const ProbabilityBracket& given_up) {
    const double inf = std::numeric_limits<double>::infinity();
    const double l1 = given_down.lower;
    const double u1 = given_down.upper;
    const double l0 = given_up.lower;
    const double u0 = given_up.upper;
    auto ratio = [inf](double x, double y) { return y > 0 ? x / y : (x > 0 ? inf : 0.0); };
    ImportanceBounds b;
    b.name = name;
    b.unavailability = q;
    b.birnbaum_low = std::max(0.0, l1 - u0);
    b.birnbaum_high = std::min(1.0, std::max(0.0, u1 - l0));
    b.criticality_low = std::max(ratio(q * b.birnbaum_low, q * l1 + a * u0), ratio(q * b.birnbaum_low, high));
    b.criticality_high = std::min({1.0, ratio(q * b.birnbaum_high, q * u1 + a * l0), ratio(q * b.birnbaum_high, low)});
    b.raw_low = std::max(ratio(l1, q * l1 + a * u0), ratio(l1, high));
    b.raw_high = std::min(ratio(u1, q * u1 + a * l0), ratio(u1, low));
    b.rrw_low = std::max(a + ratio(q * l1, u0), ratio(low, u0));
    b.rrw_high = std::min(a + ratio(q * u1, l0), ratio(high, l0));
    return b;
}

// Certified bounds on the unavailability by conditioning, in the memory the diagrams were allowed:
// a sub-structure costs its set of instances (a bit each) and about 150 bytes besides. With the listed
// minimal cut sets, also bounds on their instances' importance (each conditioned run a tenth of the
// expansions: their cost stays within a few times the unconditioned run's).
void bracket_unavailability(const Model& model, const Prepared& p, const AnalysisOptions& options, const std::vector<CutSet>& listed,
                            AnalyticResults& r) {
    const double bytes_per_node = static_cast<double>((p.q.size() + 63) / 64 * 8 + 150);
    BracketBudget budget;
    budget.node_limit = static_cast<std::size_t>(static_cast<double>(bdd_memory_bound_bytes(options.bdd_node_limit)) / bytes_per_node);
    budget.branch_limit = options.bracket_branch_limit;
    std::vector<int> instances = cut_set_instances(listed, kImportanceBoundInstances);
    r.importance_bounds_of = "units of the listed minimal cut sets";
    if (instances.empty()) {
        instances = most_shared_instances(p.structure, kImportanceBoundInstances);
        r.importance_bounds_of = "units in the most gates, no minimal cut set being listed";
    }
    const std::optional<ConditionedBrackets> all = bracket_down_probability_given(
        p.structure, p.a, p.q, budget, instances, std::max(1L, options.bracket_branch_limit / 10));
    if (!all) {
        r.notes.push_back("no certified upper bound: " + bracket_refusal(p.structure, budget));
        return;
    }
    const ProbabilityBracket* const b = &all->unconditioned;
    const double from_cut_sets = r.unavailability_lower_bound;
    r.unavailability_lower_bound = std::isfinite(from_cut_sets) ? std::max(from_cut_sets, b->lower) : b->lower;
    r.unavailability_upper_bound = b->upper;
    r.bracket_branches = b->branches;
    r.notes.push_back(fmt::format(
        "the bounds are certified by conditioning on units' states ({} expansions of at most {}{}): gates split into "
        "independent parts, and the parts not expanded are bounded by Harris' inequality (README, \"Bounds when no "
        "diagram fits\"){}",
        b->branches, options.bracket_branch_limit, b->branches >= options.bracket_branch_limit ? ", the budget" : "",
        std::isfinite(from_cut_sets) ? fmt::format("; P(a listed minimal cut set is down) = {}", format_sig(from_cut_sets, 4)) : ""));

    for (std::size_t k = 0; k < instances.size(); ++k) {
        const auto i = static_cast<std::size_t>(instances[k]);
        r.importance_bounds.push_back(importance_bounds(model.instance_name(instances[k]), p.q[i], p.a[i], r.unavailability_lower_bound,
                                                        r.unavailability_upper_bound, all->given[k].first, all->given[k].second));
    }
    std::stable_sort(r.importance_bounds.begin(), r.importance_bounds.end(), [](const ImportanceBounds& x, const ImportanceBounds& y) {
        return x.criticality_high > y.criticality_high;
    });
}

// The structure function does not fit its diagram (BddNodeLimitError): a valid model all the same, so
// say why, and give what the structure yields without the diagram: the minimal cut sets up to the order
// limit on a ZBDD built from the structure (structure_cut_sets.h), each with the product of its units' unavailabilities.
AnalyticResults cut_sets_only(const Model& model, const Prepared& p, const AnalysisOptions& options, const std::string& why) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    AnalyticResults r;
    r.method = "cut sets only";
    r.method_reason = "no exact evaluation fits: " + why;
    r.availability_computed = false;
    r.availability = r.unavailability = r.nines = r.downtime_h_per_year = nan;
    r.failure_frequency_per_h = r.mtbf_h = r.mdt_h = nan;
    r.mttf_method = "not computed: " + r.method_reason;
    r.cut_set_order = options.max_cut_set_order;
    const bool independent = !model.has_dependencies();
    // Each unit's unavailability exact and the units independent: no inspections or maintenance (which
    // the analytic module does not model), nothing that makes units depend on each other.
    const bool exact_units = independent && inspected_component(model).empty() && maintained_component(model).empty();
    const bool tree = exact_units && is_tree(p.structure);
    std::optional<std::vector<double>> birnbaum;
    if (tree) {
        // A tree needs no diagram: the series, parallel and k-of-n formulas give its availability (a k-of-n
        // of a million units too wide for its diagram, say), and their derivatives each unit's Birnbaum
        // importance (tree_gradient.h), hence the rates.
        const std::vector<UpDown> values = tree_node_values(p.structure, p.a, p.q);
        const UpDown v = values[static_cast<std::size_t>(p.structure.root)];
        birnbaum = tree_birnbaum(p.structure, values);
        r.method = "closed form";
        r.method_reason = "every component appears once and nothing is required: series, parallel and k-of-n formulas "
                          "apply without the structure's diagram, which does not fit: " + why;
        r.availability_computed = true;
        r.availability = v.up;
        r.unavailability = v.down;
        r.nines = v.down > 0 ? -std::log10(v.down) : std::numeric_limits<double>::infinity();
        r.mttf_method = "not computed: it needs the structure's diagram";
        if (!options.mission_time_h) {
            r.downtime_h_per_year = v.down * kHoursPerYear;
            if (birnbaum) {
                fill_rates(p, *birnbaum, v.down, r);
            } else {
                r.notes.push_back(fmt::format("the failure frequency, MTBF and MDT need the importance measures, and a "
                                              "gate has more than {} children x threshold to differentiate: not computed",
                                              kTreeGradientWork));
            }
        }
    }
    // The importance measures once the cut sets are known (F-V uses them); without them, F-V alone is missing.
    auto finish = [&](const BddCutSets& known) {
        if (birnbaum) {
            fill_importance(model, p, *birnbaum, r.unavailability, known, r);
        } else if (!r.importance_bounds.empty()) {
            r.notes.insert(r.notes.begin(), fmt::format("importance measures need the exact structure function: certified "
                                                        "bounds only, for the {} {}{}",
                                                        r.importance_bounds.size(), r.importance_bounds_of,
                                                        r.importance_bounds.size() >= kImportanceBoundInstances ? " (the limit)" : ""));
        } else {
            r.notes.insert(r.notes.begin(), "importance measures need the exact structure function: not computed");
        }
    };
    BddCutSets cuts;
    try {
        cuts = structure_minimal_cut_sets(p.structure, p.q, options.max_cut_set_order, cut_set_node_limit(p.q.size(), options));
    } catch (const UnsupportedError& e) {
        r.cut_sets_truncated = true;
        r.notes.push_back(std::string("the minimal cut sets are not computed either: ") + e.what());
        cuts.containing.assign(p.q.size(), 0.0);  // no F-V
        if (exact_units && !tree) bracket_unavailability(model, p, options, {}, r);  // it needs no cut set
        finish(cuts);
        return r;
    }
    r.cut_sets_truncated = cuts.listed.truncated;
    r.cut_sets_complete = cuts.listed.complete();
    r.cut_set_count = cuts.count_within_order;
    // Shares of the exact unavailability where the closed form gave it, of the sets' sum otherwise.
    const double share_of = tree ? r.unavailability : cuts.total;
    for (const CutSet& c : cuts.listed.sets) r.cut_sets.push_back(named_cut_set(model, c, c.probability, share_of));
    if (exact_units && !tree && !cuts.listed.sets.empty()) {
        // Depth-first ranks: a set's events sit close together in the structure, so they do in the diagram.
        const std::vector<int> rank = variable_levels(p.structure, std::vector<std::uint8_t>(static_cast<std::size_t>(p.structure.node_count), 0),
                                                      VariableOrder::DepthFirst);
        if (const std::optional<double> bound = cut_set_union_probability(cuts.listed.sets, p.a, p.q, rank, options.bdd_node_limit)) {
            r.unavailability_lower_bound = *bound;
        }
    }
    if (exact_units && !tree) bracket_unavailability(model, p, options, cuts.listed.sets, r);
    r.notes.push_back(fmt::format(
        "the minimal cut sets are built without the structure function, on a ZBDD of each gate's sets ({} nodes); "
        "each set's probability is the product of its units' unavailabilities{}, and its share is of {}",
        cuts.zbdd_nodes, independent ? "" : " (taken as independent)",
        tree ? "the exact unavailability"
             : cuts.all_known ? "the sum over every minimal cut set"
                              : fmt::format("the sum over the sets of order <= {}", options.max_cut_set_order)));
    if (cuts.total > 0 && !tree) {
        // The union bound of a coherent structure of independent units, when every set is summed.
        r.notes.push_back(fmt::format("that sum, {}, {}; `nines run` estimates the unavailability with a confidence "
                                      "interval", format_sig(cuts.total, 4),
                                      cuts.all_known && independent
                                          ? "bounds the unavailability from above (every minimal cut set is in it)"
                                          : "approximates the unavailability only (the rare-event approximation: sets "
                                            "above the order limit are left out, overlaps counted twice)"));
    }
    finish(cuts);
    return r;
}

AnalyticResults analyze_model(const Model& model, const AnalysisOptions& options) {
    std::string not_modelled;
    if (const std::string name = inspected_component(model); !name.empty()) {
        not_modelled = "component '" + name + "' has hidden failures found by periodic inspections, which the analytic "
                       "module does not model";
    } else if (const std::string other = maintained_component(model); !other.empty()) {
        not_modelled = "component '" + other + "' has periodic preventive maintenance, which the analytic module does "
                       "not model";
    }
    const Prepared p = prepare(model);
    const StructureGraph& g = p.structure;
    std::optional<StructureFunction> built_sf;
    try {
        check_k_of_n_sizes(model, g, options.bdd_node_limit);
        built_sf.emplace(StructureFunction::build(g, options.bdd_node_limit));
    } catch (const BddNodeLimitError& e) {
        return cut_sets_only(model, p, options, e.what());
    }
    const StructureFunction& sf = *built_sf;
    AnalyticResults r;
    r.bdd_nodes = sf.bdd.size();

    std::vector<double> birnbaum;
    const StructureFunction::Value exact = sf.evaluate_with_birnbaum(p.a, p.q, birnbaum);
    if (!not_modelled.empty()) {
        return structure_only(model, p, sf, options, "no exact method applies: " + not_modelled,
                              model.changes.empty() ? "inspections and maintenance left out" : "inspections, maintenance and changes left out",
                              exact.unavailability, birnbaum, std::move(r));
    }
    const bool crews = model.has_dependencies();
    const std::string why = model.dependency_reason();
    if (crews && options.method == Method::Bdd) {
        throw UnsupportedError(why + " make components dependent: the BDD (which assumes independent "
                               "components) does not apply; use the CTMC method");
    }
    if (crews) {
        // Components compete for crews: only the Markov chain is exact.
        ChainOptions chain_options;
        chain_options.max_states = options.ctmc_state_limit;
        chain_options.keep_down_sets = true;
        std::string refusal;
        const std::optional<BuiltChain> maybe_built = [&]() {
            try {
                return std::optional<BuiltChain>(build_chain(model, p.graph, chain_options));
            } catch (const UnsupportedError& e) {
                // A valid model all the same: say what the structure alone gives, and why not the rest.
                refusal = "no exact method applies: " + why + " make components dependent, so only a Markov chain is "
                          "exact, and " + e.what();
                return std::optional<BuiltChain>();
            }
        }();
        if (!maybe_built) {
            return structure_only(model, p, sf, options, refusal, why + " not modelled here: components taken as independent",
                                  exact.unavailability, birnbaum, std::move(r));
        }
        const BuiltChain& built = *maybe_built;
        const Ctmc& chain = built.chain;
        r.method = "CTMC";
        r.method_reason = why + " make components dependent: exact Markov chain on " + describe_chain(built) +
                          " (repair queues and shocks included)";
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
        r.cut_sets_complete = cuts.complete();
        // Every set up to the order is listed unless the enumeration was truncated, which the report
        // says beside this count ("list truncated").
        r.cut_set_count = static_cast<double>(cuts.sets.size());
        add_chain_importance(model, g, p.q, built, pi, cuts, options, r);
        return r;
    }
    if (options.method == Method::Ctmc) {
        const Ctmc chain = build_independent_ctmc(model, p.graph, options.ctmc_state_limit);
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

    fill_rates(p, birnbaum, Q, r);

    // Minimal cut sets and the importance measures that use them.
    const BddCutSets cuts = list_cut_sets(model, sf, p, options, exact.unavailability, r);
    const double fv_total = cuts.total;
    if (!r.fussell_vesely_complete) {
        r.notes.push_back(fmt::format("Fussell-Vesely is computed from the minimal cut sets up to order {} only: the "
                                      "family of every minimal cut set exceeds {} ZBDD nodes{}", cuts.listed.max_order,
                                      cut_set_node_limit(p.q.size(), options),
                                      fv_total > 0 ? "" : ", and there are none up to that order, so it is not available"));
    }

    fill_importance(model, p, birnbaum, Q, cuts, r);

    // Mean time to the first system failure.
    if (p.all_repairable) {
        try {
            // A by-product here: kept to the small chains of before, so analyze stays fast on large trees.
            const Ctmc chain = build_independent_ctmc(model, p.graph, std::min<std::size_t>(options.ctmc_state_limit,
                                                                                       kIndependentMttfStateLimit));
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

// The figures at a mission time t from an all-up start, as fault-tree tools give them: each unit's
// probability of being down at t (closed form: lam/(lam+mu) (1 - e^-(lam+mu)t) for exponential
// repairs, the failure law's distribution function for units never repaired) through the structure
// function; importance and cut set probabilities with those same probabilities. With dependent
// components the chain's transient gives the system's value, and importance and cut sets come from the
// structure with each unit's own probability at t (a ranking, with its caveat in the notes).
AnalyticResults analyze_at_mission_time(const Model& model, const AnalysisOptions& options) {
    const double t = *options.mission_time_h;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Prepared p = prepare(model);
    std::string no_closed_form;  // a repairable component whose A(t) has no closed form
    for (std::size_t c = 0; c < model.components.size(); ++c) {
        const ComponentMeasures& m = p.by_component[c];
        if (m.repairable && !m.exponential && no_closed_form.empty()) no_closed_form = model.components[c].name;
    }
    for (std::size_t i = 0; i < model.instances.size(); ++i) {
        const auto c = static_cast<std::size_t>(model.instances[i].component);
        p.a[i] = point_availability(p.by_component[c], model.components[c], t);
        p.q[i] = point_unavailability(p.by_component[c], model.components[c], t);
    }
    const StructureGraph& g = p.structure;
    std::optional<StructureFunction> built_sf;
    try {
        check_k_of_n_sizes(model, g, options.bdd_node_limit);
        built_sf.emplace(StructureFunction::build(g, options.bdd_node_limit));
    } catch (const BddNodeLimitError& e) {
        AnalyticResults out = cut_sets_only(model, p, options, e.what());
        out.mission_time_h = t;
        return out;
    }
    const StructureFunction& sf = *built_sf;
    AnalyticResults r;
    r.mission_time_h = t;
    r.bdd_nodes = sf.bdd.size();
    std::vector<double> birnbaum;
    const StructureFunction::Value exact = sf.evaluate_with_birnbaum(p.a, p.q, birnbaum);
    const std::string at = "at " + format_duration(t) + " from an all-up start";
    std::string refusal;
    if (const std::string name = inspected_component(model); !name.empty()) {
        refusal = "component '" + name + "' has hidden failures found by periodic inspections, which the analytic module "
                  "does not model";
    } else if (const std::string other = maintained_component(model); !other.empty()) {
        refusal = "component '" + other + "' has periodic preventive maintenance, which the analytic module does not model";
    } else if (!no_closed_form.empty() && !model.has_dependencies()) {
        refusal = "component '" + no_closed_form + "' is repaired under a non-exponential law (or after a delay): its "
                  "probability of being down at a given time has no closed form (nines run gives the simulated A(t))";
    }
    if (!refusal.empty()) {
        AnalyticResults out = structure_only(model, p, sf, options, "no exact method applies " + at + ": " + refusal,
                                             "each unit's probability of being down " + at + " taken as independent",
                                             exact.unavailability, birnbaum, std::move(r));
        out.mission_time_h = t;
        return out;
    }
    if (model.has_dependencies()) {
        const std::string why = model.dependency_reason();
        ChainOptions chain_options;
        chain_options.max_states = options.ctmc_state_limit;
        try {
            const BuiltChain built = build_chain(model, p.graph, chain_options);
            r.method = "CTMC";
            r.method_reason = why + " make components dependent: the transient of the exact Markov chain on " +
                              describe_chain(built) + ", " + at;
            r.availability = built.chain.point_availability(t);
            r.unavailability = 1.0 - r.availability;
            r.mttf_h = built.chain.mean_time_to_failure();
            r.mttf_method = "CTMC (" + std::to_string(built.chain.states()) + " states)";
        } catch (const UnsupportedError& e) {
            AnalyticResults out = structure_only(model, p, sf, options,
                                                 "no exact method applies " + at + ": " + why + " make components "
                                                 "dependent, so only a Markov chain is exact, and " + e.what(),
                                                 why + " not modelled here: components taken as independent",
                                                 exact.unavailability, birnbaum, std::move(r));
            out.mission_time_h = t;
            return out;
        }
        r.notes.push_back("importance measures and cut set probabilities " + at + " are from the structure with each "
                          "unit's own probability of being down then (" + why + " not modelled in them): a ranking, "
                          "not exact values for this model");
    } else {
        r.method = is_tree(g) ? "closed form" : "BDD";
        r.method_reason = "each unit's probability of being down " + at + " (closed form) through " +
                          (is_tree(g) ? std::string("the series, parallel and k-of-n formulas")
                                      : "a binary decision diagram of " + std::to_string(r.bdd_nodes) + " nodes");
        r.availability = exact.availability;
        r.unavailability = exact.unavailability;
    }
    r.nines = r.unavailability > 0 ? -std::log10(r.unavailability) : std::numeric_limits<double>::infinity();
    // Rates and yearly figures are steady-state notions.
    r.downtime_h_per_year = r.failure_frequency_per_h = r.mtbf_h = r.mdt_h = nan;
    const BddCutSets cuts = list_cut_sets(model, sf, p, options, exact.unavailability, r);
    fill_importance(model, p, birnbaum, exact.unavailability, cuts, r);
    if (!model.has_dependencies()) {
        // The mean time to the first failure does not depend on the mission time: the steady-state path has it.
        AnalysisOptions steady = options;
        steady.mission_time_h.reset();
        steady.max_cut_set_order = 1;
        const AnalyticResults s = analyze_model(model, steady);
        r.mttf_h = s.mttf_h;
        r.mttf_method = s.mttf_method;
    }
    return r;
}

bool has_demand_profile(const Model& model) {
    return std::any_of(model.blocks.begin(), model.blocks.end(), [](const Block& b) { return !b.demand_profile.empty(); });
}

// A demand profile steps the capacity blocks' demands hour by hour. The components' process does not
// depend on the demand, so at every instant the state distribution is the stationary one, and the
// steady-state availability is the time average of the exact availability at each hour's demands:
// hours with the same demands (rounded up to whole capacity) are analysed once, weighted by their count.
AnalyticResults time_averaged_over_demand(const Model& model, const AnalysisOptions& options) {
    int period = 24;
    for (const Block& b : model.blocks) {
        if (b.demand_profile.size() == 168) period = 168;
    }
    std::map<std::vector<int>, int> hours_at;  // the demands needed, per profiled block -> hours of the period
    for (int h = 0; h < period; ++h) {
        std::vector<int> needs;
        for (const Block& b : model.blocks) {
            if (b.demand_profile.empty()) continue;
            needs.push_back(static_cast<int>(std::ceil(b.demand_profile[static_cast<std::size_t>(h) % b.demand_profile.size()])));
        }
        ++hours_at[needs];
    }
    AnalyticResults result;
    std::vector<int> peak;
    double a = 0, q = 0, frequency = 0;
    for (const auto& [needs, hours] : hours_at) {
        Model level = model;
        std::size_t j = 0;
        for (Block& b : level.blocks) {
            if (b.demand_profile.empty()) continue;
            b.demand_profile.clear();
            b.k = needs[j++];
            b.demand = b.k;
        }
        const AnalyticResults r = analyze_model(level, options);
        const double share = static_cast<double>(hours) / period;
        a += share * r.availability;
        q += share * r.unavailability;
        frequency += share * r.failure_frequency_per_h;
        // Importance and cut sets are those of the highest demands (the last level in order).
        result = r;
        peak = needs;
    }
    result.availability = a;
    result.unavailability = q;
    result.nines = -std::log10(q);
    result.downtime_h_per_year = q * kHoursPerYear;
    result.failure_frequency_per_h = frequency;
    result.mtbf_h = frequency > 0 ? 1 / frequency : std::numeric_limits<double>::infinity();
    result.mdt_h = frequency > 0 ? q / frequency : 0;
    result.mttf_h.reset();
    result.mttf_method = "not computed with a demand profile";
    result.method_reason += fmt::format("; demand profile: the time average over {} demand levels of a {} h period, "
                                        "each analysed exactly", hours_at.size(), period);
    result.notes.push_back(fmt::format(
        "demand profile: availability is the time average of the exact availability at each hour's demand "
        "({} distinct levels); failure frequency, MTBF and MDT count the outages that failures start at each level, "
        "not those a rising demand starts; importance and cut sets are those at the highest demand",
        hours_at.size()));
    return result;
}

// The per-component table: `importance` is most critical first, so a component's first instance met
// there is its most critical one.
std::vector<ComponentImportance> component_importance(const Model& model, const std::vector<Importance>& importance) {
    std::vector<ComponentImportance> out(model.components.size());
    std::vector<bool> seen(model.components.size(), false);
    for (std::size_t c = 0; c < model.components.size(); ++c) {
        out[c].component = model.components[c].name;
        out[c].instances = model.components[c].count;
    }
    for (const Importance& imp : importance) {
        const auto c = static_cast<std::size_t>(model.instances[static_cast<std::size_t>(imp.instance)].component);
        if (seen[c]) continue;
        seen[c] = true;
        out[c].most_critical = imp;
    }
    return out;
}

}  // namespace

const Block* load_sharing_block(const Model& model) {
    for (const Block& b : model.blocks) {
        if (b.kind == BlockKind::Capacity && b.load_sharing_factor > 0) return &b;
    }
    return nullptr;
}

std::string load_sharing_reason(const Model& model, const Block& b) {
    (void)model;
    return "load sharing in the capacity block at " + b.location.str() +
           " makes the members' failure rates depend on how many are up: no exact method applies (simulation only)";
}

AnalyticResults analyze(const Model& model, const AnalysisOptions& options) {
    // Every refusal carries the place in the scenario it is about (the CLI prints it first, as for input errors).
    try {
        if (options.mission_time_h && has_demand_profile(model)) {
            throw UnsupportedError("a demand profile makes the structure change hour by hour: the analysis at a mission "
                                   "time is not available for it (nines run gives the simulated A(t))");
        }
        AnalyticResults r = options.mission_time_h      ? analyze_at_mission_time(model, options)
                            : has_demand_profile(model) ? time_averaged_over_demand(model, options)
                                                        : analyze_model(model, options);
        // No importance computed (no diagram fits, or the chain could not): no rows, rather than rows of zeros.
        if (!r.importance.empty()) r.component_importance = component_importance(model, r.importance);
        r.served = exact_served_all(model);
        if (const Block* shared = load_sharing_block(model)) {
            // The figures above ignore the load law: keep the structure's cut sets and importance as a ranking.
            const double nan = std::numeric_limits<double>::quiet_NaN();
            r.method = "structure only";
            r.method_reason = load_sharing_reason(model, *shared);
            r.availability_computed = false;
            r.availability = r.unavailability = r.nines = r.downtime_h_per_year = nan;
            r.failure_frequency_per_h = r.mtbf_h = r.mdt_h = nan;
            r.mttf_h.reset();
            r.mttf_method = "not computed: " + r.method_reason;
            r.notes.push_back("importance measures, cut set probabilities and shares are from the structure without load "
                              "sharing (each unit's unavailability from its own laws): a ranking of what matters, not exact "
                              "values for this model");
        }
        return r;
    } catch (const UnsupportedError& e) {
        if (!e.where().file.empty()) throw;
        throw UnsupportedError(place_of(model, e.what()), e.what());
    }
}

AvailabilityReference interval_availability_reference(const Model& model, double warmup_h, double horizon_h,
                                                       const AnalysisOptions& options) {
    AvailabilityReference ref;
    if (const std::string name = inspected_component(model); !name.empty()) {
        ref.reason = "component '" + name + "' has hidden failures found by periodic inspections, which the analytic "
                     "module does not model";
        ref.unsupported_at = place_of(model, ref.reason);
        return ref;
    }
    if (const std::string name = maintained_component(model); !name.empty()) {
        ref.reason = "component '" + name + "' has periodic preventive maintenance, which the analytic module does not model";
        ref.unsupported_at = place_of(model, ref.reason);
        return ref;
    }
    if (const Block* shared = load_sharing_block(model)) {
        ref.reason = load_sharing_reason(model, *shared);
        ref.unsupported_at = shared->location;
        return ref;
    }
    if (has_demand_profile(model)) {
        ref.reason = "a demand profile changes the capacity blocks' demands hour by hour; the analytic module gives "
                     "the steady-state time average (nines analyze), not the interval availability from an all-up start";
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
            ref.unsupported_at = e.where().file.empty() ? place_of(model, e.what()) : e.where();
        }
        return ref;
    }
    // A tree goes through classes of identical subtrees (O(classes) per time), anything else through the BDD.
    // The classes count children without weights, so a capacity block (weighted children) takes the BDD.
    std::optional<TreeSystemAt> tree;
    std::optional<StructureFunction> sf;
    if (is_tree(p.graph) && !p.graph.weighted) {
        tree.emplace(model, p, same_laws(model));
    } else {
        sf.emplace(StructureFunction::build(p.graph, options.bdd_node_limit));
    }
    if (p.repairable_all_exponential) {
        // Exact: A_i(t) in closed form, pushed through the structure function, integrated.
        auto q_sys = [&](double t) { return tree ? (*tree)(t).unavailability : system_at(model, p, *sf, t).unavailability; };
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
    // Any other laws: each component's renewal equation on a lattice, pushed through the structure
    // function cell by cell, with the step halved until two solutions agree.
    const LatticeReference lattice = lattice_reference(model, p, sf ? &*sf : nullptr, tree ? &*tree : nullptr, warmup_h, horizon_h);
    ref.unavailability = lattice.unavailability;
    ref.availability = 1.0 - lattice.unavailability;
    ref.error = lattice.error;
    ref.applicable = true;
    ref.exact = lattice.converged;
    ref.quantity = fmt::format("interval availability from the renewal equations, {} lattice steps{}", lattice.cells,
                               lattice.converged ? "" : ", approximate");
    return ref;
}

}  // namespace nines::analytic
