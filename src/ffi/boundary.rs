//! The one way an exported function is written: its body runs inside [`ffi_boundary!`], and every pointer it
//! receives goes through one of the helpers below (`try_ref!`, `try_str!`, `try_slice!`, `try_out!`,
//! [`OutBuf`]), so that NULL checks, UTF-8 checks, the buffer rule and panic catching look the same everywhere.
//!
//! ```ignore
//! #[no_mangle]
//! pub unsafe extern "C" fn sx_receipt_count(tx: *const sx_transaction, which: u32) -> usize {
//!     ffi_boundary!(fallback = 0; { ... })
//! }
//! ```
//!
//! The functions stay plain `extern "C"` items (the macro wraps only the body) so that cbindgen, which does not
//! expand macros, sees every one of them.

use std::borrow::Cow;
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::last_call;
use super::result::*;
use crate::http::{Error, ErrorKind};

/// A failed call as C sees it: its code and the message kept for `sx_last_error_message`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: sx_result,
    pub(crate) message: Cow<'static, str>,
}

impl Failure {
    pub(crate) fn new(code: sx_result, message: impl Into<Cow<'static, str>>) -> Failure {
        Failure { code, message: message.into() }
    }

    pub(crate) fn null(what: &'static str) -> Failure {
        Failure::new(SX_ERR_NULL_ARGUMENT, format!("`{what}` is NULL"))
    }

    pub(crate) fn invalid(message: impl Into<Cow<'static, str>>) -> Failure {
        Failure::new(SX_ERR_INVALID_ARGUMENT, message)
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
            ErrorKind::Cancelled => SX_ERR_CANCELLED,
            ErrorKind::Expired => SX_ERR_EXPIRED,
            ErrorKind::Journal => SX_ERR_JOURNAL,
        };
        Failure::new(code, e.message)
    }
}

/// Runs the body of an exported function inside a panic boundary.
///
/// - `ffi_boundary!({ body })`: the body returns `Result<(), Failure>`; the function returns `sx_result`. A
///   failure's message becomes this thread's last error, success clears it, a panic gives `SX_ERR_PANIC`.
/// - `ffi_boundary!(quiet { body })`: the same, but the last error is left as it is (the getters of the last
///   call, so that reading the message with too small a buffer does not replace it).
/// - `ffi_boundary!(fallback = value; { body })`: the body returns the function's value; a panic gives `value`.
///
/// The panic message names the exported function, taken from the code, never typed by hand.
macro_rules! ffi_boundary {
    (quiet $body:block) => {
        $crate::ffi::boundary::run_quiet(|| $body)
    };
    (fallback = $fallback:expr; $body:block) => {{
        fn here() {}
        $crate::ffi::boundary::run_value(std::any::type_name_of_val(&here), $fallback, || $body)
    }};
    ($body:block) => {{
        fn here() {}
        $crate::ffi::boundary::run(std::any::type_name_of_val(&here), || $body)
    }};
}

/// `&T` from a `*const T` argument; NULL returns `SX_ERR_NULL_ARGUMENT` naming the argument.
/// The enclosing function's safety contract says the pointer is NULL or valid for reads for the call.
macro_rules! try_ref {
    ($ptr:ident) => {{
        // SAFETY: the exported function's contract: `$ptr` is NULL or points to a live, aligned value that
        // nobody mutates during the call.
        match unsafe { $ptr.as_ref() } {
            Some(reference) => reference,
            None => return Err($crate::ffi::boundary::Failure::null(stringify!($ptr))),
        }
    }};
}

/// `&T` from a pointer argument that may be NULL by contract (a getter): NULL returns `$fallback` from the body
/// of `ffi_boundary!(fallback = ...; { body })`, as rustls-ffi's `NullParameterOrDefault` does; `ref_or!(ptr)`
/// returns nothing, for a function that returns nothing. The enclosing
/// function's safety contract says the pointer is NULL or valid for reads for the call.
macro_rules! ref_or {
    ($ptr:ident) => {
        $crate::ffi::boundary::ref_or!($ptr, {})
    };
    ($ptr:ident, $fallback:expr) => {{
        // SAFETY: the exported function's contract: `$ptr` is NULL or points to a live, aligned value that
        // nobody mutates during the call.
        match unsafe { $ptr.as_ref() } {
            Some(reference) => reference,
            None => return $fallback,
        }
    }};
}

/// `&mut T` from a `*mut T` argument (a handle the call changes, e.g. a basket); NULL returns
/// `SX_ERR_NULL_ARGUMENT` naming the argument.
macro_rules! try_mut {
    ($ptr:ident) => {{
        // SAFETY: the exported function's contract: `$ptr` is NULL or points to a live, aligned value that
        // nothing else reads or writes during the call.
        match unsafe { $ptr.as_mut() } {
            Some(reference) => reference,
            None => return Err($crate::ffi::boundary::Failure::null(stringify!($ptr))),
        }
    }};
}

/// A NUL-terminated UTF-8 string argument that may be NULL: `None` then; bad UTF-8 `SX_ERR_INVALID_ARGUMENT`.
macro_rules! try_opt_str {
    ($ptr:ident) => {
        if $ptr.is_null() {
            None
        } else {
            Some($crate::ffi::boundary::try_str!($ptr))
        }
    };
}

/// The bytes of a NUL-terminated string argument (without the NUL); NULL returns `SX_ERR_NULL_ARGUMENT`.
macro_rules! try_bytes {
    ($ptr:ident) => {{
        if $ptr.is_null() {
            return Err($crate::ffi::boundary::Failure::null(stringify!($ptr)));
        }
        // SAFETY: not NULL (checked above); the exported function's contract: a NUL-terminated string that
        // stays valid and unchanged during the call.
        unsafe { std::ffi::CStr::from_ptr($ptr) }.to_bytes()
    }};
}

/// A NUL-terminated UTF-8 string argument; NULL gives `SX_ERR_NULL_ARGUMENT`, bad UTF-8
/// `SX_ERR_INVALID_ARGUMENT`, both naming the argument.
macro_rules! try_str {
    ($ptr:ident) => {
        $crate::ffi::boundary::utf8($crate::ffi::boundary::try_bytes!($ptr), stringify!($ptr))?
    };
}

/// `&[u8]` from a pointer and a length; a NULL pointer returns `SX_ERR_NULL_ARGUMENT` (also with length 0).
macro_rules! try_slice {
    ($ptr:ident, $len:expr) => {{
        if $ptr.is_null() {
            return Err($crate::ffi::boundary::Failure::null(stringify!($ptr)));
        }
        // SAFETY: not NULL (checked above); the exported function's contract: readable for `$len` bytes that
        // stay unchanged during the call.
        unsafe { std::slice::from_raw_parts($ptr.cast::<u8>(), $len) }
    }};
}

/// An out-pointer argument (`T *out`) as `&mut MaybeUninit<T>`, so that it can be written without reading
/// what the caller left there; NULL returns `SX_ERR_NULL_ARGUMENT`.
macro_rules! try_out {
    ($ptr:ident) => {{
        // SAFETY: the exported function's contract: `$ptr` is NULL or aligned and writable for one `T`;
        // `MaybeUninit` makes no claim about what it holds now.
        match unsafe { $ptr.cast::<std::mem::MaybeUninit<_>>().as_mut() } {
            Some(out) => out,
            None => return Err($crate::ffi::boundary::Failure::null(stringify!($ptr))),
        }
    }};
}

/// The `(char *buf, size_t cap, size_t *out_len)` of a string out, checked at the start of a call.
macro_rules! try_out_buf {
    ($buf:ident, $cap:ident, $out_len:ident) => {{
        let out_len = $crate::ffi::boundary::try_out!($out_len);
        if $buf.is_null() && $cap > 0 {
            return Err($crate::ffi::boundary::Failure::null(stringify!($buf)));
        }
        let buf = if $buf.is_null() {
            &mut []
        } else {
            // SAFETY: not NULL (checked above); the exported function's contract: writable for `$cap` bytes
            // during the call. `MaybeUninit<u8>`: the caller's buffer need not be initialised.
            unsafe { std::slice::from_raw_parts_mut($buf.cast::<std::mem::MaybeUninit<u8>>(), $cap) }
        };
        $crate::ffi::boundary::OutBuf::new(buf, out_len)
    }};
}

pub(crate) use {
    ffi_boundary, ref_or, try_bytes, try_mut, try_opt_str, try_out, try_out_buf, try_ref, try_slice, try_str,
};

/// A checked string-out destination. [`OutBuf::write`] applies the one buffer rule: with room for the bytes
/// and a NUL, write both and set `*out_len` to the length; else set `*out_len`, write nothing and fail with
/// `SX_ERR_BUFFER_TOO_SMALL`. A capacity of 0 with a NULL buffer is a size query.
pub(crate) struct OutBuf<'a> {
    buf: &'a mut [MaybeUninit<u8>],
    out_len: &'a mut MaybeUninit<usize>,
}

impl<'a> OutBuf<'a> {
    pub(crate) fn new(buf: &'a mut [MaybeUninit<u8>], out_len: &'a mut MaybeUninit<usize>) -> OutBuf<'a> {
        OutBuf { buf, out_len }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Sets `*out_len` without writing bytes: the length of an answer that did not come.
    pub(crate) fn set_len(&mut self, len: usize) {
        self.out_len.write(len);
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.out_len.write(bytes.len());
        let Some(room) = self.buf.get_mut(..=bytes.len()) else {
            return Err(Failure::new(
                SX_ERR_BUFFER_TOO_SMALL,
                format!("the buffer holds {} bytes; {} are needed with the NUL", self.buf.len(), bytes.len() + 1),
            ));
        };
        let (text, nul) = room.split_at_mut(bytes.len());
        for (slot, byte) in text.iter_mut().zip(bytes) {
            slot.write(*byte);
        }
        nul[0].write(0);
        Ok(())
    }
}

/// A string argument checked as UTF-8.
pub(crate) fn utf8<'a>(bytes: &'a [u8], what: &'static str) -> Result<&'a str, Failure> {
    std::str::from_utf8(bytes)
        .map_err(|e| Failure::invalid(format!("`{what}` is not valid UTF-8 (at byte {})", e.valid_up_to())))
}

/// A new handle for C: the caller owns it until it hands it to the matching `_free`.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Frees a handle made by [`into_handle`]; NULL does nothing.
///
/// # Safety
/// `handle` is NULL or came from [`into_handle`] for the same `T` and is not used again.
pub(crate) unsafe fn free_handle<T>(handle: *mut T) {
    if !handle.is_null() {
        // SAFETY: the caller's contract: made by `into_handle` (a `Box<T>`), freed once.
        drop(unsafe { Box::from_raw(handle) });
    }
}

pub(crate) fn run(function: &'static str, body: impl FnOnce() -> Result<(), Failure>) -> sx_result {
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
            last_call::set_error(&panic_message(function));
            SX_ERR_PANIC
        }
    }
}

pub(crate) fn run_quiet(body: impl FnOnce() -> Result<(), Failure>) -> sx_result {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => SX_OK,
        Ok(Err(failure)) => failure.code,
        Err(_) => SX_ERR_PANIC,
    }
}

pub(crate) fn run_value<T>(function: &'static str, fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        last_call::set_error(&panic_message(function));
        fallback
    })
}

/// `smartx::ffi::start::sx_start_cash::here` -> `sx_start_cash`.
fn function_name(path: &str) -> &str {
    path.rsplit("::").find(|part| *part != "here" && !part.starts_with('{')).unwrap_or(path)
}

fn panic_message(path: &str) -> String {
    format!("internal error (a panic) in {}; the process goes on; please report this", function_name(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{c_char, CStr};

    #[test]
    fn a_panic_becomes_sx_err_panic_with_the_functions_name() {
        fn sx_probe() -> sx_result {
            ffi_boundary!({ panic!("boom") })
        }
        assert_eq!(sx_probe(), SX_ERR_PANIC);
        let message = last_call::error();
        assert!(message.contains("in sx_probe;"), "{message}");
        fn sx_probe_value() -> usize {
            ffi_boundary!(fallback = 7; { panic!("boom") })
        }
        assert_eq!(sx_probe_value(), 7);
        assert_eq!(ffi_boundary!(quiet { panic!("boom") }), SX_ERR_PANIC);
    }

    /// The rule, through the macro as the exported functions use it.
    unsafe fn write_out(bytes: &[u8], buf: *mut c_char, cap: usize, out_len: *mut usize) -> sx_result {
        ffi_boundary!({ try_out_buf!(buf, cap, out_len).write(bytes) })
    }

    #[test]
    fn the_buffer_rule() {
        let mut len = 99usize;
        let mut buf = [b'#' as c_char; 4];
        // SAFETY: valid buffers of the stated sizes, or NULL where the test says so.
        unsafe {
            assert_eq!(write_out(b"abc", std::ptr::null_mut(), 0, &mut len), SX_ERR_BUFFER_TOO_SMALL);
            assert_eq!(len, 3);
            assert_eq!(write_out(b"abcd", buf.as_mut_ptr(), 4, &mut len), SX_ERR_BUFFER_TOO_SMALL);
            assert_eq!((len, buf[0] as u8), (4, b'#'));
            assert_eq!(write_out(b"abc", buf.as_mut_ptr(), 4, &mut len), SX_OK);
            assert_eq!(CStr::from_ptr(buf.as_ptr()).to_bytes(), b"abc");
            assert_eq!(write_out(b"", buf.as_mut_ptr(), 4, std::ptr::null_mut()), SX_ERR_NULL_ARGUMENT);
            assert_eq!(write_out(b"", std::ptr::null_mut(), 1, &mut len), SX_ERR_NULL_ARGUMENT);
            assert_eq!(write_out(b"", buf.as_mut_ptr(), 1, &mut len), SX_OK);
            assert_eq!((len, buf[0] as u8), (0, 0));
        }
    }

    #[test]
    fn names_come_from_the_path() {
        assert_eq!(function_name("smartx::ffi::start::sx_start_cash::here"), "sx_start_cash");
        assert_eq!(function_name("smartx::ffi::x::sx_y::{{closure}}::here"), "sx_y");
    }
}
