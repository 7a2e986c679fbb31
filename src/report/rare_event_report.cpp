#include "report/rare_event_report.h"

#include <fmt/format.h>

#include "model/units_format.h"
#include "report/json_report.h"

namespace nines::report {

namespace {

using json = nlohmann::ordered_json;

json estimate_json(const sim::Estimate& e) {
    json j;
    j["mean"] = json_number(e.mean);
    j["ci95"] = e.has_ci ? json::array({json_number(e.lo), json_number(e.hi)}) : json(nullptr);
    j["std_error"] = e.has_ci ? json_number(e.std_error) : json(nullptr);
    return j;
}

std::string interval(const sim::Estimate& e) {
    return e.has_ci ? "95% CI " + format_sig(e.lo, 3) + " .. " + format_sig(e.hi, 3) : "no interval";
}

}  // namespace

std::string rare_event_to_text(const sim::RareEventEstimate& r) {
    std::string out;
    // Splitting's and uniformisation's independent units are replications over the horizon, not
    // regenerative cycles.
    const char* units = r.over_window ? "replications" : "cycles";
    out += fmt::format("  rare-event estimate: {} ({}), {} {}, seed {}\n", rare_event_method_name(r.method), r.variant,
                       format_count(r.cycles), units, r.seed);
    if (!r.selection_reason.empty()) out += "    why: " + r.selection_reason + "\n";
    std::string target;
    if (r.target_relative_error) {
        target = fmt::format(" (target {}: {})", format_percent(*r.target_relative_error, 1), r.target_reached ? "met" : "not met");
    }
    out += fmt::format("    unavailability {}  {}  relative error {}{}\n", format_sig(r.unavailability.mean, 3),
                       interval(r.unavailability), format_percent(r.relative_error, 1), target);
    out += fmt::format("    failures per year {}  {}   mean down time {}  mean cycle {}\n", format_sig(r.failures_per_year.mean, 3),
                       interval(r.failures_per_year), format_duration(r.mean_down_h.mean), format_duration(r.mean_cycle_h.mean));
    out += fmt::format("    work-normalised variance ratio against plain Monte Carlo: {} (plain would need about {} {} for "
                       "+-10 %)\n",
                       format_sig(r.variance_ratio, 3), format_sig(r.plain_cycles_for_target, 3), units);
    if (r.likelihood_ratio) {
        const sim::LikelihoodRatioDiagnostics& d = *r.likelihood_ratio;
        out += fmt::format("    likelihood ratios: {} of {} {} reached the down set; the largest carries {} of the estimate, "
                           "the top 1 % {}; effective sample {}\n",
                           format_count(d.cycles_hitting), format_count(d.samples), d.sample_plural(), format_percent(d.largest_share, 2),
                           format_percent(d.top_1_percent_share, 1), format_count(static_cast<long long>(d.effective_sample_size)));
    }
    if (r.splitting) {
        const sim::SplittingDiagnostics& d = *r.splitting;
        std::string factors;
        for (int f : d.factors) factors += (factors.empty() ? "" : ", ") + std::to_string(f);
        out += fmt::format("    splitting: {} trajectories, {} entries into the down set; factors {}; the largest replication "
                           "carries {} of the estimate\n",
                           format_count(d.trajectories), format_count(d.down_entries), factors,
                           format_percent(d.largest_replication_share, 1));
    }
    for (const std::string& w : r.warnings) out += "    warning: " + w + "\n";
    return out;
}

json rare_event_to_json(const sim::RareEventEstimate& r) {
    json j;
    j["method"] = rare_event_method_name(r.method);
    j["variant"] = r.variant;
    j["selection_reason"] = r.selection_reason;
    j["cycles"] = r.cycles;
    j["over_window"] = r.over_window;
    j["seed"] = r.seed;
    j["unavailability"] = estimate_json(r.unavailability);
    j["relative_error"] = json_number(r.relative_error);
    j["target_relative_error"] = r.target_relative_error ? json_number(*r.target_relative_error) : json(nullptr);
    j["target_reached"] = r.target_reached;
    j["failures_per_year"] = estimate_json(r.failures_per_year);
    j["mtbf_h"] = estimate_json(r.mtbf_h);
    j["mean_down_h"] = estimate_json(r.mean_down_h);
    j["mean_cycle_h"] = estimate_json(r.mean_cycle_h);
    j["variance_ratio"] = json_number(r.variance_ratio);
    j["plain_cycles_for_10_percent"] = json_number(r.plain_cycles_for_target);
    j["transitions"] = r.transitions;
    if (r.likelihood_ratio) {
        const sim::LikelihoodRatioDiagnostics& d = *r.likelihood_ratio;
        j["likelihood_ratio"] = {{"sample", d.sample},
                                 {"samples", d.samples},
                                 {"cycles_hitting", d.cycles_hitting},
                                 {"largest_share", json_number(d.largest_share)},
                                 {"top_1_percent_share", json_number(d.top_1_percent_share)},
                                 {"mean_weight_hitting", json_number(d.mean_weight_hitting)},
                                 {"max_weight_hitting", json_number(d.max_weight_hitting)},
                                 {"effective_sample_size", json_number(d.effective_sample_size)},
                                 {"degenerate", d.degenerate}};
    } else {
        j["likelihood_ratio"] = nullptr;
    }
    if (r.splitting) {
        const sim::SplittingDiagnostics& d = *r.splitting;
        j["splitting"] = {{"trajectories", d.trajectories},
                          {"down_entries", d.down_entries},
                          {"largest_replication_share", json_number(d.largest_replication_share)},
                          {"factors", d.factors},
                          {"clocks_redrawn", d.clocks_redrawn},
                          {"degenerate", d.degenerate}};
    } else {
        j["splitting"] = nullptr;
    }
    j["warnings"] = r.warnings;
    return j;
}

}  // namespace nines::report
