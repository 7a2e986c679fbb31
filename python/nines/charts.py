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

from . import metric as _metric  # noqa: E402  (the metric registry: keys and labels)

HOURS_PER_YEAR = 8760.0
BLUE, ORANGE, GREY, RED, GREEN = "#1f5fa8", "#d9822b", "#8a8f98", "#b3261e", "#2e7d32"

STYLE = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 200,
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


def _time_axis(t_h):
    """Chooses a readable unit for a time axis: (scale divisor, label)."""
    span = float(np.max(t_h)) if len(t_h) else 1.0
    if span >= 2 * HOURS_PER_YEAR:
        return HOURS_PER_YEAR, "time (years)"
    if span >= 48 * 7:
        return 24.0, "time (days)"
    return 1.0, "time (hours)"


def _duration_label(h):
    """A duration for legends: "45 s", "30 min", "2.5 h", "3.2 d"."""
    if h < 1 / 60:
        return "{:.0f} s".format(h * 3600)
    if h < 1:
        return "{:.0f} min".format(h * 60)
    if h < 48:
        return "{:.3g} h".format(h)
    return "{:.3g} d".format(h / 24)


def _duration_axis(values_h):
    top = float(np.max(values_h)) if len(values_h) else 1.0
    if top >= 48:
        return 24.0, "days"
    if top >= 2:
        return 1.0, "hours"
    return 1.0 / 60.0, "minutes"


def availability_over_time(results, analytic=None, title="Availability over time"):
    """Availability over each step of the time grid (the fraction of the step the system was up, mean
    over replications) with its 95% band, and the analytic steady state when given. A(t) at single
    instants (results.point_availability) is 0 or 1 per replication and far noisier for good systems."""
    fig, ax = _figure()
    scale, xlabel = _time_axis(results.cell_start_h)
    t = results.cell_start_h / scale
    ax.fill_between(t, results.cell_availability_lo, results.cell_availability_hi, step="post", color=BLUE, alpha=0.2,
                    label="95% confidence band", linewidth=0)
    ax.step(t, results.cell_availability, where="post", color=BLUE, label="simulated, per time step")
    if analytic is not None:
        ax.axhline(analytic, color=ORANGE, linestyle="--", label="analytic steady state")
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(_metric("availability")["label"])
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def downtime_distribution(results, budget_h=None, title="Downtime per simulated year"):
    """Histogram of the downtime of each simulated year, with the budget line and P(year > budget)."""
    fig, ax = _figure()
    values = results.year_downtime_samples_h
    scale, unit = _duration_axis(values)
    if len(values):
        bins = min(60, max(10, int(math.sqrt(len(values)))))
        ax.hist(values / scale, bins=bins, color=BLUE, alpha=0.8, label="simulated years")
    if budget_h is not None:
        over = float(np.mean(values > budget_h)) if len(values) else float("nan")
        ax.axvline(budget_h / scale, color=RED, linestyle="--",
                   label="budget {}: P(year over) = {:.2%}".format(_duration_label(budget_h), over))
    ax.set_xlabel("downtime in the year ({})".format(unit))
    ax.set_ylabel("years")
    ax.set_yscale("symlog", linthresh=1)
    ax.set_title(title)
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def outage_durations(results, title="Outage durations"):
    """Empirical distribution (survival) of outage durations, with the p50/p95/p99 marks."""
    fig, ax = _figure()
    values = np.sort(results.outage_durations_h)
    scale, unit = _duration_axis(values)
    if len(values):
        survival = 1.0 - np.arange(len(values)) / len(values)
        ax.step(values / scale, survival, where="post", color=BLUE, label="{} outages".format(len(values)))
        for p, style in ((0.5, ":"), (0.95, "--"), (0.99, "-.")):
            q = float(np.quantile(values, p))
            ax.axvline(q / scale, color=GREY, linestyle=style, label="p{:g}: {:.3g} {}".format(p * 100, q / scale, unit))
        ax.set_yscale("log")
    ax.set_xlabel("outage duration ({})".format(unit))
    ax.set_ylabel("P(outage longer)")
    ax.set_title(title)
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def component_contributions(results, title="Share of system outages each component took part in"):
    """Horizontal bars: per component, the share of system outages during which it was down."""
    fig, ax = _figure()
    share = _metric("component.outage_share")["json_path"].rsplit("/", 1)[1]  # its key in each component
    comps = sorted(results.components, key=lambda c: c[share])
    names = ["{} (x{})".format(c["name"], c["instances"]) if c["instances"] > 1 else c["name"] for c in comps]
    shares = [c[share] for c in comps]
    ax.barh(names, shares, color=BLUE)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of system outages")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def importance(analysis, measure="criticality", top=10, title=None):
    """Horizontal bars of an importance measure from nines.analyze(), most important at the top."""
    fig, ax = _figure()
    rows = sorted(analysis["importance"], key=lambda r: r[measure] or 0.0, reverse=True)[:top][::-1]
    ax.barh([r["instance"] for r in rows], [r[measure] or 0.0 for r in rows], color=ORANGE)
    ax.set_xlabel(measure.replace("_", "-"))
    ax.set_title(title or "Importance: {} (top {})".format(measure, min(top, len(analysis["importance"]))))
    fig.tight_layout()
    return fig


def sweep_curve(sweep_results, key=None, metric="availability", title=None):
    """A headline metric (see nines.metrics(): availability, unavailability, downtime_per_year,
    failures_per_year, mtbf, mean_outage) with its 95% interval against a swept parameter. Points where
    the run could not measure it (no outage, say) are left out."""
    fig, ax = _figure()
    m = _metric(metric)
    if not m["headline"]:
        raise ValueError("sweeps report the headline metrics only ({}), not '{}'".format(
            ", ".join(r["name"] for r in _registry_headline()), metric))
    key = key or sweep_results["keys"][0]
    points = [p for p in sweep_results["points"] if p.get(m["result_key"]) is not None]
    scale, unit = _duration_axis([p[m["result_key"]]["mean"] for p in points]) if m["unit"] == "hours" else (1.0, None)
    x = [float(p["values"][key]) for p in points]
    v = [p[m["result_key"]]["mean"] / scale for p in points]
    lo = [(p[m["result_key"]]["mean"] - p[m["result_key"]]["ci95"][0]) / scale for p in points]
    hi = [(p[m["result_key"]]["ci95"][1] - p[m["result_key"]]["mean"]) / scale for p in points]
    ax.errorbar(x, v, yerr=[lo, hi], color=BLUE, marker="o", capsize=3, label="{}, 95% CI".format(m["label"]))
    ax.set_xlabel(key)
    ax.set_ylabel(m["label"] + (" ({})".format(unit) if unit else ""))
    ax.set_title(title or "{} against {}".format(m["label"][:1].upper() + m["label"][1:], key))
    ax.legend(loc="best")
    fig.tight_layout()
    return fig


def _registry_headline():
    from . import metrics
    return [m for m in metrics() if m["headline"]]


def cost_vs_availability(sweep_results, target=None, title="Cost against availability"):
    """Each design's expected cost per year against its availability; designs meeting every
    expectation in green, the cheapest of them circled."""
    fig, ax = _figure()
    a = _metric("availability")["result_key"]
    for p in sweep_results["points"]:
        if p["cost_per_year"] is None:
            continue
        ok = p["expectations"] == "pass"
        ax.scatter(p[a]["mean"], p["cost_per_year"]["mean"], color=GREEN if ok else GREY, zorder=3)
        ax.annotate(", ".join("{}={}".format(k, v) for k, v in p["values"].items()),
                    (p[a]["mean"], p["cost_per_year"]["mean"]), textcoords="offset points", xytext=(4, 4),
                    fontsize=8)
    best = sweep_results.get("cheapest_meeting_expectations")
    for p in sweep_results["points"]:
        label = ", ".join("{}={}".format(k, v) for k, v in p["values"].items())
        if best and label == best and p["cost_per_year"] is not None:
            ax.scatter(p[a]["mean"], p["cost_per_year"]["mean"], s=200, facecolors="none", edgecolors=GREEN,
                       label="cheapest meeting every expectation", zorder=4)
    if target is not None:
        ax.axvline(target, color=RED, linestyle="--", label="target")
    ax.set_xlabel(_metric("availability")["label"])
    ax.set_ylabel("expected cost per year")
    ax.set_title(title)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def save(fig, stem):
    """Writes stem.svg and stem.png; returns both paths."""
    svg, png = str(stem) + ".svg", str(stem) + ".png"
    fig.savefig(svg)
    fig.savefig(png)
    return svg, png
