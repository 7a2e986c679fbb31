#!/usr/bin/env python3
"""The audit's statistics reproducers against exact values computed here, independently of nines.

Usage: /usr/bin/python3 scripts/findings.py [path/to/nines] [findings/statistics folder]

Each line runs one reproducer with its own seed, reads the JSON result and compares the estimate with a
value this script derives from scratch (closed forms, a Markov chain solved with numpy/scipy, brute-force
enumeration, or an independent numpy Monte Carlo with its own error). A line passes when
|estimate - exact| < 4 standard errors (the error of an independent Monte Carlo reference is added in
quadrature). Exit status 1 if any line fails.
"""
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.linalg import expm

HERE = os.path.dirname(os.path.abspath(__file__))
NINES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "release", "nines")
FINDINGS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "shared", "findings", "statistics")
YEAR = 8760.0


def run(command, scenario, *extra):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        quiet = ["--quiet"] if command == "run" else []
        subprocess.run([NINES, command, os.path.join(FINDINGS, scenario), "--json", out, *quiet, *extra],
                       check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            return json.load(f)


def interval_availability(Q, p0, up, horizon):
    """(1/T) int_0^T p0 e^{Qt} up dt, by the exponential of the generator augmented with the up vector."""
    n = Q.shape[0]
    big = np.zeros((n + 1, n + 1))
    big[:n, :n] = Q * horizon
    big[:n, n] = up * horizon
    return float(p0 @ expm(big)[:n, n]) / horizon


def single_unit_interval_availability(mttf, mttr, horizon):
    lam, mu = 1 / mttf, 1 / mttr
    s = lam + mu
    return mu / s + lam / (s * s * horizon) * (1 - math.exp(-s * horizon))


results = []


def report(name, quantity, estimate, se, exact, exact_se=0.0, note=""):
    z = (estimate - exact) / math.sqrt(se * se + exact_se * exact_se)
    ok = abs(z) < 4
    results.append(ok)
    print(f"{'pass' if ok else 'FAIL'}  {name:<34} {quantity:<26} {estimate:>14.7g} +- {se:<10.3g} exact {exact:<12.7g}"
          f" z = {z:+6.2f}  {note}")


def standby_2_of_3():
    # Cold standby, 2 active of 3, unlimited crews: k failed units; failures at min(2, 3 - k) lambda, repairs k mu.
    lam, mu = 1 / 300, 1 / 100
    Q = np.zeros((4, 4))
    for k in range(4):
        if k < 3:
            Q[k, k + 1] = min(2, 3 - k) * lam
        if k > 0:
            Q[k, k - 1] = k * mu
        Q[k, k] = -Q[k].sum()
    up = np.array([1.0, 1.0, 0.0, 0.0])
    exact = interval_availability(Q, np.eye(4)[0], up, 10 * YEAR)
    a = run("run", "standby_2_of_3.yaml")["results"]["availability"]
    report("standby_2_of_3.yaml", "availability", a["mean"], a["std_error"], exact, note="(was 80.74 %)")


def threshold_unit():
    exact = single_unit_interval_availability(1000, 10, YEAR)
    for scenario in ("check_at_threshold.yaml", "precision_target_small_min.yaml"):
        a = run("run", scenario)["results"]["availability"]
        report(scenario, "availability", a["mean"], a["std_error"], exact)


def long_outages():
    o = run("run", "long_outages.yaml")["results"]["outage_h"]
    report("long_outages.yaml", "mean outage (h)", o["mean"], o["std_error"], 1440.0, note="(was 1177 h)")


def mttf_pair():
    # 1-of-2 pair: MTTF from all up = (3 lambda + mu) / (2 lambda^2).
    lam, mu = 1 / 1000, 1 / 50
    exact = (3 * lam + mu) / (2 * lam * lam)
    m = run("run", "mttf_lower_bound.yaml", "--replications", "4000", "--horizon", "50y")["results"]["mttf_h"]
    report("mttf_lower_bound.yaml (4000 reps)", "MTTF (h)", m["mean"], m["std_error"], exact)
    small = run("run", "mttf_lower_bound.yaml", "--seed", "3")["results"]["mttf_h"]
    bound = small["lower_bound95_h"] if small["is_lower_bound"] else small["ci95"][0]
    print(f"      mttf_lower_bound.yaml --seed 3: 95 % lower bound {bound:.0f} h (exact {exact:.0f} h; was a point"
          f" estimate printed as '>= 1.79 y')")


def inspection_mttf():
    # Hidden unit, MTTF 2000 h, inspected every 720 h for 2 h; the failure clock stops during inspections, and
    # inspections are planned outages: the first failure is the failure law's, up spans 720 h then 718 h.
    m, d, first, rest = 2000.0, 2.0, 720.0, 718.0
    exact = m + d * math.exp(-first / m) / (1 - math.exp(-rest / m))
    r = run("run", "inspection_mttf.yaml")["results"]["mttf_h"]
    report("inspection_mttf.yaml", "MTTF (h)", r["mean"], r["std_error"], exact, note="(was 610 h)")


def pm_reliable_unit():
    # MTTF 100 y, maintained every 90 d for 4 h (clock stops): failures per year of window = failure rate x
    # the up share of the window, and maintenance is never a failure.
    doc = run("run", "pm_reliable_unit.yaml")
    f = doc["results"]["system_failures_per_year"]
    up_share = 1 - (8 * 4.0) / (2 * YEAR)   # 8 maintenances of 4 h in 2 y
    report("pm_reliable_unit.yaml", "failures per year", f["mean"], f["std_error"], up_share / 100,
           note="(was 4.0, maintenance counted)")


def xc_false_alarm():
    # Three Weibull(4, 1000 h) units in series, fixed 100 h repairs, 3000 h: interval unavailability
    # 1 - (1/T) int A(t)^3 dt with each unit's point availability A(t) from an independent numpy Monte Carlo.
    rng = np.random.default_rng(12345)
    n, T, cells = 400_000, 3000.0, 3000
    grid = (np.arange(cells) + 0.5) * (T / cells)
    up_at = np.zeros(cells)
    t = np.zeros(n)
    down_counts = np.zeros(cells)
    while True:
        fail = t + 1000.0 * rng.weibull(4.0, n)
        back = fail + 100.0
        alive = fail < T
        if not alive.any():
            break
        # count, per grid cell midpoint, the units down in [fail, back)
        lo = np.searchsorted(grid, fail[alive])
        hi = np.searchsorted(grid, back[alive])
        inside = lo < cells
        lo, hi = lo[inside], hi[inside]
        np.add.at(down_counts, lo, 1)
        np.add.at(down_counts, np.minimum(hi, cells - 1), np.where(hi < cells, -1, 0))
        t = np.where(alive, back, np.inf)
    down_share = np.cumsum(down_counts) / n
    a = 1 - down_share
    exact = 1 - float(np.mean(a ** 3))
    exact_se = 3 * math.sqrt(float(np.mean(down_share * (1 - down_share))) / n)   # rough, conservative
    doc = run("run", "xc_false_alarm.yaml")
    u = doc["results"]["unavailability"]
    report("xc_false_alarm.yaml", "unavailability", u["mean"], u["std_error"], exact, exact_se,
           note=f"(cross-check: {doc['crosscheck'].get('verdict')})")


def fv_order():
    # Exact Fussell-Vesely as the README defines it (sum of P(C) over the minimal cut sets C containing i over
    # the sum over all minimal cut sets), with the minimal cut sets found by brute force over all 2^8 sets.
    q = [50 / 550] * 5 + [60 / 360] * 3
    names = [f"s[{k}]" for k in range(5)] + [f"t[{k}]" for k in range(3)]

    def fails(down):
        return sum(down[:5]) >= 3 or sum(down[5:]) == 3

    cuts = [set(i for i in range(8) if down[i]) for down in itertools.product([0, 1], repeat=8) if fails(down)]
    minimal = [c for c in cuts if not any(o < c for o in cuts)]
    p = [math.prod(q[i] for i in c) for c in minimal]
    total = sum(p)
    doc = run("analyze", "fv_order.yaml", "--order", "2")
    got = {row["instance"]: row["fussell_vesely"] for row in doc["importance"]}
    for i in (0, 5):
        exact = sum(pc for c, pc in zip(minimal, p) if i in c) / total
        report("fv_order.yaml --order 2", f"F-V {names[i]}", got[names[i]], 1e-12 * exact, exact,
               note=f"(was 0; {len(minimal)} minimal cut sets, all of order 3)")


for check in (standby_2_of_3, threshold_unit, long_outages, mttf_pair, inspection_mttf, pm_reliable_unit,
              xc_false_alarm, fv_order):
    check()
print(f"{sum(results)} of {len(results)} within 4 standard errors")
sys.exit(0 if all(results) else 1)
