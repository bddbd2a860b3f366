//! A client with its configuration, its log and its tokens: the core of the C `sx_client`. Every API call goes
//! through [`ApiClient::call`], which adds the token, renews it when due, and after a refusal of the token
//! (401, or 403 with code 2003: the server did not execute the call) gets a new one and sends the call once
//! more. At most two requests for one call; never a repeat with a fixed token; never a repeat of anything else.

use std::path::Path;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use super::cache::{TokenCache, TokenSource};
use super::device::{self, Cancel};
use super::token::{ClientId, DeviceCode};
use crate::client::{BaseUrl, Client, Error, Exchange, Level, Log, LogSink, ProxyUrl, Request, Settings, Timeouts};
use crate::client::{ErrorKind, Token, TransactionId};
use crate::journal::{Call, Ended, Intent, Journal};

/// The configuration and the HTTP client built from it, rebuilt at the first call after a change.
struct Configured {
    settings: Settings,
    http: Option<Arc<Client>>,
}

pub struct ApiClient {
    configured: RwLock<Configured>,
    log: RwLock<Log>,
    tokens: TokenCache,
    cancel: Cancel,
    /// At most one, for the client's life: set by [`ApiClient::open_journal`].
    journal: OnceLock<Journal>,
}

impl ApiClient {
    /// Sends nothing: the first request goes out with the first call.
    pub fn new(base: BaseUrl) -> ApiClient {
        ApiClient {
            configured: RwLock::new(Configured { settings: Settings::new(base, Timeouts::default()), http: None }),
            log: RwLock::new(Log::default()),
            tokens: TokenCache::default(),
            cancel: Cancel::default(),
            journal: OnceLock::new(),
        }
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

    pub fn set_log(&self, sink: Option<Arc<dyn LogSink>>, max_level: Option<Level>) {
        let mut log = self.log.write().unwrap_or_else(PoisonError::into_inner);
        *log = Log::new(sink, max_level, log.secrets.clone());
    }

    fn http(&self) -> Arc<Client> {
        if let Some(http) = &self.configured.read().unwrap_or_else(PoisonError::into_inner).http {
            return Arc::clone(http);
        }
        let mut configured = self.configured.write().unwrap_or_else(PoisonError::into_inner);
        let http = Arc::new(Client::with_settings(&configured.settings));
        configured.http = Some(Arc::clone(&http));
        http
    }

    fn log(&self) -> Log {
        self.log.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// A token the register got elsewhere: used as it is, never renewed.
    pub fn use_token(&self, token: Token) {
        self.log().secrets.add(token.as_str());
        self.tokens.set(TokenSource::Fixed, Some(token.as_str().to_owned()), None);
    }

    pub fn use_client_credentials(&self, client: ClientId) {
        self.log().secrets.add(&client.secret);
        self.tokens.set(TokenSource::ClientCredentials(client), None, None);
    }

    pub fn use_refresh_token(&self, client: ClientId, refresh_token: &str) {
        let log = self.log();
        log.secrets.add(&client.secret);
        log.secrets.add(refresh_token);
        self.tokens.set(TokenSource::RefreshToken(client), None, Some(refresh_token.to_owned()));
    }

    /// The device flow; on success the client holds the tokens (renewed by the refresh token from then on).
    pub fn pair(&self, client: ClientId, uuid: &str, show: &mut dyn FnMut(&DeviceCode)) -> Result<(), Error> {
        let log = self.log();
        log.secrets.add(&client.secret);
        let granted =
            device::pair(&self.http(), &log, &self.cancel, &client, uuid, show).map_err(|e| scrubbed(&log, e))?;
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

    pub fn refresh_token(&self) -> Option<String> {
        self.tokens.refresh_token()
    }

    /// One API call with the client's token. Its body and HTTP status are those of the last request sent.
    pub fn call(&self, request: Request) -> Exchange {
        let http = self.http();
        let log = self.log();
        let first = match self.tokens.lease(&http, &log) {
            Ok(lease) => lease,
            Err(e) => return failed(&log, not_sent(e)),
        };
        let exchange = http.send(&request.clone().bearer(&first.token), &log).classified();
        if !is_token_refusal(&exchange) {
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
                request.path,
                exchange.http_status.unwrap_or(0)
            )
        });
        self.tokens.refused(first.generation);
        let second = match self.tokens.lease(&http, &log) {
            Ok(lease) => lease,
            Err(e) => return failed(&log, not_sent(e)),
        };
        finished(&log, http.send(&request.bearer(&second.token), &log).classified())
    }

    /// `POST /api/v2/Smart/Transactions/{id}/start/cash` with the client's token.
    pub fn start_cash(&self, id: TransactionId) -> Exchange {
        let path = format!("/api/v2/Smart/Transactions/{}/start/cash", id.as_str());
        let intent = Intent { method: "cash", ..Intent::new(Call::Start, id.as_str()) };
        self.journaled(&intent, || self.call(Request::post(&path, crate::client::Body::Empty)))
    }
}

/// 401, or 403 with code 2003: the server refused the token and did not execute the call.
fn is_token_refusal(exchange: &Exchange) -> bool {
    match exchange.http_status {
        Some(401) => true,
        Some(403) => serde_json::from_slice::<serde_json::Value>(&exchange.body)
            .ok()
            .and_then(|body| body.get("code").cloned())
            .is_some_and(|code| code == 2003 || code == "2003"),
        _ => false,
    }
}

fn scrubbed(log: &Log, mut e: Error) -> Error {
    e.message = log.secrets.scrub(&e.message);
    e
}

/// A token request whose answer was lost or unreadable must not read as the call's: the call itself was never
/// sent, so it is `Connect` (safe to try again), never "may have been executed" or "probably registered".
fn not_sent(e: Error) -> Error {
    match e.kind {
        ErrorKind::OutcomeUnknown | ErrorKind::BadResponse => Error {
            kind: ErrorKind::Connect,
            message: format!("getting a token failed, so the call itself was not sent: {}", e.message),
            http_status: e.http_status,
        },
        _ => e,
    }
}

/// A call that failed before its own request was sent; the status is the token endpoint's, if it answered.
fn failed(log: &Log, e: Error) -> Exchange {
    Exchange { http_status: e.http_status, body: Vec::new(), transaction: None, result: Err(scrubbed(log, e)) }
}

/// Where the messages of a call are finalised: every secret the client knows is scrubbed from them.
fn finished(log: &Log, mut exchange: Exchange) -> Exchange {
    if let Err(e) = exchange.result {
        exchange.result = Err(scrubbed(log, e));
    }
    exchange
}
