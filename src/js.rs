//! Typed bindings to the JavaScript the transport calls, and guards that undo what they set up.
//!
//! Whatever a caller-supplied `fetch`, its `Response` or its body reader may do — throw
//! synchronously, reject with a string, resolve with a plain object — comes back here as an
//! `Err`: every such call is bound with `catch`, and every value is read by shape. Nothing that
//! JavaScript hands back can unwind through the wasm or make it trap. wasm only.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::EventTarget;

use crate::input::Input;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    /// `Promise.resolve`: a thenable or a foreign promise becomes a real one. It throws for a
    /// promise whose `constructor` getter throws, hence `catch`.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    pub fn to_promise(value: &JsValue) -> Result<Promise, JsValue>;
    /// `Promise.race` over real promises (it cannot throw for those).
    #[wasm_bindgen(js_namespace = Promise, js_name = race)]
    fn race(promises: &Array) -> Promise;

    /// A value used as a do-nothing rejection handler, so a promise we let go of never reports
    /// an unhandled rejection.
    #[wasm_bindgen(thread_local_v2, js_name = Boolean)]
    static IGNORE: Function;
    /// A promise, for its `catch` with a plain function as the handler.
    type Settling;
    #[wasm_bindgen(method, js_name = catch)]
    fn catch_with(this: &Settling, handler: &Function) -> Promise;
    #[wasm_bindgen(method, js_name = then)]
    fn then_call(this: &Settling, handler: &Function) -> Promise;

    /// `AbortController.prototype.abort`, to bind to one controller as a plain callback.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["AbortController", "prototype"], js_name = abort)]
    pub static ABORT: Function;

    /// The caller's signal, read by shape (it may come from another realm or a polyfill).
    pub type CallerSignal;
    #[wasm_bindgen(method, getter, catch, structural)]
    pub fn aborted(this: &CallerSignal) -> Result<JsValue, JsValue>;

    /// What `fetch` resolved with, read by shape: a `Response` of any realm or library.
    pub type FetchResponse;
    #[wasm_bindgen(method, getter, catch, structural)]
    pub fn status(this: &FetchResponse) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, structural)]
    pub fn body(this: &FetchResponse) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, structural)]
    pub fn headers(this: &FetchResponse) -> Result<ResponseHeaders, JsValue>;

    /// A response's headers (a `Headers` of any realm or library).
    pub type ResponseHeaders;
    #[wasm_bindgen(method, catch, structural)]
    pub fn get(this: &ResponseHeaders, name: &str) -> Result<JsValue, JsValue>;

    /// A response body (a `ReadableStream`).
    pub type Body;
    #[wasm_bindgen(method, catch, structural, js_name = getReader)]
    pub fn get_reader(this: &Body) -> Result<Reader, JsValue>;

    /// The body's reader; `read()` gives promises of `{ done, value }`.
    pub type Reader;
    #[wasm_bindgen(method, catch, structural)]
    pub fn read(this: &Reader) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, structural)]
    fn cancel(this: &Reader) -> Result<JsValue, JsValue>;

    /// One `{ done, value }` of a reader.
    pub type Chunk;
    #[wasm_bindgen(method, getter, catch, structural)]
    pub fn done(this: &Chunk) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, structural)]
    pub fn value(this: &Chunk) -> Result<JsValue, JsValue>;
}

/// Calls `fetch(url, init)` from a promise reaction, so that a synchronous throw is a rejection
/// and whatever comes back (a promise, a thenable, a plain value) settles a real promise.
///
/// Not through a `catch` binding: wasm-bindgen leaks one externref slot each time a `catch`
/// import that returns a value throws (its shim returns the exception before it takes ownership
/// of the return slot), and a fetch that throws may do so on every call.
pub fn call_fetch(fetch: &Function, url: &str, init: &JsValue) -> Promise {
    let call: JsValue = fetch
        .bind2(&JsValue::UNDEFINED, &JsValue::from_str(url), init)
        .into();
    let started = Promise::resolve(&JsValue::UNDEFINED);
    let started: &Settling = started.unchecked_ref();
    started.then_call(call.unchecked_ref())
}

/// Settles with `work`, or with `undefined` as soon as `deadline` does; the caller tells the two
/// apart by its abort signal. Racing holds `work`'s outcome to the deadline even where the
/// runtime's own abort of the request is lost (undici links signals through weak references).
pub fn race_deadline(work: &Promise, deadline: &Promise) -> Promise {
    race(&Array::of2(work, deadline))
}

impl Reader {
    /// Stops reading and releases the connection; a rejection of that is of no interest.
    pub fn release(&self) {
        if let Ok(done) = self.cancel().and_then(|value| to_promise(&value)) {
            let done: &Settling = done.unchecked_ref();
            IGNORE.with(|ignore| drop(done.catch_with(ignore)));
        }
    }
}

/// A pending `setTimeout`, cleared when dropped.
pub struct Timer(JsValue);

impl Timer {
    /// Calls `callback` after `ms` milliseconds (JavaScript's largest delay at most).
    pub fn start(callback: &Function, ms: u32) -> Timer {
        Timer(set_timeout(callback, ms.min(i32::MAX as u32) as i32))
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.0);
    }
}

/// An `abort` listener, removed when dropped.
pub struct AbortListener {
    target: EventTarget,
    callback: Function,
}

impl AbortListener {
    /// Listens for `abort` on `target`; `None` when `addEventListener` threw.
    pub fn add(target: &EventTarget, callback: &Function) -> Option<AbortListener> {
        target
            .add_event_listener_with_callback("abort", callback)
            .ok()?;
        Some(AbortListener {
            target: target.clone(),
            callback: callback.clone(),
        })
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback("abort", &self.callback);
    }
}

thread_local! {
    /// Property names already made into JavaScript strings, by the address of their literal.
    static KEYS: RefCell<Vec<(usize, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// A property name as a JavaScript string, made once and reused: decoding the same few dozen
/// names from wasm memory on every call was a measurable part of each call.
pub fn key(name: &'static str) -> JsValue {
    KEYS.with(|keys| {
        let Ok(mut keys) = keys.try_borrow_mut() else {
            return JsValue::from_str(name);
        };
        let address = name.as_ptr() as usize;
        if let Some((_, value)) = keys.iter().find(|(a, _)| *a == address) {
            return value.clone();
        }
        let value = JsValue::from_str(name);
        keys.push((address, value.clone()));
        value
    })
}

/// One property of a JavaScript object; a getter or Proxy trap that throws gives `Unreadable`.
pub fn read_field(object: &JsValue, name: &'static str) -> Input {
    match Reflect::get(object, &key(name)) {
        Ok(value) => classify(&value),
        Err(_) => Input::Unreadable,
    }
}

pub fn classify(value: &JsValue) -> Input {
    if value.is_undefined() || value.is_null() {
        Input::Absent
    } else if let Some(s) = value.as_string() {
        Input::Str(s)
    } else if let Some(n) = value.as_f64() {
        Input::Num(n)
    } else if let Some(b) = value.as_bool() {
        Input::Bool(b)
    } else if value.is_function() {
        Input::Function
    } else {
        Input::Other
    }
}
