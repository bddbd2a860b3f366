//! The journal of an `sx_client`: a write-ahead record, in an SQLite file on the till's disk, of every call that
//! changes a transaction, so that after a crash or a power cut the register knows what was in flight, settles
//! it with the API (`sx_client_reconcile`) and can print again what was paid.
//!
//! Journaled calls: `sx_transaction_create`, `sx_transaction_start` (every method),
//! `sx_transaction_start_cashless_direct`, `sx_client_start_cash`, `sx_transaction_cancel`,
//! `sx_transaction_abort` and `sx_transaction_cancel_by_receipt`. Not journaled (they move no money and may be
//! repeated): reads, lists, update, preTransaction, end of day, diagnosis; nor the plain `sx_start_cash`.
//!
//! With a journal open, a journaled call writes its entry and syncs it to the disk before anything of the call
//! is sent (its token request included), and records its outcome when it ends. If the entry cannot be written,
//! the call returns `SX_ERR_JOURNAL` and sends nothing; if the outcome cannot be recorded, the call returns its
//! own result and the entry stays PENDING for `sx_client_reconcile`. A call refused by its argument checks
//! writes no entry. A process that dies during a call leaves its entry PENDING with `result` 0.
//!
//! The outcome of a call from its result: `SX_OK` is DONE (for `sx_client_start_cash` a too small buffer too:
//! the payment was made; the entry's `result` is then 0). `SX_ERR_NOT_OK`: a start by the verdict of the
//! transaction that came back (not paid, e.g. `failed`: NOT_DONE, kept with its transaction; in progress or
//! unknown: PENDING); a cancel or abort by the state it came back in (cancelled/canceled, aborted: DONE; in
//! progress: PENDING; other: NOT_DONE). `SX_ERR_CONNECT`, `SX_ERR_TLS`, `SX_ERR_UNAUTHORIZED`, `SX_ERR_API`,
//! `SX_ERR_CANCELLED`, `SX_ERR_EXPIRED`: NOT_DONE. `SX_ERR_HTTP`: PENDING after a 5xx, 1xx, 101 or 304 (the
//! request was received), else NOT_DONE. Every other code (`SX_ERR_OUTCOME_UNKNOWN`, `SX_ERR_BAD_RESPONSE`,
//! `SX_ERR_PANIC`, ...): PENDING.
//!
//! The file: SQLite in WAL mode with `synchronous=FULL` (with WAL and NORMAL the last commits may be lost at a
//! power cut, and a write-ahead record that vanishes breaks the promise); `PRAGMA application_id` 0x534D5458
//! ("SMTX") and a schema version in `user_version`, an older version migrated at open. It holds the answers as
//! they came (they may hold a loyalty card number, as the printed receipt does: hence mode 0600), never a
//! token, client secret, refresh token, device code or `Authorization` header. Settled entries older than 400
//! days are removed when the journal is opened; PENDING ones never are, and a sequence number is never reused.
//! SQLite is built into the library: a till needs no SQLite of its own.
//!
//! Several clients and several processes may use one journal file at once; a lock held by another is waited
//! for up to the client's connect timeout, then `SX_ERR_JOURNAL` and nothing sent. On a client without a
//! journal, the `sx_journal_*` functions and `sx_client_reconcile` are `SX_ERR_JOURNAL`.

use std::ffi::{c_char, CString};
use std::path::Path;

use super::boundary::{ffi_boundary, free_handle, into_handle, ref_or, try_out, try_ref, try_str, Failure};
use super::client::sx_client;
use super::result::*;
use super::transaction::sx_transaction;
use crate::api;
use crate::journal::{Entry, Journal, Outcome};
use crate::model::Transaction;

/// `sx_journal_entry.call`: `sx_transaction_create`.
pub const SX_CALL_CREATE: u32 = 1;
/// `sx_journal_entry.call`: a start of any method, `cashless_direct` and `sx_client_start_cash` too.
pub const SX_CALL_START: u32 = 2;
/// `sx_journal_entry.call`: `sx_transaction_cancel`.
pub const SX_CALL_CANCEL: u32 = 3;
/// `sx_journal_entry.call`: `sx_transaction_abort`.
pub const SX_CALL_ABORT: u32 = 4;
/// `sx_journal_entry.call`: `sx_transaction_cancel_by_receipt`.
pub const SX_CALL_CANCEL_BY_RECEIPT: u32 = 5;

/// `sx_journal_entry.outcome`: sent or perhaps sent; the result is not known yet.
pub const SX_OUTCOME_PENDING: u32 = 0;
/// `sx_journal_entry.outcome`: the API did it (created, paid, cancelled, aborted).
pub const SX_OUTCOME_DONE: u32 = 1;
/// `sx_journal_entry.outcome`: it did not happen (not sent, refused, declined, or read back as not done).
pub const SX_OUTCOME_NOT_DONE: u32 = 2;

/// One entry of the journal. Filled by `sx_journal_list_get`.
///
/// The strings are UTF-8, never NULL ("" when absent), owned by the list and valid until
/// `sx_journal_list_free`; do not free them.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sx_journal_entry {
    /// 1, 2, 3 ... in the order the calls began in this journal; never reused.
    pub seq: i64,
    /// `SX_CALL_CREATE`, `SX_CALL_START`, `SX_CALL_CANCEL`, `SX_CALL_ABORT` or `SX_CALL_CANCEL_BY_RECEIPT`.
    pub call: u32,
    /// `SX_OUTCOME_PENDING`, `SX_OUTCOME_DONE` or `SX_OUTCOME_NOT_DONE`.
    pub outcome: u32,
    /// What the call returned to its caller; 0 while it runs or if a crash ended it.
    pub result: sx_result,
    /// The HTTP status of the call's answer; 0 if none.
    pub http_status: i32,
    /// Unix time (ms) the entry was written, before the request's first byte.
    pub began_ms: i64,
    /// When the outcome became known (by the answer or by reconcile); 0 while pending.
    pub settled_ms: i64,
    /// The transaction it concerns; for a create "" until known; for a cancel by receipt number "" unless
    /// the answer named it.
    pub transaction_id: *const c_char,
    /// A start's method ("cash", "cashless", "cashless_direct", ...); "" for other calls.
    pub method: *const c_char,
    /// A create: the basket's transactionRef; a cancel by receipt: the receipt number; "" otherwise.
    pub reference: *const c_char,
}

/// An entry as the list keeps it: its strings for C and the transaction of its answer.
struct ListedEntry {
    entry: Entry,
    transaction_id: CString,
    method: CString,
    reference: CString,
    transaction: Option<sx_transaction>,
}

/// A snapshot of entries of a journal (`sx_journal_pending`, `sx_journal_recent`). Opaque: freed by
/// `sx_journal_list_free`. Later calls do not change it. Read-only, so a `const sx_journal_list *` may be read
/// from several threads at once.
pub struct sx_journal_list {
    entries: Vec<ListedEntry>,
}

/// Text from the file for C: a NUL inside (which no id, method or reference can hold) would cut it short.
fn c_text(text: &str) -> CString {
    CString::new(text.replace('\0', " ")).expect("NULs were replaced")
}

fn listed(entries: Vec<Entry>) -> sx_journal_list {
    let entries = entries
        .into_iter()
        .map(|entry| ListedEntry {
            transaction_id: c_text(&entry.transaction_id),
            method: c_text(&entry.method),
            reference: c_text(&entry.reference),
            // The model's own reading of the answer kept: the same one a call's answer gets.
            transaction: entry
                .answer
                .as_deref()
                .and_then(|json| Transaction::from_json(json).ok())
                .map(sx_transaction::new),
            entry,
        })
        .collect();
    sx_journal_list { entries }
}

fn journal_of(client: &sx_client) -> Result<&Journal, Failure> {
    client.core.journal().ok_or_else(|| api::no_journal().into())
}

/// Opens the client's journal at `path` (UTF-8), or creates the file (never its folder) with mode 0600 on
/// unix. A 0-byte file is a new journal, and so is an SQLite file with nothing in it (no table, no application id:
/// what a process killed during its very first open leaves). Call it once, before the first call of the client, then
/// `sx_client_reconcile` to settle what an earlier run left in flight.
///
/// `SX_ERR_INVALID_ARGUMENT`: the client has a journal already (a failed open does not count).
/// `SX_ERR_JOURNAL`: the file cannot be created, opened or written (a missing folder, no permission, a
/// read-only file, folder or file system, a full disk, a lock held by another past the client's connect
/// timeout: a journal that could not take an entry is refused here, at start-up, and the message names the
/// cause), or it is not a smartx journal, or it is damaged (it fails
/// SQLite's integrity check or its schema is not ours): such a file is left byte for byte as it was, never
/// recreated, truncated or repaired; the message says why. Several clients and processes may open one file.
/// Ownership: `path` is read during the call only. Threads: any.
///
/// # Safety
/// `client` is NULL or a live client; `path` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn sx_client_open_journal(client: *mut sx_client, path: *const c_char) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let path = try_str!(path);
        if path.is_empty() {
            return Err(Failure::invalid("`path` is empty"));
        }
        client.core.open_journal(Path::new(path))?;
        Ok(())
    })
}

/// The PENDING entries of the client's journal, oldest first: the calls whose result is not known yet. `*out`
/// receives a new list the caller owns and frees with `sx_journal_list_free`; on failure it is left as it was.
/// `SX_ERR_JOURNAL` when no journal is open or the file cannot be read. Threads: any.
///
/// # Safety
/// `client` is NULL or a live client; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_journal_pending(client: *mut sx_client, out: *mut *mut sx_journal_list) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let out = try_out!(out);
        let entries = journal_of(client)?.pending()?;
        out.write(into_handle(listed(entries)));
        Ok(())
    })
}

/// The newest `max_entries` entries of the client's journal (0: every entry), newest first: to print a receipt
/// again, or to show the day's calls. `*out` as for `sx_journal_pending`. Threads: any.
///
/// # Safety
/// `client` is NULL or a live client; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_journal_recent(
    client: *mut sx_client,
    max_entries: u32,
    out: *mut *mut sx_journal_list,
) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let out = try_out!(out);
        let entries = journal_of(client)?.recent(max_entries)?;
        out.write(into_handle(listed(entries)));
        Ok(())
    })
}

/// The number of entries in a list (0 for NULL). Threads: any.
///
/// # Safety
/// `list` is NULL or a live list.
#[no_mangle]
pub unsafe extern "C" fn sx_journal_list_count(list: *const sx_journal_list) -> usize {
    ffi_boundary!(fallback = 0; {
        let list = ref_or!(list, 0);
        list.entries.len()
    })
}

/// Writes entry `index` (from 0) of a list to `*out`. `SX_ERR_OUT_OF_RANGE` for `index >= count`, `*out`
/// untouched. Ownership: the strings of `*out` belong to the list and stay valid until
/// `sx_journal_list_free`. Threads: any, also at once on one list.
///
/// # Safety
/// `list` is NULL or a live list; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_journal_list_get(
    list: *const sx_journal_list,
    index: usize,
    out: *mut sx_journal_entry,
) -> sx_result {
    ffi_boundary!({
        let list = try_ref!(list);
        let out = try_out!(out);
        let Some(listed) = list.entries.get(index) else {
            return Err(Failure::new(
                SX_ERR_OUT_OF_RANGE,
                format!("index {index} is past the end of the list of {} entries", list.entries.len()),
            ));
        };
        let entry = &listed.entry;
        out.write(sx_journal_entry {
            seq: entry.seq,
            call: entry.call as u32,
            outcome: entry.outcome as u32,
            result: entry.result,
            http_status: entry.http_status,
            began_ms: entry.began_ms,
            settled_ms: entry.settled_ms,
            transaction_id: listed.transaction_id.as_ptr(),
            method: listed.method.as_ptr(),
            reference: listed.reference.as_ptr(),
        });
        Ok(())
    })
}

/// The transaction of entry `index` as its answer or a read-back of reconcile gave it (a paid start: the
/// receipt to print again, with `sx_receipt_render` or `sx_receipt_render_copy`, without the network); NULL
/// when there is none (the call got no transaction back) or for a NULL list or an index past the end.
///
/// Ownership: borrowed; it belongs to the list, stays valid until `sx_journal_list_free`, and must not be given
/// to `sx_transaction_free`. Threads: any, also at once on one list.
///
/// # Safety
/// `list` is NULL or a live list.
#[no_mangle]
pub unsafe extern "C" fn sx_journal_list_transaction(
    list: *const sx_journal_list,
    index: usize,
) -> *const sx_transaction {
    ffi_boundary!(fallback = std::ptr::null(); {
        let list = ref_or!(list, std::ptr::null());
        let listed = list.entries.get(index);
        listed.and_then(|listed| listed.transaction.as_ref()).map_or(std::ptr::null(), |tx| tx as *const _)
    })
}

/// Frees a list, its strings and its transactions. NULL does nothing; freeing twice is undefined behaviour.
/// Threads: any, once no other thread uses the list.
///
/// # Safety
/// `list` is NULL or a list from `sx_journal_pending` or `sx_journal_recent` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sx_journal_list_free(list: *mut sx_journal_list) {
    ffi_boundary!(fallback = (); {
        // SAFETY: the caller's contract: NULL or a list made here, freed once.
        unsafe { free_handle(list) }
    })
}

/// Settles the PENDING entries by asking the API, oldest first; never repeats a call. Call it at start-up after
/// `sx_client_open_journal`, and whenever the network is back.
///
/// A start: the transaction read back (paid: DONE; not paid, e.g. `created` or `failed`: NOT_DONE; in progress
/// or an unknown status: stays PENDING). A cancel or abort: read back; the state the call makes (cancelled or
/// canceled; aborted): DONE; an in-progress state: PENDING; any other: NOT_DONE. A create: its reference
/// listed over all pages and matched byte for byte; exactly one match: DONE with its `transaction_id`; none:
/// NOT_DONE; several: stays PENDING for a person (`sx_journal_settle`). A cancel by receipt number: the API
/// has no read by receipt number, so only an entry whose answer named the transaction is read back (as a
/// cancel); the others stay PENDING for a person. A read-back's transaction is kept with its entry.
///
/// Skips the entries of calls still under way: of this client, of other clients of this process, and of
/// other processes that still run (each entry records its writer's process id and start time; a process that
/// ended, or whose id now names another process, runs no call any more).
///
/// A failed read leaves its entry PENDING and reconcile goes on with the next, except after `SX_ERR_CONNECT`
/// or `SX_ERR_TLS` (the network is down: it stops). Returns `SX_OK` when every read it made worked, else the
/// first failure's code (`SX_ERR_JOURNAL` without a journal). `*settled` (entries this call moved out of
/// PENDING) and `*still_pending` (PENDING after it) are written in both cases; either may be NULL. It changes
/// only an entry's outcome, `settled_ms`, kept transaction and a create's `transaction_id`. Blocks for the
/// reads it makes, each within the total timeout. Threads: any; two reconciles at once settle each entry once.
///
/// # Safety
/// `client` is NULL or a live client; `settled` and `still_pending` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn sx_client_reconcile(
    client: *mut sx_client,
    settled: *mut usize,
    still_pending: *mut usize,
) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let reconciled = api::reconcile(&client.core);
        // SAFETY: the caller's contract: NULL or writable.
        if let Some(out) = unsafe { settled.as_mut() } {
            *out = reconciled.settled;
        }
        // SAFETY: the caller's contract: NULL or writable.
        if let Some(out) = unsafe { still_pending.as_mut() } {
            *out = reconciled.still_pending;
        }
        reconciled.result?;
        Ok(())
    })
}

/// A person's decision for what no read-back can settle: PENDING entry `seq` becomes `outcome`
/// (`SX_OUTCOME_DONE` or `SX_OUTCOME_NOT_DONE`). Any other entry (settled already, or none) or outcome is
/// `SX_ERR_INVALID_ARGUMENT`. Threads: any.
///
/// # Safety
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn sx_journal_settle(client: *mut sx_client, seq: i64, outcome: u32) -> sx_result {
    ffi_boundary!({
        let client = try_ref!(client);
        let journal = journal_of(client)?;
        let outcome = match outcome {
            SX_OUTCOME_DONE => Outcome::Done,
            SX_OUTCOME_NOT_DONE => Outcome::NotDone,
            other => {
                return Err(Failure::invalid(format!(
                    "outcome {other} is neither SX_OUTCOME_DONE (1) nor SX_OUTCOME_NOT_DONE (2)"
                )))
            }
        };
        journal.settle(seq, outcome)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::boundary::Failure;
    use crate::http::{Error, ErrorKind};
    use crate::journal::result_code;

    /// The journal keeps the code the caller got: the same numbers the boundary gives.
    #[test]
    fn the_journal_keeps_the_c_result_codes() {
        use ErrorKind::*;
        for kind in [
            InvalidArgument,
            Connect,
            OutcomeUnknown,
            Tls,
            Unauthorized,
            Api,
            Http,
            BadResponse,
            NotOk,
            Cancelled,
            Expired,
            Journal,
        ] {
            let e = Error::new(kind, "x");
            assert_eq!(result_code(&Err(e.clone())), Failure::from(e).code, "{kind:?}");
        }
        assert_eq!(result_code(&Ok(())), SX_OK);
        assert_eq!(
            (SX_CALL_CREATE, SX_CALL_START, SX_CALL_CANCEL, SX_CALL_ABORT, SX_CALL_CANCEL_BY_RECEIPT),
            (
                crate::journal::Call::Create as u32,
                crate::journal::Call::Start as u32,
                crate::journal::Call::Cancel as u32,
                crate::journal::Call::Abort as u32,
                crate::journal::Call::CancelByReceipt as u32
            )
        );
        assert_eq!(
            (SX_OUTCOME_PENDING, SX_OUTCOME_DONE, SX_OUTCOME_NOT_DONE),
            (Outcome::Pending as u32, Outcome::Done as u32, Outcome::NotDone as u32)
        );
    }
}
