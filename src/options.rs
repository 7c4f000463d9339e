//! The options of `sendOtp` / `sendCustomOtp` / `verifyOtp`, validated into an [`OtpRequest`].
//!
//! The JavaScript shell reads each option into an [`Input`]; everything that decides lives here,
//! so it runs under `cargo test` and serves both the requests and `validateOptions` for forms.

use crate::base_url::{parse_base_url, BaseUrl, TURKEYSMS_API};
use crate::code::normalize_code;
use crate::defaults::{MAX_RETRIES_MESSAGE, TIMEOUT_MS_MESSAGE};
use crate::error::{Issue, LocalCode};
pub use crate::input::Input;
use crate::message::{check_text, check_title};
use crate::mobile::normalize_mobile;
use crate::request::{Kind, OtpRequest};

pub use crate::defaults::{
    DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS,
};

/// Every option the SDK knows, as given. Unknown option names are never read.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RawOptions {
    pub api_key: Input,
    pub mobile: Input,
    pub lang: Input,
    pub digits: Input,
    pub title: Input,
    pub text: Input,
    pub base_url: Input,
    pub timeout_ms: Input,
    pub max_retries: Input,
    pub signal: Input,
    pub dangerously_allow_browser: Input,
    pub retry_unsent_only: Input,
    pub fetch: Input,
    pub turnstile_token: Input,
    pub code: Input,
    pub id: Input,
}

/// Where the call runs, as far as the rules care.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// A global `document` exists: whatever the page holds, its visitors can read.
    pub in_browser: bool,
    /// `location.origin` of the page or worker, when there is one: a `baseUrl` such as `/api`
    /// resolves against it.
    pub page_origin: Option<String>,
}

/// The issue for an `options` value that is not an object at all.
pub fn not_an_object() -> Issue {
    Issue::new(
        "options",
        LocalCode::InvalidOptions,
        "options must be an object, e.g. { apiKey, mobile: \"0532 123 45 67\" }.",
    )
}

/// What the rules build up from the options; each rule fills its own part.
#[derive(Default)]
struct Draft {
    base: Option<BaseUrl>,
    allow_browser: Option<bool>,
    api_key: Option<String>,
    mobile: String,
    lang: Option<u8>,
    digits: Option<u8>,
    title: Option<String>,
    text: Option<String>,
    timeout_ms: u32,
    max_retries: u32,
    retry_unsent_only: bool,
    turnstile_token: Option<String>,
    code: Option<String>,
}

/// The options, in the order their issues are reported. `apiKey` comes after `baseUrl`: whether
/// a key is required depends on where the request goes.
#[derive(Clone, Copy)]
enum Rule {
    BaseUrl,
    AllowBrowser,
    ApiKey,
    Mobile,
    Lang,
    Digits,
    Title,
    Text,
    TimeoutMs,
    MaxRetries,
    RetryUnsentOnly,
    Signal,
    Fetch,
    TurnstileToken,
    Code,
}

const RULES: [Rule; 15] = [
    Rule::BaseUrl,
    Rule::AllowBrowser,
    Rule::ApiKey,
    Rule::Mobile,
    Rule::Lang,
    Rule::Digits,
    Rule::Title,
    Rule::Text,
    Rule::TimeoutMs,
    Rule::MaxRetries,
    Rule::RetryUnsentOnly,
    Rule::Signal,
    Rule::Fetch,
    Rule::TurnstileToken,
    Rule::Code,
];

impl Rule {
    /// Reads this option, and fills its part of the draft or says what is wrong.
    fn apply(
        self,
        raw: &RawOptions,
        kind: Kind,
        env: &Environment,
        d: &mut Draft,
    ) -> Result<(), Issue> {
        let custom = kind == Kind::Custom;
        let verify = kind == Kind::Verify;
        let status = kind == Kind::Status;
        // Your own handler's calls: no key, no SMS to shape.
        let handler = verify || status;
        match self {
            Rule::BaseUrl if handler => d.base = Some(handler_url(&raw.base_url, env)?),
            Rule::BaseUrl => d.base = Some(base_url(&raw.base_url, env.page_origin.as_deref())?),
            Rule::AllowBrowser => {
                d.allow_browser = Some(boolean(
                    &raw.dangerously_allow_browser,
                    "dangerouslyAllowBrowser",
                    "dangerouslyAllowBrowser must be true or false.",
                )?)
            }
            // A code is checked by your own handler, which needs no key: none is ever sent.
            Rule::ApiKey if handler => {}
            Rule::ApiKey => {
                let required = d.base.as_ref().is_none_or(|b| b.is_turkeysms);
                d.api_key = api_key(&raw.api_key, required)?;
            }
            Rule::Mobile if status => {}
            Rule::Mobile => d.mobile = mobile(&raw.mobile)?,
            // What the SMS looks like is decided when it is sent.
            Rule::Lang | Rule::Digits | Rule::TurnstileToken if handler => {}
            Rule::Lang => d.lang = lang(&raw.lang)?,
            Rule::Digits => d.digits = digits(&raw.digits)?,
            Rule::Title if custom => d.title = Some(title(&raw.title)?),
            Rule::Text if custom => d.text = Some(text(&raw.text)?),
            Rule::Title | Rule::Text => {}
            Rule::TimeoutMs => {
                d.timeout_ms = bounded(
                    &raw.timeout_ms,
                    "timeoutMs",
                    (1, MAX_TIMEOUT_MS),
                    DEFAULT_TIMEOUT_MS,
                    TIMEOUT_MS_MESSAGE,
                )?
            }
            // A check is never retried: a first try that reached the handler may have used the
            // code up, and a second would then be refused.
            Rule::MaxRetries if verify => d.max_retries = 0,
            Rule::MaxRetries => {
                d.max_retries = bounded(
                    &raw.max_retries,
                    "maxRetries",
                    (0, MAX_RETRIES_LIMIT),
                    DEFAULT_MAX_RETRIES,
                    MAX_RETRIES_MESSAGE,
                )?
            }
            Rule::RetryUnsentOnly => {
                d.retry_unsent_only = boolean(
                    &raw.retry_unsent_only,
                    "retryUnsentOnly",
                    "retryUnsentOnly must be true or false.",
                )?
            }
            Rule::Signal => signal(&raw.signal)?,
            Rule::Fetch => fetch(&raw.fetch)?,
            Rule::TurnstileToken => d.turnstile_token = turnstile_token(&raw.turnstile_token)?,
            Rule::Code if verify => d.code = Some(code(&raw.code)?),
            Rule::Code if status => d.code = Some(send_id(&raw.id)?),
            Rule::Code => {}
        }
        Ok(())
    }
}

/// Checks every option; on success returns the request, otherwise every issue found, in option order.
pub fn validate(raw: &RawOptions, kind: Kind, env: Environment) -> Result<OtpRequest, Vec<Issue>> {
    let mut draft = Draft::default();
    let mut issues: Vec<Issue> = RULES
        .iter()
        .filter_map(|rule| rule.apply(raw, kind, &env, &mut draft).err())
        .collect();
    let key_in_page = env.in_browser
        && draft.api_key.is_some()
        && draft.base.as_ref().is_some_and(|b| b.is_turkeysms)
        && draft.allow_browser == Some(false);
    if key_in_page {
        issues.insert(0, Issue::new(
            "apiKey",
            LocalCode::BrowserKeyExposed,
            "an API key in a web page is readable by every visitor: call your own server or edge function (baseUrl) that adds the key, or set dangerouslyAllowBrowser: true if you accept the risk.",
        ));
    }
    match draft.base {
        Some(base) if issues.is_empty() => Ok(OtpRequest {
            kind,
            url: base.join(kind.path()),
            origin: base.origin().to_string(),
            api_key: draft.api_key,
            mobile: draft.mobile,
            lang: draft.lang,
            digits: draft.digits,
            title: draft.title,
            text: draft.text,
            timeout_ms: draft.timeout_ms,
            max_retries: draft.max_retries,
            retry_unsent_only: draft.retry_unsent_only,
            turnstile_token: draft.turnstile_token,
            code: draft.code,
        }),
        _ => Err(issues),
    }
}

fn wrong_type(field: &'static str, message: &'static str) -> Issue {
    Issue::new(field, LocalCode::InvalidOptions, message)
}

fn unreadable(field: &'static str) -> Issue {
    wrong_type(
        field,
        "an option could not be read (its getter threw): pass plain values.",
    )
}

fn base_url(input: &Input, page_origin: Option<&str>) -> Result<crate::base_url::BaseUrl, Issue> {
    let text = match input {
        Input::Absent => TURKEYSMS_API,
        Input::Str(s) => s,
        Input::Unreadable => return Err(unreadable("baseUrl")),
        _ => {
            return Err(wrong_type(
                "baseUrl",
                "baseUrl must be a string such as \"https://api.turkeysms.com.tr\".",
            ))
        }
    };
    let absolute;
    let text = match page_origin {
        // A path like /api, in a page: the page's own server.
        Some(origin) if text.starts_with('/') && !text.starts_with("//") => {
            absolute = String::from(origin) + text;
            &absolute
        }
        _ => text,
    };
    parse_base_url(text).map_err(|m| Issue::new("baseUrl", LocalCode::InvalidBaseUrl, m))
}

/// `verifyOtp`'s `baseUrl`: required, and never TurkeySMS itself, which checks no codes.
fn handler_url(input: &Input, env: &Environment) -> Result<BaseUrl, Issue> {
    const NEEDED: &str = "verifyOtp needs baseUrl: the address of your createOtpHandler endpoint, e.g. \"/api\" (TurkeySMS itself checks no codes).";
    if *input == Input::Absent {
        return Err(Issue::new("baseUrl", LocalCode::InvalidBaseUrl, NEEDED));
    }
    let base = base_url(input, env.page_origin.as_deref())?;
    if base.is_turkeysms {
        return Err(Issue::new("baseUrl", LocalCode::InvalidBaseUrl, NEEDED));
    }
    Ok(base)
}

fn boolean(input: &Input, field: &'static str, message: &'static str) -> Result<bool, Issue> {
    match input {
        Input::Absent => Ok(false),
        Input::Bool(b) => Ok(*b),
        Input::Unreadable => Err(unreadable(field)),
        _ => Err(wrong_type(field, message)),
    }
}

fn api_key(input: &Input, required: bool) -> Result<Option<String>, Issue> {
    const MISSING: &str = "apiKey is missing: pass your TurkeySMS V4 API key (from an environment variable or secret, never from code in a web page).";
    let key = match input {
        Input::Absent => None,
        Input::Str(s) if s.trim().is_empty() => None,
        Input::Str(s) => Some(s),
        Input::Unreadable => return Err(unreadable("apiKey")),
        _ => {
            return Err(wrong_type(
                "apiKey",
                "apiKey must be a string: your TurkeySMS V4 API key.",
            ))
        }
    };
    match key {
        None if required => Err(Issue::new("apiKey", LocalCode::MissingApiKey, MISSING)),
        None => Ok(None),
        Some(k) if k.trim() != k || k.chars().any(char::is_control) => Err(wrong_type(
            "apiKey",
            "apiKey has spaces or control characters around or inside it: copy the key again, exactly.",
        )),
        Some(k) => Ok(Some(k.clone())),
    }
}

fn mobile(input: &Input) -> Result<String, Issue> {
    required_str(
        input,
        "mobile",
        (
            LocalCode::InvalidMobile,
            "mobile is missing: give the recipient's mobile number, e.g. \"0532 123 45 67\".",
        ),
        "mobile must be a string, e.g. \"0532 123 45 67\" or \"+905321234567\".",
        |s| normalize_mobile(s).map_err(|m| Issue::new("mobile", LocalCode::InvalidMobile, m)),
    )
}

fn lang(input: &Input) -> Result<Option<u8>, Issue> {
    const BAD: &str =
        "lang must be 0 (English), 1 (Turkish) or 2 (Arabic/Unicode), or \"en\", \"tr\" or \"ar\".";
    match input {
        Input::Absent => Ok(None),
        Input::Num(n) if *n == 0.0 || *n == 1.0 || *n == 2.0 => Ok(Some(*n as u8)),
        Input::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Some(0)),
            "tr" => Ok(Some(1)),
            "ar" => Ok(Some(2)),
            _ => Err(Issue::new("lang", LocalCode::InvalidLang, BAD)),
        },
        Input::Num(_) => Err(Issue::new("lang", LocalCode::InvalidLang, BAD)),
        Input::Unreadable => Err(unreadable("lang")),
        _ => Err(wrong_type("lang", BAD)),
    }
}

fn digits(input: &Input) -> Result<Option<u8>, Issue> {
    match input {
        Input::Absent => Ok(None),
        Input::Num(n) => digits_value(*n).map(Some),
        Input::Unreadable => Err(unreadable("digits")),
        _ => Err(wrong_type("digits", "digits must be the number 4, 5 or 6.")),
    }
}

/// The code length: 4, 5 or 6. Shared with `estimateSegments`.
pub fn digits_value(n: f64) -> Result<u8, Issue> {
    if n == 4.0 || n == 5.0 || n == 6.0 {
        Ok(n as u8)
    } else {
        Err(Issue::new(
            "digits",
            LocalCode::InvalidDigits,
            "digits must be 4, 5 or 6 (the code length; TurkeySMS's default is 6).",
        ))
    }
}

fn title(input: &Input) -> Result<String, Issue> {
    required_str(
        input,
        "title",
        (
            LocalCode::InvalidTitle,
            "title is missing: sendCustomOtp needs your approved Sender ID, e.g. \"MyApp\".",
        ),
        "title must be a string: your approved Sender ID, e.g. \"MyApp\".",
        |s| {
            check_title(s)
                .map(|()| s.to_string())
                .map_err(|m| Issue::new("title", LocalCode::InvalidTitle, m))
        },
    )
}

fn text(input: &Input) -> Result<String, Issue> {
    required_str(
        input,
        "text",
        (
            LocalCode::InvalidText,
            "text is missing: sendCustomOtp needs your message with TS-CODE where the code goes.",
        ),
        "text must be a string with TS-CODE where the code goes.",
        |s| {
            check_text(s)
                .map(|()| s.to_string())
                .map_err(|(code, m)| Issue::new("text", code, m))
        },
    )
}

/// A required string option: missing, unreadable, not a string, or whatever `rule` says of it.
fn required_str<T>(
    input: &Input,
    field: &'static str,
    missing: (LocalCode, &'static str),
    not_a_string: &'static str,
    rule: impl FnOnce(&str) -> Result<T, Issue>,
) -> Result<T, Issue> {
    match input {
        Input::Str(s) => rule(s),
        Input::Absent => Err(Issue::new(field, missing.0, missing.1)),
        Input::Unreadable => Err(unreadable(field)),
        _ => Err(wrong_type(field, not_a_string)),
    }
}

/// A send's id, as its answer carried it: 22 base64url characters.
fn send_id(input: &Input) -> Result<String, Issue> {
    const SHAPE: &str = "id must be the 22-character id a send answered with.";
    required_str(
        input,
        "id",
        (LocalCode::InvalidOptions, SHAPE),
        SHAPE,
        |s| {
            (s.len() == 22
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            .then(|| s.to_string())
            .ok_or_else(|| Issue::new("id", LocalCode::InvalidOptions, SHAPE))
        },
    )
}

fn code(input: &Input) -> Result<String, Issue> {
    required_str(
        input,
        "code",
        (
            LocalCode::InvalidCode,
            "code is missing: give the 4 to 6 digits from the SMS, e.g. \"123456\".",
        ),
        "code must be a string of 4 to 6 digits, e.g. \"012345\" (a number would lose leading zeros).",
        |s| normalize_code(s).map_err(|m| Issue::new("code", LocalCode::InvalidCode, m)),
    )
    .map_err(|mut issue| {
        issue.code = LocalCode::InvalidCode;
        issue
    })
}

/// A whole number within `min..=max`, or `default` when absent; `message` names the limits.
fn bounded(
    input: &Input,
    field: &'static str,
    (min, max): (u32, u32),
    default: u32,
    message: &'static str,
) -> Result<u32, Issue> {
    match input {
        Input::Absent => Ok(default),
        Input::Num(n) if n.fract() == 0.0 && *n >= f64::from(min) && *n <= f64::from(max) => {
            Ok(*n as u32)
        }
        Input::Unreadable => Err(unreadable(field)),
        _ => Err(wrong_type(field, message)),
    }
}

fn signal(input: &Input) -> Result<(), Issue> {
    match input {
        Input::Absent | Input::Signal => Ok(()),
        Input::Unreadable => Err(unreadable("signal")),
        _ => Err(wrong_type(
            "signal",
            "signal must be an AbortSignal, e.g. AbortSignal.timeout(5000).",
        )),
    }
}

/// Cloudflare's tokens are a few hundred characters; anything much longer is not one.
const MAX_TURNSTILE_TOKEN: usize = 4096;

fn turnstile_token(input: &Input) -> Result<Option<String>, Issue> {
    match input {
        Input::Absent => Ok(None),
        Input::Str(s) if !s.is_empty() && s.len() <= MAX_TURNSTILE_TOKEN && !s.chars().any(char::is_control) => {
            Ok(Some(s.clone()))
        }
        Input::Unreadable => Err(unreadable("turnstileToken")),
        _ => Err(wrong_type(
            "turnstileToken",
            "turnstileToken must be the string the Turnstile widget gave (its cf-turnstile-response).",
        )),
    }
}

fn fetch(input: &Input) -> Result<(), Issue> {
    match input {
        Input::Absent | Input::Function => Ok(()),
        Input::Unreadable => Err(unreadable("fetch")),
        _ => Err(wrong_type(
            "fetch",
            "fetch must be a function called like the global fetch(url, init) and resolving to a Response, e.g. fetch: (url, init) => myFetch(url, init).",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Input {
        Input::Str(v.to_string())
    }

    fn standard() -> RawOptions {
        RawOptions {
            api_key: s("KEY"),
            mobile: s("0532 123 45 67"),
            ..RawOptions::default()
        }
    }

    fn custom() -> RawOptions {
        RawOptions {
            title: s("MyApp"),
            text: s("MyApp code: TS-CODE"),
            ..standard()
        }
    }

    fn issues(raw: &RawOptions, kind: Kind) -> Vec<(&'static str, &'static str)> {
        match validate(raw, kind, Environment::default()) {
            Ok(_) => vec![],
            Err(issues) => issues.iter().map(|i| (i.field, i.code.as_str())).collect(),
        }
    }

    #[test]
    fn minimal_standard_options_become_a_request_with_defaults() {
        let r = validate(&standard(), Kind::Standard, Environment::default()).unwrap();
        assert_eq!(r.url, "https://api.turkeysms.com.tr/otp/send");
        assert_eq!(r.mobile, "905321234567");
        assert_eq!(r.timeout_ms, 10_000);
        assert_eq!(r.max_retries, 2);
        assert_eq!(r.body(), r#"{"api_key":"KEY","mobile":"905321234567"}"#);
    }

    #[test]
    fn custom_options_reach_the_detailed_endpoint() {
        let mut raw = custom();
        raw.lang = s("en");
        raw.digits = Input::Num(4.0);
        let r = validate(&raw, Kind::Custom, Environment::default()).unwrap();
        assert_eq!(r.url, "https://api.turkeysms.com.tr/otp/detailed");
        assert_eq!(
            r.body(),
            r#"{"api_key":"KEY","mobile":"905321234567","title":"MyApp","text":"MyApp code: TS-CODE","lang":0,"digits":4}"#
        );
    }

    #[test]
    fn standard_ignores_title_and_text() {
        let mut raw = standard();
        raw.title = Input::Num(1.0);
        raw.text = s("no placeholder");
        assert_eq!(issues(&raw, Kind::Standard), vec![]);
    }

    #[test]
    fn lang_accepts_numbers_and_names() {
        for (input, want) in [
            (Input::Num(0.0), 0),
            (Input::Num(2.0), 2),
            (s("TR"), 1),
            (s(" ar "), 2),
        ] {
            let raw = RawOptions {
                lang: input,
                ..standard()
            };
            assert_eq!(
                validate(&raw, Kind::Standard, Environment::default())
                    .unwrap()
                    .lang,
                Some(want)
            );
        }
        for (input, code) in [
            (Input::Num(3.0), "INVALID_LANG"),
            (Input::Num(1.5), "INVALID_LANG"),
            (s("de"), "INVALID_LANG"),
            (Input::Bool(true), "INVALID_OPTIONS"),
        ] {
            let raw = RawOptions {
                lang: input,
                ..standard()
            };
            assert_eq!(issues(&raw, Kind::Standard), vec![("lang", code)]);
        }
    }

    #[test]
    fn digits_must_be_four_to_six() {
        for (input, code) in [
            (Input::Num(3.0), "INVALID_DIGITS"),
            (Input::Num(7.0), "INVALID_DIGITS"),
            (Input::Num(f64::NAN), "INVALID_DIGITS"),
            (Input::Num(5.5), "INVALID_DIGITS"),
            (s("6"), "INVALID_OPTIONS"),
        ] {
            let raw = RawOptions {
                digits: input,
                ..standard()
            };
            assert_eq!(issues(&raw, Kind::Standard), vec![("digits", code)]);
        }
    }

    #[test]
    fn api_key_is_required_only_for_turkeysms() {
        let raw = RawOptions {
            api_key: Input::Absent,
            ..standard()
        };
        assert_eq!(
            issues(&raw, Kind::Standard),
            vec![("apiKey", "MISSING_API_KEY")]
        );
        let raw = RawOptions {
            api_key: s("   "),
            ..standard()
        };
        assert_eq!(
            issues(&raw, Kind::Standard),
            vec![("apiKey", "MISSING_API_KEY")]
        );
        let raw = RawOptions {
            api_key: Input::Absent,
            base_url: s("https://my.example.com/api"),
            ..standard()
        };
        let r = validate(&raw, Kind::Standard, Environment::default()).unwrap();
        assert_eq!(r.body(), r#"{"mobile":"905321234567"}"#);
        assert_eq!(r.url, "https://my.example.com/api/otp/send");
    }

    #[test]
    fn custom_needs_title_and_text() {
        let raw = RawOptions {
            title: Input::Absent,
            text: Input::Absent,
            ..custom()
        };
        assert_eq!(
            issues(&raw, Kind::Custom),
            vec![("title", "INVALID_TITLE"), ("text", "INVALID_TEXT")]
        );
        let raw = RawOptions {
            text: s("code: TS_CODE"),
            ..custom()
        };
        assert_eq!(
            issues(&raw, Kind::Custom),
            vec![("text", "MISSING_PLACEHOLDER")]
        );
    }

    #[test]
    fn status_asks_your_handler_by_the_send_id_only() {
        let raw = RawOptions {
            base_url: s("https://shop.example/api"),
            id: s("AbCdEfGhIjKlMnOpQrSt_-"),
            mobile: s("not a number"),
            api_key: s("KEY"),
            ..RawOptions::default()
        };
        let r = validate(&raw, Kind::Status, Environment::default()).unwrap();
        assert_eq!(r.url, "https://shop.example/api/otp/status");
        assert_eq!(r.api_key, None, "no key goes to your own handler");
        assert_eq!(r.body(), r#"{"id":"AbCdEfGhIjKlMnOpQrSt_-"}"#);
        for bad in [
            s("short"),
            s("AbCdEfGhIjKlMnOpQrSt_+"),
            Input::Num(1.0),
            Input::Absent,
        ] {
            let raw = RawOptions {
                base_url: s("https://shop.example/api"),
                id: bad,
                ..RawOptions::default()
            };
            assert_eq!(issues(&raw, Kind::Status), vec![("id", "INVALID_OPTIONS")]);
        }
    }

    #[test]
    fn every_issue_is_reported_in_option_order() {
        let raw = RawOptions {
            api_key: Input::Num(1.0),
            mobile: s("12"),
            lang: s("xx"),
            digits: Input::Num(9.0),
            title: s("Way too long title"),
            text: s("nothing"),
            base_url: s("ftp://x"),
            timeout_ms: Input::Num(-1.0),
            max_retries: Input::Num(11.0),
            signal: s("abort"),
            dangerously_allow_browser: s("yes"),
            retry_unsent_only: s("yes"),
            fetch: s("fetch"),
            turnstile_token: Input::Num(1.0),
            code: s("x"),
            id: s("x"),
        };
        assert_eq!(
            issues(&raw, Kind::Custom),
            vec![
                ("baseUrl", "INVALID_BASE_URL"),
                ("dangerouslyAllowBrowser", "INVALID_OPTIONS"),
                ("apiKey", "INVALID_OPTIONS"),
                ("mobile", "INVALID_MOBILE"),
                ("lang", "INVALID_LANG"),
                ("digits", "INVALID_DIGITS"),
                ("title", "INVALID_TITLE"),
                ("text", "MISSING_PLACEHOLDER"),
                ("timeoutMs", "INVALID_OPTIONS"),
                ("maxRetries", "INVALID_OPTIONS"),
                ("retryUnsentOnly", "INVALID_OPTIONS"),
                ("signal", "INVALID_OPTIONS"),
                ("fetch", "INVALID_OPTIONS"),
                ("turnstileToken", "INVALID_OPTIONS"),
            ]
        );
    }

    #[test]
    fn fetch_is_a_function_or_absent() {
        for (fetch, ok) in [
            (Input::Absent, true),
            (Input::Function, true),
            (s("fetch"), false),
            (Input::Other, false),
            (Input::Unreadable, false),
        ] {
            let raw = RawOptions {
                fetch,
                ..standard()
            };
            let expected: Vec<(&str, &str)> = if ok {
                vec![]
            } else {
                vec![("fetch", "INVALID_OPTIONS")]
            };
            assert_eq!(issues(&raw, Kind::Standard), expected);
        }
    }

    #[test]
    fn unreadable_options_are_invalid_not_fatal() {
        let raw = RawOptions {
            mobile: Input::Unreadable,
            ..standard()
        };
        assert_eq!(
            issues(&raw, Kind::Standard),
            vec![("mobile", "INVALID_OPTIONS")]
        );
    }

    #[test]
    fn timeout_and_retries_have_bounds() {
        let raw = RawOptions {
            timeout_ms: Input::Num(250.0),
            max_retries: Input::Num(0.0),
            ..standard()
        };
        let r = validate(&raw, Kind::Standard, Environment::default()).unwrap();
        assert_eq!((r.timeout_ms, r.max_retries), (250, 0));
        for bad in [0.0, 0.5, f64::INFINITY, 3e9] {
            let raw = RawOptions {
                timeout_ms: Input::Num(bad),
                ..standard()
            };
            assert_eq!(
                issues(&raw, Kind::Standard),
                vec![("timeoutMs", "INVALID_OPTIONS")]
            );
        }
    }

    #[test]
    fn a_key_for_turkeysms_in_a_browser_is_refused_unless_allowed() {
        let browser = Environment {
            in_browser: true,
            page_origin: None,
        };
        let err = validate(&standard(), Kind::Standard, browser.clone()).unwrap_err();
        assert_eq!(err[0].code, LocalCode::BrowserKeyExposed);
        let raw = RawOptions {
            dangerously_allow_browser: Input::Bool(true),
            ..standard()
        };
        assert!(validate(&raw, Kind::Standard, browser.clone()).is_ok());
        let raw = RawOptions {
            api_key: Input::Absent,
            base_url: s("/api"),
            ..standard()
        };
        assert!(
            validate(&raw, Kind::Standard, browser.clone()).is_err(),
            "relative URLs are not supported yet"
        );
        let raw = RawOptions {
            base_url: s("https://proxy.example.com"),
            ..standard()
        };
        assert!(
            validate(&raw, Kind::Standard, browser.clone()).is_ok(),
            "a key for your own proxy is your call"
        );
    }

    #[test]
    fn a_key_with_stray_whitespace_is_refused() {
        let raw = RawOptions {
            api_key: s("KEY\n"),
            ..standard()
        };
        assert_eq!(
            issues(&raw, Kind::Standard),
            vec![("apiKey", "INVALID_OPTIONS")]
        );
    }

    fn verify() -> RawOptions {
        RawOptions {
            base_url: s("https://shop.example/api"),
            mobile: s("0532 123 45 67"),
            code: s(" 012345 "),
            ..RawOptions::default()
        }
    }

    #[test]
    fn verify_sends_the_number_and_code_to_the_handler_never_retrying() {
        let raw = RawOptions {
            api_key: s("KEY"),
            max_retries: Input::Num(5.0),
            digits: Input::Num(9.0),
            ..verify()
        };
        let r = validate(&raw, Kind::Verify, Environment::default()).unwrap();
        assert_eq!(r.url, "https://shop.example/api/otp/verify");
        assert_eq!(r.code.as_deref(), Some("012345"));
        assert_eq!(
            (r.api_key.as_deref(), r.max_retries, r.digits),
            (None, 0, None)
        );
        assert_eq!(r.body(), r#"{"mobile":"905321234567","code":"012345"}"#);
    }

    #[test]
    fn verify_needs_a_handler_url_and_a_well_formed_code() {
        let raw = RawOptions {
            base_url: Input::Absent,
            ..verify()
        };
        assert_eq!(
            issues(&raw, Kind::Verify),
            vec![("baseUrl", "INVALID_BASE_URL")]
        );
        let raw = RawOptions {
            base_url: s("https://api.turkeysms.com.tr"),
            ..verify()
        };
        assert_eq!(
            issues(&raw, Kind::Verify),
            vec![("baseUrl", "INVALID_BASE_URL")]
        );
        for code in [
            Input::Absent,
            s("12"),
            s("1234567"),
            s("12a4"),
            Input::Num(123456.0),
        ] {
            let raw = RawOptions { code, ..verify() };
            assert_eq!(issues(&raw, Kind::Verify), vec![("code", "INVALID_CODE")]);
        }
        let raw = RawOptions {
            code: Input::Unreadable,
            ..verify()
        };
        assert_eq!(issues(&raw, Kind::Verify), vec![("code", "INVALID_CODE")]);
        // Sends ignore a code: it is never part of what goes to TurkeySMS.
        let sent = validate(&verify(), Kind::Standard, Environment::default()).unwrap();
        assert_eq!(sent.code, None);
    }
}
