// The sequential rule of `check` and `sweep`: an expectation left inconclusive is judged again after
// more replications (the counts double up to a cap), and every look is one more chance of a wrong
// verdict. To keep the stated 5 % error over the whole sequence, the error is split evenly over the
// K planned looks (Bonferroni): look k decides with a two-sided interval at level 1 - 0.05 / K, so a
// wrong "pass" and a wrong "fail" each have probability at most 2.5 % whatever look decides (under
// the normal approximation of each look's interval; the union bound ignores the strong correlation
// between looks, which makes the rule conservative). A split weighted towards the later looks was
// measured too: it is no better, because the excess error of a skewed metric's interval is the same
// at every look.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/statistics.h"

namespace nines::study {

// One look of a sequential check: look `index` (from 1) of `count` planned ones, spending `alpha`.
struct Look {
    int index = 1;
    int count = 1;
    double alpha = 0.05;
    double level() const { return 1.0 - alpha; }  // two-sided level of the decision interval
};

// The replication counts of the planned looks: `initial`, then doubling, the last one `cap`
// (just `initial` when it is at least the cap).
std::vector<std::int64_t> planned_looks(std::int64_t initial, std::int64_t cap);

// The looks for those counts, each with its share of the 5 % error (see above).
std::vector<Look> spend_error(const std::vector<std::int64_t>& counts);

// The decision interval at `level` from a 95 % interval around `e.mean`: each side is widened by
// the ratio of the Student t quantiles (df = replications - 1) of the two levels, which keeps the
// shape of an asymmetric interval. At level 0.95 it is the 95 % interval itself.
sim::Estimate widen_interval(const sim::Estimate& e, double level, std::int64_t replications);

// Student's t quantile used above (exact: closed forms for df 1 and 2, the exact distribution
// function inverted by bisection up to df 200, sim::student_t_quantile's Cornish-Fisher expansion
// above, within 1e-6 there). The standard normal quantile is sim::inverse_normal_cdf.
double student_t_quantile(double p, std::int64_t df);

// The smallest replication count from which a precision target may stop: below it the half-width
// is itself too uncertain (with 4 replications the "met" interval covered the truth 89 % of the time).
inline constexpr std::int64_t kPrecisionTargetFloor = 32;

}  // namespace nines::study
