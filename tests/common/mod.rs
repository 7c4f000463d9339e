//! Input strategies shared by the property suites (rules_props, fuzz_props).

use proptest::prelude::*;
use turkeysms_otp::input::Input;

/// Strings that look like what people type into a phone field, and some that only nearly do.
pub fn phone_like() -> BoxedStrategy<String> {
    proptest::string::string_regex(r"(\+|00|0)?[0-9 ()\-./٠-٩０-９]{0,20}")
        .unwrap()
        .boxed()
}

/// Strings that hit the interesting paths: phone numbers, URL pieces, placeholders, titles,
/// control and invisible characters, very long runs, and anything at all.
pub fn nasty_string() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        phone_like(),
        "(https?|HTTP|ftp)://[a-zA-Z0-9.\\-\\[\\]:@?#/_\\\\ ]{0,40}",
        "[A-Za-z0-9 .\\-_Şş]{0,20}",
        ".{0,30}(TS-CODE|TS_CODE|ts-code).{0,30}",
        "[\\x00-\\x1f\\u{7f}-\\u{a0}\\u{2028}\\u{feff}]{0,20}",
        (0usize..3000).prop_map(|n| "5".repeat(n)),
        (0usize..3000).prop_map(|n| "€ş😀".repeat(n)),
    ]
    .boxed()
}

/// One JavaScript value as the shell would read it, valid or not.
pub fn input() -> BoxedStrategy<Input> {
    prop_oneof![
        Just(Input::Absent),
        nasty_string().prop_map(Input::Str),
        any::<f64>().prop_map(Input::Num),
        (0u8..8).prop_map(|n| Input::Num(n as f64)),
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0),
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(9007199254740993.0)
        ]
        .prop_map(Input::Num),
        any::<bool>().prop_map(Input::Bool),
        Just(Input::Signal),
        Just(Input::Function),
        Just(Input::Other),
        Just(Input::Unreadable),
    ]
    .boxed()
}
