//! A transport failure in words for a support line, sorted by where the exchange stood ([`Stage`]): nothing
//! sent (`Connect`, `Tls`: safe to try again) or sent without a complete answer (`OutcomeUnknown`: read the
//! transaction back). Why a handshake failed, from rustls's error where there is one.

use std::io;

use super::config::Timeouts;
use super::error::{sanitize, Error, ErrorKind};
use super::expect::Effect;
use super::transport::{CutOff, SpeaksTls, Stage};
use super::BaseUrl;

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
pub(crate) fn sent_advice(effect: Effect) -> String {
    match effect {
        Effect::Token => String::new(),
        Effect::Read | Effect::Change | Effect::Payment => format!(" {MAY_HAVE_BEEN_EXECUTED}"),
    }
}

/// Sorts a transport failure by where the exchange stood. Before the request's first byte was handed to the
/// connection, nothing can have been executed: `Connect`, or `Tls` for a failed handshake. After it, no
/// complete answer came: `OutcomeUnknown`.
pub(crate) fn transport_error(
    e: &ureq::Error,
    stage: Stage,
    base: &BaseUrl,
    timeouts: Timeouts,
    effect: Effect,
) -> Error {
    let host = base.host();
    if speaks_tls(e) {
        // Written, but to a TLS server, which read it as a corrupt record: nothing can have been executed.
        return Error::new(
            ErrorKind::Tls,
            format!("the server at {host} speaks TLS: use https://. Nothing was executed"),
        );
    }
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

/// The answer to a plaintext request was a TLS record ([`SpeaksTls`]).
fn speaks_tls(e: &ureq::Error) -> bool {
    matches!(e, ureq::Error::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<SpeaksTls>()))
}

fn seconds(d: std::time::Duration) -> String {
    format!("{} s", d.as_millis() as f64 / 1000.0)
}

/// What went wrong, in words for a support line rather than ureq's.
pub(crate) fn plain_words(e: &ureq::Error, timeouts: Timeouts) -> String {
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
