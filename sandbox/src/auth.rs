//! Bearer token checks. The API takes the token in `Authorization: Bearer T` (every SDK) or
//! `Authenticate: Bearer T` (the seed and some guide pages); either valid header suffices.

use axum::http::HeaderMap;
use serde::Serialize;

/// What one auth header carried, as reported by the control API (never the token itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeaderAuth {
    Valid,
    Invalid,
    Missing,
}

/// The verdict on both headers of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthCheck {
    pub authorization: HeaderAuth,
    pub authenticate: HeaderAuth,
}

impl AuthCheck {
    pub fn is_authorized(&self) -> bool {
        self.authorization == HeaderAuth::Valid || self.authenticate == HeaderAuth::Valid
    }
}

/// The token of a `Bearer <token>` header value (scheme case-insensitive), or None if it is not one.
pub fn bearer_token(value: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(value).ok()?.trim();
    let (scheme, token) = text.split_once(char::is_whitespace)?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// `accepts` says whether a bearer token is good (fixed tokens, live issued tokens, or any in the lenient mode).
pub fn classify(value: Option<&[u8]>, accepts: &impl Fn(&str) -> bool) -> HeaderAuth {
    let Some(value) = value else {
        return HeaderAuth::Missing;
    };
    match bearer_token(value) {
        Some(token) if accepts(token) => HeaderAuth::Valid,
        _ => HeaderAuth::Invalid,
    }
}

pub fn check(headers: &HeaderMap, accepts: impl Fn(&str) -> bool) -> AuthCheck {
    let header = |name: &str| headers.get(name).map(|v| v.as_bytes());
    AuthCheck {
        authorization: classify(header("authorization"), &accepts),
        authenticate: classify(header("authenticate"), &accepts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn verdicts_serialize_as_the_control_api_words() {
        let words: Vec<String> = [HeaderAuth::Valid, HeaderAuth::Invalid, HeaderAuth::Missing]
            .iter()
            .map(|v| serde_json::to_string(v).unwrap())
            .collect();
        assert_eq!(words, ["\"valid\"", "\"invalid\"", "\"missing\""]);
    }

    #[test]
    fn bearer_scheme_is_case_insensitive_and_trimmed() {
        assert_eq!(bearer_token(b"Bearer abc"), Some("abc"));
        assert_eq!(bearer_token(b"bearer abc"), Some("abc"));
        assert_eq!(bearer_token(b"BEARER   abc  "), Some("abc"));
    }

    #[test]
    fn other_schemes_and_empty_tokens_are_not_bearer() {
        assert_eq!(bearer_token(b"Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer_token(b"Bearer"), None);
        assert_eq!(bearer_token(b"Bearer   "), None);
        assert_eq!(bearer_token(b"abc"), None);
        assert_eq!(bearer_token(b"Bearer \xff"), None);
    }

    #[test]
    fn the_verdict_is_the_acceptors_for_bearer_values_only() {
        let any = |_: &str| true;
        assert_eq!(classify(Some(b"Bearer x"), &any), HeaderAuth::Valid);
        assert_eq!(classify(Some(b"Token x"), &any), HeaderAuth::Invalid);
        assert_eq!(classify(None, &any), HeaderAuth::Missing);
        let only_good = |t: &str| t == "good";
        assert_eq!(classify(Some(b"Bearer good"), &only_good), HeaderAuth::Valid);
        assert_eq!(classify(Some(b"Bearer goo"), &only_good), HeaderAuth::Invalid);
    }

    #[test]
    fn either_header_suffices() {
        let accepted = |t: &str| t == "good";
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer bad"));
        headers.insert("authenticate", HeaderValue::from_static("Bearer good"));
        let verdict = check(&headers, accepted);
        assert_eq!(verdict.authorization, HeaderAuth::Invalid);
        assert_eq!(verdict.authenticate, HeaderAuth::Valid);
        assert!(verdict.is_authorized());

        headers.remove("authenticate");
        let verdict = check(&headers, accepted);
        assert_eq!(verdict.authenticate, HeaderAuth::Missing);
        assert!(!verdict.is_authorized());
        assert!(!check(&HeaderMap::new(), |_| true).is_authorized());
    }
}
