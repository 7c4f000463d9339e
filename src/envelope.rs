//! Reading TurkeySMS's answer: the `result` / `result_code` / `result_message` envelope, and what
//! each kind of answer means for the caller.

use crate::input::Input;

/// The fields every TurkeySMS response carries. Unknown fields are ignored; the whole body stays
/// available to the caller as `raw`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub result: bool,
    pub result_code: String,
    pub result_message: Option<String>,
}

impl Envelope {
    /// Reads the envelope from a JSON object's fields, as JavaScript read them: `None` (not the
    /// envelope) when `result` is not a boolean, `result_code` not a string, or
    /// `result_message` present but not a string.
    ///
    /// Three fields read by hand: a serde `Deserialize` through serde-wasm-bindgen cost 29 KB of
    /// wasm (its error messages pull in float formatting) for the same three checks.
    pub fn from_fields(
        result: &Input,
        result_code: &Input,
        result_message: &Input,
    ) -> Option<Envelope> {
        let (Input::Bool(result), Input::Str(code)) = (result, result_code) else {
            return None;
        };
        let result_message = match result_message {
            Input::Absent => None,
            Input::Str(message) => Some(message.clone()),
            _ => return None,
        };
        Some(Envelope {
            result: *result,
            result_code: code.clone(),
            result_message,
        })
    }
}

/// How one HTTP attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx and `result: true`.
    Delivered(Envelope),
    /// A failure worth reporting (and perhaps retrying).
    Failed(Failure),
}

/// Why an attempt did not deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// TurkeySMS answered with its own code (`result: false`, or any envelope on a non-2xx status).
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// A non-2xx status without a readable envelope (an HTML 502 from a proxy, say).
    Http { status: u16 },
    /// A 2xx status whose body is not the envelope.
    BadResponse { status: u16 },
    /// No response: the connection failed.
    Network,
    /// `fetch` resolved with something that is not a `Response` (a caller-supplied fetch).
    NotAResponse,
    /// No response within `timeoutMs`.
    Timeout,
    /// The caller's `signal` fired.
    Aborted,
}

/// Classifies a response from its status and, when the body parsed as the envelope, the envelope.
pub fn read_outcome(status: u16, envelope: Option<Envelope>) -> Outcome {
    let success = (200..300).contains(&status);
    match envelope {
        Some(e) if e.result_code.trim().is_empty() => Outcome::Failed(if success {
            Failure::BadResponse { status }
        } else {
            Failure::Http { status }
        }),
        Some(e) if success && e.result => Outcome::Delivered(e),
        Some(e) if !e.result => Outcome::Failed(Failure::Server {
            status,
            code: e.result_code,
            message: e.result_message.unwrap_or_default(),
        }),
        // `result: true` on an error status contradicts itself: report the status.
        Some(_) | None if !success => Outcome::Failed(Failure::Http { status }),
        _ => Outcome::Failed(Failure::BadResponse { status }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a JSON body the way the wasm shell does: parse, require an object, read three fields.
    fn parse(body: &str) -> Option<Envelope> {
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        let object = value.as_object()?;
        let field = |name: &str| match object.get(name) {
            None | Some(serde_json::Value::Null) => Input::Absent,
            Some(serde_json::Value::Bool(b)) => Input::Bool(*b),
            Some(serde_json::Value::String(s)) => Input::Str(s.clone()),
            Some(serde_json::Value::Number(n)) => Input::Num(n.as_f64().unwrap_or(f64::NAN)),
            Some(_) => Input::Other,
        };
        Envelope::from_fields(
            &field("result"),
            &field("result_code"),
            &field("result_message"),
        )
    }

    #[test]
    fn success_needs_2xx_and_result_true() {
        let body = r#"{"result":true,"result_code":"TS-1024","result_message":"SMS dispatched successfully.","sms_id":1000007721,"number_of_sms":1,"future":{"x":[1]}}"#;
        match read_outcome(200, parse(body)) {
            Outcome::Delivered(e) => {
                assert_eq!(e.result_code, "TS-1024");
                assert_eq!(
                    e.result_message.as_deref(),
                    Some("SMS dispatched successfully.")
                );
            }
            other => panic!("{other:?}"),
        }
        let no_message = read_outcome(201, parse(r#"{"result":true,"result_code":"TS-1024"}"#));
        assert!(matches!(
            no_message,
            Outcome::Delivered(Envelope {
                result_message: None,
                ..
            })
        ));
    }

    #[test]
    fn server_codes_come_through_as_themselves() {
        let o = read_outcome(
            401,
            parse(r#"{"result":false,"result_code":"TS-1031","result_message":"Invalid API key"}"#),
        );
        assert_eq!(
            o,
            Outcome::Failed(Failure::Server {
                status: 401,
                code: "TS-1031".into(),
                message: "Invalid API key".into()
            })
        );
        let o = read_outcome(200, parse(r#"{"result":false,"result_code":"TS-9999"}"#));
        assert_eq!(
            o,
            Outcome::Failed(Failure::Server {
                status: 200,
                code: "TS-9999".into(),
                message: String::new()
            })
        );
    }

    #[test]
    fn anything_else_is_bad_response_or_http_error() {
        for body in [
            "OK",
            "[]",
            "null",
            "{}",
            r#"{"result":"yes","result_code":"TS-1024"}"#,
            r#"{"result":true}"#,
            r#"{"result":true,"result_code":5}"#,
        ] {
            assert_eq!(
                read_outcome(200, parse(body)),
                Outcome::Failed(Failure::BadResponse { status: 200 }),
                "{body}"
            );
            assert_eq!(
                read_outcome(502, parse(body)),
                Outcome::Failed(Failure::Http { status: 502 }),
                "{body}"
            );
        }
        assert_eq!(
            read_outcome(200, parse(r#"{"result":true,"result_code":" "}"#)),
            Outcome::Failed(Failure::BadResponse { status: 200 })
        );
        assert_eq!(
            read_outcome(500, parse(r#"{"result":true,"result_code":"TS-1024"}"#)),
            Outcome::Failed(Failure::Http { status: 500 })
        );
    }
}
