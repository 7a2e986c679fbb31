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

CrossCheck cross_check(const AvailabilityReference& reference, double simulated_unavailability, double std_error,
                       double ci_lo, double ci_hi, bool has_ci, long long outages) {
    CrossCheck c;
    c.quantity = reference.quantity;
    c.exact = reference.exact;
    if (!reference.applicable) {
        c.reason = reference.reason;
        return c;
    }
    c.analytic_availability = reference.availability;
    c.analytic_unavailability = reference.unavailability;
    c.reference_error = reference.error;
    if (!has_ci || !(std_error > 0)) {
        c.reason = "the simulation has no confidence interval to compare with (too few outages observed)";
        return c;
    }
    c.z = (simulated_unavailability - reference.unavailability) / std::hypot(std_error, reference.error);
    // An approximate reference (its error target not met within the work bound) still decides when
    // its stated error is small against the standard error.
    if (reference.error > kMaxReferenceErrorPerStdError * std_error) {
        c.reason = fmt::format("the analytic reference is approximate: its numerical error {:.2g} is not small against "
                               "the simulation's standard error {:.2g}", reference.error, std_error);
        return c;
    }
    if (outages < kMinOutagesForVerdict) {
        c.reason = "only " + std::to_string(outages) + " system outages were simulated; a verdict needs at least " +
                   std::to_string(kMinOutagesForVerdict) + " (more replications or a longer horizon)";
        return c;
    }
    const double lo = ci_lo - reference.error, hi = ci_hi + reference.error;
    c.verdict = reference.unavailability >= lo && reference.unavailability <= hi ? Verdict::Agrees : Verdict::Disagrees;
    return c;
}

}  // namespace nines::analytic
