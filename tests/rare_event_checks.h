// The check every test of a rare-event estimator makes: |estimate - exact| < 4 standard errors, and a
// deliberately wrong value outside 4 standard errors (so that the check can fail).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io/scenario_reader.h"
#include "model/error.h"
#include "sim/replicated_estimate.h"
#include "study/study.h"
#include "rare_event_cases.h"

namespace nines::test {

inline void check_within(const sim::ReplicatedInterval& e, double exact, double wrong, const std::string& what) {
    INFO(what << ": estimate " << e.mean << " +- " << e.std_error << " (SE), exact " << exact << ", z = "
              << (e.mean - exact) / e.std_error << "; wrong " << wrong << ", z = " << (e.mean - wrong) / e.std_error);
    REQUIRE(e.std_error > 0);
    CHECK(std::fabs(e.mean - exact) < 4 * e.std_error);
    CHECK(std::fabs(e.mean - wrong) > 4 * e.std_error);
}

// What every accelerated estimate through the study must show against an exact value: within 4 standard
// errors of it with the wrong value outside, its 95 % interval holding it, the +-10 % target met, and a
// work-normalised variance ratio above 10.
inline void check_accelerated_estimate(const sim::RareEventEstimate& e, double exact, double wrong, const std::string& what) {
    check_within({e.unavailability.mean, e.unavailability.std_error, e.unavailability.lo, e.unavailability.hi, e.relative_error}, exact,
                 wrong, what + ": unavailability");
    CHECK(e.unavailability.lo <= exact);
    CHECK(e.unavailability.hi >= exact);
    CHECK(e.target_reached);
    CHECK(e.relative_error <= 0.10);
    CHECK(e.variance_ratio > 10);
}

// The Weibull/lognormal 2-of-4 through the study (`simulation: { method: ... }`), as `nines run` runs it.
inline const std::string kStudyWeibull2of4 = kWeibullLognormal2of4 +
                                             "simulation: { method: METHOD, until: relative_error <= 10%, "
                                             "horizon: 200000h, warmup: 10000h, replications: 4, seed: SEED, threads: THREADS }\n";

// `pooled`: the units share a pool of 4 crews (as independent as their own repair, so the exact value
// is the same, but failure biasing by uniformisation does not handle crew pools).
inline study::StudyResults study_of(const std::string& method, int threads, int seed = 11, bool pooled = false) {
    std::string y = kStudyWeibull2of4;
    y.replace(y.find("METHOD"), 6, method);
    y.replace(y.find("SEED"), 4, std::to_string(seed));
    y.replace(y.find("THREADS"), 7, std::to_string(threads));
    if (pooled) {
        const std::string repair = "sigma: 0.8 } } }";
        y.replace(y.find(repair), repair.size(), "sigma: 0.8 } }, crew: shop }");
        y += "repair: { pools: { shop: { crews: 4 } } }\n";
    }
    const Model m = io::read_scenario_text(y, "w.yaml");
    study::StudyOptions options;
    options.run.settings = m.simulation;
    return study::run_study(m, options);
}

// The scenario is refused by run_study with one InputError at line `line` (where `method` is) whose
// message holds every fragment.
inline void check_refused_at_method(const std::string& yaml, int line, const std::vector<std::string>& fragments) {
    const Model m = io::read_scenario_text(yaml, "refused.yaml");
    study::StudyOptions options;
    options.run.settings = m.simulation;
    try {
        study::run_study(m, options);
        FAIL("the scenario was not refused:\n" << yaml);
    } catch (const InputError& e) {
        for (const std::string& fragment : fragments) {
            INFO(e.what());
            CHECK(std::string(e.what()).find(fragment) != std::string::npos);
        }
        CHECK(e.where().line == line);
    }
}

}  // namespace nines::test
