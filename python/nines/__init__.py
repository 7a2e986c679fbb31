"""nines: availability of redundant systems, by simulation and by analysis.

    import nines
    s = nines.Scenario.from_file("scenarios/web_two_zones.yaml")
    r = nines.run(s, replications=500)
    r.availability            # {'mean': ..., 'ci95': [lo, hi], 'std_error': ...}
    r.t_h, r.point_availability, r.reliability      # numpy arrays on the time grid
    a = nines.analyze(s)      # exact analysis: method, importance, cut sets

Errors in a scenario raise nines.InputError (a ValueError) whose message starts with file:line:column.
Runs release the GIL and stop on Ctrl-C with KeyboardInterrupt.
"""
import json as _json
import os as _os

import numpy as _np

from ._nines import Error, InputError, Scenario, UnsupportedError, __version__
from . import _nines

__all__ = ["Scenario", "Results", "run", "analyze", "sweep", "check", "InputError", "UnsupportedError", "Error",
           "__version__"]


class Results:
    """The results of one study: the JSON layout of `nines run --json` as `data`, and the series as numpy arrays."""

    def __init__(self, raw):
        self.data = _json.loads(raw["json"])
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

    def __getattr__(self, name):
        results = self.__dict__.get("data", {}).get("results", {})
        if name in results:
            return results[name]
        raise AttributeError(name)

    @property
    def components(self):
        return self.data["components"]

    @property
    def crosscheck(self):
        return self.data["crosscheck"]

    @property
    def expectations(self):
        return self.data["expectations"]

    @property
    def settings(self):
        return self.data["settings"]

    def __repr__(self):
        a = self.data["results"]["availability"]
        return "<nines.Results availability {:.7f} ({} replications)>".format(a["mean"], self.data["settings"]["replications"])


def _scenario(s):
    return s if isinstance(s, Scenario) else Scenario.from_file(str(s))


def run(scenario, replications=None, seed=None, threads=None, horizon=None, **values):
    """Simulate a scenario (a Scenario or a file path). Keyword `values` override parameters by path,
    for example run(s, **{"web.count": 6})."""
    s = _scenario(scenario)
    if values:
        s = s.with_values(values)
    return Results(_nines._run(s, replications, seed, threads, horizon))


def analyze(scenario, order=4, method="auto"):
    """Exact analysis: availability, failure frequency, importance measures, minimal cut sets (a dict)."""
    return _json.loads(_nines._analyze(_scenario(scenario), order, method))


def sweep(path, axes=None, replications=None, seed=None, threads=None):
    """Run a scenario file at every combination of `axes` ({"web.count": "2..6"} or lists of values);
    without axes, the file's own `sweep:` section. Returns the JSON layout of `nines sweep --json`."""
    return _json.loads(_nines._sweep(str(path), axes or {}, replications, seed, threads))


def check(paths, strict=False, max_replications=None):
    """Judge the expectations of scenario files; `paths` is a file, a folder (searched for *.yaml as by
    `nines check`) or a list of them. Returns the JSON layout of `nines check --json`."""
    if isinstance(paths, (str, bytes, _os.PathLike)):
        paths = [paths]
    return _json.loads(_nines._check([str(p) for p in paths], strict, max_replications))
