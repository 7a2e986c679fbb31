#!/usr/bin/env bash
# Byte-identity check of the simulation kernel: runs every scenario in scenarios/, tests/kernel/ and (when
# present) the audit's statistics scenarios with two builds of `nines`, on one and on two threads and
# with a second seed, and compares the JSON results byte for byte (the "timing" object, wall time and
# speed, is left out). tests/kernel/all_operations.yaml has every kind of event.
# Use it around any change to src/sim/: a refactoring of the event loop must not change one bit.
#   bash scripts/kernel-identity.sh OLD_NINES NEW_NINES [scenario.yaml ...]
set -euo pipefail
old=$1 new=$2
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=("$root"/scenarios/*.yaml "$root"/tests/kernel/*.yaml)
  for f in /work/shared/findings/statistics/*.yaml "$root"/../shared/findings/statistics/*.yaml; do
    [ -f "$f" ] && files+=("$f")
  done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
strip_timing() { sed '/^  "timing": {/,$d' "$1"; }
differ=0 same=0
for f in "${files[@]}"; do
  for variant in "-j 1" "-j 2" "-j 1 --seed 12345"; do
    # shellcheck disable=SC2086
    "$old" run "$f" $variant -q --json "$tmp/old.json" 2>/dev/null || true
    # shellcheck disable=SC2086
    "$new" run "$f" $variant -q --json "$tmp/new.json" 2>/dev/null || true
    if [ ! -s "$tmp/old.json" ] || [ ! -s "$tmp/new.json" ]; then
      echo "skipped (no results): $f"; rm -f "$tmp"/*.json; continue
    fi
    if cmp -s <(strip_timing "$tmp/old.json") <(strip_timing "$tmp/new.json"); then
      same=$((same + 1))
    else
      echo "DIFFERENT: $f ($variant)"; differ=$((differ + 1))
    fi
    rm -f "$tmp"/*.json
  done
done
echo "$same identical, $differ different"
[ "$differ" -eq 0 ]
