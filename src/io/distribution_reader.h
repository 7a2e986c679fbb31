#pragma once

#include <yaml-cpp/yaml.h>

#include "io/yaml_support.h"
#include "model/distribution.h"

namespace nines::io {

enum class DistributionRole { Failure, Repair, Other };

// Reads `{ exponential: {...} }`, `{ weibull: {...} }`, ..., or a shorthand `{ mttf: X }`, `{ mttr: X }`,
// `{ afr: P }`. `what` names the value in messages ("failure of component 'web'").
Distribution read_distribution(const YamlReader& yaml, const YamlNode& node, const std::string& what,
                               DistributionRole role);

}  // namespace nines::io
