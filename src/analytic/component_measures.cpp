#include "analytic/component_measures.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

namespace nines::analytic {

ComponentMeasures component_measures(const Component& c) {
    ComponentMeasures m;
    m.repairable = c.repair.has_value();
    m.mttf_h = c.failure.mean();
    // Detection and logistics delays make the down time a sum: not exponential any more.
    m.exponential = c.failure.is_exponential() &&
                    (!m.repairable || (c.repair->is_exponential() && !c.detect && !c.logistics && c.inspect_every_h == 0));
    if (!m.repairable) return m;
    // Down time D = detection + logistics + repair, independent parts: E[D] and E[D^2] from theirs.
    std::vector<const Distribution*> parts{&*c.repair};
    if (c.detect) parts.push_back(&*c.detect);
    if (c.logistics) parts.push_back(&*c.logistics);
    double d1 = 0, d2 = 0;
    for (const Distribution* d : parts) {
        d2 += d->second_moment() + 2 * d1 * d->mean();
        d1 += d->mean();
    }
    m.mdt_h = d1;
    const double cycle = m.mttf_h + m.mdt_h;
    m.availability = m.mttf_h / cycle;
    m.frequency_per_h = 1.0 / cycle;
    const double u1 = m.mttf_h;
    const double u2 = c.failure.second_moment();
    const double c2 = u2 + 2 * u1 * m.mdt_h + d2;  // E[(U + D)^2], U and D independent
    m.startup_area_h = u1 * c2 / (2 * cycle * cycle) - u2 / (2 * cycle);
    return m;
}

double survival(const Distribution& d, double t) {
    if (t <= 0) return 1.0;
    switch (d.kind) {
        case DistributionKind::Exponential: return std::exp(-t / d.a);
        case DistributionKind::Weibull: return t <= d.c ? 1.0 : std::exp(-std::pow((t - d.c) / d.b, d.a));
        case DistributionKind::Lognormal: return 0.5 * std::erfc((std::log(t) - d.a) / (d.b * std::sqrt(2.0)));
        case DistributionKind::Normal: {
            const double tail_t = 0.5 * std::erfc((t - d.a) / (d.b * std::sqrt(2.0)));
            const double tail_0 = 0.5 * std::erfc((0 - d.a) / (d.b * std::sqrt(2.0)));
            return tail_t / tail_0;
        }
        case DistributionKind::Gamma: return boost::math::gamma_q(d.a, t / d.b);
        case DistributionKind::Uniform: return t <= d.a ? 1.0 : t >= d.b ? 0.0 : (d.b - t) / (d.b - d.a);
        case DistributionKind::Fixed: return t < d.a ? 1.0 : 0.0;
        case DistributionKind::Empirical: {
            const auto above = std::count_if(d.values.begin(), d.values.end(), [t](double v) { return v > t; });
            return static_cast<double>(above) / static_cast<double>(d.values.size());
        }
    }
    return 0.0;
}

double point_availability(const ComponentMeasures& m, const Component& c, double t) {
    if (!m.repairable) return survival(c.failure, t);
    // a + q e^{-(lam + mu) t} with a = mu / (lam + mu) written as MTTF / (MTTF + MDT): finite even when
    // a denormal MTTF makes lam overflow.
    const double cycle = m.mttf_h + m.mdt_h;
    return m.mttf_h / cycle + m.mdt_h / cycle * std::exp(-(1.0 / m.mttf_h + 1.0 / m.mdt_h) * t);
}

}  // namespace nines::analytic
