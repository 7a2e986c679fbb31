#!/usr/bin/env bash
# Output files and folders of the CLI: what a path names is never harmed (the scenario, a symlink, a
# FIFO, a stale PATH.tmp), outputs are whole or absent after a signal, folders of scenarios for
# validate/check, and check --quiet. Usage: test_outputs.sh NINES_BINARY PROJECT_DIR
. "$(dirname "$0")/common.sh" "$@"
cd "$work" || exit 1
no_temporaries() { ! ls -A "$1" | grep -q '\.nines-' || fail "$2: a temporary was left: $(ls -A "$1")"; }

printf 'components:\n  a: { count: 2, failure: { mttf: 100h }, repair: { mttr: 1h } }\nsystem: { parallel: [a] }\nsimulation: { horizon: 1y, replications: 5 }\n' >s.yaml
cp s.yaml s.orig

# 1. The scenario being read is never overwritten (exit 2, one message, the file unchanged).
"$nines" run s.yaml --json s.yaml --quiet 2>err; code=$?
[ $code -eq 2 ] || fail "--json onto the scenario: exit $code, expected 2"
grep -q "refusing to overwrite" err || fail "--json onto the scenario: message: $(cat err)"
cmp -s s.yaml s.orig || fail "--json onto the scenario changed it"
ln -s s.yaml alias.yaml
"$nines" check s.yaml --junit alias.yaml --quiet >/dev/null 2>err; code=$?
[ $code -eq 2 ] || fail "--junit onto the scenario through a link: exit $code, expected 2"
cmp -s s.yaml s.orig || fail "--junit onto the scenario changed it"
[ -L alias.yaml ] || fail "the link to the scenario was replaced"

mkdir outdir
"$nines" run s.yaml --json outdir --quiet 2>err; code=$?
[ $code -eq 2 ] || fail "--json onto a folder: exit $code, expected 2"
grep -q "is a folder" err || fail "--json onto a folder: message: $(cat err)"

# 2. A symlink is followed: the target gets the JSON, the link stays a link.
echo keep >target.txt; ln -s target.txt link.json
"$nines" run s.yaml --json link.json --quiet || fail "--json through a symlink"
[ -L link.json ] || fail "the symlink was replaced by a file"
head -c 1 target.txt | grep -q '{' || fail "the symlink's target did not get the JSON"

# 3. A FIFO is written directly and stays a FIFO.
mkfifo fifo.json
timeout 30 cat fifo.json >fifo.out & reader=$!
"$nines" run s.yaml --json fifo.json --quiet || fail "--json into a FIFO"
wait $reader
[ -p fifo.json ] || fail "the FIFO was replaced by a regular file"
grep -q '"format": "nines-results"' fifo.out || fail "the FIFO reader got no JSON"

# A descriptor path is written directly (/proc/self/fd/1 is nines's own stdout; /dev/stdout names the same).
"$nines" run s.yaml --json /proc/self/fd/1 --quiet >fd.out || fail "--json /proc/self/fd/1"
grep -q '"format": "nines-results"' fd.out || fail "--json /proc/self/fd/1 wrote nothing to stdout"

# 4. A stale PATH.tmp (here a symlink to a victim) is neither followed nor removed; no fixed temporary.
echo precious >victim.txt; ln -s victim.txt out.json.tmp
"$nines" run s.yaml --json out.json --quiet || fail "--json with a stale out.json.tmp"
[ "$(cat victim.txt)" = precious ] || fail "the victim behind out.json.tmp was written"
head -c 1 out.json | grep -q '{' || fail "out.json was not written"
no_temporaries . "after the runs"

# 5. Permissions of a replaced file are kept.
echo old >perm.json; chmod 640 perm.json
"$nines" run s.yaml --json perm.json --quiet || fail "--json over a 0640 file"
[ "$(stat -c %a perm.json)" = 640 ] || fail "permissions not kept: $(stat -c %a perm.json)"

# 6. A signal while outputs are written (here: waiting for a FIFO reader) leaves no CSV folder, no
#    temporary and the FIFO intact; exit 130. SIGTERM from the script, SIGINT with its default
#    disposition as in an interactive shell.
rm -f wait.json; mkfifo wait.json
"$nines" run s.yaml --json wait.json --csv csvdir --quiet 2>err & pid=$!
sleep 2; kill -TERM $pid; wait $pid; code=$?
[ $code -eq 130 ] || fail "SIGTERM while writing: exit $code, expected 130 ($(cat err))"
[ ! -e csvdir ] || fail "SIGTERM while writing left csvdir: $(ls -A csvdir)"
[ -p wait.json ] || fail "SIGTERM while writing replaced the FIFO"
no_temporaries . "after SIGTERM"
python3 - "$nines" <<'PY' || fail "SIGINT while writing"
import os, signal, subprocess, sys, time
p = subprocess.Popen([sys.argv[1], "run", "s.yaml", "--json", "wait.json", "--csv", "csvdir", "--quiet"],
                     stderr=subprocess.DEVNULL, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
time.sleep(2); p.send_signal(signal.SIGINT); code = p.wait()
sys.exit(0 if code == 130 and not os.path.exists("csvdir") else "exit %d, csvdir %s" % (code, os.path.exists("csvdir")))
PY
no_temporaries . "after SIGINT"
# Without a signal the same outputs are all written.
timeout 30 cat wait.json >/dev/null & reader=$!
"$nines" run s.yaml --json wait.json --csv csvdir --quiet || fail "--json FIFO + --csv"
wait $reader
[ "$(ls csvdir | wc -l)" -eq 8 ] || fail "csvdir should hold 8 files (with causes.csv; no slo.csv without slo:): $(ls -A csvdir)"
no_temporaries csvdir "in csvdir"

# 7. validate takes folders like check; a bad file among them: its message, exit 2, the others still read.
out=$("$nines" validate "$root/scenarios/") || fail "validate scenarios/"
[ "$(grep -c ': ok: ' <<<"$out")" -eq "$(ls "$root"/scenarios/*.yaml | wc -l)" ] || fail "validate scenarios/ did not read every file: $out"
mkdir mixed; cp s.yaml mixed/a.yaml; cp "$root/tests/bad/k_zero.yaml" mixed/b.yaml
"$nines" validate mixed >out 2>err; code=$?
[ $code -eq 2 ] || fail "validate with a bad file in the folder: exit $code"
grep -q "mixed/a.yaml: ok" out || fail "validate did not report the good file: $(cat out)"
grep -q "mixed/b.yaml:[0-9]*:[0-9]*: error: " err || fail "validate bad-file message: $(cat err)"
mkdir empty; "$nines" validate empty >/dev/null 2>err; [ $? -eq 2 ] || fail "validate of an empty folder did not exit 2"

# 8. check --quiet prints only the totals line.
printf 'components:\n  a: { failure: { mttf: 100h }, repair: { mttr: 5h } }\nsystem: a\nsimulation: { horizon: 1000h, replications: 20, seed: 4 }\nexpect:\n  - availability >= 90%%\n' >pass.yaml
"$nines" check pass.yaml --quiet >out 2>err || fail "check --quiet"
[ "$(cat out)" = "1 scenario: 1 passed, 0 failed, 0 inconclusive" ] || fail "check --quiet printed: $(cat out)"
[ ! -s err ] || fail "check --quiet wrote to stderr: $(cat err)"

finish "test_outputs"
