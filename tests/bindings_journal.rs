//! The journal through the C++ wrapper (include/smartx.hpp: tests/bindings/cpp_journal.cpp) and the Pascal unit
//! (tests/bindings/pas_journal.dpr), against the sandbox: a start whose answer was lost in one process is
//! reconciled in the next and its receipt printed again marked as a copy; the entries and their transactions.
//! (The Python package's journal tests are bindings/python/tests/test_journal.py, run by tests/bindings.rs.)

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::{c_build_dir, libdir, repo_dir, run, Run, Sandbox};

const LIMIT: Duration = Duration::from_secs(120);
const TOKEN: &str = "journal-binding-token-SECRET";

fn scratch(name: &str) -> PathBuf {
    let dir = c_build_dir().join("bindings").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ok(done: Run, what: &str) -> Run {
    assert_eq!(done.code(), 0, "{what} failed:\n{}", done.output());
    done
}

fn lines<'a>(done: &'a Run, key: &str) -> Vec<&'a str> {
    done.stdout.lines().filter_map(|line| line.strip_prefix(key)).collect()
}

#[test]
fn cpp_journal_reconciles_a_lost_start_in_the_next_process_and_prints_it_as_a_copy() {
    let dir = scratch("cpp-journal");
    let exe = dir.join("cpp_journal");
    let lib = libdir();
    let mut cxx = Command::new(std::env::var("CXX").unwrap_or_else(|_| "c++".into()));
    cxx.args(["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic", "-g", "-I"])
        .arg(repo_dir().join("include"))
        .arg(repo_dir().join("tests/bindings/cpp_journal.cpp"))
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib)
        .arg("-lsmartx")
        .arg(format!("-Wl,-rpath,{}", lib.display()));
    ok(run(&mut cxx, LIMIT), "compiling tests/bindings/cpp_journal.cpp");

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

fn fpc(program: &Path, out_dir: &Path) -> PathBuf {
    let lib = libdir();
    let mut command = Command::new("fpc");
    command
        .args(["-Mdelphi", "-vew", "-Sew", "-XX", "-CX"])
        .arg(format!("-Fu{}", repo_dir().join("bindings/pascal").display()))
        .arg(format!("-FE{}", out_dir.display()))
        .arg(format!("-FU{}", out_dir.display()))
        .arg(format!("-Fl{}", lib.display()))
        .arg(format!("-k-rpath={}", lib.display()))
        .arg(program);
    ok(run(&mut command, LIMIT), &format!("fpc {}", program.display()));
    out_dir.join(program.file_stem().expect("a file name"))
}

#[test]
fn pascal_journal_lists_the_entries_with_their_transactions_and_prints_a_copy() {
    let available = Command::new("fpc").arg("-iV").output().map(|o| o.status.success()).unwrap_or(false);
    assert!(available, "fpc (Debian package fp-compiler) is needed: scripts/test.sh installs it");
    let dir = scratch("pas-journal");
    let exe = fpc(&repo_dir().join("tests/bindings/pas_journal.dpr"), &dir);
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
