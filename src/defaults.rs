//! Every default and limit of the package, defined once: the SDK's options, the response cap, and
//! the edge handler's abuse controls. The rules and their messages read them from here, and
//! JavaScript reads them through `defaults()` (the handler, the type and README checks).
//!
//! Each number is written once, as a macro that expands to its literal, so that a message can
//! name it with `concat!` and never repeat it as text.

macro_rules! define {
    ($($(#[$doc:meta])* $name:ident: $ty:ty = $mac:ident!($value:literal);)*) => {
        $(
            macro_rules! $mac { () => { $value }; }
            $(#[$doc])*
            pub const $name: $ty = $mac!();
        )*
    };
}

define! {
    /// `timeoutMs` when not given: per attempt, in milliseconds (TurkeySMS's own clients use 10 s).
    DEFAULT_TIMEOUT_MS: u32 = default_timeout_ms!(10000);
    /// The largest `timeoutMs`: the largest delay JavaScript timers accept.
    MAX_TIMEOUT_MS: u32 = max_timeout_ms!(2147483647);
    /// `maxRetries` when not given.
    DEFAULT_MAX_RETRIES: u32 = default_max_retries!(2);
    /// The most `maxRetries`: retrying more only delays the answer; the rate limit is per minute.
    MAX_RETRIES_LIMIT: u32 = max_retries_limit!(10);
    /// The most of a response body read: TurkeySMS's envelope is a few hundred bytes, and a body
    /// past this is not one (a misrouted download, a hostile server).
    MAX_RESPONSE_BYTES: u32 = max_response_bytes!(1048576);

    /// The handler: the least time between two codes to one number.
    COOLDOWN_MS: u32 = cooldown_ms!(60000);
    /// The handler: codes per number per window.
    PER_NUMBER_LIMIT: u32 = per_number_limit!(5);
    /// The handler: the per-number window (an hour).
    PER_NUMBER_WINDOW_MS: u32 = per_number_window_ms!(3600000);
    /// The handler: codes per client IP per window (only behind a trusted proxy).
    PER_IP_LIMIT: u32 = per_ip_limit!(20);
    /// The handler: the per-IP window (an hour).
    PER_IP_WINDOW_MS: u32 = per_ip_window_ms!(3600000);
    /// The handler: codes per minute for the whole handler, a ceiling on the bill.
    GLOBAL_PER_MINUTE: u32 = global_per_minute!(60);
    /// The handler: the largest request body it reads.
    MAX_REQUEST_BYTES: u32 = max_request_bytes!(2048);
    /// The handler: how long a client may take to send its body.
    BODY_TIMEOUT_MS: u32 = body_timeout_ms!(10000);
    /// The handler: with `trustProxy: "x-forwarded-for"`, how many trusted proxies append to it.
    PROXY_HOPS: u32 = proxy_hops!(1);
    /// The service: an IPv6 client counts per /64 and per /48 (one site), and the /48's limits are
    /// this many times the per-IP ones.
    IPV6_SITE_FACTOR: u32 = ipv6_site_factor!(4);
    /// The handler: the global cap's window (a minute).
    GLOBAL_WINDOW_MS: u32 = global_window_ms!(60000);
    /// The handler: the `Retry-After`, in seconds, of a refusal because the store failed.
    STORE_RETRY_AFTER_S: u32 = store_retry_after_s!(5);
    /// `memoryStore()`: the most counters (and, apart, the most pending codes) it keeps.
    MAX_COUNTERS: u32 = max_counters!(200000);
    /// TurkeySMS's code length when a request names none.
    DEFAULT_CODE_DIGITS: u8 = default_code_digits!(6);
    /// The handler: how long Turnstile's siteverify may take.
    TURNSTILE_TIMEOUT_MS: u32 = turnstile_timeout_ms!(5000);

    /// Webhooks: how old (or how far ahead) a signed event's own timestamp may be (5 minutes).
    WEBHOOK_TOLERANCE_MS: u32 = webhook_tolerance_ms!(300000);
    /// Webhooks: the largest `toleranceMs` (an hour): past it a captured event stays fresh too long.
    MAX_WEBHOOK_TOLERANCE_MS: u32 = max_webhook_tolerance_ms!(3600000);
    /// Webhooks: the shortest secret, in bytes (TurkeySMS makes it; a typo such as "undefined" is not one).
    MIN_WEBHOOK_SECRET_BYTES: u32 = min_webhook_secret_bytes!(16);
    /// Webhooks: the least variety of the secret, in bits (length × log2 of its distinct bytes).
    MIN_WEBHOOK_SECRET_BITS: u32 = min_webhook_secret_bits!(64);
    /// Verification: how long a sent code can be checked (5 minutes).
    CODE_TTL_MS: u32 = code_ttl_ms!(300000);
    /// Verification: the tries one code allows, the right one included; then it is burnt.
    MAX_ATTEMPTS: u32 = max_attempts!(5);
    /// Verification: checks per number per window, across all its codes.
    VERIFY_PER_NUMBER_LIMIT: u32 = verify_per_number_limit!(10);
    /// Verification: the per-number window (an hour).
    VERIFY_PER_NUMBER_WINDOW_MS: u32 = verify_per_number_window_ms!(3600000);
    /// Verification: checks per client IP per window (only behind a trusted proxy).
    VERIFY_PER_IP_LIMIT: u32 = verify_per_ip_limit!(60);
    /// Verification: the per-IP window (an hour).
    VERIFY_PER_IP_WINDOW_MS: u32 = verify_per_ip_window_ms!(3600000);
    /// Verification: how long the token a check answers with is valid (10 minutes).
    TOKEN_TTL_MS: u32 = token_ttl_ms!(600000);
    /// Verification: the shortest `tokenTtlMs` (JWT times are whole seconds).
    MIN_TOKEN_TTL_MS: u32 = min_token_ttl_ms!(1000);
    /// Verification: the least guessing work a secret must take, in bits: its length times
    /// log2 of its distinct bytes.
    MIN_SECRET_BITS: u32 = min_secret_bits!(128);
    /// Verification: the most secrets a rotation list holds (each is one more hash per check).
    MAX_SECRETS: u32 = max_secrets!(4);
    /// Verification: the shortest secret, in bytes (HS256 wants a key of 256 bits or more).
    MIN_SECRET_BYTES: u32 = min_secret_bytes!(32);

    /// The pumping guard: sends to a number range in a window before its conversion is judged.
    GUARD_MIN_SENDS: u32 = guard_min_sends!(20);
    /// The pumping guard: the least share of a range's codes typed back (verified / sent).
    GUARD_MIN_CONVERSION: f64 = guard_min_conversion!(0.2);
    /// The pumping guard: a range's window (an hour), from its first send.
    GUARD_WINDOW_MS: u32 = guard_window_ms!(3600000);
    /// The pumping guard: how long a range stays suspended (an hour).
    GUARD_SUSPEND_MS: u32 = guard_suspend_ms!(3600000);
    /// The pumping guard: the digits of a number that name its range (90 532 123: ~10 000 numbers).
    GUARD_PREFIX_DIGITS: u32 = guard_prefix_digits!(8);
    /// The pumping guard: the fewest `prefixDigits` (a country code and a little more).
    GUARD_MIN_PREFIX_DIGITS: u32 = guard_min_prefix_digits!(4);
    /// The pumping guard: the most `prefixDigits` (a range of at least ~1 000 numbers in Turkey).
    GUARD_MAX_PREFIX_DIGITS: u32 = guard_max_prefix_digits!(12);
}

/// The handler: the country codes numbers may have by default (Turkey only: pumping aims at
/// foreign premium ranges), as written into [`DEFAULTS_JSON`].
pub const ALLOWED_COUNTRIES: &[&str] = &["90"];

/// The message for a `timeoutMs` out of range, naming the limits.
pub const TIMEOUT_MS_MESSAGE: &str = concat!(
    "timeoutMs must be a whole number of milliseconds from 1 to ",
    max_timeout_ms!(),
    " (default ",
    default_timeout_ms!(),
    ")."
);

/// The message for a `maxRetries` out of range, naming the limits.
pub const MAX_RETRIES_MESSAGE: &str = concat!(
    "maxRetries must be a whole number from 0 to ",
    max_retries_limit!(),
    " (default ",
    default_max_retries!(),
    "; 0 disables retries)."
);

/// The SDK's defaults and limits as JSON, for JavaScript (the wasm's `defaults()`), in the option
/// names JavaScript uses. Written at compile time: no serializer in the wasm for one constant.
macro_rules! sdk_json {
    () => {
        concat!(
            "{\"timeoutMs\":",
            default_timeout_ms!(),
            ",\"maxTimeoutMs\":",
            max_timeout_ms!(),
            ",\"maxRetries\":",
            default_max_retries!(),
            ",\"maxRetriesLimit\":",
            max_retries_limit!(),
            ",\"maxResponseBytes\":",
            max_response_bytes!(),
            "}"
        )
    };
}
pub const SDK_DEFAULTS_JSON: &str = sdk_json!();

/// The server's defaults and limits (the service, the handler, the stores) as JSON. Not in the
/// wasm, which pages load too: `src/bin/defaults.rs` prints them with the SDK's, and the build
/// writes them into the server's bundle.
macro_rules! server_json {
    () => {
        concat!(
            "{\"cooldownMs\":",
            cooldown_ms!(),
            ",\"perNumber\":{\"limit\":",
            per_number_limit!(),
            ",\"windowMs\":",
            per_number_window_ms!(),
            "},\"perIp\":{\"limit\":",
            per_ip_limit!(),
            ",\"windowMs\":",
            per_ip_window_ms!(),
            "},\"globalPerMinute\":",
            global_per_minute!(),
            ",\"maxBodyBytes\":",
            max_request_bytes!(),
            ",\"bodyTimeoutMs\":",
            body_timeout_ms!(),
            ",\"turnstileTimeoutMs\":",
            turnstile_timeout_ms!(),
            ",\"proxyHops\":",
            proxy_hops!(),
            ",\"ipv6SiteFactor\":",
            ipv6_site_factor!(),
            ",\"globalWindowMs\":",
            global_window_ms!(),
            ",\"storeRetryAfterS\":",
            store_retry_after_s!(),
            ",\"maxCounters\":",
            max_counters!(),
            ",\"webhookToleranceMs\":",
            webhook_tolerance_ms!(),
            ",\"maxWebhookToleranceMs\":",
            max_webhook_tolerance_ms!(),
            ",\"minWebhookSecretBytes\":",
            min_webhook_secret_bytes!(),
            ",\"minWebhookSecretBits\":",
            min_webhook_secret_bits!(),
            ",\"allowedCountries\":[\"90\"],\"verify\":{\"codeTtlMs\":",
            code_ttl_ms!(),
            ",\"maxAttempts\":",
            max_attempts!(),
            ",\"perNumber\":{\"limit\":",
            verify_per_number_limit!(),
            ",\"windowMs\":",
            verify_per_number_window_ms!(),
            "},\"perIp\":{\"limit\":",
            verify_per_ip_limit!(),
            ",\"windowMs\":",
            verify_per_ip_window_ms!(),
            "},\"tokenTtlMs\":",
            token_ttl_ms!(),
            ",\"minTokenTtlMs\":",
            min_token_ttl_ms!(),
            ",\"minSecretBytes\":",
            min_secret_bytes!(),
            ",\"minSecretBits\":",
            min_secret_bits!(),
            ",\"maxSecrets\":",
            max_secrets!(),
            "},\"guard\":{\"minSends\":",
            guard_min_sends!(),
            ",\"minConversion\":",
            guard_min_conversion!(),
            ",\"windowMs\":",
            guard_window_ms!(),
            ",\"suspendMs\":",
            guard_suspend_ms!(),
            ",\"prefixDigits\":",
            guard_prefix_digits!(),
            ",\"minPrefixDigits\":",
            guard_min_prefix_digits!(),
            ",\"maxPrefixDigits\":",
            guard_max_prefix_digits!(),
            "}}"
        )
    };
}

/// Every default and limit: the SDK's, and the server's under `handler`.
pub const DEFAULTS_JSON: &str = concat!(
    "{\"sdk\":",
    sdk_json!(),
    ",\"handler\":",
    server_json!(),
    "}"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limits_they_check() {
        assert_eq!(
            TIMEOUT_MS_MESSAGE,
            "timeoutMs must be a whole number of milliseconds from 1 to 2147483647 (default 10000)."
        );
        assert_eq!(
            MAX_RETRIES_MESSAGE,
            "maxRetries must be a whole number from 0 to 10 (default 2; 0 disables retries)."
        );
        assert_eq!(MAX_TIMEOUT_MS, i32::MAX as u32);
    }

    #[test]
    fn the_json_for_javascript_carries_every_value() {
        let json: serde_json::Value = serde_json::from_str(DEFAULTS_JSON).expect("valid JSON");
        let sdk: serde_json::Value = serde_json::from_str(SDK_DEFAULTS_JSON).expect("valid JSON");
        assert_eq!(json["sdk"], sdk);
        assert_eq!(sdk["timeoutMs"], DEFAULT_TIMEOUT_MS);
        assert_eq!(sdk["maxTimeoutMs"], MAX_TIMEOUT_MS);
        assert_eq!(sdk["maxRetries"], DEFAULT_MAX_RETRIES);
        assert_eq!(sdk["maxRetriesLimit"], MAX_RETRIES_LIMIT);
        assert_eq!(sdk["maxResponseBytes"], MAX_RESPONSE_BYTES);
        let handler = &json["handler"];
        assert_eq!(handler["cooldownMs"], COOLDOWN_MS);
        assert_eq!(handler["perNumber"]["limit"], PER_NUMBER_LIMIT);
        assert_eq!(handler["perNumber"]["windowMs"], PER_NUMBER_WINDOW_MS);
        assert_eq!(handler["perIp"]["limit"], PER_IP_LIMIT);
        assert_eq!(handler["perIp"]["windowMs"], PER_IP_WINDOW_MS);
        assert_eq!(handler["globalPerMinute"], GLOBAL_PER_MINUTE);
        assert_eq!(handler["maxBodyBytes"], MAX_REQUEST_BYTES);
        assert_eq!(handler["bodyTimeoutMs"], BODY_TIMEOUT_MS);
        assert_eq!(handler["turnstileTimeoutMs"], TURNSTILE_TIMEOUT_MS);
        assert_eq!(handler["proxyHops"], PROXY_HOPS);
        assert_eq!(handler["ipv6SiteFactor"], IPV6_SITE_FACTOR);
        assert_eq!(handler["globalWindowMs"], GLOBAL_WINDOW_MS);
        assert_eq!(handler["storeRetryAfterS"], STORE_RETRY_AFTER_S);
        assert_eq!(handler["maxCounters"], MAX_COUNTERS);
        assert_eq!(handler["webhookToleranceMs"], WEBHOOK_TOLERANCE_MS);
        assert_eq!(handler["maxWebhookToleranceMs"], MAX_WEBHOOK_TOLERANCE_MS);
        assert_eq!(handler["minWebhookSecretBytes"], MIN_WEBHOOK_SECRET_BYTES);
        assert_eq!(handler["minWebhookSecretBits"], MIN_WEBHOOK_SECRET_BITS);
        let verify = &handler["verify"];
        assert_eq!(verify["codeTtlMs"], CODE_TTL_MS);
        assert_eq!(verify["maxAttempts"], MAX_ATTEMPTS);
        assert_eq!(verify["perNumber"]["limit"], VERIFY_PER_NUMBER_LIMIT);
        assert_eq!(verify["perNumber"]["windowMs"], VERIFY_PER_NUMBER_WINDOW_MS);
        assert_eq!(verify["perIp"]["limit"], VERIFY_PER_IP_LIMIT);
        assert_eq!(verify["perIp"]["windowMs"], VERIFY_PER_IP_WINDOW_MS);
        assert_eq!(verify["tokenTtlMs"], TOKEN_TTL_MS);
        assert_eq!(verify["minTokenTtlMs"], MIN_TOKEN_TTL_MS);
        assert_eq!(verify["minSecretBytes"], MIN_SECRET_BYTES);
        assert_eq!(verify["minSecretBits"], MIN_SECRET_BITS);
        assert_eq!(verify["maxSecrets"], MAX_SECRETS);
        let guard = &handler["guard"];
        assert_eq!(guard["minSends"], GUARD_MIN_SENDS);
        assert_eq!(guard["minConversion"], GUARD_MIN_CONVERSION);
        assert_eq!(guard["windowMs"], GUARD_WINDOW_MS);
        assert_eq!(guard["suspendMs"], GUARD_SUSPEND_MS);
        assert_eq!(guard["prefixDigits"], GUARD_PREFIX_DIGITS);
        assert_eq!(guard["minPrefixDigits"], GUARD_MIN_PREFIX_DIGITS);
        assert_eq!(guard["maxPrefixDigits"], GUARD_MAX_PREFIX_DIGITS);
        assert_eq!(
            handler["allowedCountries"],
            serde_json::json!(ALLOWED_COUNTRIES)
        );
    }
}
