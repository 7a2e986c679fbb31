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

from . import InputError, UnsupportedError, Error, Scenario, analyze, run
from . import charts


def _pct(x, digits=4):
    return "n/a" if x is None else "{:.{}f} %".format(100.0 * x, digits)


def _hours(h):
    if h is None:
        return "n/a"
    if h < 1 / 60:
        return "{:.1f} s".format(h * 3600)
    if h < 1:
        return "{:.1f} min".format(h * 60)
    if h < 48:
        return "{:.2f} h".format(h)
    if h < 8760 / 2:
        return "{:.1f} d".format(h / 24)
    return "{:.2f} y".format(h / 8760)


def _ci(est, fmt):
    ci = est.get("ci95")
    return "{} .. {}".format(fmt(ci[0]), fmt(ci[1])) if ci else "n/a"


def results_rows(r):
    """(metric, value, 95% CI) rows of the main results."""
    res = r.data["results"]
    dt = res["downtime_per_year_h"]
    rows = [
        ("availability", _pct(res["availability"]["mean"], 5), _ci(res["availability"], lambda v: _pct(v, 5))),
        ("unavailability", "{:.3g}".format(res["unavailability"]["mean"]), _ci(res["unavailability"], "{:.3g}".format)),
        ("nines", "{:.2f}".format(res["nines"]["mean"]) if res["nines"]["mean"] is not None else "n/a",
         _ci(res["nines"], lambda v: "n/a" if v is None else "{:.2f}".format(v))),
        ("downtime per year", _hours(dt["mean"]), _ci(dt, _hours)),
        ("downtime per year p50 / p95 / p99", "{} / {} / {}".format(_hours(dt["p50"]), _hours(dt["p95"]), _hours(dt["p99"])), ""),
        ("system failures per year", "{:.4g}".format(res["system_failures_per_year"]["mean"]),
         _ci(res["system_failures_per_year"], "{:.4g}".format)),
        ("MTBF", _hours(res["mtbf_h"]["mean"]), _ci(res["mtbf_h"], _hours)),
        ("mean outage", _hours(res["outage_h"]["mean"]), _ci(res["outage_h"], _hours)),
    ]
    if res.get("budget_exceeded"):
        b = res["budget_exceeded"]
        rows.append(("P(year > budget {})".format(_hours(b["budget_h"])), _pct(b["mean"], 2), _ci(b, lambda v: _pct(v, 2))))
    mttf = res["mttf_h"]
    rows.append(("MTTF (first failure)", ("at least " if mttf["is_lower_bound"] else "") + _hours(mttf["mean"]),
                 _ci(mttf, _hours) if not mttf["is_lower_bound"] else "censored: {} of {} never failed".format(
                     mttf["censored_replications"], r.settings["replications"])))
    return rows


def build_report(scenario_path, out_dir, replications=None, seed=None, threads=None, horizon=None):
    """Runs the scenario and writes DIR/report.html, DIR/report.md and DIR/charts/*.svg|png.
    Returns a dict with the paths and the results."""
    scenario = Scenario.from_file(str(scenario_path))
    results = run(scenario, replications=replications, seed=seed, threads=threads, horizon=horizon)
    try:
        analysis = analyze(scenario)
    except UnsupportedError as e:
        analysis = None
        analysis_note = str(e)
    else:
        analysis_note = ""
    os.makedirs(os.path.join(out_dir, "charts"), exist_ok=True)

    steady = analysis["availability"] if analysis else None
    figures = [
        ("availability", "Point availability A(t)", charts.availability_over_time(results, analytic=steady)),
        ("downtime", "Downtime per simulated year", charts.downtime_distribution(results, budget_h=scenario.budget_h)),
        ("outages", "Outage durations", charts.outage_durations(results)),
        ("components", "Component contributions", charts.component_contributions(results)),
    ]
    if analysis:
        figures.append(("importance", "Importance (criticality)", charts.importance(analysis)))
    chart_files = []
    for stem, title, fig in figures:
        svg, png = charts.save(fig, os.path.join(out_dir, "charts", stem))
        chart_files.append((stem, title, svg, png))
        charts.plt.close(fig)

    title = scenario.name or os.path.basename(str(scenario_path))
    rows = results_rows(results)
    cc = results.crosscheck
    if cc["verdict"] == "not applicable":
        cross = "not applicable: " + cc.get("reason", "")
    else:
        cross = "analytic {} ({}): {}, z = {:+.2f}".format(_pct(cc["analytic_availability"], 6), cc["quantity"],
                                                          cc["verdict"], cc["z"])
    settings = results.settings
    run_line = "{} replications x {} horizon, seed {}".format(settings["replications"], _hours(settings["horizon_h"]), settings["seed"])

    # ---- Markdown
    md = ["# " + title, "", "Scenario: `{}`  ".format(scenario_path), run_line, "", "## Results", "",
          "| metric | value | 95% CI |", "|---|---|---|"]
    md += ["| {} | {} | {} |".format(*row) for row in rows]
    md += ["", "Cross-check: " + cross, ""]
    if results.expectations:
        md += ["## Expectations", "", "| expectation | outcome | detail |", "|---|---|---|"]
        md += ["| `{}` | {} | {} |".format(e["expectation"], e["outcome"], e["message"]) for e in results.expectations]
        md.append("")
    md += ["## Components", "", "| component | instances | failures / year | downtime h / year | share of outages |",
           "|---|---|---|---|---|"]
    md += ["| {} | {} | {:.4g} | {:.4g} | {:.1%} |".format(c["name"], c["instances"], c["failures_per_year"],
                                                           c["downtime_h_per_year"], c["outage_share"])
           for c in results.components]
    md += ["", "## Charts", ""]
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
    h = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         "<title>{}</title>".format(esc(title)),
         "<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}"
         "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}"
         "th{background:#f4f6f8}figure{margin:1.5em 0}img{max-width:100%}pre{background:#f4f6f8;padding:1em;overflow:auto}"
         ".pass{color:#2e7d32}.fail{color:#b3261e}.inconclusive{color:#d9822b}</style></head><body>",
         "<h1>{}</h1>".format(esc(title)),
         "<p>Scenario <code>{}</code>. {}.</p>".format(esc(str(scenario_path)), esc(run_line)),
         '<h2>Results</h2><table id="results"><tr><th>metric</th><th>value</th><th>95% CI</th></tr>']
    h += ["<tr><td>{}</td><td>{}</td><td>{}</td></tr>".format(esc(a), esc(b), esc(c)) for a, b, c in rows]
    h += ["</table>", '<p id="crosscheck">Cross-check: {}</p>'.format(esc(cross))]
    if results.expectations:
        h.append('<h2>Expectations</h2><table id="expectations"><tr><th>expectation</th><th>outcome</th><th>detail</th></tr>')
        h += ['<tr><td><code>{}</code></td><td class="{}">{}</td><td>{}</td></tr>'.format(
            esc(e["expectation"]), esc(e["outcome"]), esc(e["outcome"]), esc(e["message"])) for e in results.expectations]
        h.append("</table>")
    h.append('<h2>Components</h2><table id="components"><tr><th>component</th><th>instances</th><th>failures / year</th>'
             "<th>downtime h / year</th><th>share of outages</th></tr>")
    h += ["<tr><td>{}</td><td>{}</td><td>{:.4g}</td><td>{:.4g}</td><td>{:.1%}</td></tr>".format(
        esc(c["name"]), c["instances"], c["failures_per_year"], c["downtime_h_per_year"], c["outage_share"])
        for c in results.components]
    h.append("</table><h2>Charts</h2>")
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
