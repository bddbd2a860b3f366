//! The journal through the C++ wrapper (include/smartx.hpp: tests/data/bindings/cpp_journal.cpp) and the Pascal unit
//! (tests/data/bindings/pas_journal.dpr), against the sandbox: a start whose answer was lost in one process is
//! reconciled in the next and its receipt printed again marked as a copy; the entries and their transactions.
//! (The Python package's journal tests are bindings/python/tests/test_journal.py, run by tests/bindings/languages.rs.)

use crate::support;

use std::process::Command;

use serde_json::json;
use support::{repo_dir, run, Run, Sandbox};

use super::{compile_cpp, fpc, ok, scratch, LIMIT};

const TOKEN: &str = "journal-binding-token-SECRET";

fn lines<'a>(done: &'a Run, key: &str) -> Vec<&'a str> {
    done.stdout.lines().filter_map(|line| line.strip_prefix(key)).collect()
}

#[test]
fn cpp_journal_reconciles_a_lost_start_in_the_next_process_and_prints_it_as_a_copy() {
    let dir = scratch("cpp-journal");
    let exe = dir.join("cpp_journal");
    compile_cpp("tests/data/bindings/cpp_journal.cpp", &exe, &[]);

    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let journal = dir.join("till.journal");
    let lost = sandbox.create_with(json!({"mode": "reset"}));
    let next = sandbox.create_one();
    let register = |mode: &str, id: &str| {
        let mut command = Command::new(&exe);
        command.args([mode, &sandbox.base_url, TOKEN]).arg(&journal).arg(id);
        ok(run(&mut command, LIMIT), mode)
    };
    let done = register("lose", &lost);
    assert_eq!(lines(&done, "lost="), ["11"], "SX_ERR_OUTCOME_UNKNOWN:\n{}", done.output());
    assert_eq!(lines(&done, "pending="), [format!("1,2,{lost}")], "{}", done.output());

    let done = register("restart", &next);
    assert_eq!(lines(&done, "reconciled="), ["1,0"], "{}", done.output());
    assert_eq!(lines(&done, "copy.seq="), ["1"], "the lost start, newly done:\n{}", done.output());
    let copy = lines(&done, "copy=");
    assert_eq!(copy.iter().filter(|row| row.trim() == "*** KOPIE ***").count(), 2, "{}", done.output());
    assert!(copy.iter().any(|row| row.contains("Kartennummer")), "{}", done.output());
    assert_eq!(
        lines(&done, "recent="),
        [format!("2,2,1,cash,{next},ok"), format!("1,2,1,cash,{lost},ok")],
        "newest first, each with its transaction, read after its list object was gone:\n{}",
        done.output()
    );
    assert_eq!(lines(&done, "settle="), ["2"], "a settled entry: SX_ERR_INVALID_ARGUMENT\n{}", done.output());
    assert_eq!((sandbox.requests(&lost).len(), sandbox.requests(&next).len()), (2, 1), "one start each, one read");
    assert!(!done.output().contains(TOKEN));
}

#[test]
fn pascal_journal_lists_the_entries_with_their_transactions_and_prints_a_copy() {
    let available = Command::new("fpc").arg("-iV").output().map(|o| o.status.success()).unwrap_or(false);
    assert!(available, "fpc (Debian package fp-compiler) is needed: scripts/test.sh installs it");
    let dir = scratch("pas-journal");
    let exe = fpc(&repo_dir().join("tests/data/bindings/pas_journal.dpr"), &repo_dir().join("bindings/pascal"), &dir);
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let id = sandbox.create_one();
    let journal = dir.join("till.journal");
    let done = ok(run(Command::new(&exe).args([&sandbox.base_url, TOKEN]).arg(&journal).arg(&id), LIMIT), "pas");
    assert_eq!(lines(&done, "reconciled="), ["0,0"], "{}", done.output());
    assert_eq!(lines(&done, "entry="), [format!("1,2,1,cash,{id},ok")], "{}", done.output());
    let copy = lines(&done, "copy=");
    assert_eq!(copy.iter().filter(|row| row.trim() == "*** KOPIE ***").count(), 2, "{}", done.output());
    assert!(copy.iter().any(|row| row.contains("Kartennummer")), "{}", done.output());
}
