"""Charts for reports, in one print-ready style. Every function returns a matplotlib Figure;
save(fig, stem) writes stem.svg and stem.png."""
import math
import os
import sys

import matplotlib


def _needs_headless_backend():
    """True only when nothing the user set up can draw: no MPLBACKEND, not inside IPython/Jupyter (which
    installs its inline backend), no display, and a configured backend that needs one (Debian's
    matplotlibrc says TkAgg). A backend chosen with MPLBACKEND or matplotlib.use() is never replaced."""
    if os.environ.get("MPLBACKEND"):
        return False
    ipython = sys.modules.get("IPython")
    if ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None:
        return False
    if sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return False
    backend = matplotlib.rcParams._get_backend_or_none()  # None: matplotlib picks one itself, Agg when headless
    if backend is None:
        return False
    interactive = {b.lower() for b in matplotlib.rcsetup.interactive_bk}
    return backend.lower() in interactive


if _needs_headless_backend():
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import matplotlib.ticker  # noqa: E402

from . import metric as _metric  # noqa: E402  (the metric registry: keys and labels)
from . import units  # noqa: E402  (units chosen by magnitude, in one place)

HOURS_PER_YEAR = 8760.0
BLUE, ORANGE, GREY, RED, GREEN = "#1f5fa8", "#d9822b", "#8a8f98", "#b3261e", "#2e7d32"

STYLE = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 150,  # PNG: 1050 px across for a 7-inch chart, crisp at 1.5x a 700 px column (200 cost a third more)
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "svg.fonttype": "none",
}


def _figure():
    # The style is set globally (savefig reads it when the figure is saved), and not through
    # rc_context: leaving rc_context restores 'interactive' and 'backend' as they were before the
    # first figure, which turned off Jupyter's inline display after the first chart.
    for key, value in STYLE.items():
        matplotlib.rcParams[key] = value
    return plt.subplots()


class _InViewLocator(matplotlib.ticker.Locator):
    """Another locator's ticks, less those outside the axis' view. A log axis' minor locator returns
    the ticks of a decade or more beyond each end; matplotlib builds a Tick (two marks, two labels, a
    grid line) for every one and then draws only those in view, and building them was the largest
    part of laying out and writing a log-log chart. The ticks in view, and so the chart, are the same;
    the filter keeps anything within a millionth of the axis of its ends (matplotlib draws a tick
    within 1e-10)."""

    def __init__(self, inner):
        self.inner = inner

    def set_axis(self, axis):
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def __call__(self):
        locs = np.asarray(self.inner(), dtype=float)
        if self.axis is None or not len(locs):
            return locs
        transform = self.axis.get_transform()
        lo, hi = sorted(transform.transform(list(self.axis.get_view_interval())))
        slack = 1e-6 * (hi - lo) if np.isfinite(hi - lo) else 0.0
        with np.errstate(all="ignore"):
            at = np.asarray(transform.transform(locs), dtype=float)
            keep = (at >= lo - slack) & (at <= hi + slack)
        return locs[keep]

    def tick_values(self, vmin, vmax):
        return self.inner.tick_values(vmin, vmax)

    def nonsingular(self, v0, v1):
        return self.inner.nonsingular(v0, v1)

    def view_limits(self, vmin, vmax):
        return self.inner.view_limits(vmin, vmax)


def _tight_layout(fig):
    """fig.tight_layout(), after limiting every axis' minor ticks to those in view (_InViewLocator)."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            minor = axis.get_minor_locator()
            if not isinstance(minor, (matplotlib.ticker.NullLocator, _InViewLocator)):
                axis.set_minor_locator(_InViewLocator(minor))
    fig.tight_layout()


def _time_axis(t_h):
    """Chooses a readable unit for a time axis: (scale divisor, label)."""
    span = float(np.max(t_h)) if len(t_h) else 1.0
    if span >= 2 * HOURS_PER_YEAR:
        return HOURS_PER_YEAR, "time (years)"
    if span >= 48 * 7:
        return 24.0, "time (days)"
    return 1.0, "time (hours)"


def _duration_label(h, unit=None):
    """A duration for legends: "45 s", "8 min", "2.5 h", "3.2 d" (nines.units.format_duration)."""
    return units.format_duration(h, unit)


def _duration_axis(values_h):
    """(hours per unit, unit name) for an axis of durations, chosen by magnitude (nines.units)."""
    u = units.duration_unit(values_h)
    return u.hours, u.name


_PLAIN = matplotlib.ticker.FuncFormatter(lambda v, _p: "{:g}".format(v))


def _spans_decades(values, decades=1.5):
    v = np.asarray([x for x in values if x is not None and x > 0 and np.isfinite(x)], dtype=float)
    return len(v) > 1 and np.log10(v.max() / v.min()) >= decades


def _nines_formatter(two_lines=False):
    """Tick labels of a log unavailability axis that also read as availability: "1e-04 (99.99 %)"
    (on two lines for an x axis, where decades sit side by side)."""
    def fmt(u, _pos):
        if u <= 0 or u >= 1:
            return ""
        exp = math.log10(u)
        if abs(exp - round(exp)) > 1e-9:
            return ""
        n = -int(round(exp))
        avail = ("{:.%df}" % max(0, n - 2)).format(100 * (1 - u))
        return "1e-{:02d}\n{} %".format(n, avail) if two_lines else "1e-{:02d} ({} %)".format(n, avail)
    return matplotlib.ticker.FuncFormatter(fmt)


def _unavailability_axis(ax, values):
    """A log unavailability axis with availability beside each decade, spanning at least one decade."""
    ax.set_yscale("log")
    v = [x for x in values if x is not None and x > 0 and np.isfinite(x)]
    if v:
        lo = 10 ** math.floor(math.log10(min(v)))
        hi = 10 ** math.ceil(math.log10(max(v)))
        if hi <= lo:
            hi = lo * 10
        ax.set_ylim(lo, min(hi, 1.0) if hi > lo else lo * 10)
    ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, numticks=12))
    ax.yaxis.set_major_formatter(_nines_formatter())
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_ylabel("unavailability (availability), log scale")


def availability_over_time(results, analytic=None, title="Unavailability over time"):
    """The system's unavailability over time on a log axis (each decade labelled with its availability):
    the running mean from the start (the interval availability up to t, which settles on the steady
    state), the mean over replications in each time step as dots with their 95% band, and the analytic
    steady state when given. Steps without any downtime in any replication are left out (a log axis has
    no zero); their number is in the legend."""
    fig, ax = _figure()
    scale, xlabel = _time_axis(results.cell_start_h)
    t = results.cell_start_h / scale
    cell_u = 1.0 - np.asarray(results.cell_availability, dtype=float)
    lo_u = 1.0 - np.asarray(results.cell_availability_hi, dtype=float)
    hi_u = 1.0 - np.asarray(results.cell_availability_lo, dtype=float)
    running = np.cumsum(cell_u) / np.arange(1, len(cell_u) + 1) if len(cell_u) else cell_u
    positive = cell_u > 0
    shown = [x for x in list(cell_u[positive]) + list(running[running > 0]) + ([1 - analytic] if analytic is not None else [])]
    if np.any(positive):
        floor = max(min(shown) / 10, 1e-15)
        ax.fill_between(t, np.maximum(lo_u, floor), np.maximum(hi_u, floor), step="post", color=BLUE, alpha=0.12,
                        linewidth=0, label="95% band per time step")
    zero = int(np.sum(~positive))
    ax.plot(t[positive], cell_u[positive], linestyle="none", marker=".", markersize=3, color=BLUE, alpha=0.6,
            label="per time step" + (" ({} with none omitted)".format(zero) if zero else ""))
    ax.plot(t, np.where(running > 0, running, np.nan), color=BLUE, linewidth=2, label="running mean")
    if analytic is not None and analytic < 1:
        ax.axhline(1 - analytic, color=ORANGE, linestyle="--", label="analytic steady state")
    _unavailability_axis(ax, shown + [x for x in hi_u[positive]])
    if len(t):
        ax.set_xlim(0, max(float(t[-1]) + (float(t[1] - t[0]) if len(t) > 1 else 1.0), 1e-9))
    if not np.any(positive):
        ax.text(0.5, 0.75, "no replication had downtime in any time step" +
                ("\n(the analytic steady state is drawn)" if analytic is not None and analytic < 1 else ""),
                transform=ax.transAxes, ha="center", va="center", color=GREY, backgroundcolor="white")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(0.0, -0.2), ncol=2)
    fig.set_size_inches(7.0, 4.2)
    _tight_layout(fig)
    return fig


def downtime_distribution(results, budget_h=None, unit=None, title="Downtime per simulated year"):
    """Histogram of the downtime of each simulated year on a log axis in one unit (chosen by magnitude,
    or `unit`, a nines.units.DurationUnit, to match the rest of a report), years without downtime
    counted apart, the budget line and the share of years over it written beside it."""
    fig, ax = _figure()
    values = np.asarray(results.year_downtime_samples_h, dtype=float)
    positive = values[values > 0]
    shown = list(positive) + ([budget_h] if budget_h else [])
    unit = unit or units.duration_unit(positive if len(positive) else shown)
    zero_share = float(np.mean(values <= 0)) if len(values) else float("nan")
    if len(positive):
        lo = min(shown) / unit.hours
        hi = max(shown) / unit.hours
        lo_e, hi_e = math.floor(math.log10(lo) * 2) / 2, math.ceil(math.log10(hi) * 2) / 2
        if hi_e <= lo_e:
            hi_e = lo_e + 0.5
        bins = np.logspace(lo_e, hi_e, int(round((hi_e - lo_e) * 8)) + 1)
        counts, _, _ = ax.hist(positive / unit.hours, bins=bins, color=BLUE, alpha=0.8,
                               label="years with downtime ({} of years had none)".format(_share_text(zero_share)))
        ax.set_xscale("log")
        ax.set_ylim(0, max(counts.max(), 1) * 1.25)  # the tallest bar and the notes above it fit
        ax.set_xlim(bins[0], bins[-1])
        ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0) if hi_e - lo_e < 2 else (1.0,)))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: "{:g}".format(v)))
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    else:
        ax.text(0.5, 0.5, "no simulated year had any downtime", transform=ax.transAxes, ha="center", color=GREY)
    if budget_h is not None:
        over = float(np.mean(values > budget_h)) if len(values) else float("nan")
        ax.axvline(budget_h / unit.hours, color=RED, linestyle="--", linewidth=2,
                   label="budget {}: {} of years exceed it".format(_duration_label(budget_h), _share_text(over)))
        ax.text(budget_h / unit.hours, 0.97, " {} of years\n over budget".format(_share_text(over)), color=RED,
                transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=9, fontweight="bold")
    ax.set_xlabel("downtime in the year ({})".format(unit.name) + (", log scale" if len(positive) else ""))
    ax.set_ylabel("years")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(0.0, -0.22), ncol=1)
    _tight_layout(fig)
    return fig


def _share_text(p):
    """A share for a caption: "0.6 %", "35 %", and near the ends as many digits as keep it off 0 and
    100 ("99.99 %", not "100 %", when some years had downtime)."""
    if p != p:
        return "n/a"
    if p == 0 or p == 1:
        return "{:.0f} %".format(100 * p)
    if p < 0.001:
        return "{:.2g} %".format(100 * p)
    if p > 0.99:
        digits = max(0, -int(math.floor(math.log10((1 - p) * 100))))
        return "{:.{}f} %".format(math.floor(100 * p * 10 ** digits) / 10 ** digits, digits)
    return "{:.1f} %".format(100 * p) if p < 0.1 else "{:.0f} %".format(100 * p)


def _survival_points(n, body=1500, tail=300):
    """Indices of a sorted sample worth drawing as a survival curve: about `body` evenly spread, and
    the last `tail` (the rare long outages, where a log axis magnifies every step) all kept. Drawing
    every one of 100,000 steps took most of a report's time and looks the same."""
    if n <= body + tail:
        return np.arange(n)
    spread = np.unique(np.linspace(0, n - tail - 1, body).astype(int))
    return np.concatenate([spread, np.arange(n - tail, n)])


def outage_durations(results, unit=None, title="Outage durations"):
    """Empirical distribution (survival) of outage durations on log axes, with the p50/p95/p99 marks
    written in a unit people read ("p50: 8 min")."""
    fig, ax = _figure()
    values = np.sort(np.asarray(results.outage_durations_h, dtype=float))
    unit = unit or units.duration_unit(values)
    if len(values):
        survival = 1.0 - np.arange(len(values)) / len(values)
        keep = _survival_points(len(values))
        ax.step(values[keep] / unit.hours, survival[keep], where="post", color=BLUE, label="{:,} outages".format(len(values)))
        for p, style in ((0.5, ":"), (0.95, "--"), (0.99, "-.")):
            q = float(np.quantile(values, p))
            ax.axvline(q / unit.hours, color=GREY, linestyle=style, label="p{:g}: {}".format(p * 100, _duration_label(q)))
        ax.set_yscale("log")
        if _spans_decades(values):
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(_PLAIN)
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.yaxis.set_major_formatter(_PLAIN)  # plain "0.01", not mathtext (whose parsing took half the chart's time)
        ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("outage duration ({})".format(unit.name))
    ax.set_ylabel("P(outage longer)")
    ax.set_title(title)
    if len(values):
        ax.legend(loc="lower left", fontsize=8)
    else:
        ax.text(0.5, 0.5, "no outage completed in the simulation", transform=ax.transAxes, ha="center", color=GREY)
    _tight_layout(fig)
    return fig


def component_contributions(results, title="Share of system downtime each component was down for"):
    """Horizontal bars ranked by each component's share of the system downtime (time it was down while
    the system was down; overlaps count for each component), with the share and the number of outages
    it took part in printed beside each bar."""
    fig, ax = _figure()
    comps = sorted(results.components, key=lambda c: c.get("downtime_share", 0.0))
    names = ["{} (x{})".format(c["name"], c["instances"]) if c["instances"] > 1 else c["name"] for c in comps]
    shares = [c.get("downtime_share", 0.0) for c in comps]
    bars = ax.barh(names, shares, color=BLUE)
    for bar, c in zip(bars, comps):
        ax.text(min(bar.get_width(), 1.0) + 0.01, bar.get_y() + bar.get_height() / 2,
                "{:.1%}   in {:,} outages ({:.0%})".format(c.get("downtime_share", 0.0), c["outages_involved"], c["outage_share"]),
                va="center", fontsize=8)
    ax.set_xlim(0, 1.45)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("share of system downtime (overlapping components each count)")
    ax.set_title(title)
    fig.set_size_inches(7.0, max(2.4, 1.2 + 0.35 * len(comps)))
    _tight_layout(fig)
    return fig


def importance(analysis, measure="criticality", top=None, title=None):
    """Horizontal bars of an importance measure from nines.analyze(), most important at the top, every
    instance (or the `top` most important), values printed on the bars; a log axis when the values
    span decades (a single point of failure next to redundant units)."""
    fig, ax = _figure()
    rows = sorted(analysis["importance"], key=lambda r: r[measure] or 0.0, reverse=True)
    if top:
        rows = rows[:top]
    rows = rows[::-1]
    values = [r[measure] or 0.0 for r in rows]
    bars = ax.barh([r["instance"] for r in rows], values, color=ORANGE)
    log = _spans_decades(values, 1.0)
    if log:
        ax.set_xscale("log")
        positive = [v for v in values if v > 0]
        ax.set_xlim(min(positive) / 3, max(positive) * 4)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: "{:g}".format(v)))
    else:
        ax.set_xlim(0, max(values + [1e-300]) * 1.3)
    for bar, v in zip(bars, values):
        ax.text(bar.get_width() if v > 0 else (ax.get_xlim()[0]), bar.get_y() + bar.get_height() / 2,
                " {:.3g}".format(v), va="center", fontsize=8)
    ax.set_xlabel(measure.replace("_", "-") + (" (log scale)" if log else ""))
    shown = "all {}".format(len(rows)) if not top or top >= len(analysis["importance"]) else "top {}".format(len(rows))
    ax.set_title(title or "Importance: {} ({} instances)".format(measure, shown))
    fig.set_size_inches(7.0, max(2.4, 1.2 + 0.28 * len(rows)))
    _tight_layout(fig)
    return fig


def _x_axis(points, key):
    """How a swept value is placed on the x axis: numbers as themselves, percentages ("95%") by their
    number, anything else (durations, names) in sweep order, labelled as written. Returns (position
    function, tick labels or None)."""
    values = [p["values"][key] for p in points]

    def number(v):
        if isinstance(v, bool):
            raise ValueError(v)
        if isinstance(v, (int, float)):
            return float(v)
        text = str(v).strip()
        return float(text[:-1]) if text.endswith("%") else float(text)
    try:
        [number(v) for v in values]
    except ValueError:
        order = []
        for v in values:
            if str(v) not in order:
                order.append(str(v))
        return (lambda v: float(order.index(str(v)))), order
    plain = all(isinstance(v, (int, float)) for v in values)
    return number, None if plain else sorted({str(v) for v in values}, key=number)


def _series(sweep_results, key):
    """The sweep's points grouped by the values of the other swept keys: [(label, [points])]."""
    others = [k for k in sweep_results["keys"] if k != key]
    groups = {}
    for p in sweep_results["points"]:
        label = ", ".join("{}={}".format(k, p["values"][k]) for k in others)
        groups.setdefault(label, []).append(p)
    position, _ = _x_axis(sweep_results["points"], key)
    return [(label, sorted(ps, key=lambda p: position(p["values"][key]))) for label, ps in groups.items()]


def sweep_curve(sweep_results, key=None, metric="availability", title=None):
    """A headline metric (see nines.metrics(): availability, unavailability, downtime_per_year,
    failures_per_year, mtbf, mean_outage) with its 95% interval against a swept parameter, one line per
    combination of the other swept parameters. Availability and unavailability are drawn as
    unavailability on a log axis labelled with the availability of each decade; other metrics on a log
    axis when they span decades. Integer parameters get integer ticks. Points where the run could not
    measure the metric (no outage, say) are left out."""
    fig, ax = _figure()
    m = _metric(metric)
    if not m["headline"]:
        raise ValueError("sweeps report the headline metrics only ({}), not '{}'".format(
            ", ".join(r["name"] for r in _registry_headline()), metric))
    key = key or sweep_results["keys"][0]
    rk = m["result_key"]
    as_unavailability = metric in ("availability", "unavailability")
    points = [p for p in sweep_results["points"] if p.get(rk) is not None]
    unit = units.duration_unit([p[rk]["mean"] for p in points]) if m["unit"] == "hours" else None
    scale = unit.hours if unit else 1.0

    def value(p, which):
        e = p[rk]
        v = e["mean"] if which == "mean" else e["ci95"][0 if which == "lo" else 1]
        if metric == "availability":
            v = 1.0 - v
        return v / scale

    position, tick_labels = _x_axis(points, key) if points else (float, None)
    shown = []
    for n, (label, ps) in enumerate(_series({"keys": sweep_results["keys"], "points": points}, key)):
        x = [position(p["values"][key]) for p in ps]
        v = [value(p, "mean") for p in ps]
        lo_end, hi_end = ("hi", "lo") if metric == "availability" else ("lo", "hi")
        lo = [max(0.0, a - value(p, lo_end)) for a, p in zip(v, ps)]
        hi = [max(0.0, value(p, hi_end) - a) for a, p in zip(v, ps)]
        shown += v + [value(p, lo_end) for p in ps]
        color = plt.rcParams["axes.prop_cycle"].by_key()["color"][n % 10] if label else BLUE
        ax.errorbar(x, v, yerr=[lo, hi], color=color, marker="o", capsize=3,
                    label=(label + ", " if label else "") + "95% CI")
    if as_unavailability:
        _unavailability_axis(ax, shown)
    else:
        if _spans_decades(shown):
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(_PLAIN)
            ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_ylabel(m["label"] + (" ({})".format(unit.name) if unit else ""))
    if tick_labels is not None:
        ax.set_xticks([position(v) for v in tick_labels])
        ax.set_xticklabels(tick_labels)
    elif points and all(isinstance(p["values"][key], int) for p in points):
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # counts: no 2.5 servers
    ax.set_xlabel(key)
    label = "unavailability" if as_unavailability else m["label"]
    ax.set_title(title or "{} against {}".format(label[:1].upper() + label[1:], key))
    ax.legend(loc="best", fontsize=8)
    _tight_layout(fig)
    return fig


def _registry_headline():
    from . import metrics
    return [m for m in metrics() if m["headline"]]


def _place_labels(ax, fig, anchors, texts):
    """Annotates each anchor (data coordinates) with its text at the first of several offsets where the
    label stays inside the axes and overlaps no label placed before it. Returns False (and places
    nothing) when some label finds no such place."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed, made = [], []
    offsets = [(6, 6), (6, -14), (-6, 6), (-6, -14), (6, 18), (6, -26), (-6, 18), (-6, -26), (6, 30), (6, -38),
               (-6, 30), (-6, -38)]
    for (x, y), text in zip(anchors, texts):
        for dx, dy in offsets:
            a = ax.annotate(text, (x, y), textcoords="offset points", xytext=(dx, dy), fontsize=8,
                            ha="left" if dx > 0 else "right")
            box = a.get_window_extent(renderer)
            inside = box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(b) for b in placed):
                placed.append(box)
                made.append(a)
                break
            a.remove()
        else:
            for a in made:
                a.remove()
            return False
    return True


def cost_vs_availability(sweep_results, target=None, title="Cost against availability"):
    """Each design's expected cost per year against its unavailability (log axis, availability under
    each decade); designs meeting every expectation in green, the cheapest of them circled. Designs
    are labelled beside their points when the labels fit without overprinting, else numbered with a
    key beside the chart."""
    fig, ax = _figure()
    a = _metric("availability")["result_key"]
    pts = [p for p in sweep_results["points"] if p["cost_per_year"] is not None]
    anchors, texts, xs, ys = [], [], [], []
    best = sweep_results.get("cheapest_meeting_expectations")
    for p in pts:
        ok = p["expectations"] == "pass"
        u = max(1.0 - p[a]["mean"], 1e-15)
        cost = p["cost_per_year"]["mean"]
        ax.scatter(u, cost, color=GREEN if ok else GREY, zorder=3)
        label = ", ".join("{}={}".format(k, v) for k, v in p["values"].items())
        if best and label == best:
            ax.scatter(u, cost, s=200, facecolors="none", edgecolors=GREEN, label="cheapest meeting every expectation",
                       zorder=4)
        anchors.append((u, cost))
        texts.append(label)
        xs.append(u)
        ys.append(cost)
    if target is not None:
        ax.axvline(1.0 - target, color=RED, linestyle="--", label="target {:g} %".format(100 * target))
        xs.append(1.0 - target)
    ax.set_xscale("log")
    if xs:
        lo, hi = math.log10(min(xs)), math.log10(max(xs))
        ax.set_xlim(10 ** math.floor(lo - 0.3), 10 ** math.ceil(hi + 0.3))
    if ys:
        if _spans_decades(ys, 1.0):
            ax.set_yscale("log")
            ax.set_ylim(min(ys) / 1.5, max(ys) * 2.5)
            ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        else:
            span = (max(ys) - min(ys)) or max(abs(max(ys)), 1.0) * 0.05
            ax.set_ylim(min(ys) - 0.3 * span, max(ys) + 0.6 * span)
    ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, numticks=12))
    ax.xaxis.set_major_formatter(_nines_formatter(two_lines=True))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: "{:,.0f}".format(v)))
    ax.set_xlabel("unavailability (availability), log scale: better to the left")
    ax.set_ylabel("expected cost per year")
    ax.set_title(title)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(0.0, -0.3), ncol=2)
    fig.set_size_inches(7.0, 4.4)
    _tight_layout(fig)
    if anchors and not _place_labels(ax, fig, anchors, texts):
        # Crowded: number the designs and list them beside the chart.
        numbers = [str(i + 1) for i in range(len(anchors))]
        if not _place_labels(ax, fig, anchors, numbers):
            for (x, y), n in zip(anchors, numbers):
                ax.annotate(n, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7, alpha=0.6)
        fig.set_size_inches(10.5, 4.4)
        fig.subplots_adjust(right=0.62)
        fig.text(0.64, 0.88, "\n".join("{}  {}".format(n, t) for n, t in zip(numbers, texts)), va="top", fontsize=8,
                 family="monospace")
    return fig


# ---- Capacity planning: SLO windows against the swept count, the budget, the load

_PERCENT = matplotlib.ticker.FuncFormatter(lambda v, _p: "{:g} %".format(100 * v))


def _slo_of(entries, window):
    for o in entries or []:
        if o["window"] == window:
            return o
    return None


def slo_breach_curve(sweep_results, window="month", key=None, threshold=0.05, title=None):
    """P(a window breaches the SLO) with its 95% interval against a swept parameter (a count), one line
    per combination of the other swept parameters, and the line of the largest P(breach) allowed
    (`threshold`, 5 %: the SLO is met in 95 % of windows). A point meets it "with 95 % confidence" when
    its whole interval lies below the line. Log y axis when the values span decades; a point where no
    window breached (0 %, no place on a log axis) is drawn as a downward triangle at the upper end of
    its interval. The sweep's smallest point meeting every expectation (goal: smallest) is ringed."""
    fig, ax = _figure()
    key = key or sweep_results["keys"][0]
    points = [p for p in sweep_results["points"] if _slo_of(p.get("slo"), window) is not None]
    if not points:
        raise ValueError("no point of the sweep has an SLO window '{}'".format(window))
    position, tick_labels = _x_axis(points, key)
    shown = [threshold]
    for p in points:
        b = _slo_of(p["slo"], window)["breach"]
        shown += [v for v in (b["mean"], b["ci95"][0], b["ci95"][1]) if v is not None]
    log = _spans_decades(shown)
    for n, (label, ps) in enumerate(_series({"keys": sweep_results["keys"], "points": points}, key)):
        color = plt.rcParams["axes.prop_cycle"].by_key()["color"][n % 10] if label else BLUE
        seen = [p for p in ps if _slo_of(p["slo"], window)["breach"]["mean"] > 0 or not log]
        x = [position(p["values"][key]) for p in seen]
        v = [_slo_of(p["slo"], window)["breach"]["mean"] for p in seen]
        lo = [max(0.0, a - _slo_of(p["slo"], window)["breach"]["ci95"][0]) for a, p in zip(v, seen)]
        hi = [max(0.0, _slo_of(p["slo"], window)["breach"]["ci95"][1] - a) for a, p in zip(v, seen)]
        ax.errorbar(x, v, yerr=[lo, hi], color=color, marker="o", capsize=3,
                    label=(label + ", " if label else "") + "P(breach), 95% CI")
        none = [p for p in ps if p not in seen]
        if none:
            ax.plot([position(p["values"][key]) for p in none], [_slo_of(p["slo"], window)["breach"]["ci95"][1] for p in none],
                    linestyle="none", marker="v", color=color, label="no breach seen: upper end of the 95% CI")
    ax.axhline(threshold, color=RED, linestyle="--", linewidth=2,
               label="allowed: {} of {}s".format(_share_text(threshold), window))
    best = sweep_results.get("smallest_meeting_expectations")
    for p in points:
        label = ", ".join("{}={}".format(k, p["values"][k]) for k in sweep_results["keys"])
        if best is not None and label == best:
            b = _slo_of(p["slo"], window)["breach"]
            y = b["mean"] if (b["mean"] > 0 or not log) else b["ci95"][1]
            ax.plot([position(p["values"][key])], [y], linestyle="none", marker="o", markersize=14, markerfacecolor="none",
                    markeredgecolor=GREEN, markeredgewidth=2, label="smallest passing: {}".format(best))
    if log:
        ax.set_yscale("log")
        positive = [v for v in shown if v and v > 0]
        ax.set_ylim(10 ** math.floor(math.log10(min(positive))), min(1.0, 10 ** math.ceil(math.log10(max(positive)))))
        ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    else:
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_PERCENT)
    if tick_labels is not None:
        ax.set_xticks([position(v) for v in tick_labels])
        ax.set_xticklabels(tick_labels)
    elif all(isinstance(p["values"][key], int) for p in points):
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # counts: no 6.5 instances
    target = _slo_of(points[0]["slo"], window)["target"]
    ax.set_xlabel(key)
    ax.set_ylabel("P(a {} breaches {})".format(window, _share_text(target)) + (", log scale" if log else ""))
    ax.set_title(title or "P({} breaches the SLO) against {}".format(window, key))
    ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(0.0, -0.2), ncol=2)
    fig.set_size_inches(7.5, 4.4)
    _tight_layout(fig)
    return fig


def _window_samples(results, window):
    """(downtime of every window in replication order, the budget of each, windows per replication)."""
    if window not in results.slo_downtime_h:
        raise ValueError("the run has no SLO window '{}' (it has: {})".format(window, ", ".join(results.slo_downtime_h) or "none"))
    d = np.asarray(results.slo_downtime_h[window], dtype=float)
    budgets = np.asarray(results.slo_window_budget_h[window], dtype=float)
    per = len(budgets)
    if per == 0:
        raise ValueError("no '{}' window lies wholly inside the simulated time".format(window))
    if len(d) == 0:
        # Beyond 100,000 window downtimes a run keeps log histograms, not the values (README
        # "Percentiles from log histograms").
        raise ValueError("the run kept no '{}' window values (more than 100,000 windows: its percentiles come from "
                         "log histograms); run fewer replications for this chart".format(window))
    return d, np.tile(budgets, len(d) // per), per


def window_downtime_distribution(results, window="month", unit=None, title=None):
    """Histogram of the downtime of every SLO window of the run (log x axis), the windows without
    downtime counted apart, and the window's error budget as a line with the share of windows over
    their own budget (a calendar month's budget follows its length: 28 to 31 days)."""
    fig, ax = _figure()
    d, budgets, _ = _window_samples(results, window)
    positive = d[d > 0]
    budget_mid = float(np.median(budgets))
    unit = unit or units.duration_unit(list(positive) + [budget_mid])
    zero_share = float(np.mean(d <= 0))
    over = float(np.mean(d > budgets))
    if len(positive):
        shown = list(positive) + [budget_mid]
        lo_e = math.floor(math.log10(min(shown) / unit.hours) * 2) / 2
        hi_e = math.ceil(math.log10(max(shown) / unit.hours) * 2) / 2
        if hi_e <= lo_e:
            hi_e = lo_e + 0.5
        bins = np.logspace(lo_e, hi_e, int(round((hi_e - lo_e) * 8)) + 1)
        counts, _, _ = ax.hist(positive / unit.hours, bins=bins, color=BLUE, alpha=0.8,
                               label="{} windows with downtime ({} had none)".format(window, _share_text(zero_share)))
        ax.set_xscale("log")
        ax.set_xlim(bins[0], bins[-1])
        ax.set_ylim(0, max(counts.max(), 1) * 1.25)
        ax.xaxis.set_major_formatter(_PLAIN)
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    else:
        ax.text(0.5, 0.5, "no {} window had any downtime".format(window), transform=ax.transAxes, ha="center", color=GREY)
    lo_b, hi_b = float(budgets.min()), float(budgets.max())
    budget_text = _duration_label(lo_b) if abs(hi_b - lo_b) < 1e-9 else "{} .. {}".format(_duration_label(lo_b), _duration_label(hi_b))
    ax.axvline(budget_mid / unit.hours, color=RED, linestyle="--", linewidth=2,
               label="error budget {}: {} of windows exceed theirs".format(budget_text, _share_text(over)))
    ax.text(budget_mid / unit.hours, 0.97, " {} of {}s\n over budget".format(_share_text(over), window), color=RED,
            transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=9, fontweight="bold")
    ax.set_xlabel("downtime in the {} ({})".format(window, unit.name) + (", log scale" if len(positive) else ""))
    ax.set_ylabel("windows")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(title or "Downtime per {} against the error budget".format(window))
    ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(0.0, -0.22), ncol=1)
    _tight_layout(fig)
    return fig


def budget_burn_over_year(results, window="month", title=None):
    """The error budget burned so far in a calendar year, window by window: the year's downtime up to
    the end of each window over the sum of the year's window budgets (twelve monthly budgets), the
    median and the 5-95 % band over the simulated years (each whole year of each replication), with
    the even pace (a budget used evenly through the year) and 100 %. Calendar windows only: rolling
    windows overlap and have no budget to add up."""
    if window.startswith("rolling"):
        raise ValueError("rolling windows overlap: their budgets do not add up over a year; use month, quarter or Nd")
    fig, ax = _figure()
    d, budgets, per = _window_samples(results, window)
    ends = np.asarray(results.slo_window_end_h[window], dtype=float)
    year = np.floor((ends - 1e-9) / HOURS_PER_YEAR).astype(int)
    counts = {y: int(np.sum(year == y)) for y in set(year.tolist())}
    full = max(counts.values())
    years = sorted(y for y, c in counts.items() if c == full)  # whole calendar years only
    if not years:
        raise ValueError("no whole calendar year of {} windows in the simulated time".format(window))
    reps = len(d) // per
    d = d.reshape(reps, per)
    b = budgets.reshape(reps, per)
    curves = []
    for y in years:
        cols = np.where(year == y)[0]
        curves.append(np.cumsum(d[:, cols], axis=1) / b[0, cols].sum())
    curves = np.vstack(curves)  # one row per simulated year
    x_days = (ends[np.where(year == years[0])[0]] - years[0] * HOURS_PER_YEAR) / 24.0
    x = np.concatenate([[0.0], x_days])
    q = lambda p: np.concatenate([[0.0], np.percentile(curves, p, axis=0)])
    ax.fill_between(x, q(5), q(95), step="post" if False else None, color=BLUE, alpha=0.25,
                    label="5-95 % of years ({} simulated years)".format(curves.shape[0]))
    ax.plot(x, q(50), color=BLUE, marker="o", markersize=3, linewidth=2, label="median year")
    ax.plot([0, x[-1]], [0, 1], color=GREY, linestyle=":", label="even pace")
    ax.axhline(1.0, color=RED, linestyle="--", linewidth=2, label="the year's budget ({})".format(
        _duration_label(float(b[0, np.where(year == years[0])[0]].sum()))))
    over = float(np.mean(curves[:, -1] > 1.0))
    ax.text(x[-1], 1.0, "{} of years\nend over budget ".format(_share_text(over)), color=RED, ha="right", va="bottom",
            fontsize=9, fontweight="bold")
    ax.set_xlim(0, x[-1])
    ax.set_ylim(0, max(1.15, float(q(95)[-1]) * 1.1))
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_xlabel("day of the year (window ends)")
    ax.set_ylabel("error budget burned so far")
    ax.set_title(title or "Error-budget burn over a year ({} windows)".format(window))
    ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(0.0, -0.2), ncol=2)
    fig.set_size_inches(7.0, 4.2)
    _tight_layout(fig)
    return fig


def _time_by_hour_of_week(starts, ends):
    """Hours of [start, end) intervals falling into each hour of the week (t mod 168)."""
    acc = np.zeros(168)
    for a, b in zip(starts, ends):
        t = float(a)
        while t < b:
            h = math.floor(t)
            nxt = min(float(b), h + 1.0)
            acc[int(h) % 168] += nxt - t
            t = nxt
    return acc


def served_capacity_week(scenario, results, block=0, title=None):
    """Served capacity over a typical week (Monday 00:00 on, the virtual calendar of demand profiles)
    against the demand of capacity block `block` (an index into scenario.capacity_blocks or its
    name): the demand hour by hour, what all members carry, and the expected served demand counting,
    as the SLO does, an outage of the system as serving nothing: demand x (1 - P(down in that hour of
    the week)). P(down) is measured by the run itself from its outages (every cause: failures,
    maintenance, deploys, the rest of the system), over every week of every replication, and drawn on
    the right axis."""
    blocks = scenario.capacity_blocks
    if not blocks:
        raise ValueError("the scenario has no capacity block")
    b = next((x for x in blocks if x["name"] == block), None) if isinstance(block, str) else blocks[block]
    if b is None:
        raise ValueError("no capacity block named '{}'".format(block))
    settings = results.data["settings"]
    exposure = _time_by_hour_of_week([settings["warmup_h"]], [settings["horizon_h"]]) * settings["replications"]
    down = _time_by_hour_of_week(results.outage_start_h, results.outage_end_h)
    p_down = np.divide(down, exposure, out=np.zeros(168), where=exposure > 0)
    per_hour = list(b["demand_by_hour"])
    demand = np.array([per_hour[h % len(per_hour)] for h in range(168)], dtype=float)
    served = demand * (1.0 - p_down)
    total = float(sum(m["capacity"] for m in b["members"]))
    fig, ax = _figure()
    hours = np.arange(169)
    step = lambda v: np.concatenate([v, v[-1:]])
    ax.axhline(total, color=GREEN, linewidth=1.5, label="all {} members up ({:g})".format(len(b["members"]), total))
    ax.step(hours, step(demand), where="post", color="black", linewidth=1.5, label="demand")
    ax.step(hours, step(served), where="post", color=BLUE, linewidth=1.2, linestyle="--",
            label="expected served (an outage serves nothing)")
    ax.set_xlim(0, 168)
    ax.set_ylim(0, total * 1.1)
    ax.set_xticks(np.arange(0, 169, 24))
    ax.set_xticklabels(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", ""])
    ax.set_xlabel("hour of the week (virtual calendar: Monday 00:00 at t = 0)")
    ax.set_ylabel("capacity (the demand's unit)")
    right = ax.twinx()
    right.bar(np.arange(168) + 0.5, p_down, width=1.0, color=RED, alpha=0.5, label="P(down) in that hour (right axis)")
    right.set_ylim(0, max(float(p_down.max()), 1e-9) * 3)  # bars in the lower third, under the curves
    right.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: "{:.2g} %".format(100 * v)))
    right.set_ylabel("P(system down)", color=RED)
    right.grid(False)
    ax.set_title(title or "Served capacity over a typical week" + (" ({})".format(b["name"]) if b["name"] else ""))
    handles = ax.get_legend_handles_labels()
    extra = right.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left", fontsize=8, bbox_to_anchor=(0.0, -0.2), ncol=2)
    fig.set_size_inches(7.0, 4.2)
    _tight_layout(fig)
    return fig


# zlib level 3 instead of Pillow's 6: the same pixels, the file about 5 % larger, the PNG written in
# about 15 % less time (scripts/bench_report.py; README "How long `nines report` takes").
PNG_COMPRESS_LEVEL = 3


def save(fig, stem):
    """Writes stem.svg and stem.png (at savefig.dpi, 150); returns both paths."""
    svg, png = str(stem) + ".svg", str(stem) + ".png"
    fig.savefig(svg)
    fig.savefig(png, dpi=STYLE["savefig.dpi"], pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return svg, png
