// Every default and limit of src/defaults.rs, the SDK's under `sdk` and the server's under
// `handler`: `make build` runs src/bin/defaults.rs and writes its JSON here, so each number is
// defined once, in Rust, and the page's .wasm does not carry the server's.
export const DEFAULTS = __TURKEYSMS_DEFAULTS__;
