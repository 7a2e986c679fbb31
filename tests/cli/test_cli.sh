#!/usr/bin/env bash
# Command-line tests: exit codes, one-line located errors, output files, reproducibility across
# thread counts. Usage: test_cli.sh NINES_BINARY PROJECT_DIR
. "$(dirname "$0")/common.sh" "$@"

# 1. A real scenario runs, prints the table, exits 0.
out=$("$nines" run "$root/scenarios/web_two_zones.yaml" --replications 50 2>"$work/err"); code=$?
[ $code -eq 0 ] || fail "run exited $code: $(cat "$work/err")"
grep -q "availability" <<<"$out" || fail "run printed no availability row"
grep -q "95% CI" <<<"$out" || fail "run printed no confidence interval"
grep -q "events/s" <<<"$out" || fail "run printed no events/s"

# 2. validate accepts every shipped scenario.
for f in "$root"/scenarios/*.yaml; do
  "$nines" validate "$f" >/dev/null 2>&1 || fail "validate rejected $f"
done

# 3. Every bad file: exit 2, exactly one line on stderr naming file:line[:column], nothing on stdout.
for f in "$root"/tests/bad/*.yaml; do
  for cmd in validate run; do
    timeout 20 "$nines" $cmd "$f" >"$work/out" 2>"$work/err"; code=$?
    [ $code -eq 2 ] || fail "$cmd $(basename "$f"): exit $code, expected 2"
    [ "$(wc -l <"$work/err")" -eq 1 ] || fail "$cmd $(basename "$f"): expected one line on stderr, got: $(cat "$work/err")"
    grep -q "^$f:[0-9]*:.*error: " "$work/err" || fail "$cmd $(basename "$f"): no file:line in: $(cat "$work/err")"
    [ ! -s "$work/out" ] || fail "$cmd $(basename "$f"): wrote to stdout"
  done
done

# 3b. A file with several independent mistakes: exit 2, one line per mistake (as many as its
# "# expect:" lines, in that order), nothing on stdout.
for f in "$root"/tests/bad_multiple/*.yaml; do
  timeout 20 "$nines" validate "$f" >"$work/out" 2>"$work/err"; code=$?
  [ $code -eq 2 ] || fail "validate $(basename "$f"): exit $code, expected 2"
  grep '^# expect: ' "$f" | sed 's/^# expect: \([0-9]*:[0-9]*\):.*/\1/' >"$work/want"
  sed -n 's|^'"$f"':\([0-9]*:[0-9]*\): error: .*|\1|p' "$work/err" >"$work/got"
  [ "$(wc -l <"$work/err")" -eq "$(wc -l <"$work/want")" ] || fail "validate $(basename "$f"): expected $(wc -l <"$work/want") lines on stderr, got: $(cat "$work/err")"
  cmp -s "$work/want" "$work/got" || fail "validate $(basename "$f"): locations $(tr '\n' ' ' <"$work/got"), expected $(tr '\n' ' ' <"$work/want")"
  [ ! -s "$work/out" ] || fail "validate $(basename "$f"): wrote to stdout"
done

# 4. Bad input never leaves a partial output file.
"$nines" run "$root/tests/bad/k_zero.yaml" --json "$work/partial.json" --csv "$work/partial_csv" >/dev/null 2>&1
[ ! -e "$work/partial.json" ] || fail "bad input left a JSON file"
[ ! -e "$work/partial_csv" ] || fail "bad input left a CSV directory"

# 5. Usage errors exit 2.
"$nines" run >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing scenario argument did not exit 2"
"$nines" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command did not exit 2"
"$nines" run "$root/scenarios/web_two_zones.yaml" --replications zero >/dev/null 2>&1; [ $? -eq 2 ] || fail "non-numeric --replications did not exit 2"
"$nines" run "$root/scenarios/web_two_zones.yaml" --horizon 5parsecs >/dev/null 2>"$work/err"; [ $? -eq 2 ] || fail "bad --horizon did not exit 2"
grep -q "unknown time unit" "$work/err" || fail "bad --horizon message: $(cat "$work/err")"
"$nines" run /nonexistent.yaml >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing file did not exit 2"

# 6. --threads 1 and --threads 2 give identical JSON (apart from the timing object).
"$nines" run "$root/scenarios/replicated_database.yaml" --replications 300 --threads 1 --json "$work/t1.json" --quiet || fail "threads 1 run"
"$nines" run "$root/scenarios/replicated_database.yaml" --replications 300 --threads 2 --json "$work/t2.json" --quiet || fail "threads 2 run"
sed '/"timing": {/,/}/d' "$work/t1.json" >"$work/t1.stripped"
sed '/"timing": {/,/}/d' "$work/t2.json" >"$work/t2.stripped"
grep -q '"availability"' "$work/t1.stripped" || fail "JSON has no availability"
cmp -s "$work/t1.stripped" "$work/t2.stripped" || fail "JSON differs between --threads 1 and --threads 2"
grep -q '"timing"' "$work/t1.json" || fail "JSON has no timing object"

# 7. --json - writes only JSON to stdout; --csv writes the documented files.
"$nines" run "$root/scenarios/storage_cluster.yaml" --replications 20 --json - --csv "$work/csv" >"$work/stdout.json" || fail "json to stdout"
head -c 1 "$work/stdout.json" | grep -q '{' || fail "--json - did not start with {"
for f in summary.csv time_series.csv components.csv year_downtime.csv outages.csv; do
  [ -s "$work/csv/$f" ] || fail "missing CSV $f"
done
grep -q '^availability,' "$work/csv/summary.csv" || fail "summary.csv has no availability row"

# 8. --quiet prints nothing on success.
[ -z "$("$nines" run "$root/scenarios/web_two_zones.yaml" --replications 10 --quiet)" ] || fail "--quiet printed output"

# 9. Every shipped scenario shows its cross-check verdict: it agrees, or it says why no method applies.
agreeing=0
for f in "$root"/scenarios/*.yaml; do
  out=$("$nines" run "$f" 2>&1) || fail "run $(basename "$f")"
  if grep -q "cross-check: analytic .*: agrees, z = " <<<"$out"; then
    agreeing=$((agreeing + 1))
  else
    grep -q "cross-check: not applicable: ..." <<<"$out" || fail "$(basename "$f"): cross-check neither agrees nor says why: $(grep cross-check <<<"$out")"
  fi
done
[ $agreeing -ge 5 ] || fail "only $agreeing scenarios have an agreeing cross-check"
"$nines" run "$root/scenarios/web_two_zones.yaml" --replications 400 --json - | grep -q '"verdict": "agrees"' || fail "JSON has no crosscheck verdict"
"$nines" run "$root/scenarios/web_two_zones.yaml" --replications 20 | grep -q "cross-check: not applicable: only [0-9]* system outages" || fail "thin runs must not get a verdict"

# 10. analyze: the method and why, importance, cut sets; JSON; methods that do not apply exit 2.
out=$("$nines" analyze "$root/scenarios/replicated_database.yaml") || fail "analyze exited non-zero"
grep -q "^method: BDD" <<<"$out" || fail "analyze did not name the BDD method"
grep -q "Birnbaum" <<<"$out" || fail "analyze printed no importance table"
grep -q "{power\[0\]}" <<<"$out" || fail "analyze did not list the single-point cut set {power[0]}"
"$nines" analyze "$root/scenarios/storage_cluster.yaml" --json - | grep -q '"method": "closed form"' || fail "analyze JSON method"
"$nines" analyze "$root/scenarios/storage_cluster.yaml" --json - | grep -q '"importance": null' || fail "analyze JSON: per-instance importance without --per-instance"
"$nines" analyze "$root/scenarios/storage_cluster.yaml" --json - | grep -q '"component_importance": \[' || fail "analyze JSON: no per-component importance"
"$nines" analyze "$root/scenarios/storage_cluster.yaml" --per-instance --json - | grep -q '"importance": \[' || fail "analyze --per-instance JSON: no per-instance importance"
"$nines" analyze "$root/scenarios/web_two_zones.yaml" --method ctmc >/dev/null 2>"$work/err"; code=$?
[ $code -eq 2 ] || fail "analyze --method ctmc on lognormal repairs: exit $code, expected 2"
grep -q "exponential" "$work/err" || fail "analyze --method ctmc message: $(cat "$work/err")"
# --bdd-memory: a budget too small for the BDD gives "cut sets only" (exit 0); bad budgets exit 2 with one line.
"$nines" analyze "$root/bench/fault-trees/jbd9601.yaml" --bdd-memory 7MiB | grep -q "^method: cut sets only" || fail "analyze --bdd-memory 7MiB: not cut sets only"
for bad in 7 1MiB 4Gb; do
    "$nines" analyze "$root/scenarios/storage_cluster.yaml" --bdd-memory "$bad" >"$work/out" 2>"$work/err"; code=$?
    [ $code -eq 2 ] || fail "analyze --bdd-memory $bad: exit $code, expected 2"
    [ ! -s "$work/out" ] || fail "analyze --bdd-memory $bad wrote to stdout"
    grep -q "^command line: error: --bdd-memory: " "$work/err" || fail "analyze --bdd-memory $bad message: $(cat "$work/err")"
done
# --bound-branches: the certified bounds when no diagram fits; more expansions, bounds no wider.
"$nines" analyze "$root/bench/fault-trees/jbd9601.yaml" --bdd-memory 7MiB --bound-branches 10 --json "$work/b10.json" >/dev/null || fail "analyze --bound-branches 10"
"$nines" analyze "$root/bench/fault-trees/jbd9601.yaml" --bdd-memory 7MiB --json "$work/b2000.json" | grep -q "^  unavailability  *between " || fail "analyze without a diagram: no bounds"
/usr/bin/python3 - "$work/b10.json" "$work/b2000.json" <<'PY' || fail "--bound-branches: bounds wider with more expansions, or not around 0.755090615057"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
exact = 0.75509061505650921  # tests/data/fault_tree_probabilities.csv
for r in (a, b):
    assert r["unavailability_lower_bound"] <= exact <= r["unavailability_upper_bound"], r
assert b["unavailability_upper_bound"] - b["unavailability_lower_bound"] <= a["unavailability_upper_bound"] - a["unavailability_lower_bound"]
assert a["unavailability_upper_bound"] - a["unavailability_lower_bound"] > 1e-9
PY
# Importance bounds in the JSON: the units of the listed cut sets, each around the BDD's exact measures.
"$nines" analyze "$root/bench/fault-trees/jbd9601.yaml" --per-instance --json "$work/exact.json" >/dev/null || fail "analyze jbd9601"
/usr/bin/python3 - "$work/b2000.json" "$work/exact.json" <<'PY' || fail "importance_bounds: missing, or not around the exact measures"
import json, sys
bounded, exact = (json.load(open(f)) for f in sys.argv[1:3])
assert bounded["importance"] is None and bounded["component_importance"] is None
rows = bounded["importance_bounds"]
assert len(rows) == 20, len(rows)
by_name = {i["instance"]: i for i in exact["importance"]}
for r in rows:
    for m in ("birnbaum", "criticality", "raw", "rrw"):
        low, high = r[m]
        v = by_name[r["instance"]][m]
        assert low <= v * (1 + 1e-9) and (high is None or v <= high * (1 + 1e-9)), (r, m, v)
PY
for bad in 0 -3 many; do
    "$nines" analyze "$root/scenarios/storage_cluster.yaml" --bound-branches "$bad" >"$work/out" 2>"$work/err"; code=$?
    [ $code -eq 2 ] || fail "analyze --bound-branches $bad: exit $code, expected 2"
    [ ! -s "$work/out" ] || fail "analyze --bound-branches $bad wrote to stdout"
    grep -q "bound-branches" "$work/err" || fail "analyze --bound-branches $bad: the message does not name the option: $(cat "$work/err")"
done
printf 'components:\n  x: { count: 17, failure: { mttf: 100h }, repair: { mttr: 1h } }\nsystem: { parallel: [x] }\n' >"$work/same.yaml"
"$nines" analyze "$work/same.yaml" --method ctmc | grep -q "Markov chain on 18 states" || fail "17 identical units should lump to 18 states"
{ printf 'components:\n'; for i in $(seq 0 21); do printf '  x%d: { failure: { mttf: %dh }, repair: { mttr: 1h } }\n' $i $((100 + i)); done
  printf 'system: { parallel: [%s] }\n' "$(seq -s ', ' -f 'x%g' 0 21)"; } >"$work/big.yaml"
"$nines" analyze "$work/big.yaml" --method ctmc >/dev/null 2>"$work/err"; code=$?
[ $code -eq 2 ] || fail "analyze --method ctmc on 2^22 states: exit $code"
grep -q "would have up to 4.19e+06 states, above the limit of 2000000" "$work/err" || fail "state-space cap message: $(cat "$work/err")"
"$nines" analyze "$work/big.yaml" | grep -q "MTTF (first failure) *n/a" || fail "analyze should say MTTF n/a when the chain is too large"
"$nines" analyze "$root/tests/bad/k_zero.yaml" >/dev/null 2>&1; [ $? -eq 2 ] || fail "analyze bad input did not exit 2"

# 11. check: exit 0 all pass, 1 a failure, 1 under --strict with an inconclusive one, 2 bad input; JUnit.
"$nines" check "$root/scenarios" --junit "$work/junit.xml" --quiet >"$work/out" 2>&1; code=$?
[ $code -eq 0 ] || fail "check scenarios/ exited $code: $(tail -3 "$work/out")"
grep -q "<testsuites" "$work/junit.xml" || fail "check wrote no JUnit XML"
unit='components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h } }\nsystem: a\nsimulation: { horizon: 1000h, replications: 20, seed: 4 }\nexpect:\n'
printf "$unit  - availability >= 99%%\n" >"$work/failing.yaml"
"$nines" check "$work/failing.yaml" >"$work/out" 2>&1; code=$?
[ $code -eq 1 ] || fail "check with a failing expectation exited $code"
grep -q "FAIL .*misses >= 99" "$work/out" || fail "check did not say by how much: $(cat "$work/out")"
printf "$unit  - availability >= 95.2381%%\n" >"$work/undecided.yaml"
"$nines" check "$work/undecided.yaml" --max-replications 40 --quiet >/dev/null 2>&1; code=$?
[ $code -eq 0 ] || fail "check with an inconclusive expectation (not strict) exited $code"
"$nines" check "$work/undecided.yaml" --max-replications 40 --strict --quiet >/dev/null 2>&1; code=$?
[ $code -eq 1 ] || fail "check --strict with an inconclusive expectation exited $code"
"$nines" check "$work/failing.yaml" "$root/tests/bad/expect_unknown_metric.yaml" --quiet >"$work/out" 2>"$work/err"; code=$?
[ $code -eq 2 ] || fail "check with a bad file exited $code"
grep -q "expect_unknown_metric.yaml:6:5: error: unknown metric" "$work/err" || fail "check bad-file message: $(cat "$work/err")"
"$nines" check "$work/failing.yaml" --json - --quiet | grep -q '"outcome": "fail"' || fail "check --json"

# 12. sweep: a table and a CSV row per point; the file's own sweep section; bad keys exit 2.
"$nines" sweep "$root/scenarios/web_two_zones.yaml" --set web.count=2..4 --replications 200 --csv "$work/sweep.csv" >"$work/out" || fail "sweep"
[ "$(wc -l <"$work/sweep.csv")" -eq 4 ] || fail "sweep CSV should hold a header and 3 points: $(cat "$work/sweep.csv")"
"$nines" sweep "$root/scenarios/web_two_zones.yaml" --replications 200 | grep -q "cheapest design meeting every expectation: web.count=4" || fail "sweep section / cheapest design"
"$nines" sweep "$root/scenarios/web_two_zones.yaml" --set webb.count=2..3 >/dev/null 2>"$work/err"; [ $? -eq 2 ] || fail "sweep over a missing key did not exit 2"
grep -q "sweep over a missing key" "$work/err" || fail "sweep missing key message: $(cat "$work/err")"
"$nines" sweep "$root/scenarios/web_two_zones.yaml" --set web.count=5..3 >/dev/null 2>"$work/err"; [ $? -eq 2 ] || fail "empty range did not exit 2"

# 13. compare: differences with intervals and the measured effect of common random numbers.
out=$("$nines" compare "$root/scenarios/web_two_zones.yaml" "$root/scenarios/web_two_zones_lb_pair.yaml" --replications 300) || fail "compare"
grep -q "B - A  unavailability" <<<"$out" || fail "compare printed no difference"
grep -q "common random numbers narrow" <<<"$out" || fail "compare printed no CRN ratio"
"$nines" compare "$root/scenarios/web_two_zones.yaml" >/dev/null 2>&1; [ $? -eq 2 ] || fail "compare with one file did not exit 2"

# 14. Inputs that are not scenario files, and command-line values that would wrap: exit 2, one line.
one_error() {  # one_error DESCRIPTION PATTERN COMMAND...: exit 2, nothing on stdout, one stderr line matching PATTERN
  local what=$1 pattern=$2; shift 2
  timeout 20 "$@" >"$work/out" 2>"$work/err"; local code=$?
  [ $code -eq 2 ] || fail "$what: exit $code, expected 2"
  [ "$(wc -l <"$work/err")" -eq 1 ] || fail "$what: expected one line on stderr, got: $(cat "$work/err")"
  grep -q -- "$pattern" "$work/err" || fail "$what: message: $(cat "$work/err")"
  [ ! -s "$work/out" ] || fail "$what: wrote to stdout"
}
one_error "validate /dev/zero" "^/dev/zero: error: cannot read the scenario file: it is not a regular file" "$nines" validate /dev/zero
one_error "run a directory" "it is a directory, not a file" "$nines" run "$root/scenarios"
mkdir -p "$work/no-scenarios.yaml"
one_error "validate a folder without scenarios" "no scenario files" "$nines" validate "$work/no-scenarios.yaml"
ln -s loop2.yaml "$work/loop1.yaml"; ln -s loop1.yaml "$work/loop2.yaml"
one_error "symbolic-link loop" "loop1.yaml: error: cannot open the scenario file: Too many levels of symbolic links" "$nines" validate "$work/loop1.yaml"
printf 'components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { lognormal: { median: 1h, sigma: 1 } }, crew: c }\nsystem: { parallel: [a] }\nrepair: { pools: { c: { crews: 1 } } }\n' >"$work/crew.yaml"
# A valid file no exact method applies to: exit 0, the reason on the method line, the structure's cut sets.
out=$("$nines" analyze "$work/crew.yaml") || fail "analyze without an exact method exited non-zero (a valid file)"
grep -q "^method: structure only (no exact method applies: .*component 'a' has lognormal" <<<"$out" || fail "analyze without an exact method: $out"
grep -q "{a\[0\], a\[1\]}" <<<"$out" || fail "analyze without an exact method listed no cut set: $out"
"$nines" run "$root/scenarios/web_two_zones.yaml" --seed -1 --replications 5 >"$work/out" 2>"$work/err"; code=$?
[ $code -eq 2 ] || fail "--seed -1: exit $code, expected 2"
grep -q "a seed must be 0 or more, got -1" "$work/err" || fail "--seed -1 message: $(cat "$work/err")"
[ ! -s "$work/out" ] || fail "--seed -1 wrote to stdout"
"$nines" run "$root/scenarios/web_two_zones.yaml" --seed 18446744073709551615 --replications 5 --quiet || fail "the largest seed was refused"
one_error "tiny maintenance interval (R05a)" "mostly from component 'a' maintenance" "$nines" run "$root/tests/bad/maintenance_tiny_interval.yaml"
one_error "a horizon from the command line over the event budget" "events per replication" \
  "$nines" run "$root/scenarios/web_two_zones.yaml" --horizon 1e10y --replications 1
# Importance splitting refuses what it does not handle at the `method` key (line 4, where its value is).
cat >"$work/split_delay.yaml" <<'YAML'
components:
  u: { count: 3, failure: { weibull: { shape: 2, scale: 1000h } }, repair: { mttr: 1h }, detect: { fixed: 1h } }
system: { k_of_n: { k: 2, of: u } }
simulation: { method: splitting, replications: 4, horizon: 10000h }
YAML
one_error "splitting on a model with detection delays" \
  "^$work/split_delay.yaml:4:23: error: simulation method 'splitting' cannot estimate this model: .*detection or logistics delays" \
  "$nines" run "$work/split_delay.yaml"
# Importance sampling on a Weibull model runs failure biasing by uniformisation: the JSON states the
# method, the variant, the replications, the relative error and the variance ratio; a decreasing hazard
# (shape 0.7) is refused at the `method` key.
cat >"$work/wearout.yaml" <<'YAML'
components:
  u: { count: 4, failure: { weibull: { shape: 1.5, scale: 2000h } }, repair: { lognormal: { median: 4h, sigma: 0.8 } } }
system: { k_of_n: { k: 2, of: u } }
simulation: { method: importance, until: relative_error <= 10%, horizon: 200000h, warmup: 10000h, replications: 4, seed: 3 }
YAML
"$nines" run "$work/wearout.yaml" --json "$work/wearout.json" --quiet >/dev/null || fail "importance on a Weibull model exited non-zero"
/usr/bin/python3 - "$work/wearout.json" <<'PY' || fail "importance on a Weibull model: the JSON does not say uniformisation"
import json, sys
r = json.load(open(sys.argv[1]))["rare_event"]
assert r["method"] == "importance" and r["variant"].startswith("failure biasing through uniformisation"), r["variant"]
assert r["over_window"] and r["cycles"] % 8 == 0 and r["relative_error"] <= 0.10 and r["target_reached"], r
assert r["variance_ratio"] > 10 and r["likelihood_ratio"]["sample"] == "branch", r
PY
sed 's/shape: 1.5/shape: 0.7/' "$work/wearout.yaml" >"$work/early.yaml"
one_error "importance on a decreasing Weibull hazard" \
  "^$work/early.yaml:4:23: error: simulation method 'importance' needs a Markovian model .*hazard has no bound" \
  "$nines" run "$work/early.yaml"

finish "test_cli"
