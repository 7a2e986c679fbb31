// The verdict on simulation against mathematics: is the analytic availability inside the
// simulation's 95% confidence interval?
#pragma once

#include <string>

#include "analytic/analysis.h"

namespace nines::analytic {

enum class Verdict { Agrees, Disagrees, NotApplicable };
const char* to_string(Verdict v);

// Why a cross-check gave no verdict, as data: the study layer decides outcomes by it (more
// replications resolve TooFewOutages and NoInterval, nothing resolves NoExactMethod) and the
// reports word it.
enum class NoVerdictCause {
    None,                  // a verdict was given
    NoExactMethod,         // no analytic reference for this model (`reason` says why, `unsupported_at` where)
    NoInterval,            // the simulation has no confidence interval (too few outages observed)
    ApproximateReference,  // the reference's numerical error is not small against the standard error
    TooFewOutages,         // fewer than kMinOutagesForVerdict system outages
};
const char* to_string(NoVerdictCause c);

struct CrossCheck {
    Verdict verdict = Verdict::NotApplicable;
    std::string quantity;        // what the analytic side computed
    NoVerdictCause cause = NoVerdictCause::None;
    std::string reason;          // why not applicable, in words (the figures below are the data)
    SourceLocation unsupported_at;  // NoExactMethod: the place the refusal is about, when known
    long long outages = 0;       // system outages the simulation observed
    double std_error = 0;        // the simulation's standard error of the unavailability
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

// The verdict when no reference exists: NotApplicable with cause NoExactMethod, the refusal's text
// and place as data.
CrossCheck no_exact_method(const std::string& quantity, const std::string& why, const SourceLocation& where = {});

// `simulated_*` describe the simulation's unavailability estimate (mean, standard error, 95% CI);
// `outages` is the number of system outages it observed.
CrossCheck cross_check(const AvailabilityReference& reference, double simulated_unavailability, double std_error,
                       double ci_lo, double ci_hi, bool has_ci, long long outages);

}  // namespace nines::analytic
