//! A JavaScript value as the pure rules see it: the wasm shell reads each option or response
//! field into an [`Input`], so everything that decides runs natively under `cargo test`.

/// One JavaScript value (an option, a field of a response), reduced to what the rules need.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Input {
    /// `undefined` or `null`.
    #[default]
    Absent,
    Str(String),
    Num(f64),
    Bool(bool),
    /// An `AbortSignal`.
    Signal,
    /// A function.
    Function,
    /// Any other object, function, symbol or bigint.
    Other,
    /// Reading the property threw (a throwing getter, a hostile Proxy).
    Unreadable,
}
