#!/usr/bin/env bash
# Runs a command with a fresh sandbox on a free loopback port; its URL is in $SANDBOX_URL.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log="$(mktemp)"
node "$root/sandbox/server.mjs" --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  url="$(grep -o 'http://[0-9.:]*' "$log" | head -n 1 || true)"
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "the sandbox did not start:"; cat "$log"; exit 1; }
SANDBOX_URL="$url" "$@"
