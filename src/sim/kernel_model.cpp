#include "sim/kernel_model.h"

#include <cmath>

namespace nines::sim {

KernelModel::KernelModel(const Model& m, const SimulationSettings& settings)
    : model(&m), graph(StructureGraph::compile(m)) {
    for (const Component& c : m.components) {
        failure.push_back(make_sampler(c.failure));
        repair.push_back(c.repair ? make_sampler(*c.repair) : Sampler{});
        repairable.push_back(c.repair ? 1 : 0);
    }
    for (const Instance& inst : m.instances) instance_component.push_back(inst.component);
    horizon_h = settings.horizon_h;
    warmup_h = settings.warmup_h;
    grid_step_h = settings.grid_h > 0 ? settings.grid_h : horizon_h / 100.0;
    // A relative epsilon keeps the last point when the horizon is an exact multiple of the step.
    grid_points = static_cast<int>(std::floor(horizon_h / grid_step_h * (1 + 1e-12))) + 1;
    full_years = static_cast<int>(std::floor((horizon_h - warmup_h) / kHoursPerYear * (1 + 1e-12)));
    seed = settings.seed;
}

}  // namespace nines::sim
