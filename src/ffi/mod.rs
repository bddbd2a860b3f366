//! The C ABI: glue only. Each function converts pointers, checks them, runs the core inside a panic
//! boundary and maps the outcome to an `sx_result`. One module per C object.

#![allow(non_camel_case_types)] // C names: sx_result, sx_transaction, sx_receipt_line.

pub mod config;
pub mod last_call;
pub mod result;
pub mod start;
pub mod transaction;

use std::borrow::Cow;
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::client::{Error, ErrorKind};
use result::*;

/// A failed call as C sees it: its code and the message kept for `sx_last_error_message`.
pub(crate) struct Failure {
    code: sx_result,
    message: Cow<'static, str>,
}

impl Failure {
    pub(crate) fn new(code: sx_result, message: impl Into<Cow<'static, str>>) -> Failure {
        Failure { code, message: message.into() }
    }

    pub(crate) fn null(what: &'static str) -> Failure {
        Failure::new(SX_ERR_NULL_ARGUMENT, format!("`{what}` is NULL"))
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let code = match e.kind {
            ErrorKind::InvalidArgument => SX_ERR_INVALID_ARGUMENT,
            ErrorKind::Connect => SX_ERR_CONNECT,
            ErrorKind::OutcomeUnknown => SX_ERR_OUTCOME_UNKNOWN,
            ErrorKind::Tls => SX_ERR_TLS,
            ErrorKind::Unauthorized => SX_ERR_UNAUTHORIZED,
            ErrorKind::Api => SX_ERR_API,
            ErrorKind::Http => SX_ERR_HTTP,
            ErrorKind::BadResponse => SX_ERR_BAD_RESPONSE,
            ErrorKind::NotOk => SX_ERR_NOT_OK,
        };
        Failure::new(code, e.message)
    }
}

/// Runs the body of a function that returns `sx_result`: a panic becomes `SX_ERR_PANIC`, a failure's
/// message becomes this thread's last error, success clears it.
pub(crate) fn guard(name: &'static str, body: impl FnOnce() -> Result<(), Failure>) -> sx_result {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            last_call::set_error("");
            SX_OK
        }
        Ok(Err(failure)) => {
            last_call::set_error(&failure.message);
            failure.code
        }
        Err(_) => {
            last_call::set_error(&panic_message(name));
            SX_ERR_PANIC
        }
    }
}

/// Like [`guard`], for the getters of the last call: they leave the last error as it is, so that reading it
/// with too small a buffer does not replace it.
pub(crate) fn guard_quiet(body: impl FnOnce() -> Result<(), Failure>) -> sx_result {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => SX_OK,
        Ok(Err(failure)) => failure.code,
        Err(_) => SX_ERR_PANIC,
    }
}

/// For functions that return a value, not a code: a panic gives the documented `fallback`.
pub(crate) fn guard_value<T>(name: &'static str, fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        last_call::set_error(&panic_message(name));
        fallback
    })
}

fn panic_message(name: &str) -> String {
    format!("internal error (a panic) in {name}; the process goes on; please report this")
}

/// The bytes of a NUL-terminated argument.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn arg_bytes<'a>(p: *const c_char, what: &'static str) -> Result<&'a [u8], Failure> {
    if p.is_null() {
        return Err(Failure::null(what));
    }
    Ok(CStr::from_ptr(p).to_bytes())
}

/// A NUL-terminated UTF-8 argument.
///
/// # Safety
/// As [`arg_bytes`].
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, what: &'static str) -> Result<&'a str, Failure> {
    std::str::from_utf8(arg_bytes(p, what)?).map_err(|e| {
        Failure::new(SX_ERR_INVALID_ARGUMENT, format!("`{what}` is not valid UTF-8 (at byte {})", e.valid_up_to()))
    })
}

/// The one rule for strings out: with room for `bytes` and a NUL, write both and set `*out_len` to the length;
/// else set `*out_len` and write nothing. `buf` may be NULL when `cap` is 0 (a size query).
///
/// # Safety
/// `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
pub(crate) unsafe fn write_out(bytes: &[u8], buf: *mut c_char, cap: usize, out_len: *mut usize) -> Result<(), Failure> {
    check_out(buf, cap, out_len)?;
    *out_len = bytes.len();
    if cap <= bytes.len() {
        return Err(Failure::new(
            SX_ERR_BUFFER_TOO_SMALL,
            format!("the buffer holds {cap} bytes; {} are needed with the NUL", bytes.len() + 1),
        ));
    }
    std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf.cast::<u8>(), bytes.len());
    *buf.add(bytes.len()) = 0;
    Ok(())
}

/// The pointer checks of [`write_out`], for callers that must check before they do anything else.
pub(crate) fn check_out(buf: *mut c_char, cap: usize, out_len: *mut usize) -> Result<(), Failure> {
    if out_len.is_null() {
        return Err(Failure::null("out_len"));
    }
    if buf.is_null() && cap > 0 {
        return Err(Failure::new(SX_ERR_NULL_ARGUMENT, "the buffer is NULL but its capacity is not 0"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_sx_err_panic_and_a_message() {
        let code = guard("sx_test", || panic!("boom"));
        assert_eq!(code, SX_ERR_PANIC);
        assert!(last_call::error().contains("sx_test"));
        assert_eq!(guard_value("sx_test", 7usize, || panic!("boom")), 7);
        assert_eq!(guard_quiet(|| panic!("boom")), SX_ERR_PANIC);
    }

    #[test]
    fn the_buffer_rule() {
        let mut len = 99usize;
        let mut buf = [b'#' as c_char; 4];
        unsafe {
            assert_eq!(
                write_out(b"abc", std::ptr::null_mut(), 0, &mut len).err().unwrap().code,
                SX_ERR_BUFFER_TOO_SMALL
            );
            assert_eq!(len, 3);
            assert_eq!(write_out(b"abcd", buf.as_mut_ptr(), 4, &mut len).err().unwrap().code, SX_ERR_BUFFER_TOO_SMALL);
            assert_eq!((len, buf[0] as u8), (4, b'#'));
            assert!(write_out(b"abc", buf.as_mut_ptr(), 4, &mut len).is_ok());
            assert_eq!(CStr::from_ptr(buf.as_ptr()).to_bytes(), b"abc");
            assert_eq!(
                write_out(b"", buf.as_mut_ptr(), 4, std::ptr::null_mut()).err().unwrap().code,
                SX_ERR_NULL_ARGUMENT
            );
            assert_eq!(write_out(b"", std::ptr::null_mut(), 1, &mut len).err().unwrap().code, SX_ERR_NULL_ARGUMENT);
        }
    }
}
