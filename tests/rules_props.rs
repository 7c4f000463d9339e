//! Property tests for the pure rules: they hold for any input, and nothing panics.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{input, phone_like};
use proptest::prelude::*;
use turkeysms_otp::base_url::parse_base_url;
use turkeysms_otp::envelope::Failure;
use turkeysms_otp::envelope::{read_outcome, Envelope};
use turkeysms_otp::message::{check_text, check_title, estimate_segments, GSM7, UCS2};
use turkeysms_otp::mobile::normalize_mobile;
use turkeysms_otp::options::{validate, Environment, Input, RawOptions};
use turkeysms_otp::request::Kind;
use turkeysms_otp::retry::{backoff_ms, decide, RetryDecision};

fn expected_segments(units: u32, single: u32, part: u32) -> u32 {
    match units {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    }
}

proptest! {
    #[test]
    fn normalising_twice_equals_normalising_once(s in phone_like()) {
        if let Ok(once) = normalize_mobile(&s) {
            prop_assert_eq!(normalize_mobile(&once), Ok(once.clone()));
        }
    }

    #[test]
    fn every_accepted_number_is_8_to_15_digits(s in prop_oneof![phone_like(), any::<String>()]) {
        if let Ok(n) = normalize_mobile(&s) {
            prop_assert!(n.bytes().all(|b| b.is_ascii_digit()), "{}", n);
            prop_assert!((8..=15).contains(&n.len()), "{}", n);
            if n.starts_with("90") {
                prop_assert!(n.len() == 12 && n.as_bytes()[2] == b'5', "{}", n);
            }
        }
    }

    #[test]
    fn gsm_segments_match_the_boundary_formula(n in 0usize..2000) {
        let e = estimate_segments(&"a".repeat(n), 6);
        prop_assert_eq!(e.encoding, GSM7);
        prop_assert_eq!(e.segments, expected_segments(n as u32, 160, 153));
    }

    #[test]
    fn ucs2_segments_match_the_boundary_formula(n in 0usize..1000) {
        let e = estimate_segments(&"ş".repeat(n), 6);
        prop_assert_eq!(e.encoding, if n == 0 { GSM7 } else { UCS2 });
        prop_assert_eq!(e.segments, expected_segments(n as u32, 70, 67));
    }

    #[test]
    fn unsplittable_characters_cost_at_most_one_extra_segment_per_part(s in any::<String>(), digits in 4u32..=6) {
        let e = estimate_segments(&s, digits);
        let (single, part) = if e.encoding == GSM7 { (160, 153) } else { (70, 67) };
        let formula = expected_segments(e.characters, single, part);
        prop_assert!(e.segments >= formula);
        prop_assert!(e.segments <= formula + formula / 2 + 1);
    }

    #[test]
    fn no_rule_panics_on_any_string(s in any::<String>()) {
        let _ = normalize_mobile(&s);
        let _ = check_title(&s);
        let _ = check_text(&s);
        let _ = parse_base_url(&s);
        let _ = estimate_segments(&s, 6);
    }

    #[test]
    fn validation_never_panics_and_a_request_is_always_well_formed(
        api_key in input(), mobile in input(), lang in input(), digits in input(), title in input(),
        text in input(), base_url in input(), timeout_ms in input(), max_retries in input(),
        signal in input(), allow in input(), unsent in input(), fetch in input(), token in input(), code in input(), code_id in input(), kind in 0u8..4, in_browser in any::<bool>(),
    ) {
        let raw = RawOptions { api_key, mobile, lang, digits, title, text, base_url, timeout_ms, max_retries, signal, dangerously_allow_browser: allow, retry_unsent_only: unsent, fetch, turnstile_token: token, code, id: code_id };
        let kind = [Kind::Standard, Kind::Custom, Kind::Verify, Kind::Status][usize::from(kind)];
        match validate(&raw, kind, Environment { in_browser, page_origin: None }) {
            Ok(request) => {
                let body: serde_json::Value = serde_json::from_str(&request.body()).unwrap();
                prop_assert_eq!(body["mobile"].as_str(), Some(request.mobile.as_str()));
                prop_assert!(request.url.ends_with(kind.path()));
                // A check carries a code of 4 to 6 ASCII digits and never a key; a send never a code.
                let code = body["code"].as_str();
                if kind == Kind::Verify {
                    prop_assert!(code.is_some_and(|c| (4..=6).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit())));
                    prop_assert!(body.get("api_key").is_none());
                } else {
                    prop_assert!(code.is_none());
                }
            }
            Err(issues) => prop_assert!(!issues.is_empty()),
        }
    }

    #[test]
    fn any_response_is_classified_without_panic(result in input(), code in input(), message in input(), status in 0u16..1000) {
        let envelope = Envelope::from_fields(&result, &code, &message);
        if let Some(e) = &envelope {
            prop_assert_eq!(&Input::Str(e.result_code.clone()), &code);
        }
        let _ = read_outcome(status, envelope);
    }

    #[test]
    fn backoff_stays_between_half_and_full_delay(retry in 1u32..40, random in any::<f64>(), rate_limited in any::<bool>()) {
        let full = backoff_ms(retry, rate_limited, 1.0);
        let wait = backoff_ms(retry, rate_limited, random);
        prop_assert!(wait >= full / 2 && wait <= full);
        prop_assert!(full <= 16_000);
    }

    #[test]
    fn retries_never_exceed_max_retries(attempts in 1u32..20, max in 0u32..=10, random in 0f64..1.0) {
        if let RetryDecision::RetryAfterMs(_) = decide(&Failure::Network, attempts, max, false, random) {
            prop_assert!(attempts <= max);
        }
    }
}
