//! `sx_transaction`: a parsed Smart Transaction: its fields, products and references, and a JSON pointer for
//! anything else. Its receipt lines are read through `receipt.rs` (`sx_receipt_`), its idents through
//! `ident.rs` (`sx_transaction_ident_`).
//!
//! Common to the getters here: strings are UTF-8, never NULL ("" when absent or `tx` is NULL), owned by the
//! transaction and valid until `sx_transaction_free(tx)`. A value that may be absent where 0 means something
//! (a sum, a flag) comes through `sx_result f(tx, T *out)`: `SX_ERR_ABSENT` when the answer left it out or sent
//! null, `*out` untouched (so a default set before stands). A field the API sends as a number in one answer and
//! as a string in another reads the same. Threads: any, also at once on the same `tx`.

use std::ffi::c_char;
use std::mem::MaybeUninit;

use super::boundary::{
    ffi_boundary, free_handle, into_handle, ref_or, try_out, try_out_buf, try_ref, try_slice, try_str, Failure,
};
use super::last_call;
use super::product::{product_to_c, sx_product};
use super::result::*;
use super::strings::c_str;
use crate::model::transaction::Reference;
use crate::model::{PointerError, ReceiptLine, Status, TextRef, Transaction};
use crate::receipt::Line;

/// `sx_transaction_status_code`: a status this library does not know (the string is in `sx_transaction_status`),
/// or none.
pub const SX_STATUS_UNKNOWN: u32 = 0;
/// "created": made, not started.
pub const SX_STATUS_CREATED: u32 = 1;
/// "processing".
pub const SX_STATUS_PROCESSING: u32 = 2;
/// "approved".
pub const SX_STATUS_APPROVED: u32 = 3;
/// "pending".
pub const SX_STATUS_PENDING: u32 = 4;
/// "ok": paid.
pub const SX_STATUS_OK: u32 = 5;
/// "received".
pub const SX_STATUS_RECEIVED: u32 = 6;
/// "shipped".
pub const SX_STATUS_SHIPPED: u32 = 7;
/// "collection".
pub const SX_STATUS_COLLECTION: u32 = 8;
/// "collected".
pub const SX_STATUS_COLLECTED: u32 = 9;
/// "failed" (e.g. a declined card).
pub const SX_STATUS_FAILED: u32 = 10;
/// "aborted".
pub const SX_STATUS_ABORTED: u32 = 11;
/// "timeout".
pub const SX_STATUS_TIMEOUT: u32 = 12;
/// "finished".
pub const SX_STATUS_FINISHED: u32 = 13;
/// "deleted".
pub const SX_STATUS_DELETED: u32 = 14;
/// "cancelled", also spelt "canceled".
pub const SX_STATUS_CANCELLED: u32 = 15;

/// A reference to another object (`transactions[]`), e.g. the loyalty transaction a payment made. Filled by
/// `sx_transaction_reference_get`. The strings are never NULL ("" when absent), owned by the transaction and
/// valid until `sx_transaction_free`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sx_reference {
    /// `object`, e.g. "loyalty.transactions", "payment.transactions".
    pub object: *const c_char,
    /// `id`, e.g. "LTX_...", "PCI_...".
    pub id: *const c_char,
}

/// A parsed Smart Transaction. Opaque: made by `sx_transaction_parse` or a `sx_transaction_` call (create, get,
/// start, cancel, abort, check), freed by `sx_transaction_free`.
///
/// Read-only after parsing, so a `const sx_transaction *` may be read from several threads at once.
pub struct sx_transaction {
    /// The reading. Its strings end in a NUL each, so those handed out point into its `texts`: no copy.
    pub(super) transaction: Transaction,
    status_code: u32,
}

impl sx_transaction {
    pub(super) fn new(transaction: Transaction) -> sx_transaction {
        sx_transaction { status_code: status_code(transaction.status_kind()), transaction }
    }

    pub(super) fn receipt(&self, which: u32) -> Option<&[ReceiptLine]> {
        let tx = &self.transaction;
        [&tx.receipt, &tx.receipt_merchant].get(usize::try_from(which).ok()?).map(|lines| lines.as_slice())
    }

    pub(super) fn c_string(&self, text: Option<TextRef>) -> *const c_char {
        c_str(&self.transaction.texts, text)
    }

    /// The lines of a receipt as the layout reads them; None for an unknown `which`.
    pub(crate) fn layout_lines(&self, which: u32) -> Option<impl Iterator<Item = Line<'_>>> {
        let lines = self.receipt(which)?;
        Some(lines.iter().map(|line| Line::of(line, &self.transaction.texts)))
    }
}

/// The `id` of a reference that may be absent.
fn reference_id(reference: &Option<Reference>) -> Option<TextRef> {
    reference.as_ref()?.id
}

/// The `SX_STATUS_` value of a status.
fn status_code(status: Status) -> u32 {
    match status {
        Status::Unknown => SX_STATUS_UNKNOWN,
        Status::Created => SX_STATUS_CREATED,
        Status::Processing => SX_STATUS_PROCESSING,
        Status::Approved => SX_STATUS_APPROVED,
        Status::Pending => SX_STATUS_PENDING,
        Status::Ok => SX_STATUS_OK,
        Status::Received => SX_STATUS_RECEIVED,
        Status::Shipped => SX_STATUS_SHIPPED,
        Status::Collection => SX_STATUS_COLLECTION,
        Status::Collected => SX_STATUS_COLLECTED,
        Status::Failed => SX_STATUS_FAILED,
        Status::Aborted => SX_STATUS_ABORTED,
        Status::Timeout => SX_STATUS_TIMEOUT,
        Status::Finished => SX_STATUS_FINISHED,
        Status::Deleted => SX_STATUS_DELETED,
        Status::Cancelled => SX_STATUS_CANCELLED,
    }
}

/// A top-level string of `tx`, picked by `field`; "" for a NULL `tx`.
fn text_of(tx: &sx_transaction, field: fn(&Transaction) -> Option<TextRef>) -> *const c_char {
    tx.c_string(field(&tx.transaction))
}

/// Writes a value that may be absent: `SX_ERR_ABSENT` (naming `what`) when it is, and `*out` untouched.
pub(super) fn write_present<T>(value: Option<T>, out: &mut MaybeUninit<T>, what: &str) -> Result<(), Failure> {
    let value = value.ok_or_else(|| Failure::new(SX_ERR_ABSENT, format!("the answer has no {what}")))?;
    out.write(value);
    Ok(())
}

/// Item `index` of a list, or `SX_ERR_OUT_OF_RANGE` naming the list and its length.
pub(super) fn item<'a, T>(items: &'a [T], index: usize, what: &str) -> Result<&'a T, Failure> {
    items.get(index).ok_or_else(|| {
        Failure::new(SX_ERR_OUT_OF_RANGE, format!("{what} {index} asked for, there are {}", items.len()))
    })
}

/// Parses a Smart Transaction (the answer of `sx_start_cash`, or any API answer holding one) from `len` bytes
/// of UTF-8 JSON at `json` (no NUL needed).
///
/// Lenient: fields of unexpected types, unknown fields, unknown receipt line types, a key given twice (the last
/// counts), a number too large for a double and a leading UTF-8 byte-order mark never fail a parse; a lone UTF-16
/// surrogate escape in a string (`"Caf\ud83d"`, half of a pair, as a backend that cuts UTF-16 writes) reads as
/// U+FFFD. A receipt
/// keeps at most 10000 lines. Malformed JSON, bad UTF-8 or a top level that is not an object give
/// `SX_ERR_INVALID_ARGUMENT`. Every answer for which `sx_start_cash` returned `SX_OK` parses.
/// On `SX_OK`, `*out` receives a new transaction that the caller owns and must free with
/// `sx_transaction_free`; on any other result `*out` is left as it was.
/// The answer of this thread's last `sx_start_cash` (`sx_client_start_cash`), given back byte for byte, was read
/// by that call already: the first parse of it takes that reading instead of reading it again.
/// Ownership: `json` is read during the call only. Threads: any.
///
/// # Safety
/// `json` is NULL or readable for `len` bytes; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_parse(
    json: *const c_char,
    len: usize,
    out: *mut *mut sx_transaction,
) -> sx_result {
    ffi_boundary!({
        let bytes = try_slice!(json, len);
        let out = try_out!(out);
        let transaction = match last_call::take_parsed(bytes) {
            Some(transaction) => transaction,
            None => Transaction::from_json(bytes).map_err(|e| Failure::invalid(format!("not a transaction: {e}")))?,
        };
        out.write(into_handle(sx_transaction::new(transaction)));
        Ok(())
    })
}

/// The transaction's `id` (e.g. "STX_..."); "" when the answer had none or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_id(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.id)
    })
}

/// The transaction's `status` as the API wrote it ("created", "ok", "failed", "cancelled", ...); "" when the
/// answer had none or `tx` is NULL. `sx_transaction_check` gives what it means for the register.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_status(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.status)
    })
}

/// The total, `basket_info.sum`, in cents; 0 when absent or `tx` is NULL. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_sum(tx: *const sx_transaction) -> i64 {
    ffi_boundary!(fallback = 0; {
        let tx = ref_or!(tx, 0);
        tx.transaction.basket_info.as_ref().and_then(|info| info.sum).unwrap_or(0)
    })
}

/// Frees a transaction (from `sx_transaction_parse` or a `sx_transaction_` call), and with it every string
/// it handed out.
/// NULL is a no-op. Freeing the same transaction twice is undefined behaviour.
/// Threads: any, once no other thread uses `tx`.
///
/// # Safety
/// `tx` is NULL or a transaction from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_free(tx: *mut sx_transaction) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the caller's contract: NULL or a transaction from this library, freed once.
        unsafe { free_handle(tx) }
    })
}

/// The method the transaction was started with, `payment_method` ("cash", "cashless", "debit", ...).
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_payment_method(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.payment_method)
    })
}
/// The API's transaction number, `trans_id` (e.g. "29008411"; sent as a number or a string, read as its digits).
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_trans_id(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.trans_id)
    })
}
/// The card terminal's receipt number, `receipt_number` (e.g. "3"; number or string), which `canceltrx` takes.
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_receipt_number(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.receipt_number)
    })
}
/// The currency of the sums, `basket_info.currency` (e.g. "EUR").
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_currency(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.basket_info.as_ref()?.currency)
    })
}
/// The merchant's id, `merchant.id` ("MRC_...").
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_merchant_id(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.merchant.as_ref()?.id)
    })
}
/// The merchant's name, `merchant.companyname` (e.g. "John's Bakery").
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_merchant_name(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.merchant.as_ref()?.companyname)
    })
}
/// When the transaction was created, `created`, ISO 8601 with offset as the API wrote it.
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_created(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.created)
    })
}
/// When the transaction last changed, `updated`, ISO 8601 with offset as the API wrote it.
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_updated(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.updated)
    })
}
/// The register's own reference for the customer, `merchantRef`.
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_merchant_ref(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.merchant_ref)
    })
}
/// The register's own reference for the sale, `transactionRef` (e.g. a receipt number of the register).
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_transaction_ref(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.transaction_ref)
    })
}
/// `intent` ("sale" for a register).
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_intent(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| t.intent)
    })
}
/// The id of the device that made the transaction, `device_source.id` ("SDV_...").
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_device_source(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| reference_id(&t.device_source))
    })
}
/// The id of the device it was sent to (e.g. a card terminal), `device_destination.id`.
/// "" when absent or `tx` is NULL.
/// Ownership: the string belongs to `tx` and stays valid until `sx_transaction_free(tx)`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_device_destination(tx: *const sx_transaction) -> *const c_char {
    ffi_boundary!(fallback = c"".as_ptr(); {
        text_of(ref_or!(tx, c"".as_ptr()), |t| reference_id(&t.device_destination))
    })
}
/// The status as a number: one of the `SX_STATUS_` values for a status this library knows (both spellings
/// "cancelled" and "canceled" give `SX_STATUS_CANCELLED`), `SX_STATUS_UNKNOWN` for any other, none, or a NULL
/// `tx`. Matching is exact ("OK" is unknown); `sx_transaction_status` keeps the string as the API wrote it.
/// Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_status_code(tx: *const sx_transaction) -> u32 {
    ffi_boundary!(fallback = SX_STATUS_UNKNOWN; {
        let tx = ref_or!(tx, SX_STATUS_UNKNOWN);
        tx.status_code
    })
}

/// What remains to pay in cents after a card's balance, `basket_info.missing_sum`, into `*out`.
///
/// `SX_ERR_ABSENT` when the answer has none (then `*out` is untouched: 0 here does not mean "absent", it
/// means nothing remains to pay); `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_missing_sum(tx: *const sx_transaction, out: *mut i64) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        write_present(tx.transaction.missing_sum(), out, "basket_info.missing_sum")
    })
}

/// The tip in cents, `basket_info.gratuity`, into `*out`; `SX_ERR_ABSENT` (and `*out` untouched) when the
/// answer has none; `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_gratuity(tx: *const sx_transaction, out: *mut i64) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        write_present(tx.transaction.basket_info.as_ref().and_then(|info| info.gratuity), out, "basket_info.gratuity")
    })
}

/// Whether this is a demo transaction (`is_demo`: no money moved): `*out` = 1 or 0. `SX_ERR_ABSENT` (and
/// `*out` untouched) when the answer has no `is_demo`; `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`.
/// `true`/`false`, 1/0 and those as strings are all read. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_is_demo(tx: *const sx_transaction, out: *mut u32) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        write_present(tx.transaction.is_demo.map(u32::from), out, "is_demo")
    })
}

/// Whether the API asks the register to print the merchant copy (`receipt_merchant_print`): `*out` = 1 or 0.
/// `SX_ERR_ABSENT` (and `*out` untouched) when the answer does not say; `SX_ERR_NULL_ARGUMENT` for a NULL `tx`
/// or `out`. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_receipt_merchant_print(tx: *const sx_transaction, out: *mut u32) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        write_present(tx.transaction.receipt_merchant_print.map(u32::from), out, "receipt_merchant_print")
    })
}

/// The number of products in the basket (`basket.products`); 0 for a NULL `tx` or no basket. Elements that are
/// not objects are not counted. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_product_count(tx: *const sx_transaction) -> usize {
    ffi_boundary!(fallback = 0; {
        let tx = ref_or!(tx, 0);
        tx.transaction.products().len()
    })
}

/// Fills `*out` with product `index` (from 0) of the basket.
///
/// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_OUT_OF_RANGE` for
/// `index >= sx_transaction_product_count(tx)`; `*out` is written only on `SX_OK`.
/// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
/// Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_product_get(
    tx: *const sx_transaction,
    index: usize,
    out: *mut sx_product,
) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        out.write(product_to_c(item(tx.transaction.products(), index, "product")?, &tx.transaction.texts));
        Ok(())
    })
}

/// The number of references to other objects (`transactions[]`, e.g. the loyalty or payment transaction a
/// start made); 0 for a NULL `tx` or none. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_reference_count(tx: *const sx_transaction) -> usize {
    ffi_boundary!(fallback = 0; {
        let tx = ref_or!(tx, 0);
        tx.transaction.transactions.len()
    })
}

/// Fills `*out` with reference `index` (from 0) of `transactions[]`.
///
/// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_OUT_OF_RANGE` for
/// `index >= sx_transaction_reference_count(tx)`; `*out` is written only on `SX_OK`.
/// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
/// Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_reference_get(
    tx: *const sx_transaction,
    index: usize,
    out: *mut sx_reference,
) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        let reference = item(&tx.transaction.transactions, index, "reference")?;
        let [object, id] = [reference.object, reference.id].map(|text| tx.c_string(text));
        out.write(sx_reference { object, id });
        Ok(())
    })
}

/// Any value of the answer by JSON pointer (RFC 6901), for what the other getters leave out: e.g.
/// "/idents/0/merchantcard/customer/contact/name" or "/basket/products/0/group/0/desc". "" is the whole answer;
/// `~1` stands for "/" and `~0` for "~" in a key; array elements by index from 0.
///
/// Written by the buffer rule (`buf`, `cap`, `out_len`): a string comes back as its text, unquoted (it may
/// hold a NUL from "\u0000": `*out_len` tells its length); a number or boolean as its JSON text as the answer
/// wrote it ("349", "true"); an object or array as compact JSON (the answer's text without the whitespace between
/// tokens, keys in the answer's order). `SX_ERR_ABSENT` when nothing is there or the value
/// is null (`*out_len` untouched); `SX_ERR_INVALID_ARGUMENT` for a pointer that is not "" and does not start with
/// "/", or is not UTF-8; `SX_ERR_NULL_ARGUMENT` for a NULL `tx`, `pointer` or `out_len`. A key given twice in the
/// answer: the last counts, as for the other getters.
///
/// Cost: each call follows the pointer through the kept answer, skipping what is off the path; no tree is built,
/// so memory stays within the size of the value returned, whatever the answer holds.
/// Ownership: `pointer` is read during the call only. Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction; `pointer` is NULL or NUL-terminated; `buf` is NULL or writable for
/// `cap` bytes; `out_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_get_json(
    tx: *const sx_transaction,
    pointer: *const c_char,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let pointer = try_str!(pointer);
        let mut out = try_out_buf!(buf, cap, out_len);
        let text = tx.transaction.source.pointer_text(pointer).map_err(|e| match e {
            PointerError::Malformed => Failure::invalid("a JSON pointer is \"\" or starts with \"/\""),
            PointerError::Absent => Failure::new(SX_ERR_ABSENT, "nothing at that JSON pointer (or null)"),
        })?;
        out.write(text.as_bytes())
    })
}
