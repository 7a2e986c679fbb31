#include "model/model.h"

namespace nines {

std::string Model::instance_name(int instance) const {
    const Instance& inst = instances[static_cast<std::size_t>(instance)];
    const Component& comp = components[static_cast<std::size_t>(inst.component)];
    if (comp.count == 1) return comp.name;
    return comp.name + "[" + std::to_string(inst.index) + "]";
}

std::string Model::dependency_reason() const {
    std::vector<std::string> why;
    if (has_limited_crews()) why.push_back("limited repair crews");
    if (!common_causes.empty()) why.push_back("common causes");
    if (!spares.empty()) why.push_back("spare parts");
    if (!standby_groups.empty()) why.push_back("standby groups");
    if (!failover_groups.empty()) why.push_back("failover groups");
    if (!changes.empty()) why.push_back("change streams");
    std::string out;
    for (std::size_t i = 0; i < why.size(); ++i) out += (i == 0 ? "" : i + 1 == why.size() ? " and " : ", ") + why[i];
    return out;
}

bool Model::has_limited_crews() const {
    for (const Component& c : components) {
        if (c.pool >= 0 && c.repair) return true;
    }
    return false;
}

Distribution Model::independent_failure(int instance) const {
    Distribution d = components[static_cast<std::size_t>(instances[static_cast<std::size_t>(instance)].component)].failure;
    for (const CommonCause& cc : common_causes) {
        if (cc.beta <= 0) continue;
        for (int m : cc.members) {
            if (m == instance) d.a /= (1.0 - cc.beta);  // exponential mean: the rate shrinks to (1 - beta) lambda
        }
    }
    return d;
}

int Model::find_component(const std::string& component_name) const {
    for (std::size_t c = 0; c < components.size(); ++c) {
        if (components[c].name == component_name) return static_cast<int>(c);
    }
    return -1;
}

std::string Model::block_label(int block) const {
    const Block& b = blocks[static_cast<std::size_t>(block)];
    if (b.kind == BlockKind::Instance) return instance_name(b.instance);
    if (!b.name.empty()) return b.name;
    return std::string(to_string(b.kind)) + " block at " + b.location.str();
}

}  // namespace nines
