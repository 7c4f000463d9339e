# The two commands of the README are `make demo` and `make test`; each installs what it needs.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
SUITE := scripts/run-suite.sh

.DEFAULT_GOAL := help
.PHONY: help setup build test fuzz bench consumer lint test-rust test-unit test-wasm test-wasm-browser test-js test-stores test-runtimes test-demo demo sandbox clean
.PHONY: test-wasm-firefox test-engines test-node22 test-node24 test-frameworks

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install the toolchain, cargo tools and npm tools (idempotent)
	@scripts/setup.sh

build: setup ## assemble the npm package in pkg/ and print the .wasm size
	@node scripts/build-pkg.mjs

test: build ## every check and test suite; fails if any suite runs no test
	@rm -f build/test-counts
	@$(MAKE) --no-print-directory lint test-rust test-unit test-wasm test-wasm-browser consumer test-js test-stores test-runtimes test-demo test-wasm-firefox test-engines test-node22 test-node24 test-frameworks
	@node scripts/reliability-report.mjs --check
	@awk '{p+=$$2; f+=$$3; printf "  %-13s %4d passed, %d failed\n", $$1, $$2, $$3} END {printf "total: %d passed, %d failed\n", p, f}' build/test-counts

lint: ## cargo fmt, clippy (native and wasm32), Biome over all JavaScript, TypeScript and CSS, tsc over the package's JavaScript
	biome check --error-on-warnings .
	tsc -p tsconfig.checkjs.json
	cargo fmt --check
	cargo fmt --check --manifest-path bench/floor/Cargo.toml
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --test wasm -- -D warnings

test-rust: ## native Rust tests: unit and property tests of the rules, a short fuzz pass
	@$(SUITE) rust cargo cargo test --lib --test rules_props --test redact_props --test fuzz_props

test-unit: ## the server's pure modules, from their sources (the *.test.mjs beside them in pkg-template/)
	@$(SUITE) unit node node --test --test-reporter=spec pkg-template/

WASM_TEST := scripts/with-sandbox.sh env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target wasm32-unknown-unknown --test wasm

test-wasm: ## the wasm build in Node (wasm-bindgen-test) against the sandbox
	@$(SUITE) wasm-node cargo $(WASM_TEST)

# Without WASM_BINDGEN_USE_BROWSER=1 the runner would quietly use Node instead.
test-wasm-browser: ## the same wasm tests in headless Chromium (webdriver.json)
	@$(SUITE) wasm-chromium cargo env WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver $(WASM_TEST)

fuzz: build ## long runs: 1M-case proptest, 100k fast-check, 10k+100k load, fault matrix; writes docs/RELIABILITY.md
	@scripts/consumer.sh
	@node scripts/fuzz.mjs

bench: build ## size, per-call overhead, cold start and validation vs a plain-JS client; writes BENCHMARKS.md
	@scripts/consumer.sh
	@node bench/run.mjs

consumer: ## pack pkg/ and install the tarball into build/consumer
	@scripts/consumer.sh

test-js: ## the contract suites, on the installed tarball, against the sandbox
	@$(SUITE) js node scripts/test-js.sh tests/js/

test-stores: ## the store conformance suite: memoryStore, redisStore on a real redis-server, durableObjectStore in workerd
	@$(SUITE) stores node scripts/test-js.sh tests/stores/

test-runtimes: ## Node, Deno, Bun, workerd, Chromium (Vite, webpack, esbuild, unbundled, Worker), types, publint, attw
	@$(SUITE) runtimes node scripts/test-js.sh tests/runtimes/

test-demo: ## the demo page in headless Chromium (screenshots in tests/screenshots/)
	@$(SUITE) demo node node --test --test-reporter=spec tests/browser/

# GECKODRIVER only (the runner takes the first driver variable it finds); the wrapper keeps
# geckodriver's and Firefox's home, caches and profile under build/engines/wasm-firefox/.
test-wasm-firefox: ## the same wasm tests in headless Firefox ESR (geckodriver, tests/engines/webdriver-firefox.json)
	@$(SUITE) wasm-firefox cargo env WASM_BINDGEN_USE_BROWSER=1 GECKODRIVER=$(CURDIR)/tests/engines/geckodriver.sh WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(CURDIR)/tests/engines/webdriver-firefox.json $(WASM_TEST)

test-engines: ## the runtime pages and the demo's main path in Firefox (Gecko) and WebKit (WebKitGTK), over WebDriver
	@$(SUITE) engines node scripts/test-js.sh tests/engines/

test-node22: ## the contract, verify, entry and load suites on Node 22 (npm's node package)
	@$(SUITE) node22 node scripts/test-node.sh 22

test-node24: ## the same on Node 24
	@$(SUITE) node24 node scripts/test-node.sh 24

test-frameworks: ## the framework examples (node:http, Express 5, Hono on Node and workerd, Next.js, better-auth, Auth.js) against the sandbox
	@$(SUITE) frameworks node scripts/test-js.sh tests/frameworks/

demo: build ## serve www/ with the sandbox on 127.0.0.1 and print the URL
	@node scripts/demo.mjs

sandbox: ## start only the sandbox (PORT=8910)
	@node sandbox/server.mjs --port $${PORT:-8910}

clean: ## remove build outputs
	rm -rf pkg build target
