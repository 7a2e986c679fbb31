#!/usr/bin/env python3
"""Writes schema/nines-scenario.schema.json, the JSON Schema (draft-07) of nines scenario files and model
libraries, for editors (YAML language server). Edit this file, not the JSON, then run

    /usr/bin/python3 schema/generate_schema.py > schema/nines-scenario.schema.json

tests/schema/test_schema.py checks that the JSON is this script's output and that the schema agrees with
the reader in src/io (keys, value forms, verdicts on probes). The patterns below follow the reader's
parsing: src/io/quantity.cpp (numbers, units), index_expression.cpp, expectation_reader.cpp.
"""

import json

# ---- value forms as the reader parses them (patterns are ECMA-262 and Python compatible) ----

WS = "[ \\t]*"  # the reader trims spaces and tabs around quantities
UNIT = ("(?:ms|msec|millisecond|milliseconds|s|sec|secs|second|seconds|min|mins|minute|minutes|h|hr|hrs|hour|hours|"
        "d|day|days|w|week|weeks|mo|month|months|y|yr|year|years)")
EXP = "(?:[eE][+-]?[0-9]+)?"
MANT = "(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)"  # strtod's decimal forms (hex, inf and nan are refused)
NUM = "[+-]?" + MANT + EXP
NONNEG = "\\+?" + MANT + EXP
POS = "\\+?(?=[0-9.]*[1-9])" + MANT + EXP  # a non-zero digit before any exponent
PCT = "\\+?(?:0*100(?:\\.0*)?|0*[0-9]{1,2}(?:\\.[0-9]*)?|0*\\.[0-9]+)" + WS + "%"  # 0% .. 100%
FRAC = "\\+?(?:0*1(?:\\.0*)?|0+(?:\\.[0-9]*)?|0*\\.[0-9]+|[0-9](?:\\.[0-9]*)?[eE]-0*[1-9][0-9]*)"  # 0 .. 1, and 1e-5
PROB = "(?:" + PCT + "|" + FRAC + ")"
# A relative error: above 0 and below 1 (a percentage below 100 %, a fraction below 1, or 1e-2 and the like).
REL = ("(?=[0-9.]*[1-9])(?:0*[0-9]{1,2}(?:\\.[0-9]*)?|0*\\.[0-9]+)" + " *%" +
       "|0*\\.[0-9]*[1-9][0-9]*|[1-9](?:\\.[0-9]*)?[eE]-0*[1-9][0-9]*")
# A bare number is hours; a compound ("4h23min", "1d 12h") gives every part a unit, and a sign only to the first.
MORE = "(?:" + WS + MANT + EXP + WS + UNIT + ")"
DUR0 = NONNEG + "(?:" + WS + UNIT + MORE + "*)?"
DURP = "(?:" + POS + "(?:" + WS + UNIT + MORE + "*)?|" + NONNEG + WS + UNIT + "(?=.*[1-9])" + MORE + "+)"
# Text the reader refuses (it would break the reports that repeat it): C0 controls, DEL and C1; a value of
# several lines may hold tab, line feed and carriage return, a name or an expectation may not.
CONTROLS = "\\u0000-\\u001f\\u007f-\\u009f"
CONTROLS_BUT_LINE_BREAKS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
NAME = "[^\\s,\\[\\]" + CONTROLS + "]+"  # names have no spaces, commas or brackets
# Every duration lies in [1 ns, 1e12 years], or is 0 where 0 is allowed (src/io/quantity.h); for a number
# of hours the schema checks the bounds, for a text with a unit only the reader does.
MIN_HOURS = 1e-9 / 3600.0
MAX_HOURS = 1e12 * 8760.0


def opnd(atom):
    """An operand of an index expression: unary minus and '(' before, ')' after (balance is the reader's)."""
    return "(?:" + WS + "[-(])*" + WS + atom + "(?:" + WS + "\\))*"


def expr(atom):
    return opnd(atom) + "(?:" + WS + "[-+*/%]" + opnd(atom) + ")*" + WS


REF = "^" + NAME + "(?:\\[" + expr("[0-9]+") + "\\])?$"  # in the structure: no 'i'
REF_I = "^" + NAME + "(?:\\[" + expr("(?:i|[0-9]+)") + "\\])?$"  # in requires and common causes
OP = WS + "[<>]=?" + WS


def anchored(x):
    return "^" + WS + x + WS + "$"


# ---- building blocks ----

def ref(n, desc=None):
    r = {"$ref": "#/definitions/" + n}
    if desc:
        r["description"] = desc  # shown by editors on hover; ignored by validation
    return r


def quantity(types, bounds, pattern, desc):
    """A YAML number within bounds, or the text form the reader parses. Bounds apply to numbers only and the
    pattern to text only, so one schema does both; editors show desc when the value is wrong."""
    return dict({"description": desc, "errorMessage": desc, "patternErrorMessage": desc, "type": types}, **bounds,
                pattern=anchored(pattern))


def num_or_str(number, pattern, desc):
    return quantity(["number", "string"], number, pattern, desc)


def integer(lo, hi, desc, pattern=None):
    if pattern is None:
        pattern = "\\+?0*[1-9][0-9]*" if lo >= 1 else ("\\+?[0-9]+" if lo == 0 else "[+-]?[0-9]+")
    return quantity(["integer", "string"], {"minimum": lo, "maximum": hi}, pattern, desc + ": a whole number")


def obj(props, required=(), desc=None, **extra):
    """A closed map: the reader refuses unknown keys."""
    o = {"type": "object"}
    if desc: o["description"] = desc
    if required: o["required"] = list(required)
    o["additionalProperties"] = False
    o["properties"] = props
    o.update(extra)
    return o


def req(*keys):
    return {"required": list(keys)}


D = {}
D["scalar"] = {"description": "a single value (text, number or true/false)", "type": ["string", "number", "boolean"],
               "pattern": "^[^" + CONTROLS_BUT_LINE_BREAKS + "]*$", "patternErrorMessage": "text without control characters"}
D["line"] = {"description": "one line of text", "type": ["string", "number", "boolean"],
             "pattern": "^[^" + CONTROLS + "]*$", "patternErrorMessage": "one line of text, without control characters"}
D["name"] = {"description": "a name: no spaces, commas or brackets", "patternErrorMessage": "a name: no spaces, commas or brackets",
             "type": "string", "pattern": "^" + NAME + "$"}
D["boolean"] = {"description": "true or false", "anyOf": [{"type": "boolean"}, {"enum": ["true", "false"]}]}
D["duration"] = num_or_str({"minimum": MIN_HOURS, "maximum": MAX_HOURS}, DURP,
    "a positive duration: 500ms, 30s, 15min, 4h, 2d, 1w, 1mo (730 h), 1y (8760 h), or combined: 4h23min; a bare number is hours ('m' is refused: write 'min' or 'mo')")
D["duration_or_zero"] = dict(num_or_str({"minimum": 0, "maximum": MAX_HOURS}, DUR0,
    "a duration that may be 0: 500ms, 30s, 15min, 4h, 2d, 1w, 1mo, 1y, or combined: 4h23min; a bare number is hours"),
    **{"not": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": MIN_HOURS}})
D["probability"] = num_or_str({"minimum": 0, "maximum": 1}, PROB, "a probability: 0.99 or 99%")
D["positive_probability"] = {"description": "a probability above 0: 0.05 or 5%", "allOf": [ref("probability"), {"not": ref("zero")}]}
D["zero"] = {"description": "0 or 0% in any spelling", "anyOf": [{"const": 0}, {"type": "string", "pattern": anchored("\\+?[0.]+" + EXP + WS + "%?")}]}
D["beta"] = {"description": "a beta factor, above 0% and below 100%", "allOf": [ref("positive_probability"),
    {"not": {"anyOf": [{"const": 1}, {"type": "string", "pattern": anchored("\\+?0*(?:1(?:\\.0*)?|100(?:\\.0*)?" + WS + "%)")}]}}]}
D["positive_number"] = num_or_str({"exclusiveMinimum": 0, "maximum": 1e308}, POS, "a positive number")
D["rate"] = num_or_str({"exclusiveMinimum": 0, "maximum": 1e308}, POS + WS + "(?:/" + WS + UNIT + "?" + WS + ")?",
    "a rate: per hour as a bare number (0.001), or per unit: 2/y, 0.1/d")
D["cost"] = dict(quantity(["number", "string"], {"minimum": 0, "maximum": 1e308}, "", "a non-negative number (any currency)"),
                 pattern="^\\s*\\+?" + MANT + EXP + "$")  # strtod: leading spaces only

# distributions
D["exponential"] = obj({"mttf": ref("duration"), "mttr": ref("duration"), "mean": ref("duration"), "rate": ref("rate"),
                        "afr": ref("positive_probability")}, desc="exactly one of mttf, mttr, mean, rate, afr (annualised failure rate: mean = 1 y / afr)",
                       minProperties=1, maxProperties=1)
D["weibull"] = obj({"shape": ref("positive_number"), "scale": ref("duration"), "mean": ref("duration"), "mttf": ref("duration"),
                    "location": ref("duration_or_zero")}, ["shape"], "shape and scale (or mean); optional location",
                   oneOf=[req("scale"), req("mean"), req("mttf")])
D["lognormal"] = obj({"median": ref("duration"), "sigma": ref("positive_number"), "mean": ref("duration"), "sd": ref("duration")},
                     desc="median and sigma (of the underlying normal), or mean and sd",
                     oneOf=[{"required": ["median", "sigma"], "propertyNames": {"enum": ["median", "sigma"]}},
                            {"required": ["mean", "sd"], "propertyNames": {"enum": ["mean", "sd"]}}])
D["normal"] = obj({"mean": ref("duration"), "sd": ref("duration")}, ["mean", "sd"], "mean and sd (truncated at 0)")
D["gamma"] = obj({"shape": ref("positive_number"), "scale": ref("duration"), "mean": ref("duration")}, ["shape"],
                 "shape and scale, or shape and mean", oneOf=[req("scale"), req("mean")])
D["uniform"] = obj({"min": ref("duration_or_zero"), "max": ref("duration")}, ["min", "max"], "min and max")
D["fixed"] = {"description": "a duration, or { value: duration }", "anyOf": [ref("duration"), obj({"value": ref("duration")}, ["value"])]}
D["duration_list"] = {"type": "array", "minItems": 1, "items": ref("duration")}
D["empirical"] = {"description": "a list of observed durations, or { values: [...] }",
                  "anyOf": [ref("duration_list"), obj({"values": ref("duration_list")}, ["values"])]}
D["distribution"] = obj({k: ref(k) for k in ["exponential", "weibull", "lognormal", "normal", "gamma", "uniform", "fixed", "empirical"]}
                        | {"mttf": ref("duration"), "mttr": ref("duration"), "afr": ref("positive_probability")},
                        desc="a distribution: a map with one key, the law (or the shorthands mttf, mttr, afr)",
                        minProperties=1, maxProperties=1)
D["failure_distribution"] = {"description": "a failure distribution ('mttr' describes repairs)",
                             "allOf": [ref("distribution"), {"not": req("mttr")}]}
D["repair_distribution"] = {"description": "a repair distribution ('mttf' describes failures)",
                            "allOf": [ref("distribution"), {"not": req("mttf")}]}

# references and structure
D["reference"] = {"description": "a component or block name, or one instance: \"web[2]\"", "type": "string", "pattern": REF,
                  "patternErrorMessage": "a component or block name, or one instance: \"web[2]\" (index: integers, + - * / % and parentheses)"}
D["instance_reference"] = {"description": "a component name, or one instance: \"zone[1]\", \"zone[i % 2]\" (i = index of the instance)",
                           "type": "string", "pattern": REF_I,
                           "patternErrorMessage": "a component name, or one instance: \"zone[1]\", \"zone[i % 2]\" "
                                                  "(index: integers, i, + - * / % and parentheses)"}
D["requires"] = {"description": "names, name[index expression in i], or a list of lists (one per instance)",
                 "anyOf": [ref("instance_reference"), {"type": "array", "items": ref("instance_reference")},
                           {"type": "array", "items": {"type": "array", "items": ref("instance_reference")}}]}
D["members"] = {"description": "a list of blocks, or one component name (all its instances)",
                "anyOf": [ref("reference"), {"type": "array", "minItems": 1, "items": ref("block")}]}
D["block"] = {"description": "a component or block name, \"name[index]\", or { series | parallel | k_of_n | standby | capacity: ... }",
              "anyOf": [ref("reference"),
                        obj({"series": ref("members")}, ["series"], "up when every member is up"),
                        obj({"parallel": ref("members")}, ["parallel"], "up when at least one member is up"),
                        obj({"k_of_n": obj({"k": integer(1, 2147483647, "at least k members up (1 <= k <= n)"), "of": ref("members")}, ["k", "of"])},
                            ["k_of_n"], "up when at least k members are up"),
                        obj({"standby": ref("standby")}, ["standby"], "a standby group"),
                        obj({"capacity": ref("capacity_block")}, ["capacity"],
                            "up while the members that are up carry at least the demand")]}
D["demand"] = {"description": "a number, or a profile repeating through virtual time, one value per hour",
               "anyOf": [ref("positive_number"),
                         obj({"daily": {"type": "array", "minItems": 24, "maxItems": 24, "items": ref("positive_number")}},
                             ["daily"], "24 hourly values from 00:00"),
                         obj({"weekly": {"type": "array", "minItems": 168, "maxItems": 168, "items": ref("positive_number")}},
                             ["weekly"], "168 hourly values from Monday 00:00"),
                         obj({"peak": ref("positive_number"), "trough": ref("positive_number"),
                              "peak_at": {"description": "time of day of the peak, HH:MM", "type": "string",
                                          "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"}},
                             ["peak", "trough", "peak_at"], "a daily cosine between trough and peak, taken at each hour's middle")]}
D["load_sharing"] = obj({"factor": num_or_str({"minimum": 0, "maximum": 10}, NONNEG,
                                              "a: survivors' failure rates scale as (capacity_total / capacity_up)^a, 0 to 10")},
                        ["factor"], "survivors carry the load: their failure clocks run (capacity_total / capacity_up)^factor faster")
D["capacity_block"] = obj({"of": ref("members", "component instances; each carries its component's capacity"),
                           "demand": ref("demand", "what the members must carry together (at most their total)"),
                           "load_sharing": ref("load_sharing")},
                          ["of", "demand"])
D["delay"] = {"description": "a duration (a constant: 30s) or a distribution ({ exponential: { mean: 30s } })",
              "anyOf": [ref("duration_or_zero"), ref("distribution")]}
FAILOVER_KEYS = ["detect", "failback", "failback_time", "failback_delay"]
D["standby"] = obj({"active": integer(1, 1000000, "units carrying the load at once (default 1); fewer than the members"),
                    "of": {"description": "the members, in order: component instances, or (a failover group) named blocks and "
                                          "instances with requires",
                           "anyOf": [ref("reference"), {"type": "array", "minItems": 1, "items": ref("block")}]},
                    "mode": {"description": "hot, warm or cold (failover groups: required)",
                             "enum": ["hot", "warm", "cold"]},
                    "start_success": ref("positive_probability", "chance that a dormant unit starts on demand (default 100%)"),
                    "switch_time": ref("delay", "time before a started unit carries the load (default 0); a distribution makes a failover group"),
                    "dormant_factor": ref("positive_probability", "warm standby: standby failure rate / active rate"),
                    "detect": ref("delay", "failover group: time before a lost carrier is noticed and failover starts"),
                    "failback": {"description": "failover group: when the primary is back, auto (at once), manual (after failback_delay) or never",
                                 "enum": ["auto", "manual", "never"]},
                    "failback_time": ref("delay", "failover group: how long a failback takes (the group is down meanwhile)"),
                    "failback_delay": ref("delay", "failback: manual: from the primary's return to the failback")}, ["of"],
                   allOf=[{"if": {"required": ["mode"], "properties": {"mode": {"const": "warm"}}},
                           "then": {"required": ["dormant_factor"]}, "else": {"not": req("dormant_factor")}},
                          # A failover key makes a failover group: mode written.
                          {"if": {"anyOf": [req(k) for k in FAILOVER_KEYS]},
                           "then": {"required": ["mode"]}},
                          {"if": {"required": ["failback"], "properties": {"failback": {"const": "manual"}}},
                           "then": {"required": ["failback_delay"]}, "else": {"not": req("failback_delay")}},
                          {"if": {"required": ["failback"], "properties": {"failback": {"const": "never"}}},
                           "then": {"not": req("failback_time")}}])

# components
D["maintenance"] = obj({"every": ref("duration", "interval between maintenances"),
                        "duration": ref("duration", "how long the unit is down (shorter than every)"),
                        "crew": ref("boolean", "true: the maintenance needs a crew of the component's pool"),
                        "renews": ref("boolean", "false: the unit keeps its age (default true)"),
                        "only_when_redundant": ref("boolean", "true: start only if taking the unit down leaves the system up (default false)")}, ["every", "duration"], "preventive maintenance")
needs_repair = ["detect", "logistics", "crew", "priority", "spares", "inspect_every", "maintenance"]
D["component"] = obj({
    "count": integer(1, 1000000, "number of instances (default 1)"),
    "capacity": integer(1, 1000000, "what one instance carries in capacity blocks, in the demand's unit (default 1)"),
    "type": ref("scalar", "a type from an imported model library"),
    "failure": ref("failure_distribution", "time to failure (required unless the type gives it)"),
    "repair": ref("repair_distribution", "repair time; omit for a non-repairable component"),
    "requires": ref("requires", "instances counted as down while any requirement is down"),
    "description": ref("scalar", "free text"),
    "cost": ref("cost", "cost per unit and year"),
    "detect": ref("distribution", "delay before a failure is noticed"),
    "logistics": ref("distribution", "ticket, travel, parts: elapses before a crew is asked for"),
    "logistics_cost": ref("cost", "the response contract behind logistics, per unit and year"),
    "crew": ref("scalar", "the repair pool (under repair: pools) this component's repairs take a crew from"),
    "priority": integer(-1000000, 1000000, "repair priority (higher first, default 0)"),
    "hidden": ref("boolean", "true: a failure is found only by the next inspection (needs inspect_every)"),
    "inspect_every": ref("duration", "interval between inspections of a hidden-failure component"),
    "inspection_duration": ref("duration", "each inspection takes a working unit out of service this long"),
    "inspection_schedule": {"description": "staggered (default: instance k of n at every x (j + k/n)) or simultaneous",
                            "enum": ["staggered", "simultaneous"]},
    "spares": ref("scalar", "the spares pool (top-level spares:) a repair takes a part from"),
    "maintenance": ref("maintenance", "preventive maintenance: every, duration, crew, renews, only_when_redundant")},
    desc="a component: failure (unless its type gives one), optional repair and operations",
    dependencies={"inspect_every": ["hidden"], "inspection_duration": ["hidden", "inspect_every"],
                  "inspection_schedule": ["hidden", "inspect_every"], "logistics_cost": ["logistics"]},
    allOf=[
        {"if": {"required": ["hidden"], "properties": {"hidden": {"enum": [True, "true"]}}},
         "then": {"required": ["inspect_every"], "not": req("detect")}},
        {"if": {"required": ["hidden"], "properties": {"hidden": {"enum": [False, "false"]}}},
         "then": {"not": {"anyOf": [req("inspect_every"), req("inspection_duration"), req("inspection_schedule")]}}},
        {"not": req("maintenance", "inspection_duration")},
        {"if": {"not": req("type")}, "then": req("failure")},
        {"if": {"not": req("type"), "anyOf": [req(k) for k in needs_repair]}, "then": req("repair")},
    ])

# study settings
D["precision_target"] = obj({
    "until": obj({"availability": ref("positive_probability"), "unavailability": ref("positive_probability"),
                  "downtime_per_year": ref("duration"), "failures_per_year": ref("positive_number")},
                 desc="the 95% half-width to reach, for one metric", minProperties=1, maxProperties=1),
    "max": integer(2, 10000000, "at most this many replications"),
    "min": integer(2, 10000000, "start with this many replications (default 100)")}, ["until"])
D["simulation"] = obj({
    "horizon": ref("duration", "simulated time per replication (default 10y)"),
    "replications": {"description": "a number (1 .. 10,000,000) or a precision target { until: { metric: half-width }, max, min }",
                     "anyOf": [integer(1, 10000000, "replications"), ref("precision_target")]},
    "seed": integer(0, 9223372036854775807, "random seed", "\\+?[0-9]+"),
    "warmup": ref("duration_or_zero", "time excluded from the measurements (shorter than the horizon)"),
    "threads": integer(0, 1024, "worker threads (0: all cores)", "\\+?[0-9]+"),
    "grid": ref("duration", "time step of A(t) and R(t) (default horizon / 100)"),
    "method": {"description": "plain (default: the replications alone), importance (importance sampling on the Markov chain), "
                              "splitting (importance splitting on the discrete-event kernel, for laws that are not exponential), "
                              "or auto (accelerated when plain Monte Carlo would see too few outages)",
               "enum": ["auto", "plain", "importance", "splitting"]},
    "until": {"description": "precision target 'relative_error <= 10%': the unavailability's 95% half-width over its estimate",
              "type": "string",
              "pattern": "^ *relative_error *<= *(?:" + REL + ") *$",
              "patternErrorMessage": "'relative_error <= 10%' with a value above 0 and below 100%"}},
    desc="horizon, replications, seed, warmup, threads, grid, method, until",
    # one precision target: `until`, or replications with its own `until`
    **{"not": {"required": ["until", "replications"], "properties": {"replications": {"type": "object"}}}})

# An SLO window's metric names its window in brackets (the window must be one of the file's `slo:`,
# which only the reader checks).
WIN = "\\[[^\\]]+\\]"
PROB_METRICS = "(?:slo_breach" + WIN + "|slo_breach_time" + WIN + "|availability|unavailability|budget_exceeded|served_fraction|reliability\\(" + WS + DURP + WS + "\\)|component\\." + NAME + "\\.outage_share)"
# A downtime cause's metric names a kind, or KIND:NAME (downtime_per_year[change:deploys]); which kinds
# and names exist only the reader knows (as for windows).
CAUSE = WIN
DUR_METRICS = "(?:downtime_per_year" + CAUSE + "|window_downtime" + WIN + "(?:\\.(?:mean|p50|p95|p99))?|worst_window" + WIN + "(?:\\.p95)?|downtime_per_year(?:\\.(?:mean|p50|p95|p99))?|mtbf|mean_outage|outage\\.(?:mean|p50|p95|p99|max)|mttf|failover_downtime_per_year|degraded_per_year|unserved_per_year|component\\." + NAME + "\\.downtime_per_year)"
NUM_METRICS = "(?:outages_per_year" + CAUSE + "|slo_burn" + WIN + "|nines|failures_per_year|failover_outages_per_year|component\\." + NAME + "\\.failures_per_year)"
D["expectation"] = {"description": "'metric op value' (op: >=, <=, >, <), for example 'availability >= 99.95%', or 'crosscheck'",
                    "patternErrorMessage": "'metric op value' with op one of >=, <=, >, < and the value in the metric's unit "
                                           "(availability >= 99.95%, downtime_per_year.p95 <= 6h, nines > 3), or 'crosscheck'",
                    "type": "string",
                    "pattern": anchored("(?:crosscheck|" + PROB_METRICS + OP + PROB + "|" + DUR_METRICS + OP + DUR0 + "|" +
                                        NUM_METRICS + OP + NUM + ")")}
D["slo_window"] = {"description": "month, quarter, Nd (fixed windows of N days from time 0) or rolling Nd",
                   "type": "string", "pattern": "^(?:month|quarter|(?:rolling )?[1-9][0-9]{0,3}d)$"}
D["slo"] = obj({"target": {"description": "fraction of each window the system must be up, above 0% and below 100%",
                           "allOf": [ref("beta")]},
                "window": {"description": "one window kind or a list of them",
                           "anyOf": [ref("slo_window"), {"type": "array", "minItems": 1, "items": ref("slo_window")}]},
                "measure": {"description": "availability (up or down, the default) or capacity_weighted (a partial outage "
                                           "burns the budget by the share of the demand not served)",
                            "enum": ["availability", "capacity_weighted"]}},
               ["target", "window"], "an SLO: target and window(s)")
SWEEP_VALUES = {"anyOf": [{"type": "array", "minItems": 1, "items": {"type": ["string", "number", "boolean"]}},
                          {"type": ["string", "number", "boolean"]},
                          {"type": "object", "required": ["from", "to"], "additionalProperties": False,
                           "properties": {k: {"type": ["string", "number"]} for k in ("from", "to", "step")}}]}
SWEEP_KEY = "^[^.\\[\\]]+(?:\\[[0-9]+\\])*(?:\\.[^.\\[\\]]+(?:\\[[0-9]+\\])*)*$"
D["sweep_link"] = {"description": "keys that move together (zipped, not crossed), each with as many values",
                   "type": "object", "minProperties": 2, "propertyNames": {"pattern": SWEEP_KEY},
                   "additionalProperties": SWEEP_VALUES}
D["sweep"] = {"description": "dotted keys (web.count is components.web.count; system.series[1].k_of_n.k reaches list items, "
                             "from 0) to a list of values, a range a..b[:step] (durations: 1h..4h:30min) or "
                             "{ from, to, step }; link: { key: values, ... } zips keys; goal: smallest names the smallest "
                             "point meeting every expectation (cheapest: the default, with costs)",
              "type": "object", "minProperties": 1, "propertyNames": {"pattern": SWEEP_KEY},
              "properties": {"link": {"anyOf": [ref("sweep_link"), {"type": "array", "minItems": 1, "items": ref("sweep_link")}]},
                             "goal": {"description": "what to look for among the points meeting every expectation",
                                      "enum": ["smallest", "cheapest"]}},
              "not": {"required": ["goal"], "maxProperties": 1},  # a goal and nothing to sweep
              "additionalProperties": SWEEP_VALUES}
D["repair_policy"] = obj({"crews": integer(1, 100000, "one pool shared by every repairable component"),
                          "cost": ref("cost", "cost per crew and year (with crews)"),
                          "pools": {"description": "named pools, each { crews: N, cost: per crew and year }", "type": "object", "minProperties": 1,
                                    "propertyNames": ref("name"),
                                    "additionalProperties": obj({"crews": integer(1, 100000, "crews in the pool"),
                                                                 "cost": ref("cost", "cost per crew and year")}, ["crews"])}},
                         desc="crews: N (one pool), or pools: { name: { crews: N } }", oneOf=[req("crews"), req("pools")],
                         dependencies={"cost": ["crews"]})
D["common_cause"] = obj({"members": {"type": "array", "minItems": 1, "items": ref("instance_reference")},
                         "beta": ref("beta", "beta factor: members' rate splits into (1 - beta) own and beta shared"),
                         "shock": ref("failure_distribution", "shocks arrive as a renewal process with this law")}, ["members"],
                        "members and a beta factor, or members and a shock distribution", oneOf=[req("beta"), req("shock")])
D["change_target"] = {"description": "a component (all its instances), one instance \"web[2]\" or a named block (its instances)",
                      "type": "string", "pattern": REF,
                      "patternErrorMessage": "a component or block name, or one instance: \"web[2]\""}
D["change"] = obj({"touches": {"description": "what the change reaches, in roll-out order: components, instances or named blocks",
                               "anyOf": [ref("change_target"), {"type": "array", "minItems": 1, "items": ref("change_target")}]},
                   "every": ref("duration", "a change every this long (the first at this time)"),
                   "rate": ref("rate", "changes at exponential intervals at this rate (2/d)"),
                   "rollout": {"description": "all_at_once (default) or rolling (one target at a time)", "enum": ["all_at_once", "rolling"]},
                   "pause": ref("duration_or_zero", "rolling: wait between one target coming back and the next"),
                   "restart": ref("distribution", "each reached target is out of service this long (default: no cost)"),
                   "bad": ref("probability", "the probability that a change is bad"),
                   "detect": ref("distribution", "from the start of a bad change until it is noticed"),
                   "rollback": ref("distribution", "from detection until everything the bad change reached is back"),
                   "description": ref("scalar", "free text")}, ["touches", "bad"],
                  "a change stream: touches, every or rate, rollout, pause, restart, bad, detect, rollback",
                  oneOf=[req("every"), req("rate")],
                  allOf=[{"if": req("pause"), "then": {"required": ["rollout"], "properties": {"rollout": {"const": "rolling"}}}},
                         {"if": {"anyOf": [req("detect"), req("rollback")]}, "then": req("detect", "rollback")},
                         {"if": {"properties": {"bad": {"not": ref("zero")}}}, "then": req("detect", "rollback")}])
D["spare_pool"] = obj({"stock": integer(0, 100000, "parts on the shelf at the start"),
                       "lead_time": ref("distribution", "time for a reordered part to arrive"),
                       "cost": ref("cost", "holding one part for a year (stock x this per year)")},
                      ["stock", "lead_time"], "a pool of spare parts, reordered one for one")

D["scenario"] = obj({
    "name": ref("line", "shown in reports"), "description": ref("scalar", "free text"),
    "components": {"description": "component names to their definitions", "type": "object", "minProperties": 1,
                   "propertyNames": ref("name"), "additionalProperties": ref("component")},
    "blocks": {"description": "named sub-structures", "type": "object", "propertyNames": ref("name"), "additionalProperties": ref("block")},
    "system": ref("block", "when is the system up?"),
    "simulation": ref("simulation", "horizon, replications, seed, warmup, threads, grid, method, until"),
    "budget": ref("duration_or_zero", "downtime budget per year (nines reports the chance a year exceeds it)"),
    "expect": {"description": "expectations checked by nines check", "type": "array", "items": ref("expectation")},
    "sweep": ref("sweep", "values to sweep over with nines sweep"),
    "cost": obj({"downtime_per_hour": ref("cost")}, desc="cost of downtime"),
    "imports": {"description": "model library files, relative to this file", "type": "array", "items": ref("scalar")},
    "repair": ref("repair_policy", "repair crews: one shared pool, or named pools"),
    "common_cause": {"description": "common-cause failures: beta factors or shocks", "type": "array", "items": ref("common_cause")},
    "spares": {"description": "spare-part pools", "type": "object", "minProperties": 1, "propertyNames": ref("name"),
               "additionalProperties": ref("spare_pool")},
    "domains": {"description": "failure domains (zones, regions, racks): components whose outages are domain downtime; place units in them with requires",
                "type": "object", "minProperties": 1, "propertyNames": ref("name"), "additionalProperties": ref("component")},
    "changes": {"description": "change streams (deploys, config pushes, certificate rotations) as failure sources", "type": "object",
                "minProperties": 1, "propertyNames": ref("name"), "additionalProperties": ref("change")},
    "slo": {"description": "service-level objectives over windows: { target: 99.95%, window: month | [month, rolling 30d] } or a list",
            "anyOf": [ref("slo"), {"type": "array", "minItems": 1, "items": ref("slo")}]}}, ["components", "system"], "a nines scenario",
    allOf=[{"if": {"required": ["expect"], "properties": {"expect": {"type": "array", "contains": {"type": "string", "pattern": "^" + WS + "budget_exceeded" + OP}}}},
            "then": {"required": ["budget"]}}])
D["library_type"] = obj({"description": ref("scalar"), "failure": ref("failure_distribution"), "repair": ref("repair_distribution"),
                         "cost": ref("cost"),
                         "sources": obj({"failure": {}, "repair": {}, "cost": {}}, desc="where each number comes from (or \"assumption: ...\")")},
                        ["failure", "sources"], "a component type: failure, optional repair and cost, and the source of each",
                        allOf=[{"properties": {"sources": req("failure")}},
                               {"if": req("repair"), "then": {"properties": {"sources": req("repair")}}},
                               {"if": req("cost"), "then": {"properties": {"sources": req("cost")}}}])
D["library"] = obj({"description": ref("scalar"),
                    "types": {"type": "object", "additionalProperties": ref("library_type")}}, ["types"],
                   "a nines model library (imported by scenarios)")

schema = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "nines scenario or model library",
    "description": "A nines scenario (components, system, ...) or, with a top-level 'types' map, a model library.",
    "if": {"type": "object", "required": ["types"]},
    "then": ref("library"),
    "else": ref("scenario"),
    "definitions": D,
}
if __name__ == "__main__":
    print(json.dumps(schema, indent=2, ensure_ascii=False))
