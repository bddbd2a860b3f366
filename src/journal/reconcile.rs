//! Reconcile: settles PENDING entries by asking the API, oldest first; never repeats a call.

use super::entry::{outcome_of_state, Call, Entry, Outcome};
use super::store::Journal;
use crate::http::{Error, ErrorKind};

/// The reads reconcile makes, done by the logged-in client (`api`).
pub trait ReadBack {
    /// The transaction `id` as the API has it now: its raw JSON and its `status`.
    fn read(&self, id: &str) -> Result<ReadTransaction, Error>;
    /// The transactions whose `transactionRef` is `reference` byte for byte, over all pages of the list.
    fn find(&self, reference: &str) -> Result<Vec<ReadTransaction>, Error>;
}

/// A transaction read back.
#[derive(Debug, Clone)]
pub struct ReadTransaction {
    pub id: String,
    pub status: Option<String>,
    /// Its raw JSON, kept with the entry for printing again.
    pub json: Vec<u8>,
}

/// What one reconcile did.
#[derive(Debug)]
pub struct Reconciled {
    /// Entries this reconcile moved out of PENDING.
    pub settled: usize,
    /// Entries PENDING after it.
    pub still_pending: usize,
    /// Ok when every read worked, else the first failure.
    pub result: Result<(), Error>,
}

/// Settles what the API can tell, oldest first, skipping the calls still under way (`Journal::may_be_running`).
/// A failed read leaves its entry PENDING and goes on with the next, except after a connect or TLS failure:
/// the network is down, and every further read would wait for its timeout to fail the same way.
pub fn reconcile(journal: &Journal, api: &dyn ReadBack) -> Reconciled {
    let mut settled = 0;
    let mut first_failure = None;
    match journal.pending() {
        Ok(pending) => {
            for entry in pending.iter().filter(|entry| !journal.may_be_running(entry)) {
                match settle(journal, api, entry) {
                    Ok(moved) => settled += usize::from(moved),
                    Err(e) => {
                        let stop = matches!(e.kind, ErrorKind::Connect | ErrorKind::Tls | ErrorKind::Journal);
                        first_failure.get_or_insert(e);
                        if stop {
                            break;
                        }
                    }
                }
            }
        }
        Err(e) => first_failure = Some(e),
    }
    let still_pending = match journal.count_pending() {
        Ok(n) => n,
        Err(e) => {
            first_failure.get_or_insert(e);
            0
        }
    };
    Reconciled { settled, still_pending, result: first_failure.map_or(Ok(()), Err) }
}

/// One entry: true when it left PENDING.
fn settle(journal: &Journal, api: &dyn ReadBack, entry: &Entry) -> Result<bool, Error> {
    match entry.call {
        Call::Create => {
            let found = api.find(&entry.reference)?;
            match found.as_slice() {
                [one] => journal.settle_pending(entry.seq, Outcome::Done, Some(&one.json), &one.id),
                [] => journal.settle_pending(entry.seq, Outcome::NotDone, None, ""),
                // Several sales with one reference: only a person can tell which is this call's.
                _ => Ok(false),
            }
        }
        // A cancel by receipt number names no transaction, and the API has no read by receipt number: only an
        // entry whose answer named the transaction can be read back; the others stay for a person.
        Call::CancelByReceipt if entry.transaction_id.is_empty() => Ok(false),
        Call::Start | Call::Cancel | Call::Abort | Call::CancelByReceipt => {
            let read = api.read(&entry.transaction_id)?;
            let outcome = outcome_of_state(entry.call, read.status.as_deref());
            journal.settle_pending(entry.seq, outcome, Some(&read.json), "")
        }
    }
}
