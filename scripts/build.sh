#!/usr/bin/env bash
# Configures and builds one flavour of nines. Usage: scripts/build.sh [release|asan]
# release: optimised, warnings are errors (build/release). asan: Debug with AddressSanitizer and
# UndefinedBehaviorSanitizer (build/asan), without MPI (Open MPI's own allocations would read as leaks; the MPI
# identity test runs in the release build).
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
jobs=$(nproc 2>/dev/null || echo 2)
case "$flavour" in
  release) cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DNINES_WERROR=ON >/dev/null ;;
  asan)    cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DNINES_SANITIZE=ON -DNINES_WERROR=ON -DNINES_BUILD_BENCH=OFF -DNINES_BUILD_PYTHON=OFF -DNINES_MPI=OFF >/dev/null ;;
  *) echo "usage: $0 [release|asan]" >&2; exit 2 ;;
esac
cmake --build "build/$flavour" -j "$jobs"
