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

/// `accepted` empty means any non-empty token is valid (no `--token` given).
pub fn classify(value: Option<&[u8]>, accepted: &[String]) -> HeaderAuth {
    let Some(value) = value else {
        return HeaderAuth::Missing;
    };
    match bearer_token(value) {
        Some(token) if accepted.is_empty() || accepted.iter().any(|a| a == token) => HeaderAuth::Valid,
        _ => HeaderAuth::Invalid,
    }
}

pub fn check(headers: &HeaderMap, accepted: &[String]) -> AuthCheck {
    let header = |name: &str| headers.get(name).map(|v| v.as_bytes());
    AuthCheck {
        authorization: classify(header("authorization"), accepted),
        authenticate: classify(header("authenticate"), accepted),
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
    fn any_token_is_valid_without_a_token_list() {
        assert_eq!(classify(Some(b"Bearer x"), &[]), HeaderAuth::Valid);
        assert_eq!(classify(Some(b"Token x"), &[]), HeaderAuth::Invalid);
        assert_eq!(classify(None, &[]), HeaderAuth::Missing);
    }

    #[test]
    fn only_listed_tokens_are_valid_with_a_token_list() {
        let accepted = vec!["good".to_owned(), "other".to_owned()];
        assert_eq!(classify(Some(b"Bearer good"), &accepted), HeaderAuth::Valid);
        assert_eq!(classify(Some(b"Bearer other"), &accepted), HeaderAuth::Valid);
        assert_eq!(classify(Some(b"Bearer bad"), &accepted), HeaderAuth::Invalid);
        assert_eq!(classify(Some(b"Bearer goo"), &accepted), HeaderAuth::Invalid);
    }

    #[test]
    fn either_header_suffices() {
        let accepted = vec!["good".to_owned()];
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer bad"));
        headers.insert("authenticate", HeaderValue::from_static("Bearer good"));
        let verdict = check(&headers, &accepted);
        assert_eq!(verdict.authorization, HeaderAuth::Invalid);
        assert_eq!(verdict.authenticate, HeaderAuth::Valid);
        assert!(verdict.is_authorized());

        headers.remove("authenticate");
        let verdict = check(&headers, &accepted);
        assert_eq!(verdict.authenticate, HeaderAuth::Missing);
        assert!(!verdict.is_authorized());
        assert!(!check(&HeaderMap::new(), &[]).is_authorized());
    }
}
