#!/usr/bin/env bash
# Coverage of the percentile intervals computed from log histograms (README "Percentiles from log
# histograms"): 1000 seeds per replication count on a model with correlated values inside a replication
# and quantiles known in closed form. Prints the table the README quotes.
# Usage: scripts/loghist_coverage.sh [BUILD_DIR]   (default build/release; needs the nines_tests target)
set -eu
build=${1:-build/release}
"$build/tests/nines_tests" "[.loghist-coverage]" | grep -v '^Filters:\|^====\|^All tests passed\|^$'
