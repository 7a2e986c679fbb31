#include "analytic/crosscheck.h"

#include <cmath>

#include <fmt/format.h>

namespace nines::analytic {

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::Agrees: return "agrees";
        case Verdict::Disagrees: return "disagrees";
        case Verdict::NotApplicable: return "not applicable";
    }
    return "?";
}

const char* to_string(NoVerdictCause c) {
    switch (c) {
        case NoVerdictCause::None: return "none";
        case NoVerdictCause::NoExactMethod: return "no_exact_method";
        case NoVerdictCause::NoInterval: return "no_interval";
        case NoVerdictCause::ApproximateReference: return "approximate_reference";
        case NoVerdictCause::TooFewOutages: return "too_few_outages";
    }
    return "?";
}

CrossCheck no_exact_method(const std::string& quantity, const std::string& why, const SourceLocation& where) {
    CrossCheck c;
    c.quantity = quantity;
    c.cause = NoVerdictCause::NoExactMethod;
    c.reason = why;
    c.unsupported_at = where;
    return c;
}

CrossCheck cross_check(const AvailabilityReference& reference, double simulated_unavailability, double std_error,
                       double ci_lo, double ci_hi, bool has_ci, long long outages) {
    if (!reference.applicable) {
        CrossCheck c = no_exact_method(reference.quantity, reference.reason, reference.unsupported_at);
        c.exact = reference.exact;
        c.outages = outages;
        c.std_error = std_error;
        return c;
    }
    CrossCheck c;
    c.quantity = reference.quantity;
    c.exact = reference.exact;
    c.outages = outages;
    c.std_error = std_error;
    c.analytic_availability = reference.availability;
    c.analytic_unavailability = reference.unavailability;
    c.reference_error = reference.error;
    if (!has_ci || !(std_error > 0)) {
        c.cause = NoVerdictCause::NoInterval;
        c.reason = "the simulation has no confidence interval to compare with (too few outages observed)";
        return c;
    }
    c.z = (simulated_unavailability - reference.unavailability) / std::hypot(std_error, reference.error);
    // An approximate reference (its error target not met within the work bound) still decides when
    // its stated error is small against the standard error.
    if (reference.error > kMaxReferenceErrorPerStdError * std_error) {
        c.cause = NoVerdictCause::ApproximateReference;
        c.reason = fmt::format("the analytic reference is approximate: its numerical error {:.2g} is not small against "
                               "the simulation's standard error {:.2g}", reference.error, std_error);
        return c;
    }
    if (outages < kMinOutagesForVerdict) {
        c.cause = NoVerdictCause::TooFewOutages;
        c.reason = "only " + std::to_string(outages) + " system outages were simulated; a verdict needs at least " +
                   std::to_string(kMinOutagesForVerdict) + " (more replications or a longer horizon)";
        return c;
    }
    const double lo = ci_lo - reference.error, hi = ci_hi + reference.error;
    c.verdict = reference.unavailability >= lo && reference.unavailability <= hi ? Verdict::Agrees : Verdict::Disagrees;
    return c;
}

}  // namespace nines::analytic
