#!/usr/bin/env bash
# `nines import` and `nines export --mef` on the command line: output to stdout or -o, exit codes, one
# located message per bad file. Usage: test_interchange.sh NINES_BINARY PROJECT_DIR
. "$(dirname "$0")/common.sh" "$@"
mef=$root/bench/fault-trees/mef

# 1. Import to stdout and to a file: the same scenario, which analyze reads.
"$nines" import "$mef/TwoTrain/two_train.xml" >"$work/stdout.yaml" 2>"$work/err" || fail "import to stdout: $(cat "$work/err")"
"$nines" import "$mef/TwoTrain/two_train.xml" -o "$work/two_train.yaml" >"$work/out" 2>&1 || fail "import -o: $(cat "$work/out")"
[ ! -s "$work/out" ] || fail "import -o printed: $(cat "$work/out")"
cmp -s "$work/stdout.yaml" "$work/two_train.yaml" || fail "import -o differs from stdout"
"$nines" analyze "$work/two_train.yaml" >"$work/analyze" || fail "analyze of the imported scenario"
grep -Eq "unavailability +0\.7225$" "$work/analyze" || fail "two trains: unavailability is not (1 - 0.5 x 0.3)^2 = 0.7225: $(grep unavail "$work/analyze")"

# 2. Split files, includes and Galileo.
"$nines" import "$mef/Baobab/baobab1.xml" "$mef/Baobab/baobab1-basic-events.xml" >/dev/null || fail "import of two files"
"$nines" import "$mef/TransTest/trans_one.xml" >/dev/null || fail "import with xi:include"
"$nines" import "$root/tests/interchange/pumps_rates.dft" >/dev/null || fail "Galileo import"

# 2b. --mission-time sets <system-mission-time/>: 1 - exp(-2e-5 x 1000) = 0.0198013266932447.
"$nines" import "$root/tests/interchange/mef_features.xml" --mission-time 1000h | grep -q '"Fan1".*q = 0.0198013266932447 ' || fail "--mission-time 1000h not applied"
"$nines" import "$root/tests/interchange/mef_features.xml" | grep -q '"Fan1".*q = 0.1607108538469253 ' || fail "default mission time is not 8760 h"
"$nines" import "$root/tests/interchange/mef_features.xml" --mission-time 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--mission-time 0 did not exit 2"

# 3. Export, and import of the export: the same unavailability.
"$nines" export --mef "$work/two_train.yaml" -o "$work/exported.xml" || fail "export --mef"
"$nines" import "$work/exported.xml" -o "$work/back.yaml" || fail "import of the export"
"$nines" analyze "$work/back.yaml" | grep -Eq "unavailability +0\.7225$" || fail "export round trip changed the unavailability"
"$nines" export --mef "$root/scenarios/replicated_database.yaml" | grep -q "<opsa-mef>" || fail "export of a scenario with requires"

# 4. What cannot be exported: exit 2, one located line.
for f in "$root"/scenarios/*.yaml; do
  "$nines" export --mef "$f" >"$work/out" 2>"$work/err"; code=$?
  if [ $code -ne 0 ]; then
    [ $code -eq 2 ] || fail "export $(basename "$f"): exit $code"
    [ "$(wc -l <"$work/err")" -eq 1 ] || fail "export $(basename "$f"): not one line: $(cat "$work/err")"
    grep -q "error: cannot export to Open-PSA MEF: " "$work/err" || fail "export $(basename "$f"): $(cat "$work/err")"
    [ ! -s "$work/out" ] || fail "export $(basename "$f"): wrote to stdout"
  fi
done

# 5. Every bad file: exit 2, exactly one line naming file:line:column, nothing on stdout, no -o file.
for f in "$root"/tests/bad-import/*; do
  timeout 20 "$nines" import "$f" -o "$work/bad.yaml" >"$work/out" 2>"$work/err"; code=$?
  [ $code -eq 2 ] || fail "import $(basename "$f"): exit $code, expected 2"
  [ "$(wc -l <"$work/err")" -eq 1 ] || fail "import $(basename "$f"): expected one line on stderr, got: $(cat "$work/err")"
  grep -q "^$f:[0-9]*:[0-9]*: error: " "$work/err" || fail "import $(basename "$f"): no file:line:column in: $(cat "$work/err")"
  [ ! -s "$work/out" ] || fail "import $(basename "$f"): wrote to stdout"
  [ ! -e "$work/bad.yaml" ] || fail "import $(basename "$f"): left an output file"
done

# 6. Usage: unknown extension, -o naming the input, export without a format.
"$nines" import "$root/scenarios/web_two_zones.yaml" >/dev/null 2>"$work/err"; [ $? -eq 2 ] || fail "import of a .yaml did not exit 2"
grep -q "cannot tell the format" "$work/err" || fail "unknown extension message: $(cat "$work/err")"
cp "$mef/TwoTrain/two_train.xml" "$work/in.xml"
"$nines" import "$work/in.xml" -o "$work/in.xml" >/dev/null 2>&1; [ $? -eq 2 ] || fail "-o naming the input did not exit 2"
cmp -s "$work/in.xml" "$mef/TwoTrain/two_train.xml" || fail "-o naming the input changed it"
"$nines" export "$work/two_train.yaml" >/dev/null 2>&1; [ $? -eq 2 ] || fail "export without --mef did not exit 2"

finish "test_interchange"
