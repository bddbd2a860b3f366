//! `sx_client`: a configured, thread-safe client that gets and renews its own tokens, pairs the till, and
//! writes a scrubbed log through the register's callback.

use std::ffi::{c_char, c_void};
use std::path::Path;

use super::boundary::{
    ffi_boundary, free_handle, into_handle, ref_or, try_bytes, try_out, try_out_buf, try_ref, try_str, Failure,
};
use super::result::*;
use super::{last_call, start};
use crate::api;
use crate::auth::ClientId;
use crate::http::validate::visible_ascii;
use crate::http::{BaseUrl, Level, LogSink, ProxyUrl, Token, TransactionId};

/// Log levels of `sx_client_set_log`: a line of level `l` is written when `l <= max_level`.
pub const SX_LOG_ERROR: u32 = 1;
/// The reasons for renewals, repeats and failures.
pub const SX_LOG_WARN: u32 = 2;
/// One line per request: method, path, status, time taken.
pub const SX_LOG_INFO: u32 = 3;
pub const SX_LOG_DEBUG: u32 = 4;

/// Receives one log line: `level` is `SX_LOG_ERROR` to `SX_LOG_DEBUG`, `message` a NUL-terminated UTF-8 line
/// valid during the call only. Called on the thread that made the library call; it must not call into the
/// library. A message never holds a token, secret, refresh token, device code or full card number.
pub type sx_log_callback = Option<unsafe extern "C" fn(user_data: *mut c_void, level: u32, message: *const c_char)>;

/// Receives the code to show the merchant during `sx_client_pair`, once, on the pairing thread: the merchant
/// enters `user_code` at `verification_url` within `expires_in_s` seconds. The strings are valid during the
/// call only; it must not call into the library.
pub type sx_pair_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        user_code: *const c_char,
        verification_url: *const c_char,
        expires_in_s: u32,
    ),
>;

/// A client: its configuration, log and tokens. Opaque: made by `sx_client_new`, freed by `sx_client_free`.
///
/// Thread-safe: share one client between threads; every function may be called on it from any thread at once.
pub struct sx_client {
    pub(super) core: api::Client,
}

use super::strings::owned_c_string as c_string;

/// The register's log callback as a sink of the core.
struct CallbackSink {
    callback: unsafe extern "C" fn(*mut c_void, u32, *const c_char),
    user_data: *mut c_void,
}

// SAFETY: `sx_client_set_log`'s contract: the callback and `user_data` may be used from every thread that
// calls the client, at once.
unsafe impl Send for CallbackSink {}
// SAFETY: as for `Send`: the sink only passes `user_data` back to the callback.
unsafe impl Sync for CallbackSink {}

impl LogSink for CallbackSink {
    fn write(&self, level: Level, line: &str) {
        let line = c_string(line);
        // SAFETY: `sx_client_set_log`'s contract: a callable function; `line` is NUL-terminated and outlives
        // the call.
        unsafe { (self.callback)(self.user_data, level as u32, line.as_ptr()) }
    }
}

/// A credential argument: 1 to 4096 visible ASCII characters; the message names the argument, never the value.
fn credential<'a>(bytes: &'a [u8], what: &'static str) -> Result<&'a str, Failure> {
    Ok(visible_ascii(bytes, &format!("`{what}`"))?)
}

/// Makes a client and writes it to `*out`. Sends nothing.
///
/// `base_url`: `"testing"` (`https://connect-testing.secuconnect.com`) or `"live"` (`https://connect.secucard.com`)
/// name the two hosts; any other text is a URL checked as by `sx_set_base_url`; NULL means the environment
/// variable `SX_BASE_URL`, else testing. Invalid: `SX_ERR_INVALID_ARGUMENT`, `*out` untouched.
/// Defaults: 10 s connect, 60 s total, 5 minutes for calls that wait for a card terminal; the system's trusted
/// roots (Mozilla's where the system has none); no proxy (never one from the environment); no log; no token.
/// A call's timeout covers all of it, the token requests it makes included (see `sx_client_set_timeouts`).
/// Ownership: the caller owns `*out` and frees it with `sx_client_free`. Threads: any.
///
/// # Safety
/// `base_url` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_client_new(base_url: *const c_char, out: *mut *mut sx_client) -> sx_result {
    ffi_boundary!({
        let out = try_out!(out);
        let base = if base_url.is_null() { BaseUrl::from_env()? } else { BaseUrl::named(try_str!(base_url))? };
        out.write(into_handle(sx_client { core: api::Client::new(base) }));
        Ok(())
    })
}

/// Frees a client, its tokens and its connections; NULL does nothing.
///
/// Threads: call it once no other thread uses the client (no call, pairing or log callback under way). The log
/// callback is never called once it returned.
///
/// # Safety
/// `client` is NULL or came from `sx_client_new` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn sx_client_free(client: *mut sx_client) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the contract above: NULL or made by `sx_client_new`, freed once.
        unsafe { free_handle(client) }
    })
}

/// Sets the timeouts of the client's later calls, in milliseconds; 0 means the default of each.
///
/// `connect_ms` bounds connecting (default 10000; a timeout there is `SX_ERR_CONNECT`, nothing sent);
/// `total_ms` bounds a whole call, answer included (default 60000; a timeout after sending is
/// `SX_ERR_OUTCOME_UNKNOWN`); `terminal_ms` replaces `total_ms` for the calls that wait for a card terminal
/// (start cashless and cashless_direct, canceltrx, endOfDay, diagnosis; default 300000).
///
/// The deadline rule: a call ends within its timeout from its start, whatever it sends on the way: the token
/// requests (a renewal, or waiting for another thread's renewal), its own request and the one repeat after a
/// refused token all share it; each request gets the time left, and connecting the connect timeout or the time
/// left, whichever is shorter. A token request ends within `total_ms` at most, also in a call that waits for a
/// terminal. When the time runs out before the call's own request was sent (a slow or silent token endpoint),
/// the call fails with `SX_ERR_CONNECT` and a message saying that it was not sent: safe to try again.
/// Threads: any; calls under way keep their values, later calls open new connections.
///
/// # Safety
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn sx_client_set_timeouts(
    client: *mut sx_client,
    connect_ms: u32,
    total_ms: u32,
    terminal_ms: u32,
) -> sx_result {
    ffi_boundary!({
        try_ref!(client).core.set_timeouts(connect_ms, total_ms, terminal_ms);
        Ok(())
    })
}

/// Trusts the CA certificates of a PEM file on top of the roots (a private CA of a test system or a proxy).
///
/// The file is read and checked now: a missing or unreadable file, bad PEM, or a file with no certificate is
/// `SX_ERR_INVALID_ARGUMENT`, and nothing changes. May be called more than once; the certificates add up.
/// Ownership: the path is read during the call only; the certificates are copied. Threads: any; later calls
/// use the new roots.
///
/// # Safety
/// `client` is NULL or a live client; `pem_path` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_client_add_ca_file(client: *mut sx_client, pem_path: *const c_char) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let path = try_str!(pem_path);
        client.core.add_ca_file(Path::new(path))?;
        Ok(())
    })
}

/// Sends the client's later calls through an HTTP CONNECT proxy, `http://host:port` (no user name, path or
/// query); NULL removes the proxy. The proxy sees the host and port of each call; the calls themselves go
/// through the tunnel, with TLS to the API host. Never taken from the environment (`HTTPS_PROXY` is ignored).
/// Invalid: `SX_ERR_INVALID_ARGUMENT`, nothing changes. A proxy that cannot be reached makes calls fail with
/// `SX_ERR_CONNECT`. Threads: any; calls under way keep their way.
///
/// # Safety
/// `client` is NULL or a live client; `proxy_url` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_client_set_proxy(client: *mut sx_client, proxy_url: *const c_char) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let proxy = if proxy_url.is_null() { None } else { Some(ProxyUrl::parse(try_str!(proxy_url))?) };
        client.core.set_proxy(proxy);
        Ok(())
    })
}

/// Sends the client's log lines of level `max_level` and below to `callback` (`SX_LOG_ERROR` 1 to
/// `SX_LOG_DEBUG` 4; 0 or a NULL callback: no log). More than 4: `SX_ERR_INVALID_ARGUMENT`.
///
/// At `SX_LOG_INFO` one line per request (method, path, status or failure, time taken); at `SX_LOG_WARN` the
/// reasons for renewals and repeats; at `SX_LOG_ERROR` failures. No line ever holds a token, client secret,
/// refresh token or device code, nor any piece of one of 6 characters or more, and card numbers are masked to
/// their last four digits, at every level.
///
/// Changing the log: once `sx_client_set_log` (or `sx_client_free`) returns, the earlier callback is never
/// called again, also not by calls under way on other threads (their later lines go to the new callback): it
/// waits for lines being written to the earlier callback on other threads, so that the earlier `user_data` may
/// be freed as soon as it returns. Called from inside the log callback it would wait for itself: it returns
/// `SX_ERR_INVALID_ARGUMENT` there and changes nothing.
/// Ownership: `user_data` is passed back as it is; the library never frees it. Threads: the callback is called
/// on the thread that makes a call, possibly on several threads at once; it must not call into the library
/// (`sx_client_set_log` from inside it is refused, see above).
///
/// # Safety
/// `client` is NULL or a live client; `callback` is NULL or a function that may be called with `user_data`
/// from any thread at once until the client is freed or the log is changed.
#[no_mangle]
pub unsafe extern "C" fn sx_client_set_log(
    client: *mut sx_client,
    callback: sx_log_callback,
    user_data: *mut c_void,
    max_level: u32,
) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let level = match max_level {
            0 => None,
            SX_LOG_ERROR => Some(Level::Error),
            SX_LOG_WARN => Some(Level::Warn),
            SX_LOG_INFO => Some(Level::Info),
            SX_LOG_DEBUG => Some(Level::Debug),
            other => return Err(Failure::invalid(format!("`max_level` is {other}; it is 0 to 4 (SX_LOG_DEBUG)"))),
        };
        let sink = callback.map(|callback| Box::new(CallbackSink { callback, user_data }) as Box<dyn LogSink>);
        client.core.set_log(sink, level)?;
        Ok(())
    })
}

/// Uses a token the register got elsewhere for the client's later calls. It is never renewed: a call it is
/// refused for fails with `SX_ERR_UNAUTHORIZED` and is not repeated. 1 to 4096 visible ASCII characters, else
/// `SX_ERR_INVALID_ARGUMENT`. Replaces earlier credentials and tokens. Ownership: copied. Threads: any.
///
/// # Safety
/// `client` is NULL or a live client; `access_token` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_client_use_token(client: *mut sx_client, access_token: *const c_char) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        client.core.use_token(Token::parse(try_bytes!(access_token))?);
        Ok(())
    })
}

/// Gets tokens with the `client_credentials` grant, at the first call and whenever one is due: kept in
/// memory, renewed `expires_in - 10` s after issue (with the refresh token first if one came with it), and
/// after a refusal of the token (HTTP 401, or 403 with code 2003) renewed and the call sent once more. A token
/// answer without `expires_in` (it is optional in OAuth), or with one that is not 0 to 86400 seconds, gets a
/// lifetime of 5 minutes: renewed early rather than refused. A 401 from the token endpoint is
/// `SX_ERR_UNAUTHORIZED` whatever its body. When no token can be got, the call is not sent; its message says so. Both
/// 1 to 4096 visible ASCII characters. Sends nothing now. Replaces earlier credentials and tokens.
/// When the refresh is refused, the client credentials get the token for the same call; when it fails
/// otherwise (a 5xx, an answer that is not OAuth's, no answer in time), that call fails, the refresh token is
/// dropped, and the next call gets its token with the client credentials.
/// Ownership: copied. Threads: any; one thread renews at a time while the others wait for its token, each no
/// longer than its own call's timeout; when the renewal fails, the threads that waited for it fail with it.
///
/// # Safety
/// `client` is NULL or a live client; `client_id` and `client_secret` are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_client_use_client_credentials(
    client: *mut sx_client,
    client_id: *const c_char,
    client_secret: *const c_char,
) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let id = credential(try_bytes!(client_id), "client_id")?.to_owned();
        let secret = credential(try_bytes!(client_secret), "client_secret")?.to_owned();
        client.core.use_client_credentials(ClientId { id, secret });
        Ok(())
    })
}

/// Gets tokens with a refresh token kept from an earlier pairing (`sx_client_refresh_token`), at the first
/// call and whenever one is due, as for `sx_client_use_client_credentials`. When the refresh token is refused
/// or has expired, calls fail with `SX_ERR_EXPIRED`: pair again. A refresh that fails otherwise (a 5xx, an
/// answer that is not OAuth's, no answer in time) fails that call and keeps the refresh token for the next one:
/// there is no other way to a token here. Sends nothing now. Ownership: copied. Threads: any.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_client_use_refresh_token(
    client: *mut sx_client,
    client_id: *const c_char,
    client_secret: *const c_char,
    refresh_token: *const c_char,
) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let id = credential(try_bytes!(client_id), "client_id")?.to_owned();
        let secret = credential(try_bytes!(client_secret), "client_secret")?.to_owned();
        let refresh = credential(try_bytes!(refresh_token), "refresh_token")?;
        client.core.use_refresh_token(ClientId { id, secret }, refresh);
        Ok(())
    })
}

/// Pairs the till with the merchant's account (the device flow) and blocks until the merchant confirms
/// (`SX_OK`: the client now holds the tokens and renews them with the refresh token; keep that one with
/// `sx_client_refresh_token` for the next start), the code expires (`SX_ERR_EXPIRED`), `sx_client_cancel` is
/// called from another thread (`SX_ERR_CANCELLED`, within a second), the merchant refuses
/// (`SX_ERR_UNAUTHORIZED`) or a request fails (its own code).
///
/// `on_code` receives the code to show the merchant, once, before the polling starts. Polls every `interval`
/// seconds the server names, but never more than once a second (an interval under 1 s, 0 included, is 1 s; a
/// missing or negative one is RFC 8628's 5 s); `authorization_pending` keeps polling, `slow_down` adds 5 s.
/// Each request of the pairing has the total timeout; a cancel also ends a poll that waits for its answer. `client_id`,
/// `client_secret` and `device_uuid` (e.g. "/vendor/acme/cashier/till-7") are 1 to 4096 visible ASCII
/// characters. Ownership: the strings are read during the call; `user_data` is passed to `on_code` as it is.
/// Threads: any; other calls on the client go on meanwhile.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or NUL-terminated; `on_code` is NULL or a function
/// that may be called with `user_data` on this thread.
#[no_mangle]
pub unsafe extern "C" fn sx_client_pair(
    client: *mut sx_client,
    client_id: *const c_char,
    client_secret: *const c_char,
    device_uuid: *const c_char,
    on_code: sx_pair_callback,
    user_data: *mut c_void,
) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let id = credential(try_bytes!(client_id), "client_id")?.to_owned();
        let secret = credential(try_bytes!(client_secret), "client_secret")?.to_owned();
        let uuid = credential(try_bytes!(device_uuid), "device_uuid")?;
        let Some(on_code) = on_code else { return Err(Failure::null("on_code")) };
        let mut show = |code: &crate::auth::DeviceCode| {
            let user_code = c_string(&code.user_code);
            let url = c_string(&code.verification_url);
            let expires_in = u32::try_from(code.expires_in.as_secs()).unwrap_or(u32::MAX);
            // SAFETY: the contract above: a callable function; the strings are NUL-terminated and outlive the
            // call.
            unsafe { on_code(user_data, user_code.as_ptr(), url.as_ptr(), expires_in) }
        };
        client.core.pair(ClientId { id, secret }, uuid, &mut show)?;
        Ok(())
    })
}

/// Gets the client ready for a payment, so that the payment itself costs one round trip: call it when the
/// cashier starts a sale (the first item scanned, or the "total" key), while the customer is still busy.
///
/// It renews the token now if it would be due within the next 5 minutes (at most halfway through its life),
/// then makes a connection to the API ready: looks the host up, connects and completes TLS, or finds the pooled
/// connection still open. A server closes idle connections after seconds, and a payment after an idle gap would
/// otherwise pay the look-up, TCP, TLS and a renewal before its own request.
///
/// It sends no API request and changes nothing. It returns within the connect timeout (`sx_client_set_timeouts`).
/// Called again while the token and the connection are fresh, it sends nothing and costs microseconds (a
/// probe of the pooled connection): call it as often as convenient. Results: `SX_OK`; `SX_ERR_CONNECT` (no
/// connection, or the token endpoint unreachable or its answer lost); `SX_ERR_TLS`; `SX_ERR_UNAUTHORIZED`
/// (no credentials, or credentials refused), `SX_ERR_EXPIRED` (pair again), as the calls would. Whatever it
/// returns, the next call works as without it. Sets the last error, not the last HTTP status or response.
/// Threads: any, also while other calls of the client are under way (it readies one more pooled connection).
///
/// # Safety
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn sx_client_prepare(client: *mut sx_client) -> sx_result {
    ffi_boundary!({
        try_ref!(client).core.prepare()?;
        Ok(())
    })
}

/// Ends the `sx_client_pair` calls under way on this client, from any thread: they return `SX_ERR_CANCELLED`
/// within a second, also while a poll waits for its answer (on Windows such a poll runs to its timeout first).
/// A pairing started later is not affected. NULL does nothing.
///
/// # Safety
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn sx_client_cancel(client: *mut sx_client) {
    ffi_boundary!(fallback = (); {
        ref_or!(client).core.cancel();
    })
}

/// The client's refresh token (from pairing, or given), to store and give back with
/// `sx_client_use_refresh_token` the next morning. Written by the buffer rule; "" (length 0) when the client
/// holds none. It is a secret: store it as one. Threads: any; returns at once, also while a renewal is on the
/// wire.
///
/// # Safety
/// `client` is NULL or a live client; `buf` is NULL or writable for `cap` bytes; `out_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_client_refresh_token(
    client: *const sx_client,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let mut out = try_out_buf!(buf, cap, out_len);
        out.write(client.core.refresh_token().unwrap_or_default().as_bytes())
    })
}

/// `sx_start_cash` with the client's configuration and token: registers a payment the register took itself
/// for the Smart Transaction `id`. The answer, the result codes and the buffer rule are those of
/// `sx_start_cash`. A refused token (HTTP 401, or 403 with code 2003: not executed) is renewed and the call sent
/// once more, unless the token is fixed; nothing else is ever repeated. Threads: any, at once; the last error,
/// status and response are per thread.
///
/// # Safety
/// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out_buf` is NULL or writable for
/// `out_cap` bytes; `out_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_client_start_cash(
    client: *mut sx_client,
    id: *const c_char,
    out_buf: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let mut out = try_out_buf!(out_buf, out_cap, out_len);
        out.set_len(0);
        let id = TransactionId::parse(try_str!(id))?;
        start::copy_answer_to_buffer(api::start(&client.core, id, api::PaymentMethod::CASH), &mut out)
    })
}
