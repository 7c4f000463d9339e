//! Property tests for key redaction: whatever form of the key is embedded wherever, none of it
//! survives, and text that holds no form of the key comes back unchanged.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::Config;
use turkeysms_otp::redact::redact;

const MARKER: &str = "[redacted]";

/// 256 cases by default so `cargo test` stays quick; FUZZ_CASES=n for a long run, as in fuzz_props.
fn config() -> Config {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Percent-encodes every byte outside `keep`, space as `+` when `plus`; written independently of
/// the crate's encoder.
fn encode(key: &str, keep: &str, plus: bool) -> String {
    let mut out = String::new();
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || keep.as_bytes().contains(&b) {
            out.push(char::from(b));
        } else if plus && b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The key as given, upper, lower, `encodeURIComponent`-ed, and form-encoded (both flavours).
fn forms(key: &str) -> Vec<String> {
    vec![
        key.to_string(),
        key.to_ascii_uppercase(),
        key.to_ascii_lowercase(),
        encode(key, "-_.!~*'()", false),
        encode(key, "-_.!~*'()", true),
        encode(key, "*-._", true),
    ]
}

/// What must not survive, lower-cased: every form, and every 8-byte window of one when the key
/// is 8 bytes or longer.
fn patterns(key: &str) -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for form in forms(key) {
        let form = form.to_ascii_lowercase().into_bytes();
        if key.len() >= 8 {
            all.extend(form.windows(8).map(<[u8]>::to_vec));
        }
        all.push(form);
    }
    all
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether `text` holds any pattern, case-insensitively.
fn holds_any(text: &str, patterns: &[Vec<u8>]) -> bool {
    let lower = text.to_ascii_lowercase();
    patterns.iter().any(|p| holds(lower.as_bytes(), p))
}

/// Whether `pattern` shows in the redacted `out`. A pattern that holds a bracket or lies inside
/// the marker (keys like `e` or `]x`) can be spelled by the marker itself or across its edge, so
/// for it only the text between markers counts; for any other pattern that is the same as
/// searching the whole output.
fn leaks(out: &str, pattern: &[u8]) -> bool {
    let lower = out.to_ascii_lowercase();
    let marker_made =
        pattern.iter().any(|&b| b == b'[' || b == b']') || holds(MARKER.as_bytes(), pattern);
    if marker_made {
        lower
            .split(MARKER)
            .any(|piece| holds(piece.as_bytes(), pattern))
    } else {
        holds(lower.as_bytes(), pattern)
    }
}

/// Printable ASCII, specials and spaces included, that is not only spaces.
fn key() -> impl Strategy<Value = String> {
    "[ -~]{1,80}".prop_filter("a blank key redacts nothing", |k| !k.trim().is_empty())
}

/// Surrounding text: anything, multibyte-heavy text, and text near the encodings.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 şğüöçİı€😀ключ]{0,40}",
        "[a-f0-9%+=&?/ ]{0,40}",
    ]
    .boxed()
}

/// `key` in one of its forms, or an 8-byte window of one of them when it has such windows.
fn embedded(key: &str, form: usize, start: usize) -> String {
    let all = forms(key);
    let chosen = all[form % all.len()].clone();
    if key.len() >= 8 && start % 2 == 1 {
        let at = (start / 2) % (chosen.len() - 7);
        chosen[at..at + 8].to_string()
    } else {
        chosen
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_form_of_an_embedded_key_survives(
        key in key(), before in text(), after in text(), form in 0usize..6, start in any::<usize>(),
    ) {
        let text = before + &embedded(&key, form, start) + &after;
        let out = redact(&text, Some(&key));
        prop_assert!(out.contains(MARKER), "{:?} -> {:?}", text, out);
        for pattern in patterns(&key) {
            prop_assert!(
                !leaks(&out, &pattern),
                "key {:?}: {:?} survives in {:?}", key, String::from_utf8_lossy(&pattern), out
            );
        }
        let bytes = out.clone().into_bytes();
        prop_assert_eq!(String::from_utf8(bytes).ok(), Some(out.clone()));
        // Redaction only cuts: what is left between markers is the text's own, in order.
        if !text.contains(MARKER) {
            let mut rest = text.as_str();
            for piece in out.split(MARKER) {
                let at = rest.find(piece);
                prop_assert!(at.is_some(), "{:?} is not from {:?}", piece, text);
                rest = &rest[at.unwrap_or(0) + piece.len()..];
            }
        }
    }

    #[test]
    fn text_without_the_key_is_unchanged(
        key in key(),
        text in prop_oneof![text(), "[ -~]{0,60}"],
        // Text made of key pieces shorter than a window, which must not be redacted.
        pieces in prop::collection::vec((any::<usize>(), 1usize..8), 0..6),
    ) {
        let mut text = text;
        for (at, len) in pieces {
            let at = at % key.len();
            text.push_str(key.get(at..(at + len).min(key.len())).unwrap_or_default());
            text.push('ş');
        }
        let out = redact(&text, Some(&key));
        if holds_any(&text, &patterns(&key)) {
            prop_assert!(out.contains(MARKER), "{:?} -> {:?}", text, out);
        } else {
            prop_assert_eq!(&out, &text);
        }
    }

    #[test]
    fn no_or_blank_key_changes_nothing(text in text(), blank in "[ \t\n]{0,4}") {
        prop_assert_eq!(redact(&text, None), text.clone());
        prop_assert_eq!(redact(&text, Some(&blank)), text);
    }
}
