"""The chart gallery: every chart of every shipped scenario drawn as PNG into the build tree
(NINES_GALLERY, with an index.html to look at them all), and each figure checked for what a reader
needs: log axes where values span decades, the budget line inside the axes, one line per series of
a sweep, units in the labels, integer ticks for counts, bars that are not clipped, labels that do
not print over each other, values printed on bars."""
import glob
import html
import math
import os
import re
import tempfile
import unittest

import matplotlib
import numpy as np

import nines
from nines import charts, reporting, units

ROOT = os.environ.get("NINES_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIOS = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml")))
REPLICATIONS = 200
UNIT_NAMES = ("seconds", "minutes", "hours", "days", "years")


def _gallery_dir():
    d = os.environ.get("NINES_GALLERY")
    if not d:
        d = os.path.join(tempfile.gettempdir(), "nines-gallery")
    os.makedirs(d, exist_ok=True)
    return d


def _spans_decades(values, decades=1.5):
    v = np.asarray([x for x in values if x > 0], dtype=float)
    return len(v) > 1 and np.log10(v.max() / v.min()) >= decades


class Gallery(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = _gallery_dir()
        for old in glob.glob(os.path.join(cls.dir, "*.png")):
            os.remove(old)
        cls.entries = []  # (scenario, chart, file)

    @classmethod
    def tearDownClass(cls):
        rows = []
        for scenario in sorted({e[0] for e in cls.entries}):
            rows.append("<h2>{}</h2>".format(html.escape(scenario)))
            rows += ['<figure><img src="{}" alt="{}" width="700"><figcaption>{}</figcaption></figure>'.format(
                html.escape(f), html.escape(c), html.escape(c)) for s, c, f in cls.entries if s == scenario]
        with open(os.path.join(cls.dir, "index.html"), "w") as f:
            f.write('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>nines chart gallery</title>'
                    '<link rel="icon" href="data:,"></head><body><h1>nines chart gallery</h1>{}</body></html>'.format("\n".join(rows)))

    def keep(self, scenario, name, fig):
        path = "{}__{}.png".format(scenario, name)
        fig.savefig(os.path.join(self.dir, path), dpi=100)
        self.entries.append((scenario, name, path))
        charts.plt.close(fig)

    # ---- checks shared by the scenarios

    def check_no_overlapping_texts(self, fig, texts):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text() and t.get_alpha() in (None, 1)]
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                self.assertFalse(boxes[i].overlaps(boxes[j]), "labels print over each other: {!r} and {!r}".format(
                    texts[i].get_text(), texts[j].get_text()))

    def check_availability(self, r, a, fig):
        ax = fig.axes[0]
        self.assertEqual(ax.get_yscale(), "log")  # unavailability spans decades between good and bad steps
        self.assertIn("unavailability", ax.get_ylabel())
        lo, hi = ax.get_ylim()
        if a is not None and a < 1:
            self.assertTrue(lo <= 1 - a <= hi, "the analytic steady state {} is outside {}..{}".format(1 - a, lo, hi))
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        self.assertIn("running mean", labels)

    def check_downtime(self, r, budget_h, unit, fig):
        ax = fig.axes[0]
        values = np.asarray(r.year_downtime_samples_h)
        self.assertIn("({})".format(unit.name), ax.get_xlabel())
        if _spans_decades(values[values > 0]):
            self.assertEqual(ax.get_xscale(), "log")
        heights = [p.get_height() for p in ax.patches]
        if heights:
            self.assertLess(max(heights), ax.get_ylim()[1], "the tallest bar is clipped")
            self.assertEqual(int(round(sum(heights))), int(np.sum(values > 0)))
            ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
            self.assertTrue(all(float(t).is_integer() for t in ticks), ticks)  # counts of years
        if budget_h:
            line = [l for l in ax.get_lines() if l.get_linestyle() == "--"][0]
            x = line.get_xdata()[0]
            lo, hi = ax.get_xlim()
            self.assertTrue(lo < x < hi, "the budget line {} is outside the axes {}..{}".format(x, lo, hi))
            self.assertAlmostEqual(x, budget_h / unit.hours)
            over = float(np.mean(values > budget_h))
            texts = " ".join(t.get_text() for t in ax.texts)
            self.assertIn(charts._share_text(over) + " of years", texts)

    def check_outages(self, r, fig):
        ax = fig.axes[0]
        if not len(r.outage_durations_h):
            return
        self.assertTrue(any(u in ax.get_xlabel() for u in UNIT_NAMES), ax.get_xlabel())
        if _spans_decades(r.outage_durations_h, 2):
            self.assertEqual(ax.get_xscale(), "log")
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        for p in ("p50", "p95", "p99"):
            entry = [t for t in legend if t.startswith(p + ":")]
            self.assertEqual(len(entry), 1)
            self.assertRegex(entry[0], r"^p\d+: [\d.,]+ (s|min|h|d|y)$")  # "p50: 8 min", not "0.133 hours"

    def check_components(self, r, fig):
        ax = fig.axes[0]
        self.assertEqual(len(ax.patches), len(r.components))
        self.assertEqual(len(ax.texts), len(r.components))  # each bar has its share and count printed
        widths = [p.get_width() for p in ax.patches]
        self.assertEqual(widths, sorted(widths))  # ranked: the largest share at the top
        for t in ax.texts:
            self.assertRegex(t.get_text(), r"^\d+\.\d% +in [\d,]+ outages \(\d+%\)$")

    def check_importance(self, a, fig):
        ax = fig.axes[0]
        self.assertEqual(len(ax.patches), len(a["importance"]))  # every instance, not one bar
        self.assertEqual(len(ax.texts), len(a["importance"]))  # values printed on the bars
        values = [p.get_width() for p in ax.patches]
        if _spans_decades(values, 1.0):
            self.assertEqual(ax.get_xscale(), "log")

    def check_sweep(self, sw, key, fig, metric):
        ax = fig.axes[0]
        series = {", ".join("{}={}".format(k, p["values"][k]) for k in sw["keys"] if k != key) for p in sw["points"]}
        lines = [l for l in ax.get_lines() if len(l.get_xdata()) > 0 and l.get_marker() == "o"]
        self.assertEqual(len(lines), len(series), "one line per series")
        for line in lines:  # each line's x values rise: no zig-zag through other parameters' values
            xs = np.asarray(line.get_xdata(), dtype=float)
            self.assertTrue(np.all(np.diff(xs) > 0), xs)
        if metric in ("availability", "unavailability"):
            self.assertEqual(ax.get_yscale(), "log")
        xs = [p["values"][key] for p in sw["points"]]
        if all(isinstance(x, int) for x in xs):
            lo, hi = ax.get_xlim()
            ticks = [t for t in ax.get_xticks() if lo <= t <= hi]
            self.assertTrue(all(float(t).is_integer() for t in ticks), "counts get integer ticks: {}".format(ticks))

    # ---- the gallery

    def test_every_chart_of_every_scenario(self):
        self.assertGreaterEqual(len(SCENARIOS), 8)
        for path in SCENARIOS:
            name = os.path.splitext(os.path.basename(path))[0]
            with self.subTest(scenario=name):
                s = nines.Scenario.from_file(path)
                r = nines.run(s, replications=REPLICATIONS)
                try:
                    a = nines.analyze(s)
                except nines.UnsupportedError:
                    a = None
                unit = reporting.report_units(r, s.budget_h)
                fig = charts.availability_over_time(r, analytic=a["availability"] if a else None)
                self.check_availability(r, a["availability"] if a else None, fig)
                self.keep(name, "availability", fig)
                fig = charts.downtime_distribution(r, budget_h=s.budget_h, unit=unit["downtime"])
                self.check_downtime(r, s.budget_h, unit["downtime"], fig)
                self.keep(name, "downtime", fig)
                fig = charts.outage_durations(r, unit=unit["outage"])
                self.check_outages(r, fig)
                self.keep(name, "outages", fig)
                fig = charts.component_contributions(r)
                self.check_components(r, fig)
                self.keep(name, "components", fig)
                if a:
                    fig = charts.importance(a)
                    self.check_importance(a, fig)
                    self.keep(name, "importance", fig)
                if "\nsweep:" in "\n" + s.text:
                    sw = nines.sweep(path, replications=REPLICATIONS)
                    for metric in ("availability", "downtime_per_year"):
                        fig = charts.sweep_curve(sw, metric=metric)
                        self.check_sweep(sw, sw["keys"][0], fig, metric)
                        self.keep(name, "sweep_" + metric, fig)
                    if any(p["cost_per_year"] is not None for p in sw["points"]):
                        fig = charts.cost_vs_availability(sw)
                        ax = fig.axes[0]
                        self.assertEqual(ax.get_xscale(), "log")
                        self.check_no_overlapping_texts(fig, ax.texts)
                        self.keep(name, "cost", fig)

    def test_two_parameter_sweep(self):
        # Five server counts by two load-balancer failure rates: one line per rate, integer ticks for the
        # count, a log unavailability axis on which 4, 5 and 6 servers read apart.
        web = os.path.join(ROOT, "scenarios", "web_two_zones.yaml")
        sw = nines.sweep(web, {"web.count": "2..6", "lb.failure.afr": "1%,4%"}, replications=REPLICATIONS)
        for metric in ("availability", "failures_per_year"):
            fig = charts.sweep_curve(sw, "web.count", metric=metric)
            self.check_sweep(sw, "web.count", fig, metric)
            ax = fig.axes[0]
            self.assertEqual(len(ax.get_legend().get_texts()), 2)
            if metric == "availability":
                tick_texts = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
                self.assertTrue(all("%" in t for t in tick_texts), tick_texts)  # decades read as availability
            self.keep("web_two_zones_two_parameters", "sweep_" + metric, fig)
        fig = charts.cost_vs_availability(sw, target=0.9999)
        self.check_no_overlapping_texts(fig, fig.axes[0].texts)
        self.keep("web_two_zones_two_parameters", "cost", fig)

    # ---- capacity planning: P(breach) against the count, the monthly budget, the year's burn, the week

    def check_breach_curve(self, sw, fig, window, threshold):
        ax = fig.axes[0]
        lines = [l for l in ax.get_lines() if l.get_marker() == "o" and len(l.get_xdata()) > 1]
        self.assertEqual(len(lines), 1, "one P(breach) line")
        xs = np.asarray(lines[0].get_xdata(), dtype=float)
        self.assertTrue(np.all(np.diff(xs) > 0), xs)
        self.assertTrue(all(float(x).is_integer() for x in xs))
        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        self.assertTrue(all(float(t).is_integer() for t in ticks), "counts get integer ticks: {}".format(ticks))
        lo, hi = ax.get_ylim()
        self.assertTrue(lo < threshold < hi, "the {} line inside the axes ({}, {})".format(threshold, lo, hi))
        red = [l for l in ax.get_lines() if l.get_linestyle() == "--" and np.allclose(l.get_ydata(), threshold)]
        self.assertEqual(len(red), 1, "the threshold line")
        values = []
        for p in sw["points"]:
            b = [o for o in p["slo"] if o["window"] == window][0]["breach"]
            values += [v for v in (b["mean"], b["ci95"][0], b["ci95"][1]) if v and v > 0]
        self.assertEqual(ax.get_yscale() == "log", _spans_decades(values + [threshold]), "log y exactly when spanning decades")
        self.assertEqual(len(ax.collections) > 0, True, "CI bars drawn")
        self.assertIn("%", ax.get_yticklabels()[1].get_text() + "".join(t.get_text() for t in ax.get_yticklabels()))

    def check_window_downtime(self, r, fig, window):
        ax = fig.axes[0]
        budgets = r.slo_window_budget_h[window]
        d = r.slo_downtime_h[window]
        over = float(np.mean(d > np.tile(budgets, len(d) // len(budgets))))
        red = [l for l in ax.get_lines() if l.get_linestyle() == "--"]
        self.assertEqual(len(red), 1)
        x = red[0].get_xdata()[0]
        lo, hi = ax.get_xlim()
        self.assertTrue(lo < x < hi, "the budget line inside the axes")
        if np.any(d > 0):
            self.assertEqual(ax.get_xscale(), "log")
        self.assertIn(charts._share_text(over), " ".join(t.get_text() for t in ax.texts))
        self.assertTrue(any(u in ax.get_xlabel() for u in UNIT_NAMES))

    def check_burn(self, fig):
        ax = fig.axes[0]
        median = [l for l in ax.get_lines() if l.get_label() == "median year"][0]
        y = np.asarray(median.get_ydata(), dtype=float)
        self.assertTrue(np.all(np.diff(y) >= -1e-12), "burn so far never decreases")
        self.assertEqual(y[0], 0.0)
        band = ax.collections[0].get_paths()[0].vertices
        self.assertTrue(np.all(band[:, 1] >= -1e-12))
        self.assertTrue(360 <= ax.get_xlim()[1] <= 366, "a whole year of days")
        self.assertTrue(ax.get_ylim()[1] > 1.0, "the 100 % line inside the axes")

    def check_week(self, fig, unavailability=None):
        ax = fig.axes[0]
        demand = [l for l in ax.get_lines() if l.get_label() == "demand"][0]
        served = [l for l in ax.get_lines() if l.get_label() == "expected served (an outage serves nothing)"][0]
        if unavailability is not None:
            # The bars by hour of the week average to the run's unavailability (the weeks are not all
            # whole: a 3-year horizon holds 156.4 of them, hence the 2 % tolerance).
            bars = [p.get_height() for p in fig.axes[1].patches]
            self.assertEqual(len(bars), 168)
            self.assertLess(abs(np.mean(bars) - unavailability), 0.02 * unavailability)
        dy, sy = np.asarray(demand.get_ydata()), np.asarray(served.get_ydata())
        self.assertEqual(len(dy), 169)
        self.assertTrue(np.all(sy <= dy + 1e-9), "never more served than demanded")
        self.assertTrue(np.all(sy > 0.9 * dy), "a tier sized for its load serves most of it")
        self.assertEqual(ax.get_xlim(), (0.0, 168.0))
        self.assertGreater(np.ptp(dy), 0, "the diurnal load varies")

    def test_capacity_planning_charts(self):
        path = os.path.join(ROOT, "scenarios", "web_tier_slo_capacity.yaml")
        s = nines.Scenario.from_file(path)
        sw = nines.sweep(path, {"web.count": "6..9"}, replications=REPLICATIONS)
        self.assertEqual(sw["goal"], "smallest")
        fig = charts.slo_breach_curve(sw, window="month")
        self.check_breach_curve(sw, fig, "month", 0.05)
        self.keep("capacity_planning", "slo_breach", fig)
        r = nines.run(s, replications=REPLICATIONS)
        fig = charts.window_downtime_distribution(r, window="month")
        self.check_window_downtime(r, fig, "month")
        self.keep("capacity_planning", "month_downtime", fig)
        fig = charts.budget_burn_over_year(r, window="month")
        self.check_burn(fig)
        self.keep("capacity_planning", "budget_burn", fig)
        fig = charts.served_capacity_week(s, r)
        self.check_week(fig, r.unavailability["mean"])
        self.keep("capacity_planning", "served_week", fig)
        with self.assertRaises(ValueError):
            charts.budget_burn_over_year(r, window="rolling 30d")

    def test_the_capacity_checks_can_fail(self):
        # Served capacity drawn above the demand, a burn curve that falls, a threshold line off the axes.
        fig, ax = charts.plt.subplots()
        ax.plot(np.arange(169), np.full(169, 10.0), label="demand")
        ax.plot(np.arange(169), np.full(169, 11.0), label="expected served (an outage serves nothing)")
        ax.set_xlim(0, 168)
        with self.assertRaises(AssertionError):
            self.check_week(fig)
        charts.plt.close(fig)
        fig, ax = charts.plt.subplots()
        ax.fill_between([0, 1], [0, 0], [1, 1])
        ax.plot([0, 100, 200], [0, 0.5, 0.4], label="median year")
        with self.assertRaises(AssertionError):
            self.check_burn(fig)
        charts.plt.close(fig)
        sw = {"keys": ["n"], "points": [{"values": {"n": n}, "slo": [{"window": "month", "breach": {"mean": b, "ci95": [b / 2, b * 2]}}]}
                                        for n, b in ((6, 0.3), (7, 0.01), (8, 0.0005))]}
        fig, ax = charts.plt.subplots()
        ax.errorbar([6, 7, 8], [0.3, 0.01, 0.0005], yerr=0.0, marker="o")
        ax.axhline(0.05, linestyle="--")
        ax.set_ylim(0, 0.04)
        with self.assertRaises(AssertionError):
            self.check_breach_curve(sw, fig, "month", 0.05)
        charts.plt.close(fig)

    def test_the_checks_can_fail(self):
        # A chart drawn the old way (linear axis, budget inside the first bar, one zig-zag line) fails them.
        s = nines.Scenario.from_file(os.path.join(ROOT, "scenarios", "replicated_database.yaml"))
        r = nines.run(s, replications=100)
        fig, ax = charts.plt.subplots()
        ax.hist(r.year_downtime_samples_h / 24, bins=10)
        ax.axvline(s.budget_h / 24, linestyle="--")
        ax.set_xlabel("downtime in the year (days)")
        ax.set_ylim(0, 10)
        with self.assertRaises(AssertionError):
            self.check_downtime(r, s.budget_h, units.DAYS, fig)
        charts.plt.close(fig)
        sw = {"keys": ["a", "b"], "points": [{"values": {"a": 1, "b": 1}}, {"values": {"a": 2, "b": 1}},
                                             {"values": {"a": 1, "b": 2}}, {"values": {"a": 2, "b": 2}}]}
        fig, ax = charts.plt.subplots()
        ax.plot([1, 2, 1, 2], [0.9, 0.99, 0.95, 0.999], marker="o")
        with self.assertRaises(AssertionError):
            self.check_sweep(sw, "a", fig, "availability")
        charts.plt.close(fig)


class UnitsTest(unittest.TestCase):
    def test_durations_by_magnitude(self):
        self.assertEqual(units.format_duration(0.1333), "8 min")  # not "0.133 hours"
        self.assertEqual(units.format_duration(0.1375), "8.25 min")
        self.assertEqual(units.format_duration(30 / 3600), "30 s")
        self.assertEqual(units.format_duration(2.5), "2.5 h")
        self.assertEqual(units.format_duration(72), "3 d")
        self.assertEqual(units.format_duration(1.0, units.MINUTES), "60 min")
        self.assertEqual(units.duration_unit([0.01, 0.02, 0.5]).symbol, "min")
        self.assertEqual(units.duration_unit([1, 5, 30]).symbol, "h")

    def test_intervals_differ(self):
        # "2.4 min .. 2.4 min" must not happen: the digits come from the width.
        text = units.format_interval(2.40 / 60, 2.43 / 60)
        lo, hi = text.split(" .. ")
        self.assertNotEqual(lo, hi)
        self.assertEqual(text, "2.40 min .. 2.43 min")
        self.assertEqual(units.format_interval(1.0, 3.0), "1.0 h .. 3.0 h")
        self.assertEqual(units.format_percent_interval(0.9997137, 0.9997311), "99.9714 % .. 99.9731 %")


if __name__ == "__main__":
    unittest.main()
