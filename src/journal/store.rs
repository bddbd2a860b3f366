//! The journal file: opening (and refusing what is not ours, untouched), the write-ahead entry, its outcome,
//! the lists and the settling.

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior};

use super::entry::{outcome_of, result_code, Call, Ending, Entry, Intent, Outcome};
use super::owner::{self, Owner};
use super::schema;
use crate::http::{Error, ErrorKind};

/// Settled entries older than this are pruned when the journal is opened; PENDING ones never are.
pub const KEEP_SETTLED: Duration = Duration::from_secs(400 * 24 * 60 * 60);

/// An open journal: one SQLite connection in WAL mode with `synchronous=FULL`, shared by the threads of a
/// client (one statement at a time), and the calls of this connection still running.
pub struct Journal {
    path: PathBuf,
    conn: Mutex<Connection>,
    owner: Owner,
    /// The sequence numbers of this connection's calls that have begun and not ended. Taken before `conn`
    /// whenever both are held, so that an entry is in this set before any reader can see it.
    running: Mutex<HashSet<i64>>,
}

/// A call under way: its entry is written; [`Journal::finish`] records how it ended. Dropped without
/// finishing (a panic), it leaves the entry PENDING for reconcile.
pub struct Running<'a> {
    journal: &'a Journal,
    pub seq: i64,
    call: Call,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        lock(&self.journal.running).remove(&self.seq);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Journal {
    /// Opens the journal at `path`, or creates it (never its folder; mode 0600 on unix). A 0-byte file is a new
    /// journal. A file that is not a smartx journal, or a damaged one, is refused with [`ErrorKind::Journal`]
    /// and left as it was: it is checked through a read-only connection before anything writes to it.
    /// `busy` is how long a lock held by another connection is waited for, here and in every later write.
    pub fn open(path: &Path, busy: Duration) -> Result<Journal, Error> {
        let failed = |what: &str, e: &dyn std::fmt::Display| {
            Error::new(ErrorKind::Journal, format!("the journal {} {what}: {e}", path.display()))
        };
        create_private(path).map_err(|e| failed("could not be created", &e))?;
        // A journal that cannot take an entry is refused here, at start-up, not in the middle of a sale; and a
        // read-only file or file system is named as such, not taken for a damaged file. Opening for writing
        // changes nothing in the file.
        OpenOptions::new().read(true).write(true).open(path).map_err(|e| failed("cannot be written", &e))?;
        let len = std::fs::metadata(path).map_err(|e| failed("could not be read", &e))?.len();
        let empty = len == 0 || check_read_only(path, busy)? == Checked::Empty;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| failed("could not be opened", &e))?;
        conn.busy_timeout(busy).map_err(|e| failed("could not be set up", &e))?;
        // WAL: a writer does not block readers. synchronous=FULL: every commit is synced to the disk; with
        // WAL and NORMAL the last commits may be lost at a power cut, and a write-ahead record that vanishes
        // breaks the journal's promise.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|e| failed("could not be switched to WAL mode", &describe(&e, busy)))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(failed("could not be switched to WAL mode", &format!("SQLite kept mode {mode}")));
        }
        conn.execute_batch("PRAGMA synchronous = FULL")
            .map_err(|e| failed("could not be set up", &describe(&e, busy)))?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| failed("could not be locked", &describe(&e, busy)))?;
        // Another process may have made the new file a journal (or something else) since the check.
        let identity = schema::identity(&tx).map_err(|e| failed("could not be read", &e))?;
        let is_new = identity.application_id == 0 && identity.version == 0 && empty;
        if !is_new {
            if let Some(why) = schema::refusal(&tx).map_err(|e| failed("could not be read", &e))? {
                return Err(failed("is not a smartx journal", &why));
            }
        }
        schema::migrate(&tx).map_err(|e| failed("could not be brought to the current schema", &e))?;
        let oldest = now_ms().saturating_sub(KEEP_SETTLED.as_millis() as i64);
        tx.execute("DELETE FROM entries WHERE outcome != 0 AND settled_ms < ?1", [oldest])
            .map_err(|e| failed("could not be pruned", &e))?;
        tx.commit().map_err(|e| failed("could not be written", &describe(&e, busy)))?;
        Ok(Journal {
            path: path.to_owned(),
            conn: Mutex::new(conn),
            owner: Owner::this_process(),
            running: Mutex::new(HashSet::new()),
        })
    }

    fn error(&self, what: &str, e: &rusqlite::Error) -> Error {
        let busy = Duration::ZERO;
        Error::new(ErrorKind::Journal, format!("the journal {} {what}: {}", self.path.display(), describe(e, busy)))
    }

    /// How long a lock of another connection is waited for.
    pub fn set_busy_timeout(&self, busy: Duration) {
        // Setting a busy handler on an open connection does not fail.
        let _ = lock(&self.conn).busy_timeout(busy);
    }

    /// Writes the entry of a call about to be sent, durably (the commit is synced to the disk before this
    /// returns). Nothing of the call may be sent before, and nothing is when this fails.
    pub fn begin(&self, intent: &Intent) -> Result<Running<'_>, Error> {
        let mut running = lock(&self.running);
        let conn = lock(&self.conn);
        conn.execute(
            "INSERT INTO entries (call, outcome, began_ms, transaction_id, method, reference, owner_pid, \
             owner_started, owner_token) VALUES (?1, 0, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                intent.call as i64,
                now_ms(),
                intent.transaction_id,
                intent.method,
                intent.reference,
                self.owner.pid,
                self.owner.started,
                self.owner.token
            ],
        )
        .map_err(|e| self.error("could not be written, so the call was not sent", &e))?;
        let seq = conn.last_insert_rowid();
        running.insert(seq);
        Ok(Running { journal: self, seq, call: intent.call })
    }

    /// Records how a call ended. A failure leaves the entry PENDING (reconcile settles it); the call's result
    /// stands, since something was sent.
    pub fn finish(&self, running: Running, ending: &Ending) -> Result<(), Error> {
        let outcome = outcome_of(running.call, ending);
        let settled = if outcome == Outcome::Pending { 0 } else { now_ms() };
        let answer = ending.transaction.map(|_| ending.body);
        let created_id = match (running.call, ending.transaction) {
            (Call::Create | Call::CancelByReceipt, Some(tx)) => tx.text(tx.id).unwrap_or_default(),
            _ => "",
        };
        lock(&self.conn)
            .execute(
                "UPDATE entries SET outcome = ?1, result = ?2, http_status = ?3, settled_ms = ?4, \
                 answer = COALESCE(?5, answer), \
                 transaction_id = CASE WHEN transaction_id = '' THEN ?6 ELSE transaction_id END WHERE seq = ?7",
                params![
                    outcome as i64,
                    result_code(ending.result),
                    ending.http_status.map_or(0, i64::from),
                    settled,
                    answer,
                    created_id,
                    running.seq
                ],
            )
            .map_err(|e| self.error("could not record the call's outcome (its entry stays PENDING)", &e))?;
        Ok(())
    }

    /// Whether the call of a PENDING entry may still be under way: in this connection, in another connection of
    /// this process, or in another process that still runs (`owner.rs`).
    pub fn may_be_running(&self, entry: &Entry) -> bool {
        if entry.owner.token == self.owner.token && self.owner.same_process(&entry.owner) {
            return lock(&self.running).contains(&entry.seq);
        }
        if self.owner.same_process(&entry.owner) {
            return true;
        }
        owner::may_be_alive(&entry.owner)
    }

    /// The PENDING entries, oldest first.
    pub fn pending(&self) -> Result<Vec<Entry>, Error> {
        self.select("WHERE outcome = 0 ORDER BY seq", None)
    }

    /// The newest `max` entries (0: all), newest first.
    pub fn recent(&self, max: u32) -> Result<Vec<Entry>, Error> {
        let limit = if max == 0 { -1 } else { i64::from(max) };
        self.select("ORDER BY seq DESC LIMIT ?1", Some(limit))
    }

    /// The entry `seq`, if the journal has it.
    pub fn entry(&self, seq: i64) -> Result<Option<Entry>, Error> {
        Ok(self.select("WHERE seq = ?1", Some(seq))?.pop())
    }

    pub fn count_pending(&self) -> Result<usize, Error> {
        lock(&self.conn)
            .query_row("SELECT count(*) FROM entries WHERE outcome = 0", [], |row| row.get::<_, i64>(0))
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(|e| self.error("could not be read", &e))
    }

    fn select(&self, tail: &str, limit: Option<i64>) -> Result<Vec<Entry>, Error> {
        let conn = lock(&self.conn);
        let sql = format!(
            "SELECT seq, call, outcome, result, http_status, began_ms, settled_ms, transaction_id, method, \
             reference, answer, owner_pid, owner_started, owner_token FROM entries {tail}"
        );
        let read = |row: &Row| -> rusqlite::Result<Entry> {
            let bad = |i, what: &str| {
                rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Integer, what.to_owned().into())
            };
            Ok(Entry {
                seq: row.get(0)?,
                call: Call::from_code(row.get(1)?).ok_or_else(|| bad(1, "not a call of the journal"))?,
                outcome: Outcome::from_code(row.get(2)?).ok_or_else(|| bad(2, "not an outcome"))?,
                result: row.get(3)?,
                http_status: row.get(4)?,
                began_ms: row.get(5)?,
                settled_ms: row.get(6)?,
                transaction_id: row.get(7)?,
                method: row.get(8)?,
                reference: row.get(9)?,
                answer: row.get(10)?,
                owner: Owner { pid: row.get(11)?, started: row.get(12)?, token: row.get(13)? },
            })
        };
        let mut statement = conn.prepare(&sql).map_err(|e| self.error("could not be read", &e))?;
        let rows = match limit {
            Some(limit) => statement.query_map([limit], read),
            None => statement.query_map([], read),
        };
        rows.and_then(|rows| rows.collect::<Result<Vec<_>, _>>()).map_err(|e| self.error("could not be read", &e))
    }

    /// A person's decision: a PENDING entry becomes DONE or NOT_DONE. Any other entry or outcome is
    /// [`ErrorKind::InvalidArgument`].
    pub fn settle(&self, seq: i64, outcome: Outcome) -> Result<(), Error> {
        if outcome == Outcome::Pending {
            return Err(Error::invalid("an entry is settled as DONE or NOT_DONE, not PENDING"));
        }
        let changed = self.settle_pending(seq, outcome, None, "")?;
        if !changed {
            return Err(Error::invalid(format!("the journal has no PENDING entry {seq}")));
        }
        Ok(())
    }

    /// Reconcile's settling: `outcome` (PENDING keeps the entry pending), the transaction read back (kept when
    /// some) and a create's transaction id (when it had none). Only a PENDING entry changes; false when the entry
    /// was not PENDING any more (another reconcile settled it first).
    pub fn settle_pending(
        &self,
        seq: i64,
        outcome: Outcome,
        answer: Option<&[u8]>,
        transaction_id: &str,
    ) -> Result<bool, Error> {
        let settled = if outcome == Outcome::Pending { 0 } else { now_ms() };
        let changed = lock(&self.conn)
            .execute(
                "UPDATE entries SET outcome = ?1, settled_ms = ?2, answer = COALESCE(?3, answer), \
                 transaction_id = CASE WHEN transaction_id = '' THEN ?4 ELSE transaction_id END \
                 WHERE seq = ?5 AND outcome = 0",
                params![outcome as i64, settled, answer, transaction_id, seq],
            )
            .map_err(|e| self.error("could not be written", &e))?;
        Ok(changed == 1 && outcome != Outcome::Pending)
    }

    /// Whether an entry exists (for tests of pruning and numbering).
    pub fn exists(&self, seq: i64) -> Result<bool, Error> {
        lock(&self.conn)
            .query_row("SELECT 1 FROM entries WHERE seq = ?1", [seq], |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
            .map_err(|e| self.error("could not be read", &e))
    }
}

/// Creates the file with mode 0600 (unix) if it does not exist; never its folder.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_file) => {
            // The umask may have taken bits from 0600 (e.g. 0277 gives 0400): set the mode itself.
            #[cfg(unix)]
            std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Checked {
    /// A journal of ours.
    Journal,
    /// An SQLite file with nothing in it: no application id, no version, no table. What a process killed
    /// during the very first open leaves (the switch to WAL writes the header before the schema's commit);
    /// it holds nothing to lose, so it is a new journal, as a 0-byte file is.
    Empty,
}

/// Checks a file that is not empty through a read-only connection: an SQLite file, ours, of a version this
/// library reads, that passes SQLite's own check. Nothing is written to it (no WAL switch, no schema).
fn check_read_only(path: &Path, busy: Duration) -> Result<Checked, Error> {
    let refused = |why: String| {
        Error::new(
            ErrorKind::Journal,
            format!(
                "the journal {} is not a smartx journal or is damaged, and was left as it is: {why}",
                path.display()
            ),
        )
    };
    // Only what SQLite finds in the file says "not a journal or damaged"; a file it cannot open or lock (its
    // folder read-only, so no -shm; a lock held past the busy timeout) is a journal that cannot be used now.
    let failed = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => refused(describe(&e, busy)),
        _ => Error::new(
            ErrorKind::Journal,
            format!("the journal {} could not be opened (nothing was changed): {}", path.display(), describe(&e, busy)),
        ),
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(failed)?;
    conn.busy_timeout(busy).map_err(failed)?;
    let identity = schema::identity(&conn).map_err(failed)?;
    if identity.application_id == 0 && identity.version == 0 {
        let objects: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0)).map_err(failed)?;
        if objects == 0 {
            return Ok(Checked::Empty);
        }
    }
    if let Some(why) = schema::refusal(&conn).map_err(failed)? {
        return Err(refused(why));
    }
    // quick_check: SQLite's integrity check of every page and record, without the cross-check of indexes
    // against their tables (a full check reads every index once per row).
    let verdict: Vec<String> = conn
        .prepare("PRAGMA quick_check(5)")
        .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
        .map_err(failed)?;
    if verdict != ["ok"] {
        return Err(refused(format!("SQLite's integrity check says: {}", verdict.join("; "))));
    }
    Ok(Checked::Journal)
}

/// An SQLite error as a person reads it; a lock held past the busy timeout says so.
fn describe(e: &rusqlite::Error, busy: Duration) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) if busy > Duration::ZERO => {
            format!("another connection holds its lock (waited {} ms): {e}", busy.as_millis())
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!("another connection holds its lock past the client's connect timeout: {e}")
        }
        _ => e.to_string(),
    }
}
