// The system's structure function as a BDD over the raw instance states (shared components and
// requires are exact: each instance is one variable wherever it appears).
#pragma once

#include <vector>

#include "analytic/bdd.h"
#include "model/structure_graph.h"

namespace nines::analytic {

struct StructureFunction {
    Bdd bdd;
    BddRef system_up = Bdd::kFalse;
    std::vector<int> level_of_instance;   // BDD level of each instance
    std::vector<int> instance_at_level;

    // Variables are ordered by first visit in a depth-first walk from the root, the usual good
    // order for fault trees (related components end up close together).
    static StructureFunction build(const StructureGraph& graph, std::size_t node_limit);

    // System availability and unavailability for instance availabilities `a` and unavailabilities
    // `q` (indexed by instance; q given separately so that small unavailabilities keep their digits).
    struct Value {
        double availability = 0;
        double unavailability = 0;
    };
    Value evaluate(const std::vector<double>& a, const std::vector<double>& q) const;
    // The same, and the Birnbaum importance dA_sys/dA_i of every instance.
    Value evaluate_with_birnbaum(const std::vector<double>& a, const std::vector<double>& q,
                                 std::vector<double>& birnbaum) const;

private:
    explicit StructureFunction(int variables, std::size_t node_limit) : bdd(variables, node_limit) {}
    std::vector<double> to_levels(const std::vector<double>& a) const;
};

}  // namespace nines::analytic
