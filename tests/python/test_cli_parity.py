"""The Python module returns exactly what the CLI writes: for every scenario in scenarios/, the text of
`nines run S --json F` equals nines.run(S).json_text byte for byte, except the trailing "timing" object
(wall time, speed and thread count, the only part that differs between runs; see README, "JSON results")."""
import glob
import json
import os
import subprocess
import tempfile
import unittest

import nines

ROOT = os.environ.get("NINES_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
NINES = os.environ.get("NINES_BIN", "nines")
SCENARIOS = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml")))
TIMING = ',\n  "timing": {'


def without_timing(text):
    """The document up to its last member, "timing"; fails if timing is not where the layout puts it."""
    at = text.rfind(TIMING)
    if at < 0 or not text.endswith("}\n"):
        raise AssertionError("no trailing timing object in:\n" + text[-300:])
    return text[:at]


class CliParityTest(unittest.TestCase):
    def cli_json(self, scenario, *options):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "run.json")
            subprocess.run([NINES, "run", scenario, "--json", out, "-q"] + list(options), check=True)
            with open(out, encoding="utf-8") as f:
                return f.read()

    def test_every_scenario_with_its_own_settings(self):
        self.assertGreaterEqual(len(SCENARIOS), 8)
        for scenario in SCENARIOS:
            with self.subTest(scenario=os.path.basename(scenario)):
                cli = self.cli_json(scenario, "--threads", "2")
                py = nines.run(scenario, threads=1).json_text
                self.assertEqual(without_timing(py), without_timing(cli))
                self.assertEqual(list(json.loads(py)["timing"]), list(json.loads(cli)["timing"]))

    def test_overrides_and_parameter_paths_give_the_same_document(self):
        web = os.path.join(ROOT, "scenarios", "web_two_zones.yaml")
        cli = self.cli_json(web, "--replications", "300", "--seed", "11", "--horizon", "5y")
        py = nines.run(web, replications=300, seed=11, horizon="5y").json_text
        self.assertEqual(without_timing(py), without_timing(cli))

    def test_documents_that_differ_are_told_apart(self):
        # The comparison can fail: another seed changes the document.
        web = os.path.join(ROOT, "scenarios", "web_two_zones.yaml")
        cli = self.cli_json(web, "--replications", "300", "--seed", "11")
        py = nines.run(web, replications=300, seed=12).json_text
        self.assertNotEqual(without_timing(py), without_timing(cli))

    def test_cost_per_year_is_complete(self):
        # The field the two copies of the builder disagreed on.
        costs = [nines.run(s, replications=50).cost_per_year for s in SCENARIOS]
        costs = [c for c in costs if c is not None]
        self.assertTrue(costs)
        self.assertTrue(any("operations" in c for c in costs))  # storage_fleet_spares prices its crew and spares
        for c in costs:
            # "operations" only when the scenario prices crews, spares or response contracts.
            self.assertEqual(list(c), ["mean", "ci95", "ownership", "downtime"] + (["operations"] if "operations" in c else []))
            ops = c.get("operations", {"crews": 0, "spares": 0, "logistics": 0, "total": 0})
            self.assertEqual(ops["crews"] + ops["spares"] + ops["logistics"], ops["total"])
            self.assertAlmostEqual(c["ownership"] + ops["total"] + c["downtime"], c["mean"], delta=1e-9 * abs(c["mean"]) + 1e-9)


if __name__ == "__main__":
    unittest.main()
