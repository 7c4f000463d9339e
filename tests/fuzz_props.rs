//! Hostile input for every validator and the envelope reader: nothing panics, whatever comes in.
//! `make test` runs a short pass; `make fuzz` runs FUZZ_CASES=1000000 per property, in release.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{input, nasty_string};
use proptest::prelude::*;
use proptest::test_runner::Config;
use turkeysms_otp::base_url::parse_base_url;
use turkeysms_otp::envelope::{read_outcome, Envelope, Failure, Outcome};
use turkeysms_otp::error::from_failure;
use turkeysms_otp::message::{check_text, check_title, estimate_segments};
use turkeysms_otp::mobile::normalize_mobile;
use turkeysms_otp::options::{validate, Environment, RawOptions};
use turkeysms_otp::request::Kind;
use turkeysms_otp::retry::decide;

fn config() -> Config {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(2_000);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mobile(s in nasty_string()) {
        if let Ok(n) = normalize_mobile(&s) {
            prop_assert_eq!(normalize_mobile(&n), Ok(n.clone()));
        }
    }

    #[test]
    fn title_text_and_segments(s in nasty_string(), digits in 0u32..10) {
        let _ = check_title(&s);
        let _ = check_text(&s);
        let e = estimate_segments(&s, digits);
        prop_assert!(e.segments <= e.characters);
    }

    #[test]
    fn base_url(s in nasty_string()) {
        if let Ok(url) = parse_base_url(&s) {
            let joined = url.join("/otp/send");
            prop_assert!(joined.starts_with("https://") || joined.starts_with("http://"));
            prop_assert!(!joined.contains(['?', '#', ' ']));
            let authority = joined.split("://").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or("");
            prop_assert!(!authority.is_empty() && !authority.contains('@'), "{}", joined);
        }
    }

    #[test]
    fn options(
        api_key in input(), mobile in input(), lang in input(), digits in input(), title in input(),
        text in input(), base_url in input(), timeout_ms in input(), max_retries in input(),
        signal in input(), allow in input(), unsent in input(), fetch in input(), token in input(), code in input(), code_id in input(), kind in 0u8..4, in_browser in any::<bool>(),
    ) {
        let raw = RawOptions { api_key, mobile, lang, digits, title, text, base_url, timeout_ms, max_retries, signal, dangerously_allow_browser: allow, retry_unsent_only: unsent, fetch, turnstile_token: token, code, id: code_id };
        let kind = [Kind::Standard, Kind::Custom, Kind::Verify, Kind::Status][usize::from(kind)];
        if let Ok(request) = validate(&raw, kind, Environment { in_browser, page_origin: None }) {
            let _ = request.body();
        }
    }

    #[test]
    fn envelope_and_outcome(result in input(), code in input(), message in input(), status in any::<u16>(), attempts in 0u32..20, max in 0u32..20, random in any::<f64>()) {
        let envelope = Envelope::from_fields(&result, &code, &message);
        if let Outcome::Failed(failure) = read_outcome(status, envelope) {
            let _ = decide(&failure, attempts, max, false, random);
            let _ = from_failure(&failure, attempts, "https://x", None);
        }
    }

    #[test]
    fn a_key_the_server_echoes_never_reaches_the_error(key in "[a-zA-Z0-9]{24,40}", before in nasty_string(), after in nasty_string(), status in any::<u16>()) {
        let echoed = before + &key + &after;
        for failure in [
            Failure::Server { status, code: key.clone(), message: echoed.clone() },
            Failure::Server { status, code: "TS-1031".into(), message: echoed.clone() },
        ] {
            let error = from_failure(&failure, 1, "https://x", Some(&key));
            prop_assert!(!error.message.contains(&key), "{}", error.message);
            prop_assert!(!error.code.contains(&key), "{}", error.code);
        }
    }
}
