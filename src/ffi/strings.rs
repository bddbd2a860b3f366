//! The strings a handle hands out to C: all in one buffer, each NUL-terminated, addressed by offset. One
//! allocation per handle instead of one per string, and a pointer stays valid as long as the handle.

use std::ffi::c_char;

/// Strings stored back to back, each followed by a NUL; offset 0 is "" (absent strings share it).
pub(super) struct CStrings(Vec<u8>);

impl CStrings {
    pub(super) fn new() -> CStrings {
        CStrings(vec![0])
    }

    /// Appends `s` with a NUL and returns its offset; "" shares offset 0. A NUL inside the text (JSON "\u0000")
    /// would cut the C string short, so it becomes U+FFFD.
    pub(super) fn push(&mut self, s: &str) -> usize {
        if s.is_empty() {
            return 0;
        }
        let offset = self.0.len();
        if s.contains('\0') {
            self.0.extend_from_slice(s.replace('\0', "\u{FFFD}").as_bytes());
        } else {
            self.0.extend_from_slice(s.as_bytes());
        }
        self.0.push(0);
        offset
    }

    /// [`CStrings::push`] for a field that may be absent: absent is "".
    pub(super) fn push_opt(&mut self, s: Option<&str>) -> usize {
        self.push(s.unwrap_or(""))
    }

    /// The C string at `offset`, valid as long as `self` is neither changed nor dropped.
    pub(super) fn ptr(&self, offset: usize) -> *const c_char {
        self.0[offset..].as_ptr().cast()
    }

    /// The string at `offset` without its NUL.
    pub(super) fn str_at(&self, offset: usize) -> &str {
        let tail = &self.0[offset..];
        let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
        // Always UTF-8: the bytes were copied from a `&str` up to the NUL `push` appended.
        std::str::from_utf8(&tail[..end]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_share_one_buffer_and_nul_inside_text_is_replaced() {
        let mut strings = CStrings::new();
        assert_eq!(strings.push(""), 0);
        assert_eq!(strings.push_opt(None), 0);
        let at = strings.push("a\0b");
        assert_eq!(&strings.0[at..], "a\u{FFFD}b\0".as_bytes());
        assert_eq!(strings.str_at(at), "a\u{FFFD}b");
        assert_eq!(strings.str_at(0), "");
    }
}
