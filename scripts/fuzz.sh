#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (ASan + UBSan) into build/fuzz and runs each for a
# bounded time. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] (default 60; FUZZ_SECONDS also works).
# Seed corpora: scenarios/, models/ and tests/bad/ for the reader; the index expressions and the
# expectations found in those files for the other two. Findings go to build/fuzz/artifacts/ and make
# the script fail; add each one to tests/bad/ (or a unit test) when it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-60}}
if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ is not installed (apt-get install clang); skipping the fuzz targets" >&2
  exit 0
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DNINES_BUILD_FUZZ=ON \
  -DNINES_WERROR=ON -DNINES_BUILD_TESTS=OFF -DNINES_BUILD_BENCH=OFF -DNINES_BUILD_PYTHON=OFF "${launcher[@]}" >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)
cmake --build build/fuzz -j "$jobs" --target fuzz_scenario_reader fuzz_index_expression fuzz_expectation fuzz_interchange

work=build/fuzz/run
mkdir -p "$work/seeds/scenario" "$work/seeds/index" "$work/seeds/expectation" build/fuzz/artifacts
for target in scenario index expectation interchange; do mkdir -p "$work/corpus/$target"; done
# Interchange: the first byte picks the reader (even, 'x': MEF; odd, 'g': Galileo), then the file.
mkdir -p "$work/seeds/interchange"
for f in tests/interchange/*.xml tests/interchange/ccf/*.xml tests/bad-import/*.xml bench/fault-trees/mef/TwoTrain/*.xml bench/fault-trees/mef/Lift/*.xml; do
  { printf 'x'; cat "$f"; } >"$work/seeds/interchange/$(echo "$f" | tr / _)"
done
for f in tests/interchange/*.dft tests/bad-import/*.dft; do
  { printf 'g'; cat "$f"; } >"$work/seeds/interchange/$(echo "$f" | tr / _)"
done
# Reader: whole files. Index expressions: the text inside name[...]. Expectations: the `expect:` items.
for f in scenarios/*.yaml models/*.yaml tests/bad/*.yaml; do
  cp "$f" "$work/seeds/scenario/$(echo "$f" | tr / _)"
done
n=0
grep -ho '[A-Za-z_][A-Za-z0-9_]*\[[^]"]*\]' scenarios/*.yaml tests/bad/*.yaml models/*.yaml 2>/dev/null | sed 's/^[^[]*\[//; s/\]$//' | sort -u |
  while IFS= read -r e; do n=$((n + 1)); printf '\0\0\0\0\0\0\0\0%s' "$e" >"$work/seeds/index/seed$n"; done
grep -hoE '^ *- *"?[a-z_.()0-9A-Z]+ *(>=|<=|<|>) *[^"]+"?|crosscheck' scenarios/*.yaml tests/bad/*.yaml 2>/dev/null |
  sed 's/^ *- *//; s/^"//; s/"$//' | sort -u |
  while IFS= read -r e; do n=$((n + 1)); printf '%s' "$e" >"$work/seeds/expectation/seed$n"; done

status=0
run() {  # run TARGET CORPUS MAX_LEN [extra options]
  local target=$1 corpus=$2 max_len=$3; shift 3
  echo "== $target: ${seconds} s"
  # Run from the corpus folder: a fuzzed scenario that imports a relative path finds nothing there.
  if ! (cd "$work" && "../fuzz/$target" "corpus/$corpus" "seeds/$corpus" -max_total_time="$seconds" -max_len="$max_len" \
          -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix=../artifacts/"$target"- "$@" \
          >"$target.log" 2>&1); then
    echo "fuzz.sh: $target found a problem; see build/fuzz/$(basename "$work")/$target.log and build/fuzz/artifacts/" >&2
    tail -40 "$work/$target.log" >&2
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::new_units_added|^stat::peak_rss_mb" "$work/$target.log" | sed 's/^/   /' || true
}
run fuzz_scenario_reader scenario 4096 -dict=../../../fuzz/scenario.dict
run fuzz_index_expression index 256
run fuzz_expectation expectation 256
run fuzz_interchange interchange 8192
exit $status
