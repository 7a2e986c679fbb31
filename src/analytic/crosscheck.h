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
    double reference_error = 0;  // bound on the analytic value's numerical error (0: closed form)
    double z = 0;                // (simulated - analytic) / sqrt(standard error^2 + reference_error^2)
};

// A verdict needs the reference's numerical error to be this small against the simulation's
// standard error; then the confidence interval, widened by the error, decides. With a larger error
// the reference is too rough to judge the simulation by: "not applicable", with both figures.
inline constexpr double kMaxReferenceErrorPerStdError = 0.25;

// Fewer system outages than this make the simulation's interval too rough to judge by (the
// estimate's distribution is skewed); the verdict is then "not applicable", with the reason.
inline constexpr long long kMinOutagesForVerdict = 20;

// `simulated_*` describe the simulation's unavailability estimate (mean, standard error, 95% CI);
// `outages` is the number of system outages it observed.
CrossCheck cross_check(const AvailabilityReference& reference, double simulated_unavailability, double std_error,
                       double ci_lo, double ci_hi, bool has_ci, long long outages);

}  // namespace nines::analytic
