"""A self-contained report of one scenario: report.html (charts embedded, opens offline) and report.md
(charts as files beside it). `nines report SCENARIO -o DIR` runs this module; notebooks can call
build_report() directly.

    python3 -m nines.reporting scenarios/web_two_zones.yaml -o out/
"""
import argparse
import base64
import html
import os
import sys
import threading

from . import InputError, UnsupportedError, Error, Scenario, analyze, run
from . import units

# nines.charts (matplotlib) is imported by build_report while the simulation runs: the run releases the
# GIL, and importing matplotlib is the largest fixed cost of a report (scripts/bench_report.py).


class _Progress:
    """Steps of the report on stderr when stderr is a terminal ("nines report: [2/8] analysing"), one
    line rewritten in place; silent otherwise (logs and pipes get no progress noise)."""

    def __init__(self, total, enabled=None):
        self.total, self.step = total, 0
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def __call__(self, what):
        self.step += 1
        if self.enabled:
            sys.stderr.write("\r\033[Knines report: [{}/{}] {}".format(self.step, self.total, what))
            sys.stderr.flush()

    def done(self):
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _pct(x, digits=4):
    return "n/a" if x is None else "{:.{}f} %".format(100.0 * x, digits)


def _hours(h, unit=None):
    """A duration in a unit people read (nines.units), or in `unit` to match the rest of the report."""
    return "n/a" if h is None else units.format_duration(h, unit)


def _ci_duration(est, unit=None):
    ci = est.get("ci95")
    if not ci or ci[0] is None or ci[1] is None:
        return "n/a"
    if unit is not None and ci[1] < 0.1 * unit.hours:
        unit = None
    return units.format_interval(ci[0], ci[1], unit)


def _ci_number(est, sig=3):
    ci = est.get("ci95")
    if not ci or ci[0] is None or ci[1] is None:
        return "n/a"
    return units.format_number_interval(ci[0], ci[1])


def _ci_pct(est):
    ci = est.get("ci95")
    if not ci or ci[0] is None or ci[1] is None:
        return "n/a"
    return units.format_percent_interval(ci[0], ci[1])


def _pct_matching(mean, est):
    """The mean as a percentage with the digits its interval is printed with."""
    ci = est.get("ci95")
    if mean is None:
        return "n/a"
    if not ci or ci[0] is None:
        return _pct(mean, 4)
    return "{:.{}f} %".format(100 * mean, units.percent_decimals(ci[0], ci[1]))


def _num_matching(mean, est):
    ci = est.get("ci95")
    if mean is None:
        return "n/a"
    if not ci or ci[0] is None:
        return "{:.4g}".format(mean)
    return "{:.{}f}".format(mean, units.interval_decimals(ci[0], ci[1]))


def _dur_matching(mean, est, unit=None):
    ci = est.get("ci95")
    if mean is None:
        return "n/a"
    if not ci or ci[0] is None:
        return _hours(mean, unit)
    if unit is None or ci[1] < 0.1 * unit.hours:  # far below the report's unit: its own
        unit = units.unit_for(ci[1])
    return "{:.{}f} {}".format(mean / unit.hours, units.interval_decimals(ci[0], ci[1], unit.hours), unit.symbol)


def report_units(r, budget_h=None):
    """The units of a report: one for downtime per year (table, histogram and budget), one for outage
    lengths (table and outage chart), each chosen by magnitude once for the whole report."""
    res = r.data["results"]
    dt = res["downtime_per_year_h"]
    years = [v for v in r.year_downtime_samples_h if v > 0]  # the bad years a reader looks at
    yearly = years if years else [dt.get("mean"), dt.get("p99")]
    outage = res["outage_h"]
    return {"downtime": units.duration_unit([v for v in yearly if v] + ([budget_h] if budget_h else []), quantile=0.5),
            "outage": units.duration_unit([outage.get("mean"), outage.get("p50"), outage.get("p95")], quantile=0.5)}


def results_rows(r, unit=None):
    """(metric, value, 95% CI) rows of the main results; intervals printed with the digits that make
    their ends differ."""
    res = r.data["results"]
    unit = unit or report_units(r)
    du, ou = unit["downtime"], unit["outage"]
    dt = res["downtime_per_year_h"]
    rows = [
        ("availability", _pct_matching(res["availability"]["mean"], res["availability"]), _ci_pct(res["availability"])),
        ("unavailability", "{:.3g}".format(res["unavailability"]["mean"]), _ci_number(res["unavailability"])),
        ("nines", _num_matching(res["nines"]["mean"], res["nines"]), _ci_number(res["nines"])),
        ("downtime per year", _dur_matching(dt["mean"], dt, du), _ci_duration(dt, du)),
        ("downtime per year p50 / p95 / p99", "{} / {} / {}".format(_hours(dt["p50"], du), _hours(dt["p95"], du),
                                                                   _hours(dt["p99"], du)), ""),
        ("system failures per year", _num_matching(res["system_failures_per_year"]["mean"], res["system_failures_per_year"]),
         _ci_number(res["system_failures_per_year"])),
        ("MTBF", _dur_matching(res["mtbf_h"]["mean"], res["mtbf_h"]), _ci_duration(res["mtbf_h"])),
        ("mean outage", _dur_matching(res["outage_h"]["mean"], res["outage_h"], ou), _ci_duration(res["outage_h"], ou)),
    ]
    if res.get("budget_exceeded"):
        b = res["budget_exceeded"]
        rows.append(("P(year > budget {})".format(_hours(b["budget_h"], du)), _pct_matching(b["mean"], b), _ci_pct(b)))
    mttf = res["mttf_h"]
    rows.append(("MTTF (first failure)", ("at least " if mttf["is_lower_bound"] else "") + _hours(
        mttf["lower_bound95_h"] if mttf["is_lower_bound"] and mttf.get("lower_bound95_h") else mttf["mean"]),
                 _ci_duration(mttf) if not mttf["is_lower_bound"] else "censored: {} of {} never failed".format(
                     mttf["censored_replications"], r.settings["replications"])))
    by_cause = res.get("outages_by_cause") or {}
    planned = by_cause.get("planned") or {}
    if planned.get("count"):
        for cause in ("unplanned", "planned"):
            c = by_cause[cause]
            rows.append(("downtime per year, {} ({:,} outages)".format(cause, c["count"]),
                         _dur_matching(c["downtime_per_year_h"]["mean"], c["downtime_per_year_h"], du),
                         _ci_duration(c["downtime_per_year_h"], du)))
    return rows


def cost_rows(r):
    """(item, value) rows of the expected cost per year, when the scenario prices anything."""
    cost = r.data.get("cost_per_year")
    if not cost:
        return []
    return [("expected cost per year", "{:,.0f}".format(cost["mean"]),
             _ci_number(cost) if cost.get("ci95") else ""),
            ("  ownership", "{:,.0f}".format(cost["ownership"]), "")] + operations_rows(cost) + [
            ("  downtime", "{:,.0f}".format(cost["downtime"]), "")]


def operations_rows(cost):
    """The operations part of a cost (crews, spare parts held, response contracts), when priced."""
    ops = cost.get("operations")
    if not ops:
        return []
    names = (("crews", "crews"), ("spares", "spare parts held"), ("logistics", "response contracts"))
    return [("  operations", "{:,.0f}".format(ops["total"]), "")] + [
        ("    " + label, "{:,.0f}".format(ops[key]), "") for key, label in names if ops[key] > 0]


def component_rows(r):
    """Per component, ranked by its share of the system downtime: name, instances, failures/y,
    downtime/y, share of downtime, outages it took part in (count and share), mean wait for a crew,
    stock-outs per year and mean wait for a part."""
    years = r.settings["replications"] * (r.settings["horizon_h"] - r.settings["warmup_h"]) / units.HOURS_PER_YEAR
    rows = []
    for c in sorted(r.components, key=lambda c: -c.get("downtime_share", 0.0)):
        rows.append((c["name"], str(c["instances"]), "{:.3g}".format(c["failures_per_year"]), _hours(c["downtime_h_per_year"]),
                     _pct(c.get("downtime_share", 0.0), 1), "{:,} ({})".format(c["outages_involved"], _pct(c["outage_share"], 1)),
                     _hours(c["mean_wait_for_crew_h"]) if c["repairs_started"] else "-",
                     "{:.3g}".format(c["stockouts"] / years) if c["stockouts"] else "-",
                     _hours(c["mean_wait_for_spare_h"]) if c["stockouts"] else "-"))
    return rows


COMPONENT_HEADER = ("component", "instances", "failures / year", "downtime / year", "share of system downtime",
                    "outages taken part in", "mean wait for crew", "stock-outs / year", "mean wait for a part")


def cause_rows(r, unit=None):
    """Downtime by cause (README "Downtime by cause"): each kind with downtime, then its components,
    domains or change streams (indented), as the text output shows them: cause, downtime/y, 95% CI,
    outages/y, share of downtime. Causes with no downtime are left out, as in the text."""
    rows = []
    for c in r.data.get("downtime_by_cause") or []:
        dt = c["downtime_per_year_h"]
        if not dt["mean"]:
            continue
        label = c["kind"] if c.get("name") is None else "  " + c["name"]
        rows.append((label, _dur_matching(dt["mean"], dt, unit), _ci_duration(dt, unit),
                     "{:.3g}".format(c["outages_per_year"]["mean"]), _pct(c.get("downtime_share", 0.0), 1)))
    return rows


CAUSE_HEADER = ("cause", "downtime / year", "95% CI", "outages / year", "share of downtime")


def pool_rows(r):
    return [(p["name"], str(p["crews"]), _pct(p["utilisation"], 1)) for p in r.data.get("repair_pools") or []]


def extra_sections(r):
    """Sections of the run JSON a report does not lay out by name (failovers, standby starts, SLO
    windows and whatever later versions add): (title, [(key, value)]) with values flattened."""
    known = {"format", "format_version", "nines_version", "scenario", "settings", "results", "time_series", "components",
             "repair_pools", "events", "notes", "crosscheck", "method", "method_reason", "rare_event", "expectations",
             "timing", "cost_per_year", "precision", "downtime_by_cause"}
    out = []
    for key, value in r.data.items():
        if key in known or value in (None, [], {}):
            continue
        out.append((key.replace("_", " "), _flatten(value)))
    return out


def _flatten(value, prefix=""):
    rows = []
    if isinstance(value, dict):
        for k, v in value.items():
            rows += _flatten(v, "{}{}".format(prefix + "." if prefix else "", k))
    elif isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        for i, v in enumerate(value):
            name = v.get("name") or v.get("window") if isinstance(v, dict) else None
            rows += _flatten(v, "{}[{}]".format(prefix, name if name is not None else i))
    elif isinstance(value, list):
        rows.append((prefix, ", ".join(_scalar(v) for v in value[:12]) + (" ..." if len(value) > 12 else "")))
    else:
        rows.append((prefix, _scalar(value)))
    return rows


def _scalar(v):
    if isinstance(v, float):
        return "{:.4g}".format(v)
    return str(v)


def _import_charts():
    try:
        from . import charts  # noqa: F401
    except Exception:  # noqa: BLE001 (build_report imports it again and then sees the error)
        pass


def build_report(scenario_path, out_dir, replications=None, seed=None, threads=None, horizon=None, progress=None):
    """Runs the scenario and writes DIR/report.html, DIR/report.md and DIR/charts/*.svg|png.
    Returns a dict with the paths and the results. `progress`: show steps on stderr (default: when
    stderr is a terminal)."""
    step = _Progress(4 + 5, progress)
    scenario = Scenario.from_file(str(scenario_path))
    step("simulating")
    # Importing matplotlib (nines.charts) is the largest fixed cost of a report: it runs in a thread
    # while this one simulates and analyses (in C++, without the GIL). The simulation stays in this
    # thread, so Ctrl-C stops it as before.
    importer = threading.Thread(target=_import_charts, name="nines-report-import", daemon=True)
    importer.start()
    results = run(scenario, replications=replications, seed=seed, threads=threads, horizon=horizon)
    step("analysing")
    try:
        analysis = analyze(scenario)
    except UnsupportedError as e:
        analysis = None
        analysis_note = str(e)
    else:
        analysis_note = ""
    importer.join()
    from . import charts  # already imported by the thread (or imported here if it failed there)
    os.makedirs(os.path.join(out_dir, "charts"), exist_ok=True)

    unit = report_units(results, scenario.budget_h)
    steady = analysis["availability"] if analysis else None
    makers = [
        ("availability", "Unavailability over time (log scale; running mean, each time step, analytic steady state)",
         lambda: charts.availability_over_time(results, analytic=steady)),
        ("downtime", "Downtime per simulated year, budget and the share of years over it",
         lambda: charts.downtime_distribution(results, budget_h=scenario.budget_h, unit=unit["downtime"])),
        ("outages", "Outage durations (survival) with p50, p95, p99",
         lambda: charts.outage_durations(results, unit=unit["outage"])),
        ("components", "Components ranked by their share of system downtime",
         lambda: charts.component_contributions(results)),
    ]
    if analysis:
        makers.append(("importance", "Importance of every instance (criticality)", lambda: charts.importance(analysis)))
    chart_files = []
    for stem, title, make in makers:
        step("chart: " + stem)
        fig = make()
        svg, png = charts.save(fig, os.path.join(out_dir, "charts", stem))
        chart_files.append((stem, title, svg, png))
        charts.plt.close(fig)
    step("writing the report")

    title = scenario.name or os.path.basename(str(scenario_path))
    rows = results_rows(results, unit)
    cc = results.crosscheck
    if cc["verdict"] == "not applicable":
        cross = "not applicable: " + cc.get("reason", "")
    else:
        cross = "analytic {} ({}): {}, z = {:+.2f}".format(_pct(cc["analytic_availability"], 6), cc["quantity"],
                                                          cc["verdict"], cc["z"])
    settings = results.settings
    run_line = "{:,} replications x {} horizon, seed {}".format(settings["replications"], _hours(settings["horizon_h"]), settings["seed"])
    costs = cost_rows(results)
    comps = component_rows(results)
    causes = cause_rows(results, unit["downtime"])
    pools = pool_rows(results)
    extras = extra_sections(results)
    expectations = results.expectations or []
    open_questions = [e for e in expectations if e["outcome"] not in ("pass", "fail", "not applicable")]

    # ---- Markdown
    def md_table(header, body):
        return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + \
               ["| " + " | ".join(str(c) for c in row) + " |" for row in body] + [""]

    md = ["# " + title, "", "Scenario: `{}`  ".format(scenario_path), run_line, "", "## Results", ""]
    md += md_table(("metric", "value", "95% CI"), rows)
    md += ["Cross-check: " + cross, ""]
    for note in results.data.get("notes") or []:
        md += ["Note: " + note, ""]
    if costs:
        md += ["## Cost", ""] + md_table(("item", "per year", "95% CI"), costs)
    if expectations:
        md += ["## Expectations", ""]
        if open_questions:
            md += ["{} of {} expectations are not decided by this run ({}).".format(
                len(open_questions), len(expectations), ", ".join(sorted({e["outcome"] for e in open_questions}))), ""]
        md += md_table(("expectation", "outcome", "detail"),
                       [("`{}`".format(e["expectation"]), e["outcome"], e["message"]) for e in expectations])
    if causes:
        md += ["## Downtime by cause", "", "Each outage is charged, whole, to the event that brought the system down "
               "(a component's failure, maintenance, a change, a domain's outage, or failover switching).", ""]
        md += md_table(CAUSE_HEADER, causes)
    md += ["## Components", "", "Ranked by the share of system downtime during which the component was down "
           "(when several are down together each counts, so shares can add up to more than 100 %).", ""]
    md += md_table(COMPONENT_HEADER, comps)
    if pools:
        md += ["## Repair crews", ""] + md_table(("pool", "crews", "utilisation"), pools)
    for name, kv in extras:
        md += ["## " + name[:1].upper() + name[1:], ""] + md_table(("item", "value"), kv)
    md += ["## Charts", ""]
    md += ["![{}](charts/{}.png)".format(t, stem) for stem, t, _, _ in chart_files]
    md += ["", "## What was modelled", "", "```yaml", scenario.text.rstrip(), "```", ""]
    if analysis_note:
        md += ["Analytic module: " + analysis_note, ""]
    md_path = os.path.join(out_dir, "report.md")
    with open(md_path, "w") as f:
        f.write("\n".join(md))

    # ---- HTML, self-contained: charts inlined as data URIs.
    def img(svg_path, alt):
        with open(svg_path, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
        return '<figure><img alt="{}" src="data:image/svg+xml;base64,{}"><figcaption>{}</figcaption></figure>'.format(
            html.escape(alt), data, html.escape(alt))

    esc = html.escape

    def html_table(ident, header, body, classes=None):
        out = ['<table id="{}"><tr>{}</tr>'.format(ident, "".join("<th>{}</th>".format(esc(h)) for h in header))]
        for i, row in enumerate(body):
            cells = []
            for j, c in enumerate(row):
                cls = classes(i, j) if classes else None
                cells.append('<td class="{}">{}</td>'.format(cls, esc(str(c))) if cls else "<td>{}</td>".format(esc(str(c))))
            out.append("<tr>{}</tr>".format("".join(cells)))
        out.append("</table>")
        return out

    h = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         # An empty icon: without it the browser asks for /favicon.ico, a console error in a file:// page.
         '<link rel="icon" href="data:,">',
         "<title>{}</title>".format(esc(title)),
         "<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
         "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}"
         "th{background:#f4f6f8}figure{margin:1.5em 0}img{max-width:100%}pre{background:#f4f6f8;padding:1em;overflow:auto}"
         ".pass{color:#2e7d32}.fail{color:#b3261e}.inconclusive{color:#d9822b}</style></head><body>",
         "<h1>{}</h1>".format(esc(title)),
         "<p>Scenario <code>{}</code>. {}.</p>".format(esc(str(scenario_path)), esc(run_line)),
         "<h2>Results</h2>"]
    h += html_table("results", ("metric", "value", "95% CI"), rows)
    h.append('<p id="crosscheck">Cross-check: {}</p>'.format(esc(cross)))
    for note in results.data.get("notes") or []:
        h.append("<p>Note: {}</p>".format(esc(note)))
    if costs:
        h.append("<h2>Cost</h2>")
        h += html_table("cost", ("item", "per year", "95% CI"), costs)
    if expectations:
        h.append("<h2>Expectations</h2>")
        if open_questions:
            h.append('<p class="inconclusive">{} of {} expectations are not decided by this run ({}).</p>'.format(
                len(open_questions), len(expectations), esc(", ".join(sorted({e["outcome"] for e in open_questions})))))
        h.append('<table id="expectations"><tr><th>expectation</th><th>outcome</th><th>detail</th></tr>')
        h += ['<tr><td><code>{}</code></td><td class="{}">{}</td><td>{}</td></tr>'.format(
            esc(e["expectation"]), esc(e["outcome"]), esc(e["outcome"]), esc(e["message"])) for e in expectations]
        h.append("</table>")
    if causes:
        h.append("<h2>Downtime by cause</h2><p>Each outage is charged, whole, to the event that brought the system down "
                 "(a component's failure, maintenance, a change, a domain's outage, or failover switching).</p>")
        h += html_table("causes", CAUSE_HEADER, causes)
    h.append("<h2>Components</h2><p>Ranked by the share of system downtime during which the component was down "
             "(when several are down together each counts, so shares can add up to more than 100 %).</p>")
    h += html_table("components", COMPONENT_HEADER, comps)
    if pools:
        h.append("<h2>Repair crews</h2>")
        h += html_table("pools", ("pool", "crews", "utilisation"), pools)
    for name, kv in extras:
        h.append("<h2>{}</h2>".format(esc(name[:1].upper() + name[1:])))
        h += html_table(name.replace(" ", "-"), ("item", "value"), kv)
    h.append("<h2>Charts</h2>")
    h += [img(svg, t) for _, t, svg, _ in chart_files]
    h.append("<h2>What was modelled</h2><pre>{}</pre>".format(esc(scenario.text)))
    if analysis_note:
        h.append("<p>Analytic module: {}</p>".format(esc(analysis_note)))
    # Reports every chart that failed to decode on the console, so a headless browser test can catch it.
    h.append("<script>window.addEventListener('load',function(){var bad=0;document.querySelectorAll('img').forEach("
             "function(i){if(!i.complete||i.naturalWidth===0){bad++;console.error('nines report: chart failed to load: '+i.alt);}});"
             "console.log('nines report: '+document.querySelectorAll('img').length+' charts, '+bad+' failed');});</script>")
    h.append("<p><small>nines {}</small></p></body></html>".format(esc(results.data["nines_version"])))
    html_path = os.path.join(out_dir, "report.html")
    with open(html_path, "w") as f:
        f.write("\n".join(h))
    step.done()
    return {"html": html_path, "markdown": md_path, "charts": [png for _, _, _, png in chart_files], "results": results}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nines report", description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--replications", type=int)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--horizon")
    args = parser.parse_args(argv)
    try:
        out = build_report(args.scenario, args.output, args.replications, args.seed, args.threads, args.horizon)
    except InputError as e:
        print(e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nines: interrupted", file=sys.stderr)
        return 130
    except UnsupportedError as e:
        print("nines: cannot analyse: {}".format(e), file=sys.stderr)
        return 2
    except (Error, OSError) as e:
        print("nines: error: {}".format(e), file=sys.stderr)
        return 3
    print(out["html"])
    print(out["markdown"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
