//! A validated request, ready to send: the endpoint and the exact JSON body TurkeySMS expects.

/// Which TurkeySMS call: the standard template or your own text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `POST /otp/send`
    Standard,
    /// `POST /otp/detailed`
    Custom,
    /// `POST /otp/verify`: not TurkeySMS's, the package's own edge handler (`createOtpHandler`).
    Verify,
    /// `POST /otp/status`: a send's delivery status, from the package's own handler.
    Status,
}

impl Kind {
    pub fn path(self) -> &'static str {
        match self {
            Kind::Standard => "/otp/send",
            Kind::Custom => "/otp/detailed",
            Kind::Verify => "/otp/verify",
            Kind::Status => "/otp/status",
        }
    }
}

/// Everything one call needs, checked. Built only by `options::validate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpRequest {
    pub kind: Kind,
    pub url: String,
    /// Scheme, host and port of `url`, for error messages.
    pub origin: String,
    pub api_key: Option<String>,
    /// Normalised: digits only, country code first.
    pub mobile: String,
    pub lang: Option<u8>,
    pub digits: Option<u8>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub timeout_ms: u32,
    pub max_retries: u32,
    /// Retry only what surely did not reach TurkeySMS (TS-1060): never a timeout, a network
    /// error or a 5xx, which may have sent the SMS. A server's choice: one SMS per counted send.
    pub retry_unsent_only: bool,
    /// A Turnstile token for your own endpoint (`createOtpHandler`), sent as `cf-turnstile-response`.
    pub turnstile_token: Option<String>,
    /// The code typed back (`verifyOtp`), normalised to ASCII digits; for `getOtpStatus`, the
    /// send's id.
    pub code: Option<String>,
}

impl OtpRequest {
    /// The JSON body, field order as in TurkeySMS's examples; absent options are left out.
    pub fn body(&self) -> String {
        let mut json = String::with_capacity(96 + self.text.as_ref().map_or(0, |t| t.len()));
        json.push('{');
        if self.kind == Kind::Status {
            json.push_str("\"id\":");
            push_json_string(&mut json, self.code.as_deref().unwrap_or_default());
            json.push('}');
            return json;
        }
        let mut field = |name: &str, value: FieldValue| {
            if json.len() > 1 {
                json.push(',');
            }
            push_json_string(&mut json, name);
            json.push(':');
            match value {
                FieldValue::Text(s) => push_json_string(&mut json, s),
                FieldValue::Small(n) => json.push(char::from(b'0' + n)),
            }
        };
        if let Some(key) = &self.api_key {
            field("api_key", FieldValue::Text(key));
        }
        field("mobile", FieldValue::Text(&self.mobile));
        if let Some(title) = &self.title {
            field("title", FieldValue::Text(title));
        }
        if let Some(text) = &self.text {
            field("text", FieldValue::Text(text));
        }
        if let Some(lang) = self.lang {
            field("lang", FieldValue::Small(lang));
        }
        if let Some(digits) = self.digits {
            field("digits", FieldValue::Small(digits));
        }
        if let Some(code) = &self.code {
            field("code", FieldValue::Text(code));
        }
        if let Some(token) = &self.turnstile_token {
            field("cf-turnstile-response", FieldValue::Text(token));
        }
        json.push('}');
        json
    }
}

enum FieldValue<'a> {
    Text(&'a str),
    /// A single-digit integer (`lang` 0–2, `digits` 4–6).
    Small(u8),
}

/// Appends `s` as a JSON string literal.
fn push_json_string(json: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    json.push('"');
    for c in s.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            '\n' => json.push_str("\\n"),
            '\r' => json.push_str("\\r"),
            '\t' => json.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                json.push_str("\\u00");
                json.push(char::from(HEX[(c as usize) >> 4]));
                json.push(char::from(HEX[(c as usize) & 0xf]));
            }
            c => json.push(c),
        }
    }
    json.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kind: Kind) -> OtpRequest {
        OtpRequest {
            kind,
            url: "https://api.turkeysms.com.tr/otp/send".into(),
            origin: "https://api.turkeysms.com.tr".into(),
            api_key: Some("KEY".into()),
            mobile: "905321234567".into(),
            lang: None,
            digits: None,
            title: None,
            text: None,
            timeout_ms: 10_000,
            max_retries: 2,
            retry_unsent_only: false,
            turnstile_token: None,
            code: None,
        }
    }

    #[test]
    fn verify_body_carries_the_number_and_the_code() {
        let mut r = request(Kind::Verify);
        r.api_key = None;
        r.code = Some("012345".into());
        assert_eq!(r.body(), r#"{"mobile":"905321234567","code":"012345"}"#);
    }

    #[test]
    fn standard_body_has_only_what_was_given() {
        assert_eq!(
            request(Kind::Standard).body(),
            r#"{"api_key":"KEY","mobile":"905321234567"}"#
        );
        let mut r = request(Kind::Standard);
        r.lang = Some(1);
        r.digits = Some(6);
        assert_eq!(
            r.body(),
            r#"{"api_key":"KEY","mobile":"905321234567","lang":1,"digits":6}"#
        );
        r.api_key = None;
        r.lang = Some(0);
        r.digits = None;
        assert_eq!(r.body(), r#"{"mobile":"905321234567","lang":0}"#);
    }

    #[test]
    fn custom_body_matches_the_documented_example() {
        let mut r = request(Kind::Custom);
        r.api_key = Some("YOUR_API_KEY".into());
        r.title = Some("MyApp".into());
        r.text = Some("MyApp code: TS-CODE (valid 5 minutes)".into());
        r.lang = Some(0);
        r.digits = Some(6);
        assert_eq!(
            r.body(),
            r#"{"api_key":"YOUR_API_KEY","mobile":"905321234567","title":"MyApp","text":"MyApp code: TS-CODE (valid 5 minutes)","lang":0,"digits":6}"#
        );
    }

    #[test]
    fn strings_are_escaped_as_json() {
        let mut r = request(Kind::Custom);
        r.api_key = Some("k\"\\".into());
        r.text = Some("a\"b\\c\nd\te\u{1}f şğ 😀 TS-CODE".into());
        let body = r.body();
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["api_key"], "k\"\\");
        assert_eq!(parsed["text"], "a\"b\\c\nd\te\u{1}f şğ 😀 TS-CODE");
        assert!(body.contains("\\u0001"));
    }
}
