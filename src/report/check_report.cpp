#include "report/check_report.h"

#include <fmt/format.h>

#include "report/analytic_report.h"
#include "report/check_wording.h"
#include "model/metric_registry.h"

namespace nines::report {

namespace {

using json = nlohmann::ordered_json;

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

const char* label(study::Outcome o, bool strict) {
    if (o == study::Outcome::Inconclusive && strict) return "FAIL (inconclusive)";
    switch (o) {
        case study::Outcome::Pass: return "pass";
        case study::Outcome::Fail: return "FAIL";
        case study::Outcome::Inconclusive: return "inconclusive";
        case study::Outcome::NotApplicable: return "not applicable";
    }
    return "?";
}

}  // namespace

std::string expectations_to_text(const std::vector<study::ExpectationResult>& results, bool strict) {
    std::string out;
    for (const study::ExpectationResult& r : results) {
        out += fmt::format("  {:<20} {:<36} {}\n", label(r.outcome, strict), r.expectation.text, describe(r));
    }
    return out;
}

std::string check_summary_to_text(const std::vector<CheckedScenario>& scenarios, bool strict) {
    std::string out;
    for (const CheckedScenario& s : scenarios) {
        if (s.input_error) {
            out += fmt::format("{}\n  ERROR  {}\n\n", s.file, s.error);
            continue;
        }
        out += fmt::format("{}  ({}; {} replications, {:.1f} s)\n", s.file, s.name.empty() ? "unnamed" : s.name,
                           s.study.simulation.replications, s.seconds);
        if (s.study.expectations.empty()) out += "  (no expectations)\n";
        out += expectations_to_text(s.study.expectations, strict);
        out += "\n";
    }
    return out + check_totals_to_text(scenarios, strict);
}

std::string check_totals_to_text(const std::vector<CheckedScenario>& scenarios, bool strict) {
    int pass = 0, fail = 0, inconclusive = 0, not_applicable = 0, errors = 0;
    for (const CheckedScenario& s : scenarios) {
        errors += s.input_error ? 1 : 0;
        for (const study::ExpectationResult& r : s.study.expectations) {
            (r.outcome == study::Outcome::Pass            ? pass
             : r.outcome == study::Outcome::Fail          ? fail
             : r.outcome == study::Outcome::NotApplicable ? not_applicable
                                                          : inconclusive)++;
        }
    }
    return fmt::format("{} scenario{}: {} passed, {} failed, {} inconclusive{}{}{}\n", scenarios.size(),
                       scenarios.size() == 1 ? "" : "s", pass, fail, inconclusive,
                       not_applicable ? fmt::format(", {} not applicable", not_applicable) : "",
                       strict && inconclusive ? " (failures under --strict)" : "",
                       errors ? fmt::format(", {} with input errors", errors) : "");
}

std::string check_to_junit(const std::vector<CheckedScenario>& scenarios, bool strict) {
    int tests = 0, failures = 0, skipped = 0, errors = 0;
    std::string suites;
    for (const CheckedScenario& s : scenarios) {
        int t = 0, f = 0, k = 0, e = 0;
        std::string cases;
        const std::string suite_name = xml_escape(s.name.empty() ? s.file : s.name);
        if (s.input_error) {
            ++t;
            ++e;
            cases += fmt::format("    <testcase classname=\"{}\" name=\"scenario\" time=\"0\">\n      <error message=\"{}\"/>\n    </testcase>\n",
                                 xml_escape(s.file), xml_escape(s.error));
        }
        for (const study::ExpectationResult& r : s.study.expectations) {
            ++t;
            cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n", xml_escape(s.file),
                                 xml_escape(r.expectation.text));
            const bool failed = r.outcome == study::Outcome::Fail || (strict && r.outcome == study::Outcome::Inconclusive);
            if (failed) {
                ++f;
                const std::string message = describe(r);
                cases += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n", xml_escape(message),
                                     study::to_string(r.outcome), xml_escape(r.expectation.location.str() + ": " + message));
            } else if (r.outcome == study::Outcome::Inconclusive || r.outcome == study::Outcome::NotApplicable) {
                // Neither passed nor failed: a CI system must not count it as a pass.
                ++k;
                cases += fmt::format("      <skipped message=\"{}\"/>\n",
                                     xml_escape(std::string(study::to_string(r.outcome)) + ": " + describe(r)));
            } else {
                cases += fmt::format("      <system-out>{}</system-out>\n", xml_escape(describe(r)));
            }
            cases += "    </testcase>\n";
        }
        suites += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n{}  </testsuite>\n",
                              suite_name, t, f, e, k, s.seconds, cases);
        tests += t;
        failures += f;
        skipped += k;
        errors += e;
    }
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nines check\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{}</testsuites>\n",
                       tests, failures, errors, skipped, suites);
}

json expectations_to_json(const std::vector<study::ExpectationResult>& results) {
    json list = json::array();
    for (const study::ExpectationResult& r : results) {
        json j;
        j["expectation"] = r.expectation.text;
        j["location"] = r.expectation.location.str();
        j["outcome"] = study::to_string(r.outcome);
        j["finding"] = study::to_string(r.finding);
        j["message"] = describe(r);
        if (r.expectation.metric != metric_spec(MetricId::Crosscheck).name && r.value.measurable) {
            const sim::Estimate& e = r.value.estimate;
            j["value"] = std::isfinite(e.mean) ? json(e.mean) : json(nullptr);
            j["ci95"] = e.has_ci ? json::array({std::isfinite(e.lo) ? json(e.lo) : json(nullptr),
                                                std::isfinite(e.hi) ? json(e.hi) : json(nullptr)})
                                 : json(nullptr);
            j["threshold"] = r.expectation.threshold;
            // The sequential verdict: the look that gave it and the interval it rests on.
            j["replications"] = r.replications;
            j["look"] = {{"index", r.look.index}, {"of", r.look.count}, {"level", r.look.level()}};
            j["decision_interval"] = e.has_ci ? json::array({std::isfinite(r.decision.lo) ? json(r.decision.lo) : json(nullptr),
                                                             std::isfinite(r.decision.hi) ? json(r.decision.hi) : json(nullptr)})
                                              : json(nullptr);
        }
        list.push_back(j);
    }
    return list;
}

json check_to_json(const std::vector<CheckedScenario>& scenarios, bool strict) {
    json out;
    out["format"] = "nines-check";
    out["format_version"] = 1;
    out["strict"] = strict;
    json list = json::array();
    for (const CheckedScenario& s : scenarios) {
        json j;
        j["file"] = s.file;
        j["name"] = s.name;
        if (s.input_error) {
            j["error"] = s.error;
        } else {
            j["replications"] = s.study.simulation.replications;
            j["replication_steps"] = s.study.replication_steps;
            j["crosscheck"] = crosscheck_to_json(s.study.crosscheck);
            j["expectations"] = expectations_to_json(s.study.expectations);
        }
        list.push_back(j);
    }
    out["scenarios"] = list;
    return out;
}

}  // namespace nines::report
