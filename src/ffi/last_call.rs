//! This thread's last failure, HTTP status and answer body. Per thread, so that threads calling at once never
//! see each other's answers.

use std::cell::RefCell;
use std::ffi::c_char;

use super::boundary::{ffi_boundary, try_out_buf};
use super::result::sx_result;
use crate::model::Transaction;

struct LastCall {
    error: String,
    http_status: i32,
    response: Vec<u8>,
    /// `response` as the call read it to decide its outcome, until `sx_transaction_parse` of the same bytes
    /// takes it: a register parses the answer of a payment right after it, and reading it twice costs more
    /// than the rest of the call.
    parsed: Option<Transaction>,
}

thread_local! {
    static LAST: RefCell<LastCall> = const {
        RefCell::new(LastCall { error: String::new(), http_status: 0, response: Vec::new(), parsed: None })
    };
}

/// `try_with`: a call made while the thread is being torn down finds no state and does nothing.
fn with<R>(f: impl FnOnce(&mut LastCall) -> R) -> Option<R> {
    LAST.try_with(|last| f(&mut last.borrow_mut())).ok()
}

pub(crate) fn set_error(message: &str) {
    with(|last| {
        last.error.clear();
        // A NUL would cut the C string short.
        last.error.extend(message.chars().map(|c| if c == '\0' { ' ' } else { c }));
    });
}

#[cfg(test)]
pub(crate) fn error() -> String {
    with(|last| last.error.clone()).unwrap_or_default()
}

/// Starts a new exchange: nothing of an earlier answer may be mistaken for this one's.
pub(crate) fn begin_exchange() {
    with(|last| {
        last.http_status = 0;
        last.response = Vec::new();
        last.parsed = None;
    });
}

/// Keeps the answer of an exchange and, when the call read it as a transaction, that reading.
pub(crate) fn record_exchange(http_status: Option<u16>, body: Vec<u8>, parsed: Option<Transaction>) {
    with(|last| {
        last.http_status = http_status.map_or(0, i32::from);
        last.response = body;
        last.parsed = parsed;
    });
}

/// The reading of this thread's last answer, if `json` is that answer byte for byte and the reading was not
/// taken yet: what reading `json` gives, without reading it again.
pub(crate) fn take_parsed(json: &[u8]) -> Option<Transaction> {
    with(|last| match &last.parsed {
        Some(_) if last.response == json => last.parsed.take(),
        _ => None,
    })
    .flatten()
}

/// Frees what this thread holds.
pub(crate) fn clear() {
    with(|last| {
        last.error = String::new();
        last.http_status = 0;
        last.response = Vec::new();
        last.parsed = None;
    });
}

/// Copies this thread's last failure message into `buf` ("" after a success).
///
/// Read it right after the call that failed: the next call on the thread that returns `SX_OK` (a receipt
/// render, an accessor) clears it, and one that fails (a size query's `SX_ERR_BUFFER_TOO_SMALL`) replaces it.
///
/// Buffer rule: with `cap >= len + 1`, writes the message and a NUL, sets `*out_len = len`, returns `SX_OK`;
/// else sets `*out_len = len`, writes nothing and returns `SX_ERR_BUFFER_TOO_SMALL` (`buf` may be NULL when
/// `cap` is 0: a size query). `out_len` must not be NULL.
/// The message is UTF-8, names the HTTP status, the API's `error`, `error_details` and `supportId` where there
/// are any, and never contains the token. This function does not change the last error, whatever it returns.
/// Threads: any; each thread has its own last error.
///
/// # Safety
/// `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_last_error_message(buf: *mut c_char, cap: usize, out_len: *mut usize) -> sx_result {
    ffi_boundary!(quiet {
        let mut out = try_out_buf!(buf, cap, out_len);
        with(|last| out.write(last.error.as_bytes())).unwrap_or_else(|| out.write(b""))
    })
}

/// The HTTP status of this thread's last call that went to the network; 0 if no answer came (or no call yet).
/// When a client call failed because the token endpoint refused the credentials, it is that answer's status
/// (the call's own request was never sent), and sx_last_response is empty.
///
/// Threads: any; each thread has its own.
#[no_mangle]
pub extern "C" fn sx_last_http_status() -> i32 {
    ffi_boundary!(fallback = 0; { with(|last| last.http_status).unwrap_or(0) })
}

/// Copies the body of this thread's last answer, whatever its status, into `buf` ("" if no answer came).
/// This is how the answer to a payment is read after `SX_ERR_BUFFER_TOO_SMALL`, without sending it again.
///
/// Buffer rule as for `sx_last_error_message`. The body is kept until this thread's next network call or
/// `sx_shutdown`. It is the server's bytes: normally UTF-8 JSON, but not checked; a body can contain NUL bytes,
/// so use `*out_len`, not `strlen`. This function changes nothing, whatever it returns.
/// Threads: any; each thread has its own.
///
/// # Safety
/// `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_last_response(buf: *mut c_char, cap: usize, out_len: *mut usize) -> sx_result {
    ffi_boundary!(quiet {
        let mut out = try_out_buf!(buf, cap, out_len);
        with(|last| out.write(&last.response)).unwrap_or_else(|| out.write(b""))
    })
}
