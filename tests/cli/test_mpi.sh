#!/usr/bin/env bash
# mpirun -np K nines (README "Beyond one machine", MPI): for K = 1, 2, 3, 4 and 7 ranks on one
# machine, `run` writes and prints byte for byte what the plain single-process run does (timing aside),
# on two scenarios and on a precision target (steps shared by the ranks too); `sweep`, `compare` and
# `check` (further looks while inconclusive) do the same (K = 3; check also 2 and 7: every rank
# repeats the analytic cross-check, so sweeps with many ranks on one small machine are slow). A naive reduction of
# per-rank double sums would change the last bits for some K; tests/test_shards.cpp proves that such
# a change reaches the compared output. Usage: test_mpi.sh NINES PROJECT_DIR [MPIRUN]
. "$(dirname "$0")/common.sh" "$@"
mpirun=${3:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# One machine, any number of ranks; no network probing beyond loopback.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1
# Waiting ranks yield the core instead of spinning: more ranks than cores here.
export OMPI_MCA_mpi_yield_when_idle=1
strip_json() { grep -v 'wall_s"\|"events_per_s"\|"threads"' "$1"; }
strip_text() { grep -v '^events [0-9,]* in ' "$1"; }

sed -e 's/replications: 2000,/replications: { until: { availability: 5e-7 }, min: 50, max: 1600 },/' \
  "$root/scenarios/web_two_zones.yaml" >"$work/precision.yaml"
for s in "$root/scenarios/replicated_database.yaml" "$root/scenarios/storage_fleet_spares.yaml" "$work/precision.yaml"; do
  name=$(basename "$s" .yaml)
  "$nines" run "$s" --threads 1 --json "$work/$name-plain.json" >"$work/$name-plain.txt" 2>/dev/null || { fail "$name: plain run failed"; continue; }
  for k in 1 2 3 4 7; do
    timeout 300 "$mpirun" --oversubscribe -np $k "$nines" run "$s" --threads 1 --json "$work/$name-$k.json" >"$work/$name-$k.txt" 2>"$work/err"
    code=$?
    [ $code -eq 0 ] || { fail "$name: mpirun -np $k exited $code: $(head -5 "$work/err")"; continue; }
    cmp -s <(strip_json "$work/$name-plain.json") <(strip_json "$work/$name-$k.json") ||
      fail "$name: JSON of -np $k differs from the plain run's: $(diff <(strip_json "$work/$name-plain.json") <(strip_json "$work/$name-$k.json") | head -4)"
    cmp -s <(strip_text "$work/$name-plain.txt") <(strip_text "$work/$name-$k.txt") ||
      fail "$name: text of -np $k differs from the plain run's"
  done
done

# Sweep (five points), compare (two designs, each also under an independent seed) and check.
sweep=("$root/scenarios/web_two_zones.yaml" --set web.count=2,4 -n 100)
compare=("$root/scenarios/web_two_zones.yaml" "$root/scenarios/web_two_zones_lb_pair.yaml" -n 100)
check=("$root/scenarios/raid6_array.yaml" "$root/scenarios/oncall_crew.yaml")
strip_check() { sed -e 's/ replications, [0-9.]* s)$/ replications)/' "$1"; }  # check's text says how long each took
for cmd in sweep compare check; do
  eval "args=(\"\${$cmd[@]}\")"
  "$nines" $cmd "${args[@]}" --json "$work/$cmd-plain.json" >"$work/$cmd-plain.txt" 2>/dev/null
  ks="3"
  [ $cmd = check ] && ks="2 3 7"
  for k in $ks; do
    timeout 300 "$mpirun" --oversubscribe -np $k "$nines" $cmd "${args[@]}" --json "$work/$cmd-$k.json" >"$work/$cmd-$k.txt" 2>"$work/err"
    code=$?
    [ $code -eq 0 ] || { fail "$cmd: mpirun -np $k exited $code: $(head -5 "$work/err")"; continue; }
    cmp -s "$work/$cmd-plain.json" "$work/$cmd-$k.json" || fail "$cmd: JSON of -np $k differs from the plain run's"
    cmp -s <(strip_check "$work/$cmd-plain.txt") <(strip_check "$work/$cmd-$k.txt") || fail "$cmd: text of -np $k differs from the plain run's"
  done
done

# Errors: a bad scenario ends every rank with exit 2 and one message (rank 0's); --shard is refused.
timeout 60 "$mpirun" --oversubscribe -np 3 "$nines" run "$root/tests/bad/k_zero.yaml" >"$work/out" 2>"$work/err"; code=$?
[ $code -eq 2 ] || fail "bad scenario under mpirun: exit $code, expected 2"
[ "$(grep -c 'k_zero.yaml:' "$work/err")" -eq 1 ] || fail "bad scenario under mpirun: expected the message once: $(cat "$work/err")"
timeout 60 "$mpirun" --oversubscribe -np 2 "$nines" run "$root/scenarios/raid6_array.yaml" --shard 1/2 --partial "$work/x.partial" >"$work/out" 2>"$work/err"; code=$?
[ $code -eq 2 ] || fail "--shard under mpirun: exit $code, expected 2"
grep -q "run 'run --shard' without mpirun" "$work/err" || fail "--shard under mpirun: no clear message: $(head -3 "$work/err")"

finish "test_mpi"
