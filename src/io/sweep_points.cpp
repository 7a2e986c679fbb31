#include "io/sweep_points.h"

#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "io/scenario_overrides.h"
#include "io/scenario_reader.h"

namespace nines::io {

SweepPointModels sweep_point_models(const std::string& file, const std::vector<SweepAxis>& axes) {
    // Validate the file as written first, so its own errors carry its own lines.
    read_scenario_file(file);
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (axes.empty()) throw InputError(SourceLocation{file, 0, 0}, "nothing to sweep: give --set KEY=VALUES or a 'sweep:' section");

    const std::unique_ptr<YamlDocument> document = YamlDocument::parse(text.str());
    const YamlNode root = document->root();
    std::set<std::string> seen;
    auto once = [&](const std::string& path, const SourceLocation& where) {
        if (!seen.insert(path).second) throw InputError(where, "sweep over '" + path + "' twice: give each key one list of values");
        check_assignment_path(root, path, file, where);
    };
    for (const SweepAxis& a : axes) {
        once(a.path, a.location);
        for (const LinkedPath& l : a.linked) once(l.path, a.location);
    }
    return [scenario = text.str(), file, where = axes.front().location](const std::vector<Assignment>& assignments,
                                                                         const std::string& label) {
        const std::string name = file + " [" + label + "]";
        try {
            return read_scenario_text(apply_assignments(scenario, file, assignments), name);
        } catch (const InputError& e) {
            // A value that makes the scenario invalid: name the sweep key, not the generated text.
            throw InputError(where, "sweep point " + label + ": " + e.detail());
        }
    };
}

}  // namespace nines::io
