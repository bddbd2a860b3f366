//! The strings a handle hands out to C: those of the reading it holds ([`Texts`]), where each string already ends
//! in a NUL, so a pointer into them is a C string as it is, with no copy, valid as long as the handle.

use std::ffi::{c_char, CString};

use crate::model::{TextRef, Texts};

/// The C string of `text` in `texts` ("" when absent), valid as long as `texts` is neither changed nor dropped.
pub(super) fn c_str(texts: &Texts, text: Option<TextRef>) -> *const c_char {
    texts.terminated(text).as_ptr().cast()
}

/// An owned C string of `text`, for a handle that keeps strings of its own: a NUL inside would cut it short, so
/// it becomes a space.
pub(super) fn owned_c_string(text: &str) -> CString {
    CString::new(text.replace('\0', " ")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;

    #[test]
    fn a_stored_string_is_a_c_string_as_it_is() {
        let mut texts = Texts::default();
        let at = texts.push("a\0b");
        // SAFETY: c_str points into texts, which lives and is unchanged for the reads.
        let (read, absent) = unsafe { (CStr::from_ptr(c_str(&texts, Some(at))), CStr::from_ptr(c_str(&texts, None))) };
        assert_eq!(read.to_str(), Ok("a\u{FFFD}b"), "a NUL inside would cut it short: U+FFFD");
        assert_eq!(absent.to_bytes(), b"");
    }
}
