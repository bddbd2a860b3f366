//! Classification of a complete HTTP answer into success or one failure kind.
//!
//! The body is read once, into `Envelope`, which takes only the fields that decide the outcome and skips
//! the rest without building anything.

use serde::Deserialize;

use super::error::{sanitize, Error, ErrorKind};
use crate::model::lenient;

/// The fields that say how a call went: the transaction's `status`, or the API error's fields.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Envelope {
    #[serde(deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    error: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    error_details: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    code: Option<String>,
    #[serde(rename = "supportId", deserialize_with = "lenient::text")]
    support_id: Option<String>,
}

impl Envelope {
    /// `None` when the body is not a JSON object.
    fn read(body: &[u8]) -> Option<Envelope> {
        let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
        if *first != b'{' {
            return None;
        }
        // Checked as a whole: serde_json does not check the UTF-8 of strings it skips.
        serde_json::from_str(std::str::from_utf8(body).ok()?).ok()
    }

    fn is_api_error(&self) -> bool {
        self.status.as_deref() == Some("error") || self.error.is_some()
    }

    /// `ProductNotAllowedException: Valid auth token required (code 2003, supportId f8e0...)`.
    fn describe(&self) -> String {
        let mut text = sanitize(self.error.as_deref().unwrap_or("API error"), 120);
        if let Some(details) = &self.error_details {
            text.push_str(": ");
            text.push_str(&sanitize(details, 300));
        }
        let extras: Vec<String> = [("code", &self.code), ("supportId", &self.support_id)]
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} {}", sanitize(v, 64))))
            .collect();
        if !extras.is_empty() {
            text.push_str(&format!(" ({})", extras.join(", ")));
        }
        text
    }

    /// Codes 2xxx are authentication errors; an expired token was seen as 403 with code 2003.
    fn is_auth_code(&self) -> bool {
        self.code
            .as_deref()
            .is_some_and(|c| c.len() == 4 && c.starts_with('2') && c.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// Decides the outcome of a complete answer with HTTP `status` and `body`. `location` is the redirect target
/// of a 3xx, named in the message because it is not followed.
pub fn classify(status: u16, body: &[u8], location: Option<&str>) -> Result<(), Error> {
    let envelope = Envelope::read(body);
    let fail = |kind, text: String| Err(Error::new(kind, format!("HTTP {status}: {text}")));
    match (status, &envelope) {
        (200..=299, Some(env)) if env.status.as_deref() == Some("ok") => Ok(()),
        (200..=299, Some(env)) if env.is_api_error() => fail(ErrorKind::Api, env.describe()),
        (200..=299, Some(Envelope { status: Some(s), .. })) => {
            fail(ErrorKind::NotOk, format!("the transaction came back with status \"{}\", not \"ok\"", sanitize(s, 40)))
        }
        (200..=299, Some(_)) => fail(ErrorKind::BadResponse, "the answer has no \"status\"".into()),
        (200..=299, None) if body.is_empty() => fail(ErrorKind::BadResponse, "the answer is empty".into()),
        (200..=299, None) => {
            fail(ErrorKind::BadResponse, format!("the answer is not a JSON object ({} bytes)", body.len()))
        }
        (401, env) => fail(
            ErrorKind::Unauthorized,
            env.as_ref().filter(|e| e.is_api_error()).map_or("the token was refused".into(), Envelope::describe),
        ),
        (403, Some(env)) if env.is_auth_code() => fail(ErrorKind::Unauthorized, env.describe()),
        (300..=399, _) => fail(
            ErrorKind::Http,
            format!(
                "redirect to {} not followed (it would carry the token elsewhere)",
                location.map_or_else(|| "an unnamed place".into(), |l| format!("{:?}", sanitize(l, 200)))
            ),
        ),
        (_, Some(env)) if env.is_api_error() => fail(ErrorKind::Api, env.describe()),
        (_, _) if body.is_empty() => fail(ErrorKind::Http, "an empty answer".into()),
        (_, _) => fail(
            ErrorKind::Http,
            format!("an answer that is not an API error ({} bytes, e.g. an HTML page)", body.len()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &[u8] = include_bytes!("../../fixtures/start-cash-response.json");
    const ERROR: &[u8] = include_bytes!("../../fixtures/error-response.json");

    fn kind(status: u16, body: &[u8]) -> Option<ErrorKind> {
        classify(status, body, None).err().map(|e| e.kind)
    }

    #[test]
    fn the_table() {
        assert_eq!(kind(200, SEED), None);
        assert_eq!(kind(200, br#"{"status":"failed"}"#), Some(ErrorKind::NotOk));
        assert_eq!(kind(200, ERROR), Some(ErrorKind::Api));
        assert_eq!(kind(200, br#"{"object":"smart.transactions"}"#), Some(ErrorKind::BadResponse));
        assert_eq!(kind(200, b""), Some(ErrorKind::BadResponse));
        assert_eq!(kind(200, b"<html>"), Some(ErrorKind::BadResponse));
        assert_eq!(kind(200, br#"{"status":"ok""#), Some(ErrorKind::BadResponse));
        assert_eq!(kind(200, b"{\"status\":\"ok\",\"x\":\"\xff\"}"), Some(ErrorKind::BadResponse));
        assert_eq!(kind(401, ERROR), Some(ErrorKind::Unauthorized));
        assert_eq!(kind(401, b"<html>"), Some(ErrorKind::Unauthorized));
        assert_eq!(kind(403, ERROR), Some(ErrorKind::Unauthorized));
        assert_eq!(kind(403, br#"{"status":"error","error":"X","code":1001}"#), Some(ErrorKind::Api));
        assert_eq!(kind(400, br#"{"status":"error","error":"X","code":"1001"}"#), Some(ErrorKind::Api));
        assert_eq!(kind(500, b"<html><body>Bad Gateway</body></html>"), Some(ErrorKind::Http));
        assert_eq!(kind(502, b""), Some(ErrorKind::Http));
        assert_eq!(kind(307, b""), Some(ErrorKind::Http));
        assert_eq!(kind(404, br#"{"status":"ok"}"#), Some(ErrorKind::Http));
    }

    #[test]
    fn messages_name_status_error_details_and_support_id() {
        let e = classify(403, ERROR, None).unwrap_err();
        for part in [
            "HTTP 403",
            "ProductNotAllowedException",
            "Valid auth token required",
            "2003",
            "f8e0173c15b92750819a91ac8d5cc878",
        ] {
            assert!(e.message.contains(part), "{part} missing in {}", e.message);
        }
        let e = classify(302, b"", Some("http://127.0.0.1:9/x")).unwrap_err();
        assert!(e.message.contains("http://127.0.0.1:9/x") && e.message.contains("not followed"));
    }

    #[test]
    fn hostile_error_fields_cannot_forge_lines() {
        let e = classify(400, b"{\"status\":\"error\",\"error\":\"A\\r\\nB\\u0000C\"}", None).unwrap_err();
        assert!(!e.message.contains(['\r', '\n', '\0']), "{:?}", e.message);
    }
}
