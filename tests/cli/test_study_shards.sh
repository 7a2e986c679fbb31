#!/usr/bin/env bash
# Sweeps and compare in shards (README "Shards and merge": sweeps and compare): three shards of every
# step, merged in two different orders, give `nines sweep`'s JSON, CSV and text and `nines compare`'s
# JSON and text byte for byte; the comparison can fail (the merge of another seed's shards differs from
# the plain output and is caught); mismatched partials are refused (exit 2, one line naming the file).
# Usage: test_study_shards.sh NINES PROJECT_DIR
. "$(dirname "$0")/common.sh" "$@"
cd "$root" || exit 1

# merge_steps WHAT PREFIX SHARD_COMMAND...: runs step 1, 2, ... of 3 shards (SHARD_COMMAND + --shard i/3
# --step k --partial) until `nines merge` of every partial so far (order 1 2 3) succeeds; then merges the
# same partials in the order 3 1 2 too. Leaves PREFIX-m123.{json,csv,txt} and PREFIX-m312.*.
merge_steps() {
  local what=$1 prefix=$2
  shift 2
  local csv=()
  [ "$1" = sweep ] && csv=(--csv)
  for k in 1 2 3 4 5 6; do
    for i in 1 2 3; do
      "$nines" "$@" --shard $i/3 --step $k --partial "$prefix-s$k-$i.partial" -q 2>"$work/err" || fail "$what: shard $i/3 of step $k failed: $(cat "$work/err")"
    done
    local in_order=() reversed=()
    for j in $(seq 1 $k); do
      in_order+=("$prefix-s$j-1.partial" "$prefix-s$j-2.partial" "$prefix-s$j-3.partial")
      reversed=("$prefix-s$j-3.partial" "$prefix-s$j-1.partial" "$prefix-s$j-2.partial" "${reversed[@]}")
    done
    if "$nines" merge "${in_order[@]}" --json "$prefix-m123.json" ${csv:+--csv "$prefix-m123.csv"} >"$prefix-m123.txt" 2>"$work/err"; then
      "$nines" merge "${reversed[@]}" --json "$prefix-m312.json" ${csv:+--csv "$prefix-m312.csv"} >"$prefix-m312.txt" 2>/dev/null ||
        fail "$what: merge in the order 3 1 2 failed"
      return 0
    fi
    grep -q "run every shard again with --step $((k + 1))" "$work/err" || { fail "$what: merge after step $k: $(cat "$work/err")"; return 1; }
  done
  fail "$what: still not merged after 6 steps"
}

same() {  # same A B WHAT: byte for byte
  cmp -s "$1" "$2" || fail "$3: $(diff "$1" "$2" | head -4)"
}

# 1. Sweeps: a sweep: section (storage_fleet_spares), and --set with overrides on a scenario whose
#    inconclusive points need further steps (web_two_zones: 200 replications, looks up to 3,200).
"$nines" sweep scenarios/storage_fleet_spares.yaml -n 300 --json "$work/fleet-plain.json" --csv "$work/fleet-plain.csv" >"$work/fleet-plain.txt" ||
  fail "fleet: plain sweep failed"
merge_steps "fleet sweep" "$work/fleet" sweep scenarios/storage_fleet_spares.yaml -n 300
for order in m123 m312; do
  same "$work/fleet-plain.json" "$work/fleet-$order.json" "fleet sweep JSON ($order)"
  same "$work/fleet-plain.csv" "$work/fleet-$order.csv" "fleet sweep CSV ($order)"
  same "$work/fleet-plain.txt" "$work/fleet-$order.txt" "fleet sweep text ($order)"
done
"$nines" sweep scenarios/web_two_zones.yaml --set web.count=3..5 -n 200 --horizon 10y --json "$work/web-plain.json" --csv "$work/web-plain.csv" \
  >"$work/web-plain.txt" || fail "web: plain sweep failed"
merge_steps "web sweep" "$work/web" sweep scenarios/web_two_zones.yaml --set web.count=3..5 -n 200 --horizon 10y
[ -f "$work/web-s2-1.partial" ] || fail "web sweep: expected inconclusive points to need a second step"
for order in m123 m312; do
  same "$work/web-plain.json" "$work/web-$order.json" "web sweep JSON ($order)"
  same "$work/web-plain.csv" "$work/web-$order.csv" "web sweep CSV ($order)"
  same "$work/web-plain.txt" "$work/web-$order.txt" "web sweep text ($order)"
done

# 2. Compare: two designs, paired and independent runs of each.
designs=(scenarios/web_two_zones.yaml scenarios/web_two_zones_lb_pair.yaml)
"$nines" compare "${designs[@]}" -n 300 --json "$work/cmp-plain.json" >"$work/cmp-plain.txt" || fail "compare: plain run failed"
merge_steps "compare" "$work/cmp" compare "${designs[@]}" -n 300
for order in m123 m312; do
  same "$work/cmp-plain.json" "$work/cmp-$order.json" "compare JSON ($order)"
  same "$work/cmp-plain.txt" "$work/cmp-$order.txt" "compare text ($order)"
done

# 3. The comparison can fail: shards of another seed merge fine, and their output is not the plain one's.
merge_steps "compare, seed 99" "$work/seed" compare "${designs[@]}" -n 300 --seed 99
cmp -s "$work/cmp-plain.json" "$work/seed-m123.json" && fail "compare: another seed's merge was not told apart from the plain output"

# 4. Refusals: exit 2 and one line naming the partial and what is wrong.
refused() {  # refused WHAT EXPECTED_FRAGMENT PARTIALS...
  local what=$1 fragment=$2
  shift 2
  "$nines" merge "$@" --json "$work/refused.json" >/dev/null 2>"$work/err"
  local rc=$?
  [ $rc -eq 2 ] || fail "$what: exit $rc, expected 2"
  [ "$(wc -l <"$work/err")" -eq 1 ] || fail "$what: expected one line, got: $(cat "$work/err")"
  grep -qF -- "$fragment" "$work/err" || fail "$what: expected '$fragment' in: $(cat "$work/err")"
  [ -e "$work/refused.json" ] && fail "$what: wrote output although refused"
}
c=$work/cmp-s1
refused "missing shard" "shard 3/3 is in no partial (a shard is missing)" "$c-1.partial" "$c-2.partial"
refused "shard twice" "holds shard 2/3 of step 1 again" "$c-1.partial" "$c-2.partial" "$c-2.partial" "$c-3.partial"
refused "another seed" "does not belong with $c-1.partial: the overrides: --replications 300 --seed 99 here" \
  "$c-1.partial" "$c-2.partial" "$work/seed-s1-3.partial"
refused "sweep with compare" "does not belong with $c-1.partial: the command: sweep here but compare there" \
  "$c-1.partial" "$c-2.partial" "$work/fleet-s1-3.partial"
"$nines" run scenarios/web_two_zones.yaml -n 30 --shard 1/1 --partial "$work/run.partial" -q
refused "run partial with compare's" "not a partial of \`nines sweep\` or \`nines compare\`" "$c-1.partial" "$work/run.partial"
refused "compare's partial with run's" "a partial of \`nines sweep\` or \`nines compare\`, not of \`nines run\`" "$work/run.partial" "$c-1.partial"
"$nines" compare "${designs[@]}" -n 300 --shard 1/2 --partial "$work/two-1.partial" -q
refused "other split" "step 1 is cut in 2 shards here but 3 there" "$c-1.partial" "$c-2.partial" "$work/two-1.partial"
refused "step 2 alone" "holds step 2 but no partial holds step 1" "$work/web-s2-1.partial" "$work/web-s2-2.partial" "$work/web-s2-3.partial"
refused "step 2 missing" "(its step 2): run every shard again with --step 2" "$work/web-s1-1.partial" "$work/web-s1-2.partial" "$work/web-s1-3.partial"
# A design file changed after the shards ran.
cp scenarios/web_two_zones.yaml "$work/design.yaml"
"$nines" compare "$work/design.yaml" scenarios/web_two_zones_lb_pair.yaml -n 30 --shard 1/1 --partial "$work/changed.partial" -q
echo "# changed" >>"$work/design.yaml"
refused "changed scenario" "the scenario file $work/design.yaml (or a model library it imports) changed since the shards ran" "$work/changed.partial"
# Options: --shard and --partial go together; a shard writes no --json; --step without --shard.
"$nines" sweep scenarios/storage_fleet_spares.yaml --shard 1/2 2>/dev/null; [ $? -eq 2 ] || fail "--shard without --partial accepted"
"$nines" compare "${designs[@]}" --shard 1/2 --partial "$work/x.partial" --json "$work/x.json" 2>/dev/null; [ $? -eq 2 ] || fail "shard with --json accepted"
"$nines" compare "${designs[@]}" --step 2 2>/dev/null; [ $? -eq 2 ] || fail "--step without --shard accepted"
"$nines" compare "${designs[@]}" -n 30 --shard 1/2 --step 2 --partial "$work/x.partial" 2>"$work/err"; [ $? -eq 2 ] || fail "--step 2 of a one-step compare accepted"
grep -q "no simulation of this compare has a step 2" "$work/err" || fail "--step 2 of a one-step compare: $(cat "$work/err")"

finish "test_study_shards"
