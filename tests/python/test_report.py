"""nines report: the files exist, the HTML embeds every chart and holds the results."""
import os
import re
import subprocess
import tempfile
import unittest

import nines
from nines.reporting import build_report

ROOT = os.environ.get("NINES_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
WEB = os.path.join(ROOT, "scenarios", "web_two_zones.yaml")


class ReportTest(unittest.TestCase):
    def test_report_files(self):
        with tempfile.TemporaryDirectory() as d:
            out = build_report(WEB, d, replications=300)
            html = open(out["html"]).read()
            md = open(out["markdown"]).read()
            self.assertEqual(len(out["charts"]), 5)
            # Every chart embedded (self-contained: no external references).
            self.assertEqual(html.count("data:image/svg+xml;base64,"), len(out["charts"]))
            self.assertNotRegex(html, r'src="(?!data:)')
            # The results, the cross-check and the expectations are there.
            a = out["results"].availability
            # Printed with the digits its interval supports (two significant digits of the width).
            from nines import units
            self.assertIn("{:.{}f} %".format(100 * a["mean"], units.percent_decimals(*a["ci95"])), html)
            self.assertIn(units.format_percent_interval(*a["ci95"]), html)
            self.assertIn('id="crosscheck"', html)
            self.assertEqual(html.count('<td class="pass">'), len(out["results"].expectations))
            for png in out["charts"]:
                self.assertTrue(os.path.exists(png))
                self.assertIn("charts/" + os.path.basename(png), md)
            self.assertIn("| availability |", md)

    def test_report_holds_what_run_prints(self):
        # Cost (web), crew waits and utilisation (oncall), spare stock-outs (storage fleet), planned
        # downtime by cause (storage cluster's maintenance, when present), undecided expectations; and
        # no interval printed with equal ends.
        from nines import units
        cases = {"web_two_zones.yaml": ['id="cost"', "expected cost per year"],
                 "oncall_crew.yaml": ['id="pools"', "oncall", "mean wait for crew"],
                 "storage_fleet_spares.yaml": ["stock-outs / year", "operations", "spare parts held"],
                 "dns_failover_regions.yaml": ["Downtime by cause", "share of downtime"]}
        for name, needles in cases.items():
            with self.subTest(scenario=name), tempfile.TemporaryDirectory() as d:
                out = build_report(os.path.join(ROOT, "scenarios", name), d, replications=60)
                with open(out["html"]) as f:
                    page = f.read()
                with open(out["markdown"]) as f:
                    md = f.read()
                for needle in needles:
                    self.assertIn(needle, page)
                    self.assertIn(needle.replace('id="cost"', "## Cost").replace('id="pools"', "## Repair crews"), md)
                r = out["results"]
                if name == "storage_fleet_spares.yaml":
                    self.assertTrue(any(c["stockouts"] for c in r.components))
                    years = r.settings["replications"] * r.settings["horizon_h"] / 8760
                    c = max(r.components, key=lambda c: c["stockouts"])
                    self.assertIn("{:.3g}".format(c["stockouts"] / years), page)
                if name == "storage_fleet_spares.yaml":
                    # The operations priced in the file (a technician 90,000, 2 parts held at 1,500 each).
                    ops = r.data["cost_per_year"]["operations"]
                    self.assertEqual((ops["crews"], ops["spares"], ops["logistics"], ops["total"]), (90000, 3000, 0, 93000))
                    self.assertIn("93,000", page)
                if name == "dns_failover_regions.yaml":
                    # The cause table: the failover row (most of this design's downtime) with its share.
                    failover = [c for c in r.data["downtime_by_cause"] if c["cause"] == "failover"][0]
                    self.assertIn('<tr><td>failover</td>', page)
                    self.assertIn("{:.1f} %".format(100 * failover["downtime_share"]), page)
                    self.assertIn("| failover |", md)
                if name == "oncall_crew.yaml":
                    self.assertIn("{:.1f} %".format(100 * r.data["repair_pools"][0]["utilisation"]), page)
                undecided = [e for e in r.expectations if e["outcome"] not in ("pass", "fail", "not applicable")]
                if undecided:
                    self.assertIn("expectations are not decided by this run", page)
                for lo, hi in re.findall(r"<td>([^<]+?) \.\. ([^<]+?)</td>", page):
                    self.assertNotEqual(lo, hi, "an interval printed with equal ends")
                # The components are ranked by their share of the system downtime.
                shares = [float(x) for x in re.findall(r'<tr><td>[^<]+</td><td>\d+</td><td>[^<]+</td><td>[^<]+</td><td>([\d.]+) %</td>', page)]
                self.assertEqual(len(shares), len(r.components))
                self.assertEqual(shares, sorted(shares, reverse=True))

    def test_progress_on_a_terminal_only(self):
        import io
        import sys
        from nines import reporting
        buf = io.StringIO()
        old, sys.stderr = sys.stderr, buf
        try:
            with tempfile.TemporaryDirectory() as d:
                build_report(WEB, d, replications=20, progress=True)
                build_report(WEB, os.path.join(d, "quiet"), replications=20)  # StringIO is not a terminal
        finally:
            sys.stderr = old
        text = buf.getvalue()
        self.assertIn("nines report: [1/", text)
        self.assertIn("simulating", text)
        self.assertEqual(text.count("[1/"), 1)

    def test_report_function(self):
        # nines.report() is the function (importing nines.reporting does not replace it) and writes
        # the same files as `nines report`.
        self.assertTrue(callable(nines.report))
        with tempfile.TemporaryDirectory() as d:
            out = nines.report(nines.Scenario.from_file(WEB), d, replications=100, seed=3)
            self.assertEqual(out["html"], os.path.join(d, "report.html"))
            self.assertTrue(os.path.exists(out["markdown"]))
            self.assertEqual(out["results"].settings["replications"], 100)

    def test_cli_report_and_bad_input(self):
        nines_bin = os.environ.get("NINES_BIN")
        if not nines_bin:
            self.skipTest("NINES_BIN not set")
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.run([nines_bin, "report", WEB, "-o", d, "--replications", "100"], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(os.path.exists(os.path.join(d, "report.html")))
            bad = os.path.join(ROOT, "tests", "bad", "k_zero.yaml")
            p = subprocess.run([nines_bin, "report", bad, "-o", os.path.join(d, "bad")], capture_output=True, text=True)
            self.assertEqual(p.returncode, 2)
            self.assertRegex(p.stderr, re.escape(bad) + r":4:24: error: k_of_n: k must be at least 1")
            self.assertFalse(os.path.exists(os.path.join(d, "bad", "report.html")))


if __name__ == "__main__":
    unittest.main()
