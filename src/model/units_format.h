// Human-readable numbers in the model's units (hours; 1 y = 8760 h): durations in a fitting unit,
// percentages with as many digits as the confidence interval supports. It lives in `model`, the layer
// every other layer may see, because the study's verdict messages and the reports print the same
// quantities the same way (io/quantity.h parses these units).
#pragma once

#include <string>

namespace nines {

// "42 s", "3.5 min", "4.20 h", "2.1 d", "3.4 y"; `unit_of` picks the unit so that a range shares it.
std::string format_duration(double hours);
std::string format_duration_in(double hours, const std::string& unit);
std::string duration_unit_for(double hours);

// Digits after the decimal point needed to show a value whose 95% half-width is `half_width`
// (at least `min_digits`, at most `max_digits`).
int digits_for(double half_width, int min_digits, int max_digits);

std::string format_percent(double fraction, int digits);
std::string format_sig(double value, int significant);  // 3 significant digits: "0.0123", "1.23e-05"
std::string format_count(long long n);                  // 12,345,678

}  // namespace nines
