# Sourced by every CLI test script: `. "$(dirname "$0")/common.sh" "$@"` with the arguments
# NINES_BINARY PROJECT_DIR. Sets $nines and $root (absolute, so a script may cd), a scratch folder
# $work removed on exit, and fail(), which reports a check and counts it in $failures; a script
# ends with finish NAME, which exits 1 if any check failed.
set -u
nines=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$1: $failures check(s) failed"
        exit 1
    fi
    echo "$1: all checks passed"
}
