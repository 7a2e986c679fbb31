#!/usr/bin/env bash
# Set-up command 1: installs what is missing, builds nines, and runs a real scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release >/dev/null
./build/release/nines run "${1:-scenarios/web_two_zones.yaml}"
