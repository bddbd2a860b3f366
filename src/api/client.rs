//! A client with its configuration, its log and its tokens: the core of the C `sx_client`. Every API call goes
//! through [`Client::call`], which adds the token, renews it when due, and after a refusal of the token
//! (401, or 403 with code 2003: the server did not execute the call) gets a new one and sends the call once
//! more. At most two requests for one call; never a repeat with a fixed token; never a repeat of anything else.
//!
//! A call has one deadline, its total timeout (the terminal one for a call that waits for a card terminal) from
//! its start, and every request of it ends by then: its token requests, its own request and the repeat. A token
//! request ends by the total timeout from its start at most, even in a call with a terminal's minutes.

use std::path::Path;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::auth::cache::{TokenCache, TokenSource};
use crate::auth::device::{self, Cancel};
use crate::auth::token::{ClientId, DeviceCode};
use crate::http::{outcome, ErrorKind, Token};
use crate::http::{Agent, Answer, BaseUrl, Bound, Error, Level, Log, LogSink, ProxyUrl, Request, Settings, Timeouts};
use crate::journal::{Ended, Intent, Journal};

/// How long after [`Client::prepare`] the token is still to be fresh: a sale from its first item to its payment.
pub const PREPARE_AHEAD: Duration = Duration::from_secs(5 * 60);

/// The configuration and the HTTP client built from it, rebuilt at the first call after a change.
struct Configured {
    settings: Settings,
    http: Option<Arc<Agent>>,
}

pub struct Client {
    configured: RwLock<Configured>,
    log: Log,
    tokens: TokenCache,
    cancel: Arc<Cancel>,
    /// At most one, for the client's life: set by [`Client::open_journal`].
    journal: OnceLock<Journal>,
}

impl Client {
    /// Sends nothing: the first request goes out with the first call.
    pub fn new(base: BaseUrl) -> Client {
        Client {
            configured: RwLock::new(Configured { settings: Settings::new(base, Timeouts::default()), http: None }),
            log: Log::default(),
            tokens: TokenCache::default(),
            cancel: Arc::default(),
            journal: OnceLock::new(),
        }
    }

    /// A client over an agent made elsewhere from `settings`, sharing its connection pool: the C layer's
    /// process-wide one, for the plain functions. A change of its configuration builds an agent of its own.
    pub fn over(settings: Settings, agent: Arc<Agent>) -> Client {
        let client = Client::new(settings.base.clone());
        *client.configured.write().unwrap_or_else(PoisonError::into_inner) = Configured { settings, http: Some(agent) };
        client
    }

    fn configure<T>(&self, change: impl FnOnce(&mut Settings) -> T) -> T {
        let mut configured = self.configured.write().unwrap_or_else(PoisonError::into_inner);
        // Calls under way finish with the client they have; the next call builds one with the new settings.
        configured.http = None;
        change(&mut configured.settings)
    }

    pub fn set_timeouts(&self, connect_ms: u32, total_ms: u32, terminal_ms: u32) {
        let connect = self.configure(|s| {
            s.set_timeouts(connect_ms, total_ms, terminal_ms);
            s.timeouts.connect
        });
        if let Some(journal) = self.journal.get() {
            journal.set_busy_timeout(connect);
        }
    }

    /// Opens (or creates) the client's journal; a lock of another connection is waited for up to the connect
    /// timeout. A second journal is [`ErrorKind::InvalidArgument`]; a failed open does not count.
    pub fn open_journal(&self, path: &Path) -> Result<(), Error> {
        let second = || Error::invalid("the client has a journal already; a client keeps one for its life");
        if self.journal.get().is_some() {
            return Err(second());
        }
        let busy = self.configured.read().unwrap_or_else(PoisonError::into_inner).settings.timeouts.connect;
        self.journal.set(Journal::open(path, busy)?).map_err(|_| second())
    }

    pub fn journal(&self) -> Option<&Journal> {
        self.journal.get()
    }

    /// Runs a call that changes a transaction: with a journal, its entry is written durably first (if that
    /// fails, nothing is sent and the call fails with [`ErrorKind::Journal`]) and its outcome recorded after
    /// (if that fails, the call's own result stands and the entry stays PENDING for reconcile).
    pub fn journaled<R: Ended>(&self, intent: &Intent, send: impl FnOnce() -> R) -> R {
        let Some(journal) = self.journal.get() else { return send() };
        let running = match journal.begin(intent) {
            Ok(running) => running,
            Err(e) => return R::not_sent(e),
        };
        let ended = send();
        if let Err(e) = journal.finish(running, &ended.ending()) {
            self.log().write(Level::Error, || e.message);
        }
        ended
    }

    /// Reads and checks the file now; its certificates are trusted on top of the roots.
    pub fn add_ca_file(&self, path: &Path) -> Result<usize, Error> {
        self.configure(|s| s.roots.add_pem_file(path))
    }

    pub fn set_proxy(&self, proxy: Option<ProxyUrl>) {
        self.configure(|s| s.proxy = proxy);
    }

    /// See [`Log::set_sink`]: after it, calls under way write to the new sink too, never to the earlier one.
    pub fn set_log(&self, sink: Option<Box<dyn LogSink>>, max_level: Option<Level>) -> Result<(), Error> {
        self.log.set_sink(sink, max_level)
    }

    fn http(&self) -> Arc<Agent> {
        if let Some(http) = &self.configured.read().unwrap_or_else(PoisonError::into_inner).http {
            return Arc::clone(http);
        }
        let mut configured = self.configured.write().unwrap_or_else(PoisonError::into_inner);
        let http = Arc::new(Agent::with_settings(&configured.settings));
        configured.http = Some(Arc::clone(&http));
        http
    }

    fn log(&self) -> Log {
        self.log.clone()
    }

    /// A token the register got elsewhere: used as it is, never renewed.
    pub fn use_token(&self, token: Token) {
        self.log().secrets.hold(&[token.as_str()]);
        self.tokens.set(TokenSource::Fixed, Some(token.as_str().to_owned()), None);
    }

    pub fn use_client_credentials(&self, client: ClientId) {
        self.log().secrets.hold(&[&client.secret]);
        self.tokens.set(TokenSource::ClientCredentials(client), None, None);
    }

    pub fn use_refresh_token(&self, client: ClientId, refresh_token: &str) {
        self.log().secrets.hold(&[&client.secret, refresh_token]);
        self.tokens.set(TokenSource::RefreshToken(client), None, Some(refresh_token.to_owned()));
    }

    /// The device flow; on success the client holds the tokens (renewed by the refresh token from then on).
    pub fn pair(&self, client: ClientId, uuid: &str, show: &mut dyn FnMut(&DeviceCode)) -> Result<(), Error> {
        let log = self.log();
        log.secrets.add(&client.secret);
        let granted =
            device::pair(&self.http(), &log, &self.cancel, &client, uuid, show).map_err(|e| scrubbed(&log, e))?;
        // The pairing's client is the client's from now on; the tokens pass, as the renewals' do.
        log.secrets.hold(&[&client.secret]);
        log.secrets.add(&granted.access_token);
        if let Some(refresh) = &granted.refresh_token {
            log.secrets.add(refresh);
        }
        self.tokens.set_granted(TokenSource::RefreshToken(client), granted);
        Ok(())
    }

    /// Ends the pairings under way with `Cancelled` within a second.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// How many secrets the client keeps to scrub: for tests, which hold it bounded.
    #[doc(hidden)]
    pub fn kept_secrets(&self) -> usize {
        self.log().secrets.count()
    }

    pub fn refresh_token(&self) -> Option<String> {
        self.tokens.refresh_token()
    }

    /// Gets a token now, as the first call would (a grant, or a renewal when the one held is due); a fixed token
    /// is taken as it is. For `smartx doctor`, which names the token as a step of its own.
    pub fn authenticate(&self) -> Result<(), Error> {
        let http = self.http();
        let log = self.log();
        let deadline = Instant::now() + http.timeouts().total;
        self.tokens.lease(&http, &log, deadline).map(drop).map_err(|e| scrubbed(&log, e))
    }

    /// Makes the next call cost one round trip: the token renewed now if it would be due within
    /// `PREPARE_AHEAD` (5 minutes), and a connection to the API ready (looked up, connected, TLS complete), or the
    /// pooled one found still open. Sends no API request and changes nothing; ends within the connect timeout. Called
    /// again while both are fresh, it costs a probe of the pooled connection and no round trip.
    pub fn prepare(&self) -> Result<(), Error> {
        let http = self.http();
        let log = self.log();
        let timeouts = http.timeouts();
        let deadline = Instant::now() + timeouts.connect.min(timeouts.total);
        // First: a renewal's own request leaves its connection in the pool, ready.
        self.tokens.renew_ahead(&http, &log, deadline, PREPARE_AHEAD).map_err(|e| scrubbed(&log, not_ready(e)))?;
        http.connect_ahead(&Bound::until(deadline)).map_err(|e| scrubbed(&log, e))
    }

    /// One API call with the client's token. Its body and HTTP status are those of the last request sent.
    pub fn call(&self, request: Request) -> Answer {
        let http = self.http();
        let log = self.log();
        let deadline = http.deadline(&request);
        let bound = Bound::until(deadline);
        let token_deadline = || deadline.min(Instant::now() + http.timeouts().total);
        let first = match self.tokens.lease(&http, &log, token_deadline()) {
            Ok(lease) => lease,
            Err(e) => return failed(&log, not_sent(e)),
        };
        let exchange = http.exchange_within(&request.clone().bearer(&first.token), &log, &bound);
        if !outcome::refuses_the_token(exchange.http_status, &exchange.body) {
            return finished(&log, exchange);
        }
        if !first.renewable {
            log.write(Level::Error, || "the fixed token was refused; a fixed token is never renewed".into());
            return finished(&log, exchange);
        }
        log.write(Level::Warn, || {
            format!(
                "{} {}: the token was refused (HTTP {}); getting a new one and sending the call once more",
                request.method.as_str(),
                request.logged_path(),
                exchange.http_status.unwrap_or(0)
            )
        });
        self.tokens.refused(first.generation);
        let second = match self.tokens.lease(&http, &log, token_deadline()) {
            Ok(lease) => lease,
            Err(e) => return failed(&log, not_sent(e)),
        };
        finished(&log, http.exchange_within(&request.bearer(&second.token), &log, &bound))
    }
}

impl Drop for Client {
    /// A call still under way (a host that frees a client in use) writes no line to a sink that may be gone.
    fn drop(&mut self) {
        let _ = self.log.set_sink(None, None);
    }
}

fn scrubbed(log: &Log, mut e: Error) -> Error {
    e.message = log.secrets.scrub(&e.message);
    e
}

/// A call whose token could not be got was never sent: the message says so, and a token request whose answer
/// was lost or unreadable is `Connect` (safe to try again), never "may have been executed" or "probably
/// registered", which belong to the call's own request.
fn not_sent(e: Error) -> Error {
    let kind = token_failure_kind(e.kind);
    let advice = if kind == ErrorKind::Connect { ": it is safe to try again" } else { "" };
    Error {
        kind,
        message: format!("no token, so the call itself was not sent{advice} ({})", e.message.trim_end_matches('.')),
        http_status: e.http_status,
    }
}

/// A token request whose answer was lost or unreadable changed nothing the register must know of: `Connect`.
fn token_failure_kind(kind: ErrorKind) -> ErrorKind {
    match kind {
        ErrorKind::OutcomeUnknown | ErrorKind::BadResponse => ErrorKind::Connect,
        other => other,
    }
}

/// A renewal ahead that failed: nothing of the API was sent.
fn not_ready(e: Error) -> Error {
    Error {
        kind: token_failure_kind(e.kind),
        message: format!(
            "the token could not be renewed ahead ({}); no API request was sent",
            e.message.trim_end_matches('.')
        ),
        http_status: e.http_status,
    }
}

/// A call that failed before its own request was sent; the status is the token endpoint's, if it answered.
fn failed(log: &Log, e: Error) -> Answer {
    Answer::failed(e.http_status, scrubbed(log, e))
}

/// Where the messages of a call are finalised: every secret the client knows is scrubbed from them.
fn finished(log: &Log, mut exchange: Answer) -> Answer {
    if let Err(e) = exchange.result {
        exchange.result = Err(scrubbed(log, e));
    }
    exchange
}
