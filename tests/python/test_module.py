"""The Python module: scenarios from files and strings, runs, overrides, analysis, sweeps, checks,
errors as exceptions, the GIL released during runs, and Ctrl-C."""
import _thread
import math
import os
import threading
import time
import unittest

import numpy as np

import nines

ROOT = os.environ.get("NINES_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
WEB = os.path.join(ROOT, "scenarios", "web_two_zones.yaml")

ONE_UNIT = """
components:
  a: { failure: { mttf: 100h }, repair: { mttr: 5h } }
system: a
simulation: { horizon: 2000h, replications: 400, seed: 3, grid: 100h }
"""


class ModuleTest(unittest.TestCase):
    def test_run_from_file(self):
        r = nines.run(WEB, replications=200)
        a = r.availability
        self.assertGreater(a["mean"], 0.999)
        self.assertLess(a["ci95"][0], a["mean"])
        self.assertEqual(r.settings["replications"], 200)
        self.assertEqual(len(r.t_h), len(r.point_availability))
        self.assertEqual(len(r.t_h), len(r.reliability))
        self.assertIsInstance(r.year_downtime_samples_h, np.ndarray)
        self.assertEqual(len(r.year_downtime_samples_h), 200 * 10)  # one entry per simulated year
        self.assertEqual({c["name"] for c in r.components}, {"zone", "web", "lb"})
        self.assertIn(r.crosscheck["verdict"], ("agrees", "not applicable"))

    def test_yaml_string_and_exact_answer(self):
        s = nines.Scenario.from_yaml(ONE_UNIT, "one unit")
        r = nines.run(s)
        lam, mu, T = 1 / 100, 1 / 5, 2000
        exact = mu / (lam + mu) + lam / ((lam + mu) ** 2 * T) * (1 - np.exp(-(lam + mu) * T))
        self.assertLess(abs(r.availability["mean"] - exact), 4 * r.availability["std_error"])

    def test_override_values(self):
        s = nines.Scenario.from_file(WEB)
        two = nines.run(s, replications=300, **{"web.count": 2})
        six = nines.run(s, replications=300, **{"web.count": 6})
        self.assertLess(two.availability["mean"], six.availability["mean"])

    def test_readme_examples(self):
        # The Python part of the README's tour, as written there.
        s = nines.Scenario.from_file(os.path.join(ROOT, "scenarios", "replicated_database.yaml"))
        three = nines.run(s, replications=100)
        five = nines.run(s, replications=100, **{"db.count": 5})
        self.assertEqual(five.components[2]["instances"], 5)
        self.assertEqual(three.components[2]["instances"], 3)
        c = nines.check([os.path.join(ROOT, "scenarios") + "/"], max_replications=200)
        files = [sc["file"] for sc in c["scenarios"]]
        self.assertGreaterEqual(len(files), 8)
        self.assertEqual(files, sorted(files))
        self.assertTrue(all(f.endswith(".yaml") for f in files))
        self.assertEqual(len(nines.check(os.path.join(ROOT, "scenarios"), max_replications=200)["scenarios"]), len(files))
        with self.assertRaises(nines.InputError):
            nines.check([os.path.join(ROOT, "notebooks", "images")])  # a folder without scenarios

    def test_same_seed_same_results(self):
        s = nines.Scenario.from_yaml(ONE_UNIT)
        a = nines.run(s, threads=1)
        b = nines.run(s, threads=2)
        a.data.pop("timing")
        b.data.pop("timing")
        self.assertEqual(a.data, b.data)

    def test_analyze(self):
        a = nines.analyze(os.path.join(ROOT, "scenarios", "replicated_database.yaml"))
        self.assertEqual(a["method"], "BDD")
        self.assertEqual(a["cut_sets"]["sets"][0]["instances"], ["power[0]"])

    def test_analyze_at_a_mission_time(self):
        # One exponential unit, mttf 100 h, mttr 10 h: q(t) = lam / (lam + mu) (1 - exp(-(lam + mu) t)).
        s = nines.Scenario.from_yaml("components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 10h } }\nsystem: a\n")
        exact = 0.01 / 0.11 * -math.expm1(-0.11 * 5)
        for when in ("5h", 5, 5.0):
            a = nines.analyze(s, mission_time=when)
            self.assertEqual(a["mission_time_h"], 5.0)
            self.assertAlmostEqual(a["unavailability"] / exact, 1.0, places=12)
            self.assertIsNone(a["mtbf_h"])  # a steady-state rate, not given at a mission time
        self.assertIsNone(nines.analyze(s)["mission_time_h"])
        with self.assertRaises(nines.InputError):
            nines.analyze(s, mission_time="soon")

    def test_analyze_with_a_memory_budget(self):
        # 7 MiB (65,536 nodes) is too little for jbd9601's diagrams: "cut sets only", its availability null;
        # with the default budget the BDD fits. Bad budgets are input errors, as on the command line.
        tree = os.path.join(ROOT, "bench", "fault-trees", "jbd9601.yaml")
        small = nines.analyze(tree, bdd_memory="7MiB")
        self.assertEqual(small["method"], "cut sets only")
        self.assertIsNone(small["availability"])
        self.assertIsNone(small["component_importance"])
        self.assertEqual(nines.analyze(tree)["method"], "BDD")
        for bad in ("7", "1MiB", "4Gb"):
            with self.assertRaises(nines.InputError):
                nines.analyze(tree, bdd_memory=bad)
        # Without a diagram, certified bounds around the pinned 0.75509061505650921; fewer expansions, wider.
        coarse = nines.analyze(tree, bdd_memory="7MiB", bound_branches=10)
        for r in (small, coarse):
            self.assertLessEqual(r["unavailability_lower_bound"], 0.75509061505650921)
            self.assertGreaterEqual(r["unavailability_upper_bound"], 0.75509061505650921)
        self.assertGreater(coarse["unavailability_upper_bound"] - coarse["unavailability_lower_bound"],
                           small["unavailability_upper_bound"] - small["unavailability_lower_bound"])
        # Importance bounds for the units of the listed cut sets: [low, high] per measure.
        self.assertIsNone(nines.analyze(tree)["importance_bounds"])
        row = small["importance_bounds"][0]
        self.assertEqual(sorted(row), ["birnbaum", "criticality", "instance", "raw", "rrw", "unavailability"])
        self.assertLessEqual(row["birnbaum"][0], row["birnbaum"][1])
        with self.assertRaises(nines.InputError):
            nines.analyze(tree, bdd_memory="7MiB", bound_branches=0)

    def test_sweep_and_check(self):
        sw = nines.sweep(WEB, {"web.count": "3..5"}, replications=200)
        self.assertEqual([p["values"]["web.count"] for p in sw["points"]], [3, 4, 5])  # typed, not text
        avail = [p["availability"]["mean"] for p in sw["points"]]
        self.assertEqual(avail, sorted(avail))
        c = nines.check([WEB])
        self.assertEqual({e["outcome"] for e in c["scenarios"][0]["expectations"]}, {"pass"})

    def test_sweep_links_axes_given_as_a_dict(self):
        # As a scenario's `sweep: { link: ... }`: the keys move together, 2-of-3 and 3-of-5, not crossed
        # (before, "link" was taken for a component name and refused).
        db = os.path.join(ROOT, "scenarios", "replicated_database.yaml")
        sw = nines.sweep(db, {"link": {"db.count": [3, 5], "system.k_of_n.k": "2..3"}}, replications=50)
        self.assertEqual([(p["values"]["db.count"], p["values"]["system.k_of_n.k"]) for p in sw["points"]],
                         [(3, 2), (5, 3)])
        # A list of groups, crossed with a plain axis: 2 x 2 points.
        sw = nines.sweep(db, {"link": [{"db.count": [3, 5], "system.k_of_n.k": [2, 3]}], "db.repair.gamma.mean": ["1.5h", "2h"]},
                         replications=50)
        self.assertEqual(len(sw["points"]), 4)
        self.assertEqual(sorted({(p["values"]["db.count"], p["values"]["system.k_of_n.k"]) for p in sw["points"]}),
                         [(3, 2), (5, 3)])
        with self.assertRaises(nines.InputError) as ctx:
            nines.sweep(db, {"link": {"db.count": [3, 5], "system.k_of_n.k": [2]}}, replications=50)
        self.assertIn("need as many values", str(ctx.exception))
        with self.assertRaises(nines.InputError):
            nines.sweep(db, {"link": {"db.count": [3, 5]}}, replications=50)

    def test_every_independent_error_of_a_file_is_raised(self):
        # Three bad components: the exception lists all three (its message one per line, `errors` a list).
        bad = os.path.join(ROOT, "tests", "bad_multiple", "three_components.yaml")
        with self.assertRaises(nines.InputError) as ctx:
            nines.Scenario.from_file(bad)
        self.assertEqual(len(ctx.exception.errors), 3)
        self.assertEqual(str(ctx.exception).split("\n"), ctx.exception.errors)
        for e in ctx.exception.errors:
            self.assertTrue(e.startswith(bad + ":"), e)
        # One mistake: a list of one.
        with self.assertRaises(nines.InputError) as ctx:
            nines.Scenario.from_yaml("components: {}\nsystem: a\n", "inline.yaml")
        self.assertEqual(ctx.exception.errors, [str(ctx.exception)])

    def test_bad_scenario_raises_with_location_and_the_interpreter_survives(self):
        bad = os.path.join(ROOT, "tests", "bad", "unknown_key.yaml")
        with self.assertRaises(nines.InputError) as ctx:
            nines.Scenario.from_file(bad)
        self.assertIn("unknown_key.yaml:3:34:", str(ctx.exception))
        self.assertIsInstance(ctx.exception, ValueError)
        with self.assertRaises(nines.InputError) as ctx:
            nines.Scenario.from_yaml("components: {}\nsystem: a\n", "inline.yaml")
        self.assertIn("inline.yaml:1:13:", str(ctx.exception))
        with self.assertRaises(nines.InputError):
            nines.run(WEB, horizon="5 parsecs")
        with self.assertRaises(nines.InputError):
            nines.run(WEB, **{"webb.count": 3})
        # Not a regular file: refused at once instead of reading /dev/zero forever.
        with self.assertRaises(nines.InputError) as ctx:
            nines.Scenario.from_file("/dev/zero")
        self.assertIn("not a regular file", str(ctx.exception))
        # Still alive and well.
        self.assertGreater(nines.run(WEB, replications=20).availability["mean"], 0.99)

    def test_gil_released_during_a_run(self):
        s = nines.Scenario.from_file(WEB)
        ticks = []
        stop = threading.Event()

        def count():
            while not stop.is_set():
                ticks.append(1)
                time.sleep(0.001)

        t = threading.Thread(target=count)
        t.start()
        start = len(ticks)
        nines.run(s, replications=20000, threads=1)
        during = len(ticks) - start
        stop.set()
        t.join()
        self.assertGreater(during, 10)  # the other thread ran while nines was simulating

    def test_ctrl_c_stops_a_run(self):
        s = nines.Scenario.from_file(WEB)
        timer = threading.Timer(0.3, _thread.interrupt_main)
        timer.start()
        begin = time.time()
        with self.assertRaises(KeyboardInterrupt):
            nines.run(s, replications=5_000_000)
        self.assertLess(time.time() - begin, 10)
        timer.cancel()
        self.assertGreater(nines.run(s, replications=20).availability["mean"], 0.99)

    def test_sweep_values_are_typed(self):
        sw = nines.sweep(WEB, {"web.count": [2, 3], "lb.repair.mttr": ["0.5h", "1h"]}, replications=50)
        values = [p["values"] for p in sw["points"]]
        self.assertTrue(all(type(v["web.count"]) is int for v in values))
        self.assertEqual({v["lb.repair.mttr"] for v in values}, {"0.5h", "1h"})  # with a unit: text
        self.assertEqual(nines._typed("0.25"), 0.25)
        self.assertEqual(nines._typed("1e-3"), 0.001)
        self.assertEqual(nines._typed("-4"), -4)

    def test_keyword_typos_raise_type_error(self):
        with self.assertRaises(TypeError) as ctx:
            nines.run(WEB, replicatons=5)
        self.assertIn("'replicatons'", str(ctx.exception))
        self.assertIn("did you mean 'replications'?", str(ctx.exception))
        with self.assertRaises(TypeError) as ctx:
            nines.run(WEB, sed=5)
        self.assertIn("did you mean 'seed'?", str(ctx.exception))
        with self.assertRaises(TypeError):
            nines.run(WEB, webcount=3)
        # Paths and scalar top-level keys are still overrides.
        s = nines.Scenario.from_file(os.path.join(ROOT, "scenarios", "replicated_database.yaml"))
        self.assertEqual(nines.run(s, replications=20, **{"db.count": 5}).components[2]["instances"], 5)
        self.assertEqual(nines.run(s, replications=20, budget="8h").data["results"]["budget_exceeded"]["budget_h"], 8)

    def test_compare(self):
        a = os.path.join(ROOT, "scenarios", "web_two_zones.yaml")
        b = os.path.join(ROOT, "scenarios", "web_two_zones_lb_pair.yaml")
        c = nines.compare(a, nines.Scenario.from_file(b), replications=200, seed=5)
        self.assertEqual(c["format"], "nines-compare")
        self.assertEqual(len(c["designs"]), 2)
        with self.assertRaises(TypeError):
            nines.compare(a, nines.Scenario.from_file(b).with_values({"web.count": 3}))
        with self.assertRaises(TypeError):
            nines.compare(a)

    def test_help_documents_everything(self):
        import inspect
        for name in nines.__all__:
            obj = getattr(nines, name)
            if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj):
                self.assertTrue((obj.__doc__ or "").strip(), name)
        for name, member in inspect.getmembers(nines.Scenario):
            if not name.startswith("_"):
                self.assertTrue((member.__doc__ or "").strip(), "Scenario." + name)
        for name, member in inspect.getmembers(nines.Results):
            if not name.startswith("_"):
                self.assertTrue((member.__doc__ or "").strip(), "Results." + name)
        self.assertIn("downtime_per_year.p95", nines.__doc__)
        self.assertIn("availability", nines.METRICS)
        self.assertEqual(len([m for m in nines.METRICS if m in nines.__doc__]), len(nines.METRICS))
        for m in nines.metrics():  # help(nines) shows each metric's unit, label and JSON place
            self.assertIn(m["json_path"], nines.__doc__)

    def test_every_command_of_the_table_is_here(self):
        # The CLI builds its subcommands from the same table (study/command_table.h): a command marked for
        # Python without its function here fails, and help(nines) lists every command.
        self.assertGreaterEqual(len(nines.COMMANDS), 7)
        for name, summary, function in nines.COMMANDS:
            self.assertIn("nines " + name, nines.__doc__)
            self.assertIn(summary, nines.__doc__)
            if function is not None:
                self.assertTrue(callable(getattr(nines, function, None)), function)
                self.assertIn(function, nines.__all__)

    def test_metric_registry_is_what_the_outputs_use(self):
        registry = nines.metrics()
        self.assertEqual([m["written"] for m in registry if m["written"] in nines.METRICS], [m["written"] for m in registry])
        self.assertEqual(nines.metric("downtime_per_year.mean")["name"], "downtime_per_year")
        with self.assertRaises(KeyError):
            nines.metric("downtime_h_per_year")
        r = nines.run(WEB, replications=50)
        for m in registry:
            if m["result_key"]:  # its place in the run JSON: results.<result_key>, as the pointer says
                self.assertTrue(m["json_path"].startswith("/results/" + m["result_key"] + "/"), m["name"])
                self.assertIn(m["result_key"], r.data["results"], m["name"])
        # A sweep point carries every headline metric under its result key (fails if a report kept its own list).
        headline = [m for m in registry if m["headline"]]
        self.assertGreaterEqual(len(headline), 4)
        sw = nines.sweep(WEB, {"web.count": "2..3"}, replications=50)
        for p in sw["points"]:
            self.assertEqual([k for k in p if k in {m["result_key"] for m in registry}], [m["result_key"] for m in headline])


if __name__ == "__main__":
    unittest.main()
