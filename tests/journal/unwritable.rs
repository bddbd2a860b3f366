//! No write, no send: a journal that cannot be written makes the register's process (tests/data/c/journal.c, through
//! the C ABI) get `SX_ERR_JOURNAL`, and the sandbox receives nothing, not even a token request.
//!
//! The tests run as root (as CI does), for whom file modes stop no write; so each case runs in a private mount
//! namespace (`unshare --mount`) where the folder or the file is bind-mounted read-only, or where the folder is a
//! tiny tmpfs filled to the last block. Skipped, saying so, where a mount namespace is refused.
//!
//! What the contract implies for a journal that exists but cannot be written: opening it is `SX_ERR_JOURNAL`
//! (the open writes: it takes the write lock, migrates and prunes), so the register learns it at start-up and
//! not in the middle of a sale, and the file is left byte for byte as it was. A disk that fills up after the
//! open makes the next journaled call `SX_ERR_JOURNAL` with nothing sent; once there is room again, the next call
//! goes through.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use support::{c_program, run, Sandbox, Values};

const LIMIT: Duration = Duration::from_secs(60);
const CC: &str = "cc=sandbox-client,sandbox-secret";
const SX_OK: u64 = 0;
const SX_ERR_BUFFER_TOO_SMALL: u64 = 3;
const SX_ERR_JOURNAL: u64 = 50;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smartx-journal-unwritable-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether this process may make a private mount namespace (root, as in CI).
fn namespaces_allowed() -> bool {
    let probe = run(Command::new("unshare").args(["--mount", "--propagation", "private", "true"]), LIMIT);
    if probe.code() != 0 {
        eprintln!("skipped: a private mount namespace needs root (CI runs as root): {}", probe.output());
    }
    probe.code() == 0
}

/// Runs `mounts` (bash, with $DIR the scratch folder) in a private mount namespace, then the register with
/// `steps` on the journal `$DIR/till.journal`.
fn register_after(mounts: &str, dir: &Path, base_url: &str, steps: &[&str]) -> Values {
    let script = format!("set -euo pipefail\n{mounts}\nexec \"$REGISTER\" \"$URL\" \"$DIR/till.journal\" \"$@\"\n");
    let mut command = Command::new("unshare");
    command.args(["--mount", "--propagation", "private", "bash", "-c", &script, "register"]).args(steps);
    command.env("DIR", dir).env("REGISTER", c_program("journal")).env("URL", base_url);
    let done = run(&mut command, LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    done.values()
}

/// The register outside any namespace: a journal with one paid sale in it.
fn journal_with_a_sale(sandbox: &Sandbox, dir: &Path) -> Vec<u8> {
    let mut command = Command::new(c_program("journal"));
    command.arg(&sandbox.base_url).arg(dir.join("till.journal")).args([CC, "open", "sales=0,1,before-"]);
    let done = run(&mut command, LIMIT);
    assert!(done.code() == 0 && done.stdout.contains("sale.0.start=0"), "{}", done.output());
    std::fs::read(dir.join("till.journal")).unwrap()
}

const READ_ONLY_FOLDER: &str = "mount --bind \"$DIR\" \"$DIR\"\nmount -o remount,ro,bind \"$DIR\"";
const READ_ONLY_FILE: &str =
    "mount --bind \"$DIR/till.journal\" \"$DIR/till.journal\"\nmount -o remount,ro,bind \"$DIR/till.journal\"";

#[test]
fn a_new_journal_in_a_read_only_folder_is_sx_err_journal_at_open() {
    if !namespaces_allowed() {
        return;
    }
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("new-ro-folder");
    let values = register_after(READ_ONLY_FOLDER, &dir, &sandbox.base_url, &[CC, "open"]);
    assert_eq!(values.num("2.result"), SX_ERR_JOURNAL, "{}", values.output);
    assert!(values.text("2.message").contains("could not be created"), "{}", values.output);
    assert_eq!(sandbox.api_requests(), 0);
    assert!(!dir.join("till.journal").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_existing_journal_in_a_read_only_folder_or_a_read_only_file_is_refused_at_open_and_left_as_it_was() {
    if !namespaces_allowed() {
        return;
    }
    let sandbox = Sandbox::start(&[]);
    for (case, mounts) in [("folder", READ_ONLY_FOLDER), ("file", READ_ONLY_FILE)] {
        let dir = scratch(&format!("existing-ro-{case}"));
        let before = journal_with_a_sale(&sandbox, &dir);
        let sent_before = sandbox.api_requests();
        let values = register_after(mounts, &dir, &sandbox.base_url, &[CC, "open"]);
        assert_eq!(values.num("2.result"), SX_ERR_JOURNAL, "read-only {case}: {}", values.output);
        // Named for what it is (EROFS), not taken for a damaged or foreign file.
        let message = values.text("2.message");
        assert!(message.contains("cannot be written: Read-only file system"), "read-only {case}: {message}");
        assert_eq!(sandbox.api_requests(), sent_before, "read-only {case}: nothing sent");
        assert!(std::fs::read(dir.join("till.journal")).unwrap() == before, "read-only {case}: the file changed");
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn a_full_disk_is_sx_err_journal_with_nothing_sent_and_the_next_call_goes_through_once_there_is_room() {
    if !namespaces_allowed() {
        return;
    }
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("full-disk");
    let id = sandbox.create_one();
    let tmpfs = "mount -t tmpfs -o size=512k,mode=0700 smartx-full \"$DIR\"";
    let fill = "sh=dd if=/dev/zero of=\"$DIR/fill\" bs=4096 2>/dev/null || true; test -s \"$DIR/fill\"";
    let start = format!("start={id}");
    let steps = [CC, "open", fill, &start, "sh=rm \"$DIR/fill\"", &start];
    let values = register_after(tmpfs, &dir, &sandbox.base_url, &steps);
    assert_eq!((values.num("2.result"), values.num("3.result")), (SX_OK, SX_OK), "{}", values.output);
    assert_eq!(values.num("4.result"), SX_ERR_JOURNAL, "{}", values.output);
    assert!(values.text("4.message").contains("was not sent"), "{}", values.output);
    // The second start, with room again, is the first request the sandbox saw for the transaction.
    assert_eq!((values.num("5.result"), values.num("6.result")), (SX_OK, SX_ERR_BUFFER_TOO_SMALL), "paid");
    let requests = sandbox.requests(&id);
    assert_eq!(requests.len(), 1, "one start, the one after the disk had room: {requests:?}");

    // A full disk before the journal exists: the open fails.
    let values = register_after(&format!("{tmpfs}\n{}", &fill[3..]), &dir, &sandbox.base_url, &[CC, "open"]);
    assert_eq!(values.num("2.result"), SX_ERR_JOURNAL, "{}", values.output);
    assert_eq!(sandbox.requests(&id).len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}
