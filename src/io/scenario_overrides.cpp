#include "io/scenario_overrides.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

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

std::vector<std::string> expand_values(const std::string& key, const std::string& text, const SourceLocation& where) {
    const std::string t = trim(text);
    const auto dots = t.find("..");
    if (dots != std::string::npos) {
        std::string hi_text = t.substr(dots + 2);
        long long step = 1;
        const auto colon = hi_text.find(':');
        if (colon != std::string::npos) {
            if (!parse_long(trim(hi_text.substr(colon + 1)), step) || step <= 0) {
                throw InputError(where, "sweep over '" + key + "': bad step in '" + t + "' (write a..b or a..b:step with a positive step)");
            }
            hi_text = hi_text.substr(0, colon);
        }
        long long lo = 0, hi = 0;
        if (!parse_long(trim(t.substr(0, dots)), lo) || !parse_long(trim(hi_text), hi)) {
            throw InputError(where, "sweep over '" + key + "': '" + t + "' is not a range of whole numbers (write 2..6)");
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

SweepAxis sweep_axis_from_yaml(const std::string& key, const YAML::Node& values, const SourceLocation& where) {
    SweepAxis axis;
    axis.path = key;
    axis.location = where;
    if (values.IsSequence()) {
        if (values.size() == 0) throw InputError(where, "sweep over '" + key + "': the list has no values");
        for (const YAML::Node& v : values) {
            if (!v.IsScalar()) throw InputError(where, "sweep over '" + key + "': values must be single values");
            axis.values.push_back(v.Scalar());
        }
    } else if (values.IsScalar()) {
        axis.values = expand_values(key, values.Scalar(), where);
    } else {
        throw InputError(where, "sweep over '" + key + "': give a list of values or a range such as 2..6");
    }
    return axis;
}

namespace {

// The parent map of `path` in `root` (components.NAME for a leading component name), or throws.
YAML::Node parent_of(YAML::Node root, std::vector<std::string>& parts, const std::string& path, const std::string& file,
                     const SourceLocation& where) {
    for (const std::string& p : parts) {
        if (trim(p).empty()) throw InputError(where, "sweep over '" + path + "': empty part in the key");
    }
    if (!root[parts[0]] && root["components"] && root["components"][parts[0]]) parts.insert(parts.begin(), "components");
    YAML::Node node = root;
    std::string walked;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        walked += (i ? "." : "") + parts[i];
        YAML::Node next = node[parts[i]];
        if (!next || !next.IsMap()) {
            std::vector<std::string> names;
            if (node.IsMap()) {
                for (auto it = node.begin(); it != node.end(); ++it) names.push_back(it->first.Scalar());
            }
            if (i == 0 && root["components"] && root["components"].IsMap()) {
                for (auto it = root["components"].begin(); it != root["components"].end(); ++it) names.push_back(it->first.Scalar());
            }
            throw InputError(where, "sweep over a missing key: '" + path + "' (no '" + walked + "' in " + file + ")" +
                                        did_you_mean(parts[i], names));
        }
        node.reset(next);  // walk down: assignment would overwrite the node it refers to
    }
    return node;
}

}  // namespace

void check_assignment_path(const YAML::Node& root, const std::string& path, const std::string& file, const SourceLocation& where) {
    std::vector<std::string> parts = split(path, '.');
    if (parts.empty()) throw InputError(where, "sweep over an empty key");
    parent_of(YAML::Clone(root), parts, path, file, where);
}

std::string apply_assignments(const std::string& text, const std::string& file, const std::vector<Assignment>& assignments) {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) throw InputError(SourceLocation{file, 1, 1}, "the scenario is not a map");
    for (const Assignment& a : assignments) {
        std::vector<std::string> parts = split(a.path, '.');
        if (parts.empty()) throw InputError(a.location, "sweep over an empty key");
        YAML::Node parent = parent_of(root, parts, a.path, file, a.location);
        parent[parts.back()] = a.value;
    }
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

}  // namespace nines::io
