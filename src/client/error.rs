//! What can go wrong in a call, in the terms a register acts on.

use std::fmt;

/// The kinds of failure; each has exactly one C result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Malformed id, token, URL or option; nothing was sent.
    InvalidArgument,
    /// The request never reached the server: safe to try again.
    Connect,
    /// The request may have reached the server but no complete answer came back: read the transaction back.
    OutcomeUnknown,
    /// TLS handshake or certificate failure; nothing was sent.
    Tls,
    /// HTTP 401, or 403 with an authentication code (2xxx).
    Unauthorized,
    /// The API answered with its error body.
    Api,
    /// Any other non-2xx answer (HTML, empty, redirect).
    Http,
    /// A 2xx answer that is not the expected JSON, or larger than the limit.
    BadResponse,
    /// A transaction came back but its status is not `ok`.
    NotOk,
    /// The caller cancelled the call (a pairing ended by `cancel`).
    Cancelled,
    /// A device code or refresh token expired: start again.
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// For people: names the cause; never contains the token.
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into() }
    }

    pub fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Makes text from a server safe to put in a message: no control characters (a NUL would cut the C string,
/// CR/LF would forge log lines) and at most `max` characters.
pub fn sanitize(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sanitize_removes_controls_and_caps_length() {
        assert_eq!(super::sanitize("a\r\nb\0c", 10), "a  b c");
        assert_eq!(super::sanitize("abcdef", 3), "abc…");
        assert_eq!(super::sanitize("äöü", 3), "äöü");
    }
}
