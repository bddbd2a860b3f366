//! The transaction lifecycle on an `sx_client`: create, read, update, start (also `cashless_direct` with its
//! details), cancel, abort, check, the reversal by receipt number, and the terminal's end of day and diagnosis.
//!
//! Common to every function here: the call is checked before anything is sent (`id` 1 to 128 of
//! `A-Z a-z 0-9 _ -`, not `me` in any case (it addresses the device's own routes), `method` 1 to 32 of `a-z _`;
//! otherwise `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT` and nothing sent). Whenever an answer arrives
//! its body is this thread's last response (`sx_last_response`,
//! `sx_last_http_status`), as for `sx_start_cash`. `*out` receives a new transaction the caller owns (free it
//! with `sx_transaction_free`) on `SX_OK`, and on `SX_ERR_NOT_OK` (it came back in another state than the call
//! makes); otherwise it is left as it was: set `tx = NULL` before and call `sx_transaction_free(tx)` after,
//! whatever the result.
//!
//! An answer belongs to its request: a call that names a transaction (`id`) succeeds, or gives a verdict, only
//! on an answer about that transaction, its `id` a string equal to `id` byte for byte. An answer about another
//! transaction, or with no `id` (absent, null, a number), is `SX_ERR_BAD_RESPONSE` with `*out` untouched.
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
use crate::api::{self, Answer, DirectPayment, PaymentMethod, ReceiptNumber, Verdict};
use crate::http::{ErrorKind, TransactionId};

/// `sx_transaction_check`: the status is none the library knows. Do not start again; ask a person.
pub const SX_VERDICT_UNKNOWN: u32 = 0;
/// `sx_transaction_check`: paid (status `ok` or a later state). Print the receipt; do not start again.
pub const SX_VERDICT_PAID: u32 = 1;
/// `sx_transaction_check`: not paid. `created`: the start never ran, starting again is safe; `aborted`,
/// `failed`, `cancelled`/`canceled`, `timeout`: this transaction is over, create a new one to sell again.
pub const SX_VERDICT_NOT_PAID: u32 = 2;
/// `sx_transaction_check`: the terminal is still at it (`processing`, `pending`, `approved`): wait, check again.
pub const SX_VERDICT_IN_PROGRESS: u32 = 3;

/// Keeps the answer as this thread's last response, and writes the transaction to `*out` on success and for a
/// transaction that came back in another state than the call makes (a declined start, whose receipt must be
/// printed too; an abort answered paid).
fn hand_over_transaction(answer: Answer, out: &mut MaybeUninit<*mut sx_transaction>) -> Result<(), Failure> {
    let Answer { http_status, body, transaction, result } = answer;
    // The transaction goes to the caller's handle: nothing is left to hand over to sx_transaction_parse.
    last_call::record_exchange(http_status, body, None);
    let deliverable = match &result {
        Ok(()) => true,
        Err(e) => e.kind == ErrorKind::NotOk,
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
/// The request names no transaction, so the answer cannot be matched by id: one without an `id` string is
/// `SX_ERR_BAD_RESPONSE` (a transaction may have been created unseen, as after `SX_ERR_OUTCOME_UNKNOWN`).
/// After `SX_ERR_OUTCOME_UNKNOWN` a transaction may have been created unseen: it stays `created` and is never
/// paid, so creating another one is safe. `basket` is read during the call only and stays the caller's.
/// Blocks for at most the total timeout.
///
/// Arguments are checked before anything is sent (a NULL `client`, `basket` or `out` is
/// `SX_ERR_NULL_ARGUMENT`). The answer's body is this thread's last response (`sx_last_response`).
/// Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`. Threads: any, at once
/// on a shared client; the last response is per thread.
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
        hand_over_transaction(api::create(&client.core, basket.core()), out)
    })
}

/// Reads a transaction: `GET /api/v2/Smart/Transactions/{id}`. `SX_OK` on HTTP 2xx with transaction `id`,
/// whatever its status; an answer about another transaction or none is `SX_ERR_BAD_RESPONSE` (read again).
/// Blocks for at most the total timeout.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
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
        hand_over_transaction(api::get(&client.core, id), out)
    })
}

/// Pays transaction `id` with `method` (`cash`, `cashless`, `debit`, `invoice`, `loyalty`, `prepaid`,
/// `ccload`, ...): `POST /api/v2/Smart/Transactions/{id}/start/{method}`. `loyalty` and `prepaid` pay from
/// the customer's card: the basket needs its ident (`sx_basket_set_ident`). `cashless_direct` needs the
/// terminal's details: it is `SX_ERR_INVALID_ARGUMENT` here (nothing sent); use
/// `sx_transaction_start_cashless_direct`.
///
/// `SX_OK` like `sx_start_cash`: HTTP 2xx, transaction `id` and status `ok`, paid; print the receipt. An answer
/// about another transaction or none is `SX_ERR_BAD_RESPONSE`: the payment may have been made, read it back
/// (`sx_transaction_check`), do not pay again. `SX_ERR_NOT_OK`: the
/// transaction came back otherwise (a declined card: `failed`); `*out` is written then too, and its receipt
/// must be printed as well. A second start of the same transaction is refused by the API (`SX_ERR_API`).
/// `cashless`, `debit`, `ccload` and `auto` wait for the card terminal (PIN entry, authorisation): they block
/// for at most the client's terminal timeout; `cash`, `invoice`, `loyalty` and `prepaid` for the total timeout.
///
/// Never repeated. After `SX_ERR_OUTCOME_UNKNOWN` the payment may have been made: run the loop of
/// `sx_transaction_check` before starting again.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case,
/// `method` 1 to 32 of `a-z _`; else `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body
/// is this thread's last
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
        hand_over_transaction(api::start(&client.core, id, method), out)
    })
}

/// Replaces the basket of a transaction not started yet: `PUT /api/v2/Smart/Transactions/{id}`.
///
/// The body always holds the basket's products and `basket_info` (sum, currency): the API removes the basket
/// of a PUT without them. The references and the ident are sent when the basket has them; a basket without
/// them leaves the transaction's as they are. Only while `created`: after the start the API refuses
/// (`SX_ERR_API`, HTTP 400). The basket's sum is checked first, as for `sx_transaction_create` (an overflow or
/// a negative total is `SX_ERR_INVALID_ARGUMENT`, nothing sent). `SX_OK` on HTTP 2xx with transaction `id`
/// (an answer about another is `SX_ERR_BAD_RESPONSE`).
/// An update changes nothing that was paid, so after `SX_ERR_OUTCOME_UNKNOWN` it may be sent again.
/// Blocks for at most the total timeout.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last
/// response (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with
/// `sx_transaction_free`; `basket` and `id` are read during the call only. Threads: any, at once on a shared
/// client; the last response is per thread.
///
/// # Safety
/// `client` and `basket` are NULL or live handles; `id` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_update(
    client: *mut sx_client,
    id: *const c_char,
    basket: *const sx_basket,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = TransactionId::parse(try_str!(id))?;
        let basket = try_ref!(basket);
        let out = try_out!(out);
        hand_over_transaction(api::update(&client.core, id, basket.core()), out)
    })
}

/// Reports a card payment the register's own terminal made:
/// `POST /api/v2/Smart/Transactions/{id}/start/cashless_direct` with `{"tid", "trace", "cardtype"}` (the
/// terminal id, the trace number and the card type, e.g. "girocard", as the terminal printed them).
///
/// Results as for `sx_transaction_start`: `SX_OK` on HTTP 2xx, transaction `id` and status `ok`
/// (`SX_ERR_BAD_RESPONSE` for an answer about another or none); `SX_ERR_NOT_OK` with `*out`
/// written too (print its receipt); a second start is refused (`SX_ERR_API`). Blocks for at most the client's
/// terminal timeout. Never repeated: after `SX_ERR_OUTCOME_UNKNOWN` run the loop of `sx_transaction_check`.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case;
/// `tid`, `trace` and `card_type` 1 to 64 bytes of UTF-8, not blank, without control characters such as CR or LF; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last response
/// (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`;
/// the strings are read during the call only. Threads: any, at once on a shared client; the last response is
/// per thread.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_start_cashless_direct(
    client: *mut sx_client,
    id: *const c_char,
    tid: *const c_char,
    trace: *const c_char,
    card_type: *const c_char,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = TransactionId::parse(try_str!(id))?;
        let payment = DirectPayment::new(try_str!(tid), try_str!(trace), try_str!(card_type))?;
        let out = try_out!(out);
        hand_over_transaction(api::start_cashless_direct(&client.core, id, payment), out)
    })
}

/// Reverses a paid transaction: `POST /api/v2/Smart/Transactions/{id}/cancel`; it becomes `cancelled`.
/// Only after `ok`: otherwise the API refuses (`SX_ERR_API`). `SX_OK` only on HTTP 2xx with transaction `id`
/// come back `cancelled` (or `canceled`): reversed. In another state it is `SX_ERR_NOT_OK` with `*out` written,
/// and the message says which state and what it means: `ok` (or a later paid state) stands paid, not reversed;
/// an in-progress state (`processing`, `pending`, `approved`): read it back later (`sx_transaction_get`). An
/// answer about another transaction or none is `SX_ERR_BAD_RESPONSE`. After `SX_ERR_OUTCOME_UNKNOWN` or
/// `SX_ERR_BAD_RESPONSE`, read it back (`sx_transaction_get`) before cancelling again.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
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
        hand_over_transaction(api::cancel(&client.core, id), out)
    })
}

/// Drops a transaction never started: `POST /api/v2/Smart/Transactions/{id}/abort`; it becomes `aborted`.
/// Only while `created`: otherwise the API refuses (`SX_ERR_API`). `SX_OK` only on HTTP 2xx with transaction
/// `id` come back `aborted`: dropped. In another state it is `SX_ERR_NOT_OK` with `*out` written, and the message
/// says which state and what it means: `ok` stands paid (the sale was not dropped: treat it as paid, or cancel
/// it with `sx_transaction_cancel`); `created` is still open; an in-progress state: read it back later. An
/// answer about another transaction or none is `SX_ERR_BAD_RESPONSE`: read it back before aborting again.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
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
        hand_over_transaction(api::abort(&client.core, id), out)
    })
}

/// After `SX_ERR_OUTCOME_UNKNOWN`: reads the transaction back (`GET`, safe to repeat) and writes the verdict:
/// `SX_VERDICT_PAID` (status `ok` or a later state), `SX_VERDICT_NOT_PAID` (`created`: the start never ran;
/// `aborted`, `failed`, `cancelled`, `canceled`, `timeout`), `SX_VERDICT_IN_PROGRESS` (`processing`, `pending`,
/// `approved`), else `SX_VERDICT_UNKNOWN`. `*verdict` and `*out` are written on `SX_OK` only; a failed read
/// returns its own code (e.g. `SX_ERR_CONNECT`, `SX_ERR_OUTCOME_UNKNOWN`: check again) and leaves both. An
/// answer about another transaction than `id`, or with no `id` string, gives no verdict: it is
/// `SX_ERR_BAD_RESPONSE` (check again), never PAID or NOT_PAID on another transaction's status.
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
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
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
        hand_over_transaction(checked.answer, out)?;
        verdict_out.write(match verdict.unwrap_or(Verdict::Unknown) {
            Verdict::Unknown => SX_VERDICT_UNKNOWN,
            Verdict::Paid => SX_VERDICT_PAID,
            Verdict::NotPaid => SX_VERDICT_NOT_PAID,
            Verdict::InProgress => SX_VERDICT_IN_PROGRESS,
        });
        Ok(())
    })
}

/// Reverses a card payment at the terminal by the receipt number printed on its receipt, before the end of day
/// settles it: `POST /api/v2/Smart/Transactions/{receipt_number}/canceltrx`.
///
/// `SX_OK` only on HTTP 2xx with the reversed transaction come back `cancelled` (or `canceled`) and an `id` of
/// its own (the request names none to compare: an answer without one is `SX_ERR_BAD_RESPONSE`). In another
/// state it is `SX_ERR_NOT_OK` with `*out` written, as for `sx_transaction_cancel`: `ok` stands paid, not
/// reversed; an in-progress state: read it back later. An unknown receipt number
/// is `SX_ERR_API` (HTTP 404); one settled by an end of day `SX_ERR_API` (HTTP 400). Blocks at the terminal for
/// at most the client's terminal timeout. Never repeated: after `SX_ERR_OUTCOME_UNKNOWN` read the transaction
/// back (`sx_transaction_get`) before reversing again.
///
/// Arguments are checked before anything is sent (`receipt_number` 1 to 64 of `A-Z a-z 0-9 _ -`, not `me` in
/// any case; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last response
/// (`sx_last_response`). Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`;
/// the string is read during the call only. Threads: any, at once on a shared client; the last response is
/// per thread.
///
/// # Safety
/// `client` is NULL or a live client; `receipt_number` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_cancel_by_receipt(
    client: *mut sx_client,
    receipt_number: *const c_char,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let receipt_number = ReceiptNumber::parse(try_str!(receipt_number))?;
        let out = try_out!(out);
        hand_over_transaction(api::cancel_by_receipt(&client.core, receipt_number), out)
    })
}

/// Closes the day at this device's card terminal: `POST /api/v2/Smart/Transactions/me/endOfDay`. The
/// terminal settles the card payments made since the last end of day; they can no longer be reversed by
/// `sx_transaction_cancel_by_receipt`.
///
/// The answer is the report to print, read as an `sx_transaction`: `sx_transaction_status` and the receipt
/// lines (`sx_receipt_count`, `sx_receipt_render`); its raw JSON is this thread's last response. `SX_OK` on
/// HTTP 2xx and status `ok`; `SX_ERR_NOT_OK` when the terminal answered with another status, with `*out`
/// written too (its receipt says why); an answer with no status is `SX_ERR_BAD_RESPONSE`, its raw JSON still
/// the last response. Blocks for at most the client's terminal timeout (the total timeout does
/// not apply): a terminal timeout shorter than the terminal needs gives `SX_ERR_OUTCOME_UNKNOWN`, and the day
/// may have been closed; running it again is harmless (it settles what came since) but the first report is
/// then lost. Never repeated by the library.
///
/// Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`. Threads: any, at once
/// on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_terminal_end_of_day(client: *mut sx_client, out: *mut *mut sx_transaction) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let out = try_out!(out);
        hand_over_transaction(api::end_of_day(&client.core), out)
    })
}

/// Asks this device's card terminal to check itself: `POST /api/v2/Smart/Transactions/me/diagnosis`.
///
/// As `sx_terminal_end_of_day`: the answer is a report read as an `sx_transaction` (status and receipt lines;
/// the raw JSON is this thread's last response), `SX_OK` on status `ok`, `SX_ERR_NOT_OK` with `*out` written
/// otherwise, the client's terminal timeout, never repeated (a diagnosis changes nothing: asking again is
/// safe).
///
/// Ownership: `*out` (when written) is the caller's, freed with `sx_transaction_free`. Threads: any, at once
/// on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_terminal_diagnosis(client: *mut sx_client, out: *mut *mut sx_transaction) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let out = try_out!(out);
        hand_over_transaction(api::diagnosis(&client.core), out)
    })
}
