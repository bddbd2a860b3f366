//! This thread's last failure, HTTP status and answer body. Per thread, so that threads calling at once never
//! see each other's answers. Kept by the boundary and the calls; read by the C functions of `last.rs`.

use std::cell::RefCell;

use crate::model::Transaction;

pub(super) struct LastCall {
    pub(super) error: String,
    pub(super) http_status: i32,
    pub(super) response: Vec<u8>,
    /// `response` as the call read it to decide its outcome, until `sx_transaction_parse` of the same bytes
    /// takes it: a register parses the answer of a payment right after it, and reading it twice costs more
    /// than the rest of the call.
    parsed: Option<Transaction>,
}

thread_local! {
    static LAST: RefCell<LastCall> = const {
        RefCell::new(LastCall { error: String::new(), http_status: 0, response: Vec::new(), parsed: None })
    };
}

/// `try_with`: a call made while the thread is being torn down finds no state and does nothing.
pub(super) fn with<R>(f: impl FnOnce(&mut LastCall) -> R) -> Option<R> {
    LAST.try_with(|last| f(&mut last.borrow_mut())).ok()
}

pub(crate) fn set_error(message: &str) {
    with(|last| {
        last.error.clear();
        // A NUL would cut the C string short.
        last.error.extend(message.chars().map(|c| if c == '\0' { ' ' } else { c }));
    });
}

#[cfg(test)]
pub(crate) fn error() -> String {
    with(|last| last.error.clone()).unwrap_or_default()
}

/// Starts a new exchange: nothing of an earlier answer may be mistaken for this one's.
pub(crate) fn begin_exchange() {
    with(|last| {
        last.http_status = 0;
        last.response = Vec::new();
        last.parsed = None;
    });
}

/// Keeps the answer of an exchange and, when the call read it as a transaction, that reading.
pub(crate) fn record_exchange(http_status: Option<u16>, body: Vec<u8>, parsed: Option<Transaction>) {
    with(|last| {
        last.http_status = http_status.map_or(0, i32::from);
        last.response = body;
        last.parsed = parsed;
    });
}

/// The reading of this thread's last answer, if `json` is that answer byte for byte and the reading was not
/// taken yet: what reading `json` gives, without reading it again.
pub(crate) fn take_parsed(json: &[u8]) -> Option<Transaction> {
    with(|last| match &last.parsed {
        Some(_) if last.response == json => last.parsed.take(),
        _ => None,
    })
    .flatten()
}

/// Frees what this thread holds.
pub(crate) fn clear() {
    with(|last| {
        last.error = String::new();
        last.http_status = 0;
        last.response = Vec::new();
        last.parsed = None;
    });
}
