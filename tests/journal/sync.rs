//! Write-ahead, seen from outside: tests/data/c/journal.c makes a journaled start under `strace`, and the order of
//! its system calls shows that the journal's entry is synced to the disk (fsync/fdatasync of the journal file or
//! its -wal) after it is written and before the first byte of the call reaches the network (the connect and the
//! first send, of the token request and of the start).

use crate::support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use support::{c_program, run, Sandbox};

const CC: &str = "cc=sandbox-client,sandbox-secret";

/// One traced system call: what it was and the path or socket its file descriptor names (`strace -y`).
#[derive(Debug)]
struct Syscall {
    line: usize,
    name: String,
    fd_path: String,
    text: String,
}

/// The calls of an `strace -f -y -o` file, in order; the `resumed` halves of calls split between threads are
/// left out (their start was recorded, with its name and file descriptor, when it began).
fn syscalls(trace: &str) -> Vec<Syscall> {
    let mut calls = Vec::new();
    for (line, text) in trace.lines().enumerate() {
        // "[pid 123] " or "123 " before the call with -f.
        let body = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
        let body = body.strip_prefix("[pid").map_or(body, |rest| rest.split_once(']').map_or(rest, |(_, b)| b));
        let body = body.trim_start();
        if body.starts_with("<...") || body.starts_with("+++") || body.starts_with("---") {
            continue;
        }
        let Some((name, args)) = body.split_once('(') else { continue };
        let fd_path = args
            .split_once('<')
            .and_then(|(fd, rest)| fd.chars().all(|c| c.is_ascii_digit()).then_some(rest))
            .and_then(|rest| rest.split_once('>'))
            .map_or(String::new(), |(path, _)| path.to_owned());
        calls.push(Syscall { line, name: name.to_owned(), fd_path, text: body.to_owned() });
    }
    calls
}

/// A socket as `strace -y` names it: `socket:[inode]`, or `TCP:[...]` with socket details.
fn is_socket(fd_path: &str) -> bool {
    fd_path.starts_with("socket:") || fd_path.starts_with("TCP")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smartx-journal-sync-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_entry_is_synced_to_the_disk_before_the_first_byte_of_the_call_is_sent() {
    if run(Command::new("strace").args(["-o", "/dev/null", "true"]), Duration::from_secs(30)).code() != 0 {
        eprintln!("skipped: strace cannot trace here (scripts/test.sh installs it; ptrace may be refused)");
        return;
    }
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("start");
    let journal = dir.join("till.journal");
    let trace_file = dir.join("trace");
    let id = sandbox.create_one();
    let mut command = Command::new("strace");
    command
        .args(["-f", "-y", "-qq", "-s", "64", "-e"])
        .arg("trace=fdatasync,fsync,connect,sendto,sendmsg,write,writev,pwrite64,pwritev")
        .arg("-o")
        .arg(&trace_file)
        .arg(c_program("journal"))
        .arg(&sandbox.base_url)
        .arg(&journal)
        .args([CC, "open", &format!("start={id}")]);
    let done = run(&mut command, Duration::from_secs(120));
    assert_eq!(done.code(), 0, "{}", done.output());
    let values = done.values();
    // SX_ERR_BUFFER_TOO_SMALL (3) from sx_client_start_cash's size query: paid.
    assert_eq!((values.num("2.result"), values.num("3.result")), (0, 3), "{}", values.output);
    assert_eq!(sandbox.requests(&id).len(), 1, "the start reached the sandbox");

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = syscalls(&trace);
    let journal_path = journal.to_str().unwrap();
    let on_journal = |c: &Syscall| c.fd_path == journal_path || c.fd_path == format!("{journal_path}-wal");
    // The open step's result line on stdout: what follows is the start.
    let opened = calls
        .iter()
        .position(|c| c.name == "write" && c.text.contains("2.result=0"))
        .unwrap_or_else(|| panic!("no write of the open step's result in the trace:\n{trace}"));
    let start = &calls[opened + 1..];
    let port = format!("htons({})", sandbox.port());
    let network = start
        .iter()
        .position(|c| if c.name == "connect" { c.text.contains(&port) } else { is_socket(&c.fd_path) })
        .unwrap_or_else(|| panic!("the start reached no socket in the trace:\n{trace}"));
    let before_network = &start[..network];
    let entry_written = before_network
        .iter()
        .rposition(|c| on_journal(c) && (c.name.starts_with("write") || c.name.starts_with("pwrite")))
        .unwrap_or_else(|| panic!("the start's entry was not written before the network was touched:\n{trace}"));
    let synced =
        before_network[entry_written..].iter().find(|c| on_journal(c) && (c.name == "fsync" || c.name == "fdatasync"));
    assert!(
        synced.is_some(),
        "no fsync/fdatasync of the journal between the entry's last write (trace line {}: {}) and the first \
         network call (trace line {}: {}):\n{trace}",
        before_network[entry_written].line + 1,
        before_network[entry_written].text,
        start[network].line + 1,
        start[network].text
    );
    let _ = std::fs::remove_dir_all(dir);
}
