// Point unavailability of one component with any failure and down-time laws, from its alternating
// renewal equation, solved on a lattice.
//
// Every duration X is replaced by its "hat" discretisation on the lattice {0, h, 2h, ...}: a value x
// between kh and (k+1)h goes to kh with weight (k+1) - x/h and to (k+1)h with weight x/h - k. This
// keeps every mean exact, keeps atoms (fixed delays) as two neighbouring atoms with the same mean,
// and makes P(X' <= kh) the average of P(X <= t) over [kh, (k+1)h). The lattice process (up for U',
// down for D' = repair' + detection' + logistics', renewed) is then solved exactly:
//   Q(m) = P(U' <= m < U' + D') + sum_{k=0..m} c_k Q(m - k),    c = law of the cycle U' + D',
// where Q(m) is the probability of being down on the cell [mh, (m+1)h). The lattice process differs
// from the real one by O(h^2) for smooth laws; the caller halves h and compares to bound the error.
#pragma once

#include <vector>

#include "model/model.h"

namespace nines::analytic {

// E[(x - X)^+] = integral of P(X <= s) over [0, x], for any law nines supports.
double ramp(const Distribution& d, double x);

// Lattice masses p[0..n] of the hat discretisation of `d` with step h (the mass beyond n is left out).
std::vector<double> lattice_masses(const Distribution& d, double h, int n);

// Q(m), m = 0 .. cells-1, for a component starting new (up) at 0: the renewal solution above for a
// repairable component, P(U' <= m) for a non-repairable one.
std::vector<double> lattice_unavailability(const Component& c, double h, int cells);

}  // namespace nines::analytic
