#!/usr/bin/env bash
# Installs everything `make build`, `make test` and `make demo` need on a fresh Debian machine
# (the wasm target, wasm-bindgen-cli, wasm-pack, npm tools, Debian's Chromium and redis-server). Idempotent, and quick when everything is already there.
# For Firefox and WebKit: geckodriver (cargo), Debian's firefox-esr, WebKitGTK's MiniBrowser and WebKitWebDriver, Xvfb.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

say() { echo "setup: $*"; }

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node.js and npm (Debian)"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error("setup: Node >= 20 is needed, found " + process.version); process.exit(1) }'

if ! command -v cargo >/dev/null; then
  echo "setup: Rust is missing; install it with rustup first" >&2
  exit 1
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown || { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# The wasm-bindgen CLI must be exactly the version the crate links (pinned with = in Cargo.toml).
# No --locked: one of its locked dependencies is missing from the registry here.
want="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 2 minutes)"
  cargo install --quiet wasm-bindgen-cli --version "$want" --force
fi
command -v wasm-pack >/dev/null || { say "installing wasm-pack (about 90 s)"; cargo install --quiet wasm-pack --locked; }

# Debian's Chromium for the browser tests; a tool's own browser download cannot work here.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian's chromium and chromium-driver"
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Debian's redis-server for the store tests, which start their own on a free port; apt must not
# start the service (policy-rc.d answering 101 stops it, as in Debian's container images).
if [ ! -x /usr/bin/redis-server ]; then
  say "installing Debian's redis-server"
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  status=0
  { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; } || status=$?
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
  [ "$status" -eq 0 ] || exit "$status"
fi

# Firefox (Gecko) and WebKit for the engine suites (make test-wasm-firefox, make test-engines):
# Debian's firefox-esr; geckodriver built from crates.io (its npm package downloads a binary,
# which cannot work here); Debian's WebKitGTK MiniBrowser with its WebKitWebDriver, and Xvfb
# for it (MiniBrowser has no headless mode). policy-rc.d keeps apt from starting any service.
engine_debs=()
[ -x /usr/bin/firefox-esr ] || engine_debs+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] && [ -x /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser ] || engine_debs+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || engine_debs+=(xvfb)
if [ "${#engine_debs[@]}" -gt 0 ]; then
  say "installing Debian's ${engine_debs[*]}"
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  status=0
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${engine_debs[@]}" >/dev/null; } || status=$?
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
  [ "$status" -eq 0 ] || exit "$status"
fi
gecko_want="0.37.1"
if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}')" != "$gecko_want" ]; then
  say "installing geckodriver $gecko_want (about 2 minutes)"
  cargo install --quiet geckodriver --version "$gecko_want" --locked --force
fi

# npm tools (wasm-opt from binaryen, playwright-core); reinstalled only when package-lock.json changed.
stamp="node_modules/.package-lock.sha"
lock_sha="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sha" ]; then
  say "installing npm tools"
  npm ci --no-audit --no-fund --silent
  echo "$lock_sha" > "$stamp"
fi
