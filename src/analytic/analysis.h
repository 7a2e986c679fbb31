// The analytic module's entry point: exact steady-state measures, importance, cut sets, and the
// reference values the simulation is checked against.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "analytic/ctmc_builder.h"
#include "analytic/cut_sets.h"
#include "analytic/served_fraction.h"
#include "model/model.h"

namespace nines::analytic {

enum class Method { Auto, Bdd, Ctmc };

// Sets per gate, and over all gates, when minimal cut sets are enumerated without an order limit for
// Fussell-Vesely (bounds the extra time to a fraction of a second).
inline constexpr std::size_t kFussellVeselySetCap = 2000;
inline constexpr std::size_t kFussellVeselyWork = 30000;

// Independent components: the MTTF's chain (a by-product of analyze) is refused above this many states.
inline constexpr std::size_t kIndependentMttfStateLimit = 1 << 16;

// The BDD node limit by default: about 1 GiB (bdd_memory_bound_bytes).
inline constexpr std::size_t kDefaultBddNodeLimit = 20'000'000;
// The conditioning's expansions by default when no diagram fits (1.1 s, 100 MB on nus9601).
inline constexpr long kDefaultBracketBranchLimit = 2'000;
// Importance bounds when no diagram fits: for at most this many instances of the listed cut sets.
inline constexpr std::size_t kImportanceBoundInstances = 20;

struct AnalysisOptions {
    // Auto: closed forms for tree structures, the BDD otherwise. Bdd / Ctmc force that method for the
    // availability (the CTMC needs exponential distributions and at most ctmc_state_limit states,
    // after lumping interchangeable units).
    Method method = Method::Auto;
    int max_cut_set_order = 4;
    std::size_t bdd_node_limit = kDefaultBddNodeLimit;  // bdd_node_limit_for_memory gives it for a memory budget
    // When no diagram fits: the Shannon expansions the certified bounds may spend (probability_bracket.h).
    long bracket_branch_limit = kDefaultBracketBranchLimit;
    std::size_t ctmc_state_limit = kDefaultCtmcStateLimit;
    // When set: the probability of being down at this time from an all-up start (a fault tree's mission
    // time) instead of the steady state; importance and cut set probabilities at that time too. The
    // steady-state rates (failure frequency, MTBF, MDT, downtime per year) are then not computed.
    std::optional<double> mission_time_h;
};

// Importance of one instance; definitions in the README ("Importance measures").
struct Importance {
    int instance = 0;
    std::string name;
    double unavailability = 0;   // of the instance
    double birnbaum = 0;         // A(i up) - A(i down)
    double criticality = 0;      // birnbaum * q_i / Q
    double fussell_vesely = 0;   // share of the minimal cut sets' probability in those containing i (README)
    double raw = 0;              // Q(i always down) / Q
    double rrw = 0;              // Q / Q(i perfect); infinite when i alone causes all unavailability
};

// Certified bounds on an instance's importance when the unavailability itself is only bounded ("cut sets
// only"): from bounds on P(down), P(down | it down) and P(down | it up) by conditioning.
struct ImportanceBounds {
    std::string name;
    double unavailability = 0;  // of the instance
    double birnbaum_low = 0, birnbaum_high = 0;
    double criticality_low = 0, criticality_high = 0;
    double raw_low = 0, raw_high = 0;
    double rrw_low = 0, rrw_high = 0;  // high infinite when P(down | it up) may be 0
};

struct NamedCutSet {
    std::vector<std::string> instances;
    double probability = 0;      // product of the instances' unavailabilities
    double share = 0;            // probability / the exact unavailability (independent components)
};

// One row of the per-component importance table: a component and its most critical instance (the
// first of its instances in `importance`'s order), whose measures the row repeats. The table has one
// row per component whatever the instance count; the per-instance list is the full detail.
struct ComponentImportance {
    std::string component;
    int instances = 0;
    Importance most_critical;
};

struct AnalyticResults {
    std::string method;          // "closed form", "BDD", "CTMC", or "structure only" (no exact method applies)
    std::string method_reason;
    // Set when the figures are at a mission time (AnalysisOptions::mission_time_h), not the steady state.
    std::optional<double> mission_time_h;
    // False for "structure only": the availability figures below are NaN (not computed, see method_reason);
    // importance and cut sets are still given, from the structure with independent components.
    bool availability_computed = true;
    double availability = 0;
    double unavailability = 0;
    double nines = 0;
    double downtime_h_per_year = 0;
    // "cut sets only" (no diagram of the structure fits), independent components: the exact probability
    // that one of the listed minimal cut sets is down, a certified lower bound on the unavailability
    // (cut_set_union.h); NaN otherwise.
    double unavailability_lower_bound = std::numeric_limits<double>::quiet_NaN();
    // The same case: certified bounds by conditioning (probability_bracket.h), the lower one raised to the
    // cut sets' where theirs is higher; NaN when they do not fit. bracket_branches: the expansions spent.
    double unavailability_upper_bound = std::numeric_limits<double>::quiet_NaN();
    long bracket_branches = 0;
    double failure_frequency_per_h = 0;  // sum_i Birnbaum_i * nu_i
    double mtbf_h = 0;
    double mdt_h = 0;
    std::optional<double> mttf_h;        // mean time to first system failure from all up
    std::string mttf_method;             // how, or why it is not available
    std::size_t bdd_nodes = 0;
    std::size_t zbdd_nodes = 0;          // of the minimal cut set families
    std::vector<Importance> importance;  // most critical first
    std::vector<ComponentImportance> component_importance;  // in the order of the components
    // "cut sets only" with certified bounds: the instances of the listed minimal cut sets (at most
    // kImportanceBoundInstances, those in the most probable sets first; with none listed, the instances
    // in the most gates), most critical (upper bound) first.
    std::vector<ImportanceBounds> importance_bounds;
    std::string importance_bounds_of;  // which units: those of the listed cut sets, or (none listed) the most shared
    std::vector<NamedCutSet> cut_sets;   // most probable first
    int cut_set_order = 0;
    bool cut_sets_truncated = false;
    bool cut_sets_complete = false;      // every minimal cut set is listed (none above the order, no cap hit)
    double cut_set_count = 0;            // minimal cut sets up to the order (listed unless truncated)
    // F-V sums over every minimal cut set, computed on their ZBDD without enumerating them; when that
    // family exceeds its node limit, F-V covers the sets up to the order limit only and this is false
    // (text and JSON say so).
    bool fussell_vesely_complete = false;
    // Degraded service: each capacity block's exact steady-state served fraction (analytic/served_fraction.h).
    std::vector<ServedExact> served;
    std::vector<std::string> notes;
};

// Throws UnsupportedError when no exact method applies (for example a structure too large for the
// BDD node limit).
AnalyticResults analyze(const Model& model, const AnalysisOptions& options = {});

// The first capacity block with load sharing (`load_sharing: { factor > 0 }`), or null; and why no exact
// method applies to a model with it (its members' failure rates depend on how many of them are up).
const Block* load_sharing_block(const Model& model);
std::string load_sharing_reason(const Model& model, const Block& b);

// The reference value the simulation's availability is compared with.
struct AvailabilityReference {
    bool applicable = false;
    std::string quantity;        // what was computed
    std::string reason;          // why not applicable, or how it was computed
    SourceLocation unsupported_at;  // not applicable: the place in the scenario the reason is about, when known
    double availability = 0;
    double unavailability = 0;
    double error = 0;            // bound on the numerical error of `unavailability` (0: closed form or chain)
    bool exact = false;          // exact up to `error`, which met its target; false: approximate
};

// Interval availability over [warmup, horizon] from an all-up start:
// - dependent components (crews, spares, standby, shocks): the Markov chain, when every law is
//   exponential; otherwise not applicable, with the reason;
// - independent components, every repairable one exponential: the closed-form A_i(t) (and the
//   survival function of non-repairable units) pushed through the structure and integrated;
// - independent components with any other laws: each component's alternating renewal equation
//   solved on a lattice (renewal.h), pushed through the structure cell by cell, the step halved
//   until two solutions differ by less than 1e-4 of the value (`error` says by how much they do).
AvailabilityReference interval_availability_reference(const Model& model, double warmup_h, double horizon_h,
                                                       const AnalysisOptions& options = {});

// The system's interval served fraction over [warmup, horizon] from an all-up start (README "Degraded
// service"), as a reference whose "availability" is the served fraction: applicable when the system is one
// capacity block with constant demand whose members are independent exponential instances; E[min(1, C / D)]
// at time t from the members' A_i(t), integrated by Simpson's rule over the transient (40 of the slowest
// member's 1 / (lambda + mu)) and exactly after it (the stationary value, to 1e-17).
AvailabilityReference interval_served_reference(const Model& model, double warmup_h, double horizon_h);

}  // namespace nines::analytic
