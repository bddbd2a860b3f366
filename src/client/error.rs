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
    /// The journal could not be opened, read or written; a call of the client sent nothing.
    Journal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// For people: names the cause; never contains the token.
    pub message: String,
    /// The HTTP status of an answer that failed the call before the call's own request was sent (the token
    /// endpoint refusing the credentials), so that the caller still learns it.
    pub http_status: Option<u16>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), http_status: None }
    }

    pub fn with_http_status(mut self, status: u16) -> Error {
        self.http_status = Some(status);
        self
    }

    pub fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// Removes every appearance of the `secrets` from the message, whatever put them there (a server can echo
    /// a token in any field or in a redirect's `Location`): as they are, percent-encoded, or cut short where a
    /// field was shortened. Called once, where the message is finished for the caller.
    pub fn scrub(&mut self, secrets: &[&str]) {
        for secret in secrets {
            self.message = scrub_secret(&self.message, secret);
        }
    }
}

/// What stands in a message where a secret was.
pub const REDACTED: &str = "<redacted>";

/// Shorter pieces of a secret are left alone: they could be ordinary words.
const MIN_PIECE: usize = 8;

/// `text` with every run that is (percent-decoded) a piece of `secret` of at least `MIN_PIECE` (8) bytes, or all of
/// a shorter secret, replaced by [`REDACTED`].
pub fn scrub_secret(text: &str, secret: &str) -> String {
    let secret = secret.as_bytes();
    if secret.is_empty() {
        return text.to_owned();
    }
    let min = secret.len().min(MIN_PIECE);
    // The text percent-decoded, each decoded byte with the range of the original it came from.
    let raw = text.as_bytes();
    let mut decoded = Vec::with_capacity(raw.len());
    let mut from = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (raw[i], raw.get(i + 1).copied().and_then(hex), raw.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                decoded.push((hi * 16 + lo) as u8);
                from.push((i, i + 3));
                i += 3;
            }
            (b, _, _) => {
                decoded.push(b);
                from.push((i, i + 1));
                i += 1;
            }
        }
    }
    // Runs of the decoded text that appear in the secret (longest at each start), as original byte ranges.
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while at < decoded.len() {
        let longest = (0..secret.len())
            .map(|s| decoded[at..].iter().zip(&secret[s..]).take_while(|(a, b)| a == b).count())
            .max()
            .unwrap_or(0);
        if longest >= min {
            cut.push((from[at].0, from[at + longest - 1].1));
            at += longest;
        } else {
            at += 1;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in cut {
        // Cut only at character boundaries; a secret is ASCII, so its runs are too.
        if text.is_char_boundary(start) && text.is_char_boundary(end) {
            out.push_str(&text[last..start]);
            out.push_str(REDACTED);
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
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
    use super::{scrub_secret as scrub, REDACTED};

    const TOKEN: &str = "qb56tjj1bcvo9n2nj4u38k84lo";

    #[test]
    fn scrub_removes_the_secret_whole_encoded_and_cut_short() {
        assert_eq!(scrub(&format!("a {TOKEN} b"), TOKEN), format!("a {REDACTED} b"));
        assert_eq!(scrub("http://h/x?t=qb56%74jj1bcvo9n2nj4u38k84lo&y", TOKEN), format!("http://h/x?t={REDACTED}&y"));
        assert_eq!(scrub(&format!("details: {}…", &TOKEN[..12]), TOKEN), format!("details: {REDACTED}…"));
        assert_eq!(scrub(&format!("x{}y", &TOKEN[10..]), TOKEN), format!("x{REDACTED}y"));
        assert_eq!(scrub("nothing secret here, äöü", TOKEN), "nothing secret here, äöü");
        assert_eq!(scrub("a abc b", "abc"), format!("a {REDACTED} b"));
        assert_eq!(scrub("ab", "abc"), "ab");
    }

    #[test]
    fn sanitize_removes_controls_and_caps_length() {
        assert_eq!(super::sanitize("a\r\nb\0c", 10), "a  b c");
        assert_eq!(super::sanitize("abcdef", 3), "abc…");
        assert_eq!(super::sanitize("äöü", 3), "äöü");
    }
}
