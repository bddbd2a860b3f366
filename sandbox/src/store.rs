//! The sandbox's state: transactions, each with its behaviour and the record
//! of the API requests made for it, plus the API request counter.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde::Serialize;

use crate::auth::HeaderAuth;
use crate::behaviour::Behaviour;
use crate::cli::Options;
use crate::oauth::{Issued, OAuth};
use crate::transaction::Transaction;

/// The transaction that exists at start (the seed document's id).
pub const SEED_ID: &str = "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2";

/// What the control API reports about one API request (never the token itself); members in this order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub authorization: HeaderAuth,
    pub authenticate: HeaderAuth,
    pub user_agent: Option<String>,
    pub accept: Option<String>,
}

struct Entry {
    transaction: Transaction,
    behaviour: Behaviour,
    requests: Vec<RequestRecord>,
}

/// Why a start did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartRefused {
    UnknownId,
    AlreadyStarted,
}

pub struct Store {
    entries: HashMap<String, Entry>,
}

impl Store {
    pub fn new() -> Store {
        let mut store = Store { entries: HashMap::new() };
        store.create(SEED_ID, Behaviour::Normal);
        store
    }

    /// A fresh copy of the seed under `id` (replacing whatever had that id), status "created".
    pub fn create(&mut self, id: &str, behaviour: Behaviour) {
        let transaction = Transaction::created(id);
        self.entries.insert(id.to_owned(), Entry { transaction, behaviour, requests: Vec::new() });
    }

    /// Records a request for a known id and returns that transaction's behaviour; None for an unknown id.
    pub fn record(&mut self, id: &str, request: RequestRecord) -> Option<Behaviour> {
        let entry = self.entries.get_mut(id)?;
        entry.requests.push(request);
        Some(entry.behaviour.clone())
    }

    pub fn set_behaviour(&mut self, id: &str, behaviour: Behaviour) -> bool {
        match self.entries.get_mut(id) {
            Some(entry) => {
                entry.behaviour = behaviour;
                true
            }
            None => false,
        }
    }

    pub fn requests(&self, id: &str) -> Option<Vec<RequestRecord>> {
        self.entries.get(id).map(|entry| entry.requests.clone())
    }

    pub fn transaction(&self, id: &str) -> Option<Transaction> {
        self.entries.get(id).map(|e| e.transaction.clone())
    }

    /// Starts a "created" transaction: `status` becomes `final_status` ("ok", or "failed" for that behaviour)
    /// and payment_method the method from the path. Returns the transaction as it is afterwards.
    pub fn start(&mut self, id: &str, method: &str, final_status: &str) -> Result<Transaction, StartRefused> {
        let entry = self.entries.get_mut(id).ok_or(StartRefused::UnknownId)?;
        let transaction = &mut entry.transaction;
        if transaction.is_started() {
            return Err(StartRefused::AlreadyStarted);
        }
        transaction.status = final_status.to_owned();
        transaction.payment_method = Some(method.to_owned());
        Ok(transaction.clone())
    }
}

/// Writes `bytes` to a temporary file next to `path`, then renames it over `path`: a reader (or a crash)
/// sees the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&temporary);
            Err(e)
        }
    }
}

/// Everything the handlers share.
pub struct AppState {
    store: Mutex<Store>,
    oauth: Mutex<OAuth>,
    api_requests: AtomicU64,
    /// Fixed bearer tokens (`--token`), always accepted.
    tokens: Vec<String>,
    /// Refuse tokens this server neither was given nor issued (`--token` or `--client` given).
    strict_tokens: bool,
    /// 401, or 403 with code 2003, for a token that is refused.
    reject_status: AtomicU16,
}

impl AppState {
    pub fn new(options: &Options, store: Store) -> AppState {
        AppState {
            store: Mutex::new(store),
            oauth: Mutex::new(OAuth::new(options.oauth.clone())),
            api_requests: AtomicU64::new(0),
            tokens: options.tokens.clone(),
            strict_tokens: options.strict_tokens,
            reject_status: AtomicU16::new(options.reject_status),
        }
    }

    /// The store; never hold the guard across an `.await`. A panicked holder leaves consistent JSON behind,
    /// so a poisoned lock is simply taken over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The OAuth state; same rules as [`AppState::store`].
    pub fn oauth(&self) -> MutexGuard<'_, OAuth> {
        self.oauth.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the API takes this bearer token: a fixed one, a live issued one, or (lenient mode) any token
    /// that was never issued here.
    pub fn accepts(&self, token: &str) -> bool {
        if self.tokens.iter().any(|t| t == token) {
            return true;
        }
        match self.oauth().check(token, Instant::now()) {
            Issued::Valid => true,
            Issued::Stale => false,
            Issued::Unknown => !self.strict_tokens,
        }
    }

    pub fn reject_status(&self) -> u16 {
        self.reject_status.load(Ordering::Relaxed)
    }

    pub fn set_reject_status(&self, status: u16) {
        self.reject_status.store(status, Ordering::Relaxed);
    }

    pub fn count_api_request(&self) {
        self.api_requests.fetch_add(1, Ordering::Relaxed);
    }

    pub fn api_requests(&self) -> u64 {
        self.api_requests.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> RequestRecord {
        RequestRecord {
            method: "POST".into(),
            path: "/p".into(),
            authorization: HeaderAuth::Valid,
            authenticate: HeaderAuth::Missing,
            user_agent: Some("ua".into()),
            accept: None,
        }
    }

    #[test]
    fn seed_exists_as_created() {
        let store = Store::new();
        assert_eq!(store.transaction(SEED_ID), Some(Transaction::created(SEED_ID)));
    }

    #[test]
    fn start_once_then_refuse() {
        let mut store = Store::new();
        store.create("STX_A", Behaviour::Normal);
        let started = store.start("STX_A", "cashless", "ok").unwrap();
        assert_eq!(started.id, "STX_A");
        assert_eq!(started.status, "ok");
        assert_eq!(started.payment_method.as_deref(), Some("cashless"));
        assert_eq!(store.transaction("STX_A").unwrap(), started);
        assert_eq!(store.start("STX_A", "cash", "ok"), Err(StartRefused::AlreadyStarted));
        assert_eq!(store.start("STX_B", "cash", "ok"), Err(StartRefused::UnknownId));
        // The seed is untouched by starting another copy.
        assert_eq!(store.transaction(SEED_ID).unwrap().status, "created");
    }

    #[test]
    fn create_replaces_an_existing_transaction_with_a_fresh_copy() {
        let mut store = Store::new();
        store.start(SEED_ID, "cash", "failed").unwrap();
        store.record(SEED_ID, record());
        store.create(SEED_ID, Behaviour::Reset);
        assert_eq!(store.transaction(SEED_ID).unwrap().status, "created");
        assert_eq!(store.requests(SEED_ID), Some(vec![]));
        assert_eq!(store.record(SEED_ID, record()), Some(Behaviour::Reset));
    }

    #[test]
    fn requests_are_recorded_for_known_ids_only() {
        let mut store = Store::new();
        assert_eq!(store.record("STX_NOPE", record()), None);
        assert_eq!(store.requests("STX_NOPE"), None);
        assert_eq!(store.record(SEED_ID, record()), Some(Behaviour::Normal));
        assert_eq!(
            serde_json::to_value(store.requests(SEED_ID).unwrap()).unwrap(),
            json!([{"method":"POST","path":"/p","authorization":"valid","authenticate":"missing",
                    "user_agent":"ua","accept":null}])
        );
    }

    #[test]
    fn behaviour_can_be_set_on_known_ids_only() {
        let mut store = Store::new();
        assert!(store.set_behaviour(SEED_ID, Behaviour::Truncate));
        assert!(!store.set_behaviour("STX_NOPE", Behaviour::Truncate));
        assert_eq!(store.record(SEED_ID, record()), Some(Behaviour::Truncate));
    }
}
