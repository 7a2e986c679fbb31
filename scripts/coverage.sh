#!/bin/bash
# Coverage of the 95% intervals of `nines run` over many seeds (README "How honest are the intervals").
# Usage: scripts/coverage.sh [seeds=1000] [build dir=build/release]. About 4 minutes for 1000 seeds on one core.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${2:-build/release}
cmake --build "$build" --target nines-coverage >/dev/null
exec "$build/bench/nines-coverage" "${1:-1000}"
