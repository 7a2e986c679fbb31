"""nines: availability of redundant systems, by simulation and by analysis.

    import nines
    s = nines.Scenario.from_file("scenarios/web_two_zones.yaml")
    r = nines.run(s, replications=500)
    r.availability            # {'mean': ..., 'ci95': [lo, hi], 'std_error': ...}
    r.t_h, r.point_availability, r.reliability      # numpy arrays on the time grid
    r.json_text               # exactly what `nines run --json` writes (same builder)
    a = nines.analyze(s)      # exact analysis: method, importance, cut sets
    nines.compare("a.yaml", "b.yaml")               # as `nines compare --json`
    nines.sweep("scenarios/web_two_zones.yaml", {"web.count": "2..6"})
    nines.check(["scenarios/"])                     # as `nines check --json`
    nines.report("scenarios/web_two_zones.yaml", "out/")   # as `nines report`

Commands of the `nines` CLI and their functions here (from the command table the CLI is built from):
@COMMANDS@

Parameters override by path as keywords: nines.run(s, **{"db.count": 5}). A keyword that is neither
an argument nor a path (no dot) raises TypeError, with the close argument named.

Errors in a scenario raise nines.InputError (a ValueError) whose message starts with file:line:column; a file
with several independent mistakes (bad components, bad expectations) gets one line per mistake, also listed in
the exception's `errors`.
Runs release the GIL and stop on Ctrl-C with KeyboardInterrupt.

Metrics (nines.metrics(): the C++ metric registry, which every output of nines takes its names from):
an expectation (`expect:`) names one as written in the first column; JSON is its place in the run JSON
(`r.data`), CSV its row in summary.csv and its column in sweep CSVs.
@METRICS@
"""
import difflib as _difflib
import json as _json
import os as _os
import re as _re

import numpy as _np

from ._nines import Error, InputError, Scenario, UnsupportedError, __version__
from . import _nines

__all__ = ["Scenario", "Results", "run", "analyze", "sweep", "check", "compare", "report", "metrics", "metric", "METRICS",
           "COMMANDS", "InputError", "UnsupportedError", "Error", "__version__"]

Error.__doc__ = "An error of the nines library that is not about the input (a RuntimeError), such as a file that cannot be written."
InputError.__doc__ = ("A bad scenario or argument (a ValueError); the message starts with file:line:column, as the CLI "
                      "prints it before exiting with code 2. `errors`: every independent mistake found, one message each "
                      "(the message lists them one per line).")
UnsupportedError.__doc__ = "The scenario is valid but the analysis cannot handle it (for example no exact method applies)."

# From the C++ metric registry, so help(nines) and the charts cannot drift from it.
METRICS = tuple(_nines._metrics())
_REGISTRY = tuple(_nines._metric_registry())


def metrics():
    """The metric registry: one dict per metric, in the order expectation messages list them, with
    name (canonical), written (as an expectation writes it), alias, unit ("probability", "hours",
    "number", "verdict"), scope ("system" or "component"), json_path (a JSON pointer into the run JSON,
    "*" standing for a component's index), result_key (its key in "results" and in each sweep point and
    compared design, or None), label (the text report's), column_label (narrow tables), csv (its
    summary.csv row and sweep CSV column, or None), precision_target and headline (reported by every
    sweep point and compared design)."""
    return [dict(m) for m in _REGISTRY]


def metric(name):
    """The registry entry (a dict, see metrics()) whose name, written form, alias or result_key is
    `name`; raises KeyError naming the known metrics otherwise."""
    for m in _REGISTRY:
        if name in (m["name"], m["written"], m["alias"], m["result_key"]):
            return dict(m)
    raise KeyError("no metric '{}'; metrics: {}".format(name, ", ".join(m["name"] for m in _REGISTRY)))


def _metrics_table():
    rows = [(m["written"] + (" (or {})".format(m["alias"]) if m["alias"] else ""), m["unit"], m["label"],
             m["json_path"], m["csv"] or "-") for m in _REGISTRY]
    head = ("metric", "unit", "label", "JSON", "CSV")
    widths = [max(len(r[k]) for r in rows + [head]) for k in range(len(head))]
    return "\n".join("    " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head] + rows)


__doc__ = __doc__.replace("@METRICS@", _metrics_table())
# (name, summary, function here or None): the CLI's command table.
COMMANDS = tuple(tuple(c) for c in _nines._commands())
__doc__ = __doc__.replace("@COMMANDS@", "\n".join(
    "    nines {:<9} {:<17} {}".format(name, "nines.{}()".format(py) if py else "(CLI only)", summary)
    for name, summary, py in COMMANDS))


class Results:
    """The results of one study. `json_text` is the document `nines run --json` writes for the same
    scenario and seed (built by the same C++ function; only "timing" differs between runs), `data` is
    it parsed, the top-level result metrics read as attributes (r.availability, r.mtbf_h, ...), and
    the series and raw samples are numpy arrays."""

    def __init__(self, raw):
        self.json_text = raw["json"]
        self.data = _json.loads(self.json_text)
        self.t_h = _np.asarray(raw["t_h"])
        self.point_availability = _np.asarray(raw["availability"])
        self.point_availability_lo = _np.asarray(raw["availability_lo"])
        self.point_availability_hi = _np.asarray(raw["availability_hi"])
        self.reliability = _np.asarray(raw["reliability"])
        self.cell_start_h = _np.asarray(raw["cell_start_h"])
        self.cell_availability = _np.asarray(raw["cell_availability"])
        self.cell_availability_lo = _np.asarray(raw["cell_availability_lo"])
        self.cell_availability_hi = _np.asarray(raw["cell_availability_hi"])
        self.year_downtime_samples_h = _np.asarray(raw["downtime_per_year_h"])  # one value per simulated year
        self.outage_durations_h = _np.asarray(raw["outage_durations_h"])
        self.first_failure_h = _np.asarray(raw["first_failure_h"])
        self.replication_availability = _np.asarray(raw["replication_availability"])
        # Per SLO window kind ("month", "rolling 30d"): every window's downtime in replication order, and
        # the windows' ends and budgets (the same in every replication).
        self.slo_downtime_h = {k: _np.asarray(v) for k, v in raw.get("slo_downtime_h", {}).items()}
        self.slo_window_end_h = {k: _np.asarray(v) for k, v in raw.get("slo_window_end_h", {}).items()}
        self.slo_window_budget_h = {k: _np.asarray(v) for k, v in raw.get("slo_window_budget_h", {}).items()}
        # Every system outage of the window: start and end, hours from its replication's start.
        self.outage_start_h = _np.asarray(raw.get("outage_start_h", []))
        self.outage_end_h = _np.asarray(raw.get("outage_end_h", []))

    def __getattr__(self, name):
        results = self.__dict__.get("data", {}).get("results", {})
        if name in results:
            return results[name]
        raise AttributeError(name)

    @property
    def components(self):
        """Per-component results (list of dicts), as in the JSON."""
        return self.data["components"]

    @property
    def crosscheck(self):
        """The analytic cross-check (verdict, exact value, z-score), as in the JSON."""
        return self.data["crosscheck"]

    @property
    def expectations(self):
        """The verdicts of the scenario's `expect:` lines, as in the JSON."""
        return self.data["expectations"]

    @property
    def settings(self):
        """Horizon, warm-up, replications, seed and grid step actually used."""
        return self.data["settings"]

    @property
    def cost_per_year(self):
        """Expected cost per year (mean, ci95, ownership, downtime), or None without costs."""
        return self.data.get("cost_per_year")

    def __repr__(self):
        a = self.data["results"]["availability"]
        return "<nines.Results availability {:.7f} ({} replications)>".format(a["mean"], self.data["settings"]["replications"])


def _scenario(s):
    return s if isinstance(s, Scenario) else Scenario.from_file(_os.fspath(s))


# Top-level scenario keys a scalar override may set without a dot (`budget="8h"`); any other
# keyword without a dot is a typo of an argument, not a parameter path.
_SCALAR_TOP_KEYS = ("name", "description", "system", "budget")


def _split_values(function, arguments, values):
    """Checks that every extra keyword is a parameter path; raises TypeError naming the bad one and the
    closest argument, as Python does for an unknown keyword."""
    for key in values:
        if not isinstance(key, str):
            raise TypeError("{}() keywords must be strings".format(function))
        if "." in key or key in _SCALAR_TOP_KEYS:
            continue
        close = _difflib.get_close_matches(key, list(arguments) + list(_SCALAR_TOP_KEYS), n=1, cutoff=0.6)
        hint = "; did you mean '{}'?".format(close[0]) if close else \
            " (a parameter override is a dotted path, such as **{'web.count': 4})"
        raise TypeError("{}() got an unexpected keyword argument '{}'{}".format(function, key, hint))
    return values


def run(scenario, replications=None, seed=None, threads=None, horizon=None, **values):
    """Simulate a scenario (a Scenario or a file path) and return Results.

    replications, seed, threads (0: all cores) and horizon ("5y") replace the scenario's simulation
    settings, as the CLI's options do. Further keywords override parameters by dotted path, for example
    run(s, **{"web.count": 6}); an unknown plain keyword raises TypeError. Results.json_text equals the
    file `nines run S --json F` writes with the same settings, "timing" aside."""
    _split_values("run", ("replications", "seed", "threads", "horizon"), values)
    s = _scenario(scenario)
    if values:
        s = s.with_values(values)
    return Results(_nines._run(s, replications, seed, threads, horizon))


def analyze(scenario, order=4, method="auto", mission_time=None, bdd_memory=None, bound_branches=None):
    """Exact analysis: availability, failure frequency, importance measures, minimal cut sets (a dict,
    the JSON of `nines analyze --json`). method is "auto", "bdd" or "ctmc"; order bounds cut-set size;
    mission_time (a duration such as "1y", or hours as a number) gives the figures at that time from an
    all-up start instead of the steady state, as `nines analyze --mission-time` does; bdd_memory (such as
    "8GiB") is the memory the decision diagrams may take, as `nines analyze --bdd-memory` (default about 1 GiB);
    bound_branches, when no diagram fits, the expansions the certified bounds on the unavailability may take,
    as `nines analyze --bound-branches` (default 2000)."""
    if mission_time is not None and not isinstance(mission_time, str):
        mission_time = f"{float(mission_time)!r}h"
    return _json.loads(_nines._analyze(_scenario(scenario), order, method, mission_time, bdd_memory, bound_branches))


_NUMBER = _re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def _typed(value):
    """A sweep value as a number where it is one ("4" -> 4, "0.5" -> 0.5); with a unit ("2h") it stays text."""
    if not isinstance(value, str) or not _NUMBER.fullmatch(value.strip()):
        return value
    text = value.strip()
    return int(text) if _re.fullmatch(r"[-+]?\d+", text) else float(text)


def sweep(path, axes=None, replications=None, seed=None, threads=None, goal=None):
    """Run a scenario file (or a Scenario read unchanged from one) at every combination of `axes` ({"web.count": "2..6"} or lists of values);
    {"link": {"db.count": [3, 5], "system.k_of_n.k": [2, 3]}} moves keys together (3 with 2, 5 with 3) instead of
    crossing them, as a scenario's `sweep: { link: ... }` (a list of such dicts for several groups);
    without axes, the file's own `sweep:` section. `goal="smallest"` also names the smallest point meeting
    every expectation (as `nines sweep --goal smallest`; default: the file's `sweep: { goal: ... }`).
    Returns the JSON layout of `nines sweep --json`, with each point's values typed: numbers as int or
    float, values with units ("2h") as text."""
    out = _json.loads(_nines._sweep(_file_of(path, "sweep"), axes or {}, replications, seed, threads, goal))
    for point in out["points"]:
        point["values"] = {k: _typed(v) for k, v in point["values"].items()}
    return out


def check(paths, strict=False, max_replications=None):
    """Judge the expectations of scenario files; `paths` is a file, a folder (searched for *.yaml as by
    `nines check`) or a list of them. Returns the JSON layout of `nines check --json`."""
    if isinstance(paths, (str, bytes, _os.PathLike)):
        paths = [paths]
    return _json.loads(_nines._check([_os.fsdecode(p) for p in paths], strict, max_replications))


def _file_of(s, function):
    if isinstance(s, Scenario):
        if not s.is_file:
            raise TypeError("{}() takes scenario files: {!r} was changed or built from text; write it to a file "
                            "first".format(function, s.file))
        return s.file
    return _os.fspath(s)


def compare(first, second, *more, replications=None, seed=None, threads=None, horizon=None):
    """Compare two or more designs (file paths, or Scenarios read unchanged from files) side by side, with
    paired differences from common random numbers, as `nines compare`. All run with the first design's
    settings; the keywords replace them. Returns the JSON layout of `nines compare --json`."""
    files = [_file_of(s, "compare") for s in (first, second) + more]
    return _json.loads(_nines._compare(files, replications, seed, threads, horizon))


def report(scenario, output, replications=None, seed=None, threads=None, horizon=None):
    """Write report.html (self-contained) and report.md with charts into the folder `output`, as
    `nines report`. Returns {"html": path, "markdown": path, "charts": [png paths], "results": Results}."""
    from .reporting import build_report  # matplotlib is imported only when a report is drawn
    return build_report(_file_of(scenario, "report"), _os.fspath(output), replications, seed, threads, horizon)
