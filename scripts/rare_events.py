#!/usr/bin/env python3
"""Rare events (issue 13): the README tables from bench/nines-bench-rare.

1. The 36 k-out-of-n systems with repair of shared/benchmarks/rare-events/kofn_repair_exact.json, each
   estimated to a 10 % relative error (95 % half-width over the estimate) by importance sampling with
   both biasings, seed 1, on 2 threads: the estimate, whether its 95 % interval holds the exact value,
   the relative error reached, the cycles and the time, and plain Monte Carlo's time to the same
   precision extrapolated from its variance (work-normalised variance ratio x this run's time).
2. Coverage of the 95 % intervals over SEEDS seeds on three cases (about 1e-6; about 1e-9 with one
   crew; 5e-8 with one crew), with the same stopping rule as `until: relative_error <= 10%`.

Usage: scripts/rare_events.py [build dir] [exact file] [seeds]
       (defaults: build/release, ../shared/benchmarks/rare-events/kofn_repair_exact.json, 200)
Prints Markdown on stdout.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "release")
EXACT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "shared", "benchmarks", "rare-events",
                                                           "kofn_repair_exact.json")
SEEDS = int(sys.argv[3]) if len(sys.argv) > 3 else 200
BENCH = os.path.join(BUILD, "bench", "nines-bench-rare")
COVERAGE_CASES = "3,34,20"


def run(args):
    out = subprocess.run([BENCH, EXACT, "--threads", "2"] + args, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def seconds(s):
    if s < 1:
        return "%.3f s" % s
    if s < 120:
        return "%.1f s" % s
    if s < 7200:
        return "%.0f min" % (s / 60)
    if s < 2 * 86400:
        return "%.1f h" % (s / 3600)
    if s < 2 * 365 * 86400:
        return "%.0f d" % (s / 86400)
    return "%.0f y" % (s / (365 * 86400))


def main():
    rows = run([])
    by_case = {}
    for r in rows:
        by_case.setdefault(r["case"], {})["distance" if r["biasing"].startswith("distance") else "balanced"] = r
    print("| n | k up | crews | lambda/h | exact U | distance-based ZVA: U (95 % CI) | rel. err | cycles | time "
          "| balanced FB: U | rel. err | time | plain MC to +-10 % (extrapolated) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    covered = {"distance": 0, "balanced": 0}
    worst = {"distance": 0.0, "balanced": 0.0}
    for i in sorted(by_case):
        d, b = by_case[i]["distance"], by_case[i]["balanced"]
        for name, r in (("distance", d), ("balanced", b)):
            covered[name] += 1 if r["covers"] else 0
            worst[name] = max(worst[name], r["wall_s"])
        mark = lambda r: "" if r["covers"] else " **missed**"
        print("| %d | %d | %d | %g | %.3e | %.3e (%.3e .. %.3e)%s | %.1f %% | %d | %s | %.3e%s | %.1f %% | %s | %s |" % (
            d["n"], d["k"], d["crews"], d["lam"], d["exact"], d["estimate"], d["lo"], d["hi"], mark(d),
            100 * d["relative_error"], d["cycles"], seconds(d["wall_s"]), b["estimate"], mark(b),
            100 * b["relative_error"], seconds(b["wall_s"]), seconds(d["plain_wall_s_extrapolated"])))
    n = len(by_case)
    print()
    print("Intervals holding the exact value: distance-based %d of %d, balanced %d of %d. Slowest case to +-10 %%: "
          "distance-based %s, balanced %s." % (covered["distance"], n, covered["balanced"], n, seconds(worst["distance"]),
                                               seconds(worst["balanced"])))
    freq = sum(1 for r in rows if r["frequency_covers"])
    mdt = sum(1 for r in rows if r["mdt_covers"])
    print("Failure frequency intervals holding the exact value: %d of %d runs; mean down time: %d of %d." %
          (freq, len(rows), mdt, len(rows)))
    print()
    print("| case | exact U | biasing | seeds | 95 % intervals holding the exact value: unavailability "
          "| failure frequency | mean down time |")
    print("|---|---|---|---|---|---|---|")
    for r in run(["--coverage", COVERAGE_CASES, "--seeds", str(SEEDS)]):
        seeds = r["seeds"]
        print("| %d-of-%d up, %d crew%s, lambda %g | %.3e | %s | %d | %.1f %% (%d) | %.1f %% (%d) | %.1f %% (%d) |" % (
            r["k"], r["n"], r["crews"], "" if r["crews"] == 1 else "s", r["lam"], r["exact"], r["biasing"], seeds,
            100 * r["coverage"], r["covered"], 100 * r["frequency_covered"] / seeds, r["frequency_covered"],
            100 * r["mdt_covered"] / seeds, r["mdt_covered"]))


if __name__ == "__main__":
    main()
