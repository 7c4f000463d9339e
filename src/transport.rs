//! Sending a validated request: `fetch(url, init)`, a deadline per attempt that covers
//! connecting, the headers and every body read, the caller's `AbortSignal`, and the retry loop
//! that follows [`crate::retry`]. wasm only.
//!
//! The deadline is ours, not only the runtime's: each await of the attempt races a promise that a
//! timer settles, and the timer holds everything that promise needs. Node's fetch links the
//! abort of a request to its signal through weak references, so after a garbage collection the
//! abort alone may never reach a body that is still arriving; the race still ends the attempt,
//! and the reader is cancelled.
//!
//! fetch is called here through [`crate::js`] rather than through gloo-net's `send()`, which
//! panics (a trap that kills the instance) when fetch rejects with anything but an `Error` or
//! resolves with anything but a `Response`, and which cannot call a caller-supplied `fetch`.

use std::cell::Cell;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit};

use crate::envelope::{read_outcome, Envelope, Failure, Outcome};
use crate::error::{from_failure, OtpError};
use crate::js::{
    call_fetch, key, race_deadline, read_field, to_promise, AbortListener, Body, CallerSignal,
    Chunk, FetchResponse, Timer, ABORT,
};
use crate::request::OtpRequest;
use crate::retry::{decide, retry_after_seconds, RetryDecision};

/// The most of a response body read ([`crate::defaults::MAX_RESPONSE_BYTES`]).
const MAX_BODY_BYTES: usize = crate::defaults::MAX_RESPONSE_BYTES as usize;

thread_local! {
    /// One `Error` for every aborted attempt: creating an Error captures a stack trace, which
    /// cost about a tenth of a call's time when made per attempt.
    static ABORT_REASON: js_sys::Error = js_sys::Error::new("turkeysms-otp: attempt aborted");
    /// The two headers of every request, as a frozen plain object: every fetch copies them, and
    /// a caller-supplied fetch cannot change them for later calls.
    static JSON_HEADERS: Object = json_headers();
}

fn json_headers() -> Object {
    let headers = Object::new();
    let _ = Reflect::set(&headers, &key("Content-Type"), &key("application/json"));
    let _ = Reflect::set(&headers, &key("Accept"), &key("application/json"));
    Object::freeze(&headers)
}

/// `signal.aborted`, read defensively: a signal whose getter throws counts as aborted.
pub fn is_aborted(signal: &AbortSignal) -> bool {
    let signal: &CallerSignal = signal.unchecked_ref();
    signal
        .aborted()
        .map_or(true, |v| v.as_bool() != Some(false))
}

/// A delivered OTP: the envelope, and the whole parsed body for `result.raw`.
pub struct Delivery {
    pub envelope: Envelope,
    pub raw: JsValue,
}

/// What one call sends with: the caller's `fetch`, or the global one.
pub struct Sender<'a> {
    pub fetch: Option<&'a Function>,
    pub signal: Option<&'a AbortSignal>,
}

/// Sends with retries until delivered, refused, out of retries, or aborted.
pub async fn send(request: &OtpRequest, sender: &Sender<'_>) -> Result<Delivery, OtpError> {
    let body = request.body();
    let key = request.api_key.as_deref();
    let fail = |failure: &Failure, attempts| from_failure(failure, attempts, &request.origin, key);
    // The last failed answer's Retry-After, for the error (the retry schedule is our own).
    let retry_after = Cell::new(None);
    let signal = sender.signal;
    if signal.is_some_and(is_aborted) {
        return Err(fail(&Failure::Aborted, 0));
    }
    let Some(fetch) = sender.fetch.cloned().or_else(global_fetch) else {
        return Err(fail(&Failure::Network, 0));
    };
    let mut attempts = 0;
    loop {
        attempts += 1;
        retry_after.set(None);
        let failure = match attempt(request, &body, &fetch, signal, &retry_after).await {
            Ok(delivery) => return Ok(delivery),
            Err(failure) => failure,
        };
        match decide(
            &failure,
            attempts,
            request.max_retries,
            request.retry_unsent_only,
            js_sys::Math::random(),
        ) {
            RetryDecision::GiveUp => {
                let mut error = fail(&failure, attempts);
                error.retry_after = retry_after.get();
                return Err(error);
            }
            RetryDecision::RetryAfterMs(ms) => {
                if wait(ms, signal).await.is_err() {
                    return Err(fail(&Failure::Aborted, attempts));
                }
            }
        }
    }
}

fn global_fetch() -> Option<Function> {
    Reflect::get(&js_sys::global(), &key("fetch"))
        .ok()?
        .dyn_into()
        .ok()
}

/// One HTTP request, bounded by `timeout_ms` and the caller's signal.
async fn attempt(
    request: &OtpRequest,
    body: &str,
    fetch: &Function,
    signal: Option<&AbortSignal>,
    retry_after: &Cell<Option<u32>>,
) -> Result<Delivery, Failure> {
    let controller = AbortController::new().map_err(|_| Failure::Network)?;
    let abort = bound_abort(&controller);
    let own = controller.signal();
    let (deadline, watch) = settles_on_abort(&own);
    let timer = Timer::start(&abort, request.timeout_ms);
    let link = signal.and_then(|signal| AbortListener::add(signal, &abort));
    let result = exchange(request, body, fetch, &own, &deadline, retry_after).await;
    // Every listener goes with the attempt: undici keeps a request's signal alive until the
    // request is collected, and a listener left on it would keep this whole attempt alive too.
    drop((timer, link, watch));
    result.map_err(|failure| match failure {
        Failure::Network if signal.is_some_and(is_aborted) => Failure::Aborted,
        Failure::Network if own.aborted() => Failure::Timeout,
        other => other,
    })
}

/// `controller.abort` bound to its controller and to an `Error` reason, usable as a plain callback
/// (the reason is an `Error` so that fetch rejects with one, whatever reads it).
fn bound_abort(controller: &AbortController) -> Function {
    let bound: JsValue = ABORT
        .with(|abort| ABORT_REASON.with(|reason| abort.bind1(controller, reason)))
        .into();
    bound.unchecked_into()
}

/// A promise that resolves when `signal` aborts, and the listener that settles it (removed when
/// dropped). The listener holds `resolve`, the timer holds the signal's controller: nothing here
/// is only weakly held while the attempt runs.
fn settles_on_abort(signal: &AbortSignal) -> (Promise, Option<AbortListener>) {
    let mut listener = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        listener = AbortListener::add(signal, &resolve);
    });
    (promise, listener)
}

/// `work` raced against the attempt's deadline, to await and then pass to [`settled`].
fn within(work: &Promise, deadline: &Promise) -> JsFuture {
    JsFuture::from(race_deadline(work, deadline))
}

/// What an awaited [`within`] gave: any failure is `Network` here, and so is the deadline
/// winning; the caller tells timeouts and aborts apart by which signal fired.
fn settled(outcome: Result<JsValue, JsValue>, own: &AbortSignal) -> Result<JsValue, Failure> {
    if own.aborted() {
        return Err(Failure::Network);
    }
    outcome.map_err(|_| Failure::Network)
}

/// POST and read the answer.
async fn exchange(
    request: &OtpRequest,
    body: &str,
    fetch: &Function,
    own: &AbortSignal,
    deadline: &Promise,
    retry_after: &Cell<Option<u32>>,
) -> Result<Delivery, Failure> {
    let init = RequestInit::new();
    init.set_method("POST");
    JSON_HEADERS.with(|headers| init.set_headers(headers));
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(own));
    let answer = call_fetch(fetch, &request.url, &init);
    let response = settled(within(&answer, deadline).await, own)?;
    // Not an object: nothing to read (and a getter that throws would leak a slot, see js.rs).
    if !response.is_object() {
        return Err(Failure::NotAResponse);
    }
    let response: FetchResponse = response.unchecked_into();
    let status = response
        .status()
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| (0.0..=999.0).contains(s) && s.fract() == 0.0)
        .ok_or(Failure::NotAResponse)? as u16;
    if !(200..300).contains(&status) {
        retry_after.set(read_retry_after(&response));
    }
    let body = response.body().map_err(|_| Failure::NotAResponse)?;
    // Always in capped chunks: a declared Content-Length can be the compressed size.
    let text = if body.is_undefined() || body.is_null() {
        Some(String::new())
    } else {
        read_body(&body.unchecked_into(), own, deadline).await?
    };
    // The key is scrubbed from what reaches an error (error.rs), after parsing: scrubbing the body
    // itself could change a valid answer wherever the key's text happens to appear in it.
    let raw = text.and_then(|text| parse_object(&text)); // `None`: too large to be the envelope
    let envelope = raw.as_ref().and_then(|raw| {
        let field = |name: &'static str| read_field(raw, name);
        Envelope::from_fields(
            &field("result"),
            &field("result_code"),
            &field("result_message"),
        )
    });
    match read_outcome(status, envelope) {
        Outcome::Delivered(envelope) => Ok(Delivery {
            envelope,
            raw: raw.unwrap_or(JsValue::UNDEFINED),
        }),
        Outcome::Failed(failure) => Err(failure),
    }
}

/// The answer's `Retry-After`, in seconds, when it has a readable one.
fn read_retry_after(response: &FetchResponse) -> Option<u32> {
    let value = response.headers().ok()?.get("retry-after").ok()?;
    retry_after_seconds(&value.as_string()?)
}

/// Reads the body chunk by chunk, up to [`MAX_BODY_BYTES`]; `None` when it is larger. On any
/// early end (too large, a failed read, the deadline) the reader is cancelled, never left open.
async fn read_body(
    body: &Body,
    own: &AbortSignal,
    deadline: &Promise,
) -> Result<Option<String>, Failure> {
    let reader = body.get_reader().map_err(|_| Failure::Network)?;
    let mut bytes = Vec::new();
    let result = loop {
        let read = match reader.read().and_then(|value| to_promise(&value)) {
            Ok(read) => within(&read, deadline).await,
            Err(thrown) => Err(thrown),
        };
        match append_chunk(settled(read, own), &mut bytes) {
            Ok(true) => continue,
            Ok(false) => break Ok(String::from_utf8(bytes).ok()),
            Err(Some(failure)) => break Err(failure),
            Err(None) => break Ok(None), // too large
        }
    };
    if !matches!(result, Ok(Some(_))) {
        reader.release();
    }
    result
}

/// Appends one chunk that a read gave to `bytes`: `Ok(true)` for more to come, `Ok(false)` at
/// the end, `Err(None)` past the cap, `Err(Some(_))` when the read failed.
fn append_chunk(
    read: Result<JsValue, Failure>,
    bytes: &mut Vec<u8>,
) -> Result<bool, Option<Failure>> {
    let chunk: Chunk = read?.unchecked_into();
    if chunk.done().map_or(true, |done| done.is_truthy()) {
        return Ok(false);
    }
    let value = chunk.value().map_err(|_| Some(Failure::Network))?;
    let Some(part) = value.dyn_ref::<js_sys::Uint8Array>() else {
        return Err(Some(Failure::Network));
    };
    let (start, length) = (bytes.len(), part.length() as usize);
    if start + length > MAX_BODY_BYTES {
        return Err(None);
    }
    // Copy the chunk straight into place (to_vec would copy it twice).
    bytes.resize(start + length, 0);
    if let Some(slot) = bytes.get_mut(start..) {
        part.copy_to(slot);
    }
    Ok(true)
}

/// The body parsed as JSON when it is an object (not an array, not a primitive).
///
/// Only a text that looks like an object is parsed: an HTML error page or plain text never
/// reaches `JSON.parse`, whose throw would leak a slot (see [`crate::js::call_fetch`]).
fn parse_object(text: &str) -> Option<JsValue> {
    let trimmed = text.trim_ascii();
    if !(trimmed.starts_with('{') && trimmed.ends_with('}')) {
        return None;
    }
    let value = js_sys::JSON::parse(trimmed).ok()?;
    (value.is_object() && !Array::is_array(&value)).then_some(value)
}

/// Resolves after `ms`.
pub async fn sleep(ms: u32) -> Result<(), JsValue> {
    wait(ms, None).await
}

/// Resolves after `ms`, or fails as soon as `signal` aborts.
async fn wait(ms: u32, signal: Option<&AbortSignal>) -> Result<(), JsValue> {
    if signal.is_some_and(is_aborted) {
        return Err(JsValue::UNDEFINED);
    }
    let mut guards = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let timer = Timer::start(&resolve, ms);
        let listener = signal.and_then(|signal| AbortListener::add(signal, &reject));
        guards = Some((timer, listener));
    });
    let result = JsFuture::from(promise).await;
    drop(guards);
    result.map(drop)
}
