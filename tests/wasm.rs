//! The wasm build itself, against the sandbox: the exported functions as JavaScript calls them,
//! real fetch, real timers. Run twice by `make test`: in Node, and in headless Chromium
//! (WASM_BINDGEN_USE_BROWSER=1; without it the runner would use Node). `scripts/with-sandbox.sh`
//! starts the sandbox and passes its address as SANDBOX_URL at compile time.
#![cfg(target_arch = "wasm32")]

use gloo_net::http::Request;
use js_sys::{Function, Object, Reflect};
use turkeysms_otp::bindings::{
    estimate_segments_js, normalize_code, normalize_mobile, send_custom_otp, send_otp,
    validate_options, verify_otp,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::AbortController;

/// The sandbox's address, fixed at compile time; unset only when the suite is not run through
/// `scripts/with-sandbox.sh`, and then every test that sends fails with this message.
const SANDBOX: &str = match option_env!("SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9/SANDBOX_URL-was-not-set-run-scripts-with-sandbox-sh",
};

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(name), value).unwrap();
    }
    object.into()
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap()
}

fn text(target: &JsValue, name: &str) -> String {
    get(target, name).as_string().unwrap_or_default()
}

/// Standard options to the sandbox for a test's own key and number.
fn to_sandbox(key: &str, mobile: &str, extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![
        ("apiKey", s(key)),
        ("mobile", s(mobile)),
        ("baseUrl", s(SANDBOX)),
    ];
    pairs.extend(extra.iter().cloned());
    options(&pairs)
}

async fn queue_faults(key: &str, faults: &str) {
    let body = String::from("{\"api_key\":\"") + key + "\",\"faults\":" + faults + "}";
    let response = Request::post(&(String::from(SANDBOX) + "/sandbox/faults"))
        .header("Content-Type", "application/json")
        .body(body)
        .unwrap()
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// How many requests for this number reached the sandbox.
async fn requests_for(mobile: &str) -> u32 {
    let url = String::from(SANDBOX) + "/sandbox/requests?mobile=" + mobile;
    let body = Request::get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let parsed = js_sys::JSON::parse(&body).unwrap();
    js_sys::Array::from(&get(&parsed, "requests")).length()
}

async fn rejection(
    promise: impl std::future::Future<Output = Result<JsValue, JsValue>>,
) -> JsValue {
    match promise.await {
        Ok(value) => panic!("expected a rejection, got {value:?}"),
        Err(error) => error,
    }
}

fn assert_otp_error(error: &JsValue, code: &str) {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    assert_eq!(text(error, "name"), "OtpError");
    assert_eq!(text(error, "code"), code, "{}", text(error, "message"));
    assert!(!text(error, "message").is_empty());
}

#[wasm_bindgen_test]
async fn sends_a_standard_otp_and_resolves_with_the_result() {
    let result = send_otp(to_sandbox(
        "wasm-key-1",
        "0532 100 00 01",
        &[("digits", JsValue::from(4))],
    ))
    .await
    .unwrap();
    assert_eq!(text(&result, "code"), "TS-1024");
    assert_eq!(text(&result, "mobile"), "905321000001");
    assert!(get(&result, "smsId").as_f64().is_some());
    assert_eq!(get(&result, "segments").as_f64(), Some(1.0));
    assert_eq!(text(&get(&result, "raw"), "result_code"), "TS-1024");
}

#[wasm_bindgen_test]
async fn sends_a_custom_otp_to_the_detailed_endpoint() {
    let extra = [("title", s("MyApp")), ("text", s("MyApp code: TS-CODE"))];
    let result = send_custom_otp(to_sandbox("wasm-key-2", "+90 532 100 00 02", &extra))
        .await
        .unwrap();
    assert_eq!(text(&result, "code"), "TS-1024");
    let url = String::from(SANDBOX) + "/sandbox/messages?mobile=905321000002";
    let inbox = Request::get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(inbox.contains("\"path\":\"/otp/detailed\""), "{inbox}");
    assert!(inbox.contains("MyApp code: "), "{inbox}");
}

#[wasm_bindgen_test]
async fn a_server_code_rejects_with_an_otp_error_without_the_key() {
    let error = rejection(send_otp(to_sandbox(
        "sandbox-invalid-key",
        "0532 100 00 03",
        &[],
    )))
    .await;
    assert_otp_error(&error, "TS-1031");
    assert_eq!(get(&error, "status").as_f64(), Some(401.0));
    assert_eq!(get(&error, "retryable").as_bool(), Some(false));
    assert_eq!(get(&error, "attempts").as_f64(), Some(1.0));
    for part in ["message", "stack"] {
        assert!(
            !text(&error, part).contains("sandbox-invalid-key"),
            "{part} leaks the key"
        );
    }
}

#[wasm_bindgen_test]
async fn a_5xx_is_retried_and_then_succeeds() {
    queue_faults("wasm-key-4", "[\"html-500\"]").await;
    let result = send_otp(to_sandbox("wasm-key-4", "0532 100 00 04", &[]))
        .await
        .unwrap();
    assert_eq!(text(&result, "code"), "TS-1024");
    assert_eq!(requests_for("905321000004").await, 2);
}

#[wasm_bindgen_test]
async fn a_hang_times_out_per_attempt() {
    let extra = [
        ("timeoutMs", JsValue::from(150)),
        ("maxRetries", JsValue::from(1)),
    ];
    let error = rejection(send_otp(to_sandbox(
        "sandbox-hang",
        "0532 100 00 05",
        &extra,
    )))
    .await;
    assert_otp_error(&error, "TIMEOUT");
    assert_eq!(get(&error, "retryable").as_bool(), Some(true));
    assert_eq!(get(&error, "attempts").as_f64(), Some(2.0));
}

#[wasm_bindgen_test]
async fn a_connection_reset_is_a_network_error() {
    let extra = [("maxRetries", JsValue::from(0))];
    let error = rejection(send_otp(to_sandbox(
        "sandbox-reset",
        "0532 100 00 06",
        &extra,
    )))
    .await;
    assert_otp_error(&error, "NETWORK");
    assert_eq!(get(&error, "attempts").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn a_body_that_is_not_json_is_a_bad_response() {
    let error = rejection(send_otp(to_sandbox(
        "sandbox-not-json",
        "0532 100 00 07",
        &[],
    )))
    .await;
    assert_otp_error(&error, "BAD_RESPONSE");
    assert_eq!(get(&error, "status").as_f64(), Some(200.0));
}

#[wasm_bindgen_test]
async fn an_aborted_signal_stops_the_call() {
    let controller = AbortController::new().unwrap();
    controller.abort();
    let extra = [("signal", controller.signal().into())];
    let error = rejection(send_otp(to_sandbox("wasm-key-8", "0532 100 00 08", &extra))).await;
    assert_otp_error(&error, "ABORTED");
    assert_eq!(get(&error, "attempts").as_f64(), Some(0.0));
    assert_eq!(requests_for("905321000008").await, 0);

    let controller = AbortController::new().unwrap();
    let abort: Function = get(&controller, "abort").unchecked_into();
    let bound: JsValue = abort.bind0(&controller).into();
    let set_timeout: Function = get(&js_sys::global(), "setTimeout").unchecked_into();
    set_timeout
        .call2(&JsValue::UNDEFINED, &bound, &JsValue::from(100))
        .unwrap();
    let extra = [("signal", controller.signal().into())];
    let error = rejection(send_otp(to_sandbox(
        "sandbox-hang",
        "0532 100 00 09",
        &extra,
    )))
    .await;
    assert_otp_error(&error, "ABORTED");
    assert_eq!(get(&error, "attempts").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn no_input_of_any_shape_traps_and_the_instance_keeps_working() {
    let hostile = Function::new_no_args(
        "return [undefined, null, 0, -1, NaN, 'x', '', true, Symbol('s'), 10n, [], [1], () => 1, \
         Object.create(null), { mobile: 5321234567 }, { apiKey: 1, mobile: {} }, \
         { get mobile() { throw new Error('getter') } }, \
         new Proxy({}, { get() { throw new Error('trap') } }), \
         { apiKey: 'k', mobile: '5'.repeat(100000), text: 'ş'.repeat(100000), title: 'x'.repeat(100000) }, \
         { apiKey: 'k', mobile: '\\uD800\\uDC00\\uD800', baseUrl: '\\uDFFF' }, \
         { apiKey: 'k', mobile: '05321234567', lang: Infinity, digits: -0, timeoutMs: 1e308, maxRetries: -1 }, \
         { apiKey: 'k', mobile: '05321234567', signal: { aborted: 'no' } }];",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    for value in js_sys::Array::from(&hostile).iter() {
        for custom in [false, true] {
            let result = if custom {
                send_custom_otp(value.clone()).await
            } else {
                send_otp(value.clone()).await
            };
            let error = result.expect_err("hostile options were accepted");
            assert_eq!(text(&error, "name"), "OtpError");
            assert_eq!(get(&error, "attempts").as_f64(), Some(0.0));
        }
        let _ = normalize_mobile(value.clone());
        let _ = validate_options(value.clone(), s("custom"));
        let _ = estimate_segments_js(value.clone(), value.clone());
    }
    let result = send_otp(to_sandbox("wasm-key-10", "0532 100 00 10", &[]))
        .await
        .unwrap();
    assert_eq!(text(&result, "code"), "TS-1024");
}

#[wasm_bindgen_test]
async fn a_key_for_turkeysms_is_refused_exactly_where_a_document_exists() {
    let in_browser = !get(&js_sys::global(), "document").is_undefined();
    let page_key = || options(&[("apiKey", s("page-key")), ("mobile", s("05321234567"))]);
    let report = validate_options(page_key(), s("standard")).unwrap();
    assert_eq!(get(&report, "ok").as_bool(), Some(!in_browser));
    if in_browser {
        // Rejected before any request: nothing reaches the real API.
        let error = rejection(send_otp(page_key())).await;
        assert_otp_error(&error, "BROWSER_KEY_EXPOSED");
        assert_eq!(text(&error, "field"), "apiKey");
        assert_eq!(get(&error, "attempts").as_f64(), Some(0.0));
        let allowed = options(&[
            ("apiKey", s("k")),
            ("mobile", s("05321234567")),
            ("dangerouslyAllowBrowser", JsValue::TRUE),
        ]);
        let report = validate_options(allowed, s("standard")).unwrap();
        assert_eq!(get(&report, "ok").as_bool(), Some(true));
    }
}

#[wasm_bindgen_test]
fn the_form_helpers_use_the_same_rules() {
    assert_eq!(
        normalize_mobile(s("0090 532 123 45 67")).unwrap(),
        "905321234567"
    );
    let error = normalize_mobile(s("0212 123 45 67")).unwrap_err();
    assert_otp_error(&error, "INVALID_MOBILE");
    let report = validate_options(options(&[("mobile", s("x"))]), s("standard")).unwrap();
    assert_eq!(get(&report, "ok").as_bool(), Some(false));
    let issues = js_sys::Array::from(&get(&report, "issues"));
    assert_eq!(issues.length(), 2);
    assert_eq!(text(&issues.get(1), "field"), "mobile");
    assert_eq!(text(&issues.get(1), "code"), "INVALID_MOBILE");
    let estimate = estimate_segments_js(s("Kod: TS-CODE ş"), JsValue::from(4)).unwrap();
    assert_eq!(text(&estimate, "encoding"), "UCS-2");
    assert_eq!(get(&estimate, "characters").as_f64(), Some(11.0));
    assert_eq!(get(&estimate, "segments").as_f64(), Some(1.0));
    assert_otp_error(
        &estimate_segments_js(s("x"), JsValue::from(7)).unwrap_err(),
        "INVALID_DIGITS",
    );
}

#[wasm_bindgen_test]
async fn a_check_refuses_a_malformed_code_before_any_request() {
    // The sandbox has no /otp/verify: a request would answer 404, never INVALID_CODE.
    let handler = options(&[
        ("baseUrl", s(SANDBOX)),
        ("mobile", s("0532 100 00 20")),
        ("code", s("12a4")),
    ]);
    let error = rejection(verify_otp(handler)).await;
    assert_otp_error(&error, "INVALID_CODE");
    assert_eq!(text(&error, "field"), "code");
    assert_eq!(get(&error, "attempts").as_f64(), Some(0.0));
    let no_base = options(&[("mobile", s("0532 100 00 20")), ("code", s("123456"))]);
    assert_otp_error(&rejection(verify_otp(no_base)).await, "INVALID_BASE_URL");
    assert_eq!(normalize_code(s(" ١٢٣٤٥٦ ")).unwrap(), "123456");
    assert_otp_error(
        &normalize_code(JsValue::from(1234)).unwrap_err(),
        "INVALID_CODE",
    );
}
