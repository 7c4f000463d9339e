//! Sending a validated request: fetch through gloo-net, a timeout per attempt, the caller's
//! `AbortSignal`, and the retry loop that follows [`crate::retry`]. wasm only.
//!
//! Timers and abort links use the JavaScript functions themselves (`resolve`, a bound
//! `controller.abort`) as callbacks, so no Rust closure is created and none can leak.

use gloo_net::http::Request;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit};

use crate::bindings::{key, read_field};
use crate::envelope::{read_outcome, Envelope, Failure, Outcome};
use crate::error::{from_failure, OtpError};
use crate::request::OtpRequest;
use crate::retry::{decide, RetryDecision};

/// The most of a response body read: TurkeySMS's envelope is a few hundred bytes, and a body past
/// this is not one (a misrouted download, a hostile server), so reading stops there.
pub const MAX_BODY_BYTES: usize = 1 << 20;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

thread_local! {
    /// One `Error` for every aborted attempt: creating an Error captures a stack trace, which
    /// cost about a tenth of a call's time when made per attempt.
    static ABORT_REASON: js_sys::Error = js_sys::Error::new("turkeysms-otp: attempt aborted");
    /// The two headers of every request; `new Request` copies them, so one object serves all.
    static JSON_HEADERS: Headers = json_headers();
}

fn json_headers() -> Headers {
    let headers = Headers::new().unwrap_or_else(|_| JsValue::UNDEFINED.unchecked_into());
    let _ = headers.append("Content-Type", "application/json");
    let _ = headers.append("Accept", "application/json");
    headers
}

/// `signal.aborted`, read defensively: a signal whose getter throws counts as aborted.
pub fn is_aborted(signal: &AbortSignal) -> bool {
    Reflect::get(signal, &key("aborted")).map_or(true, |v| v.as_bool() != Some(false))
}

/// A delivered OTP: the envelope, and the whole parsed body for `result.raw`.
pub struct Delivery {
    pub envelope: Envelope,
    pub raw: JsValue,
}

/// Sends with retries until delivered, refused, out of retries, or aborted.
pub async fn send(
    request: &OtpRequest,
    signal: Option<&AbortSignal>,
) -> Result<Delivery, OtpError> {
    let body = request.body();
    let fail = |failure: &Failure, attempts| {
        from_failure(
            failure,
            attempts,
            &request.origin,
            request.api_key.as_deref(),
        )
    };
    if signal.is_some_and(is_aborted) {
        return Err(fail(&Failure::Aborted, 0));
    }
    let mut attempts = 0;
    loop {
        attempts += 1;
        let failure = match attempt(request, &body, signal).await {
            Ok(delivery) => return Ok(delivery),
            Err(failure) => failure,
        };
        match decide(
            &failure,
            attempts,
            request.max_retries,
            js_sys::Math::random(),
        ) {
            RetryDecision::GiveUp => return Err(fail(&failure, attempts)),
            RetryDecision::RetryAfterMs(ms) => {
                if wait(ms, signal).await.is_err() {
                    return Err(fail(&Failure::Aborted, attempts));
                }
            }
        }
    }
}

/// One HTTP request, bounded by `timeout_ms` and the caller's signal.
async fn attempt(
    request: &OtpRequest,
    body: &str,
    signal: Option<&AbortSignal>,
) -> Result<Delivery, Failure> {
    let controller = AbortController::new().map_err(|_| Failure::Network)?;
    let abort = bound_abort(&controller).ok_or(Failure::Network)?;
    let timer = set_timeout(&abort, request.timeout_ms as i32);
    if let Some(signal) = signal {
        let _ = signal.add_event_listener_with_callback("abort", &abort);
    }
    let result = exchange(request, body, &controller.signal()).await;
    clear_timeout(&timer);
    if let Some(signal) = signal {
        let _ = signal.remove_event_listener_with_callback("abort", &abort);
    }
    result.map_err(|failure| match failure {
        Failure::Network if signal.is_some_and(is_aborted) => Failure::Aborted,
        Failure::Network if controller.signal().aborted() => Failure::Timeout,
        other => other,
    })
}

/// `controller.abort` bound to its controller and to an `Error` reason, usable as a plain callback.
///
/// The reason must be an `Error`: fetch rejects with it, and gloo-net panics (a trap that takes
/// the whole instance down) on a rejection that is not an `Error`, such as the `Event` an
/// `abort` listener would otherwise pass along as the reason.
fn bound_abort(controller: &AbortController) -> Option<Function> {
    let abort: Function = Reflect::get(controller, &key("abort"))
        .ok()?
        .dyn_into()
        .ok()?;
    let bound: JsValue = ABORT_REASON
        .with(|reason| abort.bind1(controller, reason))
        .into();
    Some(bound.unchecked_into())
}

/// POST and read the answer. Any failure to get or read a response is `Network` here; the
/// caller tells timeouts and aborts apart by which signal fired.
async fn exchange(
    request: &OtpRequest,
    body: &str,
    signal: &AbortSignal,
) -> Result<Delivery, Failure> {
    // The request is built here, once, and handed to gloo-net to send: gloo-net's own builder
    // makes two extra Request objects and parses the URL again to merge query parameters, which
    // cost about 35 µs a call and pulled in `format!`.
    let init = RequestInit::new();
    init.set_method("POST");
    JSON_HEADERS.with(|headers| init.set_headers(headers));
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(signal));
    let raw = web_sys::Request::new_with_str_and_init(&request.url, &init)
        .map_err(|_| Failure::Network)?;
    let response = Request::from(raw)
        .send()
        .await
        .map_err(|_| Failure::Network)?;
    let status = response.status();
    // Always in capped chunks: a declared Content-Length can be the compressed size.
    let text = read_body(response.body()).await?;
    let raw = match text {
        Some(text) => parse_object(&text),
        None => None, // too large to be the envelope
    };
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

/// Reads the body chunk by chunk, up to [`MAX_BODY_BYTES`]; `None` when it is larger (the rest is
/// cancelled, never buffered). A read that fails is a network failure (or the abort of a timeout).
async fn read_body(body: Option<web_sys::ReadableStream>) -> Result<Option<String>, Failure> {
    let Some(body) = body else {
        return Ok(Some(String::new()));
    };
    let call = |target: &JsValue, method: &'static str| -> Result<JsValue, Failure> {
        let f: Function = Reflect::get(target, &key(method))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or(Failure::Network)?;
        f.call0(target).map_err(|_| Failure::Network)
    };
    let reader = call(&body, "getReader")?;
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(Promise::from(call(&reader, "read")?))
            .await
            .map_err(|_| Failure::Network)?;
        if Reflect::get(&chunk, &key("done")).map_or(true, |d| d.is_truthy()) {
            break;
        }
        let value = Reflect::get(&chunk, &key("value")).map_err(|_| Failure::Network)?;
        let Some(part) = value.dyn_ref::<js_sys::Uint8Array>() else {
            return Err(Failure::Network);
        };
        let (start, length) = (bytes.len(), part.length() as usize);
        if start + length > MAX_BODY_BYTES {
            let _ = call(&reader, "cancel");
            return Ok(None);
        }
        // Copy the chunk straight into place (to_vec would copy it twice).
        bytes.resize(start + length, 0);
        if let Some(slot) = bytes.get_mut(start..) {
            part.copy_to(slot);
        }
    }
    // Not UTF-8 is not the envelope; no lossy decoding needed.
    Ok(String::from_utf8(bytes).ok())
}

/// The body parsed as JSON when it is an object (not an array, not a primitive).
fn parse_object(text: &str) -> Option<JsValue> {
    let value = js_sys::JSON::parse(text).ok()?;
    (value.is_object() && !Array::is_array(&value)).then_some(value)
}

/// Resolves after `ms`, or fails as soon as `signal` aborts.
async fn wait(ms: u32, signal: Option<&AbortSignal>) -> Result<(), JsValue> {
    if signal.is_some_and(is_aborted) {
        return Err(JsValue::UNDEFINED);
    }
    let mut timer = JsValue::UNDEFINED;
    let mut reject_on_abort = None;
    let promise = Promise::new(&mut |resolve, reject| {
        timer = set_timeout(&resolve, ms.min(i32::MAX as u32) as i32);
        if let Some(signal) = signal {
            let _ = signal.add_event_listener_with_callback("abort", &reject);
        }
        reject_on_abort = Some(reject);
    });
    let result = JsFuture::from(promise).await;
    clear_timeout(&timer);
    if let (Some(signal), Some(reject)) = (signal, reject_on_abort) {
        let _ = signal.remove_event_listener_with_callback("abort", &reject);
    }
    result.map(drop)
}
