//! The transaction lifecycle on an `sx_client`: create, read, start, cancel, abort and check.
//!
//! Common to every function here: the call is checked before anything is sent (`id` 1 to 128 of
//! `A-Z a-z 0-9 _ -`, `method` 1 to 32 of `a-z _`; otherwise `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`
//! and nothing sent). Whenever an answer arrives its body is this thread's last response (`sx_last_response`,
//! `sx_last_http_status`), as for `sx_start_cash`. `*out` receives a new transaction the caller owns (free it
//! with `sx_transaction_free`) on `SX_OK`, and for `sx_transaction_start` also on `SX_ERR_NOT_OK`; otherwise it
//! is left as it was: set `tx = NULL` before and call `sx_transaction_free(tx)` after, whatever the result.
//! Nothing is ever repeated by the library, except a call the server refused unexecuted for its token (401,
//! 403 code 2003), which the client sends once more with a new token.
//! Threads: any, at once, on one shared client; the last error, status and response are per thread.

use std::ffi::c_char;
use std::mem::MaybeUninit;

use super::basket::sx_basket;
use super::boundary::{ffi_boundary, into_handle, try_out, try_ref, try_str, Failure};
use super::client::sx_client;
use super::last_call;
use super::result::*;
use super::transaction::sx_transaction;
use crate::api::{self, Answer, PaymentMethod, Verdict};
use crate::client::{ErrorKind, TransactionId};

/// `sx_transaction_check`: the status is none the library knows. Do not start again; ask a person.
pub const SX_VERDICT_UNKNOWN: u32 = 0;
/// `sx_transaction_check`: paid (status `ok` or a later state). Print the receipt; do not start again.
pub const SX_VERDICT_PAID: u32 = 1;
/// `sx_transaction_check`: not paid. `created`: the start never ran, starting again is safe; `aborted`,
/// `failed`, `cancelled`/`canceled`, `timeout`: this transaction is over, create a new one to sell again.
pub const SX_VERDICT_NOT_PAID: u32 = 2;
/// `sx_transaction_check`: the terminal is still at it (`processing`, `pending`, `approved`): wait, check again.
pub const SX_VERDICT_IN_PROGRESS: u32 = 3;

/// Keeps the answer as this thread's last response, and writes the transaction to `*out` on success (and,
/// with `declined_too`, for a transaction that came back not `ok`, whose receipt must be printed too).
fn deliver(answer: Answer, out: &mut MaybeUninit<*mut sx_transaction>, declined_too: bool) -> Result<(), Failure> {
    let Answer { http_status, body, transaction, result } = answer;
    last_call::record_exchange(http_status, body);
    let deliverable = match &result {
        Ok(()) => true,
        Err(e) => declined_too && e.kind == ErrorKind::NotOk,
    };
    match transaction {
        Some(transaction) if deliverable => {
            out.write(into_handle(sx_transaction::new(transaction)));
        }
        None if result.is_ok() => {
            return Err(Failure::new(SX_ERR_BAD_RESPONSE, "the answer held no transaction"));
        }
        _ => {}
    }
    result.map_err(Failure::from)
}

/// Creates a Smart Transaction from the basket: `POST /api/v2/Smart/Transactions` (status `created`).
///
/// The basket's sum is computed first: an overflow or a negative total is `SX_ERR_INVALID_ARGUMENT` and
/// nothing is sent. `SX_OK` on HTTP 2xx with a transaction; keep its id (`sx_transaction_id`) for the start.
/// After `SX_ERR_OUTCOME_UNKNOWN` a transaction may have been created unseen: it stays `created` and is never
/// paid, so creating another one is safe. `basket` is read during the call only and stays the caller's.
/// Blocks for at most the total timeout.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
/// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
/// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
///
/// # Safety
/// `client` and `basket` are NULL or live handles; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_create(
    client: *mut sx_client,
    basket: *const sx_basket,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let basket = try_ref!(basket);
        let out = try_out!(out);
        deliver(api::create(&client.core, basket.core()), out, false)
    })
}

/// Reads a transaction: `GET /api/v2/Smart/Transactions/{id}`. `SX_OK` on HTTP 2xx with a transaction,
/// whatever its status. Blocks for at most the total timeout.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
/// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
/// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_get(
    client: *mut sx_client,
    id: *const c_char,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = TransactionId::parse(try_str!(id))?;
        let out = try_out!(out);
        deliver(api::get(&client.core, id), out, false)
    })
}

/// Pays transaction `id` with `method` (`cash`, `cashless`, `debit`, `invoice`, `loyalty`, `prepaid`,
/// `ccload`, ...): `POST /api/v2/Smart/Transactions/{id}/start/{method}`.
///
/// `SX_OK` like `sx_start_cash`: HTTP 2xx and status `ok`, paid; print the receipt. `SX_ERR_NOT_OK`: the
/// transaction came back otherwise (a declined card: `failed`); `*out` is written then too, and its receipt
/// must be printed as well. A second start of the same transaction is refused by the API (`SX_ERR_API`).
/// `cashless`, `cashless_direct`, `debit`, `ccload` and `auto` wait for the card terminal: they block for at
/// most the client's terminal timeout, the others for the total timeout.
///
/// Never repeated. After `SX_ERR_OUTCOME_UNKNOWN` the payment may have been made: run the loop of
/// `sx_transaction_check` before starting again.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, `method` 1 to 32 of
/// `a-z _`; else `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
/// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
/// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `id` and `method` are NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_start(
    client: *mut sx_client,
    id: *const c_char,
    method: *const c_char,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = TransactionId::parse(try_str!(id))?;
        let method = PaymentMethod::parse(try_str!(method))?;
        let out = try_out!(out);
        deliver(api::start(&client.core, id, method), out, true)
    })
}

/// Reverses a paid transaction: `POST /api/v2/Smart/Transactions/{id}/cancel`; it becomes `cancelled`.
/// Only after `ok`: otherwise the API refuses (`SX_ERR_API`). `SX_OK` on HTTP 2xx with a transaction.
/// After `SX_ERR_OUTCOME_UNKNOWN`, read it back (`sx_transaction_get`) before cancelling again.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
/// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
/// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_cancel(
    client: *mut sx_client,
    id: *const c_char,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = TransactionId::parse(try_str!(id))?;
        let out = try_out!(out);
        deliver(api::cancel(&client.core, id), out, false)
    })
}

/// Drops a transaction never started: `POST /api/v2/Smart/Transactions/{id}/abort`; it becomes `aborted`.
/// Only while `created`: otherwise the API refuses (`SX_ERR_API`). `SX_OK` on HTTP 2xx with a transaction.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
/// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
/// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_abort(
    client: *mut sx_client,
    id: *const c_char,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = TransactionId::parse(try_str!(id))?;
        let out = try_out!(out);
        deliver(api::abort(&client.core, id), out, false)
    })
}

/// After `SX_ERR_OUTCOME_UNKNOWN`: reads the transaction back (`GET`, safe to repeat) and writes the verdict:
/// `SX_VERDICT_PAID` (status `ok` or a later state), `SX_VERDICT_NOT_PAID` (`created`: the start never ran;
/// `aborted`, `failed`, `cancelled`, `canceled`, `timeout`), `SX_VERDICT_IN_PROGRESS` (`processing`, `pending`,
/// `approved`), else `SX_VERDICT_UNKNOWN`. `*verdict` and `*out` are written on `SX_OK` only; a failed read
/// returns its own code (e.g. `SX_ERR_CONNECT`, `SX_ERR_OUTCOME_UNKNOWN`: check again) and leaves both.
///
/// The loop a register runs after `SX_ERR_OUTCOME_UNKNOWN` from `sx_transaction_start`:
///
/// ```c
/// for (;;) {
///     sx_transaction *tx = NULL;
///     uint32_t verdict = SX_VERDICT_UNKNOWN;
///     if (sx_transaction_check(client, id, &verdict, &tx) != SX_OK) {
///         wait_a_while();                  // the read failed too: read again
///         continue;
///     }
///     if (verdict == SX_VERDICT_IN_PROGRESS) {
///         sx_transaction_free(tx);
///         wait_a_while();                  // the terminal is still at it
///         continue;
///     }
///     if (verdict == SX_VERDICT_PAID)
///         print_receipt(tx);               // paid: never start again
///     else if (verdict == SX_VERDICT_NOT_PAID && strcmp(sx_transaction_status(tx), "created") == 0)
///         start_again = 1;                 // the start never ran: the only case to start again
///     else
///         tell_the_cashier(tx);            // not paid and over, or unknown: a person decides
///     sx_transaction_free(tx);
///     break;
/// }
/// ```
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
/// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
/// `sx_transaction_free`; the strings are read during the call only. Threads: any, at once on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `verdict` and `out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_check(
    client: *mut sx_client,
    id: *const c_char,
    verdict: *mut u32,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = TransactionId::parse(try_str!(id))?;
        let verdict_out = try_out!(verdict);
        let out = try_out!(out);
        let checked = api::check(&client.core, id);
        let verdict = checked.verdict;
        deliver(checked.answer, out, false)?;
        verdict_out.write(match verdict.unwrap_or(Verdict::Unknown) {
            Verdict::Unknown => SX_VERDICT_UNKNOWN,
            Verdict::Paid => SX_VERDICT_PAID,
            Verdict::NotPaid => SX_VERDICT_NOT_PAID,
            Verdict::InProgress => SX_VERDICT_IN_PROGRESS,
        });
        Ok(())
    })
}
