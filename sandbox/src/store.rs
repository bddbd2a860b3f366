//! The sandbox's state: transactions, each with its behaviour and the record
//! of the API requests made for it, plus the API request counter.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::HeaderAuth;
use crate::behaviour::{take_rule, Behaviour, Rule};
use crate::cli::Options;
use crate::ids;
use crate::log::log;
use crate::loyalty::Loyalty;
use crate::oauth::{Issued, OAuth};
use crate::status::{Call, NotAllowed, Status};
use crate::transaction::{now_iso, waits_for_terminal, Invalid, Numbers, Transaction, METHODS};

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
    /// A copy of the seed nothing but id, status and method changed in: answered with the fixture's text.
    seed_copy: bool,
    /// Creation order, for lists.
    seq: u64,
    /// Settled by an end of day: no longer in the day's totals, no longer reversible by receipt number.
    closed: bool,
    behaviour: Behaviour,
    requests: Vec<RequestRecord>,
}

/// Why a call on a transaction was refused (the API answers 404 or 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    UnknownId,
    AlreadyStarted,
    /// A state rule or a bad body; the text is the error's details.
    Invalid(String),
}

impl From<NotAllowed> for Refused {
    fn from(refusal: NotAllowed) -> Refused {
        match refusal {
            NotAllowed::AlreadyStarted => Refused::AlreadyStarted,
            NotAllowed::Invalid(text) => Refused::Invalid(text),
        }
    }
}

impl From<Invalid> for Refused {
    fn from(Invalid(text): Invalid) -> Refused {
        Refused::Invalid(text)
    }
}

/// What the state file holds (transactions in creation order, and the counters).
#[derive(Serialize, Deserialize)]
struct Saved {
    next_receipt_number: u64,
    next_trans_id: u64,
    transactions: Vec<SavedTransaction>,
}

#[derive(Serialize, Deserialize)]
struct SavedTransaction {
    seed_copy: bool,
    #[serde(default)]
    closed: bool,
    transaction: Transaction,
}

/// The numbers starts hand out; they only grow.
struct Counters {
    next_receipt_number: u64,
    next_trans_id: u64,
}

impl Numbers for Counters {
    fn next_receipt_number(&mut self) -> u64 {
        self.next_receipt_number += 1;
        self.next_receipt_number - 1
    }

    fn next_trans_id(&mut self) -> u64 {
        self.next_trans_id += 2;
        self.next_trans_id - 2
    }
}

/// A page of `GET /Smart/Transactions`.
pub struct Page {
    pub count: usize,
    pub texts: Vec<String>,
}

pub struct Store {
    entries: HashMap<String, Entry>,
    next_seq: u64,
    counters: Counters,
    state_file: Option<PathBuf>,
}

impl Store {
    /// The seed alone, nothing saved.
    pub fn new() -> Store {
        let mut store = Store {
            entries: HashMap::new(),
            next_seq: 0,
            // The fixture's trans_id is 29008411 and the card fixture's receipt_number 3: go on from there.
            counters: Counters { next_receipt_number: 1, next_trans_id: 29_008_413 },
            state_file: None,
        };
        store.create(SEED_ID, Behaviour::Normal);
        store
    }

    /// The transactions saved in `path` (the seed alone if the file does not exist yet); every change is saved
    /// there from now on. A file that cannot be read is an error: starting empty would lose a register's data.
    pub fn with_state_file(path: &Path) -> Result<Store, String> {
        let mut store = Store::new();
        match std::fs::read(path) {
            Ok(bytes) => {
                let saved: Saved = serde_json::from_slice(&bytes)
                    .map_err(|e| format!("the state file {} is not the sandbox's: {e}", path.display()))?;
                store.entries.clear();
                store.counters =
                    Counters { next_receipt_number: saved.next_receipt_number, next_trans_id: saved.next_trans_id };
                for SavedTransaction { seed_copy, closed, transaction } in saved.transactions {
                    let id = transaction.id.clone();
                    store.insert(transaction, seed_copy, Behaviour::Normal);
                    if let Some(entry) = store.entries.get_mut(&id) {
                        entry.closed = closed;
                    }
                }
                if !store.entries.contains_key(SEED_ID) {
                    store.create(SEED_ID, Behaviour::Normal);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot read the state file {}: {e}", path.display())),
        }
        store.state_file = Some(path.to_owned());
        store.save();
        Ok(store)
    }

    /// Writes the state file (if any) atomically; a failure is logged, the API goes on.
    fn save(&self) {
        let Some(path) = &self.state_file else {
            return;
        };
        let mut entries: Vec<&Entry> = self.entries.values().collect();
        entries.sort_by_key(|e| e.seq);
        let saved = Saved {
            next_receipt_number: self.counters.next_receipt_number,
            next_trans_id: self.counters.next_trans_id,
            transactions: entries
                .iter()
                .map(|e| SavedTransaction {
                    seed_copy: e.seed_copy,
                    closed: e.closed,
                    transaction: e.transaction.clone(),
                })
                .collect(),
        };
        let written = serde_json::to_vec_pretty(&saved)
            .map_err(std::io::Error::other)
            .and_then(|bytes| write_atomically(path, &bytes));
        if let Err(e) = written {
            log!("cannot save the state to {}: {e}", path.display());
        }
    }

    fn insert(&mut self, transaction: Transaction, seed_copy: bool, behaviour: Behaviour) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let id = transaction.id.clone();
        self.entries.insert(id, Entry { transaction, seed_copy, seq, closed: false, behaviour, requests: Vec::new() });
    }

    /// A fresh copy of the seed under `id` (replacing whatever had that id), status "created".
    pub fn create(&mut self, id: &str, behaviour: Behaviour) {
        self.insert(Transaction::seed_copy(id), true, behaviour);
        self.save();
    }

    /// `POST /Smart/Transactions`: a new transaction from the body, with a fresh id.
    pub fn create_from_request(&mut self, body: &Value) -> Result<String, Refused> {
        let id = ids::random_transaction_id();
        let transaction = Transaction::from_request(&id, body, &now_iso())?;
        let text = transaction.to_json_text(false);
        self.insert(transaction, false, Behaviour::Normal);
        self.save();
        Ok(text)
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

    /// The transaction's JSON as the API answers it.
    pub fn text(&self, id: &str) -> Result<String, Refused> {
        let entry = self.entries.get(id).ok_or(Refused::UnknownId)?;
        Ok(entry.transaction.to_json_text(entry.seed_copy))
    }

    /// Runs `change` on the transaction, saves, and answers its JSON. `keeps_seed_text` says whether the
    /// change touches only id, status and method (so a seed copy can still be answered with the fixture).
    fn change(
        &mut self,
        id: &str,
        keeps_seed_text: bool,
        change: impl FnOnce(&mut Transaction, &mut Counters) -> Result<(), Refused>,
    ) -> Result<String, Refused> {
        let entry = self.entries.get_mut(id).ok_or(Refused::UnknownId)?;
        change(&mut entry.transaction, &mut self.counters)?;
        entry.seed_copy &= keeps_seed_text;
        let text = entry.transaction.to_json_text(entry.seed_copy);
        self.save();
        Ok(text)
    }

    /// `PUT`: only before start.
    pub fn update(&mut self, id: &str, body: &Value) -> Result<String, Refused> {
        self.change(id, false, |tx, _| {
            tx.status.allows(Call::Update)?;
            Ok(tx.update(body, &now_iso())?)
        })
    }

    /// The first half of a start: refused unless "created"; a method that waits for the terminal leaves it
    /// "processing" (finish with [`Store::finish_start`]), any other finishes at once.
    pub fn start(&mut self, id: &str, method: &str, declined: bool, direct: Option<&Value>) -> Result<String, Refused> {
        if !METHODS.contains(&method) {
            return Err(Refused::Invalid(format!("Unknown payment method {method:?}")));
        }
        self.change(id, true, |tx, counters| {
            tx.status.allows(Call::Start)?;
            if matches!(method, "loyalty" | "prepaid") && tx.idents.is_empty() {
                return Err(Refused::Invalid(format!("start/{method} needs an ident (a customer card)")));
            }
            if waits_for_terminal(method) {
                tx.begin(method, &now_iso());
            } else {
                tx.finish(method, declined, direct, counters, &now_iso());
            }
            Ok(())
        })
    }

    /// The terminal has finished a start begun with [`Store::start`].
    pub fn finish_start(&mut self, id: &str, method: &str, declined: bool) -> Result<String, Refused> {
        self.change(id, true, |tx, counters| {
            tx.finish(method, declined, None, counters, &now_iso());
            Ok(())
        })
    }

    pub fn cancel(&mut self, id: &str) -> Result<String, Refused> {
        self.change(id, true, |tx, _| Ok(tx.cancel(&now_iso())?))
    }

    pub fn abort(&mut self, id: &str) -> Result<String, Refused> {
        self.change(id, true, |tx, _| Ok(tx.abort(&now_iso())?))
    }

    /// `preTransaction`: only before start.
    pub fn pre_transaction(&self, id: &str) -> Result<Value, Refused> {
        let tx = &self.entries.get(id).ok_or(Refused::UnknownId)?.transaction;
        tx.status.allows(Call::PreTransaction)?;
        Ok(tx.pre_transaction())
    }

    /// `canceltrx` by receipt number: the paid card transaction with that number becomes "cancelled", as long
    /// as no end of day has settled it.
    pub fn cancel_by_receipt_number(&mut self, receipt_number: &str) -> Result<String, Refused> {
        let number: u64 = receipt_number.trim_start_matches('0').parse().unwrap_or(0);
        let entry = self
            .entries
            .values()
            .find(|e| e.transaction.receipt_number == Some(number) && number != 0)
            .ok_or(Refused::UnknownId)?;
        if entry.closed {
            return Err(Refused::Invalid(format!("Receipt {number} was settled by an end of day")));
        }
        let id = entry.transaction.id.clone();
        self.cancel(&id)
    }

    /// End of day: settles the card payments still "ok" and not settled yet; returns their count and sum.
    pub fn close_day(&mut self) -> (usize, i64) {
        let mut totals = (0, 0);
        for entry in self.entries.values_mut() {
            let tx = &entry.transaction;
            if tx.receipt_number.is_some() && tx.status == Status::Ok && !entry.closed {
                entry.closed = true;
                totals = (totals.0 + 1, totals.1 + tx.sum());
            }
        }
        self.save();
        totals
    }

    /// `GET /Smart/Transactions`: those matching `filter`, in creation order, `count` from `offset`.
    pub fn list(&self, filter: &Filter, offset: usize, count: usize) -> Page {
        let mut matching: Vec<&Entry> = self.entries.values().filter(|e| filter.matches(&e.transaction)).collect();
        matching.sort_by_key(|e| e.seq);
        let texts = matching.iter().skip(offset).take(count).map(|e| e.transaction.to_json_text(e.seed_copy)).collect();
        Page { count: matching.len(), texts }
    }
}

/// The `q` of a list request: `field:"value"` or `field:value` on transactionRef, merchantRef, status or id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter(Option<(String, String)>);

impl Filter {
    pub fn parse(q: Option<&str>) -> Result<Filter, String> {
        let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
            return Ok(Filter(None));
        };
        let (field, value) = q.split_once(':').ok_or_else(|| format!("q must be field:\"value\", not {q:?}"))?;
        if !matches!(field, "transactionRef" | "merchantRef" | "status" | "id") {
            return Err(format!("q cannot search {field:?} (transactionRef, merchantRef, status, id)"));
        }
        let value = match value.strip_prefix('"') {
            Some(quoted) => unquote(quoted).ok_or_else(|| format!("q has an unterminated quote: {q:?}"))?,
            None => value.to_owned(),
        };
        Ok(Filter(Some((field.to_owned(), value))))
    }

    fn matches(&self, tx: &Transaction) -> bool {
        let Some((field, wanted)) = &self.0 else {
            return true;
        };
        let value = match field.as_str() {
            "transactionRef" => tx.transactionRef.as_str(),
            "merchantRef" => tx.merchantRef.as_str(),
            "status" => Some(tx.status.as_str()),
            _ => Some(tx.id.as_str()),
        };
        value == Some(wanted.as_str())
    }
}

/// The rest of a quoted value after its opening `"`, as in the API's query syntax (Lucene's): a backslash
/// takes the next character as it is (`\"`, `\\`), and the closing quote must end the query. None when it
/// does not.
fn unquote(quoted: &str) -> Option<String> {
    let mut value = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?),
            '"' => return chars.as_str().trim().is_empty().then_some(value),
            c => value.push(c),
        }
    }
    None
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
    /// The loyalty cards and the devices (not saved in the state file: they start afresh).
    loyalty: Mutex<Loyalty>,
    api_requests: AtomicU64,
    /// Fixed bearer tokens (`--token`), always accepted.
    tokens: Vec<String>,
    /// Refuse tokens this server neither was given nor issued (`--token` or `--client` given).
    strict_tokens: bool,
    /// 401, or 403 with code 2003, for a token that is refused.
    reject_status: AtomicU16,
    /// Behaviours for the next calls by method and path.
    rules: Mutex<Vec<Rule>>,
    /// How long calls that wait for the card terminal take unless a behaviour says otherwise.
    pub terminal_delay: Duration,
}

impl AppState {
    pub fn new(options: &Options, store: Store) -> AppState {
        AppState {
            store: Mutex::new(store),
            oauth: Mutex::new(OAuth::new(options.oauth.clone())),
            loyalty: Mutex::default(),
            api_requests: AtomicU64::new(0),
            tokens: options.tokens.clone(),
            strict_tokens: options.strict_tokens,
            reject_status: AtomicU16::new(options.reject_status),
            rules: Mutex::new(Vec::new()),
            terminal_delay: options.terminal_delay,
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

    /// The cards and devices; same rules as [`AppState::store`]. Taken after the store's guard, never before.
    pub fn loyalty(&self) -> MutexGuard<'_, Loyalty> {
        self.loyalty.lock().unwrap_or_else(PoisonError::into_inner)
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

    pub fn add_rule(&self, rule: Rule) {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner).push(rule);
    }

    pub fn clear_rules(&self) {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// The behaviour a rule sets for this call (using the rule up), if any.
    pub fn take_rule(&self, method: &str, path: &str) -> Option<Behaviour> {
        take_rule(&mut self.rules.lock().unwrap_or_else(PoisonError::into_inner), method, path)
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

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn sale(reference: &str) -> Value {
        json!({
            "transactionRef": reference,
            "basket": {"products": [{"id": 1, "desc": "Brot", "quantity": 2, "priceOne": 150, "tax": 7}]},
            "basket_info": {"sum": 300, "currency": "EUR"},
        })
    }

    fn created(store: &mut Store, reference: &str) -> String {
        let text = store.create_from_request(&sale(reference)).unwrap();
        parsed(&text)["id"].as_str().unwrap().to_owned()
    }

    #[test]
    fn the_seeds_cash_start_is_the_fixture_and_a_second_start_is_refused() {
        let mut store = Store::new();
        assert_eq!(parsed(&store.text(SEED_ID).unwrap())["status"], "created");
        let text = store.start(SEED_ID, "cash", false, None).unwrap();
        assert_eq!(text, crate::transaction::START_CASH_RESPONSE);
        assert_eq!(store.start(SEED_ID, "cash", false, None), Err(Refused::AlreadyStarted));
        assert_eq!(store.start("STX_NOPE", "cash", false, None), Err(Refused::UnknownId));
    }

    #[test]
    fn terminal_starts_are_processing_until_finished() {
        let mut store = Store::new();
        let id = created(&mut store, "R1");
        let begun = parsed(&store.start(&id, "cashless", false, None).unwrap());
        assert_eq!(begun["status"], "processing");
        assert_eq!(store.start(&id, "cashless", false, None), Err(Refused::AlreadyStarted));
        assert_eq!(
            store.abort(&id).unwrap_err(),
            Refused::Invalid("Only a transaction that was not started can be aborted, not processing".into())
        );
        let done = parsed(&store.finish_start(&id, "cashless", false).unwrap());
        assert_eq!(done["status"], "ok");
        let first_number = done["receipt_number"].as_u64().unwrap();

        let other = created(&mut store, "R2");
        store.start(&other, "cashless", false, None).unwrap();
        let declined = parsed(&store.finish_start(&other, "cashless", true).unwrap());
        assert_eq!(declined["status"], "failed");
        assert_eq!(declined["receipt_number"].as_u64(), Some(first_number + 1), "receipt numbers increase");
        assert_eq!(store.close_day(), (1, 300));
        assert_eq!(store.close_day(), (0, 0), "settled once");
        assert!(matches!(store.cancel_by_receipt_number(&first_number.to_string()), Err(Refused::Invalid(_))));
    }

    #[test]
    fn state_rules_for_update_abort_cancel_and_canceltrx() {
        let mut store = Store::new();
        let id = created(&mut store, "R1");
        assert!(store.cancel(&id).is_err(), "cancel before ok");
        store.update(&id, &json!({})).unwrap();
        assert_eq!(parsed(&store.text(&id).unwrap())["basket"], Value::Null, "a PUT without basket removes it");
        store.update(&id, &sale("R1")).unwrap();
        assert!(store.update(&id, &json!({"basket": {"products": []}, "basket_info": {"sum": 1}})).is_err());
        let direct = json!({"tid": "52500999", "trace": "17", "cardtype": "girocard"});
        let paid = parsed(&store.start(&id, "cashless_direct", false, Some(&direct)).unwrap());
        assert_eq!(paid["status"], "ok");
        assert!(store.update(&id, &sale("R1")).is_err(), "update after start");
        assert!(store.abort(&id).is_err(), "abort after start");
        let number = paid["receipt_number"].as_u64().unwrap();
        let reversed = parsed(&store.cancel_by_receipt_number(&format!("{number:04}")).unwrap());
        assert_eq!(reversed["status"], "cancelled");
        assert!(store.cancel(&id).is_err(), "cancel twice");
        assert_eq!(store.cancel_by_receipt_number("9999"), Err(Refused::UnknownId));

        let never = created(&mut store, "R2");
        assert_eq!(parsed(&store.abort(&never).unwrap())["status"], "aborted");
        assert!(matches!(store.start(&never, "cash", false, None), Err(Refused::Invalid(_))));
        assert!(matches!(store.start(&never, "bitcoin", false, None), Err(Refused::Invalid(_))));
    }

    #[test]
    fn loyalty_needs_an_ident_and_pre_transaction_only_before_start() {
        let mut store = Store::new();
        let id = created(&mut store, "R1");
        assert!(matches!(store.start(&id, "loyalty", false, None), Err(Refused::Invalid(_))));
        assert_eq!(store.pre_transaction(&id).unwrap()["missing_sum"], 300);
        store.start(&id, "cash", false, None).unwrap();
        assert!(store.pre_transaction(&id).is_err());
    }

    #[test]
    fn lists_filter_by_reference_and_page() {
        let mut store = Store::new();
        let ids: Vec<String> = (0..5).map(|i| created(&mut store, if i % 2 == 0 { "even" } else { "odd" })).collect();
        let even = Filter::parse(Some("transactionRef:\"even\"")).unwrap();
        let page = store.list(&even, 1, 1);
        assert_eq!(page.count, 3);
        assert_eq!(page.texts.len(), 1);
        assert_eq!(parsed(&page.texts[0])["id"], ids[2].as_str(), "creation order");
        assert_eq!(store.list(&Filter::default(), 0, 100).count, 6, "the seed and five");
        assert_eq!(store.list(&Filter::parse(Some("status:created")).unwrap(), 0, 0).count, 6);
        assert!(Filter::parse(Some("basket:x")).is_err());
        assert_eq!(
            Filter::parse(Some(r#"transactionRef:"Beleg \"55\" \\ Ä""#)).unwrap(),
            Filter(Some(("transactionRef".into(), r#"Beleg "55" \ Ä"#.into())))
        );
        assert!(Filter::parse(Some(r#"transactionRef:"open"#)).is_err());
        assert!(Filter::parse(Some(r#"transactionRef:"a" OR x"#)).is_err());
        assert!(Filter::parse(Some("nocolon")).is_err());
    }

    #[test]
    fn state_survives_a_restart_through_the_file() {
        let dir = std::env::temp_dir().join(format!("sandbox-state-{}-{}", std::process::id(), ids::next_u64()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let (id, number) = {
            let mut store = Store::with_state_file(&path).unwrap();
            let id = created(&mut store, "kept");
            store.start(&id, "cashless", false, None).unwrap();
            let done = parsed(&store.finish_start(&id, "cashless", false).unwrap());
            store.start(SEED_ID, "cash", false, None).unwrap();
            (id, done["receipt_number"].as_u64().unwrap())
        };
        let mut store = Store::with_state_file(&path).unwrap();
        assert_eq!(parsed(&store.text(&id).unwrap())["status"], "ok");
        assert_eq!(store.text(SEED_ID).unwrap(), crate::transaction::START_CASH_RESPONSE, "still the fixture's text");
        let next = created(&mut store, "next");
        let done = parsed(&store.start(&next, "cashless_direct", false, Some(&json!({}))).unwrap());
        assert_eq!(done["receipt_number"].as_u64(), Some(number + 1), "numbers go on after a restart");
        assert!(!std::fs::read_dir(&dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp")));

        std::fs::write(&path, b"{not json").unwrap();
        assert!(Store::with_state_file(&path).is_err(), "a broken file is refused, never overwritten");
        assert_eq!(std::fs::read(&path).unwrap(), b"{not json");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn create_replaces_an_existing_transaction_with_a_fresh_copy() {
        let mut store = Store::new();
        store.start(SEED_ID, "cash", true, None).unwrap();
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
