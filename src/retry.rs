//! The retry policy, as pure functions: what may be retried, and how long to wait first.
//!
//! TurkeySMS's reliability rules: network errors, timeouts and HTTP 5xx are retried with backoff;
//! TS-1060 (per-minute rate limit) after a longer wait; nothing else. The server suppresses
//! identical requests within a short window, so a retry never sends a second SMS.

use crate::envelope::Failure;

/// First wait before retrying a transient failure; it doubles each retry.
pub const TRANSIENT_BASE_MS: u32 = 250;
/// The longest wait before retrying a transient failure.
pub const TRANSIENT_CAP_MS: u32 = 4_000;
/// First wait before retrying TS-1060: the limit is per minute, so give it real time.
pub const RATE_LIMIT_BASE_MS: u32 = 2_000;
/// The longest wait before retrying TS-1060.
pub const RATE_LIMIT_CAP_MS: u32 = 16_000;

/// The code TurkeySMS answers when the per-minute rate limit is exceeded.
pub const RATE_LIMITED: &str = "TS-1060";

/// `createOtpHandler`'s answer (502) when the SMS went out but TurkeySMS did not say which code:
/// a retry would send another SMS, so it is never retried.
pub const SENT_UNCHECKABLE: &str = "VERIFY_UNAVAILABLE";

/// A `Retry-After` header in seconds: delta-seconds, what servers send for a wait (capped at
/// `u32::MAX`). `None` for an HTTP date or anything else.
pub fn retry_after_seconds(value: &str) -> Option<u32> {
    let digits = value.trim().as_bytes();
    // By hand rather than `str::parse`, whose error machinery costs wasm bytes.
    (!digits.is_empty() && digits.iter().all(u8::is_ascii_digit)).then(|| {
        digits.iter().fold(0u32, |n, b| {
            n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
        })
    })
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    GiveUp,
    RetryAfterMs(u32),
}

/// Whether the reliability rules allow retrying this failure at all.
pub fn is_retryable(failure: &Failure) -> bool {
    match failure {
        Failure::Network | Failure::Timeout => true,
        Failure::Http { status } | Failure::BadResponse { status } => *status >= 500,
        Failure::Server { code, .. } if code == SENT_UNCHECKABLE => false,
        Failure::Server { status, code, .. } => *status >= 500 || code == RATE_LIMITED,
        Failure::Aborted | Failure::NotAResponse => false,
    }
}

/// Decides after `attempts` requests (1 after the first) with at most `max_retries` retries;
/// `unsent_only` retries only TS-1060, TurkeySMS's own refusal, which surely sent nothing (a
/// timeout, a network error or a 5xx may have sent the SMS). `random` in `[0, 1)` spreads
/// retries of many clients apart (jitter).
pub fn decide(
    failure: &Failure,
    attempts: u32,
    max_retries: u32,
    unsent_only: bool,
    random: f64,
) -> RetryDecision {
    let rate_limited = matches!(failure, Failure::Server { code, .. } if code == RATE_LIMITED);
    if !is_retryable(failure) || attempts > max_retries || (unsent_only && !rate_limited) {
        return RetryDecision::GiveUp;
    }
    RetryDecision::RetryAfterMs(backoff_ms(attempts, rate_limited, random))
}

/// The wait before retry number `retry` (1-based): exponential, capped, then "equal jitter":
/// half the delay is fixed, the other half random, so waits never collapse to zero.
pub fn backoff_ms(retry: u32, rate_limited: bool, random: f64) -> u32 {
    let (base, cap) = if rate_limited {
        (RATE_LIMIT_BASE_MS, RATE_LIMIT_CAP_MS)
    } else {
        (TRANSIENT_BASE_MS, TRANSIENT_CAP_MS)
    };
    let exponent = retry.saturating_sub(1).min(16);
    let delay = base.saturating_mul(1 << exponent).min(cap);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    delay / 2 + ((delay / 2) as f64 * random) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_whole_seconds() {
        assert_eq!(retry_after_seconds("60"), Some(60));
        assert_eq!(retry_after_seconds(" 007 "), Some(7));
        assert_eq!(retry_after_seconds("0"), Some(0));
        assert_eq!(retry_after_seconds("99999999999999999999"), Some(u32::MAX));
        for bad in [
            "",
            " ",
            "soon",
            "-5",
            "1.5",
            "6 0",
            "Wed, 21 Oct 2026 07:28:00 GMT",
        ] {
            assert_eq!(retry_after_seconds(bad), None, "{bad:?}");
        }
    }

    fn server(status: u16, code: &str) -> Failure {
        Failure::Server {
            status,
            code: code.into(),
            message: String::new(),
        }
    }

    #[test]
    fn retries_only_what_the_rules_allow() {
        // The handler's "sent, but uncheckable": the SMS went out, a retry would send another.
        assert!(!is_retryable(&server(502, "VERIFY_UNAVAILABLE")));
        assert!(is_retryable(&server(502, "SOMETHING_ELSE")));
        for f in [
            Failure::Network,
            Failure::Timeout,
            Failure::Http { status: 500 },
            Failure::Http { status: 503 },
            server(503, "TS-1000"),
            server(403, "TS-1060"),
            Failure::BadResponse { status: 502 },
        ] {
            assert!(is_retryable(&f), "{f:?}");
        }
        for f in [
            Failure::Aborted,
            Failure::Http { status: 404 },
            Failure::Http { status: 429 },
            Failure::BadResponse { status: 200 },
            server(401, "TS-1031"),
            server(403, "TS-1027"),
            server(403, "TS-1065"),
            server(200, "TS-9999"),
        ] {
            assert!(!is_retryable(&f), "{f:?}");
        }
    }

    #[test]
    fn never_beyond_max_retries() {
        assert!(matches!(
            decide(&Failure::Network, 1, 2, false, 0.5),
            RetryDecision::RetryAfterMs(_)
        ));
        assert!(matches!(
            decide(&Failure::Network, 2, 2, false, 0.5),
            RetryDecision::RetryAfterMs(_)
        ));
        assert_eq!(
            decide(&Failure::Network, 3, 2, false, 0.5),
            RetryDecision::GiveUp
        );
        assert_eq!(
            decide(&Failure::Network, 1, 0, false, 0.5),
            RetryDecision::GiveUp
        );
        assert_eq!(
            decide(&server(401, "TS-1031"), 1, 5, false, 0.5),
            RetryDecision::GiveUp
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        assert_eq!(backoff_ms(1, false, 0.0), 125);
        assert_eq!(backoff_ms(1, false, 0.999_999), 249);
        assert_eq!(backoff_ms(2, false, 0.0), 250);
        assert_eq!(backoff_ms(3, false, 0.0), 500);
        assert_eq!(backoff_ms(10, false, 0.999_999), 3_999);
        assert_eq!(backoff_ms(u32::MAX, false, 1.0), 4_000);
        assert_eq!(backoff_ms(1, false, f64::NAN), 125);
    }

    #[test]
    fn rate_limit_waits_longer() {
        assert_eq!(
            decide(&server(403, "TS-1060"), 1, 2, false, 0.0),
            RetryDecision::RetryAfterMs(1_000)
        );
        assert_eq!(backoff_ms(2, true, 1.0), 4_000);
        assert_eq!(backoff_ms(9, true, 1.0), 16_000);
        assert!(backoff_ms(1, true, 0.0) > backoff_ms(1, false, 1.0));
    }

    #[test]
    fn unsent_only_retries_nothing_that_may_have_sent() {
        for maybe_sent in [
            Failure::Network,
            Failure::Timeout,
            Failure::Http { status: 502 },
            server(500, "TS-1000"),
        ] {
            assert_eq!(
                decide(&maybe_sent, 1, 2, true, 0.5),
                RetryDecision::GiveUp,
                "{maybe_sent:?}"
            );
            assert_ne!(decide(&maybe_sent, 1, 2, false, 0.5), RetryDecision::GiveUp);
        }
        assert_eq!(
            decide(&server(403, "TS-1060"), 1, 2, true, 0.0),
            RetryDecision::RetryAfterMs(1_000)
        );
    }
}
