//! `sx_last_*`: this thread's last failure message, HTTP status and answer body, as the calls left them
//! (`last_call.rs`).

use std::ffi::c_char;

use super::boundary::{ffi_boundary, try_out_buf};
use super::last_call::with;
use super::result::sx_result;

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
