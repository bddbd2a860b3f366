//! What can go wrong in a call, in the terms a register acts on.

use std::collections::HashSet;
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
}

/// What stands in a message where a secret was.
pub const REDACTED: &str = "<redacted>";

/// The shortest piece of a secret that is removed wherever it stands: a server may echo a token cut in the
/// middle or split across lines. Shorter pieces are left alone: they could be ordinary words.
pub const PIECE: usize = 6;

/// The secrets to find in a text, ready for a scan in one pass: every window of [`PIECE`] bytes of each secret
/// in a set, and whole the secrets shorter than that. A run of the text is removed when each of its bytes lies
/// in a window of the set, so that any piece of [`PIECE`] bytes or more of a secret goes, however it was cut.
#[derive(Clone, Default)]
pub struct SecretPieces {
    windows: HashSet<[u8; PIECE]>,
    short: Vec<Vec<u8>>,
}

impl SecretPieces {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> SecretPieces {
        let mut pieces = SecretPieces::default();
        for secret in secrets.into_iter().map(str::as_bytes).filter(|s| !s.is_empty()) {
            if secret.len() < PIECE {
                pieces.short.push(secret.to_vec());
            }
            for window in secret.windows(PIECE) {
                pieces.windows.insert(window.try_into().expect("windows of PIECE bytes"));
            }
        }
        pieces
    }

    /// `text` with every piece of a secret replaced by [`REDACTED`]: as it is or percent-encoded (a token in
    /// a query string).
    pub fn scrub(&self, text: &str) -> String {
        if self.windows.is_empty() && self.short.is_empty() {
            return text.to_owned();
        }
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
                    from.push(i..i + 3);
                    i += 3;
                }
                (b, _, _) => {
                    decoded.push(b);
                    from.push(i..i + 1);
                    i += 1;
                }
            }
        }
        let mut secret = vec![false; decoded.len()];
        for (at, window) in decoded.windows(PIECE).enumerate() {
            if self.windows.contains(window) {
                secret[at..at + PIECE].fill(true);
            }
        }
        for short in &self.short {
            for (at, window) in decoded.windows(short.len()).enumerate() {
                if window == short.as_slice() {
                    secret[at..at + short.len()].fill(true);
                }
            }
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut at = 0;
        while at < decoded.len() {
            if secret[at] {
                out.extend_from_slice(REDACTED.as_bytes());
                while at < decoded.len() && secret[at] {
                    at += 1;
                }
            } else {
                out.extend_from_slice(&raw[from[at].clone()]);
                at += 1;
            }
        }
        // A secret is visible ASCII, so a removed run starts and ends between characters; a secret that is not
        // (a device code is any text) may cut one, which becomes U+FFFD.
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
    use super::{SecretPieces, REDACTED};

    fn scrub(text: &str, secret: &str) -> String {
        SecretPieces::new([secret]).scrub(text)
    }

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

    /// Any piece of 6 characters or more goes, wherever it was cut or split; shorter ones stay.
    #[test]
    fn scrub_removes_every_piece_of_six_or_more() {
        for (from, to) in [(0, 6), (7, 13), (10, 17), (20, 26), (3, 25)] {
            let piece = &TOKEN[from..to];
            assert_eq!(scrub(&format!("[{piece}]"), TOKEN), format!("[{REDACTED}]"), "{piece}");
        }
        // Split across a line: each half of 6 or more goes.
        assert_eq!(
            scrub(&format!("{} \\n {}", &TOKEN[..13], &TOKEN[13..]), TOKEN),
            format!("{REDACTED} \\n {REDACTED}")
        );
        assert_eq!(scrub(&format!("[{}]", &TOKEN[5..10]), TOKEN), format!("[{}]", &TOKEN[5..10]));
        // Two secrets side by side are one run.
        let pieces = SecretPieces::new(["first-secret", "second-secret"]);
        assert_eq!(pieces.scrub("a first-secretsecond-secret b"), format!("a {REDACTED} b"));
    }

    #[test]
    fn sanitize_removes_controls_and_caps_length() {
        assert_eq!(super::sanitize("a\r\nb\0c", 10), "a  b c");
        assert_eq!(super::sanitize("abcdef", 3), "abc…");
        assert_eq!(super::sanitize("äöü", 3), "äöü");
    }
}
