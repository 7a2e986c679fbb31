#include "io/expectation_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "io/quantity.h"
#include "model/metric_registry.h"

namespace nines::io {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Reads the threshold in the metric's unit from text, through a scalar node so the quantity
// readers report errors at the expectation's location.
double read_threshold(const YamlReader& yaml, const YamlNode& where, const std::string& text, MetricUnit unit,
                      const std::string& what) {
    const std::unique_ptr<YamlDocument> scalar = YamlDocument::of_scalar(text);
    const YamlNode value = scalar->root();
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

// Is metric (with a '[' at `open`) one of the downtime-cause metrics, name[CAUSE] with nothing after?
bool is_cause_metric(const std::string& metric, std::size_t open) {
    const auto close = metric.find(']', open);
    if (close == std::string::npos || close + 1 != metric.size()) return false;
    for (const MetricSpec& m : metric_registry()) {
        if (m.scope == MetricScope::Cause && metric.substr(0, open) + "[CAUSE]" == m.written) return true;
    }
    return false;
}

Expectation parse(const YamlReader& yaml, const YamlNode& node, const std::vector<std::string>& component_names) {
    Expectation e;
    e.location = yaml.where(node);
    e.text = trim(yaml.scalar(node, "an expectation"));
    yaml.check_clean(node, e.text, "an expectation", false);  // one line: it is repeated in every report
    if (e.text == metric_spec(MetricId::Crosscheck).written) {
        e.metric = metric_spec(MetricId::Crosscheck).name;
        e.unit = metric_spec(MetricId::Crosscheck).unit;
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

    const std::vector<std::string>& names = expectation_metric_names();
    if (metric.rfind("reliability(", 0) == 0) {
        if (metric.back() != ')') yaml.fail(node, "cannot read expectation '" + e.text + "': write reliability(T), for example reliability(1y)");
        double hours = 0;
        std::string problem;
        if (!parse_duration_text(metric.substr(12, metric.size() - 13), hours, problem) || hours <= 0) {
            yaml.fail(node, "expectation '" + e.text + "': reliability(T) needs a positive time T" + (problem.empty() ? "" : ": " + problem));
        }
        e.at_h = hours;
        e.metric = metric_spec(MetricId::Reliability).name;
        e.unit = metric_spec(MetricId::Reliability).unit;
    } else if (const auto bracket = metric.find('['); bracket != std::string::npos && is_cause_metric(metric, bracket)) {
        // A downtime cause's metric: downtime_per_year[CAUSE] or outages_per_year[CAUSE], CAUSE a kind
        // ("change") or a kind and a name ("change:deploys"); the scenario reader checks the name exists.
        const auto close = metric.find(']', bracket);
        e.cause = trim(metric.substr(bracket + 1, close - bracket - 1));
        const std::string kind = e.cause.substr(0, e.cause.find(':'));
        const std::vector<std::string> kinds = {"failure", "maintenance", "change", "domain", "failover"};
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end() ||
            (e.cause.find(':') != std::string::npos && trim(e.cause.substr(e.cause.find(':') + 1)).empty())) {
            yaml.fail(node, "expectation '" + e.text + "': unknown downtime cause '" + e.cause + "'" + did_you_mean(kind, kinds) +
                                "; write a kind (" + join(kinds, ", ") + ") or KIND:NAME, for example change:deploys");
        }
        for (const MetricSpec& m : metric_registry()) {
            if (m.scope == MetricScope::Cause && metric.substr(0, bracket) + "[CAUSE]" == m.written) {
                e.metric = m.name;
                e.unit = m.unit;
            }
        }
    } else if (const auto open = metric.find('['); open != std::string::npos) {
        // An SLO window's metric: name[WINDOW] with an optional .pNN after the bracket.
        const auto close = metric.find(']', open);
        if (close == std::string::npos || close == open + 1) {
            yaml.fail(node, "expectation '" + e.text + "': write name[WINDOW], for example slo_breach[month]");
        }
        e.window = trim(metric.substr(open + 1, close - open - 1));
        const std::string name = metric.substr(0, open) + metric.substr(close + 1);
        std::vector<std::string> written;
        const MetricSpec* spec = nullptr;
        for (const MetricSpec& m : metric_registry()) {
            if (m.scope != MetricScope::Window) continue;
            written.emplace_back(m.written);
            const std::string alias = *m.alias ? std::string(m.alias).replace(std::string(m.alias).find("[W]"), 3, "") : "";
            if (name == m.name || (!alias.empty() && name == alias)) spec = &m;
        }
        if (spec == nullptr) {
            yaml.fail(node, "expectation '" + e.text + "': unknown SLO window metric '" + name + "'" + did_you_mean(name, written) +
                                "; one of " + join(written, ", "));
        }
        e.metric = spec->name;
        e.unit = spec->unit;
    } else if (metric.rfind("component.", 0) == 0) {
        const auto dot = metric.rfind('.');
        const std::string name = dot > 10 ? metric.substr(10, dot - 10) : "";
        const std::string field = metric.substr(dot + 1);
        if (name.empty()) yaml.fail(node, "expectation '" + e.text + "': write component.NAME.metric");
        if (std::find(component_names.begin(), component_names.end(), name) == component_names.end()) {
            yaml.fail(node, "expectation '" + e.text + "': unknown component '" + name + "'" + did_you_mean(name, component_names));
        }
        // The component metrics' fields: "component.outage_share" -> "outage_share".
        std::vector<std::string> fields;
        const MetricSpec* spec = nullptr;
        for (const MetricSpec& m : metric_registry()) {
            if (m.scope != MetricScope::Component) continue;
            fields.emplace_back(std::string(m.name).substr(10));
            if (fields.back() == field) spec = &m;
        }
        if (spec == nullptr) {
            yaml.fail(node, "expectation '" + e.text + "': unknown component metric '" + field + "'" + did_you_mean(field, fields) +
                                "; one of " + join(fields, ", "));
        }
        e.component = name;
        e.metric = spec->name;
        e.unit = spec->unit;
    } else {
        // A system metric written by its name or alias; reliability(T), crosscheck (a whole line) and
        // the component metrics are written otherwise, above.
        const auto it = std::find_if(metric_registry().begin(), metric_registry().end(), [&](const MetricSpec& m) {
            return m.scope == MetricScope::System && m.unit != MetricUnit::Verdict && m.id != MetricId::Reliability &&
                   (metric == m.written || (*m.alias && metric == m.alias));
        });
        if (it == metric_registry().end()) {
            yaml.fail(node, "unknown metric '" + metric + "' in expectation" + did_you_mean(metric, names) + "; metrics: " +
                                join(names, ", "));
        }
        e.metric = it->name;
        e.unit = it->unit;
    }
    e.threshold = read_threshold(yaml, node, value, e.unit, "expectation '" + e.text + "'");
    return e;
}

}  // namespace

const std::vector<std::string>& expectation_metric_names() {
    static const std::vector<std::string> names = written_metric_names();
    return names;
}

std::vector<Expectation> read_expectations(const YamlReader& yaml, const YamlNode& node,
                                           const std::vector<std::string>& component_names) {
    yaml.expect_sequence(node, "expect");
    std::vector<Expectation> out;
    // Expectations are independent of each other: every bad one is reported, not only the first.
    Diagnostics diagnostics;
    for (const YamlNode& item : node) {
        try {
            out.push_back(parse(yaml, item, component_names));
        } catch (const InputError& e) {
            diagnostics.add(e);
        } catch (const YAML::Exception& e) {
            diagnostics.add(InputError(SourceLocation{yaml.file(), e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1},
                                       "invalid scenario: " + e.msg));
        }
    }
    diagnostics.throw_if_any();
    return out;
}

}  // namespace nines::io
