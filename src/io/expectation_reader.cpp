#include "io/expectation_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "io/quantity.h"

namespace nines::io {

namespace {

struct MetricInfo {
    const char* name;
    MetricUnit unit;
};

const std::vector<MetricInfo>& metrics() {
    static const std::vector<MetricInfo> m = {
        {"availability", MetricUnit::Probability},     {"unavailability", MetricUnit::Probability},
        {"nines", MetricUnit::Number},                 {"downtime_per_year", MetricUnit::Duration},
        {"downtime_per_year.mean", MetricUnit::Duration}, {"downtime_per_year.p50", MetricUnit::Duration},
        {"downtime_per_year.p95", MetricUnit::Duration}, {"downtime_per_year.p99", MetricUnit::Duration},
        {"budget_exceeded", MetricUnit::Probability},  {"failures_per_year", MetricUnit::Number},
        {"mtbf", MetricUnit::Duration},                {"mean_outage", MetricUnit::Duration},
        {"outage.mean", MetricUnit::Duration},         {"outage.p50", MetricUnit::Duration},
        {"outage.p95", MetricUnit::Duration},          {"outage.p99", MetricUnit::Duration},
        {"outage.max", MetricUnit::Duration},          {"mttf", MetricUnit::Duration},
        {"reliability(T)", MetricUnit::Probability},   {"crosscheck", MetricUnit::Verdict},
        {"component.NAME.failures_per_year", MetricUnit::Number},
        {"component.NAME.downtime_per_year", MetricUnit::Duration},
        {"component.NAME.outage_share", MetricUnit::Probability},
    };
    return m;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Reads the threshold in the metric's unit from text, through a scalar node so the quantity
// readers report errors at the expectation's location.
double read_threshold(const YamlReader& yaml, const YAML::Node& where, const std::string& text, MetricUnit unit,
                      const std::string& what) {
    YAML::Node value(text);
    // A freshly built node has no mark: errors must point at the expectation line.
    try {
        switch (unit) {
            case MetricUnit::Probability: return read_probability(yaml, value, what);
            case MetricUnit::Duration: return read_duration_or_zero(yaml, value, what);
            default: return read_number(yaml, value, what);
        }
    } catch (const InputError& e) {
        throw InputError(yaml.where(where), e.detail());
    }
}

Expectation parse(const YamlReader& yaml, const YAML::Node& node, const std::vector<std::string>& component_names) {
    Expectation e;
    e.location = yaml.where(node);
    e.text = trim(yaml.scalar(node, "an expectation"));
    yaml.check_clean(node, e.text, "an expectation", false);  // one line: it is repeated in every report
    if (e.text == "crosscheck") {
        e.metric = "crosscheck";
        e.unit = MetricUnit::Verdict;
        return e;
    }
    const auto op_at = e.text.find_first_of("<>");
    if (op_at == std::string::npos) {
        yaml.fail(node, "cannot read expectation '" + e.text +
                            "': write 'metric op value' with op one of >=, <=, >, < (for example 'availability >= 99.9%'), "
                            "or 'crosscheck'");
    }
    const bool or_equal = op_at + 1 < e.text.size() && e.text[op_at + 1] == '=';
    e.comparison = e.text[op_at] == '>' ? (or_equal ? Comparison::AtLeast : Comparison::Above)
                                        : (or_equal ? Comparison::AtMost : Comparison::Below);
    std::string metric = trim(e.text.substr(0, op_at));
    const std::string value = trim(e.text.substr(op_at + (or_equal ? 2 : 1)));
    if (metric.empty() || value.empty()) yaml.fail(node, "cannot read expectation '" + e.text + "': a metric and a value are needed");
    if (value.find_first_of("<>=") != std::string::npos) yaml.fail(node, "cannot read expectation '" + e.text + "': more than one comparison");

    std::vector<std::string> names;
    for (const MetricInfo& m : metrics()) names.emplace_back(m.name);
    if (metric.rfind("reliability(", 0) == 0) {
        if (metric.back() != ')') yaml.fail(node, "cannot read expectation '" + e.text + "': write reliability(T), for example reliability(1y)");
        double hours = 0;
        std::string problem;
        if (!parse_duration_text(metric.substr(12, metric.size() - 13), hours, problem) || hours <= 0) {
            yaml.fail(node, "expectation '" + e.text + "': reliability(T) needs a positive time T" + (problem.empty() ? "" : ": " + problem));
        }
        e.at_h = hours;
        e.metric = "reliability";
        e.unit = MetricUnit::Probability;
    } else if (metric.rfind("component.", 0) == 0) {
        const auto dot = metric.rfind('.');
        const std::string name = dot > 10 ? metric.substr(10, dot - 10) : "";
        const std::string field = metric.substr(dot + 1);
        if (name.empty()) yaml.fail(node, "expectation '" + e.text + "': write component.NAME.metric");
        if (std::find(component_names.begin(), component_names.end(), name) == component_names.end()) {
            yaml.fail(node, "expectation '" + e.text + "': unknown component '" + name + "'" + did_you_mean(name, component_names));
        }
        const std::vector<std::string> fields = {"failures_per_year", "downtime_per_year", "outage_share"};
        if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
            yaml.fail(node, "expectation '" + e.text + "': unknown component metric '" + field + "'" + did_you_mean(field, fields) +
                                "; one of " + join(fields, ", "));
        }
        e.component = name;
        e.metric = "component." + field;
        e.unit = field == "failures_per_year" ? MetricUnit::Number
                 : field == "downtime_per_year" ? MetricUnit::Duration
                                                : MetricUnit::Probability;
    } else {
        auto it = std::find_if(metrics().begin(), metrics().end(), [&](const MetricInfo& m) { return metric == m.name; });
        if (it == metrics().end() || it->unit == MetricUnit::Verdict || metric.find("NAME") != std::string::npos ||
            metric == "reliability(T)") {
            yaml.fail(node, "unknown metric '" + metric + "' in expectation" + did_you_mean(metric, names) + "; metrics: " +
                                join(names, ", "));
        }
        e.metric = metric == "downtime_per_year.mean" ? "downtime_per_year" : metric == "outage.mean" ? "mean_outage" : metric;
        e.unit = it->unit;
    }
    e.threshold = read_threshold(yaml, node, value, e.unit, "expectation '" + e.text + "'");
    return e;
}

}  // namespace

const std::vector<std::string>& expectation_metric_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const MetricInfo& m : metrics()) n.emplace_back(m.name);
        return n;
    }();
    return names;
}

std::vector<Expectation> read_expectations(const YamlReader& yaml, const YAML::Node& node,
                                           const std::vector<std::string>& component_names) {
    yaml.expect_sequence(node, "expect");
    std::vector<Expectation> out;
    for (const YAML::Node& item : node) out.push_back(parse(yaml, item, component_names));
    return out;
}

}  // namespace nines::io
