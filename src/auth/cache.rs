//! The token of one client: how it is got, kept in memory, and renewed by one thread while the others wait.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::token::{self, ClientId, Granted, Refusal};
use crate::client::{Client, Error, ErrorKind, Level, Log};

/// How the client gets its tokens.
#[derive(Clone, Default)]
pub enum TokenSource {
    #[default]
    None,
    /// A token given by the register: used as it is, never renewed.
    Fixed,
    /// `client_credentials`: the grant again whenever no refresh token works.
    ClientCredentials(ClientId),
    /// A refresh token (given by the register, or from pairing): refreshed, and when that fails, expired.
    RefreshToken(ClientId),
}

struct Access {
    token: String,
    /// `None` for a fixed token.
    renew_at: Option<Instant>,
}

#[derive(Default)]
struct State {
    source: TokenSource,
    access: Option<Access>,
    refresh_token: Option<String>,
    /// Counts the tokens held, so that of many calls refused with the same token only the first drops it.
    generation: u64,
}

/// A token to send, and which one it was.
pub struct Lease {
    pub token: String,
    pub generation: u64,
    /// A fixed token is never renewed, so a refused call is never repeated with it.
    pub renewable: bool,
}

#[derive(Default)]
pub struct TokenCache {
    /// Held while a token is requested: the other threads wait for it instead of asking too.
    state: Mutex<State>,
}

impl TokenCache {
    fn state(&self) -> MutexGuard<'_, State> {
        // Every update is complete before the lock is released; a panic elsewhere leaves a usable state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the credentials and forgets every token (the refresh token too, unless `refresh_token` is
    /// given).
    pub fn set(&self, source: TokenSource, access_token: Option<String>, refresh_token: Option<String>) {
        let mut state = self.state();
        let renew_at = match source {
            TokenSource::Fixed => None,
            _ => Some(Instant::now()),
        };
        state.access = access_token.map(|token| Access { token, renew_at });
        state.source = source;
        state.refresh_token = refresh_token;
        state.generation += 1;
    }

    /// Stores the tokens of a finished pairing.
    pub fn set_granted(&self, source: TokenSource, granted: Granted) {
        let mut state = self.state();
        state.source = source;
        state.access = Some(Access { token: granted.access_token, renew_at: Some(granted.renew_at) });
        state.refresh_token = granted.refresh_token;
        state.generation += 1;
    }

    pub fn refresh_token(&self) -> Option<String> {
        self.state().refresh_token.clone()
    }

    /// The token to send: the cached one while it is fresh, else a new one got by this thread while the
    /// others wait on the lock.
    pub fn lease(&self, http: &Client, log: &Log) -> Result<Lease, Error> {
        let mut state = self.state();
        if let Some(access) = &state.access {
            if access.renew_at.is_none_or(|at| Instant::now() < at) {
                return Ok(Lease {
                    token: access.token.clone(),
                    generation: state.generation,
                    renewable: access.renew_at.is_some(),
                });
            }
            log.write(Level::Warn, || "renewing the token: it is about to expire".into());
        }
        let granted = renew(&mut state, http, log)?;
        log.secrets.add(&granted.access_token);
        if let Some(refresh) = &granted.refresh_token {
            log.secrets.add(refresh);
            state.refresh_token = Some(refresh.clone());
        }
        state.generation += 1;
        let token = granted.access_token.clone();
        state.access = Some(Access { token: granted.access_token, renew_at: Some(granted.renew_at) });
        Ok(Lease { token, generation: state.generation, renewable: true })
    }

    /// Drops the token of `generation` after the API refused it, so that the next lease gets a new one. A
    /// token already replaced by another thread stays.
    pub fn refused(&self, generation: u64) {
        let mut state = self.state();
        if state.generation == generation {
            if let Some(access) = state.access.as_mut().filter(|a| a.renew_at.is_some()) {
                access.renew_at = Some(Instant::now());
            }
        }
    }
}

/// Refresh first where there is a refresh token, then the grant again.
fn renew(state: &mut State, http: &Client, log: &Log) -> Result<Granted, Error> {
    let client = match &state.source {
        TokenSource::None => {
            return Err(Error::new(
                ErrorKind::Unauthorized,
                "the client has no credentials: give it a token, client credentials or a refresh token, or pair it",
            ))
        }
        TokenSource::Fixed => {
            return Err(Error::new(
                ErrorKind::Unauthorized,
                "the fixed token was refused; a fixed token is never renewed",
            ))
        }
        TokenSource::ClientCredentials(client) | TokenSource::RefreshToken(client) => client.clone(),
    };
    if let Some(refresh_token) = state.refresh_token.clone() {
        match token::refresh(http, log, &client, &refresh_token) {
            Ok(mut granted) => {
                // The old refresh token stays valid when none comes back.
                granted.refresh_token.get_or_insert(refresh_token);
                return Ok(granted);
            }
            Err(Refusal::OAuth(code, e)) => {
                log.write(Level::Warn, || format!("the refresh token was refused ({code}): {}", e.message));
                state.refresh_token = None;
                if matches!(state.source, TokenSource::RefreshToken(_)) {
                    let message = format!("the refresh token was refused or has expired ({}): pair again", e.message);
                    log.write(Level::Error, || message.clone());
                    return Err(Error { http_status: e.http_status, ..Error::new(ErrorKind::Expired, message) });
                }
            }
            Err(Refusal::Other(e)) => {
                log.write(Level::Error, || format!("the token could not be renewed: {}", e.message));
                return Err(e);
            }
        }
    }
    match &state.source {
        TokenSource::ClientCredentials(_) => token::client_credentials(http, log, &client).map_err(|refusal| {
            let e = refusal.into_error();
            log.write(Level::Error, || format!("no token from the client credentials: {}", e.message));
            e
        }),
        _ => Err(Error::new(ErrorKind::Expired, "the client has no refresh token any more: pair again")),
    }
}
