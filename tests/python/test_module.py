"""The Python module: scenarios from files and strings, runs, overrides, analysis, sweeps, checks,
errors as exceptions, the GIL released during runs, and Ctrl-C."""
import _thread
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

    def test_sweep_and_check(self):
        sw = nines.sweep(WEB, {"web.count": "3..5"}, replications=200)
        self.assertEqual([p["values"]["web.count"] for p in sw["points"]], ["3", "4", "5"])
        avail = [p["availability"]["mean"] for p in sw["points"]]
        self.assertEqual(avail, sorted(avail))
        c = nines.check([WEB])
        self.assertEqual({e["outcome"] for e in c["scenarios"][0]["expectations"]}, {"pass"})

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


if __name__ == "__main__":
    unittest.main()
