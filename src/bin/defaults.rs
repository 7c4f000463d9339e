//! Prints every default and limit of src/defaults.rs as JSON: the SDK's under `sdk`, the
//! server's under `handler`. `make build` writes them into the server's bundle, so the page's
//! .wasm does not carry the server's numbers.
fn main() {
    println!("{}", turkeysms_otp::defaults::DEFAULTS_JSON);
}
