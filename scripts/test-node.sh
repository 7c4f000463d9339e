#!/usr/bin/env bash
# The contract, verify, entry and load suites under another Node major (22, 24), installed from the
# npm registry's `node` package by scripts/node-versions.sh: the package must behave the same on
# every supported Node, not only on the system's.
#   scripts/test-node.sh 22
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
major="$1"
bin="$("$root/scripts/node-versions.sh" "$major" | awk '{print $2}')"
[ -d "$root/build/consumer/node_modules/turkeysms-otp" ] || "$root/scripts/consumer.sh"
cd "$root/build/consumer"
echo "Node $("$bin" --version) ($bin)"
# The load figures of `make fuzz` come from its own run; these runs only check.
LOAD_FIGURES=off exec "$bin" --expose-gc --test --test-reporter=spec \
  tests/js/contract.test.mjs tests/js/handler-verify.test.mjs tests/js/entries.test.mjs tests/js/load.test.mjs
