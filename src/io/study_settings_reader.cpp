#include "io/study_settings_reader.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <set>

#include "io/expectation_reader.h"
#include "io/quantity.h"
#include "io/scenario_overrides.h"
#include "io/slo_reader.h"
#include "model/metric_registry.h"

namespace nines::io {

namespace {

const std::vector<std::string> kSimulationKeys = {"horizon", "replications", "seed", "warmup", "threads", "grid", "method", "until"};
const std::vector<std::string> kMethods = {"auto", "plain", "importance", "splitting"};

// `method: auto | plain | importance | splitting`.
void read_method(ReaderContext& ctx, const YamlNode& node) {
    SimulationSettings& s = ctx.model.simulation;
    const std::string text = ctx.yaml.scalar(node, "simulation method");
    s.method_location = ctx.yaml.where(node);
    if (text == "auto") {
        s.method = SimulationMethod::Auto;
    } else if (text == "plain") {
        s.method = SimulationMethod::Plain;
    } else if (text == "importance") {
        s.method = SimulationMethod::Importance;
    } else if (text == "splitting") {
        s.method = SimulationMethod::Splitting;
    } else {
        ctx.yaml.fail(node, "unknown simulation method '" + text + "'" + did_you_mean(text, kMethods) + "; choose one of " +
                                join(kMethods, ", "));
    }
}

// `until: relative_error <= 10%`: a precision target on the unavailability's relative error.
void read_until(ReaderContext& ctx, const YamlNode& node) {
    const std::string text = ctx.yaml.scalar(node, "simulation until");
    const std::string help = "; write 'relative_error <= 10%'";
    const std::string metric = "relative_error";
    std::size_t at = text.find_first_not_of(' ');
    if (at == std::string::npos || text.compare(at, metric.size(), metric) != 0) {
        ctx.yaml.fail(node, "simulation until: '" + text + "' is not a precision target" + help);
    }
    at = text.find_first_not_of(' ', at + metric.size());
    if (at == std::string::npos || text.compare(at, 2, "<=") != 0) {
        ctx.yaml.fail(node, "simulation until: expected '<=' after relative_error in '" + text + "'" + help);
    }
    std::string number = text.substr(at + 2);
    number.erase(0, number.find_first_not_of(' '));
    while (!number.empty() && number.back() == ' ') number.pop_back();
    bool percent = false;
    if (!number.empty() && number.back() == '%') {
        percent = true;
        number.pop_back();
        while (!number.empty() && number.back() == ' ') number.pop_back();
    }
    // Decimal forms only (strtod alone would also take hex, inf and nan).
    const bool decimal = !number.empty() && number.find_first_not_of("0123456789.eE-") == std::string::npos;
    char* end = nullptr;
    double value = decimal ? std::strtod(number.c_str(), &end) : 0.0;
    if (!decimal || end != number.c_str() + number.size() || !std::isfinite(value)) {
        ctx.yaml.fail(node, "simulation until: '" + text + "' needs a decimal number after '<='" + help);
    }
    if (percent) value = percent_to_fraction(number, value);
    if (!(value > 0.0) || value >= 1.0) {
        ctx.yaml.fail(node, "simulation until: the relative error must be above 0 and below 100%, got '" + text + "'");
    }
    ctx.model.simulation.relative_error = value;
}
// The same limit as the simulation's (sim/runner.cpp), checked here so that validate reports it.
constexpr int kMaxGridPoints = 100'000;

void read_replications(ReaderContext& ctx, const YamlNode& node);

void read_simulation(ReaderContext& ctx, const YamlNode& node) {
    ctx.yaml.expect_map(node, "simulation", kSimulationKeys);
    SimulationSettings& s = ctx.model.simulation;
    s.location = ctx.yaml.where(node);
    if (node["horizon"]) {
        s.horizon_h = read_duration(ctx.yaml, node["horizon"], "simulation horizon");
        // A bare number is hours, which for a horizon is rarely what was meant (`horizon: 10` is ten
        // hours, not ten years): accepted, but said.
        std::string text = node["horizon"].Scalar();
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
        if (!text.empty() && ((text.back() >= '0' && text.back() <= '9') || text.back() == '.')) {  // no unit after the number
            ctx.model.warnings.push_back(ctx.yaml.where(node["horizon"]).str() + ": warning: simulation horizon '" + text +
                                         "' has no unit, so it is " + text + " hours; write '" + text + "h' to say so, or '" +
                                         text + "y' for years");
        }
    }
    if (node["replications"]) read_replications(ctx, node["replications"]);
    if (node["seed"]) {
        s.seed = static_cast<std::uint64_t>(
            read_integer(ctx.yaml, node["seed"], "simulation seed", 0, std::numeric_limits<std::int64_t>::max()));
    }
    if (node["warmup"]) s.warmup_h = read_duration_or_zero(ctx.yaml, node["warmup"], "simulation warmup");
    if (node["threads"]) s.threads = static_cast<int>(read_integer(ctx.yaml, node["threads"], "simulation threads", 0, 1024));
    if (node["grid"]) s.grid_h = read_duration(ctx.yaml, node["grid"], "simulation grid");
    if (node["method"]) read_method(ctx, node["method"]);
    if (node["until"]) read_until(ctx, node["until"]);
    if (s.relative_error && s.precision) {
        ctx.yaml.fail(node["until"], "simulation until: give one precision target, either 'until' or 'replications: { until: ... }'");
    }
    if (s.warmup_h >= s.horizon_h) {
        ctx.yaml.fail(node["warmup"] ? node["warmup"] : node, "simulation warmup must be shorter than the horizon");
    }
    if (s.grid_h > s.horizon_h) ctx.yaml.fail(node["grid"], "simulation grid step is longer than the horizon");
    if (s.grid_h > 0 && s.horizon_h / s.grid_h > kMaxGridPoints) {
        char points[32];
        std::snprintf(points, sizeof points, "%.3g", s.horizon_h / s.grid_h + 1);
        ctx.yaml.fail(node["grid"], std::string("simulation grid: a step of '") + node["grid"].Scalar() + "' gives " + points +
                                        " points over the horizon (at most " + std::to_string(kMaxGridPoints) +
                                        "); choose a coarser grid");
    }
}

// `replications: 2000`, or a precision target:
// `replications: { until: { availability: 1e-5 }, max: 1000000, min: 100 }`.
void read_replications(ReaderContext& ctx, const YamlNode& node) {
    SimulationSettings& s = ctx.model.simulation;
    if (!node.IsMap()) {
        s.replications = read_integer(ctx.yaml, node, "simulation replications", 1, 10'000'000);
        return;
    }
    ctx.yaml.expect_map(node, "simulation replications", {"until", "max", "min"});
    if (!node["until"]) ctx.yaml.fail(node, "simulation replications: a map needs 'until' (a precision target), or give a number");
    YamlNode key_node;
    YamlNode value;
    // The metrics a precision target may name, and the unit its half-width is read in: the registry's.
    std::vector<std::string> precision_metrics;
    for (const MetricSpec& m : metric_registry()) {
        if (m.precision_target) precision_metrics.emplace_back(m.name);
    }
    PrecisionTarget target;
    target.metric = ctx.yaml.single_key(node["until"], "precision metric", "in replications 'until'", precision_metrics, key_node,
                                        value);
    const std::string what = "precision target for " + target.metric + " (95% half-width)";
    switch (find_metric(target.metric)->unit) {
        case MetricUnit::Duration: target.half_width = read_duration(ctx.yaml, value, what); break;
        case MetricUnit::Number: target.half_width = read_positive_number(ctx.yaml, value, what); break;
        case MetricUnit::Probability:
        case MetricUnit::Verdict:  // no precision target is a verdict (registry test)
            target.half_width = read_probability(ctx.yaml, value, what);
            if (target.half_width <= 0) ctx.yaml.fail(value, what + " must be above 0");
            break;
    }
    if (node["max"]) target.max_replications = read_integer(ctx.yaml, node["max"], "replications max", 2, 10'000'000);
    s.replications = node["min"] ? read_integer(ctx.yaml, node["min"], "replications min", 2, 10'000'000) : 100;
    if (s.replications > target.max_replications) ctx.yaml.fail(node, "replications: min exceeds max");
    s.precision = target;
}

// `sweep: { web.count: 2..6, lb.repair.mttr: [1h, 2h] }`: checked again when applied.
void read_sweep(ReaderContext& ctx, const YamlNode& node, const YamlNode& root) {
    if (!node.IsMap() || node.size() == 0) ctx.yaml.fail(node, "'sweep' must be a map of keys to values (a list or a range such as 2..6)");
    std::set<std::string> seen;
    auto read_axis = [&](const YamlNode& key_node, const YamlNode& values) {
        const std::string key = ctx.yaml.scalar(key_node, "a sweep key");
        if (!seen.insert(key).second) ctx.yaml.fail(key_node, "duplicate key '" + key + "' in sweep");
        if (values.IsMap()) ctx.yaml.expect_map(values, "a sweep range", {"from", "to", "step"});
        SweepAxis axis = sweep_axis_from_yaml(key, values, ctx.yaml.where(key_node));
        check_assignment_path(root, key, ctx.yaml.file(), axis.location);
        return axis;
    };
    auto read_link = [&](const YamlNode& group) {
        if (!group.IsMap()) ctx.yaml.fail(group, "'link' takes a map of keys to values that move together, as in link: { db.count: [3, 5], system.k_of_n.k: [2, 3] }");
        std::vector<SweepAxis> axes;
        for (auto it = group.begin(); it != group.end(); ++it) axes.push_back(read_axis(it->first, it->second));
        ctx.model.sweep.push_back(link_axes(std::move(axes), ctx.yaml.where(group)));
    };
    bool has_goal = false;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "goal") {
            // What to look for among the points meeting every expectation (model/sweep_axis.h says why
            // "smallest" is never assumed).
            const std::string goal = ctx.yaml.scalar(it->second, "the sweep's goal");
            if (goal == "smallest") {
                ctx.model.sweep_goal = SweepGoal::Smallest;
            } else if (goal == "cheapest") {
                ctx.model.sweep_goal = SweepGoal::Cheapest;
            } else {
                ctx.yaml.fail(it->second, "sweep goal '" + goal + "' is not known: write smallest (the smallest values meeting every expectation) or cheapest (needs costs)");
            }
            has_goal = true;
            continue;
        }
        if (it->first.IsScalar() && it->first.Scalar() == "link") {
            // Linked keys: zipped into one axis (the k-th values together), not crossed.
            const YamlNode groups = it->second;
            if (groups.IsSequence()) {
                for (std::size_t g = 0; g < groups.size(); ++g) read_link(groups[g]);
            } else {
                read_link(groups);
            }
            continue;
        }
        ctx.model.sweep.push_back(read_axis(it->first, it->second));
    }
    if (has_goal && ctx.model.sweep.empty()) ctx.yaml.fail(node, "'sweep' has a goal but nothing to sweep: add a key and its values, as in web.count: 2..8");
}

// An expectation on a named cause (change:deploys, failure:db, domain:zone) names a change stream, a
// component (not a domain) or a domain of this scenario; a kind alone is always measurable.
void check_cause(const Model& model, const Expectation& e) {
    const auto colon = e.cause.find(':');
    if (colon == std::string::npos) return;
    const std::string kind = e.cause.substr(0, colon);
    std::string name = e.cause.substr(colon + 1);
    name.erase(0, name.find_first_not_of(' '));
    std::vector<std::string> names;
    if (kind == "change") {
        for (const ChangeStream& cs : model.changes) names.push_back(cs.name);
    } else if (kind == "failure" || kind == "domain") {
        for (const Component& c : model.components) {
            if (c.domain == (kind == "domain")) names.push_back(c.name);
        }
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) return;
    const std::string what = kind == "change" ? "change stream" : kind == "domain" ? "domain" : kind == "failure" ? "component" : "";
    if (what.empty()) throw InputError(e.location, "expectation '" + e.text + "': the cause '" + kind + "' takes no name");
    throw InputError(e.location, "expectation '" + e.text + "' names no " + what + " '" + name + "' of this scenario" +
                                     did_you_mean(name, names) + (names.empty() ? "" : "; it has " + join(names, ", ")));
}

}  // namespace

void read_study_settings(ReaderContext& ctx, const YamlNode& root) {
    Model& model = ctx.model;
    if (root["simulation"]) read_simulation(ctx, root["simulation"]);
    if (root["budget"]) model.budget_h = read_duration_or_zero(ctx.yaml, root["budget"], "budget (downtime per year)");
    if (root["slo"]) read_slos(ctx, root["slo"]);
    if (root["expect"]) model.expectations = read_expectations(ctx.yaml, root["expect"], ctx.component_names);
    if (root["cost"]) {
        ctx.yaml.expect_map(root["cost"], "cost", {"downtime_per_hour"});
        if (root["cost"]["downtime_per_hour"]) {
            model.downtime_cost_per_hour = read_cost(ctx.yaml, root["cost"]["downtime_per_hour"], "cost of an hour of downtime");
        }
    }
    if (root["sweep"]) read_sweep(ctx, root["sweep"], root);
    for (const Expectation& e : model.expectations) {
        if (e.metric == metric_spec(MetricId::BudgetExceeded).name && !model.budget_h) {
            throw InputError(e.location, "expectation '" + e.text + "' needs a 'budget:' (downtime per year)");
        }
        if (!e.cause.empty()) {
            check_cause(model, e);
            continue;
        }
        if (e.window.empty()) continue;
        std::vector<std::string> windows;
        const SloObjective* slo = nullptr;
        for (const SloObjective& o : model.slos) {
            windows.push_back(o.window);
            if (o.window == e.window) slo = &o;
        }
        if (slo == nullptr) {
            throw InputError(e.location, "expectation '" + e.text + "' names no SLO window of this scenario" +
                                             (windows.empty() ? std::string(" (it has no 'slo:')") : "; windows: " + join(windows, ", ")));
        }
        if (e.metric == "slo_breach_time" && slo->kind != SloWindowKind::Rolling) {
            throw InputError(e.location, "expectation '" + e.text + "': slo_breach_time needs a rolling window (rolling 30d)");
        }
    }
}
}  // namespace nines::io
