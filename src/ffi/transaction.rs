//! `sx_transaction`: a parsed Smart Transaction: its id, status, sum and receipt lines.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, free_handle, into_handle, try_out, try_ref, try_slice, Failure};
use super::last_call;
use super::result::*;
use crate::model::{Decorations, LineKind, ReceiptLine, Transaction};
use crate::receipt::{Align, Line};

/// The customer receipt (`receipt`), for both the customer and the merchant when there is no merchant copy.
pub const SX_RECEIPT_CUSTOMER: u32 = 0;
/// The merchant copy (`receipt_merchant`).
pub const SX_RECEIPT_MERCHANT: u32 = 1;

/// A type this library does not know; see `type` for the raw name. Skip it in a layout.
pub const SX_LINE_UNKNOWN: u32 = 0;
/// A headline: centred `caption`, or a rule when the caption is empty.
pub const SX_LINE_SEPARATOR: u32 = 1;
/// A line of `text`; long text wraps.
pub const SX_LINE_TEXT: u32 = 2;
/// `name` at the left and `value` at the right of the same line.
pub const SX_LINE_NAME_VALUE: u32 = 3;
/// An empty line.
pub const SX_LINE_SPACE: u32 = 4;

/// Print bold.
pub const SX_DECO_IMPORTANT: u32 = 1;
/// Align left (also the legacy spelling `align_left`).
pub const SX_DECO_ALIGN_LEFT: u32 = 2;
/// Centre.
pub const SX_DECO_ALIGN_CENTER: u32 = 4;
/// Align right (also the legacy spelling `align_right`).
pub const SX_DECO_ALIGN_RIGHT: u32 = 8;

/// One receipt line. Filled by `sx_receipt_line_get`.
///
/// The five strings are UTF-8, never NULL ("" when absent), owned by the transaction and valid until
/// `sx_transaction_free`; do not free them.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sx_receipt_line {
    /// `SX_LINE_UNKNOWN`, `SX_LINE_SEPARATOR`, `SX_LINE_TEXT`, `SX_LINE_NAME_VALUE` or `SX_LINE_SPACE`.
    pub kind: u32,
    /// A bit set of `SX_DECO_` values; unknown decorations set none.
    pub decorations: u32,
    /// The raw "type" string, e.g. "name-value".
    pub r#type: *const c_char,
    /// The separator caption.
    pub caption: *const c_char,
    /// The textline text.
    pub text: *const c_char,
    /// The name of a name-value line.
    pub name: *const c_char,
    /// The value of a name-value line.
    pub value: *const c_char,
}

/// A parsed Smart Transaction. Opaque: made by `sx_transaction_parse` or a `sx_transaction_` call (create, get,
/// start, cancel, abort, check), freed by `sx_transaction_free`.
///
/// Read-only after parsing, so a `const sx_transaction *` may be read from several threads at once.
pub struct sx_transaction {
    /// Offsets into `strings`.
    id: usize,
    status: usize,
    /// `basket_info.sum` in cents; 0 when absent.
    sum: i64,
    receipts: [Vec<StoredLine>; 2],
    /// Every string of every line, each NUL-terminated; offset 0 is "". One allocation instead of five per line.
    strings: Vec<u8>,
}

/// A line whose strings are offsets into `sx_transaction::strings`.
struct StoredLine {
    kind: LineKind,
    decorations: Decorations,
    strings: [usize; 5],
}

impl sx_transaction {
    pub(super) fn new(transaction: Transaction) -> sx_transaction {
        let Transaction { id, status, basket_info, receipt, receipt_merchant, .. } = transaction;
        let mut strings = vec![0u8];
        let id = push_c_string(&mut strings, id.as_deref().unwrap_or(""));
        let status = push_c_string(&mut strings, status.as_deref().unwrap_or(""));
        let sum = basket_info.and_then(|info| info.sum).unwrap_or(0);
        let mut store = |lines: Vec<ReceiptLine>| -> Vec<StoredLine> {
            lines
                .into_iter()
                .map(|line| StoredLine {
                    kind: line.kind,
                    decorations: line.decorations,
                    strings: [&line.raw_type, &line.caption, &line.text, &line.name, &line.value]
                        .map(|s| push_c_string(&mut strings, s)),
                })
                .collect()
        };
        let receipts = [store(receipt), store(receipt_merchant)];
        sx_transaction { id, status, sum, receipts, strings }
    }

    fn receipt(&self, which: u32) -> Option<&[StoredLine]> {
        self.receipts.get(usize::try_from(which).ok()?).map(Vec::as_slice)
    }

    fn c_string(&self, offset: usize) -> *const c_char {
        self.strings[offset..].as_ptr().cast()
    }

    /// The lines of a receipt as the layout reads them; None for an unknown `which`.
    pub(crate) fn layout_lines(&self, which: u32) -> Option<impl Iterator<Item = Line<'_>>> {
        let lines = self.receipt(which)?;
        Some(lines.iter().map(|line| {
            let [_, caption, text, name, value] = line.strings.map(|offset| self.str_at(offset));
            Line {
                kind: line.kind,
                important: line.decorations.contains(Decorations::IMPORTANT),
                align: Align::from_decorations(line.decorations),
                caption,
                text,
                name,
                value,
            }
        }))
    }

    fn str_at(&self, offset: usize) -> &str {
        let tail = &self.strings[offset..];
        let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
        // Always UTF-8: the bytes were copied from a `&str` up to the NUL `push_c_string` appended.
        std::str::from_utf8(&tail[..end]).unwrap_or_default()
    }
}

/// The `SX_LINE_` value of a line kind.
fn kind_code(kind: LineKind) -> u32 {
    match kind {
        LineKind::Unknown => SX_LINE_UNKNOWN,
        LineKind::Separator => SX_LINE_SEPARATOR,
        LineKind::Text => SX_LINE_TEXT,
        LineKind::NameValue => SX_LINE_NAME_VALUE,
        LineKind::Space => SX_LINE_SPACE,
    }
}

/// Appends `s` with a NUL and returns its offset; "" shares offset 0. A NUL inside the text (JSON "\u0000")
/// would cut the C string short, so it becomes U+FFFD.
fn push_c_string(strings: &mut Vec<u8>, s: &str) -> usize {
    if s.is_empty() {
        return 0;
    }
    let offset = strings.len();
    if s.contains('\0') {
        strings.extend_from_slice(s.replace('\0', "\u{FFFD}").as_bytes());
    } else {
        strings.extend_from_slice(s.as_bytes());
    }
    strings.push(0);
    offset
}

/// Parses a Smart Transaction (the answer of `sx_start_cash`, or any API answer holding one) from `len` bytes
/// of UTF-8 JSON at `json` (no NUL needed).
///
/// Lenient: fields of unexpected types, unknown fields, unknown receipt line types, a key given twice (the last
/// counts), a number too large for a double and a leading UTF-8 byte-order mark never fail a parse. A receipt
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
        // SAFETY: the caller's contract: NULL or a live transaction.
        unsafe { tx.as_ref() }.map_or(c"".as_ptr(), |tx| tx.c_string(tx.id))
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
        // SAFETY: the caller's contract: NULL or a live transaction.
        unsafe { tx.as_ref() }.map_or(c"".as_ptr(), |tx| tx.c_string(tx.status))
    })
}

/// The total, `basket_info.sum`, in cents; 0 when absent or `tx` is NULL. Threads: any.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_transaction_sum(tx: *const sx_transaction) -> i64 {
    ffi_boundary!(fallback = 0; {
        // SAFETY: the caller's contract: NULL or a live transaction.
        unsafe { tx.as_ref() }.map_or(0, |tx| tx.sum)
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

/// The number of lines of a receipt: `which` is `SX_RECEIPT_CUSTOMER` or `SX_RECEIPT_MERCHANT`.
/// 0 for a NULL `tx`, an unknown `which`, or a receipt the answer did not have.
/// Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction.
#[no_mangle]
pub unsafe extern "C" fn sx_receipt_count(tx: *const sx_transaction, which: u32) -> usize {
    ffi_boundary!(fallback = 0; {
        // SAFETY: the caller's contract: NULL or a live transaction.
        let tx = unsafe { tx.as_ref() };
        tx.and_then(|tx| tx.receipt(which)).map_or(0, <[_]>::len)
    })
}

/// Fills `*out` with line `index` (from 0) of a receipt (`which` as for `sx_receipt_count`).
///
/// `SX_ERR_NULL_ARGUMENT` for a NULL `tx` or `out`, `SX_ERR_INVALID_ARGUMENT` for an unknown `which`,
/// `SX_ERR_OUT_OF_RANGE` for `index >= sx_receipt_count(tx, which)`; `*out` is written only on `SX_OK`.
/// Ownership: the strings in `*out` belong to `tx` and stay valid until `sx_transaction_free(tx)`.
/// Threads: any, also at once on the same `tx`.
///
/// # Safety
/// `tx` is NULL or a live transaction; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_receipt_line_get(
    tx: *const sx_transaction,
    which: u32,
    index: usize,
    out: *mut sx_receipt_line,
) -> sx_result {
    ffi_boundary!({
        let tx = try_ref!(tx);
        let out = try_out!(out);
        let lines = tx.receipt(which).ok_or_else(|| {
            Failure::invalid(format!("`which` is {which}, not SX_RECEIPT_CUSTOMER or SX_RECEIPT_MERCHANT"))
        })?;
        let line = lines.get(index).ok_or_else(|| {
            Failure::new(SX_ERR_OUT_OF_RANGE, format!("line {index} asked for, the receipt has {}", lines.len()))
        })?;
        let [r#type, caption, text, name, value] = line.strings.map(|offset| tx.c_string(offset));
        out.write(sx_receipt_line {
            kind: kind_code(line.kind),
            decorations: line.decorations.bits(),
            r#type,
            caption,
            text,
            name,
            value,
        });
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoration_bits_are_the_contract_values() {
        assert_eq!(Decorations::IMPORTANT.bits(), SX_DECO_IMPORTANT);
        assert_eq!(Decorations::ALIGN_LEFT.bits(), SX_DECO_ALIGN_LEFT);
        assert_eq!(Decorations::ALIGN_CENTER.bits(), SX_DECO_ALIGN_CENTER);
        assert_eq!(Decorations::ALIGN_RIGHT.bits(), SX_DECO_ALIGN_RIGHT);
    }

    #[test]
    fn strings_share_one_buffer_and_nul_inside_text_is_replaced() {
        let mut strings = vec![0u8];
        assert_eq!(push_c_string(&mut strings, ""), 0);
        let at = push_c_string(&mut strings, "a\0b");
        assert_eq!(&strings[at..], "a\u{FFFD}b\0".as_bytes());
    }
}
