#include "io/quantity.h"

#include <cerrno>
#include <cmath>
#include <utility>
#include <cstdlib>

namespace nines::io {

namespace {

std::string trim(const std::string& s) {
    const auto begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    const auto end = s.find_last_not_of(" \t");
    return s.substr(begin, end - begin + 1);
}

// Splits "12.5h" into 12.5 and "h". Returns false when no number leads the text.
bool split_number(const std::string& text, double& value, std::string& suffix) {
    const std::string t = trim(text);
    if (t.empty()) return false;
    const char* begin = t.c_str();
    char* end = nullptr;
    errno = 0;
    value = std::strtod(begin, &end);
    if (end == begin || errno == ERANGE) return false;
    // strtod accepts "inf", "nan" and hex floats; none of them is a sensible quantity here.
    if (!std::isfinite(value)) return false;
    for (const char* p = begin; p < end; ++p) {
        if (*p == 'x' || *p == 'X' || *p == 'n' || *p == 'N' || *p == 'i' || *p == 'I') return false;
    }
    suffix = trim(std::string(end));
    return true;
}

bool unit_hours(const std::string& unit, double& hours) {
    if (unit.empty() || unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") {
        hours = 1.0;
    } else if (unit == "ms" || unit == "msec" || unit == "millisecond" || unit == "milliseconds") {
        hours = 1.0 / 3'600'000.0;
    } else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds") {
        hours = 1.0 / 3600.0;
    } else if (unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes") {
        hours = 1.0 / 60.0;
    } else if (unit == "d" || unit == "day" || unit == "days") {
        hours = 24.0;
    } else if (unit == "w" || unit == "week" || unit == "weeks") {
        hours = 168.0;
    } else if (unit == "mo" || unit == "month" || unit == "months") {
        hours = 730.0;  // a twelfth of nines' 365-day year (README, Quantities)
    } else if (unit == "y" || unit == "yr" || unit == "year" || unit == "years") {
        hours = 8760.0;
    } else {
        return false;
    }
    return true;
}

const char* kUnitHelp = "units are ms, s, min, h, d, w, mo (730 h), y (365 days), combined as in 4h23min; a bare number is hours";

bool is_unit_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The length of the unit (its letters) at the start of `s`.
std::size_t unit_length(const std::string& s) {
    std::size_t end = 0;
    while (end < s.size() && is_unit_letter(s[end])) ++end;
    return end;
}

// Hours per `unit` of the duration `text`, or false with the problem.
bool duration_unit(const std::string& unit, const std::string& text, double& scale, std::string& problem) {
    if (unit_hours(unit, scale)) return true;
    problem = "unknown time unit '" + unit + "' in '" + text + "'" +
              (unit == "m" ? std::string(" (write 'min' for minutes, 'mo' for months)") : std::string()) + "; " + kUnitHelp;
    return false;
}

}  // namespace

double percent_to_fraction(const std::string& number, double percent) {
    // "99.85" / 100 is 0.9984999999999999; "99.85e-2" read by strtod is the double nearest 0.9985, so
    // thresholds and targets print as written. Numbers with their own exponent are divided.
    if (number.find_first_of("eExXnNiI") != std::string::npos) return percent / 100.0;
    return std::strtod((number + "e-2").c_str(), nullptr);
}

bool parse_memory_text(const std::string& text, double& bytes, std::string& problem) {
    static const std::pair<const char*, double> kUnits[] = {
        {"KiB", 1024.0}, {"MiB", 1024.0 * 1024}, {"GiB", 1024.0 * 1024 * 1024}, {"TiB", 1024.0 * 1024 * 1024 * 1024},
        {"kB", 1e3},     {"MB", 1e6},            {"GB", 1e9},                   {"TB", 1e12}};
    const std::string help = "a positive amount with a unit: KiB, MiB, GiB, TiB, kB, MB, GB or TB, as in 4GiB";
    double value = 0;
    std::string unit;
    if (!split_number(text, value, unit)) {
        problem = "'" + text + "' is not an amount of memory (" + help + ")";
        return false;
    }
    double scale = 0;
    for (const auto& [name, factor] : kUnits) {
        if (unit == name) scale = factor;
    }
    if (scale == 0) {
        problem = unit.empty() ? "'" + text + "' has no unit (" + help + ")"
                               : "'" + unit + "' in '" + text + "' is not a unit of memory (" + help + ")";
        return false;
    }
    bytes = value * scale;
    if (!(bytes > 0) || bytes >= 0x1p60) {
        problem = "'" + text + "' is not " + help;
        return false;
    }
    return true;
}

bool parse_duration_text(const std::string& text, double& hours, std::string& problem) {
    double value = 0;
    std::string rest;
    if (!split_number(text, value, rest)) {
        problem = "'" + text + "' is not a duration (" + kUnitHelp + ")";
        return false;
    }
    // The first term's unit: the letters after its number; what follows is a compound's further terms
    // ("4h23min", "1d 12h"), each an unsigned number with its own unit, added with the first term's sign.
    const std::size_t unit_end = unit_length(rest);
    std::string unit = rest.substr(0, unit_end);
    std::string more = trim(rest.substr(unit_end));
    // Further terms start with a number (or a sign, refused below); anything else after the number is
    // all one unknown unit ("5%", "1h x"), reported whole.
    const bool compound = !more.empty() && ((more[0] >= '0' && more[0] <= '9') || more[0] == '.' || more[0] == '+' || more[0] == '-');
    if (!more.empty() && !compound) {
        unit = rest;
        more.clear();
    }
    double scale = 0;
    if (!duration_unit(unit, text, scale, problem)) return false;
    double scaled = value * scale;
    const double sign = std::signbit(value) ? -1.0 : 1.0;
    while (!more.empty()) {
        if (more[0] == '+' || more[0] == '-') {
            problem = "in '" + text + "', only the first part of a compound duration may have a sign";
            return false;
        }
        double part = 0;
        std::string after;
        if (!split_number(more, part, after)) {
            problem = "'" + text + "' is not a duration (" + kUnitHelp + ")";
            return false;
        }
        const std::size_t end = unit_length(after);
        const std::string part_unit = after.substr(0, end);
        if (part_unit.empty()) {
            const std::string number = more.substr(0, more.size() - after.size());
            problem = "in '" + text + "', '" + trim(number) + "' has no unit: every part of a compound duration needs one (as in 4h23min)";
            return false;
        }
        double part_scale = 0;
        if (!duration_unit(part_unit, text, part_scale, problem)) return false;
        scaled += sign * part * part_scale;
        more = trim(after.substr(end));
    }
    hours = scaled;
    if (!std::isfinite(hours) || std::fabs(hours) > kMaxDurationHours) {
        problem = "'" + text + "' is too long: durations are limited to 1e12 years";
        return false;
    }
    if (hours != 0 && std::fabs(hours) < kMinDurationHours) {
        problem = "'" + text + "' is shorter than 1 nanosecond, the shortest duration nines accepts";
        return false;
    }
    return true;
}

double read_duration_or_zero(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    const std::string text = yaml.scalar(node, what);
    double hours = 0;
    std::string problem;
    if (!parse_duration_text(text, hours, problem)) yaml.fail(node, what + ": " + problem);
    if (hours < 0) yaml.fail(node, what + " must not be negative (got '" + text + "')");
    return hours;
}

double read_duration(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    const double hours = read_duration_or_zero(yaml, node, what);
    if (hours <= 0) yaml.fail(node, what + " must be a positive time (got '" + node.Scalar() + "')");
    return hours;
}

double read_probability(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    const std::string text = yaml.scalar(node, what);
    double value = 0;
    std::string suffix;
    if (!split_number(text, value, suffix) || !(suffix.empty() || suffix == "%")) {
        yaml.fail(node, what + ": '" + text + "' is not a probability (write 0.99 or 99%)");
    }
    if (suffix == "%") value = percent_to_fraction(trim(text.substr(0, trim(text).size() - 1)), value);
    if (value < 0.0 || value > 1.0) {
        yaml.fail(node, what + " must be a probability between 0 and 1 (0% and 100%), got '" + text + "'");
    }
    return value;
}

double read_rate_per_hour(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    const std::string text = yaml.scalar(node, what);
    const auto slash = text.find('/');
    double per_unit = 1.0;
    std::string number_part = text;
    if (slash != std::string::npos) {
        const std::string unit = trim(text.substr(slash + 1));
        if (!unit_hours(unit, per_unit)) {
            yaml.fail(node, what + ": unknown time unit '" + unit + "' in rate '" + text + "'; " + kUnitHelp);
        }
        number_part = text.substr(0, slash);
    }
    double value = 0;
    std::string suffix;
    if (!split_number(number_part, value, suffix) || !suffix.empty()) {
        yaml.fail(node, what + ": '" + text + "' is not a rate (write 0.001 for per hour, or 2/y)");
    }
    if (value <= 0) yaml.fail(node, what + " must be a positive rate (got '" + text + "')");
    return value / per_unit;
}

double read_number(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    const std::string text = yaml.scalar(node, what);
    double value = 0;
    std::string suffix;
    if (!split_number(text, value, suffix) || !suffix.empty()) {
        yaml.fail(node, what + ": '" + text + "' is not a number (write a finite decimal number such as 2 or 0.5)");
    }
    return value;
}

double read_positive_number(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    const std::string text = yaml.scalar(node, what);
    double value = 0;
    std::string suffix;
    if (!split_number(text, value, suffix) || !suffix.empty()) yaml.fail(node, what + ": '" + text + "' is not a number");
    if (value <= 0) yaml.fail(node, what + " must be positive (got '" + text + "')");
    return value;
}

std::int64_t read_integer(const YamlReader& yaml, const YamlNode& node, const std::string& what, std::int64_t min,
                          std::int64_t max) {
    const std::string text = trim(yaml.scalar(node, what));
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE) yaml.fail(node, what + ": '" + text + "' is not a whole number");
    if (value < min || value > max) {
        yaml.fail(node, what + " must be between " + std::to_string(min) + " and " + std::to_string(max) + " (got " +
                            text + ")");
    }
    return value;
}

}  // namespace nines::io
