//! Result codes, their names and the cashier's advice, and the library version.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, try_bytes, try_out_buf};
use crate::advice::{advice, Language, Outcome};
use crate::http::ErrorKind;

/// The result of a call: `SX_OK` (0) or one of the `SX_ERR_` codes. A `uint32_t`, never a C enum, so that
/// every language sees the same size. The values are fixed forever.
pub type sx_result = u32;

/// Done.
pub const SX_OK: sx_result = 0;
/// A required pointer was NULL; nothing was sent.
pub const SX_ERR_NULL_ARGUMENT: sx_result = 1;
/// A malformed id, token, URL, option or UTF-8; nothing was sent.
pub const SX_ERR_INVALID_ARGUMENT: sx_result = 2;
/// `*out_len` holds the needed length (without the NUL); nothing was written.
pub const SX_ERR_BUFFER_TOO_SMALL: sx_result = 3;
/// An index past the end.
pub const SX_ERR_OUT_OF_RANGE: sx_result = 4;
/// The value asked for is not in the answer (a field the API left out or sent as null, a JSON pointer that
/// leads nowhere); the out-parameter was not written.
pub const SX_ERR_ABSENT: sx_result = 5;
/// The request was never sent (host name not found, DNS or connect timeout, refused, unreachable): safe to try
/// again.
pub const SX_ERR_CONNECT: sx_result = 10;
/// The request was sent but no complete answer came back (timeout after sending, reset, truncated body): read
/// the transaction back before trying again. Never treat this as "not paid". Never given for a failure before
/// the request's first byte was sent.
pub const SX_ERR_OUTCOME_UNKNOWN: sx_result = 11;
/// The TLS handshake failed (certificate, plain HTTP on an https port, close, reset, corrupt record or alert
/// during the handshake); nothing was sent.
pub const SX_ERR_TLS: sx_result = 12;
/// HTTP 401, or 403 with an authentication code (2xxx): get a new token.
pub const SX_ERR_UNAUTHORIZED: sx_result = 20;
/// The API answered with its error body (`"status":"error"`); the message names `error`, `error_details`,
/// `code` and `supportId`. Not "nothing was paid": a start refused because the transaction was already started
/// may have been paid by an earlier call (one whose answer was lost); its message says to read it back.
pub const SX_ERR_API: sx_result = 21;
/// Any other non-2xx answer (HTML, empty, a redirect, which is never followed). After a 5xx, a 1xx or a 304 the
/// message says the request was received: read the transaction back before trying again.
pub const SX_ERR_HTTP: sx_result = 22;
/// A 2xx answer that cannot be read as a transaction, or larger than 16 MiB. For a payment: it was probably
/// registered; read the transaction back, do not pay again.
pub const SX_ERR_BAD_RESPONSE: sx_result = 30;
/// A transaction came back, but its `status` is not `ok` (e.g. `failed`).
pub const SX_ERR_NOT_OK: sx_result = 31;
/// The caller cancelled the call (e.g. `sx_client_cancel` during pairing).
pub const SX_ERR_CANCELLED: sx_result = 40;
/// A device code or refresh token expired: start again.
pub const SX_ERR_EXPIRED: sx_result = 41;
/// The journal (`sx_client_open_journal`) could not be opened, read or written, or none is open. For a call of
/// the client this means nothing was sent.
pub const SX_ERR_JOURNAL: sx_result = 50;
/// An internal bug was caught at the boundary; the process goes on.
pub const SX_ERR_PANIC: sx_result = 99;

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
