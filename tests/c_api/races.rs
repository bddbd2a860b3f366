//! Races: tests/data/c/races.c makes calls on 16 threads (payments through the process-wide settings and through
//! shared clients, parse + walk + render, reads) while other threads keep calling `sx_shutdown`,
//! `sx_set_base_url` (this sandbox, a second one that knows none of the ids, a dead loopback port),
//! `sx_set_timeouts` (down to 1 ms) and `sx_client_new` / `sx_client_free` of clients of their own. These tests
//! assert that every call ended with a documented result code and a right answer, and from the sandboxes'
//! request counters that no payment was started twice and no request was sent twice.
//!
//! `SMARTX_RACE_SECONDS` sets how long the plain run lasts (default 60, the minute); the valgrind run
//! lasts `SMARTX_RACE_VALGRIND_SECONDS` (default 45: valgrind runs the threads one at a time, slowly), the
//! ThreadSanitizer run `SMARTX_RACE_TSAN_SECONDS` (default 30). scripts/sanitize.sh runs the plain one built with
//! ASan + UBSan (for `SMARTX_RACE_SECONDS`, 20 there by default); scripts/tsan.sh runs the ThreadSanitizer one.

use crate::support;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use support::{c_build_dir, c_program_with, closed_port, fixture, run, Run, Sandbox, Values};

const TOKEN: &str = "race-token-local";
/// The calls that reach the network, each of which sends at most one API request.
const NETWORK_KINDS: [&str; 5] = ["create", "start", "client_start", "get", "client_call"];
/// What every result of the program may be; the order of tests/data/c/races.c.
const CODES: [&str; 16] = [
    "SX_OK",
    "SX_ERR_NULL_ARGUMENT",
    "SX_ERR_INVALID_ARGUMENT",
    "SX_ERR_BUFFER_TOO_SMALL",
    "SX_ERR_OUT_OF_RANGE",
    "SX_ERR_CONNECT",
    "SX_ERR_OUTCOME_UNKNOWN",
    "SX_ERR_TLS",
    "SX_ERR_UNAUTHORIZED",
    "SX_ERR_API",
    "SX_ERR_HTTP",
    "SX_ERR_BAD_RESPONSE",
    "SX_ERR_NOT_OK",
    "SX_ERR_CANCELLED",
    "SX_ERR_EXPIRED",
    "SX_ERR_PANIC",
];
const KINDS: [&str; 12] = [
    "create",
    "start",
    "client_start",
    "parse",
    "render",
    "get",
    "set_base_url",
    "set_timeouts",
    "shutdown",
    "client_new",
    "client_call",
    "client_free",
];

fn seconds(var: &str, default: u64) -> u64 {
    match std::env::var(var) {
        Ok(text) => text.parse().unwrap_or_else(|_| panic!("{var}={text} is not a number of seconds")),
        Err(_) => default,
    }
}

struct Race {
    good: Sandbox,
    other: Sandbox,
    run: Run,
    ids: PathBuf,
}

/// Runs `program` for `seconds` against two fresh sandboxes, under `wrapper` (valgrind) if given.
fn race(program: PathBuf, seconds: u64, wrapper: Option<Command>, name: &str) -> Race {
    let good = Sandbox::start(&[]);
    let other = Sandbox::start(&[]);
    let dead = format!("http://127.0.0.1:{}", closed_port());
    let ids = c_build_dir().join(format!("races-{name}-{}.ids", std::process::id()));
    let mut command = match wrapper {
        Some(mut wrapper) => {
            wrapper.arg(program);
            wrapper
        }
        None => Command::new(program),
    };
    command
        .env("TSAN_OPTIONS", "halt_on_error=1 exitcode=66")
        .arg(seconds.to_string())
        .args([&good.base_url, &other.base_url, &dead, TOKEN])
        .arg(fixture("start-cash-response.json"))
        .arg(&ids)
        // sx_shutdown forgets sx_set_base_url: later calls read this, so none ever leaves the loopback.
        .env("SX_BASE_URL", &good.base_url);
    let run = run(&mut command, Duration::from_secs(seconds * 3 + 120));
    Race { good, other, run, ids }
}

impl Race {
    /// The program's own verdict, then the counts: every result documented, none a caught panic or a refused
    /// argument, and every kind of call in `succeeded` got through at least once despite the others.
    fn assert_calls(&self, succeeded: &[&str]) -> Values {
        let values = self.run.values();
        eprintln!("{}", self.run.stdout);
        assert_eq!(values.num("undocumented"), 0, "{}", values.output);
        assert_eq!(values.num("problems"), 0, "{}", values.output);
        assert_eq!(self.run.code(), 0, "{}", values.output);
        for kind in KINDS {
            let counted: u64 = CODES
                .iter()
                .map(|code| format!("{kind}.{code}"))
                .filter(|key| values.has(key))
                .map(|key| values.num(&key))
                .sum();
            assert_eq!(counted, values.num(&format!("calls.{kind}")), "{kind}: a result outside the documented set");
            for never in ["SX_ERR_PANIC", "SX_ERR_NULL_ARGUMENT", "SX_ERR_INVALID_ARGUMENT"] {
                assert!(!values.has(&format!("{kind}.{never}")), "{kind} gave {never}:\n{}", values.output);
            }
        }
        for kind in succeeded {
            assert!(values.has(&format!("{kind}.SX_OK")), "no {kind} call succeeded:\n{}", values.output);
        }
        values
    }

    /// Every transaction a payment was started for was started at most once, and exactly once when the start
    /// returned SX_OK (only this sandbox knows the ids, so an SX_OK came from it); and the two sandboxes together
    /// received no more API requests than the program made calls that can send one.
    fn assert_nothing_sent_twice(&self, values: &Values) {
        let text = std::fs::read_to_string(&self.ids).unwrap_or_else(|e| panic!("{}: {e}", self.ids.display()));
        let _ = std::fs::remove_file(&self.ids);
        let started: Vec<(&str, u64)> = text
            .lines()
            .map(|line| {
                let (id, result) = line.split_once(' ').unwrap_or_else(|| panic!("bad ids line {line:?}"));
                (id, result.parse().unwrap_or_else(|_| panic!("bad ids line {line:?}")))
            })
            .collect();
        let expected = values.num("calls.start") + values.num("calls.client_start");
        assert_eq!(started.len() as u64, expected, "one ids line per payment started");

        // A few threads share the look-ups: tens of thousands of transactions.
        let next = AtomicUsize::new(0);
        let starts_by_result: HashMap<u64, Vec<usize>> = thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(&(id, result)) = started.get(i) else { return seen };
                            let starts = self
                                .good
                                .requests(id)
                                .iter()
                                .filter(|r| {
                                    r["method"] == "POST" && r["path"].as_str().is_some_and(|p| p.contains("/start/"))
                                })
                                .count();
                            assert!(starts <= 1, "{id} was started {starts} times (the program got {result})");
                            if result == 0 {
                                assert_eq!(starts, 1, "{id}: SX_OK, but the sandbox saw {starts} starts");
                            }
                            seen.entry(result).or_default().push(starts);
                        }
                    })
                })
                .collect();
            let mut all: HashMap<u64, Vec<usize>> = HashMap::new();
            for worker in workers {
                for (result, starts) in worker.join().expect("a look-up thread failed") {
                    all.entry(result).or_default().extend(starts);
                }
            }
            all
        });
        let mut summary: Vec<_> = starts_by_result
            .iter()
            .map(|(result, starts)| (*result, starts.len(), starts.iter().filter(|&&n| n == 1).count()))
            .collect();
        summary.sort();
        for (result, count, started_once) in summary {
            eprintln!("payments with result {result}: {count}, of which the sandbox started {started_once}");
        }

        // SX_ERR_CONNECT promises that nothing was sent, so those calls may not count.
        let sent = self.good.api_requests() + self.other.api_requests();
        let count = |key: String| if values.has(&key) { values.num(&key) } else { 0 };
        let calls: u64 = NETWORK_KINDS
            .iter()
            .map(|kind| count(format!("calls.{kind}")) - count(format!("{kind}.SX_ERR_CONNECT")))
            .sum();
        assert!(sent <= calls, "the sandboxes received {sent} API requests for {calls} calls that sent at most one");
        eprintln!("API requests received: {sent} for {calls} calls that sent at most one");
    }
}

fn program() -> PathBuf {
    c_program_with("races", &["-pthread"])
}

#[test]
fn calls_race_with_shutdown_settings_and_other_clients() {
    let race = race(program(), seconds("SMARTX_RACE_SECONDS", 60), None, "plain");
    let values = race.assert_calls(&KINDS);
    // The changes took effect under way: payments met the dead port and the sandbox that knows no ids.
    for code in ["SX_OK", "SX_ERR_CONNECT", "SX_ERR_API"] {
        assert!(values.has(&format!("start.{code}")), "no start gave {code}:\n{}", values.output);
    }
    race.assert_nothing_sent_twice(&values);
}

#[test]
fn races_under_valgrind() {
    let Some(valgrind) = support::valgrind() else { return };
    let race = race(program(), seconds("SMARTX_RACE_VALGRIND_SECONDS", 45), Some(valgrind), "valgrind");
    assert_eq!(race.run.code(), 0, "valgrind found errors or leaks:\n{}", race.run.output());
    // Valgrind runs one thread at a time, 20 to 50 times slower: the first network calls take some 20 s, and
    // then each thread makes about one a second. So only some kinds are sure to have succeeded.
    let values = race.assert_calls(&["create", "client_start", "parse", "render", "get", "shutdown"]);
    race.assert_nothing_sent_twice(&values);
}

/// ThreadSanitizer only sees what is instrumented: with the normal libsmartx.so it reports every allocation made
/// on one thread and freed on another, because the Rust code's locks and atomics are invisible to it (tried: 84
/// such reports in 10 s). So scripts/tsan.sh builds the library and the Rust standard library with
/// `-Zsanitizer=thread` (nightly, `-Zbuild-std`) and names it in `SMARTX_TSAN_LIBDIR`, with the matching runtime
/// (rustc's own TSan runtime archive; gcc's libtsan lacks entry points that rustc's instrumentation calls) in
/// `SMARTX_TSAN_RUNTIME`. The program is compiled with gcc's `-fsanitize=thread` and linked with that runtime.
/// Without the two variables this test does nothing.
#[test]
fn races_under_thread_sanitizer() {
    let (Some(libdir), Some(runtime)) =
        (std::env::var_os("SMARTX_TSAN_LIBDIR"), std::env::var_os("SMARTX_TSAN_RUNTIME"))
    else {
        eprintln!("ThreadSanitizer run skipped: scripts/tsan.sh sets SMARTX_TSAN_LIBDIR and SMARTX_TSAN_RUNTIME");
        return;
    };
    let libdir = PathBuf::from(libdir);
    let dir = c_build_dir().join("tsan");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let (object, program) = (dir.join("races.o"), dir.join("races"));
    let mut compile = Command::new("cc");
    compile
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-g", "-fsanitize=thread", "-pthread", "-c", "-I"])
        .arg(support::repo_dir().join("include"))
        .arg(support::repo_dir().join("tests/data/c/races.c"))
        .arg("-o")
        .arg(&object);
    let compiled = run(&mut compile, Duration::from_secs(120));
    assert_eq!(compiled.code(), 0, "compiling races.c with -fsanitize=thread:\n{}", compiled.output());
    let mut link = Command::new("cc");
    link.arg("-pthread")
        .arg(&object)
        .arg("-o")
        .arg(&program)
        .arg("-Wl,--whole-archive")
        .arg(runtime)
        .arg("-Wl,--no-whole-archive")
        .arg("-L")
        .arg(&libdir)
        .arg("-lsmartx")
        .arg(format!("-Wl,-rpath,{}", libdir.display()))
        .args(["-ldl", "-lm", "-lrt"]);
    let linked = run(&mut link, Duration::from_secs(120));
    assert_eq!(linked.code(), 0, "linking races with the TSan runtime:\n{}", linked.output());

    let race = race(program, seconds("SMARTX_RACE_TSAN_SECONDS", 30), None, "tsan");
    assert!(!race.run.stderr.contains("ThreadSanitizer"), "ThreadSanitizer reported:\n{}", race.run.output());
    let values = race.assert_calls(&KINDS);
    race.assert_nothing_sent_twice(&values);
}
