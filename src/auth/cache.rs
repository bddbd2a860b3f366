//! The token of one client: how it is got, kept in memory, and renewed by one thread while the others wait.
//!
//! One renewal at a time, and never on the wire under the lock: the thread that finds the token due marks a
//! renewal under way, lets go of the lock for its token requests, then stores what came and wakes the threads
//! that waited. They take its token, or its failure: a token endpoint that does not answer costs every waiting
//! call one timeout together, not one each in turn. Each waits no longer than its own deadline, and reading the
//! state (the refresh token for the register) never waits for the network.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::token::{self, ClientId, Granted, Refusal};
use crate::http::{Agent, Bound, Error, ErrorKind, Level, Log};

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
    /// From when it was got to `renew_at`.
    span: Duration,
}

impl Access {
    fn granted(token: String, renew_at: Instant) -> Access {
        Access { token, renew_at: Some(renew_at), span: renew_at.saturating_duration_since(Instant::now()) }
    }

    /// Whether it is still to be used `ahead` from now: a renewal that early comes at most halfway through its
    /// span, so that a short-lived token is not renewed at every look ahead.
    fn fresh_for(&self, ahead: Duration) -> bool {
        self.renew_at.is_none_or(|at| Instant::now() + ahead.min(self.span / 2) < at)
    }
}

#[derive(Default)]
struct State {
    source: TokenSource,
    access: Option<Access>,
    refresh_token: Option<String>,
    /// Counts the tokens held, so that of many calls refused with the same token only the first drops it.
    generation: u64,
    /// Counts the credentials given: a renewal begun under others stores nothing.
    credentials: u64,
    /// The number of the renewal under way, if one is.
    renewing: Option<u64>,
    /// Renewals begun so far: the last one's number.
    renewals: u64,
    /// How the last renewal ended: its number, and its failure, which the threads that waited for it share.
    last_renewal: Option<(u64, Result<(), Error>)>,
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
    state: Mutex<State>,
    /// Signalled when a renewal ends.
    renewed: Condvar,
}

/// What one thread's renewal is to do: the credentials as they were when it began.
struct Plan {
    source: TokenSource,
    refresh_token: Option<String>,
    credentials: u64,
}

/// What a renewal brought: the token or the failure, and whether the refresh token is to be dropped.
struct Renewed {
    result: Result<Granted, Error>,
    drop_refresh_token: bool,
}

/// The renewal this thread runs. Ended by [`TokenCache::finish`]; dropped unfinished (a panic on the way), it
/// ends as a failure, so that no thread waits for it past its deadline.
struct Renewal<'a> {
    cache: &'a TokenCache,
    number: u64,
    finished: bool,
}

impl Drop for Renewal<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let mut state = self.cache.state();
            state.renewing = None;
            let failure = Error::new(ErrorKind::Connect, "the token renewal broke off");
            state.last_renewal = Some((self.number, Err(failure)));
            self.cache.renewed.notify_all();
        }
    }
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
        state.access = access_token.map(|token| Access { token, renew_at, span: Duration::ZERO });
        state.source = source;
        state.refresh_token = refresh_token;
        state.generation += 1;
        state.credentials += 1;
    }

    /// Stores the tokens of a finished pairing.
    pub fn set_granted(&self, source: TokenSource, granted: Granted) {
        let mut state = self.state();
        state.source = source;
        state.access = Some(Access::granted(granted.access_token, granted.renew_at));
        state.refresh_token = granted.refresh_token;
        state.generation += 1;
        state.credentials += 1;
    }

    /// Never waits for a renewal under way.
    pub fn refresh_token(&self) -> Option<String> {
        self.state().refresh_token.clone()
    }

    /// The token to send: the cached one while it is fresh, else the one a renewal brings: this thread's own,
    /// or the one under way, waited for until `deadline` at most. A renewal this thread runs ends by
    /// `deadline` too.
    pub fn lease(&self, http: &Agent, log: &Log, deadline: Instant) -> Result<Lease, Error> {
        self.lease_fresh_for(http, log, deadline, Duration::ZERO)
    }

    /// Makes sure the token will still be fresh `ahead` from now (at most halfway through its life), renewing
    /// it early if not, as [`TokenCache::lease`] does when it is due.
    pub fn renew_ahead(&self, http: &Agent, log: &Log, deadline: Instant, ahead: Duration) -> Result<(), Error> {
        self.lease_fresh_for(http, log, deadline, ahead).map(drop)
    }

    fn lease_fresh_for(&self, http: &Agent, log: &Log, deadline: Instant, ahead: Duration) -> Result<Lease, Error> {
        let mut state = self.state();
        // The renewal this thread waited for and that brought a token: that token is taken even if it is due
        // already (a lifetime of a few milliseconds), as the renewing thread takes it.
        let mut waited_for = None;
        loop {
            if let Some(access) = &state.access {
                let fresh = access.fresh_for(ahead);
                let just_renewed = waited_for.is_some() && waited_for == state.last_renewal.as_ref().map(|(n, _)| *n);
                if fresh || just_renewed {
                    return Ok(Lease {
                        token: access.token.clone(),
                        generation: state.generation,
                        renewable: access.renew_at.is_some(),
                    });
                }
            }
            let Some(number) = state.renewing else { break };
            state = self.wait_for(state, number, deadline)?;
            if let Some((n, Err(e))) = &state.last_renewal {
                if *n == number {
                    return Err(e.clone());
                }
            }
            waited_for = Some(number);
        }
        if state.access.is_some() {
            log.write(Level::Warn, || "renewing the token: it is about to expire".into());
        }
        let plan = Plan {
            source: state.source.clone(),
            refresh_token: state.refresh_token.clone(),
            credentials: state.credentials,
        };
        state.renewals += 1;
        let renewal = Renewal { cache: self, number: state.renewals, finished: false };
        state.renewing = Some(renewal.number);
        drop(state);
        let renewed = renew(&plan, http, log, &Bound::until(deadline));
        self.finish(renewal, &plan, renewed, log)
    }

    /// Waits until renewal `number` has ended, or `deadline` has passed (an error: this call was not sent).
    fn wait_for<'a>(
        &'a self,
        mut state: MutexGuard<'a, State>,
        number: u64,
        deadline: Instant,
    ) -> Result<MutexGuard<'a, State>, Error> {
        while state.renewing == Some(number) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::new(
                    ErrorKind::Connect,
                    "the call's time ran out while it waited for the token another call of this client is getting",
                ));
            }
            state = self.renewed.wait_timeout(state, left).unwrap_or_else(PoisonError::into_inner).0;
        }
        Ok(state)
    }

    /// Stores what the renewal brought (unless the credentials changed meanwhile), and wakes the threads that
    /// waited for it.
    fn finish(&self, mut renewal: Renewal, plan: &Plan, renewed: Renewed, log: &Log) -> Result<Lease, Error> {
        let mut state = self.state();
        renewal.finished = true;
        state.renewing = None;
        let result = if state.credentials != plan.credentials {
            Err(Error::new(
                ErrorKind::Connect,
                "the client's credentials were replaced while its token was renewed, so the call was not sent",
            ))
        } else {
            if renewed.drop_refresh_token {
                state.refresh_token = None;
            }
            renewed.result.map(|granted| {
                log.secrets.add(&granted.access_token);
                if let Some(refresh) = granted.refresh_token {
                    log.secrets.add(&refresh);
                    state.refresh_token = Some(refresh);
                }
                state.generation += 1;
                let token = granted.access_token.clone();
                state.access = Some(Access::granted(granted.access_token, granted.renew_at));
                Lease { token, generation: state.generation, renewable: true }
            })
        };
        state.last_renewal = Some((renewal.number, result.as_ref().map(drop).map_err(Error::clone)));
        self.renewed.notify_all();
        result
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

/// Refresh first where there is a refresh token, then the grant again. On the wire without the lock.
fn renew(plan: &Plan, http: &Agent, log: &Log, bound: &Bound) -> Renewed {
    let failed = |e: Error| Renewed { result: Err(e), drop_refresh_token: false };
    let client = match &plan.source {
        TokenSource::None => {
            return failed(Error::new(
                ErrorKind::Unauthorized,
                "the client has no credentials: give it a token, client credentials or a refresh token, or pair it",
            ))
        }
        TokenSource::Fixed => {
            return failed(Error::new(
                ErrorKind::Unauthorized,
                "the fixed token was refused; a fixed token is never renewed",
            ))
        }
        TokenSource::ClientCredentials(client) | TokenSource::RefreshToken(client) => client,
    };
    let with_credentials = matches!(plan.source, TokenSource::ClientCredentials(_));
    let mut drop_refresh_token = false;
    if let Some(refresh_token) = &plan.refresh_token {
        match token::refresh(http, log, client, refresh_token, bound) {
            Ok(mut granted) => {
                // The old refresh token stays valid when none comes back.
                granted.refresh_token.get_or_insert_with(|| refresh_token.clone());
                return Renewed { result: Ok(granted), drop_refresh_token: false };
            }
            Err(Refusal::OAuth(_, e)) => {
                // The message names the status and the OAuth code already.
                log.write(Level::Warn, || format!("the refresh token was refused: {}", e.message));
                drop_refresh_token = true;
                if !with_credentials {
                    let message = format!("the refresh token was refused or has expired ({}): pair again", e.message);
                    log.write(Level::Error, || message.clone());
                    let e = Error { http_status: e.http_status, ..Error::new(ErrorKind::Expired, message) };
                    return Renewed { result: Err(e), drop_refresh_token };
                }
            }
            Err(Refusal::Other(e)) if with_credentials => {
                // The client credentials get a token without it: the next renewal uses them, instead of every
                // call failing on a refresh token the endpoint cannot use.
                log.write(Level::Error, || {
                    format!(
                        "the token could not be refreshed: {}; the next call gets one with the client credentials",
                        e.message
                    )
                });
                return Renewed { result: Err(e), drop_refresh_token: true };
            }
            Err(Refusal::Other(e)) => {
                // A refresh token is the only way to a token here: it is kept for the next try.
                log.write(Level::Error, || format!("the token could not be renewed: {}", e.message));
                return failed(e);
            }
        }
    }
    let result = if with_credentials {
        token::client_credentials(http, log, client, bound).map_err(|refusal| {
            let e = refusal.into_error();
            log.write(Level::Error, || format!("no token from the client credentials: {}", e.message));
            e
        })
    } else {
        Err(Error::new(ErrorKind::Expired, "the client has no refresh token any more: pair again"))
    };
    Renewed { result, drop_refresh_token }
}
