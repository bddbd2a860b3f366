//! The file's schema: an `application_id` that says "a smartx journal", a version in `user_version`, and one
//! migration from each version to the next, run in the transaction that opens an older file.

use rusqlite::{Connection, Transaction};

/// `PRAGMA application_id` of every smartx journal: "SMTX" in ASCII. A file without it is not ours.
pub const APPLICATION_ID: i32 = 0x534D_5458;

/// The version this library writes (`PRAGMA user_version`).
pub const VERSION: u32 = 2;

/// `MIGRATIONS[n]` takes a file from version `n` to `n + 1` (0: an empty file). Never changed once shipped: a
/// new version adds one at the end.
const MIGRATIONS: [fn(&Transaction) -> rusqlite::Result<()>; VERSION as usize] = [to_v1, to_v2];

/// Version 1: the entries. `AUTOINCREMENT`: a sequence number is never used again, also after pruning.
fn to_v1(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE entries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            call INTEGER NOT NULL,
            outcome INTEGER NOT NULL,
            result INTEGER NOT NULL DEFAULT 0,
            http_status INTEGER NOT NULL DEFAULT 0,
            began_ms INTEGER NOT NULL,
            settled_ms INTEGER NOT NULL DEFAULT 0,
            transaction_id TEXT NOT NULL DEFAULT '',
            method TEXT NOT NULL DEFAULT '',
            reference TEXT NOT NULL DEFAULT '',
            answer BLOB
        );",
    )
}

/// Version 2: the writer of each entry (process id, start time, connection token: `owner.rs`), so that
/// reconcile skips the calls of processes still running; and an index for the pending list.
fn to_v2(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE entries ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE entries ADD COLUMN owner_started INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE entries ADD COLUMN owner_token INTEGER NOT NULL DEFAULT 0;
         CREATE INDEX entries_by_outcome ON entries (outcome, seq);",
    )
}

/// The columns of `entries` each version has: a file that claims a version must have them.
fn columns(version: u32) -> &'static str {
    match version {
        1 => "seq, call, outcome, result, http_status, began_ms, settled_ms, transaction_id, method, reference, answer",
        _ => {
            "seq, call, outcome, result, http_status, began_ms, settled_ms, transaction_id, method, reference, \
             answer, owner_pid, owner_started, owner_token"
        }
    }
}

/// What the header of a file says it is.
pub struct Identity {
    pub application_id: i32,
    pub version: u32,
}

pub fn identity(conn: &Connection) -> rusqlite::Result<Identity> {
    let application_id = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    let version = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    Ok(Identity { application_id, version })
}

/// Why a file is not a journal this library can use; `None` when it is one.
pub fn refusal(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let Identity { application_id, version } = identity(conn)?;
    if application_id != APPLICATION_ID {
        return Ok(Some(format!(
            "it is an SQLite file of another program (application_id {application_id:#x}, not smartx's \
             {APPLICATION_ID:#x})"
        )));
    }
    if version == 0 || version > VERSION {
        return Ok(Some(format!(
            "its schema version is {version}; this library reads 1 to {VERSION} (a newer smartx wrote it?)"
        )));
    }
    if conn.prepare(&format!("SELECT {} FROM entries LIMIT 0", columns(version))).is_err() {
        return Ok(Some(format!("its table of entries is not that of schema version {version}")));
    }
    Ok(None)
}

/// Brings an empty file or one of an older version to [`VERSION`], inside `tx` (a write transaction, so that
/// two processes opening one new file do not both create it).
pub fn migrate(tx: &Transaction) -> rusqlite::Result<()> {
    let Identity { application_id, version } = identity(tx)?;
    let from = if application_id == 0 && version == 0 { 0 } else { version };
    for migration in MIGRATIONS.iter().skip(from as usize) {
        migration(tx)?;
    }
    if from < VERSION {
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {VERSION};"))?;
    }
    Ok(())
}

/// A file of version 1, as the first schema wrote it: for the tests of the migration.
#[cfg(test)]
pub(super) fn create_v1(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    to_v1(&tx)?;
    tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;"))?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v1_file_migrates_to_the_current_version_keeping_its_entries() {
        let mut conn = Connection::open_in_memory().unwrap();
        create_v1(&mut conn).unwrap();
        conn.execute("INSERT INTO entries (call, outcome, began_ms, transaction_id) VALUES (2, 0, 5, 'STX_1')", [])
            .unwrap();
        assert!(refusal(&conn).unwrap().is_none());
        let tx = conn.transaction().unwrap();
        migrate(&tx).unwrap();
        tx.commit().unwrap();
        assert!(refusal(&conn).unwrap().is_none());
        assert_eq!(identity(&conn).unwrap().version, VERSION);
        let (id, pid): (String, i64) = conn
            .query_row("SELECT transaction_id, owner_pid FROM entries", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!((id.as_str(), pid), ("STX_1", 0));
    }

    #[test]
    fn foreign_and_newer_files_are_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x); PRAGMA application_id = 7;").unwrap();
        assert!(refusal(&conn).unwrap().unwrap().contains("another program"));
        conn.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 3;")).unwrap();
        assert!(refusal(&conn).unwrap().unwrap().contains("schema version is 3"));
        conn.execute_batch("PRAGMA user_version = 2;").unwrap();
        assert!(refusal(&conn).unwrap().unwrap().contains("table of entries"));
    }
}
