//! The token endpoint, `POST {host}/oauth/token` (not under `/api/v2`): one request per grant, and what its
//! answer means. Form fields, as the PHP and .NET SDKs send them.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::http::error::sanitize;
use crate::http::failure::without_advice;
use crate::http::{Agent, Body, Bound, Error, ErrorKind, Log, Request, Token};

pub const TOKEN_PATH: &str = "/oauth/token";

/// The client id and secret of the register's OAuth client.
#[derive(Clone)]
pub struct ClientId {
    pub id: String,
    pub secret: String,
}

/// A granted access token, and the refresh token that came with it, if any.
pub struct Granted {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// When to get a new one: `expires_in - 10` s after the request was sent.
    pub renew_at: Instant,
}

/// The first answer of the device flow.
pub struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub verification_url: String,
    pub expires_in: Duration,
    pub interval: Duration,
}

/// What the token endpoint said.
pub enum Refusal {
    /// `{"error": ...}`: the OAuth error code (`invalid_grant`, `authorization_pending`, ...) and the failure
    /// to report if the caller has no better meaning for it.
    OAuth(String, Error),
    /// The request failed otherwise (transport, HTML, a 2xx that is not a token).
    Other(Error),
}

impl Refusal {
    pub fn into_error(self) -> Error {
        match self {
            Refusal::OAuth(_, e) | Refusal::Other(e) => e,
        }
    }
}

/// Renewal margin: `expires_in - 10` s; for lifetimes under 20 s (test servers), half the lifetime, so that
/// a short token is still used at all.
pub fn renewal_delay(expires_in: Duration) -> Duration {
    const MARGIN: Duration = Duration::from_secs(10);
    if expires_in >= 2 * MARGIN {
        expires_in - MARGIN
    } else {
        expires_in / 2
    }
}

fn form(grant_type: &'static str, client: &ClientId, extra: &[(&'static str, &str)]) -> Body {
    let mut fields = vec![
        ("grant_type", grant_type.to_owned()),
        ("client_id", client.id.clone()),
        ("client_secret", client.secret.clone()),
    ];
    fields.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    Body::Form(fields)
}

/// Sends one token request within `bound` and returns the answer's JSON object, or the refusal.
fn ask(http: &Agent, log: &Log, body: Body, bound: &Bound) -> Result<serde_json::Map<String, Value>, Refusal> {
    let sent = http.send_within(&Request::post(TOKEN_PATH, body).for_token(), log, bound);
    // The advice for an API call ("read the transaction back") is not this request's: its caller gives its own.
    sent.transport.map_err(|e| {
        let message = format!("{TOKEN_PATH}: {}", without_advice(&e.message));
        Refusal::Other(Error { message, ..e })
    })?;
    let status = sent.http_status.unwrap_or(0);
    let object = match serde_json::from_slice::<Value>(&sent.body) {
        Ok(Value::Object(object)) => Some(object),
        _ => None,
    };
    match object {
        Some(object) if (200..300).contains(&status) && !object.contains_key("error") => Ok(object),
        Some(object) if object.get("error").is_some_and(Value::is_string) => {
            let code = object["error"].as_str().unwrap_or_default().to_owned();
            let description = object.get("error_description").and_then(Value::as_str).unwrap_or("");
            let kind = match code.as_str() {
                // A 401 refuses the credentials, whatever the code says (RFC 6749 5.2).
                _ if status == 401 => ErrorKind::Unauthorized,
                "invalid_client" | "unauthorized_client" | "access_denied" => ErrorKind::Unauthorized,
                "expired_token" => ErrorKind::Expired,
                _ => ErrorKind::Api,
            };
            // Scrubbed before shortened: a cut must not leave a piece of a secret the server echoed.
            let shown = |text: &str, max| sanitize(&log.secrets.scrub(text), max);
            let message =
                format!("HTTP {status} from {TOKEN_PATH}: {} ({})", shown(&code, 64), shown(description, 200));
            Err(Refusal::OAuth(code, Error::new(kind, message).with_http_status(status)))
        }
        _ if status == 401 => Err(Refusal::Other(
            Error::new(
                ErrorKind::Unauthorized,
                format!(
                    "HTTP 401 from {TOKEN_PATH}: the client's credentials were refused ({} bytes of answer)",
                    sent.body.len()
                ),
            )
            .with_http_status(status),
        )),
        Some(_) if (200..300).contains(&status) => Err(Refusal::Other(
            Error::new(ErrorKind::BadResponse, format!("HTTP {status} from {TOKEN_PATH}: not a token"))
                .with_http_status(status),
        )),
        _ => Err(Refusal::Other(
            Error::new(
                ErrorKind::Http,
                format!(
                    "HTTP {status} from {TOKEN_PATH}: an answer that is not an OAuth answer ({} bytes)",
                    sent.body.len()
                ),
            )
            .with_http_status(status),
        )),
    }
}

/// The lifetime of a token whose answer names none, or none from 0 to [`MAX_LIFETIME`] (`expires_in` is optional
/// in RFC 6749): short, so that a token the server meant to live less is renewed early rather than refused.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

/// The longest `expires_in` taken as it is: a day. A longer one is no lifetime a server means.
pub const MAX_LIFETIME: Duration = Duration::from_secs(86_400);

/// A whole number of seconds, or a fraction (test servers), as a number or a numeric string.
fn seconds(object: &serde_json::Map<String, Value>, name: &str) -> Option<Duration> {
    let value = match object.get(name)? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    (0.0..1e9).contains(&value).then(|| Duration::from_secs_f64(value))
}

/// A string field that must be a token-like value (visible ASCII): the answer is not trusted further.
fn token_field(object: &serde_json::Map<String, Value>, name: &str) -> Result<Option<String>, Error> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if Token::parse(s.as_bytes()).is_ok() => Ok(Some(s.clone())),
        Some(_) => Err(Error::new(
            ErrorKind::BadResponse,
            format!("{TOKEN_PATH} answered with a \"{name}\" that is not 1 to 4096 visible ASCII characters"),
        )),
    }
}

fn granted(object: serde_json::Map<String, Value>, asked_at: Instant) -> Result<Granted, Refusal> {
    let bad = |what: &str| Refusal::Other(Error::new(ErrorKind::BadResponse, format!("{TOKEN_PATH}: {what}")));
    let access_token =
        token_field(&object, "access_token").map_err(Refusal::Other)?.ok_or_else(|| bad("no access_token"))?;
    let expires_in = seconds(&object, "expires_in").filter(|s| *s <= MAX_LIFETIME).unwrap_or(DEFAULT_LIFETIME);
    let refresh_token = token_field(&object, "refresh_token").map_err(Refusal::Other)?;
    Ok(Granted { access_token, refresh_token, renew_at: asked_at + renewal_delay(expires_in) })
}

pub fn client_credentials(http: &Agent, log: &Log, client: &ClientId, bound: &Bound) -> Result<Granted, Refusal> {
    let asked_at = Instant::now();
    granted(ask(http, log, form("client_credentials", client, &[]), bound)?, asked_at)
}

pub fn refresh(
    http: &Agent,
    log: &Log,
    client: &ClientId,
    refresh_token: &str,
    bound: &Bound,
) -> Result<Granted, Refusal> {
    let asked_at = Instant::now();
    granted(ask(http, log, form("refresh_token", client, &[("refresh_token", refresh_token)]), bound)?, asked_at)
}

/// Device flow, step 1: a device code for `uuid`.
pub fn device_code(
    http: &Agent,
    log: &Log,
    client: &ClientId,
    uuid: &str,
    bound: &Bound,
) -> Result<DeviceCode, Refusal> {
    let object = ask(http, log, form("device", client, &[("uuid", uuid)]), bound)?;
    let text = |name: &str| -> Result<String, Refusal> {
        match object.get(name) {
            Some(Value::String(s)) if !s.is_empty() && s.len() <= 4096 && !s.chars().any(char::is_control) => {
                Ok(s.clone())
            }
            _ => Err(Refusal::Other(Error::new(ErrorKind::BadResponse, format!("{TOKEN_PATH}: no valid \"{name}\"")))),
        }
    };
    let device_code = text("device_code")?;
    let user_code = text("user_code")?;
    let verification_url = text("verification_url")?;
    let expires_in = seconds(&object, "expires_in")
        .ok_or_else(|| Refusal::Other(Error::new(ErrorKind::BadResponse, format!("{TOKEN_PATH}: no expires_in"))))?;
    // RFC 8628's default when the server names none.
    let interval = seconds(&object, "interval").unwrap_or(Duration::from_secs(5));
    Ok(DeviceCode { device_code, user_code, verification_url, expires_in, interval })
}

/// Device flow, step 2: one poll with the device code.
pub fn device_poll(
    http: &Agent,
    log: &Log,
    client: &ClientId,
    device_code: &str,
    bound: &Bound,
) -> Result<Granted, Refusal> {
    let asked_at = Instant::now();
    granted(ask(http, log, form("device", client, &[("code", device_code)]), bound)?, asked_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_wild_lifetime_is_the_default() {
        let renew = |answer: &str| {
            let asked_at = Instant::now();
            let object: serde_json::Map<String, Value> = serde_json::from_str(answer).unwrap();
            granted(object, asked_at).ok().unwrap().renew_at - asked_at
        };
        let default = renewal_delay(DEFAULT_LIFETIME);
        assert_eq!(default, Duration::from_secs(290));
        for answer in [
            r#"{"access_token":"t"}"#,
            r#"{"access_token":"t","expires_in":-1}"#,
            r#"{"access_token":"t","expires_in":"x"}"#,
            r#"{"access_token":"t","expires_in":86401}"#,
            r#"{"access_token":"t","expires_in":null}"#,
        ] {
            assert_eq!(renew(answer), default, "{answer}");
        }
        assert_eq!(renew(r#"{"access_token":"t","expires_in":1200}"#), Duration::from_secs(1190));
    }

    #[test]
    fn renewal_comes_ten_seconds_early_or_halfway_for_short_tokens() {
        assert_eq!(renewal_delay(Duration::from_secs(1200)), Duration::from_secs(1190));
        assert_eq!(renewal_delay(Duration::from_secs(20)), Duration::from_secs(10));
        assert_eq!(renewal_delay(Duration::from_secs(2)), Duration::from_secs(1));
    }

    #[test]
    fn seconds_as_numbers_fractions_or_strings() {
        let object: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"a":1200,"b":0.25,"c":"30","d":-1,"e":"x"}"#).unwrap();
        assert_eq!(seconds(&object, "a"), Some(Duration::from_secs(1200)));
        assert_eq!(seconds(&object, "b"), Some(Duration::from_millis(250)));
        assert_eq!(seconds(&object, "c"), Some(Duration::from_secs(30)));
        assert_eq!(seconds(&object, "d"), None);
        assert_eq!(seconds(&object, "e"), None);
        assert_eq!(seconds(&object, "f"), None);
    }
}
