//! The strings of one reading, kept together: text with terminators.
//!
//! Every string a reading keeps (a transaction's id, a receipt line's text, ...) is written once into one buffer,
//! followed by a NUL, and the structures hold a [`TextRef`] (where it starts, how long it is) instead of a
//! `String` of their own. A whole answer then costs one allocation for all its strings instead of one per string,
//! and a caller that needs terminated strings can hand out the stored bytes as they are, with no second copy.

use std::fmt;

/// Strings back to back, each followed by a NUL. Offset 0 holds the empty string, which every empty string
/// shares. A NUL inside a string (JSON `"\u0000"`) would end it early, so it is stored as U+FFFD.
#[derive(Clone)]
pub struct Texts(String);

/// Where one string of a [`Texts`] lies. [`TextRef::default`] is the empty string of every [`Texts`].
///
/// Offsets are 32 bits (half the size of every string field): a reading keeps at most 4 GiB of strings, and a
/// string that would end beyond reads as empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextRef {
    at: u32,
    len: u32,
}

impl Default for Texts {
    fn default() -> Texts {
        Texts::with_capacity(0)
    }
}

impl Texts {
    /// Room for `bytes` bytes of strings and terminators before the buffer grows.
    pub fn with_capacity(bytes: usize) -> Texts {
        let mut buf = String::with_capacity(bytes.saturating_add(1));
        buf.push('\0');
        Texts(buf)
    }

    /// Stores `text` and says where it lies.
    pub fn push(&mut self, text: &str) -> TextRef {
        if text.contains('\0') {
            let replaced: String = text.chars().map(|c| if c == '\0' { '\u{FFFD}' } else { c }).collect();
            self.push_without_nul(&replaced)
        } else {
            self.push_without_nul(text)
        }
    }

    /// [`Texts::push`] for a string known to hold no NUL: one that stands in valid JSON between quotes without
    /// escapes (a raw control character is not JSON), as serde_json lends them. One look for a NUL less per
    /// string, and a string with one still ends at its terminator, only read shorter by C.
    pub fn push_without_nul(&mut self, text: &str) -> TextRef {
        debug_assert!(!text.contains('\0'));
        let at = self.0.len();
        let (Ok(at32), Ok(len)) = (u32::try_from(at), u32::try_from(text.len())) else {
            return TextRef::default();
        };
        if text.is_empty() || at32.checked_add(len).is_none() {
            return TextRef::default();
        }
        self.0.push_str(text);
        self.0.push('\0');
        TextRef { at: at32, len }
    }

    /// Where `text` lies in the buffer, as a range.
    fn range(text: TextRef) -> std::ops::Range<usize> {
        // u32 into usize: lossless on every target this library builds for (32 and 64 bits).
        let at = text.at as usize;
        at..at + text.len as usize
    }

    /// The string at `text`; "" for a [`TextRef`] of another [`Texts`] that does not fit this one.
    pub fn get(&self, text: TextRef) -> &str {
        self.0.get(Self::range(text)).unwrap_or_default()
    }

    /// The bytes held, terminators included.
    pub fn size(&self) -> usize {
        self.0.len()
    }

    /// [`Texts::get`] for a string that may be absent.
    pub fn get_opt(&self, text: Option<TextRef>) -> Option<&str> {
        text.map(|text| self.get(text))
    }

    /// The string at `text` with its terminating NUL; an absent one, or a [`TextRef`] of another [`Texts`] that
    /// does not end at a terminator here, is the empty string's. The bytes live as long as `self` unchanged.
    pub fn terminated(&self, text: Option<TextRef>) -> &[u8] {
        let range = Self::range(text.unwrap_or_default());
        let bytes = self.0.as_bytes();
        match bytes.get(range.start..=range.end) {
            Some(with_nul) if with_nul.last() == Some(&0) => with_nul,
            _ => &bytes[..1],
        }
    }
}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_list().entries(self.0.split_terminator('\0')).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_share_one_buffer_and_end_at_a_terminator() {
        let mut texts = Texts::with_capacity(4);
        assert_eq!(texts.push(""), TextRef::default());
        let a = texts.push("ab");
        let b = texts.push("a\0b");
        assert_eq!((texts.get(a), texts.get(b)), ("ab", "a\u{FFFD}b"));
        assert_eq!(texts.terminated(Some(b)), "a\u{FFFD}b\0".as_bytes());
        assert_eq!(texts.terminated(None), b"\0");
        assert_eq!(texts.get_opt(None), None);
        assert_eq!(texts.get(TextRef::default()), "");
        assert_eq!(texts.0, "\0ab\0a\u{FFFD}b\0", "one buffer, strings back to back");
    }

    #[test]
    fn a_reference_that_does_not_fit_reads_as_empty() {
        let mut long = Texts::default();
        let far = long.push("a long string");
        let mut short = Texts::default();
        let near = short.push("ab");
        assert_eq!(short.get(far), "");
        assert_eq!(short.terminated(Some(far)), b"\0");
        let inside = long.push("xyz");
        assert_eq!(long.get(inside), "xyz");
        // Of another store, in bounds but not ending at a terminator there.
        assert_eq!(long.terminated(Some(near)), b"\0");
    }
}
