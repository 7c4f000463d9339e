# The two commands of the README are `make demo` and `make test`; each installs what it needs.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
SUITE := scripts/run-suite.sh

.DEFAULT_GOAL := help
.PHONY: help setup build test lint test-rust test-wasm test-js test-browser demo sandbox clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install the toolchain, cargo tools and npm tools (idempotent)
	@scripts/setup.sh

build: setup ## assemble the npm package in pkg/ and print the .wasm size
	@node scripts/build-pkg.mjs

test: build ## every check and test suite; fails if any suite runs no test
	@rm -f build/test-counts
	@$(MAKE) --no-print-directory lint test-rust test-wasm test-js test-browser
	@awk '{p+=$$2; f+=$$3; printf "  %-6s %4d passed, %d failed\n", $$1, $$2, $$3} END {printf "total: %d passed, %d failed\n", p, f}' build/test-counts

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --test wasm_node -- -D warnings

test-rust: ## native Rust tests: unit and property tests of the rules
	@$(SUITE) rust cargo cargo test --lib --test rules_props

test-wasm: ## the wasm build in Node (wasm-bindgen-test) against the sandbox
	@$(SUITE) wasm cargo scripts/with-sandbox.sh env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target wasm32-unknown-unknown --test wasm_node

test-js: ## the packed tarball, installed into a throwaway folder, against the sandbox
	@$(SUITE) js node scripts/test-js.sh

test-browser: ## the demo page in headless Chromium (screenshots in tests/screenshots/)
	@$(SUITE) browser node node --test --test-reporter=spec tests/browser/

demo: build ## serve www/ with the sandbox on 127.0.0.1 and print the URL
	@node scripts/demo.mjs

sandbox: ## start only the sandbox (PORT=8787)
	@node sandbox/server.mjs --port $${PORT:-8787}

clean: ## remove build outputs
	rm -rf pkg build target
