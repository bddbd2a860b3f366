//! `sx_pre_transaction`: the answer of preTransaction, what remains to pay before the start and the bonus
//! products a customer card brings.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, free_handle, into_handle, ref_or, try_out, try_ref, try_str, Failure};
use super::client::sx_client;
use super::last_call;
use super::product::{product_to_c, sx_product};
use super::result::*;
use super::transaction::{item, write_present};
use crate::api::{self, PreTransactionAnswer};
use crate::http::TransactionId;
use crate::model::PreTransaction;

/// The answer of `sx_transaction_pre_check`. Opaque; freed by `sx_pre_transaction_free`. Read-only, so a
/// `const sx_pre_transaction *` may be read from several threads at once.
pub struct sx_pre_transaction {
    /// The reading; the strings handed out point into its `texts`.
    pre: PreTransaction,
}

/// Asks, before the start, what remains to pay and which bonus products a customer card brings:
/// `POST /api/v2/Smart/Transactions/{id}/preTransaction`. Only while the transaction is `created` (otherwise
/// the API refuses: `SX_ERR_API`); it changes nothing at the API, so after `SX_ERR_OUTCOME_UNKNOWN` it may be
/// asked again. An unknown `id` is `SX_ERR_API` or `SX_ERR_HTTP` (404). `SX_OK` on HTTP 2xx with a JSON object
/// (`{"missing_sum": ..., "bonus_products": [...]}`). Blocks for at most the total timeout.
///
/// Arguments are checked before anything is sent (`id` 1 to 128 of `A-Z a-z 0-9 _ -`, not `me` in any case; else
/// `SX_ERR_NULL_ARGUMENT` / `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last response
/// (`sx_last_response`). Ownership: on `SX_OK` `*out` receives a new object the caller owns and frees with
/// `sx_pre_transaction_free`; otherwise `*out` is left as it was. `id` is read during the call only.
/// Threads: any, at once on a shared client; the last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `id` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_pre_check(
    client: *mut sx_client,
    id: *const c_char,
    out: *mut *mut sx_pre_transaction,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let id = TransactionId::parse(try_str!(id))?;
        let out = try_out!(out);
        let PreTransactionAnswer { http_status, body, pre_transaction, result } =
            api::pre_transaction(&client.core, id);
        // A pre-check is not a transaction: nothing for sx_transaction_parse to take over.
        last_call::record_exchange(http_status, body, None);
        result?;
        let pre = pre_transaction.ok_or_else(|| Failure::new(SX_ERR_BAD_RESPONSE, "the answer held no pre-check"))?;
        out.write(into_handle(sx_pre_transaction { pre }));
        Ok(())
    })
}

/// What remains to pay in cents, `missing_sum`, into `*out` (the sum less the card's balance and bonus).
/// `SX_ERR_ABSENT` (and `*out` untouched) when the answer has none; `SX_ERR_NULL_ARGUMENT` for a NULL `pre`
/// or `out`. Threads: any.
///
/// # Safety
/// `pre` is NULL or a live pre-check; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_pre_transaction_missing_sum(pre: *const sx_pre_transaction, out: *mut i64) -> sx_result {
    ffi_boundary!({
        let pre = try_ref!(pre);
        let out = try_out!(out);
        write_present(pre.pre.missing_sum, out, "missing_sum")
    })
}

/// The number of bonus products (`bonus_products[]`); 0 for a NULL `pre` or none. Threads: any.
///
/// # Safety
/// `pre` is NULL or a live pre-check.
#[no_mangle]
pub unsafe extern "C" fn sx_pre_transaction_bonus_count(pre: *const sx_pre_transaction) -> usize {
    ffi_boundary!(fallback = 0; {
        let pre = ref_or!(pre, 0);
        pre.pre.bonus_products.len()
    })
}

/// Fills `*out` with bonus product `index` (from 0): a product whose `unit_price_cents` is negative (a
/// discount), e.g. "Treuebonus 5 %".
///
/// `SX_ERR_NULL_ARGUMENT` for a NULL `pre` or `out`, `SX_ERR_OUT_OF_RANGE` for
/// `index >= sx_pre_transaction_bonus_count(pre)`; `*out` is written only on `SX_OK`.
/// Ownership: the strings in `*out` belong to `pre` and stay valid until `sx_pre_transaction_free(pre)`.
/// Threads: any, also at once on the same `pre`.
///
/// # Safety
/// `pre` is NULL or a live pre-check; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_pre_transaction_bonus_get(
    pre: *const sx_pre_transaction,
    index: usize,
    out: *mut sx_product,
) -> sx_result {
    ffi_boundary!({
        let pre = try_ref!(pre);
        let out = try_out!(out);
        out.write(product_to_c(item(&pre.pre.bonus_products, index, "bonus product")?, &pre.pre.texts));
        Ok(())
    })
}

/// Frees a pre-check from `sx_transaction_pre_check`, and with it every string it handed out. NULL is a no-op;
/// freeing twice is undefined behaviour. Threads: any, once no other thread uses `pre`.
///
/// # Safety
/// `pre` is NULL or a pre-check from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sx_pre_transaction_free(pre: *mut sx_pre_transaction) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the caller's contract: NULL or a pre-check from this library, freed once.
        unsafe { free_handle(pre) }
    })
}
