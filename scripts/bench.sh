#!/usr/bin/env bash
# Builds the release flavour and prints the kernel benchmark: events/s on one thread and on all
# threads for model M and a 10,000-component model. An optional argument scales the replications.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release >/dev/null
./build/release/bench/nines-bench "$@"
./build/release/bench/nines-bench-analytic bench/fault-trees
