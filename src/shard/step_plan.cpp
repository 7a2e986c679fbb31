#include "shard/step_plan.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <yaml-cpp/yaml.h>

#include "io/text_file.h"
#include "io/yaml_document.h"

namespace nines::shard {

std::vector<StepRange> planned_steps(const SimulationSettings& settings) {
    // Mirrors run_study: extend to `replications`, then double (capped) while below max_replications.
    std::vector<StepRange> steps{{0, settings.replications}};
    if (settings.precision) {
        std::int64_t done = settings.replications;
        while (done < settings.precision->max_replications) {
            const std::int64_t next = std::min(2 * done, settings.precision->max_replications);
            steps.push_back({done, next});
            done = next;
        }
    }
    return steps;
}

namespace {

void fnv1a(std::uint64_t& h, const std::string& bytes) {
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
}

// The files a scenario imports (`imports:`, paths relative to the scenario, as io reads them); none
// when the file is not YAML the reader would accept (reading it reports that, not the hash).
std::vector<std::string> imported_files(const std::string& scenario_file, const std::string& text) {
    std::vector<std::string> files;
    try {
        // io's parser (yaml_document.h): a million-component scenario is read in a second, not in 20.
        const std::unique_ptr<io::YamlDocument> document = io::YamlDocument::parse(text);
        const io::YamlNode doc = document->root();
        if (!doc.IsMap() || !doc["imports"] || !doc["imports"].IsSequence()) return files;
        const std::filesystem::path base = std::filesystem::path(scenario_file).parent_path();
        for (const io::YamlNode& entry : doc["imports"]) {
            if (!entry.IsScalar()) continue;
            const std::filesystem::path rel(entry.Scalar());
            files.push_back((rel.is_absolute() ? rel : base / rel).string());
        }
    } catch (const YAML::Exception&) {
        files.clear();
    }
    return files;
}

}  // namespace

std::string scenario_hash(const std::string& scenario_file) {
    const std::string bytes = io::read_text_file(scenario_file, SourceLocation{scenario_file, 0, 0}, "the scenario file");
    std::uint64_t h = 0xcbf29ce484222325ULL;
    fnv1a(h, bytes);
    for (const std::string& file : imported_files(scenario_file, bytes)) {
        fnv1a(h, std::string(1, '\0') + file + std::string(1, '\0'));
        fnv1a(h, io::read_text_file(file, SourceLocation{scenario_file, 0, 0}, "imported file '" + file + "'"));
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string describe_precision(const SimulationSettings& settings) {
    if (!settings.precision) return "";
    const PrecisionTarget& p = *settings.precision;
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s half-width %.17g, at most %lld replications", p.metric.c_str(), p.half_width,
                  static_cast<long long>(p.max_replications));
    return buf;
}

}  // namespace nines::shard
