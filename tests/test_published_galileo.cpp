// Static Galileo fault trees against answers published by another tool: Storm's test suite
// (github.com/moves-rwth/storm: src/test/storm-dft/bdd/SftBddTest.cpp and
// src/test/storm-dft/api/DftModelCheckerTest.cpp) gives, for non-repairable trees, the probability of
// the top event at time 1, the MTTF, and Birnbaum / criticality / RAW / RRW at time 1. The models are
// rewritten in tests/interchange/published/ (same structure and rates). Each value is checked to the
// digits Storm publishes: exact fractions and 10-digit figures to 1e-9 relative, importance measures
// (published to 6 digits) to 1e-6.
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "analytic/analysis.h"
#include "io/galileo_reader.h"
#include "io/scenario_reader.h"
#include "report/scenario_writer.h"

using namespace nines;

namespace {

const std::string kPublished = std::string(NINES_TEST_DIR) + "/interchange/published/";

Model import_galileo(const std::string& file) {
    return io::read_scenario_text(report::write_scenario(io::read_galileo_file(kPublished + file)), file + ".yaml");
}

analytic::AnalyticResults at_time_one(const Model& m) {
    analytic::AnalysisOptions options;
    options.mission_time_h = 1.0;
    return analytic::analyze(m, options);
}

bool relative_close(double got, double published, double tolerance) {
    return std::fabs(got - published) <= tolerance * std::fabs(published);
}

struct PublishedImportance {
    double birnbaum, criticality, raw, rrw;  // rrw: infinity when the event alone causes the top event
};

}  // namespace

TEST_CASE("Storm's published probabilities at t = 1 and MTTFs of static trees", "[interchange][published]") {
    struct Case {
        std::string file;
        double probability_at_one;  // NaN: not published
        double mttf;
    };
    const double none = std::numeric_limits<double>::quiet_NaN();
    const Case cases[] = {
        {"storm_bdd_and.dft", 0.25, 2.164042561},
        {"storm_bdd_or.dft", 0.75, 0.7213475204},
        {"storm_bdd_andor.dft", 0.5625, 1.082021281},
        {"storm_bdd_vot.dft", 0.6875, 0.8415721072},
        {"storm_bdd_importance.dft", 0.2655055433, 1.977074913},
        {"storm_and.dft", none, 3.0},
        {"storm_voting3.dft", none, 2685.0 / 1547.0},
        {"storm_voting4.dft", none, 5.0 / 6.0},
        {"storm_symmetry6.dft", 0.3421934224, 2804183.0 / 2042040.0},
    };
    for (const Case& c : cases) {
        INFO(c.file);
        const analytic::AnalyticResults r = at_time_one(import_galileo(c.file));
        REQUIRE(r.mission_time_h);
        if (!std::isnan(c.probability_at_one)) {
            // Published to 10 significant digits (or exactly): 1e-9 relative.
            CHECK(relative_close(r.unavailability, c.probability_at_one, 1e-9));
        }
        REQUIRE(r.mttf_h);
        CHECK(relative_close(*r.mttf_h, c.mttf, 1e-9));
    }
}

TEST_CASE("Storm's published importance measures at t = 1", "[interchange][published]") {
    const double inf = std::numeric_limits<double>::infinity();
    // SftBddTest "Importance": Birnbaum, CIF (criticality), RAW, RRW of x1..x7 at time 1.
    const std::map<std::string, PublishedImportance> published = {
        {"x1", {0.531011, 1, 2, inf}},
        {"x2", {0.368041, 0.693094, 1.693094106, 3.25832778}},
        {"x3", {0.224763, 0.153453, 1.693094106, 1.18127}},
        {"x4", {0.0596235, 0.112283, 1.112283035, 1.126485175}},
        {"x5", {0.0543206, 0.09231, 1.112283035, 1.1016977}},
        {"x6", {0.0810368, 0.192934, 1.112283035, 1.23905588}},
    };
    const analytic::AnalyticResults r = at_time_one(import_galileo("storm_bdd_importance.dft"));
    int checked = 0;
    for (const analytic::Importance& imp : r.importance) {
        const auto it = published.find(imp.name);
        if (it == published.end()) continue;  // x7 is used by no gate: the import leaves it out
        INFO(imp.name);
        CHECK(std::fabs(imp.birnbaum - it->second.birnbaum) <= 1e-6);
        CHECK(std::fabs(imp.criticality - it->second.criticality) <= 1e-6);
        CHECK(std::fabs(imp.raw - it->second.raw) <= 1e-6);
        if (std::isinf(it->second.rrw)) {
            CHECK(std::isinf(imp.rrw));
        } else {
            CHECK(std::fabs(imp.rrw - it->second.rrw) <= 1e-5);
        }
        ++checked;
    }
    CHECK(checked == 6);
}

TEST_CASE("The steady state is not the mission-time figure: the published checks have power", "[interchange][published]") {
    // Without a mission time every never-repaired unit is down in the steady state, so the top event's
    // probability is 1, far from the published 0.2655 at t = 1.
    const Model m = import_galileo("storm_bdd_importance.dft");
    CHECK_FALSE(relative_close(analytic::analyze(m).unavailability, 0.2655055433, 1e-3));
    // A mission time of 1.01 h instead of 1 h moves the value by more than the tolerance.
    analytic::AnalysisOptions options;
    options.mission_time_h = 1.01;
    CHECK_FALSE(relative_close(analytic::analyze(m, options).unavailability, 0.2655055433, 1e-6));
}

TEST_CASE("Mission time with repairable units and dependent components", "[analytic][published]") {
    // One repairable exponential unit (lam = 0.01, mu = 0.1 per hour): q(t) = lam/(lam+mu)(1 - e^-(lam+mu)t).
    const Model single = io::read_scenario_text(
        "components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 10h } }\nsystem: a\n", "one.yaml");
    analytic::AnalysisOptions options;
    options.mission_time_h = 5.0;
    const double exact = 0.01 / 0.11 * -std::expm1(-0.11 * 5.0);
    const analytic::AnalyticResults r = analytic::analyze(single, options);
    CHECK(relative_close(r.unavailability, exact, 1e-12));
    CHECK(std::isnan(r.failure_frequency_per_h));  // a steady-state rate: not given at a mission time
    // Two such units sharing one crew: the chain's transient, solved here by hand. States: 0 down
    // (p0), 1 down (p1), 2 down (p2, system down in a 1-of-2 parallel). Q = [-2l, 2l, 0; m, -(l+m), l;
    // 0, m, -m]; integrate p' = p Q with small Runge-Kutta steps.
    const Model crew = io::read_scenario_text(
        "repair: { crews: 1 }\ncomponents:\n  a: { count: 2, failure: { mttf: 100h }, repair: { mttr: 10h } }\n"
        "system: { parallel: [a] }\n", "crew.yaml");
    const double l = 0.01, mu = 0.1;
    double p[3] = {1, 0, 0};
    auto deriv = [&](const double* x, double* d) {
        d[0] = -2 * l * x[0] + mu * x[1];
        d[1] = 2 * l * x[0] - (l + mu) * x[1] + mu * x[2];
        d[2] = l * x[1] - mu * x[2];
    };
    const int steps = 5000;
    const double h = 5.0 / steps;
    for (int s = 0; s < steps; ++s) {
        double k1[3], k2[3], k3[3], k4[3], y[3];
        deriv(p, k1);
        for (int i = 0; i < 3; ++i) y[i] = p[i] + h / 2 * k1[i];
        deriv(y, k2);
        for (int i = 0; i < 3; ++i) y[i] = p[i] + h / 2 * k2[i];
        deriv(y, k3);
        for (int i = 0; i < 3; ++i) y[i] = p[i] + h * k3[i];
        deriv(y, k4);
        for (int i = 0; i < 3; ++i) p[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
    const analytic::AnalyticResults rc = analytic::analyze(crew, options);
    CHECK(rc.method == "CTMC");
    CHECK(relative_close(rc.unavailability, p[2], 1e-8));
    // Two crews (independent units) give q(5)^2, which the one-crew value must not be.
    CHECK_FALSE(relative_close(p[2], exact * exact, 1e-3));
}
