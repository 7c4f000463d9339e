#!/usr/bin/env bash
# Installs Node 20, 22 and 24 from the npm registry's `node` package, each into a folder of its
# own under build/runtimes/ (never into the repository's node_modules, whose .bin would shadow the
# system node), and prints the path of each binary, one line per version: "20 /abs/path/node".
#   scripts/node-versions.sh [20 22 24]
# Idempotent: a version already installed is not installed again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(20 22 24)
for major in "${versions[@]}"; do
  prefix="$root/build/runtimes/node$major"
  bin="$prefix/node_modules/node/bin/node"
  if ! { [ -x "$bin" ] && [[ "$("$bin" --version 2>/dev/null)" == "v$major."* ]]; }; then
    mkdir -p "$prefix"
    # --prefix with a package.json of its own, so npm never walks up to the repository's.
    [ -f "$prefix/package.json" ] || echo '{ "name": "node'"$major"'-runtime", "private": true }' > "$prefix/package.json"
    npm install --prefix "$prefix" --no-audit --no-fund --silent "node@$major" >&2
  fi
  real="$(realpath "$bin")"
  version="$("$real" --version)"
  if [[ "$version" != "v$major."* ]]; then
    echo "node-versions: $real is $version, not Node $major" >&2
    exit 1
  fi
  echo "$major $real"
done
