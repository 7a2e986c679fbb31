#!/usr/bin/env bash
# Installs the Debian packages nines needs to build and test. Idempotent: packages
# already present are not touched, and apt is not called at all when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake
  libboost-graph-dev      # cycle check and topological order of the structure graph
  libyaml-cpp-dev         # scenario reader (keeps line:column marks)
  libyaml-dev pkg-config  # the fast scenario parser (libyaml's events; src/io/yaml_document.h)
  nlohmann-json3-dev      # JSON results
  libcli11-dev            # command-line parsing
  libfmt-dev              # formatting of human output
  libeigen3-dev           # analytic module: CTMC solver
  libexpat1-dev           # Open-PSA MEF import (XML with line and column of every element)
  catch2                  # tests (v2, header-only)
  libbenchmark-dev        # bench target
  clang                   # libFuzzer targets (scripts/fuzz.sh, run by the tests)
  pybind11-dev python3-dev python3-numpy   # the Python module (built against /usr/bin/python3)
  python3-matplotlib      # charts
  python3-venv python3-pip python3-setuptools python3-wheel   # pip install of the package, tested in a venv
  python3-nbclient python3-ipykernel python3-nbformat   # notebooks executed by the tests
  python3-jsonschema python3-yaml   # the scenario schema test (schema/nines-scenario.schema.json)
  chromium                # the HTML report opened headless in a test
  libopenmpi-dev openmpi-bin   # mpirun -np K nines run (the NINES_MPI build option; tests/cli/test_mpi.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
