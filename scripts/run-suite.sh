#!/usr/bin/env bash
# Runs one test suite and fails it when it executes no test (a runner that runs 0 tests exits 0).
#   scripts/run-suite.sh NAME cargo|node COMMAND...
# Appends "NAME PASSED FAILED" to build/test-counts for the closing summary.
set -uo pipefail
name="$1" kind="$2"
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/build"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
case "$kind" in
  cargo)
    # One "test result:" line per test binary; each must have run something.
    results="$(grep -E '^test result: ' "$log" || true)"
    passed="$(echo "$results" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')"
    failed="$(echo "$results" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')"
    if echo "$results" | grep -qE ' 0 passed; 0 failed'; then
      echo "run-suite: $name has a test binary that ran no test"
      status=1
    fi
    ;;
  node)
    passed="$(grep -E '^ℹ pass [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)"
    failed="$(grep -E '^ℹ fail [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)"
    ;;
  *)
    echo "run-suite: unknown kind $kind"
    exit 2
    ;;
esac
passed="${passed:-0}" failed="${failed:-0}"
if [ "$passed" -eq 0 ]; then
  echo "run-suite: $name ran no test"
  status=1
fi
echo "$name $passed $failed" >> "$root/build/test-counts"
echo "run-suite: $name: $passed passed, $failed failed"
exit "$status"
