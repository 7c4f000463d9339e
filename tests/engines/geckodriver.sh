#!/usr/bin/env bash
# geckodriver for wasm-bindgen-test-runner (GECKODRIVER=tests/engines/geckodriver.sh): the driver
# and the Firefox it starts keep their home, caches and profile under build/engines/wasm-firefox/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
home="$root/build/engines/wasm-firefox"
mkdir -p "$home/tmp" "$home/.cache" "$home/.config" "$home/.local/share" "$home/run"
chmod 700 "$home/run"
export HOME="$home" TMPDIR="$home/tmp" XDG_CACHE_HOME="$home/.cache" XDG_CONFIG_HOME="$home/.config" \
  XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run" MOZ_CRASHREPORTER_DISABLE=1
exec "${GECKODRIVER_BIN:-geckodriver}" "$@"
