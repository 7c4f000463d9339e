#!/usr/bin/env bash
# Runs node:test suites inside build/consumer (see consumer.sh): scripts/test-js.sh tests/js/
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -d "$root/build/consumer/node_modules/turkeysms-otp" ] || "$root/scripts/consumer.sh"
cd "$root/build/consumer"
exec node --expose-gc --test --test-reporter=spec "$@"
