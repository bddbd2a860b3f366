//! One HTTP exchange with the API, and what it means.
//!
//! Built on ureq: blocking I/O on the caller's own thread (no runtime thread to hop to and back from, none to
//! stop before the library is unloaded), rustls with bundled Mozilla roots (no OpenSSL on the register), a
//! keep-alive pool shared by clones of the agent.

use std::io;
use std::time::Duration;

use ureq::tls::TlsConfig;
use ureq::unversioned::transport::DefaultConnector;
use ureq::Agent;

use super::config::{BaseUrl, Timeouts};
use super::error::{sanitize, Error, ErrorKind};
use super::log::Log;
use super::request::{Body, Request};
use super::resolve::CachingResolver;
use super::settings::{ProxyUrl, Settings};
use super::validate::{Token, TransactionId};

/// Answers above this size are not read further: no server can make a register allocate without bound.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

pub const USER_AGENT: &str = concat!("smartx/", env!("CARGO_PKG_VERSION"));

/// What one call brought back. `body` is whatever complete answer arrived, whatever its status, so that the
/// answer to a payment is never lost; it is empty when none arrived.
#[derive(Debug)]
pub struct Exchange {
    pub http_status: Option<u16>,
    pub body: Vec<u8>,
    pub result: Result<(), Error>,
}

/// A configured way to the API. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    pub(super) base: BaseUrl,
    pub(super) agent: Agent,
    /// The total timeout of calls that wait for a card terminal.
    pub(super) terminal: Duration,
}

impl Client {
    pub fn new(base: BaseUrl, timeouts: Timeouts) -> Client {
        Client::with_settings(&Settings::new(base, timeouts))
    }

    pub fn with_settings(settings: &Settings) -> Client {
        let timeouts = settings.timeouts;
        let config = Agent::config_builder()
            // Every status is an answer to classify, never a transport error.
            .http_status_as_error(false)
            // A redirect would carry the token to another host: report it, never follow it.
            .max_redirects(0)
            // Only the proxy set explicitly: one from the environment could see a loopback token in clear.
            .proxy(settings.proxy.as_ref().map(ProxyUrl::to_ureq))
            .tls_config(TlsConfig::builder().root_certs(settings.roots.root_certs()).build())
            .user_agent(USER_AGENT)
            .accept("application/json")
            // The connect deadline must come before the total one, so that a timeout while connecting is
            // reported as such (nothing sent, safe to retry) and not as an unknown outcome.
            .timeout_connect(Some(timeouts.connect.min(timeouts.total)))
            .timeout_global(Some(timeouts.total))
            .max_idle_connections_per_host(8)
            .save_redirect_history(false)
            .build();
        let agent = Agent::with_parts(config, DefaultConnector::default(), CachingResolver::default());
        Client { base: settings.base.clone(), agent, terminal: settings.terminal }
    }

    /// The same pool and timeouts, another base URL.
    pub fn with_base(&self, base: BaseUrl) -> Client {
        Client { base, ..self.clone() }
    }

    /// `POST /api/v2/Smart/Transactions/{id}/start/cash`: tells the API that the register took the money
    /// itself, so that a loyalty card's balance is applied to the rest. Sent once; never repeated here.
    pub fn start_cash(&self, id: TransactionId, token: Token) -> Exchange {
        let path = format!("/api/v2/Smart/Transactions/{}/start/cash", id.as_str());
        self.send(&Request::post(&path, Body::Empty).bearer(token.as_str()), &Log::default()).classified()
    }
}

/// Sorts a transport failure by whether the request can have reached the server. Only failures that
/// certainly happen before sending are `Connect` (safe to retry) or `Tls`; anything else may have been
/// executed, so it is `OutcomeUnknown`.
pub(super) fn transport_error(e: ureq::Error) -> Error {
    use ureq::Error as U;
    use ureq::Timeout as T;
    let text = sanitize(&e.to_string(), 200);
    let (kind, why) = match &e {
        U::HostNotFound | U::ConnectionFailed => (ErrorKind::Connect, "could not connect"),
        U::Timeout(T::Resolve | T::Connect) => (ErrorKind::Connect, "timed out while connecting"),
        U::Io(io) if is_connect_failure(io.kind()) => (ErrorKind::Connect, "could not connect"),
        U::Tls(_) | U::Rustls(_) | U::Pem(_) => (ErrorKind::Tls, "TLS failed"),
        U::Io(io) if is_handshake_failure(io) => (ErrorKind::Tls, "TLS handshake failed"),
        U::Timeout(_) => (ErrorKind::OutcomeUnknown, "no complete answer in time"),
        _ => (ErrorKind::OutcomeUnknown, "no complete answer"),
    };
    let advice = match kind {
        ErrorKind::Connect => "; nothing was sent, it is safe to try again",
        ErrorKind::Tls => "; nothing was sent",
        _ => "; the request may have been executed: read the transaction back before trying again",
    };
    Error::new(kind, format!("{why} ({text}){advice}"))
}

/// rustls reports through `io::Error`. Only failures that can happen during the handshake, before the request
/// is sent, count as TLS failures; a broken record later may follow an executed request.
fn is_handshake_failure(e: &io::Error) -> bool {
    use rustls::{AlertDescription as A, Error as R};
    matches!(
        e.get_ref().and_then(|inner| inner.downcast_ref::<R>()),
        Some(
            R::InvalidCertificate(_)
                | R::NoCertificatesPresented
                | R::UnsupportedNameType
                | R::PeerIncompatible(_)
                | R::InvalidCertRevocationList(_)
                | R::AlertReceived(
                    A::HandshakeFailure
                        | A::ProtocolVersion
                        | A::BadCertificate
                        | A::UnsupportedCertificate
                        | A::CertificateExpired
                        | A::CertificateUnknown
                        | A::UnknownCA
                        | A::InsufficientSecurity
                )
        )
    )
}

fn is_connect_failure(kind: io::ErrorKind) -> bool {
    use io::ErrorKind as K;
    matches!(
        kind,
        K::ConnectionRefused | K::AddrNotAvailable | K::NetworkUnreachable | K::HostUnreachable | K::NotFound
    )
}
