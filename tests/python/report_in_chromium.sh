#!/usr/bin/env bash
# Opens a report written by `nines report` in headless Chromium and fails on any console error; also
# checks the check can fail, by breaking one chart on purpose. Usage: report_in_chromium.sh NINES ROOT
set -u
nines=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chromium_bin=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium_bin" ] || { echo "chromium is not installed (scripts/install-deps.sh installs it)"; exit 1; }

open_page() {  # $1: html file, $2: log file
  timeout 90 "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "file://$1" >"$work/dom.html" 2>"$2"
}

"$nines" report "$root/scenarios/replicated_database.yaml" -o "$work/report" --replications 300 >/dev/null || { echo "nines report failed"; exit 1; }
open_page "$work/report/report.html" "$work/log"
grep -q '<table id="results"' "$work/dom.html" || { echo "the page has no results table"; exit 1; }
[ "$(grep -o '<img' "$work/dom.html" | wc -l)" -eq 5 ] || { echo "expected 5 charts in the page"; exit 1; }
grep -q 'nines report: 5 charts, 0 failed' "$work/log" || { echo "the page did not report its charts loaded:"; grep CONSOLE "$work/log"; exit 1; }
if grep -E 'CONSOLE' "$work/log" | grep -viE 'nines report: [0-9]+ charts, 0 failed' | grep -q .; then
  echo "console messages besides the charts report:"; grep CONSOLE "$work/log"; exit 1
fi

# The check must be able to fail: a report with a broken chart produces a console error.
sed '0,/data:image\/svg+xml;base64,[A-Za-z0-9+\/]\{40\}/s//data:image\/svg+xml;base64,AAAA/' "$work/report/report.html" >"$work/broken.html"
open_page "$work/broken.html" "$work/log2"
grep -q 'chart failed to load' "$work/log2" || { echo "a broken chart was not detected"; exit 1; }
echo "report opened in Chromium without console errors"
