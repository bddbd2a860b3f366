//! One HTTP exchange with the API, and what it means.
//!
//! Built on ureq: blocking I/O on the caller's own thread (no runtime thread to hop to and back from, none to
//! stop before the library is unloaded), rustls with bundled Mozilla roots (no OpenSSL on the register), a
//! keep-alive pool shared by clones of the agent.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig};

use super::base_url::BaseUrl;
use super::config::Timeouts;
use super::error::{sanitize, Error, ErrorKind};
use super::request::Effect;
use super::settings::{ProxyUrl, Settings};
use super::transport::{self, Board, CutOff, Stage};
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

/// `POST .../Transactions/{id}/start/cash` sent once with `token`: for this layer's own tests, which know nothing
/// of the API client above it (the library's one start is `api::start`).
#[cfg(test)]
impl Agent {
    pub(crate) fn start_cash_for_test(&self, id: super::TransactionId, token: super::Token) -> Answer {
        use super::request::{Body, Request, Subject, Wanted};
        let path = format!("/api/v2/Smart/Transactions/{}/start/cash", id.as_str());
        let request = Request::post(&path, Body::Empty)
            .paying()
            .bearer(token.as_str())
            .expecting(Subject::Transaction(id), Wanted::Paid);
        self.exchange(&request, &super::Log::default())
    }
}

const NOTHING_SENT: &str = "Nothing was sent: it is safe to try again";
const MAY_HAVE_BEEN_EXECUTED: &str =
    "The request was sent and may have been executed: read the transaction back before trying again";

/// The cause of a transport failure without the advice for an API call that ends it here: for a request that
/// is not the call itself (a token request), whose caller gives its own.
pub fn without_advice(message: &str) -> &str {
    [MAY_HAVE_BEEN_EXECUTED, NOTHING_SENT, "Nothing was sent"]
        .iter()
        .find_map(|advice| message.strip_suffix(advice).and_then(|cause| cause.strip_suffix(". ")))
        .unwrap_or(message)
}

/// The advice after a request that was sent without a complete answer, with its leading space: none for a
/// token request, whose caller says that the call it was for was not sent.
pub(super) fn sent_advice(effect: Effect) -> String {
    match effect {
        Effect::Token => String::new(),
        Effect::Read | Effect::Change | Effect::Payment => format!(" {MAY_HAVE_BEEN_EXECUTED}"),
    }
}

/// Sorts a transport failure by where the exchange stood. Before the request's first byte was handed to the
/// connection, nothing can have been executed: `Connect`, or `Tls` for a failed handshake. After it, no
/// complete answer came: `OutcomeUnknown`.
pub(super) fn transport_error(
    e: &ureq::Error,
    stage: Stage,
    base: &BaseUrl,
    timeouts: Timeouts,
    effect: Effect,
) -> Error {
    let host = base.host();
    let connect_s = seconds(timeouts.connect.min(timeouts.total));
    let (kind, what) = match stage {
        Stage::Resolving => (
            ErrorKind::Connect,
            match e {
                ureq::Error::HostNotFound => format!("the server name {host} was not found (DNS)"),
                ureq::Error::Timeout(_) => {
                    format!("looking up the server name {host} took longer than the connect timeout ({connect_s})")
                }
                other => format!("the server name {host} could not be looked up ({})", plain_words(other, timeouts)),
            },
        ),
        Stage::Connecting => (
            ErrorKind::Connect,
            match e {
                ureq::Error::Timeout(_) => {
                    format!("connecting to {host} took longer than the connect timeout ({connect_s})")
                }
                other => format!("could not connect to {host} ({})", plain_words(other, timeouts)),
            },
        ),
        Stage::Handshaking => (
            ErrorKind::Tls,
            format!("the secure connection (TLS) to {host} could not be set up: {}", tls_words(e, timeouts)),
        ),
        Stage::Connected => (
            ErrorKind::Connect,
            format!("the connection to {host} failed before the request was sent ({})", plain_words(e, timeouts)),
        ),
        Stage::Sent => {
            let what = match e {
                ureq::Error::Timeout(_) => {
                    format!("no complete answer from {host} within the total timeout ({})", seconds(timeouts.total))
                }
                other => format!("no complete answer from {host} ({})", plain_words(other, timeouts)),
            };
            return Error::new(ErrorKind::OutcomeUnknown, format!("{what}.{}", sent_advice(effect)));
        }
    };
    let advice = if kind == ErrorKind::Tls { "Nothing was sent" } else { NOTHING_SENT };
    Error::new(kind, format!("{what}. {advice}"))
}

fn seconds(d: std::time::Duration) -> String {
    format!("{} s", d.as_millis() as f64 / 1000.0)
}

/// What went wrong, in words for a support line rather than ureq's.
pub(super) fn plain_words(e: &ureq::Error, timeouts: Timeouts) -> String {
    use io::ErrorKind as K;
    match e {
        ureq::Error::Timeout(_) => format!("timed out; the total timeout is {}", seconds(timeouts.total)),
        ureq::Error::HostNotFound => "the server name was not found".into(),
        ureq::Error::ConnectionFailed => "no connection could be made".into(),
        ureq::Error::Io(io) => {
            let cut_off = io.get_ref().and_then(|e| e.downcast_ref::<CutOff>());
            match cut_off.map_or(io.kind(), |c| c.0) {
                K::ConnectionRefused => "the connection was refused: nothing listens there".into(),
                K::ConnectionReset => "the server reset the connection".into(),
                K::ConnectionAborted => "the connection was aborted".into(),
                // ureq's own for a plain close, rustls's for a TCP close that TLS did not announce (close_notify).
                K::UnexpectedEof if cut_off.is_some() => {
                    "the server closed the connection without closing TLS first".into()
                }
                K::UnexpectedEof => "the server closed the connection".into(),
                K::NetworkUnreachable | K::HostUnreachable => "the network or host is unreachable".into(),
                K::AddrNotAvailable => "the address is not available".into(),
                K::TimedOut => "timed out".into(),
                K::BrokenPipe => "the server closed the connection while it was written to".into(),
                K::InvalidData => "the server sent data that is not valid".into(),
                _ => format!("network error: {}", sanitize(&io.to_string(), 160)),
            }
        }
        ureq::Error::Protocol(_) => "the server's answer is not valid HTTP".into(),
        ureq::Error::LargeResponseHeader(..) => "the answer's headers are too large".into(),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => tls_words(e, timeouts),
        other => sanitize(&other.to_string(), 160),
    }
}

/// Why a TLS handshake failed, from rustls's error where there is one.
fn tls_words(e: &ureq::Error, timeouts: Timeouts) -> String {
    use rustls::{CertificateError as C, Error as R};
    let rustls_error = match e {
        ureq::Error::Rustls(r) => Some(r),
        ureq::Error::Io(io) => io.get_ref().and_then(|inner| inner.downcast_ref::<R>()),
        _ => None,
    };
    match rustls_error {
        Some(R::InvalidCertificate(C::UnknownIssuer)) => {
            "the server's certificate is not signed by a trusted authority".into()
        }
        Some(R::InvalidCertificate(C::Expired | C::ExpiredContext { .. })) => {
            "the server's certificate has expired".into()
        }
        Some(R::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. })) => {
            "the server's certificate is for another name".into()
        }
        Some(R::InvalidCertificate(_)) => "the server's certificate was refused".into(),
        Some(R::AlertReceived(alert)) => format!("the server refused the handshake (TLS alert {alert:?})"),
        Some(R::InvalidMessage(_) | R::InappropriateMessage { .. } | R::InappropriateHandshakeMessage { .. }) => {
            "the server does not speak TLS there (plain HTTP on an https port?) or sent a corrupt record".into()
        }
        Some(R::PeerIncompatible(_)) => "the server offers no TLS version or cipher this library accepts".into(),
        Some(other) => format!("TLS error: {}", sanitize(&other.to_string(), 160)),
        None => match e {
            ureq::Error::Timeout(_) => {
                format!("the handshake took longer than the connect timeout ({})", seconds(timeouts.connect))
            }
            ureq::Error::Io(io)
                if matches!(io.kind(), io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset) =>
            {
                "the server closed the connection during the handshake".into()
            }
            ureq::Error::Tls(text) => sanitize(text, 160),
            other => plain_words(other, timeouts),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

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
