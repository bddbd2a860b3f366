//! The words for a result code (`sx_result_name`, `sx_result_advice`: its name and the cashier's advice), and
//! the library version (`sx_version`).

use std::ffi::c_char;

use super::boundary::{ffi_boundary, try_bytes, try_out_buf};
use super::result::*;
use crate::advice::{advice, Language, Outcome};
use crate::http::ErrorKind;

/// The library version, e.g. "0.1.0".
///
/// Ownership: a static string owned by the library; never free it. Threads: any.
#[no_mangle]
pub extern "C" fn sx_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The name of a result code, e.g. "SX_ERR_CONNECT"; "SX_UNKNOWN_RESULT" for a value that is not a code.
///
/// Ownership: a static string owned by the library; never free it; never NULL. Threads: any.
#[no_mangle]
pub extern "C" fn sx_result_name(result: sx_result) -> *const c_char {
    let name: &'static std::ffi::CStr = match result {
        SX_OK => c"SX_OK",
        SX_ERR_NULL_ARGUMENT => c"SX_ERR_NULL_ARGUMENT",
        SX_ERR_INVALID_ARGUMENT => c"SX_ERR_INVALID_ARGUMENT",
        SX_ERR_BUFFER_TOO_SMALL => c"SX_ERR_BUFFER_TOO_SMALL",
        SX_ERR_OUT_OF_RANGE => c"SX_ERR_OUT_OF_RANGE",
        SX_ERR_ABSENT => c"SX_ERR_ABSENT",
        SX_ERR_CONNECT => c"SX_ERR_CONNECT",
        SX_ERR_OUTCOME_UNKNOWN => c"SX_ERR_OUTCOME_UNKNOWN",
        SX_ERR_TLS => c"SX_ERR_TLS",
        SX_ERR_UNAUTHORIZED => c"SX_ERR_UNAUTHORIZED",
        SX_ERR_API => c"SX_ERR_API",
        SX_ERR_HTTP => c"SX_ERR_HTTP",
        SX_ERR_BAD_RESPONSE => c"SX_ERR_BAD_RESPONSE",
        SX_ERR_NOT_OK => c"SX_ERR_NOT_OK",
        SX_ERR_CANCELLED => c"SX_ERR_CANCELLED",
        SX_ERR_EXPIRED => c"SX_ERR_EXPIRED",
        SX_ERR_JOURNAL => c"SX_ERR_JOURNAL",
        SX_ERR_PANIC => c"SX_ERR_PANIC",
        _ => c"SX_UNKNOWN_RESULT",
    };
    name.as_ptr()
}

/// What the cashier does after `code`, in a sentence or two a person at the till understands: print the receipt;
/// do not take the payment again (it may have gone through: the register reads the transaction back); try again;
/// call support with the support id. For showing at the till beside `sx_last_error_message`, which is for the
/// log and the support.
///
/// `language`: `"de"` (German; also `"de-AT"`, `"de_CH"`, any case) or `"en"` (English); NULL or any other
/// language gives English. Every result code has its own text; a value that is not a code gets a generic one
/// (do not take the payment again before the register has checked, call support). UTF-8.
///
/// Buffer rule as for `sx_last_error_message`. Like it, this function does not change the last error, whatever
/// it returns, so a register can read both in either order. Static texts: no network. Threads: any.
///
/// # Safety
/// `language` is NULL or a NUL-terminated string; `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn sx_result_advice(
    code: sx_result,
    language: *const c_char,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> sx_result {
    ffi_boundary!(quiet {
        let mut out = try_out_buf!(buf, cap, out_len);
        // A language that is not UTF-8 is no language the library has: English, as for any unknown one.
        let tag = if language.is_null() { None } else { std::str::from_utf8(try_bytes!(language)).ok() };
        let language = Language::from_tag(tag);
        out.write(advice(outcome(code), language).as_bytes())
    })
}

/// The cashier's view of a result code.
fn outcome(code: sx_result) -> Outcome {
    match code {
        SX_OK => Outcome::Done,
        SX_ERR_NULL_ARGUMENT => Outcome::NullArgument,
        SX_ERR_INVALID_ARGUMENT => Outcome::Failed(ErrorKind::InvalidArgument),
        SX_ERR_BUFFER_TOO_SMALL => Outcome::BufferTooSmall,
        SX_ERR_OUT_OF_RANGE => Outcome::OutOfRange,
        SX_ERR_ABSENT => Outcome::Absent,
        SX_ERR_CONNECT => Outcome::Failed(ErrorKind::Connect),
        SX_ERR_OUTCOME_UNKNOWN => Outcome::Failed(ErrorKind::OutcomeUnknown),
        SX_ERR_TLS => Outcome::Failed(ErrorKind::Tls),
        SX_ERR_UNAUTHORIZED => Outcome::Failed(ErrorKind::Unauthorized),
        SX_ERR_API => Outcome::Failed(ErrorKind::Api),
        SX_ERR_HTTP => Outcome::Failed(ErrorKind::Http),
        SX_ERR_BAD_RESPONSE => Outcome::Failed(ErrorKind::BadResponse),
        SX_ERR_NOT_OK => Outcome::Failed(ErrorKind::NotOk),
        SX_ERR_CANCELLED => Outcome::Failed(ErrorKind::Cancelled),
        SX_ERR_EXPIRED => Outcome::Failed(ErrorKind::Expired),
        SX_ERR_JOURNAL => Outcome::Failed(ErrorKind::Journal),
        SX_ERR_PANIC => Outcome::Panic,
        _ => Outcome::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn names_match_codes() {
        // SAFETY: sx_result_name returns a static NUL-terminated string.
        let name = |r| unsafe { CStr::from_ptr(sx_result_name(r)) }.to_str().unwrap();
        assert_eq!(name(SX_ERR_OUTCOME_UNKNOWN), "SX_ERR_OUTCOME_UNKNOWN");
        assert_eq!(name(SX_ERR_PANIC), "SX_ERR_PANIC");
        assert_eq!(name(5), "SX_ERR_ABSENT");
        assert_eq!(name(6), "SX_UNKNOWN_RESULT");
        // SAFETY: sx_version returns a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(sx_version()) }.to_str().unwrap();
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
    }
}
