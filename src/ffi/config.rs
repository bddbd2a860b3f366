//! The process-wide configuration and `sx_shutdown`.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, try_str};
use super::result::sx_result;
use super::{defaults, last_call};
use crate::http::Timeouts;

/// Sets the API base URL for every later call in the process, e.g. `https://connect.secucard.com`.
///
/// Default: the environment variable `SX_BASE_URL` read at first use, else
/// `https://connect-testing.secuconnect.com`. `https://` is accepted for any host; `http://` only for a
/// loopback host (127.0.0.0/8, ::1, localhost), so that a token never travels in clear text. Anything else,
/// or a URL with a user, query or fragment, gives `SX_ERR_INVALID_ARGUMENT` and changes nothing. The check
/// looks nothing up and connects nowhere. A trailing slash is ignored; a path prefix is kept.
/// Ownership: `url` is copied; the caller keeps it. Threads: any; calls under way finish with the old URL.
///
/// # Safety
/// `url` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn sx_set_base_url(url: *const c_char) -> sx_result {
    ffi_boundary!({ Ok(defaults::set_base_url(try_str!(url))?) })
}

/// Sets the timeouts of every later call in the process, in milliseconds. 0 for one of them means its built-in
/// default (10 s connect, 60 s total), not the environment variable's value: a value set by function always
/// replaces both the environment and earlier calls.
///
/// `connect_ms` bounds connecting (default 10000; env `SX_CONNECT_TIMEOUT_MS`); a call that times out there
/// gives `SX_ERR_CONNECT`: nothing was sent. `total_ms` bounds the whole call, answer included (default
/// 60000; env `SX_TIMEOUT_MS`); a call that times out after connecting gives `SX_ERR_OUTCOME_UNKNOWN`.
/// The next call opens new connections with these values. Threads: any; calls under way keep their values.
#[no_mangle]
pub extern "C" fn sx_set_timeouts(connect_ms: u32, total_ms: u32) -> sx_result {
    ffi_boundary!({
        defaults::set_timeouts(Timeouts::from_millis(connect_ms, total_ms));
        Ok(())
    })
}

/// Frees the global state before the library is unloaded (`dlclose`, `FreeLibrary`): the shared HTTP client,
/// its idle connections, the settings made with `sx_set_*`, and the calling thread's last error and response.
/// The library's one thread of its own, a host-name look-up (named `smartx-dns`, at most 4 at once), cannot be
/// stopped while the system resolver blocks in it: it ends when the resolver gives up (typically 5 to 30 s),
/// also after this call. IP literals and `localhost` are never looked up. Before unloading after a DNS failure,
/// wait that long, or until no thread named `smartx-dns` is left.
///
/// A later call sets the library up afresh (from the environment and the defaults). Other threads' last
/// error and response are freed when those threads end. Threads: any; a call under way on another thread
/// finishes normally, but unload the library only when no call is under way.
#[no_mangle]
pub extern "C" fn sx_shutdown() {
    ffi_boundary!(fallback = (); {
        defaults::shutdown();
        last_call::clear();
    })
}
