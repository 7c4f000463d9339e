//! The one error type: its codes, and the words that tell the caller what to do.
//!
//! Messages are fixed strings or plain concatenations (no `format!`), so no formatting machinery
//! reaches the wasm. The API key is only ever used here to scrub it, in any form, out of the
//! text a server sent ([`crate::redact`]).

use crate::envelope::Failure;
use crate::redact::redact;
use crate::retry::is_retryable;

/// A code the SDK reports on its own, as opposed to a `TS-####` code from TurkeySMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalCode {
    InvalidOptions,
    MissingApiKey,
    InvalidMobile,
    InvalidLang,
    InvalidDigits,
    InvalidTitle,
    InvalidText,
    MissingPlaceholder,
    InvalidBaseUrl,
    InvalidCode,
    BrowserKeyExposed,
    Timeout,
    Aborted,
    Network,
    HttpError,
    BadResponse,
}

impl LocalCode {
    /// The code as JavaScript sees it in `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            LocalCode::InvalidOptions => "INVALID_OPTIONS",
            LocalCode::MissingApiKey => "MISSING_API_KEY",
            LocalCode::InvalidMobile => "INVALID_MOBILE",
            LocalCode::InvalidLang => "INVALID_LANG",
            LocalCode::InvalidDigits => "INVALID_DIGITS",
            LocalCode::InvalidTitle => "INVALID_TITLE",
            LocalCode::InvalidText => "INVALID_TEXT",
            LocalCode::MissingPlaceholder => "MISSING_PLACEHOLDER",
            LocalCode::InvalidBaseUrl => "INVALID_BASE_URL",
            LocalCode::InvalidCode => "INVALID_CODE",
            LocalCode::BrowserKeyExposed => "BROWSER_KEY_EXPOSED",
            LocalCode::Timeout => "TIMEOUT",
            LocalCode::Aborted => "ABORTED",
            LocalCode::Network => "NETWORK",
            LocalCode::HttpError => "HTTP_ERROR",
            LocalCode::BadResponse => "BAD_RESPONSE",
        }
    }
}

/// One problem with one option, found before any request is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The option at fault, spelled as in JavaScript (`"mobile"`, `"baseUrl"`, …).
    pub field: &'static str,
    pub code: LocalCode,
    pub message: &'static str,
}

/// `{ field, code, message }`. Written as a map, not a derived struct: serde-wasm-bindgen keeps
/// struct field names in a hash map of its own, whose code cost more than the two objects it
/// serves.
impl serde::Serialize for Issue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("field", self.field)?;
        map.serialize_entry("code", self.code.as_str())?;
        map.serialize_entry("message", self.message)?;
        map.end()
    }
}

impl Issue {
    pub fn new(field: &'static str, code: LocalCode, message: &'static str) -> Issue {
        Issue {
            field,
            code,
            message,
        }
    }
}

/// What a failed call rejects with (`OtpError` in JavaScript).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpError {
    /// A local code's text, or the server's `TS-####` as it came.
    pub code: String,
    pub message: String,
    pub retryable: bool,
    pub status: Option<u16>,
    pub field: Option<&'static str>,
    pub attempts: u32,
    /// Seconds, from the last answer's `Retry-After` header, when it had one.
    pub retry_after: Option<u32>,
    /// The scheme, host and port of the server the call went to, for logs; `None` before a request.
    pub origin: Option<String>,
}

impl OtpError {
    /// A local failure with a fixed message.
    pub fn local(code: LocalCode, message: &str) -> OtpError {
        OtpError {
            code: code.as_str().to_string(),
            message: message.to_string(),
            retryable: false,
            status: None,
            field: None,
            attempts: 0,
            retry_after: None,
            origin: None,
        }
    }
}

impl From<&Issue> for OtpError {
    fn from(issue: &Issue) -> OtpError {
        let mut error = OtpError::local(issue.code, issue.message);
        error.field = Some(issue.field);
        error
    }
}

/// What to do about a server code TurkeySMS documents; `None` for codes it does not.
pub fn advice_for(code: &str) -> Option<&'static str> {
    Some(match code {
        "TS-1027" => "The account balance is too low: top up the TurkeySMS account.",
        "TS-1028" => "The Sender ID (title) is not active: use an approved, active title.",
        "TS-1029" => "The Sender ID (title) does not exist: use one approved for this account.",
        "TS-1030" => "The TurkeySMS account is not active: contact TurkeySMS.",
        "TS-1031" => "The API key was rejected: check apiKey, and the key's IP allow-list.",
        "TS-1032" => "International SMS is not enabled for this account: enable it or send to a Turkish number.",
        "TS-1033" => "TurkeySMS could not read the request body: please report this as an SDK bug.",
        "TS-1034" => "TurkeySMS rejected the mobile number: check it.",
        "TS-1060" => "The per-minute rate limit of this key was exceeded: wait a minute and send fewer requests.",
        "TS-1061" => "POST is not enabled for this key: enable it in the TurkeySMS panel.",
        "TS-1065" => "The key lacks permission for this operation: enable OTP sending for it in the TurkeySMS panel.",
        _ => return None,
    })
}

/// The error a call rejects with after its last attempt failed.
///
/// `origin` names the server in messages and is kept as the error's `origin` (for logs); `api_key` is only used to scrub every form of it from
/// what the server sent (its code and message), so a server that echoes the key (even encoded,
/// re-cased or cut short) cannot leak it into logs. The SDK's own words are fixed text.
pub fn from_failure(
    failure: &Failure,
    attempts: u32,
    origin: &str,
    api_key: Option<&str>,
) -> OtpError {
    let mut message = String::with_capacity(160);
    let (code, status) = match failure {
        Failure::Server {
            status,
            code,
            message: said,
        } => {
            // A TS-#### code is TurkeySMS's own and names no key; anything else a server calls its
            // code is scrubbed like its message.
            let code = if is_turkeysms_code(code) {
                code.clone()
            } else {
                redact(code, api_key)
            };
            // A TS-#### is TurkeySMS's own, said with its advice. Any other code comes from a
            // server in between (the handler): its message is written for a person, so it is the
            // message, as it came (scrubbed); the server's origin is the error's `origin`.
            let said = said.trim();
            let turkeysms = code.starts_with("TS-");
            let for_a_person = !turkeysms && !said.is_empty();
            if turkeysms {
                message.push_str("TurkeySMS answered ");
            } else if said.is_empty() {
                message.push_str("The server answered ");
            }
            if !for_a_person {
                message.push_str(&code);
                if !said.is_empty() {
                    message.push_str(": ");
                }
            }
            message.push_str(&redact(said, api_key));
            if !message.ends_with('.') {
                message.push('.');
            }
            if let Some(advice) = advice_for(&code) {
                message.push(' ');
                message.push_str(advice);
            }
            (code, Some(*status))
        }
        Failure::Http { status } => {
            message.push_str("The server at ");
            message.push_str(origin);
            message.push_str(" answered HTTP ");
            push_number(&mut message, u32::from(*status));
            message.push_str(" without a TurkeySMS result: check baseUrl, or try again later if the status is 5xx.");
            (LocalCode::HttpError.as_str().to_string(), Some(*status))
        }
        Failure::BadResponse { status } => {
            message.push_str("The server at ");
            message.push_str(origin);
            message.push_str(" answered HTTP ");
            push_number(&mut message, u32::from(*status));
            message.push_str(" with a body that is not a TurkeySMS result: check that baseUrl points at the TurkeySMS API or a proxy that passes its answers through.");
            (LocalCode::BadResponse.as_str().to_string(), Some(*status))
        }
        Failure::Network => {
            message.push_str("Could not reach ");
            message.push_str(origin);
            message.push_str(": check baseUrl and the network connection.");
            (LocalCode::Network.as_str().to_string(), None)
        }
        Failure::NotAResponse => {
            message.push_str("fetch did not resolve with a Response: a fetch option must resolve like the global fetch, with a fetch-API Response.");
            (LocalCode::BadResponse.as_str().to_string(), None)
        }
        Failure::Timeout => {
            message.push_str("No answer from ");
            message.push_str(origin);
            message.push_str(" within timeoutMs: the server is slow or unreachable; try again later or raise timeoutMs.");
            (LocalCode::Timeout.as_str().to_string(), None)
        }
        Failure::Aborted => {
            message.push_str("The call was aborted by its signal.");
            (LocalCode::Aborted.as_str().to_string(), None)
        }
    };
    OtpError {
        code,
        message,
        retryable: is_retryable(failure),
        status,
        field: None,
        attempts,
        retry_after: None,
        origin: Some(origin.to_string()),
    }
}

/// `TS-` and digits only.
fn is_turkeysms_code(code: &str) -> bool {
    code.strip_prefix("TS-")
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Appends a number in decimal, without the formatting machinery.
pub fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_local_code_is_spelled_as_in_the_contract() {
        let all = [
            (LocalCode::InvalidOptions, "INVALID_OPTIONS"),
            (LocalCode::MissingApiKey, "MISSING_API_KEY"),
            (LocalCode::InvalidMobile, "INVALID_MOBILE"),
            (LocalCode::InvalidLang, "INVALID_LANG"),
            (LocalCode::InvalidDigits, "INVALID_DIGITS"),
            (LocalCode::InvalidTitle, "INVALID_TITLE"),
            (LocalCode::InvalidText, "INVALID_TEXT"),
            (LocalCode::MissingPlaceholder, "MISSING_PLACEHOLDER"),
            (LocalCode::InvalidBaseUrl, "INVALID_BASE_URL"),
            (LocalCode::BrowserKeyExposed, "BROWSER_KEY_EXPOSED"),
            (LocalCode::Timeout, "TIMEOUT"),
            (LocalCode::Aborted, "ABORTED"),
            (LocalCode::Network, "NETWORK"),
            (LocalCode::HttpError, "HTTP_ERROR"),
            (LocalCode::BadResponse, "BAD_RESPONSE"),
        ];
        for (code, text) in all {
            assert_eq!(code.as_str(), text);
        }
    }

    #[test]
    fn server_failures_keep_their_code_and_say_what_to_do() {
        let f = Failure::Server {
            status: 401,
            code: "TS-1031".into(),
            message: "Invalid API key".into(),
        };
        let e = from_failure(&f, 1, "https://api.turkeysms.com.tr", Some("SECRET"));
        assert_eq!(e.code, "TS-1031");
        assert_eq!(e.status, Some(401));
        assert!(!e.retryable);
        assert_eq!(e.message, "TurkeySMS answered TS-1031: Invalid API key. The API key was rejected: check apiKey, and the key's IP allow-list.");
    }

    #[test]
    fn a_proxy_code_is_not_attributed_to_turkeysms() {
        let f = Failure::Server {
            status: 429,
            code: "COOLDOWN".into(),
            message: "Wait.".into(),
        };
        let e = from_failure(&f, 1, "https://shop.example", None);
        assert_eq!(
            e.message, "Wait.",
            "the handler's own words, fit to show a person"
        );
        assert_eq!(e.origin.as_deref(), Some("https://shop.example"));
        let silent = Failure::Server {
            status: 429,
            code: "COOLDOWN".into(),
            message: " ".into(),
        };
        let e = from_failure(&silent, 1, "https://shop.example", None);
        assert_eq!(e.message, "The server answered COOLDOWN.");
    }

    #[test]
    fn a_key_echoed_by_the_server_is_scrubbed() {
        let f = Failure::Server {
            status: 401,
            code: "TS-1031".into(),
            message: "key SECRET-123 is invalid".into(),
        };
        let e = from_failure(&f, 1, "https://x", Some("SECRET-123"));
        assert!(!e.message.contains("SECRET-123"));
        assert!(e.message.contains("[redacted]"));
    }

    #[test]
    fn a_key_echoed_encoded_re_cased_or_cut_short_is_scrubbed() {
        let key = "Ab/3d+Ef 9hJk=2mNp";
        let f = Failure::Server {
            status: 401,
            code: "TS-1031".into(),
            message: "bad key=Ab%2F3d%2BEf%209hJk%3D2mNp, AB/3D+EF 9HJK=2MNP, or hJk=2mNp.".into(),
        };
        let e = from_failure(&f, 1, "https://x", Some(key));
        let lower = e.message.to_ascii_lowercase();
        for form in [
            "ab%2f3d%2bef%209hjk%3d2mnp",
            "ab/3d+ef 9hjk=2mnp",
            "hjk=2mnp",
        ] {
            assert!(!lower.contains(form), "{}", e.message);
        }
        assert_eq!(
            e.message,
            "TurkeySMS answered TS-1031: bad key=[redacted], [redacted], or [redacted]. The API key was rejected: check apiKey, and the key's IP allow-list."
        );
    }

    #[test]
    /// The attempts are a field, not words in the message (which a page may show a person).
    fn local_failures_get_local_codes_and_attempt_counts() {
        let e = from_failure(&Failure::Http { status: 502 }, 3, "https://x", None);
        assert_eq!(
            (e.code.as_str(), e.status, e.retryable, e.attempts),
            ("HTTP_ERROR", Some(502), true, 3)
        );
        assert!(
            e.message.contains("HTTP 502") && !e.message.contains("attempts"),
            "{}",
            e.message
        );
        let e = from_failure(&Failure::BadResponse { status: 200 }, 1, "https://x", None);
        assert_eq!((e.code.as_str(), e.retryable), ("BAD_RESPONSE", false));
        assert_eq!(
            from_failure(&Failure::Timeout, 1, "https://x", None).code,
            "TIMEOUT"
        );
        assert_eq!(
            from_failure(&Failure::Network, 1, "https://x", None).code,
            "NETWORK"
        );
        let aborted = from_failure(&Failure::Aborted, 2, "https://x", None);
        assert_eq!(
            (aborted.code.as_str(), aborted.retryable),
            ("ABORTED", false)
        );
    }

    #[test]
    fn numbers_print_without_fmt() {
        for n in [0, 7, 10, 404, 65535, u32::MAX] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
