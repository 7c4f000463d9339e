//! Send TurkeySMS one-time-password SMS from any JavaScript runtime.
//!
//! Every rule that pages and servers share (numbers, codes, texts, options, the envelope,
//! retries, redaction) and every default and limit is plain Rust in the modules below and runs
//! under `cargo test`; only `bindings` (the functions JavaScript calls) and `transport` (fetch,
//! timers, the retry loop) touch JavaScript, and they exist only in the wasm build. What only a
//! server decides (client addresses, masking, what the public is told, the limits' counting) is
//! JavaScript in the package's `server/` folder, with its numbers from [`defaults`], so that the
//! page's `.wasm` does not carry it.
//!
//! Data flows one way: options → [`options::validate`] → [`request::OtpRequest`] → HTTP →
//! [`envelope::read_outcome`] → result, or [`retry::decide`] → [`error::OtpError`].

pub mod base_url;
pub mod code;
pub mod defaults;
pub mod envelope;
pub mod error;
pub mod input;
pub mod message;
pub mod mobile;
pub mod options;
pub mod redact;
pub mod request;
pub mod retry;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
mod transport;

/// Talc instead of Rust's default dlmalloc: 6.8 KB smaller raw (2.5 KB gzipped) and no slower.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
