//! The journal through the C ABI, called in-process as C calls it, against the sandbox: the write-ahead entries
//! and their outcomes, reconcile, printing again without the network, the rules of opening, files that are not
//! ours left as they were, a lock held past the busy timeout, threads, the migration from schema 1, pruning,
//! and no secret in the file. The tests that need a process of their own are in tests/journal/processes.rs.

use crate::support;

use support::last_error;

use std::ffi::{c_char, CStr, CString};
use std::path::{Path, PathBuf};
use std::ptr;
use std::time::Duration;

use serde_json::json;
use smartx::*;
use support::{closed_port, Sandbox};

const CLIENT_ID: &str = "sandbox-client";
const CLIENT_SECRET: &str = "sandbox-secret";

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// A private folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smartx-journal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Client(*mut sx_client);

// SAFETY: sx_client is thread-safe by contract.
unsafe impl Send for Client {}
// SAFETY: as above.
unsafe impl Sync for Client {}

impl Client {
    fn new(base_url: &str) -> Client {
        let mut client = ptr::null_mut();
        // SAFETY: a NUL-terminated URL and a writable out-pointer.
        assert_eq!(unsafe { sx_client_new(c(base_url).as_ptr(), &mut client) }, SX_OK);
        let client = Client(client);
        // SAFETY: a live client and NUL-terminated strings.
        let r = unsafe { sx_client_use_client_credentials(client.0, c(CLIENT_ID).as_ptr(), c(CLIENT_SECRET).as_ptr()) };
        assert_eq!(r, SX_OK);
        client
    }

    fn open(&self, path: &Path) -> sx_result {
        // SAFETY: a live client and a NUL-terminated path.
        unsafe { sx_client_open_journal(self.0, c(path.to_str().unwrap()).as_ptr()) }
    }

    fn opened(base_url: &str, path: &Path) -> Client {
        let client = Client::new(base_url);
        assert_eq!(client.open(path), SX_OK, "{}", last_error());
        client
    }

    /// Create with `reference` (None: no transactionRef); the result and the id.
    fn create(&self, reference: Option<&str>) -> (sx_result, String) {
        let mut basket = ptr::null_mut();
        // SAFETY: valid strings and out-pointers; the basket is freed below.
        unsafe {
            assert_eq!(sx_basket_new(c("EUR").as_ptr(), &mut basket), SX_OK);
            let desc = c("Brötchen");
            assert_eq!(sx_basket_add_product(basket, desc.as_ptr(), ptr::null(), ptr::null(), 3, 45, 7), SX_OK);
            if let Some(reference) = reference {
                assert_eq!(sx_basket_set_refs(basket, ptr::null(), c(reference).as_ptr()), SX_OK);
            }
            let mut tx = ptr::null_mut();
            let r = sx_transaction_create(self.0, basket, &mut tx);
            sx_basket_free(basket);
            let id = if tx.is_null() { String::new() } else { text(sx_transaction_id(tx)) };
            sx_transaction_free(tx);
            (r, id)
        }
    }

    fn start(&self, id: &str, method: &str) -> sx_result {
        let mut tx = ptr::null_mut();
        // SAFETY: a live client, NUL-terminated strings, a writable out-pointer; tx freed below.
        unsafe {
            let r = sx_transaction_start(self.0, c(id).as_ptr(), c(method).as_ptr(), &mut tx);
            sx_transaction_free(tx);
            r
        }
    }

    fn start_cash(&self, id: &str) -> sx_result {
        let mut len = 0;
        // SAFETY: a live client, a NUL-terminated id; a size query (NULL buffer, capacity 0).
        match unsafe { sx_client_start_cash(self.0, c(id).as_ptr(), ptr::null_mut(), 0, &mut len) } {
            SX_ERR_BUFFER_TOO_SMALL => SX_OK,
            other => other,
        }
    }

    fn cancel(&self, id: &str) -> sx_result {
        let mut tx = ptr::null_mut();
        // SAFETY: as for start.
        unsafe {
            let r = sx_transaction_cancel(self.0, c(id).as_ptr(), &mut tx);
            sx_transaction_free(tx);
            r
        }
    }

    fn sale(&self, reference: &str) -> String {
        let (r, id) = self.create(Some(reference));
        assert_eq!(r, SX_OK, "{}", last_error());
        assert_eq!(self.start_cash(&id), SX_OK, "{}", last_error());
        id
    }

    fn reconcile(&self) -> (sx_result, usize, usize) {
        let (mut settled, mut pending) = (999, 999);
        // SAFETY: a live client and writable counts.
        let r = unsafe { sx_client_reconcile(self.0, &mut settled, &mut pending) };
        (r, settled, pending)
    }

    fn recent(&self) -> Vec<Listed> {
        let mut list = ptr::null_mut();
        // SAFETY: a live client and a writable out-pointer.
        assert_eq!(unsafe { sx_journal_recent(self.0, 0, &mut list) }, SX_OK, "{}", last_error());
        listed(list)
    }

    fn pending(&self) -> Vec<Listed> {
        let mut list = ptr::null_mut();
        // SAFETY: a live client and a writable out-pointer.
        assert_eq!(unsafe { sx_journal_pending(self.0, &mut list) }, SX_OK, "{}", last_error());
        listed(list)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: made by sx_client_new, freed once.
        unsafe { sx_client_free(self.0) }
    }
}

fn text(p: *const c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: the contract: a NUL-terminated string, valid while its owner lives.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// An entry as read through sx_journal_list_get, with what its transaction prints (copy marker included).
#[derive(Debug, Clone)]
struct Listed {
    seq: i64,
    call: u32,
    outcome: u32,
    result: u32,
    http: i32,
    began: i64,
    settled: i64,
    id: String,
    method: String,
    reference: String,
    receipt: Option<String>,
}

fn listed(list: *mut sx_journal_list) -> Vec<Listed> {
    let mut out = Vec::new();
    // SAFETY: a live list, read and then freed once; the strings and transactions are read before the free.
    unsafe {
        for i in 0..sx_journal_list_count(list) {
            let mut e = std::mem::MaybeUninit::<sx_journal_entry>::uninit();
            assert_eq!(sx_journal_list_get(list, i, e.as_mut_ptr()), SX_OK);
            let e = e.assume_init();
            let tx = sx_journal_list_transaction(list, i);
            let receipt = (!tx.is_null()).then(|| {
                let mut buf = vec![0 as c_char; 1 << 16];
                let mut len = 0;
                let marker = c("*** KOPIE ***");
                let r = sx_receipt_render_copy(
                    tx,
                    SX_RECEIPT_CUSTOMER,
                    ptr::null(),
                    marker.as_ptr(),
                    buf.as_mut_ptr(),
                    buf.len(),
                    &mut len,
                );
                assert_eq!(r, SX_OK);
                text(buf.as_ptr())
            });
            out.push(Listed {
                seq: e.seq,
                call: e.call,
                outcome: e.outcome,
                result: e.result,
                http: e.http_status,
                began: e.began_ms,
                settled: e.settled_ms,
                id: text(e.transaction_id),
                method: text(e.method),
                reference: text(e.reference),
                receipt,
            });
        }
        let mut past = std::mem::MaybeUninit::<sx_journal_entry>::uninit();
        assert_eq!(sx_journal_list_get(list, sx_journal_list_count(list), past.as_mut_ptr()), SX_ERR_OUT_OF_RANGE);
        assert!(sx_journal_list_transaction(list, sx_journal_list_count(list)).is_null());
        sx_journal_list_free(list);
    }
    out
}

/// The starts the sandbox received for `id`.
fn starts(sandbox: &Sandbox, id: &str) -> usize {
    sandbox.requests(id).iter().filter(|r| r["path"].as_str().is_some_and(|p| p.contains("/start/"))).count()
}

#[test]
fn a_sale_is_journaled_before_it_is_sent_and_prints_again_without_the_network() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("sale");
    let path = dir.join("till.journal");
    let client = Client::opened(&sandbox.base_url, &path);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let id = client.sale("Beleg 4711");
    let entries = client.recent();
    assert_eq!(entries.len(), 2, "{entries:?}");
    let (start, create) = (&entries[0], &entries[1]);
    assert_eq!((create.seq, create.call, create.outcome, create.result), (1, SX_CALL_CREATE, SX_OUTCOME_DONE, SX_OK));
    assert_eq!(
        (create.id.as_str(), create.reference.as_str(), create.method.as_str()),
        (id.as_str(), "Beleg 4711", "")
    );
    assert_eq!(
        (start.seq, start.call, start.outcome, start.result, start.http),
        (2, SX_CALL_START, SX_OUTCOME_DONE, SX_OK, 200)
    );
    assert_eq!((start.id.as_str(), start.method.as_str()), (id.as_str(), "cash"));
    assert!(start.began > 1_600_000_000_000 && start.settled >= start.began, "{start:?}");
    let receipt = start.receipt.clone().expect("the paid answer is kept");
    let rows: Vec<&str> = receipt.lines().map(str::trim).collect();
    assert_eq!((rows[0], rows[rows.len() - 1]), ("*** KOPIE ***", "*** KOPIE ***"), "{receipt}");
    assert!(receipt.lines().count() > 4, "{receipt}");
    assert!(client.pending().is_empty());

    // No secret in the journal, its -wal or -shm, while the client is open (the files exist then).
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        let Ok(bytes) = std::fs::read(&file) else { continue };
        for secret in [CLIENT_SECRET, "Bearer", "access_token", "refresh_token"] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} in {}", file.display());
        }
    }
    drop(client);

    // The next morning, the network down: the receipt prints again from the journal.
    let offline = Client::opened(&format!("http://127.0.0.1:{}", closed_port()), &path);
    let again = offline.recent();
    assert_eq!(again[0].receipt.as_deref(), Some(receipt.as_str()));
    let (r, settled, pending) = offline.reconcile();
    assert_eq!((r, settled, pending), (SX_OK, 0, 0), "nothing pending: no read, no failure");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn open_rules_and_a_create_without_its_reference() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("rules");
    let path = dir.join("till.journal");
    let client = Client::new(&sandbox.base_url);
    // SAFETY: a live client; NULL and writable out-pointers as the calls take them.
    unsafe {
        let mut list = ptr::null_mut();
        assert_eq!(sx_journal_pending(client.0, &mut list), SX_ERR_JOURNAL);
        assert!(list.is_null());
        assert!(last_error().contains("no journal is open"), "{}", last_error());
        assert_eq!(sx_journal_recent(client.0, 0, &mut list), SX_ERR_JOURNAL);
        assert_eq!(sx_journal_settle(client.0, 1, SX_OUTCOME_DONE), SX_ERR_JOURNAL);
    }
    let (r, settled, pending) = client.reconcile();
    assert_eq!((r, settled, pending), (SX_ERR_JOURNAL, 0, 0));
    // The folder is never created; a failed open does not count.
    assert_eq!(client.open(&dir.join("missing/till.journal")), SX_ERR_JOURNAL);
    assert!(!dir.join("missing").exists());
    // An SQLite file with nothing in it (a process killed during its first open leaves one) is a new journal.
    let empty = dir.join("empty.journal");
    rusqlite::Connection::open(&empty).unwrap().query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).unwrap();
    assert!(std::fs::metadata(&empty).unwrap().len() > 0);
    assert_eq!(Client::new(&sandbox.base_url).open(&empty), SX_OK, "{}", last_error());
    // A 0-byte file is a new journal.
    std::fs::write(&path, b"").unwrap();
    assert_eq!(client.open(&path), SX_OK, "{}", last_error());
    assert_eq!(client.open(&path), SX_ERR_INVALID_ARGUMENT);
    let before = sandbox.api_requests();
    assert_eq!(client.create(None).0, SX_ERR_INVALID_ARGUMENT);
    assert!(last_error().contains("transactionRef"), "{}", last_error());
    // Refused by the argument checks: no entry.
    assert_eq!(client.start("bad id!", "cash"), SX_ERR_INVALID_ARGUMENT);
    assert_eq!(client.start(&sandbox.create_one(), "cashless_direct"), SX_ERR_INVALID_ARGUMENT);
    assert_eq!(sandbox.api_requests(), before, "nothing sent");
    assert!(client.recent().is_empty());
    // settle: PENDING entries only, DONE or NOT_DONE only.
    // SAFETY: a live client.
    unsafe {
        assert_eq!(sx_journal_settle(client.0, 1, SX_OUTCOME_DONE), SX_ERR_INVALID_ARGUMENT);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn outcomes_by_the_contract_and_reconcile_by_read_back() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("outcomes");
    let path = dir.join("till.journal");
    let client = Client::opened(&sandbox.base_url, &path);
    client.set_timeouts(2000, 3000);

    let declined = sandbox.create_with(json!({"mode": "failed"}));
    assert_eq!(client.start(&declined, "cash"), SX_ERR_NOT_OK);
    let executed_lost = sandbox.create_with(json!({"mode": "reset"}));
    assert_eq!(client.start(&executed_lost, "cash"), SX_ERR_OUTCOME_UNKNOWN);
    let never_executed = sandbox.create_with(json!({"mode": "reset_before"}));
    assert_eq!(client.start(&never_executed, "cash"), SX_ERR_OUTCOME_UNKNOWN);
    let gateway = sandbox.create_with(json!({"mode": "html", "status": 502}));
    assert_eq!(client.start(&gateway, "cash"), SX_ERR_HTTP);
    let paid = sandbox.create_one();
    assert_eq!(client.start_cash(&paid), SX_OK);
    assert_eq!(client.start_cash(&paid), SX_ERR_API, "a second start is refused");
    assert_eq!(client.cancel(&paid), SX_OK);
    // A create whose answer was lost after it was executed, and one never executed.
    sandbox.set_next_behaviour("POST", "/api/v2/Smart/Transactions", json!({"mode": "reset"}));
    assert_eq!(client.create(Some("lost-create")).0, SX_ERR_OUTCOME_UNKNOWN);
    sandbox.set_next_behaviour("POST", "/api/v2/Smart/Transactions", json!({"mode": "reset_before"}));
    assert_eq!(client.create(Some("never-created")).0, SX_ERR_OUTCOME_UNKNOWN);

    let by_seq = |entries: &[Listed], seq: i64| entries.iter().find(|e| e.seq == seq).cloned().unwrap();
    let entries = client.recent();
    let expect = [
        (1, SX_OUTCOME_NOT_DONE, SX_ERR_NOT_OK),
        (2, SX_OUTCOME_PENDING, SX_ERR_OUTCOME_UNKNOWN),
        (3, SX_OUTCOME_PENDING, SX_ERR_OUTCOME_UNKNOWN),
        (4, SX_OUTCOME_PENDING, SX_ERR_HTTP),
        (5, SX_OUTCOME_DONE, SX_OK),
        (6, SX_OUTCOME_NOT_DONE, SX_ERR_API),
        (7, SX_OUTCOME_DONE, SX_OK),
        (8, SX_OUTCOME_PENDING, SX_ERR_OUTCOME_UNKNOWN),
        (9, SX_OUTCOME_PENDING, SX_ERR_OUTCOME_UNKNOWN),
    ];
    for (seq, outcome, result) in expect {
        let e = by_seq(&entries, seq);
        assert_eq!((e.outcome, e.result), (outcome, result), "{e:?}");
    }
    assert!(by_seq(&entries, 1).receipt.is_some(), "a declined start keeps its transaction");
    assert_eq!(by_seq(&entries, 7).call, SX_CALL_CANCEL);

    for id in [&executed_lost, &never_executed, &gateway] {
        sandbox.set_behaviour(id, json!({"mode": "normal"}));
    }
    let (r, settled, pending) = client.reconcile();
    assert_eq!((r, settled, pending), (SX_OK, 5, 0), "{}", last_error());
    let entries = client.recent();
    assert_eq!(by_seq(&entries, 2).outcome, SX_OUTCOME_DONE, "executed, answer lost: paid");
    assert!(by_seq(&entries, 2).receipt.is_some(), "the read-back is kept for printing");
    assert_eq!(by_seq(&entries, 2).result, SX_ERR_OUTCOME_UNKNOWN, "reconcile leaves the result as returned");
    assert_eq!(by_seq(&entries, 3).outcome, SX_OUTCOME_NOT_DONE, "never executed: still created");
    assert_eq!(by_seq(&entries, 4).outcome, SX_OUTCOME_NOT_DONE);
    let lost_create = by_seq(&entries, 8);
    assert_eq!(lost_create.outcome, SX_OUTCOME_DONE, "found by its reference");
    assert!(lost_create.id.starts_with("STX_"), "{lost_create:?}");
    assert_eq!(by_seq(&entries, 9).outcome, SX_OUTCOME_NOT_DONE);
    for id in [&executed_lost, &never_executed, &gateway, &paid] {
        assert!(starts(&sandbox, id) <= 2, "reconcile never starts");
    }
    assert_eq!(starts(&sandbox, &executed_lost), 1);
    let _ = std::fs::remove_dir_all(dir);
}

impl Client {
    fn set_timeouts(&self, connect_ms: u32, total_ms: u32) {
        // SAFETY: a live client.
        assert_eq!(unsafe { sx_client_set_timeouts(self.0, connect_ms, total_ms, 0) }, SX_OK);
    }
}

#[test]
fn a_lock_held_past_the_connect_timeout_is_sx_err_journal_and_nothing_is_sent() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("lock");
    let path = dir.join("till.journal");
    let client = Client::opened(&sandbox.base_url, &path);
    client.set_timeouts(300, 5000);
    let id = sandbox.create_one();
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let before = sandbox.api_requests();
    let began = std::time::Instant::now();
    assert_eq!(client.start_cash(&id), SX_ERR_JOURNAL);
    assert!(began.elapsed() >= Duration::from_millis(250), "the lock is waited for");
    assert!(last_error().contains("lock"), "{}", last_error());
    assert_eq!(sandbox.api_requests(), before, "nothing sent, not even a token request");
    assert_eq!(starts(&sandbox, &id), 0);
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(client.start_cash(&id), SX_OK, "{}", last_error());
    assert_eq!(client.recent().len(), 1, "the refused call left no entry");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn files_that_are_not_a_smartx_journal_are_refused_and_left_as_they_were() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("foreign");
    // A journal with some entries, closed cleanly (its WAL checkpointed into the file).
    let good = dir.join("good.journal");
    {
        let client = Client::opened(&sandbox.base_url, &good);
        for i in 0..20 {
            client.sale(&format!("ref-{i}"));
        }
    }
    let good_bytes = std::fs::read(&good).unwrap();
    assert!(good_bytes.len() >= 4 * 4096, "{}", good_bytes.len());
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let mut flipped = good_bytes.clone();
    // Page 2: the first page of the table of entries; its b-tree header becomes nonsense.
    for byte in &mut flipped[4096..4096 + 12] {
        *byte ^= 0x5A;
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("text", b"this is a shopping list, not a journal\n".to_vec()),
        ("foreign", std::fs::read(&foreign).unwrap()),
        ("truncated", good_bytes[..good_bytes.len() / 2 + 100].to_vec()),
        ("flipped", flipped),
    ];
    for (name, bytes) in cases {
        let path = dir.join(format!("{name}.journal"));
        std::fs::write(&path, &bytes).unwrap();
        let client = Client::new(&sandbox.base_url);
        assert_eq!(client.open(&path), SX_ERR_JOURNAL, "{name}");
        let message = last_error();
        assert!(message.contains("left as it is") || message.contains("not a smartx journal"), "{name}: {message}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}: the file is unchanged");
        // A failed open does not count: the client can still open a good journal.
        let fresh = dir.join(format!("{name}-fresh.journal"));
        assert_eq!(client.open(&fresh), SX_OK, "{name}: {}", last_error());
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn eight_threads_of_fifty_sales_on_one_client() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("threads");
    let path = dir.join("till.journal");
    let client = Client::opened(&sandbox.base_url, &path);
    std::thread::scope(|scope| {
        for t in 0..8 {
            let client = &client;
            scope.spawn(move || {
                for i in 0..50 {
                    client.sale(&format!("t{t}-{i}"));
                }
            });
        }
    });
    let entries = client.recent();
    assert_eq!(entries.len(), 800);
    let mut seqs: Vec<i64> = entries.iter().map(|e| e.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=800).collect::<Vec<_>>());
    assert!(entries.iter().all(|e| e.outcome == SX_OUTCOME_DONE && e.result == SX_OK), "every call done");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_schema_1_file_is_migrated_and_old_settled_entries_are_pruned() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("migrate");
    let path = dir.join("v1.journal");
    let day_ms: i64 = 24 * 60 * 60 * 1000;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    {
        // Schema 1 as it was written: the entries without their writer.
        let v1 = rusqlite::Connection::open(&path).unwrap();
        v1.execute_batch(&format!(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, call INTEGER NOT NULL,
               outcome INTEGER NOT NULL, result INTEGER NOT NULL DEFAULT 0, http_status INTEGER NOT NULL DEFAULT 0,
               began_ms INTEGER NOT NULL, settled_ms INTEGER NOT NULL DEFAULT 0,
               transaction_id TEXT NOT NULL DEFAULT '', method TEXT NOT NULL DEFAULT '',
               reference TEXT NOT NULL DEFAULT '', answer BLOB);
             INSERT INTO entries (call, outcome, result, began_ms, settled_ms, transaction_id, method)
               VALUES (2, 1, 0, {old}, {old}, 'STX_OLD_DONE', 'cash'),
                      (2, 0, 0, {old}, 0, 'STX_OLD_PENDING', 'cash'),
                      (2, 1, 0, {recent}, {recent}, 'STX_RECENT', 'cash');
             PRAGMA application_id = {app}; PRAGMA user_version = 1;",
            old = now - 401 * day_ms,
            recent = now - 399 * day_ms,
            app = smartx::journal::APPLICATION_ID,
        ))
        .unwrap();
    }
    let client = Client::opened(&sandbox.base_url, &path);
    let entries = client.recent();
    let ids: Vec<(i64, &str)> = entries.iter().map(|e| (e.seq, e.id.as_str())).collect();
    assert_eq!(ids, [(3, "STX_RECENT"), (2, "STX_OLD_PENDING")], "the settled entry of 401 days is gone");
    let id = sandbox.create_one();
    assert_eq!(client.start_cash(&id), SX_OK);
    assert_eq!(client.recent()[0].seq, 4, "numbers are never reused");
    let version: u32 =
        rusqlite::Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, smartx::journal::VERSION);
    let _ = std::fs::remove_dir_all(dir);
}
