// Numbers with units as they appear in scenario files: durations ("30s", "4h", "1y", bare = hours),
// probabilities ("0.99", "99%"), rates ("0.001", "2/y"), plain numbers and integers.
#pragma once

#include <cstdint>
#include <string>

#include <yaml-cpp/yaml.h>

#include "io/yaml_support.h"

namespace nines::io {

// Every duration lies in [1 ns, 1e12 years] (or is 0 where 0 is allowed): beyond these, sums and
// squares of times overflow or stop changing the simulation clock, and no real question needs them.
constexpr double kMinDurationHours = 1e-9 / 3600.0;
constexpr double kMaxDurationHours = 1e12 * 8760.0;

// Each function throws InputError naming the node's location when the text is not a valid value.
// `what` names the value in messages ("mttf of component 'web'").
double read_duration(const YamlReader& yaml, const YamlNode& node, const std::string& what);          // > 0
double read_duration_or_zero(const YamlReader& yaml, const YamlNode& node, const std::string& what);  // >= 0
// The fraction a percentage written as `number` (its digits, without the '%') stands for: the double
// nearest the decimal (99.85 -> 0.9985 exactly as written, not 99.85 / 100); `percent` is its value.
double percent_to_fraction(const std::string& number, double percent);
double read_probability(const YamlReader& yaml, const YamlNode& node, const std::string& what);       // [0, 1]
double read_rate_per_hour(const YamlReader& yaml, const YamlNode& node, const std::string& what);     // > 0
double read_number(const YamlReader& yaml, const YamlNode& node, const std::string& what);  // finite, decimal
double read_positive_number(const YamlReader& yaml, const YamlNode& node, const std::string& what);
std::int64_t read_integer(const YamlReader& yaml, const YamlNode& node, const std::string& what, std::int64_t min,
                          std::int64_t max);

// Parses a duration from text (used by the CLI for --horizon); returns false when malformed.
bool parse_duration_text(const std::string& text, double& hours, std::string& problem);

// Parses an amount of memory from text (the CLI's --bdd-memory): a positive number and a unit, binary
// (KiB, MiB, GiB, TiB) or decimal (kB, MB, GB, TB), as in "4GiB" or "512 MB"; returns false when
// malformed or not below 2^60 bytes.
bool parse_memory_text(const std::string& text, double& bytes, std::string& problem);

}  // namespace nines::io
