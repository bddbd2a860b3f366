//! The register's log: a sink it gives, levels error to debug, and the scrubbing of every line and message
//! the client builds, so that no token, secret, refresh token, device code or full card number reaches it.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use super::error::{Error, SecretPieces};
use super::transport::{this_thread, ThreadKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
}

/// Where log lines go. Called on the thread that makes the call, possibly on several at once.
pub trait LogSink: Send + Sync {
    fn write(&self, level: Level, line: &str);
}

/// Shortest secret that is kept: shorter strings would blank ordinary words.
const MIN_SECRET_LEN: usize = 4;

/// How many of the secrets that come and go (access tokens, refresh tokens, device codes) are kept: the
/// current ones and a few before them, which a late or confused answer may still echo. Each renewal adds an
/// access token and the refresh token; eight hold the last three renewals at least.
const RECENT: usize = 8;

/// The secrets a client holds, to be scrubbed from whatever it writes. Shared by the client's parts: a token
/// learnt by the token cache is scrubbed from the messages of the exchange. Bounded: the credentials held now
/// and the `RECENT` last secrets that passed, so that a client renewing its token for months scrubs as fast
/// as on its first day.
#[derive(Clone, Default)]
pub struct Secrets(Arc<RwLock<Kept>>);

#[derive(Default)]
struct Kept {
    /// The credentials the register gave (client secret, a refresh token or a fixed token).
    held: Vec<String>,
    /// The secrets that came later, oldest first.
    recent: VecDeque<String>,
    /// Both, ready for a scan.
    pieces: SecretPieces,
}

impl Kept {
    fn remember(&mut self, secret: &str) {
        if secret.len() < MIN_SECRET_LEN || self.held.iter().any(|s| s == secret) {
            return;
        }
        if let Some(at) = self.recent.iter().position(|s| s == secret) {
            self.recent.remove(at);
        }
        self.recent.push_back(secret.to_owned());
        while self.recent.len() > RECENT {
            self.recent.pop_front();
        }
    }

    fn rebuild(&mut self) {
        self.pieces = SecretPieces::new(self.held.iter().chain(&self.recent).map(String::as_str));
    }
}

impl Secrets {
    fn kept(&self) -> std::sync::RwLockWriteGuard<'_, Kept> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// A secret that passes through the client: a granted token, a device code. Kept among the last few.
    pub fn add(&self, secret: &str) {
        let mut kept = self.kept();
        if kept.recent.back().is_some_and(|s| s == secret) || kept.held.iter().any(|s| s == secret) {
            return;
        }
        kept.remember(secret);
        kept.rebuild();
    }

    /// The credentials the client holds from now on, in place of the earlier ones, which join the recent
    /// secrets: a call under way may still echo them.
    pub fn hold(&self, credentials: &[&str]) {
        let mut kept = self.kept();
        let earlier = std::mem::take(&mut kept.held);
        for secret in &earlier {
            kept.remember(secret);
        }
        for secret in credentials.iter().filter(|s| s.len() >= MIN_SECRET_LEN) {
            if let Some(at) = kept.recent.iter().position(|s| s == secret) {
                kept.recent.remove(at);
            }
            if !kept.held.iter().any(|s| s == secret) {
                kept.held.push((*secret).to_owned());
            }
        }
        kept.rebuild();
    }

    /// How many secrets are kept: for tests, which hold it bounded.
    pub fn count(&self) -> usize {
        let kept = self.0.read().unwrap_or_else(PoisonError::into_inner);
        kept.held.len() + kept.recent.len()
    }

    /// `text` with every piece of 6 characters or more of a kept secret replaced by `<redacted>`, and every
    /// run of 13 to 19 digits (a card number, also with spaces or dashes between groups) masked to its last
    /// four.
    pub fn scrub(&self, text: &str) -> String {
        let scrubbed = self.0.read().unwrap_or_else(PoisonError::into_inner).pieces.scrub(text);
        mask_card_numbers(&scrubbed)
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Secrets(<redacted>)")
    }
}

/// Masks card numbers (13 to 19 digits, groups separated by single spaces or dashes) to their last four.
pub fn mask_card_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && is_word(chars[i - 1])) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The longest run of digits with single separators between them.
        let mut end = i;
        let mut digits = 0;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits += 1;
                j += 1;
                end = j;
            } else if (chars[j] == ' ' || chars[j] == '-') && j + 1 < chars.len() && chars[j + 1].is_ascii_digit() {
                j += 1;
            } else {
                break;
            }
        }
        let followed_by_word = end < chars.len() && is_word(chars[end]);
        if (13..=19).contains(&digits) && !followed_by_word {
            let last_four: String = chars[i..end].iter().filter(|c| c.is_ascii_digit()).skip(digits - 4).collect();
            out.push_str(&"*".repeat(digits - 4));
            out.push_str(&last_four);
            i = end;
        } else {
            // Not a card number: copy the first digit run only, separators are looked at again.
            while i < chars.len() && chars[i].is_ascii_digit() {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// Digits inside a word (an id such as `STX_1234...`) are not a card number.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Where the lines of a client go, looked up at each line: a call under way writes to the sink set now.
#[derive(Default)]
struct Route {
    /// Read-locked while a line is written, so that a change waits for the lines being written on other threads.
    sink: RwLock<Option<(Box<dyn LogSink>, Level)>>,
    /// The threads writing a line now, so that a change of the sink from inside it is refused, not a deadlock.
    writing: Mutex<Vec<ThreadKey>>,
}

/// The log of one client: its sink (or none) with the highest level it wants, and the secrets to scrub.
/// Clones share both: the client's calls hold clones while the register changes the sink.
#[derive(Clone, Default)]
pub struct Log {
    route: Arc<Route>,
    pub secrets: Secrets,
}

/// Takes the calling thread off the writers when its line is written, also when the sink panics.
struct Writing<'a>(&'a Route);

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        let mut writing = self.0.writing.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = writing.iter().position(|t| *t == this_thread()) {
            writing.swap_remove(at);
        }
    }
}

impl Log {
    /// No sink; the messages of its calls are scrubbed of `secrets`.
    pub fn with_secrets(secrets: Secrets) -> Log {
        Log { route: Arc::default(), secrets }
    }

    /// Sends the lines up to `max_level` to `sink` from now on (`None`: no log). Returns once no line is being
    /// written to the earlier sink, on any thread: after it, the earlier sink is never called again. Refused
    /// from inside the sink, which it would wait for.
    pub fn set_sink(&self, sink: Option<Box<dyn LogSink>>, max_level: Option<Level>) -> Result<(), Error> {
        if self.route.writing.lock().unwrap_or_else(PoisonError::into_inner).contains(&this_thread()) {
            return Err(Error::invalid(
                "the log cannot be changed from inside the log callback, which it would wait for: change it \
                 after the callback returned",
            ));
        }
        *self.route.sink.write().unwrap_or_else(PoisonError::into_inner) = sink.zip(max_level);
        Ok(())
    }

    pub fn enabled(&self, level: Level) -> bool {
        let sink = self.route.sink.read().unwrap_or_else(PoisonError::into_inner);
        sink.as_ref().is_some_and(|(_, max)| level <= *max)
    }

    /// Writes one scrubbed line to the sink set now; the text is built only when the level is wanted.
    pub fn write(&self, level: Level, line: impl FnOnce() -> String) {
        let sink = self.route.sink.read().unwrap_or_else(PoisonError::into_inner);
        let Some((sink, max)) = sink.as_ref() else { return };
        if level > *max {
            return;
        }
        let line = self.secrets.scrub(&line());
        self.route.writing.lock().unwrap_or_else(PoisonError::into_inner).push(this_thread());
        let _writing = Writing(&self.route);
        sink.write(level, &line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_keep_their_last_four() {
        assert_eq!(mask_card_numbers("card 4111111111111111 ok"), "card ************1111 ok");
        assert_eq!(mask_card_numbers("4111 1111 1111 1234"), "************1234");
        assert_eq!(mask_card_numbers("5500-0000-0000-0004."), "************0004.");
        // Not card numbers: short, or part of an id, or an amount.
        for same in
            ["HTTP 401 in 12 ms", "STX_1234567890123456", "sum 1999", "2026-11-25 06:12:45", "12345678901234567890"]
        {
            assert_eq!(mask_card_numbers(same), same);
        }
    }

    #[test]
    fn secrets_are_scrubbed_whole_and_in_pieces() {
        let secrets = Secrets::default();
        secrets.add("abc");
        secrets.add("tok");
        secrets.add("token-1234");
        secrets.add("token-1234-long");
        assert_eq!(secrets.scrub("a token-1234-long and token-1234, abc"), "a <redacted> and <redacted>, abc");
        assert_eq!(secrets.scrub("n-1234-lo and ken-12 and oken-"), "<redacted> and <redacted> and oken-");
        assert_eq!(format!("{secrets:?}"), "Secrets(<redacted>)");
    }

    /// The credentials stay however many tokens pass; of those, only the last few.
    #[test]
    fn the_kept_secrets_are_bounded() {
        // Secrets that share no piece of 6 characters.
        let token = |n: u64| format!("{:016x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let secrets = Secrets::default();
        secrets.hold(&["alpha-77xq"]);
        for n in 0..1000 {
            secrets.add(&token(n));
            secrets.add("refresh-QQ");
        }
        assert_eq!(secrets.count(), 1 + RECENT);
        assert_eq!(secrets.scrub("alpha-77xq"), "<redacted>");
        assert_eq!(
            secrets.scrub(&format!("refresh-QQ {} {}", token(999), token(997))),
            "<redacted> <redacted> <redacted>"
        );
        assert_eq!(secrets.scrub(&format!("x {} x", token(1))), format!("x {} x", token(1)), "long gone");
        // New credentials: the earlier ones are recent now, and go in their turn.
        secrets.hold(&["bravo-55kz"]);
        assert_eq!(secrets.scrub("alpha-77xq"), "<redacted>");
        for n in 2000..2000 + RECENT as u64 {
            secrets.add(&token(n));
        }
        assert_eq!(secrets.scrub("alpha-77xq"), "alpha-77xq");
        assert_eq!(secrets.scrub("bravo-55kz"), "<redacted>");
        assert_eq!(secrets.count(), 1 + RECENT);
    }
}
