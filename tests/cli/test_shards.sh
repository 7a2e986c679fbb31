#!/usr/bin/env bash
# Shards and merge (README "Shards and merge"): on every scenario in scenarios/, three shards merged in
# two different orders give the plain run's JSON and text byte for byte (timing aside); a precision
# target split into steps merges to the plain run's bits; mismatched partials are refused, each field
# on its own (exit 2, one line naming the file and the field). Usage: test_shards.sh NINES PROJECT_DIR
. "$(dirname "$0")/common.sh" "$@"
# Timing is the only part of the output allowed to differ: the JSON "timing" object's members (every *wall_s, events_per_s, threads)
# and the text's last line ("events ... in ... s").
strip_json() { grep -v 'wall_s"\|"events_per_s"\|"threads"' "$1"; }
strip_text() { grep -v '^events [0-9,]* in ' "$1"; }
same() {  # same PLAIN_PREFIX MERGED_PREFIX WHAT
  cmp -s <(strip_json "$1.json") <(strip_json "$2.json") || fail "$3: merged JSON differs from the plain run's: $(diff <(strip_json "$1.json") <(strip_json "$2.json") | head -4)"
  cmp -s <(strip_text "$1.txt") <(strip_text "$2.txt") || fail "$3: merged text differs from the plain run's: $(diff <(strip_text "$1.txt") <(strip_text "$2.txt") | head -4)"
}

# 1. Every scenario: 3 shards, merged as 1 2 3 and as 3 1 2.
for s in "$root"/scenarios/*.yaml; do
  name=$(basename "$s" .yaml)
  "$nines" run "$s" --json "$work/$name-plain.json" >"$work/$name-plain.txt" 2>/dev/null || { fail "$name: plain run failed"; continue; }
  for i in 1 2 3; do
    "$nines" run "$s" --shard $i/3 --partial "$work/$name-p$i.partial" -q 2>"$work/err" || fail "$name: shard $i/3 failed: $(cat "$work/err")"
  done
  "$nines" merge "$work/$name-p1.partial" "$work/$name-p2.partial" "$work/$name-p3.partial" --json "$work/$name-m123.json" \
    >"$work/$name-m123.txt" 2>"$work/err" || fail "$name: merge 1 2 3 failed: $(cat "$work/err")"
  "$nines" merge "$work/$name-p3.partial" "$work/$name-p1.partial" "$work/$name-p2.partial" --json "$work/$name-m312.json" \
    >"$work/$name-m312.txt" 2>"$work/err" || fail "$name: merge 3 1 2 failed: $(cat "$work/err")"
  same "$work/$name-plain" "$work/$name-m123" "$name (order 1 2 3)"
  same "$work/$name-plain" "$work/$name-m312" "$name (order 3 1 2)"
done

# 2. Another split of the same run (7 shards, more shards than some steps have blocks is fine too) and
#    overrides (replications, seed, horizon) carried by the partials.
s=$root/scenarios/replicated_database.yaml
"$nines" run "$s" -n 150 --seed 11 --horizon 3y --json "$work/ov-plain.json" >"$work/ov-plain.txt" 2>/dev/null
parts=()
for i in 1 2 3 4 5 6 7; do
  "$nines" run "$s" -n 150 --seed 11 --horizon 3y --shard $i/7 --partial "$work/ov-$i.partial" -q || fail "overrides: shard $i/7 failed"
  parts+=("$work/ov-$i.partial")
done
"$nines" merge "${parts[@]}" --json "$work/ov-m.json" >"$work/ov-m.txt" 2>/dev/null || fail "overrides: merge failed"
same "$work/ov-plain" "$work/ov-m" "overrides, 7 shards"
# Partials of a 2-way and a 4-way split mix when each block is there once.
for i in 1 2; do "$nines" run "$s" -n 60 --shard $i/2 --partial "$work/mix2-$i.partial" -q; done
for i in 3 4; do "$nines" run "$s" -n 60 --shard $i/4 --partial "$work/mix4-$i.partial" -q; done
"$nines" run "$s" -n 60 --json "$work/mix-plain.json" >"$work/mix-plain.txt" 2>/dev/null
"$nines" merge "$work/mix4-4.partial" "$work/mix2-1.partial" "$work/mix4-3.partial" --json "$work/mix-m.json" >"$work/mix-m.txt" 2>/dev/null ||
  fail "mixed splits: merge failed"
same "$work/mix-plain" "$work/mix-m" "shard 1/2 with shards 3/4 and 4/4"
# Tiny run: 5 replications are 5 blocks, so 7 shards leave two empty.
"$nines" run "$s" -n 5 --json "$work/tiny-plain.json" >"$work/tiny-plain.txt" 2>/dev/null
parts=()
for i in 1 2 3 4 5 6 7; do "$nines" run "$s" -n 5 --shard $i/7 --partial "$work/tiny-$i.partial" -q; parts+=("$work/tiny-$i.partial"); done
"$nines" merge "${parts[@]}" --json "$work/tiny-m.json" >"$work/tiny-m.txt" 2>/dev/null || fail "tiny: merge failed"
same "$work/tiny-plain" "$work/tiny-m" "5 replications, 7 shards"

# CSV files too.
"$nines" run "$s" -n 60 --csv "$work/csv-plain" -q
"$nines" merge "$work/mix2-2.partial" "$work/mix2-1.partial" --csv "$work/csv-merged" -q || fail "csv: merge failed"
diff -r "$work/csv-plain" "$work/csv-merged" >/dev/null || fail "csv: the merged CSV files differ from the plain run's"

# 3. A precision target: step 1 alone is not enough; the merge says so and names step 2; with the
#    partials of every step the plain run needed, the merge gives the plain run's bits.
sed -e 's/replications: 2000,/replications: { until: { availability: 5e-7 }, min: 50, max: 1600 },/' \
  "$root/scenarios/web_two_zones.yaml" >"$work/precision.yaml"
grep -q 'until' "$work/precision.yaml" || fail "precision: could not write the precision scenario"
"$nines" run "$work/precision.yaml" --json "$work/pr-plain.json" >"$work/pr-plain.txt" 2>/dev/null || fail "precision: plain run failed"
grep -q 'precision target met' "$work/pr-plain.txt" || fail "precision: the plain run did not meet its target: $(grep precision "$work/pr-plain.txt")"
parts=()
for step in 1 2 3 4 5 6 7 8 9; do
  for i in 1 2; do
    "$nines" run "$work/precision.yaml" --step $step --shard $i/2 --partial "$work/pr-$step-$i.partial" -q 2>/dev/null || break 2
    parts+=("$work/pr-$step-$i.partial")
  done
  "$nines" merge "${parts[@]}" --json "$work/pr-m.json" >"$work/pr-m.txt" 2>"$work/pr-err" || { fail "precision: merge of steps 1..$step failed: $(cat "$work/pr-err")"; break; }
  if grep -q 'NOT met yet' "$work/pr-m.txt"; then
    grep -q "it needs step $((step + 1))" "$work/pr-err" || fail "precision: the merge did not name step $((step + 1)): $(cat "$work/pr-err")"
    /usr/bin/python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["next_step"]["step"] == int(sys.argv[2])' \
      "$work/pr-m.json" $((step + 1)) 2>/dev/null || fail "precision: the merged JSON does not name step $((step + 1)) in next_step"
    continue
  fi
  same "$work/pr-plain" "$work/pr-m" "precision target after $step steps"
  [ $step -ge 2 ] || fail "precision: the target was met at step 1; the test wants a run of several steps"
  break
done

# 4. Refusals: each field that must agree, one at a time; a missing shard, a doubled shard; other files.
s=$root/scenarios/web_two_zones.yaml
for i in 1 2; do "$nines" run "$s" -n 60 --shard $i/2 --partial "$work/r$i.partial" -q; done
refuse() {  # refuse WHAT FRAGMENT FILES...
  local what=$1 fragment=$2; shift 2
  "$nines" merge "$@" --json "$work/refused.json" >"$work/out" 2>"$work/err"; local code=$?
  [ $code -eq 2 ] || fail "refuse $what: exit $code, expected 2 ($(cat "$work/err"))"
  [ "$(wc -l <"$work/err")" -eq 1 ] || fail "refuse $what: expected one line on stderr, got: $(cat "$work/err")"
  grep -q -- "$fragment" "$work/err" || fail "refuse $what: message lacks '$fragment': $(cat "$work/err")"
  [ ! -s "$work/out" ] || fail "refuse $what: wrote to stdout"
  [ ! -e "$work/refused.json" ] || fail "refuse $what: wrote the JSON"
}
edit() {  # edit SRC DST PYTHON_STATEMENT_ON_p
  /usr/bin/python3 -c "import json,sys; p=json.load(open(sys.argv[1])); $3; json.dump(p, open(sys.argv[2], 'w'))" "$1" "$2"
}
edit "$work/r2.partial" "$work/bad.partial" 'p["nines_version"]="0.0.9"'
refuse "nines version" "the nines version: 0.0.9 here" "$work/r1.partial" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["scenario"]["hash"]="fnv1a64:0000000000000000"'
refuse "scenario hash" "the scenario hash" "$work/r1.partial" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["scenario"]["file"]="other.yaml"'
refuse "scenario file" "the scenario file: other.yaml here" "$work/r1.partial" "$work/bad.partial"
"$nines" run "$s" -n 60 --seed 99 --shard 2/2 --partial "$work/bad.partial" -q
refuse "seed" "the seed: 99 here but" "$work/r1.partial" "$work/bad.partial"
"$nines" run "$s" -n 60 --horizon 5y --shard 2/2 --partial "$work/bad.partial" -q
refuse "horizon" "the horizon (hours): 43800 here but 87600 there" "$work/r1.partial" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["settings"]["warmup_h"]=100'
refuse "warm-up" "the warm-up (hours): 100 here" "$work/r1.partial" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["settings"]["grid_h"]=24'
refuse "grid" "the grid step (hours): 24 here" "$work/r1.partial" "$work/bad.partial"
"$nines" run "$s" -n 61 --shard 2/2 --partial "$work/bad.partial" -q
refuse "replications" "the replications: 61 here but 60 there" "$work/r1.partial" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["settings"]["precision"]="availability half-width 1e-06, at most 1000 replications"'
refuse "precision target" "the precision target: availability" "$work/r1.partial" "$work/bad.partial"
refuse "missing shard" "replications 30 to 59 are in no partial" "$work/r1.partial"
refuse "doubled shard" "again (also in" "$work/r1.partial" "$work/r2.partial" "$work/r2.partial"
for i in 1 2 3; do "$nines" run "$s" -n 60 --shard $i/3 --partial "$work/t$i.partial" -q; done
refuse "overlapping splits" "again (also in" "$work/r1.partial" "$work/t2.partial" "$work/t3.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["format_version"]=3'
refuse "format version" "partial format version 3: this nines reads version 2" "$work/r1.partial" "$work/bad.partial"
printf '{"format": "nines-partial",\n  "format_version": 2, oops}\n' >"$work/bad.partial"
refuse "malformed JSON" "bad.partial:2:" "$work/r1.partial" "$work/bad.partial"
echo 'name: x' >"$work/bad.partial"
refuse "not a partial" "not a nines partial" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["step"]=2'
refuse "step without step 1" "no partial holds step 1" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["data"]["blocks"].pop()'
refuse "a block missing inside a partial" "damaged nines partial file" "$work/r1.partial" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["data"]["blocks"][0]["outcomes"]["events"].pop()'
refuse "outcome arrays of different lengths" "not a valid nines partial file" "$work/r1.partial" "$work/bad.partial"
edit "$work/r2.partial" "$work/bad.partial" 'p["data"]["blocks"][0]["sums"]["instance_failures"].pop()'
refuse "sums of the wrong size" "does not fit the scenario" "$work/r1.partial" "$work/bad.partial"
# The scenario changed after the shards ran.
cp "$s" "$work/changing.yaml"
for i in 1 2; do "$nines" run "$work/changing.yaml" -n 60 --shard $i/2 --partial "$work/c$i.partial" -q; done
echo "# edited" >>"$work/changing.yaml"
refuse "scenario changed" "changed since the shards ran" "$work/c1.partial" "$work/c2.partial"
# A model library the scenario imports changed after the shards ran.
mkdir -p "$work/lib/scenarios" "$work/lib/models"
cp "$root/scenarios/raid6_array.yaml" "$work/lib/scenarios/"
cp "$root/models/infrastructure.yaml" "$work/lib/models/"
for i in 1 2; do "$nines" run "$work/lib/scenarios/raid6_array.yaml" -n 40 --shard $i/2 --partial "$work/l$i.partial" -q; done
"$nines" merge "$work/l1.partial" "$work/l2.partial" -q || fail "imports: merge before the edit failed"
echo "# edited" >>"$work/lib/models/infrastructure.yaml"
refuse "imported library changed" "(or a model library it imports) changed since the shards ran" "$work/l1.partial" "$work/l2.partial"

# 5. Usage: --shard without --partial, a bad I/N, --json with --shard, --step without a precision target.
usage() {  # usage FRAGMENT ARGS...
  local fragment=$1; shift
  "$nines" run "$s" -n 60 "$@" >"$work/out" 2>"$work/err"; local code=$?
  [ $code -eq 2 ] || fail "usage $*: exit $code, expected 2"
  grep -q -- "$fragment" "$work/err" || fail "usage $*: message lacks '$fragment': $(cat "$work/err")"
}
usage "go together" --shard 1/2
usage "go together" --partial "$work/x.partial"
usage "I/N with 1 <= I <= N" --shard 3/2 --partial "$work/x.partial"
usage "I/N with 1 <= I <= N" --shard 0/2 --partial "$work/x.partial"
usage "I/N with 1 <= I <= N" --shard 1/2x --partial "$work/x.partial"
usage "nines merge. writes --json" --shard 1/2 --partial "$work/x.partial" --json "$work/x.json"
usage "--step must be 1" --shard 1/2 --partial "$work/x.partial" --step 2
usage "--step goes with --shard" --step 2
[ ! -e "$work/x.partial" ] || fail "a refused shard wrote its partial"

finish "test_shards"
