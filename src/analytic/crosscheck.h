// The verdict on simulation against mathematics: is the analytic availability inside the
// simulation's 95% confidence interval?
#pragma once

#include <string>

#include "analytic/analysis.h"

namespace nines::analytic {

enum class Verdict { Agrees, Disagrees, NotApplicable };
const char* to_string(Verdict v);

struct CrossCheck {
    Verdict verdict = Verdict::NotApplicable;
    std::string quantity;        // what the analytic side computed
    std::string reason;          // why not applicable
    bool exact = false;
    double analytic_availability = 0;
    double analytic_unavailability = 0;
    double z = 0;                // (simulated - analytic) / standard error, on the unavailability
};

// Fewer system outages than this make the simulation's interval too rough to judge by (the
// estimate's distribution is skewed); the verdict is then "not applicable", with the reason.
inline constexpr long long kMinOutagesForVerdict = 20;

// `simulated_*` describe the simulation's unavailability estimate (mean, standard error, 95% CI);
// `outages` is the number of system outages it observed.
CrossCheck cross_check(const AvailabilityReference& reference, double simulated_unavailability, double std_error,
                       double ci_lo, double ci_hi, bool has_ci, long long outages);

}  // namespace nines::analytic
