#include "io/scenario_overrides.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <fmt/format.h>

#include "io/quantity.h"
#include "io/yaml_support.h"

namespace nines::io {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep)) parts.push_back(cur);
    if (!s.empty() && s.back() == sep) parts.emplace_back();
    return parts;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool parse_long(const std::string& s, long long& v) {
    char* end = nullptr;
    errno = 0;
    v = std::strtoll(s.c_str(), &end, 10);
    return !s.empty() && *end == '\0' && errno != ERANGE;
}

// The values of a duration range: from, from + step, ... up to `to` (inclusive), written in hours.
std::vector<std::string> duration_range(const std::string& key, const std::string& t, const std::string& from_text,
                                        const std::string& to_text, const std::string& step_text, const SourceLocation& where) {
    double from = 0, to = 0, step = 0;
    std::string problem;
    auto read = [&](const std::string& text, double& hours, const char* what) {
        if (!parse_duration_text(trim(text), hours, problem)) {
            throw InputError(where, "sweep over '" + key + "': the range's " + what + " '" + trim(text) + "': " + problem);
        }
    };
    read(from_text, from, "start");
    read(to_text, to, "end");
    if (trim(step_text).empty()) {
        throw InputError(where, "sweep over '" + key + "': the duration range " + t +
                                    " needs a step, as in 1h..4h:30min (or { from: 1h, to: 4h, step: 30min })");
    }
    read(step_text, step, "step");
    if (!(step > 0)) throw InputError(where, "sweep over '" + key + "': the step of " + t + " must be a positive duration");
    if (to < from) throw InputError(where, "sweep over '" + key + "': the range " + t + " has no values (its end is before its start)");
    // A relative allowance so that 1h..4h:30min reaches 4h despite rounding.
    const double count = std::floor((to - from) / step * (1 + 1e-12) + 1e-9);
    if (count >= 1000) throw InputError(where, "sweep over '" + key + "': the range " + t + " has more than 1000 values");
    std::vector<std::string> values;
    for (int i = 0; i <= static_cast<int>(count); ++i) values.push_back(fmt::format("{}h", from + i * step));
    return values;
}

std::vector<std::string> expand_values(const std::string& key, const std::string& text, const SourceLocation& where) {
    const std::string t = trim(text);
    const auto dots = t.find("..");
    if (dots != std::string::npos) {
        {
            // A range of durations (any bound with a unit): 1h..4h:30min.
            const std::string lo_text = trim(t.substr(0, dots));
            std::string rest = t.substr(dots + 2);
            const auto colon = rest.find(':');
            const std::string hi_text = trim(rest.substr(0, colon));
            const std::string step_text = colon == std::string::npos ? "" : rest.substr(colon + 1);
            long long ignored = 0;
            auto has_unit = [](const std::string& v) { return v.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos; };
            const bool whole_numbers = parse_long(lo_text, ignored) && parse_long(hi_text, ignored) && !has_unit(step_text);
            if (!whole_numbers && (has_unit(lo_text) || has_unit(hi_text) || has_unit(step_text))) {
                return duration_range(key, t, lo_text, hi_text, step_text, where);
            }
        }
        std::string hi_text = t.substr(dots + 2);
        long long step = 1;
        const auto colon = hi_text.find(':');
        if (colon != std::string::npos) {
            if (!parse_long(trim(hi_text.substr(colon + 1)), step) || step <= 0) {
                throw InputError(where, "sweep over '" + key + "': bad step in '" + t +
                                            "' (write a..b or a..b:step with a positive whole step, or durations: 1h..4h:30min)");
            }
            hi_text = hi_text.substr(0, colon);
        }
        long long lo = 0, hi = 0;
        if (!parse_long(trim(t.substr(0, dots)), lo) || !parse_long(trim(hi_text), hi)) {
            throw InputError(where, "sweep over '" + key + "': '" + t + "' is not a range of whole numbers (write 2..6) or of durations (1h..4h:30min)");
        }
        if (hi < lo) throw InputError(where, "sweep over '" + key + "': the range " + t + " has no values");
        if ((hi - lo) / step >= 1000) throw InputError(where, "sweep over '" + key + "': the range " + t + " has more than 1000 values");
        std::vector<std::string> values;
        for (long long v = lo; v <= hi; v += step) values.push_back(std::to_string(v));
        return values;
    }
    std::vector<std::string> values;
    for (const std::string& part : split(t, ',')) {
        const std::string v = trim(part);
        if (v.empty()) throw InputError(where, "sweep over '" + key + "': empty value in '" + t + "'");
        values.push_back(v);
    }
    if (values.empty()) throw InputError(where, "sweep over '" + key + "': no values");
    return values;
}

}  // namespace

SweepAxis parse_sweep_spec(const std::string& spec, const SourceLocation& where) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
        throw InputError(where, "--set '" + spec + "': write KEY=VALUES, for example web.count=2..6 or lb.repair.mttr=1h,2h");
    }
    SweepAxis axis;
    axis.path = trim(spec.substr(0, eq));
    axis.location = where;
    axis.values = expand_values(axis.path, spec.substr(eq + 1), where);
    return axis;
}

SweepAxis link_axes(std::vector<SweepAxis> axes, const SourceLocation& where) {
    if (axes.size() < 2) throw InputError(where, "a linked sweep needs at least two keys (link: { a: [...], b: [...] })");
    SweepAxis out = axes.front();
    for (std::size_t k = 1; k < axes.size(); ++k) {
        if (axes[k].values.size() != out.values.size()) {
            throw InputError(where, "linked sweep keys need as many values each: '" + out.path + "' has " +
                                        std::to_string(out.values.size()) + ", '" + axes[k].path + "' has " +
                                        std::to_string(axes[k].values.size()));
        }
        out.linked.push_back({axes[k].path, axes[k].values});
    }
    return out;
}

SweepAxis parse_linked_spec(const std::string& spec, const SourceLocation& where) {
    std::vector<SweepAxis> axes;
    for (const std::string& part : split(spec, ';')) axes.push_back(parse_sweep_spec(trim(part), where));
    return link_axes(std::move(axes), where);
}

SweepAxis sweep_axis_from_yaml(const std::string& key, const YamlNode& values, const SourceLocation& where) {
    SweepAxis axis;
    axis.path = key;
    axis.location = where;
    if (values.IsSequence()) {
        if (values.size() == 0) throw InputError(where, "sweep over '" + key + "': the list has no values");
        for (const YamlNode& v : values) {
            if (!v.IsScalar()) throw InputError(where, "sweep over '" + key + "': values must be single values");
            axis.values.push_back(v.Scalar());
        }
    } else if (values.IsScalar()) {
        axis.values = expand_values(key, values.Scalar(), where);
    } else if (values.IsMap() && values["from"] && values["to"]) {
        // { from: 1h, to: 4h, step: 30min }: a range written as a map (whole numbers or durations).
        for (auto it = values.begin(); it != values.end(); ++it) {
            const std::string k = it->first.Scalar();
            if (k != "from" && k != "to" && k != "step") {
                throw InputError(where, "sweep over '" + key + "': unknown key '" + k + "' in a range; write { from: A, to: B, step: S }");
            }
        }
        for (const char* k : {"from", "to", "step"}) {
            if (values[k] && !values[k].IsScalar()) throw InputError(where, "sweep over '" + key + "': '" + k + "' must be a single value");
        }
        const std::string text = values["from"].Scalar() + ".." + values["to"].Scalar() +
                                 (values["step"] ? ":" + values["step"].Scalar() : std::string());
        axis.values = expand_values(key, text, where);
    } else {
        throw InputError(where, "sweep over '" + key + "': give a list of values, a range such as 2..6 or 1h..4h:30min, or { from: 1h, to: 4h, step: 30min }");
    }
    return axis;
}

namespace {

// One step of a path: a map key, or (after it, in brackets) a 0-based list position.
struct PathStep {
    std::string key;    // empty for a list position
    long long index = -1;
    std::string text;   // as written, for messages: "of", "[1]"
};

// "system.series[1].k_of_n.k" -> system, series, [1], k_of_n, k.
std::vector<PathStep> path_steps(const std::string& path, const SourceLocation& where) {
    std::vector<PathStep> steps;
    for (const std::string& raw : split(path, '.')) {
        const std::string part = trim(raw);
        const auto bracket = part.find('[');
        const std::string key = trim(part.substr(0, bracket));
        if (key.empty() && (bracket == std::string::npos || steps.empty())) {
            throw InputError(where, "sweep over '" + path + "': empty part in the key");
        }
        if (!key.empty()) steps.push_back({key, -1, key});
        for (auto open = bracket; open != std::string::npos; open = part.find('[', open + 1)) {
            const auto close = part.find(']', open);
            long long index = 0;
            if (close == std::string::npos || !parse_long(trim(part.substr(open + 1, close - open - 1)), index) || index < 0 ||
                (close + 1 < part.size() && part[close + 1] != '[')) {
                throw InputError(where, "sweep over '" + path + "': write a list position as [N] with N from 0, as in system.series[1].k_of_n.k");
            }
            steps.push_back({"", index, "[" + std::to_string(index) + "]"});
        }
    }
    if (steps.empty()) throw InputError(where, "sweep over an empty key");
    return steps;
}

std::string walked_text(const std::vector<PathStep>& steps, std::size_t upto) {
    std::string out;
    for (std::size_t i = 0; i <= upto && i < steps.size(); ++i) out += (i && steps[i].index < 0 ? "." : "") + steps[i].text;
    return out;
}

// Moves `node` to `next`: a yaml-cpp node must be reset (assignment would overwrite the node it refers
// to); a YamlNode is a handle.
void walk_to(YAML::Node& node, const YAML::Node& next) { node.reset(next); }
void walk_to(YamlNode& node, const YamlNode& next) { node = next; }

// The node that holds the path's last step (components.NAME for a leading component name), or throws.
// Node is YAML::Node (apply_assignments edits the tree) or YamlNode (checking a path of a read file).
template <class Node>
Node parent_of(Node root, std::vector<PathStep>& steps, const std::string& path, const std::string& file,
                     const SourceLocation& where) {
    if (steps[0].index < 0 && !root[steps[0].key] && root["components"] && root["components"][steps[0].key]) {
        steps.insert(steps.begin(), PathStep{"components", -1, "components"});
    }
    Node node = root;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const PathStep& step = steps[i];
        const bool last = i + 1 == steps.size();
        if (step.index >= 0) {
            if (!node.IsSequence()) {
                throw InputError(where, "sweep over '" + path + "': '" + walked_text(steps, i - 1) + "' in " + file +
                                            " is not a list, so it has no position " + step.text);
            }
            if (static_cast<std::size_t>(step.index) >= node.size()) {
                throw InputError(where, "sweep over '" + path + "': '" + walked_text(steps, i - 1) + "' in " + file + " has " +
                                            std::to_string(node.size()) + " item(s), positions [0] to [" +
                                            std::to_string(node.size() == 0 ? 0 : node.size() - 1) + "]");
            }
            if (last) return node;
            Node next = node[static_cast<std::size_t>(step.index)];
            walk_to(node, next);
            continue;
        }
        if (!node.IsMap()) {
            throw InputError(where, "sweep over '" + path + "': '" + walked_text(steps, i - 1) + "' in " + file +
                                        (node.IsSequence() ? " is a list: give a position, as in " + walked_text(steps, i - 1) + "[0]"
                                                           : " is a single value, not a map"));
        }
        if (last) return node;
        Node next = node[step.key];
        if (!next || !(next.IsMap() || next.IsSequence())) {
            std::vector<std::string> names;
            for (auto it = node.begin(); it != node.end(); ++it) names.push_back(it->first.Scalar());
            if (i == 0 && root["components"] && root["components"].IsMap()) {
                for (auto it = root["components"].begin(); it != root["components"].end(); ++it) names.push_back(it->first.Scalar());
            }
            throw InputError(where, "sweep over a missing key: '" + path + "' (no '" + walked_text(steps, i) + "' in " + file + ")" +
                                        did_you_mean(step.key, names));
        }
        walk_to(node, next);
    }
    return node;
}

}  // namespace

void check_assignment_path(const YamlNode& root, const std::string& path, const std::string& file, const SourceLocation& where) {
    std::vector<PathStep> steps = path_steps(path, where);
    parent_of(root, steps, path, file, where);
}

std::string apply_assignments(const std::string& text, const std::string& file, const std::vector<Assignment>& assignments) {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) throw InputError(SourceLocation{file, 1, 1}, "the scenario is not a map");
    for (const Assignment& a : assignments) {
        std::vector<PathStep> steps = path_steps(a.path, a.location);
        YAML::Node parent = parent_of(root, steps, a.path, file, a.location);
        // A value that reads as YAML (a list or a map, as in `system: "{ parallel: [a, b] }"`) is put in
        // as that structure; anything else as the text it is.
        YAML::Node value;
        try {
            value = YAML::Load(a.value);
        } catch (const YAML::Exception&) {
            value = YAML::Node(a.value);
        }
        if (!(value.IsMap() || value.IsSequence())) value = YAML::Node(a.value);
        if (steps.back().index >= 0) {
            parent[static_cast<std::size_t>(steps.back().index)] = value;
        } else {
            parent[steps.back().key] = value;
        }
    }
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

}  // namespace nines::io
