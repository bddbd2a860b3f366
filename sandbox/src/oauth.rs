//! `POST /oauth/token`: client credentials, refresh token and the device flow, with tokens that expire after the
//! lifetime the sandbox was started with. Plain state and rules here (time is passed in, so the tests need no
//! clock); the HTTP side is in routes.rs.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{json, Value};

use crate::ids;

/// The client id and secret accepted when `--client` is not given.
pub const DEFAULT_CLIENT: (&str, &str) = ("sandbox-client", "sandbox-secret");
/// The verification URL the device flow shows (the fixture's).
const VERIFICATION_URL: &str = "http://www.secuoffice.com";
/// A poll counts as too fast (`slow_down`) when it comes less than 90 % of the interval after the previous one,
/// so a client that sleeps exactly `interval` is never punished for scheduling jitter.
const TOO_FAST_PERCENT: u128 = 90;

/// What `/oauth/token` is configured with at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthOptions {
    /// Accepted (client_id, client_secret) pairs.
    pub clients: Vec<(String, String)>,
    pub token_lifetime: Duration,
    pub device_interval: Duration,
    pub device_expires: Duration,
    /// Confirm a device code by itself at this poll (1 = the first poll succeeds).
    pub device_auto_confirm_polls: Option<u32>,
}

impl Default for OAuthOptions {
    fn default() -> Self {
        OAuthOptions {
            clients: vec![(DEFAULT_CLIENT.0.to_owned(), DEFAULT_CLIENT.1.to_owned())],
            token_lifetime: Duration::from_secs(1200),
            device_interval: Duration::from_secs(5),
            device_expires: Duration::from_secs(1200),
            device_auto_confirm_polls: None,
        }
    }
}

/// An OAuth refusal: HTTP status and `{"error","error_description"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    fn new(status: u16, error: &'static str, description: impl Into<String>) -> OAuthError {
        OAuthError { status, error, description: description.into() }
    }

    pub fn body(&self) -> Value {
        json!({ "error": self.error, "error_description": self.description })
    }
}

/// Token requests seen, by grant (what the control API reports).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GrantCounts {
    pub total: u64,
    pub client_credentials: u64,
    pub refresh_token: u64,
    /// Device step 1 (`uuid`): a new device code.
    pub device_code: u64,
    /// Device step 2 (`code`): polls, whatever they answered.
    pub device_poll: u64,
    /// Missing or unknown grant types.
    pub other: u64,
}

struct AccessToken {
    expires_at: Instant,
    /// The device session it belongs to (one valid access token per device session).
    session: Option<String>,
}

struct RefreshToken {
    client_id: String,
    session: Option<String>,
}

struct DeviceCode {
    client_id: String,
    user_code: String,
    expires_at: Instant,
    confirmed: Option<bool>,
    last_poll: Option<Instant>,
    polls: u32,
    /// Set once the device code has given out its token: a second exchange is refused.
    redeemed: bool,
}

/// Which pending device codes a confirmation applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceSelector {
    All,
    UserCode(String),
    DeviceCode(String),
}

/// Whether a bearer token presented to the API is one this server issued, and if so whether it is still good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issued {
    Valid,
    /// Issued here, but expired, replaced (device session) or expired on demand.
    Stale,
    Unknown,
}

pub struct OAuth {
    options: OAuthOptions,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    devices: HashMap<String, DeviceCode>,
    counts: GrantCounts,
    /// Polls that answer `slow_down` whatever their timing (set through the control API).
    forced_slow_downs: u32,
}

impl OAuth {
    pub fn new(options: OAuthOptions) -> OAuth {
        OAuth {
            options,
            access: HashMap::new(),
            refresh: HashMap::new(),
            devices: HashMap::new(),
            counts: GrantCounts::default(),
            forced_slow_downs: 0,
        }
    }

    pub fn counts(&self) -> GrantCounts {
        self.counts.clone()
    }

    pub fn check(&self, token: &str, now: Instant) -> Issued {
        match self.access.get(token) {
            Some(access) if access.expires_at > now => Issued::Valid,
            Some(_) => Issued::Stale,
            None => Issued::Unknown,
        }
    }

    /// Every access token issued so far expires now; with `refresh_tokens`, the refresh tokens are revoked too.
    pub fn expire_all(&mut self, refresh_tokens: bool, now: Instant) {
        for access in self.access.values_mut() {
            access.expires_at = access.expires_at.min(now);
        }
        if refresh_tokens {
            self.refresh.clear();
        }
    }

    /// Confirms (or denies) the pending device codes selected; returns how many changed.
    pub fn confirm(&mut self, selector: &DeviceSelector, allow: bool) -> usize {
        let mut changed = 0;
        for (device_code, device) in self.devices.iter_mut() {
            let selected = match selector {
                DeviceSelector::All => true,
                DeviceSelector::UserCode(code) => &device.user_code == code,
                DeviceSelector::DeviceCode(code) => device_code == code,
            };
            if selected && device.confirmed.is_none() {
                device.confirmed = Some(allow);
                changed += 1;
            }
        }
        changed
    }

    pub fn force_slow_downs(&mut self, polls: u32) {
        self.forced_slow_downs = polls;
    }

    /// One token request with its flat fields (form or JSON, already decoded).
    pub fn token(&mut self, fields: &HashMap<String, String>, now: Instant) -> Result<TokenReply, OAuthError> {
        self.counts.total += 1;
        let field = |name: &str| fields.get(name).map(String::as_str).filter(|v| !v.is_empty());
        let grant = field("grant_type");
        match grant {
            Some("client_credentials") => self.counts.client_credentials += 1,
            Some("refresh_token") => self.counts.refresh_token += 1,
            Some("device") if field("code").is_some() => self.counts.device_poll += 1,
            Some("device") => self.counts.device_code += 1,
            _ => self.counts.other += 1,
        }
        let Some(grant) = grant else {
            return Err(OAuthError::new(400, "invalid_request", "grant_type is required"));
        };
        if !matches!(grant, "client_credentials" | "refresh_token" | "device") {
            return Err(OAuthError::new(400, "unsupported_grant_type", format!("unknown grant_type {grant:?}")));
        }
        let client_id = self.authenticate_client(field("client_id"), field("client_secret"))?;
        match grant {
            "client_credentials" => Ok(TokenReply::Token(self.issue(&client_id, None, true, now))),
            "refresh_token" => {
                let presented = field("refresh_token")
                    .ok_or_else(|| OAuthError::new(400, "invalid_request", "refresh_token is required"))?;
                let refresh = self
                    .refresh
                    .get(presented)
                    .filter(|r| r.client_id == client_id)
                    .ok_or_else(|| OAuthError::new(400, "invalid_grant", "Invalid refresh token"))?;
                let session = refresh.session.clone();
                let mut answer = self.issue(&client_id, session, false, now);
                // No new refresh token: the one presented stays valid and is named again.
                answer.refresh_token = Some(presented.to_owned());
                Ok(TokenReply::Token(answer))
            }
            _ => match field("code") {
                Some(code) => self.poll_device(&client_id, code, now),
                None => {
                    field("uuid").ok_or_else(|| OAuthError::new(400, "invalid_request", "uuid is required"))?;
                    Ok(self.new_device_code(&client_id, now))
                }
            },
        }
    }

    fn authenticate_client(&self, id: Option<&str>, secret: Option<&str>) -> Result<String, OAuthError> {
        let (Some(id), Some(secret)) = (id, secret) else {
            return Err(OAuthError::new(400, "invalid_request", "client_id and client_secret are required"));
        };
        if self.options.clients.iter().any(|(i, s)| i == id && s == secret) {
            Ok(id.to_owned())
        } else {
            Err(OAuthError::new(401, "invalid_client", "Client credentials are invalid"))
        }
    }

    fn issue(&mut self, client_id: &str, session: Option<String>, with_refresh: bool, now: Instant) -> TokenAnswer {
        if let Some(session) = &session {
            // One valid access token per device session: the new one replaces the previous ones.
            // Kept as expired rather than forgotten, so the lenient mode cannot take it for a foreign token.
            for access in self.access.values_mut().filter(|a| a.session.as_ref() == Some(session)) {
                access.expires_at = access.expires_at.min(now);
            }
        }
        let access_token = ids::lower_alphanumeric(26);
        let lifetime = self.options.token_lifetime;
        self.access.insert(access_token.clone(), AccessToken { expires_at: now + lifetime, session: session.clone() });
        let refresh_token = with_refresh.then(|| {
            let token = ids::hex40();
            self.refresh.insert(token.clone(), RefreshToken { client_id: client_id.to_owned(), session });
            token
        });
        TokenAnswer {
            access_token,
            expires_in: expires_in_seconds(lifetime),
            token_type: "bearer",
            scope: None,
            refresh_token,
        }
    }

    fn new_device_code(&mut self, client_id: &str, now: Instant) -> TokenReply {
        let device_code = ids::hex32(ids::next_u64(), ids::next_u64());
        let user_code = ids::lower_alphanumeric(8);
        self.devices.insert(
            device_code.clone(),
            DeviceCode {
                client_id: client_id.to_owned(),
                user_code: user_code.clone(),
                expires_at: now + self.options.device_expires,
                confirmed: None,
                last_poll: None,
                polls: 0,
                redeemed: false,
            },
        );
        TokenReply::DeviceCode(DeviceCodeAnswer {
            device_code,
            user_code,
            verification_url: VERIFICATION_URL,
            expires_in: expires_in_seconds(self.options.device_expires),
            interval: interval_seconds(self.options.device_interval),
        })
    }

    fn poll_device(&mut self, client_id: &str, code: &str, now: Instant) -> Result<TokenReply, OAuthError> {
        let interval = self.options.device_interval;
        let auto_confirm = self.options.device_auto_confirm_polls;
        let device = self
            .devices
            .get_mut(code)
            .filter(|d| d.client_id == client_id && !d.redeemed)
            .ok_or_else(|| OAuthError::new(400, "invalid_grant", "Unknown or used device code"))?;
        if now >= device.expires_at {
            return Err(OAuthError::new(400, "expired_token", "The device code has expired"));
        }
        let previous = device.last_poll.replace(now);
        device.polls += 1;
        let too_fast = previous.is_some_and(|previous| {
            now.duration_since(previous).as_micros() * 100 < interval.as_micros() * TOO_FAST_PERCENT
        });
        if self.forced_slow_downs > 0 || too_fast {
            self.forced_slow_downs = self.forced_slow_downs.saturating_sub(1);
            return Err(OAuthError::new(401, "slow_down", "Polling too fast"));
        }
        if device.confirmed.is_none() && auto_confirm.is_some_and(|n| device.polls >= n) {
            device.confirmed = Some(true);
        }
        match device.confirmed {
            None => Err(OAuthError::new(401, "authorization_pending", "The user has not confirmed the code yet")),
            Some(false) => Err(OAuthError::new(400, "access_denied", "The user denied the request")),
            Some(true) => {
                device.redeemed = true;
                // The device code names the session: its refresh token keeps renewing the same session.
                let session = Some(code.to_owned());
                Ok(TokenReply::Token(self.issue(client_id, session, true, now)))
            }
        }
    }
}

/// The token answer, members in the order of fixtures/token-response.json.
#[derive(Serialize)]
pub struct TokenAnswer {
    access_token: String,
    expires_in: u64,
    token_type: &'static str,
    scope: Option<String>,
    refresh_token: Option<String>,
}

/// Device step 1, members in the order of fixtures/device-code-response.json.
#[derive(Serialize)]
pub struct DeviceCodeAnswer {
    device_code: String,
    user_code: String,
    verification_url: &'static str,
    expires_in: u64,
    interval: Value,
}

/// A successful token request's answer; serialized as the struct inside, which fixes the member order.
#[derive(Serialize)]
#[serde(untagged)]
pub enum TokenReply {
    Token(TokenAnswer),
    DeviceCode(DeviceCodeAnswer),
}

/// `expires_in` in whole seconds, rounded up, so a client never believes a token lives longer than it does
/// by less than a second; a positive lifetime is never reported as 0.
pub fn expires_in_seconds(lifetime: Duration) -> u64 {
    lifetime.as_millis().div_ceil(1000) as u64
}

/// `interval` in seconds: an integer as the API sends it, or a fraction (0.25) for the sandbox-only
/// sub-second intervals that keep tests fast.
pub fn interval_seconds(interval: Duration) -> Value {
    let millis = interval.as_millis() as u64;
    if millis.is_multiple_of(1000) {
        Value::from(millis / 1000)
    } else {
        Value::from(millis as f64 / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn oauth(options: OAuthOptions) -> OAuth {
        OAuth::new(options)
    }

    /// The answer as JSON text, parsed: what a client sees.
    fn ask(oauth: &mut OAuth, fields: &HashMap<String, String>, now: Instant) -> Result<Value, OAuthError> {
        oauth.token(fields, now).map(|reply| serde_json::from_str(&serde_json::to_string(&reply).unwrap()).unwrap())
    }

    const CLIENT: [(&str, &str); 2] = [("client_id", "sandbox-client"), ("client_secret", "sandbox-secret")];

    fn grant(extra: &[(&str, &str)]) -> HashMap<String, String> {
        let mut all = CLIENT.to_vec();
        all.extend_from_slice(extra);
        fields(&all)
    }

    #[test]
    fn client_credentials_issue_a_token_shaped_like_the_fixture() {
        let mut oauth = oauth(OAuthOptions { token_lifetime: Duration::from_millis(1500), ..Default::default() });
        let now = Instant::now();
        let answer = ask(&mut oauth, &grant(&[("grant_type", "client_credentials")]), now).unwrap();
        let fixture: Value = serde_json::from_str(include_str!("../../fixtures/token-response.json")).unwrap();
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&answer), keys(&fixture));
        assert_eq!(answer["expires_in"], 2, "1.5 s rounds up");
        assert_eq!(answer["token_type"], "bearer");
        let token = answer["access_token"].as_str().unwrap();
        assert_eq!(token.len(), 26);
        assert_eq!(oauth.check(token, now), Issued::Valid);
        assert_eq!(oauth.check(token, now + Duration::from_millis(1500)), Issued::Stale);
        assert_eq!(oauth.check("nope", now), Issued::Unknown);
        assert_eq!(oauth.counts().client_credentials, 1);
    }

    #[test]
    fn wrong_or_missing_client_and_grant_are_refused() {
        let mut oauth = oauth(OAuthOptions::default());
        let now = Instant::now();
        let wrong =
            fields(&[("grant_type", "client_credentials"), ("client_id", "sandbox-client"), ("client_secret", "x")]);
        assert_eq!(ask(&mut oauth, &wrong, now).unwrap_err().error, "invalid_client");
        assert_eq!(ask(&mut oauth, &fields(&[("grant_type", "client_credentials")]), now).unwrap_err().status, 400);
        assert_eq!(ask(&mut oauth, &grant(&[]), now).unwrap_err().error, "invalid_request");
        assert_eq!(
            ask(&mut oauth, &grant(&[("grant_type", "password")]), now).unwrap_err().error,
            "unsupported_grant_type"
        );
        let counts = oauth.counts();
        assert_eq!((counts.total, counts.client_credentials, counts.other), (4, 2, 2));
    }

    #[test]
    fn refresh_gives_a_new_access_token_and_keeps_the_refresh_token() {
        let mut oauth = oauth(OAuthOptions::default());
        let now = Instant::now();
        let first = ask(&mut oauth, &grant(&[("grant_type", "client_credentials")]), now).unwrap();
        let refresh = first["refresh_token"].as_str().unwrap().to_owned();
        let second =
            ask(&mut oauth, &grant(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]), now).unwrap();
        assert_ne!(second["access_token"], first["access_token"]);
        assert_eq!(second["refresh_token"], refresh.as_str());
        // Not a device session: both access tokens stay valid.
        assert_eq!(oauth.check(first["access_token"].as_str().unwrap(), now), Issued::Valid);
        let again = ask(&mut oauth, &grant(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]), now);
        assert!(again.is_ok(), "the old refresh token stays valid");

        oauth.expire_all(true, now);
        assert_eq!(oauth.check(second["access_token"].as_str().unwrap(), now), Issued::Stale);
        let revoked = ask(&mut oauth, &grant(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]), now);
        assert_eq!(revoked.unwrap_err().error, "invalid_grant");
    }

    fn device_options() -> OAuthOptions {
        OAuthOptions {
            device_interval: Duration::from_millis(100),
            device_expires: Duration::from_millis(1000),
            ..Default::default()
        }
    }

    #[test]
    fn device_flow_pending_slow_down_confirmed_then_used() {
        let mut oauth = oauth(device_options());
        let t0 = Instant::now();
        let step1 = ask(&mut oauth, &grant(&[("grant_type", "device"), ("uuid", "/vendor/acme/till-7")]), t0).unwrap();
        for key in ["device_code", "user_code", "verification_url", "expires_in", "interval"] {
            assert!(step1.get(key).is_some(), "{key} missing in {step1}");
        }
        let code = step1["device_code"].as_str().unwrap().to_owned();
        let poll =
            |oauth: &mut OAuth, at: Duration| ask(oauth, &grant(&[("grant_type", "device"), ("code", &code)]), t0 + at);
        let pending = poll(&mut oauth, Duration::from_millis(100)).unwrap_err();
        assert_eq!((pending.status, pending.error), (401, "authorization_pending"));
        assert_eq!(poll(&mut oauth, Duration::from_millis(120)).unwrap_err().error, "slow_down");
        oauth.force_slow_downs(1);
        assert_eq!(poll(&mut oauth, Duration::from_millis(300)).unwrap_err().error, "slow_down");
        assert_eq!(poll(&mut oauth, Duration::from_millis(400)).unwrap_err().error, "authorization_pending");
        let user_code = step1["user_code"].as_str().unwrap().to_owned();
        assert_eq!(oauth.confirm(&DeviceSelector::UserCode(user_code), true), 1);
        let token = poll(&mut oauth, Duration::from_millis(500)).unwrap();
        assert!(token["refresh_token"].is_string());
        assert_eq!(poll(&mut oauth, Duration::from_millis(600)).unwrap_err().error, "invalid_grant");
        assert_eq!(oauth.counts().device_poll, 6);
        assert_eq!(oauth.counts().device_code, 1);

        // One valid access token per device session: a refresh replaces the device's token.
        let first = token["access_token"].as_str().unwrap().to_owned();
        let refresh = token["refresh_token"].as_str().unwrap().to_owned();
        let now = t0 + Duration::from_millis(700);
        let renewed =
            ask(&mut oauth, &grant(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]), now).unwrap();
        assert_eq!(oauth.check(&first, now), Issued::Stale);
        assert_eq!(oauth.check(renewed["access_token"].as_str().unwrap(), now), Issued::Valid);
    }

    #[test]
    fn device_codes_expire_and_can_be_denied_or_auto_confirmed() {
        let mut oauth = oauth(OAuthOptions { device_auto_confirm_polls: Some(2), ..device_options() });
        let t0 = Instant::now();
        let new_code = |oauth: &mut OAuth| {
            let step1 = ask(oauth, &grant(&[("grant_type", "device"), ("uuid", "u")]), t0).unwrap();
            step1["device_code"].as_str().unwrap().to_owned()
        };
        let poll = |oauth: &mut OAuth, code: &str, ms: u64| {
            ask(oauth, &grant(&[("grant_type", "device"), ("code", code)]), t0 + Duration::from_millis(ms))
        };
        let auto = new_code(&mut oauth);
        assert_eq!(poll(&mut oauth, &auto, 100).unwrap_err().error, "authorization_pending");
        assert!(poll(&mut oauth, &auto, 200).is_ok(), "confirmed by itself at the second poll");

        let expiring = new_code(&mut oauth);
        assert_eq!(poll(&mut oauth, &expiring, 1000).unwrap_err().error, "expired_token");

        let denied = new_code(&mut oauth);
        assert_eq!(oauth.confirm(&DeviceSelector::DeviceCode(denied.clone()), false), 1);
        assert_eq!(poll(&mut oauth, &denied, 100).unwrap_err().error, "access_denied");
    }

    #[test]
    fn intervals_are_whole_seconds_or_fractions() {
        assert_eq!(interval_seconds(Duration::from_secs(5)), json!(5));
        assert_eq!(interval_seconds(Duration::from_millis(250)), json!(0.25));
    }

    #[test]
    fn expires_in_rounds_up() {
        assert_eq!(expires_in_seconds(Duration::from_millis(1)), 1);
        assert_eq!(expires_in_seconds(Duration::from_millis(1000)), 1);
        assert_eq!(expires_in_seconds(Duration::from_millis(1001)), 2);
        assert_eq!(expires_in_seconds(Duration::from_secs(1200)), 1200);
    }
}
