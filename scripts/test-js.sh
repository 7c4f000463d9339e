#!/usr/bin/env bash
# Packs pkg/ with npm, installs the tarball into a throwaway consumer folder, and runs the JS
# suites (node:test) there, so they import `turkeysms-otp` exactly as a user would.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
consumer="$root/build/consumer"
rm -rf "$consumer" "$root"/build/turkeysms-otp-*.tgz
mkdir -p "$consumer/tests"
tarball="$(cd "$root" && npm pack ./pkg --pack-destination build --silent | tail -n 1)"
cd "$consumer"
echo '{ "name": "consumer", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --silent "$root/build/$tarball"
cp -r "$root/tests/js" tests/js
cp -r "$root/sandbox" sandbox
node --test --test-reporter=spec tests/js/
