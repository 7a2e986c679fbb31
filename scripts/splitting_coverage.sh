#!/bin/bash
# Coverage of importance splitting's 95 % intervals over many seeds, against exact values (README "Rare
# events with non-exponential laws"), and the figure of the intervals.
# Usage: scripts/splitting_coverage.sh [seeds=200] [replications per estimate=10] [build dir=build/release]. About 20 minutes for 200 seeds and 10 replications on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${3:-build/release}
cmake --build "$build" --target nines-splitting-coverage >/dev/null
mkdir -p "$build/splitting"
"$build/bench/nines-splitting-coverage" "${1:-200}" "$build/splitting/coverage.csv" "${2:-10}"
/usr/bin/python3 scripts/splitting_coverage.py "$build/splitting/coverage.csv" notebooks/images/splitting_coverage.png
