#!/usr/bin/env bash
# Makes build/consumer: a throwaway project with the packed tarball of pkg/ installed, and copies
# of the tests, examples and sandbox, so every JS suite imports `turkeysms-otp` as a user would.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
consumer="$root/build/consumer"
rm -rf "$consumer" "$root"/build/turkeysms-otp-*.tgz
mkdir -p "$consumer/scripts"
tarball="$(cd "$root" && npm pack ./pkg --pack-destination build --silent | tail -n 1)"
cd "$consumer"
echo '{ "name": "consumer", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --silent "$root/build/$tarball"
cp -r "$root/tests" "$root/examples" "$root/sandbox" "$root/bench" .
cp "$root/scripts/static-server.mjs" scripts/
echo "consumer: build/consumer has $tarball installed"
