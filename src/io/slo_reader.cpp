#include "io/slo_reader.h"

#include <cstdlib>

#include "io/quantity.h"
#include "model/units_format.h"

namespace nines::io {

namespace {

const std::vector<std::string> kWindowKinds = {"month", "quarter", "Nd", "rolling Nd"};

// A positive whole number of days written "30d": 1 to 4 digits, no leading zero.
bool read_days(const std::string& text, double& days) {
    if (text.size() < 2 || text.size() > 5 || text.back() != 'd' || text[0] == '0') return false;
    const std::string digits = text.substr(0, text.size() - 1);
    if (digits.find_first_not_of("0123456789") != std::string::npos) return false;
    days = std::atof(digits.c_str());
    return true;
}

SloObjective read_window(const YamlReader& yaml, const YamlNode& node, double target, bool capacity_weighted) {
    SloObjective slo;
    slo.capacity_weighted = capacity_weighted;
    slo.location = yaml.where(node);
    slo.target = target;
    slo.window = yaml.scalar(node, "an SLO window");
    const std::string& w = slo.window;
    if (w == "month") {
        slo.kind = SloWindowKind::Month;
    } else if (w == "quarter") {
        slo.kind = SloWindowKind::Quarter;
    } else if (w.rfind("rolling ", 0) == 0 && read_days(w.substr(8), slo.days)) {
        slo.kind = SloWindowKind::Rolling;
    } else if (read_days(w, slo.days)) {
        slo.kind = SloWindowKind::Fixed;
    } else {
        yaml.fail(node, "unknown SLO window '" + w + "'; one of month, quarter, Nd (30d: fixed windows of N days), " +
                            "rolling Nd (rolling 30d)");
    }
    return slo;
}

double longest_window_h(const SloObjective& slo) {
    switch (slo.kind) {
        case SloWindowKind::Month: return 31 * 24.0;
        case SloWindowKind::Quarter: return 92 * 24.0;
        case SloWindowKind::Fixed:
        case SloWindowKind::Rolling: return slo.days * 24.0;
    }
    return 0;
}

void read_one(ReaderContext& ctx, const YamlNode& node) {
    const YamlReader& yaml = ctx.yaml;
    yaml.expect_map(node, "slo", {"target", "window", "measure"});
    if (!node["target"]) yaml.fail(node, "an slo needs a 'target' (for example target: 99.95%)");
    if (!node["window"]) yaml.fail(node, "an slo needs a 'window' (month, quarter, 30d or rolling 30d)");
    const double target = read_probability(yaml, node["target"], "SLO target");
    if (target <= 0 || target >= 1) yaml.fail(node["target"], "SLO target must be above 0 and below 100%");
    bool capacity_weighted = false;
    if (node["measure"]) {
        const std::string measure = yaml.scalar(node["measure"], "SLO measure");
        if (measure == "capacity_weighted") {
            capacity_weighted = true;
        } else if (measure != "availability") {
            yaml.fail(node["measure"], "unknown SLO measure '" + measure + "'; one of availability (the system up or "
                                       "down, the default), capacity_weighted (a partial outage burns the budget by the "
                                       "share of the demand not served)");
        }
    }
    std::vector<YamlNode> windows;
    if (node["window"].IsSequence()) {
        for (const YamlNode& w : node["window"]) windows.push_back(w);
        if (windows.empty()) yaml.fail(node["window"], "an slo needs at least one window");
    } else {
        windows.push_back(node["window"]);
    }
    const SimulationSettings& s = ctx.model.simulation;
    for (const YamlNode& w : windows) {
        SloObjective slo = read_window(yaml, w, target, capacity_weighted);
        for (const SloObjective& other : ctx.model.slos) {
            if (other.window == slo.window) yaml.fail(w, "SLO window '" + slo.window + "' given twice (one target per window)");
        }
        if (longest_window_h(slo) > s.horizon_h - s.warmup_h) {
            yaml.fail(w, "SLO window '" + slo.window + "' does not fit in the measured time (horizon - warmup = " +
                             format_duration(s.horizon_h - s.warmup_h) + ")");
        }
        ctx.model.slos.push_back(std::move(slo));
    }
}

}  // namespace

void read_slos(ReaderContext& ctx, const YamlNode& node) {
    if (node.IsSequence()) {
        for (const YamlNode& item : node) read_one(ctx, item);
    } else {
        read_one(ctx, node);
    }
}

}  // namespace nines::io
