//! The reads of the journal's reconcile, made by the logged-in client: a transaction by its id, and the
//! transactions of a reference over all pages of the list.

use super::calls::{get, list, RefQuery};
use super::Client;
use crate::http::{Error, ErrorKind, TransactionId};
use crate::journal::{self, ReadBack, ReadTransaction, Reconciled};
use crate::model::Transaction;

/// The page size of reconcile's search by reference.
const PAGE: u32 = 100;
/// A list that never ends (a server that keeps counting) is not followed past this many pages.
const MAX_PAGES: u32 = 100;

/// Settles the PENDING entries of the client's journal (`journal::reconcile`); [`ErrorKind::Journal`] without
/// one.
pub fn reconcile(client: &Client) -> Reconciled {
    match client.journal() {
        Some(journal) => journal::reconcile(journal, client),
        None => Reconciled { settled: 0, still_pending: 0, result: Err(no_journal()) },
    }
}

pub fn no_journal() -> Error {
    Error::new(ErrorKind::Journal, "no journal is open on this client (sx_client_open_journal)")
}

fn read_transaction(transaction: &Transaction, json: Vec<u8>) -> ReadTransaction {
    ReadTransaction {
        id: transaction.text(transaction.id).unwrap_or_default().to_owned(),
        status: transaction.text(transaction.status).map(str::to_owned),
        json,
    }
}

impl ReadBack for Client {
    fn read(&self, id: &str) -> Result<ReadTransaction, Error> {
        let id = TransactionId::parse(id)?;
        let answer = get(self, id);
        let json = answer.body.clone();
        let transaction = answer.into_result()?;
        Ok(read_transaction(&transaction, json))
    }

    fn find(&self, reference: &str) -> Result<Vec<ReadTransaction>, Error> {
        let query = RefQuery::transaction_ref(reference)?;
        let mut found = Vec::new();
        let mut offset = 0u32;
        for _ in 0..MAX_PAGES {
            let page = list(self, &query, PAGE, offset).into_result()?;
            let total = page.count.unwrap_or(0);
            let len = page.data.len();
            // The API's search may match more loosely than the reference: only a byte-exact one counts.
            for transaction in page.data.iter().filter(|t| t.text(t.transaction_ref) == Some(reference)) {
                found.push(read_transaction(transaction, transaction.source.text().as_bytes().to_vec()));
            }
            offset = offset.saturating_add(u32::try_from(len).unwrap_or(u32::MAX));
            if len == 0 || i64::from(offset) >= total {
                return Ok(found);
            }
        }
        Err(Error::new(
            ErrorKind::BadResponse,
            format!("the list of the reference did not end after {MAX_PAGES} pages of {PAGE}"),
        ))
    }
}
