//! One HTTP exchange with the API, and what it means.
//!
//! Built on ureq: blocking I/O on the caller's own thread (no runtime thread to hop to and back from, none to
//! stop before the library is unloaded), rustls with bundled Mozilla roots (no OpenSSL on the register), a
//! keep-alive pool shared by clones of the agent.

use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig};

use super::base_url::BaseUrl;
use super::config::Timeouts;
use super::error::{Error, ErrorKind};
use super::settings::{ProxyUrl, Settings};
use super::transport::{self, Board};
use super::transport::{CachingResolver, Lookup, SystemLookup};
use crate::model::Transaction;

/// Answers above this size are not read further: no server can make a register allocate without bound.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// An answer's status line and headers above this size are refused (an unknown outcome: the request was sent),
/// so that a server cannot make a register buffer headers without bound. ureq's default, set here so that it
/// stays whatever ureq's becomes; ureq-proto also refuses more than 128 header lines (a constant of its own).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

pub const USER_AGENT: &str = concat!("smartx/", env!("CARGO_PKG_VERSION"));

/// What one call brought back. `body` and `http_status` are those of the last request sent: whatever complete
/// answer arrived, whatever its status, so that the answer to a payment is never lost (empty and `None` when
/// none arrived). `transaction` is `body` read as a transaction, the reading that decided `result`, kept so that
/// nobody reads the same answer twice: on success, and also when `result` is [`ErrorKind::NotOk`] (the
/// transaction came back in another state than the call makes: a start declined by the card terminal, whose
/// receipt must be printed too; an abort answered paid). Any other failure holds none: an API error in a 2xx,
/// or an answer about another transaction, is no transaction of this call's.
#[derive(Debug)]
pub struct Answer {
    pub http_status: Option<u16>,
    pub body: Vec<u8>,
    pub transaction: Option<Transaction>,
    pub result: Result<(), Error>,
}

impl Answer {
    /// An answer as its classification judged it; the transaction is kept only where it is the call's.
    pub fn judged(
        http_status: u16,
        body: Vec<u8>,
        result: Result<(), Error>,
        transaction: Option<Transaction>,
    ) -> Answer {
        let transaction = match &result {
            Ok(()) => transaction,
            Err(e) if e.kind == ErrorKind::NotOk => transaction,
            Err(_) => None,
        };
        Answer { http_status: Some(http_status), body, transaction, result }
    }

    /// A call that failed without a complete answer; `http_status` is the status that came, if one did.
    pub fn failed(http_status: Option<u16>, e: Error) -> Answer {
        Answer { http_status, body: Vec::new(), transaction: None, result: Err(e) }
    }

    /// A call refused before anything was sent.
    pub fn refused(e: Error) -> Answer {
        Answer::failed(None, e)
    }

    /// The transaction on success; the error otherwise (dropping a declined start's transaction).
    pub fn into_result(self) -> Result<Transaction, Error> {
        self.result?;
        self.transaction.ok_or_else(|| Error::new(ErrorKind::BadResponse, "the answer held no transaction"))
    }
}

/// A configured way to the API. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Agent {
    pub(super) base: BaseUrl,
    pub(super) agent: ureq::Agent,
    /// The total timeout of calls that wait for a card terminal.
    pub(super) terminal: Duration,
    /// Where each call through `agent` stood, so that a failure is classified by it.
    pub(super) board: Arc<Board>,
    pub(super) timeouts: Timeouts,
}

impl Agent {
    pub fn new(base: BaseUrl, timeouts: Timeouts) -> Agent {
        Agent::with_settings(&Settings::new(base, timeouts))
    }

    pub fn with_settings(settings: &Settings) -> Agent {
        Agent::with_lookup(settings, Arc::new(SystemLookup))
    }

    /// Like [`Agent::with_settings`], with host names looked up by `lookup` instead of the system resolver.
    pub fn with_lookup(settings: &Settings, lookup: Arc<dyn Lookup>) -> Agent {
        let timeouts = settings.timeouts;
        let config = ureq::Agent::config_builder()
            // Every status is an answer to classify, never a transport error.
            .http_status_as_error(false)
            // A redirect would carry the token to another host: report it, never follow it.
            .max_redirects(0)
            // Only the proxy set explicitly: one from the environment could see a loopback token in clear.
            .proxy(settings.proxy.as_ref().map(ProxyUrl::to_ureq))
            // Never used for a handshake: the chain's TLS layer gives ureq's rustls connector the trusted roots
            // (`TrustedRoots`) when a connection first needs them. Empty, so that nothing would verify against it.
            .tls_config(TlsConfig::builder().root_certs(RootCerts::Specific(Arc::default())).build())
            .user_agent(USER_AGENT)
            .accept("application/json")
            .max_response_header_size(MAX_HEAD_BYTES)
            // The connect deadline must come before the total one, so that a timeout while connecting is
            // reported as such (nothing sent, safe to retry) and not as an unknown outcome.
            .timeout_resolve(Some(timeouts.connect.min(timeouts.total)))
            .timeout_connect(Some(timeouts.connect.min(timeouts.total)))
            .timeout_global(Some(timeouts.total))
            .max_idle_connections_per_host(8)
            .save_redirect_history(false)
            .build();
        let board = Arc::new(Board::default());
        let connector = transport::connector(Arc::clone(&board), settings.roots.clone());
        let agent = ureq::Agent::with_parts(config, connector, CachingResolver::with_lookup(lookup));
        Agent { base: settings.base.clone(), agent, terminal: settings.terminal, board, timeouts }
    }

    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The same pool and timeouts, another base URL.
    pub fn with_base(&self, base: BaseUrl) -> Agent {
        Agent { base, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    use std::io;

    use super::*;
    use crate::http::{Token, TransactionId};

    /// A look-up that hangs until its sender is dropped.
    struct Hanging(std::sync::Mutex<mpsc::Receiver<()>>);

    impl Lookup for Hanging {
        fn lookup(&self, _host: &str, _port: u16) -> io::Result<Vec<SocketAddr>> {
            let _ = self.0.lock().unwrap().recv();
            Err(io::Error::other("gave up"))
        }
    }

    /// A hung look-up ends the call at the connect timeout, as a connect error (nothing was sent), not at the
    /// total timeout as an unknown outcome.
    #[test]
    fn a_hung_lookup_is_a_connect_error_at_the_connect_timeout() {
        let _alone = crate::http::transport::resolve::tests::DNS_THREADS.lock().unwrap_or_else(|e| e.into_inner());
        let (release, hang) = mpsc::channel();
        let base = BaseUrl::parse("https://api.example.com").unwrap();
        let timeouts = Timeouts::from_millis(300, 30_000);
        let settings = Settings::new(base, timeouts);
        let client = Agent::with_lookup(&settings, Arc::new(Hanging(std::sync::Mutex::new(hang))));
        let started = Instant::now();
        let exchange =
            client.start_cash_for_test(TransactionId::parse("STX_1").unwrap(), Token::parse(b"secret-token").unwrap());
        let waited = started.elapsed();
        let error = exchange.result.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Connect, "{}", error.message);
        assert!(
            error.message.contains("connect timeout") && error.message.contains("Nothing was sent"),
            "{}",
            error.message
        );
        assert!(waited < Duration::from_secs(10), "the call waited {waited:?}, past its connect timeout of 0.3 s");
        drop(release);
    }
}
