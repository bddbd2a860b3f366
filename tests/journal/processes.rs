//! The journal across processes: tests/data/c/journal.c is a register's process, killed with SIGKILL while its start
//! is at the server, killed at random moments over 200 sales, limited in the size of the files it may write,
//! and run twice at once on one journal. Every new process opens the journal, reconciles, and finds what the
//! killed one did; the sandbox says what really happened.

use crate::support;

use std::collections::HashMap;
use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;
use support::raw::{read_head, RawServer};
use support::{c_program, closed_port, run, Sandbox, Values};

const RUN_LIMIT: Duration = Duration::from_secs(60);
const CC: &str = "cc=sandbox-client,sandbox-secret";
const SX_OK: u64 = 0;
const SX_ERR_JOURNAL: u64 = 50;
const SX_OUTCOME_PENDING: i64 = 0;
const SX_OUTCOME_DONE: i64 = 1;
const SX_OUTCOME_NOT_DONE: i64 = 2;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smartx-journal-process-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn register(base_url: &str, journal: &Path, steps: &[&str]) -> Command {
    let mut command = Command::new(c_program("journal"));
    command.arg(base_url).arg(journal).args(steps).env_remove("LD_LIBRARY_PATH").env_remove("SX_BASE_URL");
    command
}

fn run_register(base_url: &str, journal: &Path, steps: &[&str]) -> Values {
    let done = run(&mut register(base_url, journal, steps), RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    done.values()
}

fn spawn(mut command: Command) -> Child {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tests/data/c/journal")
}

fn kill(child: &mut Child) {
    // SAFETY: a plain system call on the pid of our own child, not yet reaped.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGKILL) };
    let _ = child.wait();
}

/// (seq, call, outcome, transaction id, reference) of an entry.
type Row = (i64, i64, i64, String, String);

/// Every entry, read from the file as another program would.
fn entries(journal: &Path) -> Vec<Row> {
    let conn = rusqlite::Connection::open_with_flags(journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut statement =
        conn.prepare("SELECT seq, call, outcome, transaction_id, reference FROM entries ORDER BY seq").unwrap();
    let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// The create entries in the file; 0 before the first open made its table (a process killed during it).
fn creates_so_far(journal: &Path) -> usize {
    let Ok(conn) = rusqlite::Connection::open_with_flags(journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return 0;
    };
    conn.query_row("SELECT count(*) FROM entries WHERE call = 1", [], |r| r.get::<_, i64>(0)).map_or(0, |n| n as usize)
}

fn starts(sandbox: &Sandbox, id: &str) -> usize {
    sandbox.requests(id).iter().filter(|r| r["path"].as_str().is_some_and(|p| p.contains("/start/"))).count()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let limit = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < limit, "waited 30 s for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn killed_while_the_sandbox_holds_an_executed_start_reconciled_done_and_printed_offline() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("done");
    let journal = dir.join("till.journal");
    // The start is executed, its answer held back for a minute.
    let id = sandbox.create_with(json!({"mode": "late", "delay_ms": 60000}));
    let mut child = spawn(register(&sandbox.base_url, &journal, &[CC, "open", &format!("start={id}")]));
    wait_for("the start at the sandbox", || starts(&sandbox, &id) == 1);
    kill(&mut child);
    let found = entries(&journal);
    assert_eq!(found, [(1, 2, SX_OUTCOME_PENDING, id.clone(), String::new())], "written before it was sent");

    sandbox.set_behaviour(&id, json!({"mode": "normal"}));
    let values = run_register(&sandbox.base_url, &journal, &[CC, "open", "reconcile"]);
    assert_eq!((values.num("2.result"), values.num("3.result")), (SX_OK, SX_OK), "{}", values.output);
    assert_eq!((values.num("3.settled"), values.num("3.pending")), (1, 0), "{}", values.output);
    assert_eq!(entries(&journal)[0].2, SX_OUTCOME_DONE);
    assert_eq!(starts(&sandbox, &id), 1, "never started again");

    // The network down: the receipt prints again from the journal, marked as a copy.
    let offline = format!("http://127.0.0.1:{}", closed_port());
    let values = run_register(&offline, &journal, &["open", &format!("reprint={id}")]);
    assert_eq!((values.num("2.result"), values.num("2.found")), (SX_OK, 1), "{}", values.output);
    let text = values.text("2.text");
    assert!(text.matches("*** KOPIE ***").count() == 2 && text.contains("Kartennummer"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn killed_while_a_server_holds_a_start_it_never_executed_reconciled_not_done() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("not-done");
    let journal = dir.join("till.journal");
    let id = sandbox.create_one();
    // A server that, on receiving the start, opens the journal itself and looks for its entry, then holds the
    // request unanswered until the register is killed.
    let (seen, seen_by_server) = mpsc::channel();
    let journal_for_server = journal.clone();
    let server = RawServer::serving(move |mut stream: TcpStream, record| {
        let mut got = Vec::new();
        read_head(&mut stream, &mut got);
        record.read(&got);
        let _ = seen.send(entries(&journal_for_server));
        let _ = stream.read(&mut [0u8; 1]);
    });
    let mut child = spawn(register(
        &server.url("http"),
        &journal,
        &["token=fixed-token-for-the-test", "open", &format!("start={id}")],
    ));
    let at_server = seen_by_server.recv_timeout(Duration::from_secs(30)).expect("the start reached the server");
    kill(&mut child);
    assert_eq!(at_server, [(1, 2, SX_OUTCOME_PENDING, id.clone(), String::new())], "in the file before the request");
    let request = String::from_utf8_lossy(&server.received()[0]).into_owned();
    assert!(request.starts_with(&format!("POST /api/v2/Smart/Transactions/{id}/start/cash")), "{request}");

    let values = run_register(&sandbox.base_url, &journal, &[CC, "open", "reconcile"]);
    assert_eq!((values.num("3.result"), values.num("3.settled"), values.num("3.pending")), (SX_OK, 1, 0));
    assert_eq!(entries(&journal)[0].2, SX_OUTCOME_NOT_DONE, "read back as created: the start never ran");
    assert_eq!(starts(&sandbox, &id), 0);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_hundred_sales_killed_at_random_moments_are_each_accounted_for_once() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("crash-loop");
    let journal = dir.join("till.journal");
    const SALES: usize = 200;
    let began = Instant::now();
    // A small random generator: the kill moments need no quality, only variety (the seed is printed).
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    eprintln!("crash loop seed {seed}");
    let mut next = move |bound: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % bound
    };
    let mut runs = 0;
    loop {
        // The next sale is the one after the last whose create entry exists (written before anything is sent).
        let made = creates_so_far(&journal);
        if made >= SALES {
            break;
        }
        let to = (made + 1 + next(8) as usize).min(SALES);
        let sales = format!("sales={made},{to},sale-");
        let mut child = spawn(register(&sandbox.base_url, &journal, &[CC, "open", "reconcile", &sales]));
        // Killed before, during or after a request, or during reconcile; now and then not at all.
        std::thread::sleep(Duration::from_millis(next(40)));
        kill(&mut child);
        runs += 1;
        assert!(began.elapsed() < Duration::from_secs(90), "{runs} runs, {made} sales so far");
    }
    let values = run_register(&sandbox.base_url, &journal, &[CC, "open", "reconcile"]);
    assert_eq!(values.num("3.result"), SX_OK, "{}", values.output);

    let all = entries(&journal);
    let seqs: Vec<i64> = all.iter().map(|e| e.0).collect();
    assert_eq!(seqs, (1..=all.len() as i64).collect::<Vec<_>>(), "no entry lost, none numbered twice");
    let mut creates: HashMap<String, Vec<&Row>> = HashMap::new();
    for entry in all.iter().filter(|e| e.1 == 1) {
        creates.entry(entry.4.clone()).or_default().push(entry);
    }
    assert_eq!(creates.len(), SALES, "every sale has its create entry");
    let mut paid = 0;
    for i in 0..SALES {
        let reference = format!("sale-{i}");
        let create = &creates[&reference];
        assert_eq!(create.len(), 1, "{reference}: one create entry");
        let (_, _, outcome, id, _) = create[0];
        assert_ne!(*outcome, SX_OUTCOME_PENDING, "{reference}: settled by reconcile");
        if *outcome == SX_OUTCOME_NOT_DONE {
            assert!(all.iter().all(|e| e.1 != 2 || e.3 != *id || id.is_empty()), "{reference}: no start");
            continue;
        }
        let starts_entries: Vec<_> = all.iter().filter(|e| e.1 == 2 && e.3 == *id).collect();
        assert!(starts_entries.len() <= 1, "{reference}: at most one start entry");
        let sent = starts(&sandbox, id);
        assert!(sent <= 1, "{reference}: the sandbox got {sent} starts for {id}");
        let status = sandbox.status_after(id, "any-token");
        match starts_entries.first() {
            Some(start) if start.2 == SX_OUTCOME_DONE => {
                assert_eq!(status, "ok", "{reference}: DONE in the journal, {status} at the sandbox");
                paid += 1;
            }
            Some(start) => {
                assert_eq!(start.2, SX_OUTCOME_NOT_DONE, "{reference}: settled");
                assert_ne!(status, "ok", "{reference}: NOT_DONE in the journal, paid at the sandbox");
            }
            None => assert_eq!((sent, status.as_str()), (0, "created"), "{reference}: no start entry, no start"),
        }
    }
    eprintln!("{runs} runs, {paid} of {SALES} sales paid, {} entries, {:?}", all.len(), began.elapsed());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_file_size_limit_is_sx_err_journal_and_nothing_is_sent() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("fsize");
    let journal = dir.join("till.journal");
    let id = sandbox.create_one();
    let values = run_register(&sandbox.base_url, &journal, &[CC, "open", "fsize=1", &format!("start={id}")]);
    assert_eq!(values.num("2.result"), SX_OK, "{}", values.output);
    assert_eq!(values.num("3.result"), SX_OK, "{}", values.output);
    assert_eq!(values.num("4.result"), SX_ERR_JOURNAL, "{}", values.output);
    assert_eq!(sandbox.api_requests(), 0, "nothing sent, not even the token request");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_processes_on_one_journal() {
    let sandbox = Sandbox::start(&[]);
    let dir = scratch("two");
    let journal = dir.join("till.journal");
    let mut children: Vec<Child> = ["a-", "b-"]
        .iter()
        .map(|prefix| {
            let mut command = register(&sandbox.base_url, &journal, &[CC, "open", &format!("sales=0,50,{prefix}")]);
            command.stdout(Stdio::piped()).stdin(Stdio::null()).stderr(Stdio::null());
            command.spawn().unwrap()
        })
        .collect();
    for child in &mut children {
        let mut out = String::new();
        child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(out.matches("start=0\n").count(), 50, "every sale paid, no SQLITE_BUSY as a wrong code: {out}");
    }
    let all = entries(&journal);
    assert_eq!(all.len(), 200);
    assert_eq!(all.iter().map(|e| e.0).collect::<Vec<_>>(), (1..=200).collect::<Vec<_>>());
    assert!(all.iter().all(|e| e.2 == SX_OUTCOME_DONE));
    let _ = std::fs::remove_dir_all(dir);
}
