//! The functions JavaScript calls, and the conversions between JavaScript values and the Rust
//! rules. Nothing here decides anything: it reads options, calls the rules, and builds the
//! `OtpResult` objects and `OtpError` errors of the contract. wasm only.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use crate::error::{Issue, LocalCode, OtpError};
use crate::js::{classify, key, read_field};
use crate::message::estimate_segments;
use crate::mobile;
use crate::options::{self, digits_value, Environment, Input, RawOptions};
use crate::request::Kind;
use crate::transport::{self, Delivery, Sender};

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy: caught here instead of unwinding
    /// through the wasm.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// The `kind` of `validateOptions`.
fn read_kind(kind: &JsValue) -> Result<Kind, JsValue> {
    match kind.as_string().as_deref() {
        Some("standard") => Ok(Kind::Standard),
        Some("custom") => Ok(Kind::Custom),
        Some("verify") => Ok(Kind::Verify),
        Some("status") => Ok(Kind::Status),
        _ => Err(js_error(&OtpError::from(&Issue::new(
            "kind",
            LocalCode::InvalidOptions,
            "kind must be \"standard\", \"custom\", \"verify\" or \"status\".",
        )))),
    }
}

/// The four calls that go over HTTP, as one export (`kind`: 0 sendOtp, 1 sendCustomOtp, 2 verifyOtp,
/// 3 getOtpStatus), so that the .wasm carries one async entry rather than four: the page API
/// (`api.js`) names them.
#[wasm_bindgen(js_name = call)]
pub async fn call(kind: u8, options: JsValue) -> Result<JsValue, JsValue> {
    let kind = match kind {
        0 => Kind::Standard,
        1 => Kind::Custom,
        2 => Kind::Verify,
        _ => Kind::Status,
    };
    send(options, kind).await
}

/// Sends an OTP with TurkeySMS's standard template (`POST {baseUrl}/otp/send`).
pub async fn send_otp(options: JsValue) -> Result<JsValue, JsValue> {
    send(options, Kind::Standard).await
}

/// Sends an OTP with your own text containing `TS-CODE` (`POST {baseUrl}/otp/detailed`).
pub async fn send_custom_otp(options: JsValue) -> Result<JsValue, JsValue> {
    send(options, Kind::Custom).await
}

/// Checks a code someone typed back with your own `createOtpHandler` (`POST {baseUrl}/otp/verify`).
pub async fn verify_otp(options: JsValue) -> Result<JsValue, JsValue> {
    send(options, Kind::Verify).await
}

/// A send's delivery status from your own `createOtpHandler` (`POST {baseUrl}/otp/status`).
pub async fn get_otp_status(options: JsValue) -> Result<JsValue, JsValue> {
    send(options, Kind::Status).await
}

/// Normalises a typed code to ASCII digits (`" ٠١٢٣٤٥"` → `"012345"`); throws `INVALID_CODE`.
#[wasm_bindgen(js_name = normalizeCode)]
pub fn normalize_code(input: JsValue) -> Result<String, JsValue> {
    let fail = |m| {
        js_error(&OtpError::from(&Issue::new(
            "code",
            LocalCode::InvalidCode,
            m,
        )))
    };
    let Some(text) = input.as_string() else {
        return Err(fail(
            "code must be a string of 4 to 6 digits, e.g. \"012345\".",
        ));
    };
    crate::code::normalize_code(&text).map_err(fail)
}

/// Normalises a typed number to TurkeySMS's form (`905321234567`); throws `INVALID_MOBILE`.
#[wasm_bindgen(js_name = normalizeMobile)]
pub fn normalize_mobile(input: JsValue) -> Result<String, JsValue> {
    let Some(text) = input.as_string() else {
        return Err(js_error(&OtpError::from(&Issue::new(
            "mobile",
            LocalCode::InvalidMobile,
            "mobile must be a string, e.g. \"0532 123 45 67\".",
        ))));
    };
    mobile::normalize_mobile(&text).map_err(|m| {
        js_error(&OtpError::from(&Issue::new(
            "mobile",
            LocalCode::InvalidMobile,
            m,
        )))
    })
}

/// Every problem with a set of options, for forms: `{ ok, issues: [{ field, code, message }] }`.
#[wasm_bindgen(js_name = validateOptions)]
pub fn validate_options(options: JsValue, kind: JsValue) -> Result<JsValue, JsValue> {
    let kind = read_kind(&kind)?;
    let issues = match read_options(&options) {
        Ok((raw, _)) => options::validate(&raw, kind, environment())
            .err()
            .unwrap_or_default(),
        Err(issue) => vec![issue],
    };
    let report = Object::new();
    set(&report, "ok", &JsValue::from_bool(issues.is_empty()));
    set(&report, "issues", &to_js(&issues));
    Ok(report.into())
}

/// How a text travels: `{ encoding, characters, segments }`, with `TS-CODE` as `digits` digits.
#[wasm_bindgen(js_name = estimateSegments)]
pub fn estimate_segments_js(text: JsValue, digits: JsValue) -> Result<JsValue, JsValue> {
    let Some(text) = text.as_string() else {
        return Err(js_error(&OtpError::from(&Issue::new(
            "text",
            LocalCode::InvalidOptions,
            "text must be a string.",
        ))));
    };
    let digits = if digits.is_undefined() || digits.is_null() {
        6
    } else {
        let n = digits.as_f64().unwrap_or(f64::NAN);
        digits_value(n).map_err(|issue| js_error(&OtpError::from(&issue)))?
    };
    Ok(to_js(&estimate_segments(&text, u32::from(digits))))
}

async fn send(options: JsValue, kind: Kind) -> Result<JsValue, JsValue> {
    let fail = |issue: &Issue| js_error(&OtpError::from(issue));
    let (raw, live) = read_options(&options).map_err(|issue| fail(&issue))?;
    let request = options::validate(&raw, kind, environment()).map_err(|issues| {
        issues
            .first()
            .map_or_else(|| fail(&options::not_an_object()), fail)
    })?;
    let sender = Sender {
        fetch: live.fetch.as_ref(),
        signal: live.signal.as_ref(),
    };
    let delivery = transport::send(&request, &sender)
        .await
        .map_err(|e| js_error(&e))?;
    Ok(if kind == Kind::Status {
        handler_object(delivery, "id", request.code.as_deref().unwrap_or_default())
    } else if kind == Kind::Verify {
        handler_object(delivery, "mobile", &request.mobile)
    } else {
        result_object(delivery, &request.mobile, request.digits)
    })
}

/// The options the transport uses as themselves, not as values to check.
#[derive(Default)]
struct LiveOptions {
    signal: Option<AbortSignal>,
    fetch: Option<js_sys::Function>,
}

/// Reads every known option; the signal and fetch are also returned as themselves.
fn read_options(options: &JsValue) -> Result<(RawOptions, LiveOptions), Issue> {
    if !options.is_object() || options.is_function() || is_array(options).unwrap_or(true) {
        return Err(options::not_an_object());
    }
    let signal_value = Reflect::get(options, &key("signal"));
    let signal = signal_value.as_ref().ok().and_then(as_abort_signal);
    let fetch_value = Reflect::get(options, &key("fetch"));
    let raw = RawOptions {
        api_key: read_field(options, "apiKey"),
        mobile: read_field(options, "mobile"),
        lang: read_field(options, "lang"),
        digits: read_field(options, "digits"),
        title: read_field(options, "title"),
        text: read_field(options, "text"),
        base_url: read_field(options, "baseUrl"),
        timeout_ms: read_field(options, "timeoutMs"),
        max_retries: read_field(options, "maxRetries"),
        signal: match (&signal_value, &signal) {
            (_, Some(_)) => Input::Signal,
            (Ok(v), None) => classify(v),
            (Err(_), None) => Input::Unreadable,
        },
        dangerously_allow_browser: read_field(options, "dangerouslyAllowBrowser"),
        retry_unsent_only: read_field(options, "retryUnsentOnly"),
        turnstile_token: read_field(options, "turnstileToken"),
        code: read_field(options, "code"),
        id: read_field(options, "id"),
        fetch: match &fetch_value {
            Ok(v) => classify(v),
            Err(_) => Input::Unreadable,
        },
    };
    let fetch = fetch_value.ok().and_then(|v| v.dyn_into().ok());
    Ok((raw, LiveOptions { signal, fetch }))
}

/// An `AbortSignal`, recognised by shape so signals from other realms (iframes, polyfills) work.
fn as_abort_signal(value: &JsValue) -> Option<AbortSignal> {
    if !value.is_object() {
        return None;
    }
    let aborted = Reflect::get(value, &key("aborted")).ok()?;
    let listen = Reflect::get(value, &key("addEventListener")).ok()?;
    (aborted.as_bool().is_some() && listen.is_function()).then(|| value.clone().unchecked_into())
}

/// A browser is wherever a global `document` exists.
fn environment() -> Environment {
    let global = js_sys::global();
    let in_browser = Reflect::get(&global, &key("document"))
        .map(|d| !d.is_undefined() && !d.is_null())
        .unwrap_or(false);
    // Pages and Web Workers have a location; Node, Deno scripts and workerd do not.
    let page_origin = Reflect::get(&global, &key("location"))
        .ok()
        .filter(|l| l.is_object())
        .and_then(|l| Reflect::get(&l, &key("origin")).ok())
        .and_then(|o| o.as_string())
        .filter(|o| o.starts_with("http"));
    Environment {
        in_browser,
        page_origin,
    }
}

fn result_object(delivery: Delivery, mobile: &str, digits: Option<u8>) -> JsValue {
    let result = Object::new();
    let envelope = delivery.envelope;
    set(&result, "code", &JsValue::from_str(&envelope.result_code));
    set(
        &result,
        "message",
        &JsValue::from_str(envelope.result_message.as_deref().unwrap_or("")),
    );
    set(&result, "mobile", &JsValue::from_str(mobile));
    let field =
        |name: &'static str| Reflect::get(&delivery.raw, &key(name)).unwrap_or(JsValue::UNDEFINED);
    let sms_id = field("sms_id");
    if sms_id.as_f64().is_some() || sms_id.as_string().is_some() {
        set(&result, "smsId", &sms_id);
    }
    let segments = field("number_of_sms");
    if segments.as_f64().is_some() {
        set(&result, "segments", &segments);
    }
    let otp_code = field("otp_code");
    // A code written as a JSON number has lost its leading zeros: crate::code puts them back.
    let code = match (otp_code.as_string(), otp_code.as_f64()) {
        (Some(text), _) => Some(text),
        (None, Some(n)) => Some(crate::code::code_from_number(
            n,
            &number_text(&otp_code),
            digits,
        )),
        _ => None,
    };
    if let Some(code) = code {
        set(&result, "otpCode", &JsValue::from_str(&code));
    }
    set(&result, "raw", &delivery.raw);
    result.into()
}

/// Your handler's answer to `verifyOtp` or `getOtpStatus`: `{ code, token?, mobile }` (`token`
/// when the handler sent one: an `onVerified` hook may answer with its own body) or
/// `{ code: "QUEUED" | "SENT" | "DELIVERED" | "FAILED" | "EXPIRED", id }`.
fn handler_object(delivery: Delivery, name: &'static str, value: &str) -> JsValue {
    let result = Object::new();
    set(
        &result,
        "code",
        &JsValue::from_str(&delivery.envelope.result_code),
    );
    let token = Reflect::get(&delivery.raw, &key("token")).unwrap_or(JsValue::UNDEFINED);
    if token.as_string().is_some() {
        set(&result, "token", &token);
    }
    set(&result, name, &JsValue::from_str(value));
    result.into()
}

/// A JSON number as JavaScript prints it (`otp_code: 123456` → `"123456"`).
fn number_text(value: &JsValue) -> String {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// An `Error` named `OtpError` carrying the contract's properties.
fn js_error(error: &OtpError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("OtpError");
    set(&js, "code", &JsValue::from_str(&error.code));
    set(&js, "retryable", &JsValue::from_bool(error.retryable));
    if let Some(status) = error.status {
        set(&js, "status", &JsValue::from(status));
    }
    if let Some(field) = error.field {
        set(&js, "field", &JsValue::from_str(field));
    }
    set(&js, "attempts", &JsValue::from(error.attempts));
    if let Some(seconds) = error.retry_after {
        set(&js, "retryAfter", &JsValue::from(seconds));
    }
    if let Some(origin) = &error.origin {
        set(&js, "origin", &JsValue::from_str(origin));
    }
    js.into()
}

/// The SDK's defaults and limits ([`crate::defaults`]) as JSON, for the docs checks. The
/// server's are not in the wasm: the build writes them into the server's bundle.
#[wasm_bindgen]
pub fn defaults() -> String {
    crate::defaults::SDK_DEFAULTS_JSON.to_string()
}

/// For the load tests: wasm linear memory in bytes, and JavaScript values the wasm still holds.
/// Both stay flat across calls when nothing leaks. Not part of the public API.
#[wasm_bindgen(js_name = __diagnostics)]
pub fn diagnostics() -> JsValue {
    // Names made fresh, not through `key()`: the report must not add to the count it reports.
    let name = JsValue::from_str;
    let report = Object::new();
    let buffer =
        Reflect::get(&wasm_bindgen::memory(), &name("buffer")).unwrap_or(JsValue::UNDEFINED);
    let bytes = Reflect::get(&buffer, &name("byteLength")).unwrap_or(JsValue::UNDEFINED);
    let _ = Reflect::set(&report, &name("memoryBytes"), &bytes);
    let live = JsValue::from(wasm_bindgen::externref_heap_live_count());
    let _ = Reflect::set(&report, &name("liveHandles"), &live);
    report.into()
}

/// For the recovery tests: traps this instance at once, as a bug would. Not part of the public API.
#[wasm_bindgen(js_name = __trap)]
pub fn trap() {
    core::arch::wasm32::unreachable()
}

/// For the recovery tests: traps this instance from its task queue, after a timer, while other
/// calls are in flight. Not part of the public API.
#[wasm_bindgen(js_name = __trapLater)]
pub async fn trap_later() {
    let _ = transport::sleep(1).await;
    core::arch::wasm32::unreachable()
}

fn set(target: &JsValue, name: &'static str, value: &JsValue) {
    let _ = Reflect::set(target, &key(name), value);
}

fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::UNDEFINED)
}
