#include "analytic/served_fraction.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analytic/analysis.h"
#include "analytic/component_measures.h"

namespace nines::analytic {

std::vector<double> capacity_sum_distribution(const std::vector<double>& up, const std::vector<int>& weights) {
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    std::vector<double> p(static_cast<std::size_t>(total) + 1, 0.0);
    p[0] = 1.0;
    int reach = 0;
    for (std::size_t i = 0; i < up.size(); ++i) {
        const int w = weights[i];
        reach += w;
        for (int s = reach; s >= 0; --s) {
            const double with = s >= w ? p[static_cast<std::size_t>(s - w)] * up[i] : 0.0;
            p[static_cast<std::size_t>(s)] = p[static_cast<std::size_t>(s)] * (1.0 - up[i]) + with;
        }
    }
    return p;
}

ServedExact exact_served(const Model& model, int block_id) {
    ServedExact out;
    const Block& block = model.blocks[static_cast<std::size_t>(block_id)];
    out.block = model.block_label(block_id);
    if (block.kind != BlockKind::Capacity) {
        out.reason = "not a capacity block";
        return out;
    }
    if (model.has_dependencies()) {
        out.reason = model.dependency_reason() + " make components dependent; the exact served fraction needs independent members";
        return out;
    }
    if (block.load_sharing_factor > 0) {
        out.reason = "load sharing makes the members' failures depend on each other (simulation only)";
        return out;
    }
    const int unit = std::accumulate(block.weights.begin(), block.weights.end(), 0, [](int g, int w) { return std::gcd(g, w); });
    std::vector<double> up;
    std::vector<int> weights;
    for (std::size_t j = 0; j < block.children.size(); ++j) {
        const Block& member = model.blocks[static_cast<std::size_t>(block.children[j])];
        const Instance& inst = model.instances[static_cast<std::size_t>(member.instance)];
        const Component& c = model.components[static_cast<std::size_t>(inst.component)];
        if (!inst.requires.empty()) {
            out.reason = "member '" + model.instance_name(member.instance) + "' has requirements (members are not independent)";
            return out;
        }
        if (c.maintenance_every_h > 0 || c.inspect_every_h > 0) {
            out.reason = "component '" + c.name + "' has maintenance or inspections, which the analytic module does not model";
            return out;
        }
        const ComponentMeasures m = component_measures(c);
        if (!m.repairable) {
            out.reason = "component '" + c.name + "' is not repairable: no steady state";
            return out;
        }
        up.push_back(m.availability);
        weights.push_back(block.weights[j] / unit);
    }
    const int total_units = std::accumulate(weights.begin(), weights.end(), 0);
    if (total_units > 10'000'000) {
        out.reason = "more than 10^7 capacity units after dividing by their common divisor";
        return out;
    }
    const std::vector<double> p = capacity_sum_distribution(up, weights);
    const std::vector<double> levels = block.demand_profile.empty() ? std::vector<double>{block.demand} : block.demand_profile;
    for (const double d : levels) {
        for (int s = 0; s <= total_units; ++s) {
            const double q = p[static_cast<std::size_t>(s)];
            const double capacity = static_cast<double>(s) * unit;
            out.served += q * std::min(1.0, capacity / d);
            if (capacity < d) {
                out.unserved_capacity += q * (d - capacity);
                (s == 0 ? out.down : out.degraded) += q;
            }
        }
    }
    const double n = static_cast<double>(levels.size());
    out.served /= n;
    out.degraded /= n;
    out.down /= n;
    out.unserved_capacity /= n;
    out.applicable = true;
    return out;
}

AvailabilityReference interval_served_reference(const Model& model, double warmup_h, double horizon_h) {
    AvailabilityReference ref;
    const Block& top = model.blocks[static_cast<std::size_t>(model.system_block)];
    if (top.kind != BlockKind::Capacity) {
        ref.reason = "the system's served fraction has an exact reference only when the system is one capacity block";
        return ref;
    }
    if (!top.demand_profile.empty()) {
        ref.reason = "a demand profile: the exact served fraction is the steady-state time average (nines analyze), "
                     "not the interval value from an all-up start";
        return ref;
    }
    const ServedExact steady = exact_served(model, model.system_block);
    if (!steady.applicable) {
        ref.reason = steady.reason;
        return ref;
    }
    std::vector<ComponentMeasures> measures;
    std::vector<const Component*> members;
    std::vector<int> weights;
    const int unit = std::accumulate(top.weights.begin(), top.weights.end(), 0, [](int g, int w) { return std::gcd(g, w); });
    double slowest = 0;
    for (std::size_t j = 0; j < top.children.size(); ++j) {
        const Block& member = model.blocks[static_cast<std::size_t>(top.children[j])];
        const Component& c = model.components[static_cast<std::size_t>(model.instances[static_cast<std::size_t>(member.instance)].component)];
        const ComponentMeasures m = component_measures(c);
        if (!has_exact_transient(m)) {
            ref.reason = "component '" + c.name + "' is not exponential: no closed-form A(t) for the interval served fraction";
            return ref;
        }
        slowest = std::max(slowest, 1.0 / (1.0 / m.mttf_h + 1.0 / m.mdt_h));
        measures.push_back(m);
        members.push_back(&c);
        weights.push_back(top.weights[j] / unit);
    }
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    if (static_cast<double>(total) * static_cast<double>(weights.size()) > 1e5) {
        ref.reason = "too many capacity units for the interval integration (members x units above 10^5)";
        return ref;
    }
    auto served_at = [&](double t) {
        std::vector<double> up(measures.size());
        for (std::size_t j = 0; j < measures.size(); ++j) up[j] = point_availability(measures[j], *members[j], t);
        const std::vector<double> p = capacity_sum_distribution(up, weights);
        double s = 0;
        for (int k = 0; k <= total; ++k) s += p[static_cast<std::size_t>(k)] * std::min(1.0, static_cast<double>(k) * unit / top.demand);
        return s;
    };
    const double end = std::min(horizon_h, warmup_h + 40.0 * slowest);
    double integral = 0;
    if (end > warmup_h) {
        const int n = 2000;  // Simpson intervals (even)
        const double h = (end - warmup_h) / n;
        for (int i = 0; i <= n; ++i) {
            const double w = i == 0 || i == n ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
            integral += w * served_at(warmup_h + i * h);
        }
        integral *= h / 3.0;
    }
    integral += (horizon_h - end) * steady.served;
    ref.availability = integral / (horizon_h - warmup_h);
    ref.unavailability = 1.0 - ref.availability;
    ref.applicable = true;
    ref.exact = true;
    ref.quantity = "exact interval served fraction (capacity sums of the members' A_i(t))";
    return ref;
}

std::vector<ServedExact> exact_served_all(const Model& model) {
    std::vector<ServedExact> out;
    for (std::size_t b = 0; b < model.blocks.size(); ++b) {
        if (model.blocks[b].kind == BlockKind::Capacity) out.push_back(exact_served(model, static_cast<int>(b)));
    }
    return out;
}

}  // namespace nines::analytic
