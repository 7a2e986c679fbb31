// Closed forms for independent units: series, parallel, k-of-n (binomial for identical units, an
// exact recursion for non-identical ones). Each unit and result carries both P(up) and P(down),
// computed without subtracting from 1, so that unavailabilities of 1e-12 keep their digits.
#pragma once

#include <vector>

namespace nines::analytic {

struct UpDown {
    double up = 1;    // availability
    double down = 0;  // unavailability
};

UpDown series(const std::vector<UpDown>& units);    // up = prod a_i
UpDown parallel(const std::vector<UpDown>& units);  // down = prod q_i, up = 1 - prod q_i
// At least k of n identical units up: sum_{j>=k} C(n, j) a^j q^(n-j).
UpDown k_of_n_identical(int k, int n, UpDown unit);
// At least k of the units up, non-identical: the distribution of the number up, unit by unit.
UpDown k_of_n(int k, const std::vector<UpDown>& units);
// Weighted k-of-n (a capacity block): up when the summed weight of the up units is at least k.
// Weights are whole and positive; the distribution of the up weight is kept below k, O(n k).
UpDown weighted_k_of_n(int k, const std::vector<UpDown>& units, const std::vector<int>& weights);

// The same for units given as groups of identical ones (value, how many): series and parallel in
// O(groups), so a series of 500,000 identical pairs costs one power (tree_classes.h).
struct UnitGroup {
    UpDown unit;
    int count = 1;
};
UpDown series(const std::vector<UnitGroup>& groups);
UpDown parallel(const std::vector<UnitGroup>& groups);

}  // namespace nines::analytic
