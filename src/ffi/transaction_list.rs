//! `sx_transaction_list`: one page of the transactions found by the register's own reference.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, free_handle, into_handle, ref_or, try_out, try_ref, try_str, Failure};
use super::client::sx_client;
use super::last_call;
use super::result::*;
use super::transaction::sx_transaction;
use crate::api::{self, ListAnswer, RefQuery};

/// A page of transactions found by `sx_transaction_list_by_ref`. Opaque: freed by `sx_transaction_list_free`, which
/// frees its transactions too.
///
/// Read-only once made, so a `const sx_transaction_list *` may be read from several threads at once.
pub struct sx_transaction_list {
    /// The answer's `count`: the matches over all pages.
    total: usize,
    items: Vec<sx_transaction>,
}

/// Finds the transactions whose `transactionRef` is `transaction_ref` (the reference given to
/// `sx_basket_set_refs`, e.g. the register's receipt number), one page at a time:
/// `GET /api/v2/Smart/Transactions?q=transactionRef:"..."&offset=...&count=...`.
///
/// The reference is matched whole: it is quoted, `"` and `\` inside it escaped with a backslash, and the query
/// percent-encoded, so spaces, quotes, `&`, `%` and umlauts are searched as they are. `count` is the page size
/// (0: the API's default), `offset` the number of matches to skip. This is how a register finds a transaction
/// whose create answer was lost (`SX_ERR_OUTCOME_UNKNOWN` from `sx_transaction_create`): give every sale its own
/// reference. A read: safe to repeat.
///
/// Only exact matches are kept: the API's search also finds near ones (`Beleg 10` for `Beleg 1`, another case),
/// so the page keeps only the transactions whose `transactionRef` equals `transaction_ref` byte for byte (no
/// case folding, no Unicode normalisation, no trimming).
///
/// `SX_OK` on HTTP 2xx with `{count, data[]}`: `*out` receives a new list the caller owns and frees with
/// `sx_transaction_list_free`; on any other result `*out` is left as it was. An answer that is not a list is
/// `SX_ERR_BAD_RESPONSE`. Blocks for at most the total timeout.
///
/// Arguments are checked before anything is sent (`transaction_ref` 1 to 1024 bytes of UTF-8 without control
/// characters such as CR or LF, which no reference can hold; else `SX_ERR_NULL_ARGUMENT` /
/// `SX_ERR_INVALID_ARGUMENT`). The answer's body is this thread's last response (`sx_last_response`).
/// Ownership: `transaction_ref` is read during the call only. Threads: any, at once on a shared client; the
/// last response is per thread.
///
/// # Safety
/// `client` is NULL or a live client; `transaction_ref` is NULL or NUL-terminated; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_list_by_ref(
    client: *mut sx_client,
    transaction_ref: *const c_char,
    count: u32,
    offset: u32,
    out: *mut *mut sx_transaction_list,
) -> sx_result {
    ffi_boundary!({
        last_call::begin_exchange();
        let client = try_ref!(client);
        let query = RefQuery::transaction_ref(try_str!(transaction_ref))?;
        let out = try_out!(out);
        let ListAnswer { http_status, body, list, result } = api::list(&client.core, &query, count, offset);
        last_call::record_exchange(http_status, body, None);
        result?;
        let list = list.ok_or_else(|| Failure::new(SX_ERR_BAD_RESPONSE, "the answer held no list"))?;
        let total = list.count.and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
        let items = list.data.into_iter().map(sx_transaction::new).collect();
        out.write(into_handle(sx_transaction_list { total, items }));
        Ok(())
    })
}

/// The number of transactions in this page whose `transactionRef` is the reference searched for, byte for byte
/// (0 for NULL): index them from 0 with `sx_transaction_list_get`. Threads: any.
///
/// # Safety
/// `list` is NULL or a live list.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_list_count(list: *const sx_transaction_list) -> usize {
    ffi_boundary!(fallback = 0; {
        let list = ref_or!(list, 0);
        list.items.len()
    })
}

/// The number of matching transactions over all pages: the API's `count`, less the near matches this page held
/// and dropped (0 for NULL or when the answer gave none). A page that holds every match (the usual case: a
/// reference names one sale) counts exactly the exact matches it held, as `sx_transaction_list_count`. The
/// API pages by its own matches, near ones included: ask for the next page at `offset` + the page size you asked
/// for (`count`, not 0) while that is below this total. Threads: any.
///
/// # Safety
/// `list` is NULL or a live list.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_list_total(list: *const sx_transaction_list) -> usize {
    ffi_boundary!(fallback = 0; {
        let list = ref_or!(list, 0);
        list.total
    })
}

/// Transaction `index` (from 0) of the page, read with the `sx_transaction_` accessors and `sx_receipt_*`;
/// NULL for a NULL `list` or `index >= sx_transaction_list_count(list)`.
///
/// Ownership: borrowed; it belongs to `list`, stays valid until `sx_transaction_list_free(list)`, and must not
/// be given to `sx_transaction_free`. Threads: any, also at once on the same list.
///
/// # Safety
/// `list` is NULL or a live list.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_list_get(
    list: *const sx_transaction_list,
    index: usize,
) -> *const sx_transaction {
    ffi_boundary!(fallback = std::ptr::null(); {
        let list = ref_or!(list, std::ptr::null());
        let item = list.items.get(index);
        item.map_or(std::ptr::null(), |tx| tx as *const sx_transaction)
    })
}

/// Frees a list and every transaction in it (the pointers `sx_transaction_list_get` gave become invalid).
/// NULL is a no-op; freeing twice is undefined behaviour. Threads: any, once no other thread uses it.
///
/// # Safety
/// `list` is NULL or a list from `sx_transaction_list_by_ref` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_list_free(list: *mut sx_transaction_list) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the caller's contract: NULL or a list from sx_transaction_list_by_ref, freed once.
        unsafe { free_handle(list) }
    })
}
