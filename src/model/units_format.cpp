#include "model/units_format.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace nines {

namespace {
double unit_hours(const std::string& unit) {
    if (unit == "s") return 1.0 / 3600.0;
    if (unit == "min") return 1.0 / 60.0;
    if (unit == "d") return 24.0;
    if (unit == "y") return 8760.0;
    return 1.0;
}
}  // namespace

std::string duration_unit_for(double hours) {
    const double a = std::fabs(hours);
    if (a < 1.0 / 60.0) return "s";
    if (a < 1.0) return "min";
    if (a < 48.0) return "h";
    if (a < 2.0 * 8760.0 / 12.0 * 3.0) return "d";  // up to half a year in days
    return "y";
}

std::string format_duration_in(double hours, const std::string& unit) {
    if (std::isnan(hours)) return "n/a";  // not computed
    if (!std::isfinite(hours)) return "inf";
    const double v = hours / unit_hours(unit);
    const double a = std::fabs(v);
    const int decimals = a >= 100 ? 0 : a >= 10 ? 1 : 2;
    return fmt::format("{:.{}f} {}", v, decimals, unit);
}

std::string format_duration(double hours) { return format_duration_in(hours, duration_unit_for(hours)); }

int digits_for(double half_width, int min_digits, int max_digits) {
    if (!(half_width > 0) || !std::isfinite(half_width)) return max_digits;
    const int d = static_cast<int>(std::ceil(-std::log10(half_width))) + 1;
    return d < min_digits ? min_digits : d > max_digits ? max_digits : d;
}

std::string format_percent(double fraction, int digits) { return fmt::format("{:.{}f} %", fraction * 100.0, digits); }

std::string format_sig(double value, int significant) {
    if (!std::isfinite(value)) return value > 0 ? "inf" : "n/a";
    if (value == 0) return "0";
    const double a = std::fabs(value);
    if (a >= 1e-3 && a < 1e6) {
        const int decimals = std::max(0, significant - 1 - static_cast<int>(std::floor(std::log10(a))));
        return fmt::format("{:.{}f}", value, decimals);
    }
    return fmt::format("{:.{}e}", value, significant - 1);
}

std::string format_count(long long n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

}  // namespace nines
