//! `sx_start_cash`: registers a payment the register took itself.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, try_bytes, try_out_buf, try_str, Failure, OutBuf};
use super::result::*;
use super::{defaults, last_call};
use crate::api::{self, PaymentMethod};
use crate::http::{Answer, Token, TransactionId};

/// Registers a payment the register took itself (cash, its own card terminal) for the Smart Transaction `id`,
/// so that a loyalty card's balance is applied to the rest: `POST {base}/api/v2/Smart/Transactions/{id}/start/cash`
/// with `Authorization: Bearer {token}` and `Authenticate: Bearer {token}`.
///
/// Arguments are checked before anything is sent: `id` is 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case;
/// `token` is 1 to 4096 visible ASCII characters (no space, CR or LF); `out_len` must not be NULL; `out_buf` may
/// be NULL only
/// with `out_cap` 0. Otherwise `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`, and nothing is sent.
///
/// The answer: whenever one arrives (any HTTP status), its body is kept as this thread's last response
/// (`sx_last_response`) and `*out_len` is set to its length (0 when no answer came). It is copied into
/// `out_buf` with a NUL when it fits (`out_cap >= *out_len + 1`). `SX_OK` means HTTP 2xx, an answer about
/// transaction `id` (its `"id"` a string equal to `id`) and `"status":"ok"`: paid; print the receipt
/// (`sx_transaction_parse`). An answer about another transaction, or with no `"id"` string, is
/// `SX_ERR_BAD_RESPONSE`: it is another request's answer, and this payment may have been made: read the
/// transaction back, do not pay again. `SX_ERR_BUFFER_TOO_SMALL` means the same success with an
/// answer that did not fit: read it with `sx_last_response`, never by calling again. Every other code is as
/// in the table of result codes; for them the body, if any, is still copied when it fits.
///
/// Never repeated automatically: after `SX_ERR_OUTCOME_UNKNOWN` the payment may have been registered; read
/// the transaction back before trying again. Reading back needs a client: `sx_client_new`, `sx_client_use_token`
/// with the same token, then the loop of `sx_transaction_check`. Redirects are never followed; answers over 16 MiB are not read.
/// The call blocks the calling thread for at most the total timeout (`sx_set_timeouts`).
/// Ownership: the strings are read during the call only; the caller owns `out_buf`.
/// Threads: any, at once; connections are shared; the last error, status and response are per thread.
///
/// # Safety
/// `id` and `token` are NULL or NUL-terminated; `out_buf` is NULL or writable for `out_cap` bytes;
/// `out_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_start_cash(
    id: *const c_char,
    token: *const c_char,
    out_buf: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let mut out = try_out_buf!(out_buf, out_cap, out_len);
        out.set_len(0);
        let id = TransactionId::parse(try_str!(id))?;
        let token = Token::parse(try_bytes!(token))?;
        let client = defaults::client()?;
        client.use_token(token);
        copy_answer_to_buffer(api::start(&client, id, PaymentMethod::CASH), &mut out)
    })
}

/// Writes the answer of a payment call into the caller's buffer if it fits and keeps it as this thread's last
/// response either way; whether it fitted matters only on success.
pub(super) fn copy_answer_to_buffer(exchange: Answer, out: &mut OutBuf) -> Result<(), Failure> {
    let written = out.write(&exchange.body);
    let len = exchange.body.len();
    last_call::record_exchange(exchange.http_status, exchange.body, exchange.transaction);
    exchange.result?;
    if written.is_err() {
        return Err(Failure::new(
            SX_ERR_BUFFER_TOO_SMALL,
            format!(
                "the payment was registered (HTTP 200, status ok), but its answer of {len} bytes does not fit \
                 the buffer of {} bytes: read it with sx_last_response; do not call again",
                out.capacity()
            ),
        ));
    }
    Ok(())
}
