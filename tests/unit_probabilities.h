// Each instance's steady-state availability and unavailability, for tests of the analytic module that
// call its functions on a compiled structure (q apart from a, so that small values keep their digits).
#pragma once

#include <vector>

#include "analytic/component_measures.h"
#include "model/model.h"

inline void instance_probabilities(const nines::Model& m, std::vector<double>& a, std::vector<double>& q) {
    for (const nines::Instance& inst : m.instances) {
        const nines::analytic::ComponentMeasures cm =
            nines::analytic::component_measures(m.components[static_cast<std::size_t>(inst.component)]);
        a.push_back(cm.availability);
        q.push_back(cm.mdt_h / (cm.mttf_h + cm.mdt_h));
    }
}
