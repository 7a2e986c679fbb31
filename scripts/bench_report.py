#!/usr/bin/python3
"""How long `nines report` takes, and where the time goes.

    /usr/bin/python3 scripts/bench_report.py [SCENARIO] [--runs N] [--replications R]

Needs a release build (build/release/nines and build/release/python). Prints, for one scenario:
- the wall time of `nines report SCENARIO -o TMP` as a user runs it (median of N runs, each a fresh process);
- inside one process: importing nines, importing the charts (matplotlib), simulating, analysing, and for
  each chart drawing it and writing its SVG and PNG, then writing the report.
A benchmark, not a test: nothing here fails on time (timings depend on the machine and its load).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "release")


def wall_of_cli(scenario, replications, runs):
    times = []
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            subprocess.run([os.path.join(BUILD, "nines"), "report", scenario, "-o", out, "--replications", str(replications)],
                           check=True, stdout=subprocess.DEVNULL, env=env)
            times.append(time.perf_counter() - t0)
    return times


def phases(scenario, replications):
    """Times each phase in this process (the same steps as nines.reporting.build_report)."""
    rows = []

    def timed(what, f):
        t0 = time.perf_counter()
        value = f()
        rows.append((what, time.perf_counter() - t0))
        return value

    sys.path.insert(0, os.path.join(BUILD, "python"))
    nines = timed("import nines (the C++ module)", lambda: __import__("nines"))
    charts = timed("import nines.charts (matplotlib, pyplot)", lambda: __import__("nines.charts", fromlist=["charts"]))
    s = nines.Scenario.from_file(scenario)
    r = timed("simulate", lambda: nines.run(s, replications=replications))
    a = timed("analyse", lambda: nines.analyze(s))
    with tempfile.TemporaryDirectory() as out:
        makers = [("availability", lambda: charts.availability_over_time(r, analytic=a["availability"])),
                  ("downtime", lambda: charts.downtime_distribution(r, budget_h=s.budget_h)),
                  ("outages", lambda: charts.outage_durations(r)),
                  ("components", lambda: charts.component_contributions(r)),
                  ("importance", lambda: charts.importance(a))]
        for stem, make in makers:
            fig = timed("chart " + stem + ": draw", make)
            timed("chart " + stem + ": svg", lambda: fig.savefig(os.path.join(out, stem + ".svg")))
            timed("chart " + stem + ": png", lambda: fig.savefig(os.path.join(out, stem + ".png")))
            charts.plt.close(fig)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scenario", nargs="?", default=os.path.join(ROOT, "scenarios", "replicated_database.yaml"))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--replications", type=int, default=300)
    args = p.parse_args()
    times = wall_of_cli(args.scenario, args.replications, args.runs)
    print("nines report {} --replications {}: median {:.2f} s over {} runs ({})".format(
        os.path.relpath(args.scenario, ROOT), args.replications, statistics.median(times), len(times),
        ", ".join("{:.2f}".format(t) for t in times)))
    rows = phases(args.scenario, args.replications)
    total = sum(t for _, t in rows)
    for what, t in rows:
        print("  {:<44} {:6.3f} s  {:5.1f} %".format(what, t, 100 * t / total))
    print("  {:<44} {:6.3f} s".format("sum of the phases", total))


if __name__ == "__main__":
    main()
