#include "io/distribution_reader.h"

#include <cmath>

#include "io/quantity.h"
#include "model/model.h"

namespace nines::io {

namespace {

const std::vector<std::string> kDistributionNames = {"exponential", "weibull", "lognormal", "normal", "gamma",
                                                     "uniform",     "fixed",   "empirical", "mttf",   "mttr",
                                                     "afr"};

// AFR is read as an annualised rate (failures per unit-year), the definition disk-fleet reports use:
// MTTF = 1 y / AFR.
double afr_to_mean(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    const double afr = read_probability(yaml, node, what);
    if (afr <= 0) yaml.fail(node, what + " must be above 0% (a component that never fails needs no failure entry)");
    return kHoursPerYear / afr;
}

[[noreturn]] void missing(const YamlReader& yaml, const YamlNode& node, const std::string& what,
                          const std::string& needed) {
    yaml.fail(node, what + ": missing parameter: " + needed);
}

Distribution read_exponential(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    yaml.expect_map(node, what, {"mttf", "mttr", "mean", "rate", "afr"});
    if (node.size() != 1) {
        if (node.size() == 0) missing(yaml, node, what, "one of mttf, mttr, mean, rate, afr");
        yaml.fail(node, what + ": give exactly one of mttf, mttr, mean, rate, afr");
    }
    const std::string key = node.begin()->first.Scalar();
    const YamlNode value = node.begin()->second;
    if (key == "rate") return Distribution::exponential(1.0 / read_rate_per_hour(yaml, value, what + " rate"));
    if (key == "afr") return Distribution::exponential(afr_to_mean(yaml, value, what + " afr"));
    return Distribution::exponential(read_duration(yaml, value, what + " " + key));
}

Distribution read_weibull(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    yaml.expect_map(node, what, {"shape", "scale", "location", "mean", "mttf"});
    if (!node["shape"]) missing(yaml, node, what, "shape");
    const double shape = read_positive_number(yaml, node["shape"], what + " shape");
    const double location = node["location"] ? read_duration_or_zero(yaml, node["location"], what + " location") : 0.0;
    const int given = (node["scale"] ? 1 : 0) + (node["mean"] ? 1 : 0) + (node["mttf"] ? 1 : 0);
    if (given == 0) missing(yaml, node, what, "scale (or mean)");
    if (given > 1) yaml.fail(node, what + ": give scale or mean, not both");
    if (node["scale"]) return Distribution::weibull(shape, read_duration(yaml, node["scale"], what + " scale"), location);
    const YamlNode mean_node = node["mean"] ? node["mean"] : node["mttf"];
    const double mean = read_duration(yaml, mean_node, what + " mean");
    if (mean <= location) yaml.fail(mean_node, what + ": the mean must exceed the location");
    return Distribution::weibull(shape, (mean - location) / std::tgamma(1.0 + 1.0 / shape), location);
}

Distribution read_lognormal(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    yaml.expect_map(node, what, {"median", "sigma", "mean", "sd"});
    if (node["median"] || node["sigma"]) {
        if (node["mean"] || node["sd"]) yaml.fail(node, what + ": give median and sigma, or mean and sd, not a mix");
        if (!node["median"]) missing(yaml, node, what, "median");
        if (!node["sigma"]) missing(yaml, node, what, "sigma");
        const double median = read_duration(yaml, node["median"], what + " median");
        const double sigma = read_positive_number(yaml, node["sigma"], what + " sigma");
        return Distribution::lognormal(std::log(median), sigma);
    }
    if (!node["mean"]) missing(yaml, node, what, "median and sigma (or mean and sd)");
    if (!node["sd"]) missing(yaml, node, what, "sd");
    const double mean = read_duration(yaml, node["mean"], what + " mean");
    const double sd = read_duration(yaml, node["sd"], what + " sd");
    const double sigma2 = std::log1p((sd * sd) / (mean * mean));
    return Distribution::lognormal(std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2));
}

Distribution read_normal(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    yaml.expect_map(node, what, {"mean", "sd"});
    if (!node["mean"]) missing(yaml, node, what, "mean");
    if (!node["sd"]) missing(yaml, node, what, "sd");
    const double mean = read_duration(yaml, node["mean"], what + " mean");
    const double sd = read_duration(yaml, node["sd"], what + " sd");
    if (mean / sd < -30) yaml.fail(node, what + ": the mean is so far below 0 that the truncated law is degenerate");
    return Distribution::normal(mean, sd);
}

Distribution read_gamma(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    yaml.expect_map(node, what, {"shape", "scale", "mean"});
    if (!node["shape"]) missing(yaml, node, what, "shape");
    const double shape = read_positive_number(yaml, node["shape"], what + " shape");
    if (node["scale"] && node["mean"]) yaml.fail(node, what + ": give scale or mean, not both");
    if (node["scale"]) return Distribution::gamma(shape, read_duration(yaml, node["scale"], what + " scale"));
    if (node["mean"]) return Distribution::gamma(shape, read_duration(yaml, node["mean"], what + " mean") / shape);
    missing(yaml, node, what, "scale (or mean)");
}

Distribution read_uniform(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    yaml.expect_map(node, what, {"min", "max"});
    if (!node["min"]) missing(yaml, node, what, "min");
    if (!node["max"]) missing(yaml, node, what, "max");
    const double lo = read_duration_or_zero(yaml, node["min"], what + " min");
    const double hi = read_duration(yaml, node["max"], what + " max");
    if (hi <= lo) yaml.fail(node["max"], what + ": max must be greater than min");
    return Distribution::uniform(lo, hi);
}

Distribution read_fixed(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    if (node.IsMap()) {
        yaml.expect_map(node, what, {"value"});
        if (!node["value"]) missing(yaml, node, what, "value");
        return Distribution::fixed(read_duration(yaml, node["value"], what + " value"));
    }
    return Distribution::fixed(read_duration(yaml, node, what));
}

Distribution read_empirical(const YamlReader& yaml, const YamlNode& node, const std::string& what) {
    YamlNode list = node;
    if (node.IsMap()) {
        yaml.expect_map(node, what, {"values"});
        if (!node["values"]) missing(yaml, node, what, "values");
        list = node["values"];
    }
    yaml.expect_sequence(list, what + " values");
    if (list.size() == 0) yaml.fail(list, what + ": the list of observed values is empty");
    std::vector<double> values;
    values.reserve(list.size());
    for (const YamlNode& v : list) values.push_back(read_duration(yaml, v, what + " value"));
    return Distribution::empirical(std::move(values));
}

// Every law must have a finite, positive mean and a finite second moment in double precision: the
// samplers, the confidence intervals and the analytic references all rest on them. A Weibull shape
// below about 0.012 or a lognormal sd more than about 1e150 times its mean fails this (their samples
// are 0 * inf = NaN or never representable), and is refused here rather than crash or hang later.
Distribution checked(const YamlReader& yaml, const YamlNode& node, const std::string& what, Distribution d) {
    bool finite = std::isfinite(d.a) && std::isfinite(d.b) && std::isfinite(d.c);
    for (double v : d.values) finite = finite && std::isfinite(v);
    const double mean = finite ? d.mean() : NAN;
    const double second = finite ? d.second_moment() : NAN;
    std::string hint;
    if (d.kind == DistributionKind::Weibull) hint = "; a Weibull shape must be at least about 0.012";
    if (d.kind == DistributionKind::Lognormal) hint = "; the sd must be within about 1e150 times the mean (sigma below about 26)";
    if (d.kind == DistributionKind::Gamma) hint = "; a very small gamma shape makes the variance overflow";
    if (!(mean > 0) || !std::isfinite(mean) || mean > kMaxDurationHours) {
        yaml.fail(node, what + ": the mean of " + d.describe() + " is not a finite positive time in double precision" + hint);
    }
    if (!std::isfinite(second)) {
        yaml.fail(node, what + ": the variance of " + d.describe() + " overflows double precision" + hint);
    }
    return d;
}

Distribution read_distribution_unchecked(const YamlReader& yaml, const YamlNode& node, const std::string& what,
                                         DistributionRole role) {
    YamlNode key_node;
    YamlNode value;
    if (node.IsScalar()) {
        // A bare duration ("repair: 10min") is a likely shorthand: say which map means what.
        double hours = 0;
        std::string problem;
        if (parse_duration_text(node.Scalar(), hours, problem) && hours > 0) {
            yaml.fail(node, "a distribution for " + what + " is a map, not a bare duration: write { fixed: " + node.Scalar() +
                                " } for exactly " + node.Scalar() + " every time, or { " +
                                (role == DistributionRole::Failure ? "mttf" : "mttr") + ": " + node.Scalar() +
                                " } for an exponential time of that mean");
        }
    }
    const std::string kind = yaml.single_key(node, "distribution", "for " + what, kDistributionNames, key_node, value);
    const std::string inner = what + " (" + kind + ")";
    if (kind == "mttf" || kind == "mttr") {
        if (role == DistributionRole::Failure && kind == "mttr") {
            yaml.fail(key_node, what + ": 'mttr' describes a repair; a failure distribution takes 'mttf'");
        }
        if (role == DistributionRole::Repair && kind == "mttf") {
            yaml.fail(key_node, what + ": 'mttf' describes failures; a repair distribution takes 'mttr'");
        }
        return Distribution::exponential(read_duration(yaml, value, what + " " + kind));
    }
    if (kind == "afr") return Distribution::exponential(afr_to_mean(yaml, value, what + " afr"));
    if (kind == "exponential") return read_exponential(yaml, value, inner);
    if (kind == "weibull") return read_weibull(yaml, value, inner);
    if (kind == "lognormal") return read_lognormal(yaml, value, inner);
    if (kind == "normal") return read_normal(yaml, value, inner);
    if (kind == "gamma") return read_gamma(yaml, value, inner);
    if (kind == "uniform") return read_uniform(yaml, value, inner);
    if (kind == "fixed") return read_fixed(yaml, value, inner);
    return read_empirical(yaml, value, inner);
}

}  // namespace

Distribution read_distribution(const YamlReader& yaml, const YamlNode& node, const std::string& what,
                               DistributionRole role) {
    return checked(yaml, node, what, read_distribution_unchecked(yaml, node, what, role));
}

}  // namespace nines::io
