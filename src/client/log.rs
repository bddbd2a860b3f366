//! The register's log: a sink it gives, levels error to debug, and the scrubbing of every line and message
//! the client builds, so that no token, secret, refresh token, device code or full card number reaches it.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
}

/// Where log lines go. Called on the thread that makes the call.
pub trait LogSink: Send + Sync {
    fn write(&self, level: Level, line: &str);
}

/// Shortest secret that is scrubbed: shorter strings would blank ordinary words.
const MIN_SECRET_LEN: usize = 4;

/// The secrets a client holds, to be scrubbed from whatever it writes. Shared by the client's parts: a token
/// learnt by the token cache is scrubbed from the messages of the exchange.
#[derive(Clone, Default)]
pub struct Secrets(Arc<RwLock<Vec<String>>>);

impl Secrets {
    pub fn add(&self, secret: &str) {
        if secret.len() < MIN_SECRET_LEN {
            return;
        }
        let mut all = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if !all.iter().any(|s| s == secret) {
            all.push(secret.to_owned());
            // Longest first, so that a secret holding another is removed whole.
            all.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// `text` with every known secret replaced by `<redacted>` and every run of 13 to 19 digits (a card
    /// number, also with spaces or dashes between groups) masked to its last four.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in self.0.read().unwrap_or_else(PoisonError::into_inner).iter() {
            // Whole, percent-encoded, or cut short where a field was shortened.
            out = super::error::scrub_secret(&out, secret);
        }
        mask_card_numbers(&out)
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

/// The log of one client: a sink (or none), the highest level it wants, and the secrets to scrub.
#[derive(Clone, Default)]
pub struct Log {
    sink: Option<Arc<dyn LogSink>>,
    max_level: Option<Level>,
    pub secrets: Secrets,
}

impl Log {
    pub fn new(sink: Option<Arc<dyn LogSink>>, max_level: Option<Level>, secrets: Secrets) -> Log {
        Log { sink, max_level, secrets }
    }

    pub fn enabled(&self, level: Level) -> bool {
        self.sink.is_some() && self.max_level.is_some_and(|max| level <= max)
    }

    /// Writes one scrubbed line; the text is built only when the level is wanted.
    pub fn write(&self, level: Level, line: impl FnOnce() -> String) {
        if let (true, Some(sink)) = (self.enabled(level), &self.sink) {
            sink.write(level, &self.secrets.scrub(&line()));
        }
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
    fn secrets_are_scrubbed_longest_first() {
        let secrets = Secrets::default();
        secrets.add("abc");
        secrets.add("tok");
        secrets.add("token-1234");
        secrets.add("token-1234-long");
        assert_eq!(secrets.scrub("a token-1234-long and token-1234, abc"), "a <redacted> and <redacted>, abc");
        assert_eq!(format!("{secrets:?}"), "Secrets(<redacted>)");
    }
}
