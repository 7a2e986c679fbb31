#!/usr/bin/env bash
# Set-up command 2: installs what is missing, builds nines (warnings as errors), runs every test,
# then builds again with AddressSanitizer + UndefinedBehaviorSanitizer and runs every test there too
# (except those labelled slow: the analysis of all 52 published fault trees), and last fuzzes the
# input side for three minutes (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

echo "== release build (warnings are errors)"
bash scripts/build.sh release
ctest --test-dir build/release --output-on-failure -j "$jobs"

echo "== the shipped scenarios meet their expectations"
./build/release/nines check scenarios/ --strict --junit build/release/scenarios-junit.xml

echo "== sanitizer build (ASan + UBSan, Debug)"
bash scripts/build.sh asan
# The sequential-decision error-rate studies (thousands of seeded studies each; they measure statistics,
# not memory safety, and take 20 minutes under ASan) run in the release build only; the code they
# exercise runs under the sanitizers in the other check and sweep tests.
statistical_studies='check at the threshold: wrong verdicts|a precision target with a small minimum|a clear margin is still decided'
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j "$jobs" -LE slow -E "$statistical_studies"
echo "== fuzzing the reader, index expressions and expectations (60 s each; clang + libFuzzer)"
bash scripts/fuzz.sh 60
echo "== all tests passed"
