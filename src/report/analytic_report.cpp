#include "report/analytic_report.h"

#include <cmath>

#include <fmt/format.h>

#include "report/json_report.h"
#include "model/units_format.h"

namespace nines::report {

namespace {
using json = nlohmann::ordered_json;
}  // namespace

std::string analytic_to_text(const analytic::AnalyticResults& r, const std::string& title, int max_rows) {
    std::string out = title + "\n";
    out += fmt::format("method: {} ({})\n\n", r.method, r.method_reason);
    // Digits of an availability: enough to show its unavailability's first significant ones.
    auto availability_digits = [](double unavailability) {
        return unavailability > 0 ? std::min(12, std::max(3, static_cast<int>(std::ceil(-std::log10(unavailability))) + 1)) : 6;
    };
    if (!r.availability_computed && std::isfinite(r.unavailability_upper_bound)) {
        const double low = r.unavailability_lower_bound;
        const double high = r.unavailability_upper_bound;
        // Enough digits to tell the bounds apart (up to 12), at least those of a computed value.
        const double gap = high - low;
        const int apart = gap > 0 ? static_cast<int>(std::ceil(std::log10(high / gap))) + 1 : 12;
        const int sig = std::min(12, std::max(4, apart));
        const int decimals = std::min(12, std::max(availability_digits(high),
                                                   gap > 0 ? static_cast<int>(std::ceil(-std::log10(gap * 100))) + 1 : 12));
        out += fmt::format("  {:<26} between {} and {} (not computed exactly: see the method line)\n", "availability",
                           format_percent(1.0 - high, decimals), format_percent(1.0 - low, decimals));
        out += fmt::format("  {:<26} between {} and {}: certified bounds (see the note on conditioning)\n", "unavailability",
                           format_sig(low, sig), format_sig(high, sig));
    } else if (!r.availability_computed && std::isfinite(r.unavailability_lower_bound)) {
        const double bound = r.unavailability_lower_bound;
        out += fmt::format("  {:<26} at most {} (not computed exactly: see the method line)\n", "availability",
                           format_percent(1.0 - bound, availability_digits(bound)));
        out += fmt::format("  {:<26} at least {}: the exact probability that one of the {} listed minimal cut sets is "
                           "down\n", "unavailability", format_sig(bound, 4), r.cut_sets.size());
    } else if (!r.availability_computed) {
        out += fmt::format("  {:<26} not computed (see the method line)\n", "availability");
    } else {
        const int digits = availability_digits(r.unavailability);
        // At a mission time the figures are the probabilities at that time; the rates are steady-state notions.
        const std::string at = r.mission_time_h ? " at " + format_duration(*r.mission_time_h) : "";
        out += fmt::format("  {:<26} {}\n", "availability" + at, format_percent(r.availability, digits));
        out += fmt::format("  {:<26} {}\n", "unavailability" + at, format_sig(r.unavailability, 4));
        out += fmt::format("  {:<26} {}\n", "nines", format_sig(r.nines, 4));
        if (!r.mission_time_h) {
            out += fmt::format("  {:<26} {}\n", "downtime per year", format_duration(r.downtime_h_per_year));
            out += fmt::format("  {:<26} {}\n", "system failures per year", format_sig(r.failure_frequency_per_h * 8760.0, 4));
            out += fmt::format("  {:<26} {}\n", "MTBF", format_duration(r.mtbf_h));
            out += fmt::format("  {:<26} {}\n", "mean down time (MDT)", format_duration(r.mdt_h));
        }
        if (r.mttf_h) {
            out += fmt::format("  {:<26} {}  ({})\n", "MTTF (first failure)", format_duration(*r.mttf_h), r.mttf_method);
        } else {
            out += fmt::format("  {:<26} n/a  ({})\n", "MTTF (first failure)", r.mttf_method);
        }
    }
    for (const analytic::ServedExact& b : r.served) {
        if (!b.applicable) {
            out += fmt::format("  {:<26} n/a  ({}: {})\n", "served fraction", b.block, b.reason);
            continue;
        }
        out += fmt::format("  {:<26} {}  ({}: degraded {}/y, nothing served {}/y, unserved {} capacity-h/y)\n", "served fraction",
                           format_percent(b.served, 6), b.block, format_duration(b.degraded * 8760.0),
                           format_duration(b.down * 8760.0), format_sig(b.unserved_capacity * 8760.0, 4));
    }
    for (const std::string& n : r.notes) out += "  note: " + n + "\n";

    out += fmt::format("\nimportance (top {} by criticality; definitions in the README)\n", max_rows);
    out += fmt::format("  {:<16} {:>10} {:>10} {:>11} {:>10} {:>10} {:>10}\n", "instance", "q", "Birnbaum", "criticality",
                       r.fussell_vesely_complete ? "F-V" : "F-V*", "RAW", "RRW");
    int shown = 0;
    for (const analytic::Importance& i : r.importance) {
        if (shown++ >= max_rows) break;
        out += fmt::format("  {:<16} {:>10} {:>10} {:>11} {:>10} {:>10} {:>10}\n", i.name, format_sig(i.unavailability, 3),
                           format_sig(i.birnbaum, 3), format_sig(i.criticality, 3), format_sig(i.fussell_vesely, 3),
                           format_sig(i.raw, 3), format_sig(i.rrw, 3));
    }
    if (r.importance.empty() && !r.importance_bounds.empty()) {
        out += "  only bounded: see below\n";
    } else if (r.importance.empty()) {
        out += "  not computed (see the note above)\n";
    } else if (!r.fussell_vesely_complete) {
        out += fmt::format("  * F-V from the minimal cut sets up to order {} only (the family of all of them is too large)\n",
                           r.cut_set_order);
    }
    if (!r.importance_bounds.empty()) {
        // Each measure as low..high, certified (README, "Bounds when no diagram fits").
        auto range = [](double low, double high) {
            return format_sig(low, 3) + ".." + (std::isfinite(high) ? format_sig(high, 3) : std::string("inf"));
        };
        out += fmt::format("\nimportance bounds (certified; {}, top {} by highest criticality)\n", r.importance_bounds_of,
                           max_rows);
        out += fmt::format("  {:<16} {:>10} {:>20} {:>20} {:>20} {:>20}\n", "instance", "q", "Birnbaum", "criticality", "RAW", "RRW");
        shown = 0;
        for (const analytic::ImportanceBounds& b : r.importance_bounds) {
            if (shown++ >= max_rows) break;
            out += fmt::format("  {:<16} {:>10} {:>20} {:>20} {:>20} {:>20}\n", b.name, format_sig(b.unavailability, 3),
                               range(b.birnbaum_low, b.birnbaum_high), range(b.criticality_low, b.criticality_high),
                               range(b.raw_low, b.raw_high), range(b.rrw_low, b.rrw_high));
        }
    }
    out += fmt::format("\nminimal cut sets ({:.6g} of order <= {}{}, top {} by probability; share of the unavailability)\n",
                       r.cut_set_count, r.cut_set_order, r.cut_sets_truncated ? ", list truncated" : "", max_rows);
    shown = 0;
    for (const analytic::NamedCutSet& c : r.cut_sets) {
        if (shown++ >= max_rows) break;
        std::string names;
        for (const std::string& n : c.instances) names += (names.empty() ? "" : ", ") + n;
        out += fmt::format("  {:>10}  {:>6}  {{{}}}\n", format_sig(c.probability, 3), format_percent(c.share, 1), names);
    }
    if (r.cut_sets.empty()) out += r.cut_sets_truncated ? "  none found before the search stopped (see the notes)\n" : "  none within the order limit\n";
    return out;
}

json analytic_to_json(const analytic::AnalyticResults& r, const std::string& name, const std::string& file,
                      bool per_instance) {
    json j;
    j["format"] = "nines-analysis";
    j["format_version"] = 1;
    j["nines_version"] = NINES_VERSION;
    j["scenario"] = {{"name", name}, {"file", file}};
    j["method"] = r.method;
    j["method_reason"] = r.method_reason;
    j["availability_computed"] = r.availability_computed;
    // null: the steady state; a number: the figures are at that time from an all-up start.
    j["mission_time_h"] = r.mission_time_h ? json_number(*r.mission_time_h) : json(nullptr);
    j["bdd_nodes"] = r.bdd_nodes;
    j["availability"] = json_number(r.availability);
    j["unavailability"] = json_number(r.unavailability);
    // A certified lower bound when the unavailability is not computed ("cut sets only"), null otherwise.
    j["unavailability_lower_bound"] = json_number(r.unavailability_lower_bound);
    j["unavailability_upper_bound"] = json_number(r.unavailability_upper_bound);
    j["nines"] = json_number(r.nines);
    j["downtime_h_per_year"] = json_number(r.downtime_h_per_year);
    j["failure_frequency_per_year"] = json_number(r.failure_frequency_per_h * 8760.0);
    j["mtbf_h"] = json_number(r.mtbf_h);
    j["mdt_h"] = json_number(r.mdt_h);
    j["mttf_h"] = r.mttf_h ? json_number(*r.mttf_h) : json(nullptr);
    j["mttf_method"] = r.mttf_method;
    auto measures = [](const analytic::Importance& i) {
        return json{{"instance", i.name},
                    {"unavailability", json_number(i.unavailability)},
                    {"birnbaum", json_number(i.birnbaum)},
                    {"criticality", json_number(i.criticality)},
                    {"fussell_vesely", json_number(i.fussell_vesely)},
                    {"raw", json_number(i.raw)},
                    {"rrw", json_number(i.rrw)}};
    };
    // Per instance: a million-component model's list is hundreds of MB, so only when asked for.
    json imp = nullptr;
    if (per_instance) {
        imp = json::array();
        for (const analytic::Importance& i : r.importance) imp.push_back(measures(i));
    }
    j["importance"] = imp;
    json by_component = json::array();
    for (const analytic::ComponentImportance& c : r.component_importance) {
        by_component.push_back({{"component", c.component}, {"instances", c.instances}, {"most_critical", measures(c.most_critical)}});
    }
    j["component_importance"] = r.component_importance.empty() ? json(nullptr) : by_component;  // null: not computed
    // "cut sets only" with certified bounds: [low, high] per measure (null: unbounded); null otherwise.
    json bounded = json::array();
    for (const analytic::ImportanceBounds& b : r.importance_bounds) {
        auto pair = [](double low, double high) { return json::array({json_number(low), json_number(high)}); };
        bounded.push_back({{"instance", b.name},
                           {"unavailability", json_number(b.unavailability)},
                           {"birnbaum", pair(b.birnbaum_low, b.birnbaum_high)},
                           {"criticality", pair(b.criticality_low, b.criticality_high)},
                           {"raw", pair(b.raw_low, b.raw_high)},
                           {"rrw", pair(b.rrw_low, b.rrw_high)}});
    }
    j["importance_bounds"] = r.importance_bounds.empty() ? json(nullptr) : bounded;
    json cuts = json::array();
    for (const analytic::NamedCutSet& c : r.cut_sets) {
        cuts.push_back({{"instances", c.instances}, {"probability", json_number(c.probability)}, {"share", json_number(c.share)}});
    }
    j["fussell_vesely_complete"] = r.fussell_vesely_complete;
    j["cut_sets"] = {{"max_order", r.cut_set_order}, {"count", json_number(r.cut_set_count)}, {"truncated", r.cut_sets_truncated},
                     {"complete", r.cut_sets_complete}, {"sets", cuts}};
    json served = json::array();
    for (const analytic::ServedExact& b : r.served) {
        served.push_back({{"block", b.block},
                          {"applicable", b.applicable},
                          {"reason", b.reason},
                          {"served_fraction", b.applicable ? json_number(b.served) : json(nullptr)},
                          {"degraded_fraction", b.applicable ? json_number(b.degraded) : json(nullptr)},
                          {"down_fraction", b.applicable ? json_number(b.down) : json(nullptr)},
                          {"unserved_capacity_h_per_year", b.applicable ? json_number(b.unserved_capacity * 8760.0) : json(nullptr)}});
    }
    if (!r.served.empty()) j["capacity_blocks"] = served;
    j["notes"] = r.notes;
    return j;
}

std::string crosscheck_to_text(const analytic::CrossCheck& c) {
    if (c.verdict == analytic::Verdict::NotApplicable) {
        return "  cross-check: not applicable: " + c.reason + "\n";
    }
    const int digits = c.analytic_unavailability > 0
                           ? std::max(3, static_cast<int>(std::ceil(-std::log10(c.analytic_unavailability))) + 1)
                           : 6;
    const std::string error = c.reference_error > 0 ? fmt::format(", numerical error {:.2g}", c.reference_error) : "";
    return fmt::format("  cross-check: analytic {} ({}{}): {}, z = {:+.2f}\n",
                       format_percent(c.analytic_availability, std::min(digits, 12)), c.quantity, error,
                       analytic::to_string(c.verdict), c.z);
}

json crosscheck_to_json(const analytic::CrossCheck& c) {
    json j;
    j["verdict"] = analytic::to_string(c.verdict);
    j["quantity"] = c.quantity;
    j["exact"] = c.exact;
    if (c.verdict == analytic::Verdict::NotApplicable) {
        j["reason"] = c.reason;
        j["cause"] = analytic::to_string(c.cause);
        if (!c.unsupported_at.file.empty()) j["reason_at"] = c.unsupported_at.str();
        j["analytic_availability"] = c.quantity.empty() ? json(nullptr) : json_number(c.analytic_availability);
        j["analytic_error"] = c.quantity.empty() ? json(nullptr) : json_number(c.reference_error);
        j["z"] = nullptr;
    } else {
        j["analytic_availability"] = json_number(c.analytic_availability);
        j["analytic_unavailability"] = json_number(c.analytic_unavailability);
        j["analytic_error"] = json_number(c.reference_error);
        j["z"] = json_number(c.z);
    }
    return j;
}

}  // namespace nines::report
