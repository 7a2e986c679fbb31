// The structure function of a model with standby groups: for which sets of failed units the system
// is down, whatever the order of events. A standby group of n units with `active: k` is up when k of
// its units are up (a unit being started or switched in is a matter of time, not of which units
// failed), so for the structure it is a k-of-n of its units. The compiled graph keeps the group as a
// childless node whose state the kernel and the Markov chain set; the BDD, the closed forms and the
// minimal cut sets run on this copy instead, with the group's units as its children.
#pragma once

#include "model/model.h"
#include "model/structure_graph.h"

namespace nines::analytic {

// `graph` itself when the model has no standby group.
StructureGraph standby_as_k_of_n(const Model& model, const StructureGraph& graph);

}  // namespace nines::analytic
