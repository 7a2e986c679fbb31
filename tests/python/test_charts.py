"""Each chart built from a real run, checked for what it shows: labels, series, values at known points."""
import os
import tempfile
import unittest

import numpy as np

import nines
from nines import charts

ROOT = os.environ.get("NINES_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
DB = os.path.join(ROOT, "scenarios", "replicated_database.yaml")
WEB = os.path.join(ROOT, "scenarios", "web_two_zones.yaml")


class ChartsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scenario = nines.Scenario.from_file(DB)
        cls.results = nines.run(cls.scenario, replications=400)
        cls.analysis = nines.analyze(cls.scenario)

    def test_availability_over_time(self):
        fig = charts.availability_over_time(self.results, analytic=self.analysis["availability"])
        ax = fig.axes[0]
        self.assertIn("unavailability", ax.get_ylabel())
        self.assertEqual(ax.get_yscale(), "log")
        self.assertEqual(ax.get_xlabel(), "time (years)")
        steps, running, steady = ax.get_lines()  # each time step, the running mean, the analytic line
        u = 1 - self.results.cell_availability
        np.testing.assert_allclose(steps.get_ydata(), u[u > 0])
        np.testing.assert_allclose(steps.get_xdata(), self.results.cell_start_h[u > 0] / 8760)
        np.testing.assert_allclose(running.get_ydata()[-1], np.mean(u))
        self.assertAlmostEqual(steady.get_ydata()[0], 1 - self.analysis["availability"])
        # The simulated mean over time sits near the analytic value.
        self.assertLess(abs(np.mean(self.results.cell_availability) - self.analysis["availability"]), 1e-4)

    def test_downtime_distribution_with_budget(self):
        budget = self.scenario.budget_h
        fig = charts.downtime_distribution(self.results, budget_h=budget)
        ax = fig.axes[0]
        self.assertEqual(ax.get_ylabel(), "years")
        self.assertTrue(ax.get_xlabel().startswith("downtime in the year"))
        values = self.results.year_downtime_samples_h
        bars = ax.patches
        self.assertEqual(int(round(sum(b.get_height() for b in bars))), int(np.sum(values > 0)))
        budget_line = ax.get_lines()[0]
        scale, unit = charts._duration_axis(values[values > 0])
        self.assertIn(unit, ax.get_xlabel())
        self.assertAlmostEqual(budget_line.get_xdata()[0], budget / scale)
        p_over = float(np.mean(values > budget))
        self.assertIn(charts._share_text(p_over) + " of years exceed it", ax.get_legend().get_texts()[1].get_text())
        self.assertIn(charts._share_text(float(np.mean(values == 0))) + " of years had none", ax.get_legend().get_texts()[0].get_text())

    def test_outage_durations(self):
        fig = charts.outage_durations(self.results)
        ax = fig.axes[0]
        self.assertEqual(ax.get_ylabel(), "P(outage longer)")
        lines = ax.get_lines()
        self.assertEqual(len(lines), 4)  # the survival curve and p50, p95, p99
        # Every outage, or (many outages) an even spread and the whole tail, ending at the longest.
        n = len(self.results.outage_durations_h)
        self.assertEqual(len(lines[0].get_xdata()), min(n, len(charts._survival_points(n))))
        self.assertAlmostEqual(lines[0].get_xdata()[-1] * charts._duration_axis(self.results.outage_durations_h)[0],
                               max(self.results.outage_durations_h))
        scale, unit = charts._duration_axis(self.results.outage_durations_h)
        p50 = float(np.quantile(self.results.outage_durations_h, 0.5))
        self.assertAlmostEqual(lines[1].get_xdata()[0], p50 / scale)
        self.assertIn("({})".format(unit), ax.get_xlabel())

    def test_component_contributions(self):
        fig = charts.component_contributions(self.results)
        ax = fig.axes[0]
        widths = {t.get_text(): b.get_width() for t, b in zip(ax.get_yticklabels(), ax.patches)}
        for c in self.results.components:
            label = "{} (x{})".format(c["name"], c["instances"]) if c["instances"] > 1 else c["name"]
            self.assertAlmostEqual(widths[label], c["downtime_share"])
        self.assertEqual(max(widths, key=widths.get), "power (x2)")

    def test_importance(self):
        fig = charts.importance(self.analysis, top=5)
        ax = fig.axes[0]
        self.assertEqual(len(ax.patches), 5)
        self.assertEqual(ax.get_yticklabels()[-1].get_text(), "power[0]")  # most critical at the top
        self.assertAlmostEqual(ax.patches[-1].get_width(), self.analysis["importance"][0]["criticality"])

    def test_sweep_charts(self):
        sw = nines.sweep(WEB, {"web.count": "2..5"}, replications=300)
        fig = charts.sweep_curve(sw, "web.count")
        ax = fig.axes[0]
        self.assertEqual(ax.get_xlabel(), "web.count")
        line = ax.get_lines()[0]
        np.testing.assert_allclose(np.asarray(line.get_xdata(), dtype=float), [2, 3, 4, 5])
        np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), [1 - p["availability"]["mean"] for p in sw["points"]])
        self.assertEqual(ax.get_yscale(), "log")
        # Any headline metric, its key and label from the registry; durations scaled to a readable unit.
        fig3 = charts.sweep_curve(sw, "web.count", metric="downtime_per_year")
        ax3 = fig3.axes[0]
        self.assertTrue(ax3.get_ylabel().startswith(nines.metric("downtime_per_year")["label"]))
        scale = {"(days)": 24.0, "(hours)": 1.0, "(minutes)": 1.0 / 60, "(seconds)": 1 / 3600}[ax3.get_ylabel().rsplit(" ", 1)[1]]
        np.testing.assert_allclose(np.asarray(ax3.get_lines()[0].get_ydata(), dtype=float),
                                   [p["downtime_per_year_h"]["mean"] / scale for p in sw["points"]])
        with self.assertRaises(ValueError):
            charts.sweep_curve(sw, metric="outage.p95")  # not reported per sweep point
        fig2 = charts.cost_vs_availability(sw, target=0.9999)
        ax2 = fig2.axes[0]
        self.assertEqual(ax2.get_ylabel(), "expected cost per year")
        self.assertEqual(len(ax2.collections), 5)  # four designs and the ring around the cheapest passing one

    def test_save_writes_svg_and_png(self):
        fig = charts.outage_durations(self.results)
        with tempfile.TemporaryDirectory() as d:
            svg, png = charts.save(fig, os.path.join(d, "outages"))
            self.assertTrue(open(svg).read().lstrip().startswith("<?xml"))
            with open(png, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_minor_ticks_limited_to_the_view_draw_the_same_ticks(self):
        """The outage chart's log axes build Ticks only for minor locations in view (a speed-up), and
        draw exactly the ticks the unfiltered locator would: matplotlib's own in-view test applied to
        the unfiltered locations gives the same list. A filter that dropped an end tick, or kept the
        ticks beyond the view (no speed-up; checked: a locator returning everything fails), fails this."""
        import matplotlib.transforms as mtransforms
        fig = charts.outage_durations(self.results)
        ax = fig.axes[0]
        checked = 0
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() != "log":
                continue
            locator = axis.get_minor_locator()
            self.assertIsInstance(locator, charts._InViewLocator)
            everything = np.asarray(locator.inner())
            transform = axis.get_transform()
            interval = transform.transform(sorted(axis.get_view_interval()))
            drawn = [v for v in everything if mtransforms._interval_contains_close(interval, transform.transform(v))]
            np.testing.assert_array_equal(locator(), drawn)
            self.assertLess(len(drawn), len(everything))
            checked += 1
        self.assertEqual(checked, 2)  # both axes of the survival curve are logarithmic here

class BackendTest(unittest.TestCase):
    """Importing nines.charts chooses Agg only when nothing else can draw; a backend the user or
    Jupyter chose is kept (forcing Agg made notebooks show no charts). Each case runs in a fresh
    interpreter with a controlled environment and records the calls nines makes to matplotlib.use."""

    def run_python(self, env_changes, code):
        import subprocess
        import sys
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "DISPLAY", "WAYLAND_DISPLAY")}
        env.update(env_changes)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        return out.stdout.strip().splitlines()[-1]

    def use_calls(self, env_changes, prelude=""):
        record = ("import matplotlib\ncalls = []\n_use = matplotlib.use\n"
                  "matplotlib.use = lambda b, *a, **k: (calls.append(b), _use(b, *a, **k))\n")
        return self.run_python(env_changes, prelude + "\n" + record + "import nines.charts\nprint(calls)")

    def test_headless_gets_a_working_backend(self):
        # No display, no MPLBACKEND: Debian's matplotlibrc names TkAgg, which cannot draw here.
        code = "import nines.charts as c\nfig = c.plt.figure()\nfig.savefig('/dev/null', format='png')\nprint(c.matplotlib.get_backend())"
        import matplotlib
        self.assertNotIn(self.run_python({}, code).lower(), {b.lower() for b in matplotlib.rcsetup.interactive_bk})

    def test_the_choice_is_left_alone_when_something_else_can_draw(self):
        configured = self.run_python({}, "import matplotlib\nprint(matplotlib.rcParams._get_backend_or_none())")
        if configured.lower() in ("agg", "none"):
            self.skipTest("this matplotlib is not configured with an interactive backend")
        self.assertEqual(self.use_calls({}), "['Agg']")  # headless with an interactive backend configured
        self.assertEqual(self.use_calls({"MPLBACKEND": "svg"}), "[]")
        self.assertEqual(self.use_calls({}, "import matplotlib\nmatplotlib.use('pdf')"), "[]")
        self.assertEqual(self.use_calls({"DISPLAY": ":99"}), "[]")
        fake_ipython = "import sys, types\nip = types.ModuleType('IPython')\nip.get_ipython = lambda: object()\nsys.modules['IPython'] = ip"
        self.assertEqual(self.use_calls({}, fake_ipython), "[]")

if __name__ == "__main__":
    unittest.main()
