#!/usr/bin/env bash
# Builds the release flavour and prints the kernel benchmark: events/s on one thread and on all
# threads for model M and a 10,000-component model. An optional argument scales the replications.
# Then the size table of issue 14 (pairs in series, nines-bench-scale, one process per size so that
# each peak memory is its own): read time, peak memory, events/s of the kernel and of the hand-tuned
# loop. NINES_BENCH_SIZES picks the sizes (default "10000 100000 1000000"; 10^6 needs about 1 GB and
# a minute of CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release >/dev/null
./build/release/bench/nines-bench "$@"
./build/release/bench/nines-bench-analytic bench/fault-trees
# Rare events (issue 13): importance sampling to +-10 % on the large models of bench/rare-events (up to
# 100 instances near 1e-9; each file's header gives the exact value), plain replications included.
TIMEFORMAT='wall %R s, user %U s'
for f in bench/rare-events/*.yaml; do
    echo "== $f"
    time ./build/release/nines run "$f" | grep -E '^    unavailability'
done
echo "pairs in series (issue 14): N components, 1 y, 2 replications, one thread, CPU time"
for n in ${NINES_BENCH_SIZES:-10000 100000 1000000}; do
  ./build/release/bench/nines-bench-scale "$n"
done
