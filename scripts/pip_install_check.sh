#!/usr/bin/env bash
# Installs the package from this checkout with pip into a throw-away venv (offline: no build isolation,
# no dependencies; numpy comes from the system site-packages) and uses it from outside the checkout.
#   bash scripts/pip_install_check.sh [BUILD_DIR]
# With BUILD_DIR (a configured CMake build, as ctest passes), setup.py builds the extension there;
# without it, setup.py configures and builds a fresh one (minutes: the whole core is compiled).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${NINES_PYTHON:-/usr/bin/python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m venv --system-site-packages "$work/venv"
# pip builds in place: copy the sources so the checkout gets no build/ or egg-info from this test.
mkdir "$work/src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard 2>/dev/null || find . -type f -not -path './build*' -not -path './.git/*' -print0) |
  (cd "$root" && xargs -0 cp --parents -t "$work/src")
if [ $# -ge 1 ]; then export NINES_BUILD_DIR="$(cd "$1" && pwd)"; fi
"$work/venv/bin/python" -m pip install --no-build-isolation --no-deps --no-index --no-cache-dir "$work/src" >"$work/pip.log" 2>&1 ||
  { cat "$work/pip.log"; echo "pip install failed"; exit 1; }
cd "$work"
"$work/venv/bin/python" - "$root" <<'PY'
import os, sys
import nines
root = sys.argv[1]
site = os.path.join(sys.prefix, "lib")
assert nines.__file__.startswith(site), "imported from " + nines.__file__ + ", not the venv"
assert nines._nines.__file__.startswith(site), nines._nines.__file__
r = nines.run(os.path.join(root, "scenarios", "raid6_array.yaml"), replications=20, seed=1)
assert r.availability["mean"] > 0.99, r
assert "availability" in nines.METRICS
assert nines.compare and nines.report and nines.sweep and nines.check and nines.analyze
print("installed nines", nines.__version__, "at", os.path.dirname(nines.__file__))
PY
echo "pip install: 1 passed, 0 failed"
