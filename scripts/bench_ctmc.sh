#!/usr/bin/env bash
# Builds the release flavour and prints the Markov chain benchmark: states, nonzeros, solver,
# iterations, build and solve times (wall clock and CPU), residual, up to 10^6 states (an optional
# argument lowers the cap).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release >/dev/null
./build/release/bench/nines-bench-ctmc "$@"
