//! The checks every hostile case shares (tests/hostile/fresh_connection.rs, tests/hostile/reused_connection.rs,
//! tests/hostile/tls.rs): the book's tables of cases (docs/src/hostile-servers.md), running cases a few at a time, and
//! the scripted cases of the last two, each run through tests/data/c/client.c and judged by its last payment call.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;

use super::raw::RawServer;
use super::script::{self, Step};
use super::{c_program, run};

pub const TOKEN: &str = "tok-HOSTILE-SECRET-4f2a9c81e7";
pub const CONNECT_MS: u64 = 500;
pub const TOTAL_MS: u64 = 2000;
/// Room for a loaded machine (2 cores shared by several builds) between the library's deadline and the end of
/// the call as the C program measures it. The bound is on the library's deadline, not on speed.
pub const MARGIN_MS: u64 = 4000;
/// Between the two calls of a kept-alive case: time for what the server does after its first answer to arrive.
pub const BETWEEN_MS: u64 = 300;

/// The `id` of the first (proper) answer on a kept-alive connection, of answers nobody asked for, and of the
/// answers of a connection the client opened afresh: which one a call got tells which connection it used.
pub const FIRST: &str = "STX_FIRST_ANSWER";
pub const STALE: &str = "STX_STALE_ANSWER";
pub const FRESH: &str = "STX_FRESH_ANSWER";

/// The transactions the two calls of a case pay: the first (proper) call, and the judged one.
pub const FIRST_CALL: &str = "STX_ONE";
pub const JUDGED_CALL: &str = "STX_TWO";

/// The transaction an answer is about. An answer must be about the transaction its request names (else it is
/// `SX_ERR_BAD_RESPONSE`), so each is about the call it pretends to answer: a stale answer is about the judged
/// call's transaction, as the worst stray answer would be, so that only the handling of the connection, not the
/// check of the id, keeps it from being taken as the judged call's.
pub fn about(answer: &str) -> &'static str {
    if answer == FIRST {
        FIRST_CALL
    } else {
        JUDGED_CALL
    }
}

/// A paid transaction that says which answer it is (`answer`), about the call it pretends to answer.
pub fn paid(answer: &str) -> Vec<u8> {
    let id = about(answer);
    format!(r#"{{"object":"smart.transactions","id":"{id}","answer":"{answer}","status":"ok","receipt":[]}}"#)
        .into_bytes()
}

/// An HTTP/1.1 `200` answer with a length and no `Connection` header (kept alive), with `body`.
pub fn kept_alive(extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra_headers}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// What a connection opened afresh does: answers one request properly.
pub fn fresh() -> Vec<Step> {
    vec![Step::Request, Step::Send(kept_alive("", &paid(FRESH)))]
}

/// The chapter of the book that holds the tables of hostile servers.
pub const CHAPTER: &str = "docs/src/hostile-servers.md";

/// The rows (first column, code, HTTP status) of the first table after `heading` in the hostile servers chapter.
pub fn chapter_table(heading: &str) -> Vec<(String, String, String)> {
    super::manual::table_rows(CHAPTER, heading)
}

/// Runs `each` over `items` on a few threads (most cases wait on a timeout; a few keep a core busy, so not all
/// at once on a shared machine) and gathers the failures.
pub fn in_parallel<T: Sync>(items: &[T], each: impl Fn(&T) -> Vec<String> + Sync) -> Vec<String> {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    let mut failures = Vec::new();
                    while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                        failures.extend(each(item));
                    }
                    failures
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a case panicked")).collect()
    })
}

/// What the client trusts and what the server shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// Plain HTTP.
    Off,
    /// A certificate for 127.0.0.1 from the test CA, which the client is given.
    Trusted,
    /// From the test CA, for another name.
    OtherName,
    /// From the test CA, for 127.0.0.1, expired at the end of 2020.
    Expired,
    /// Self-signed for 127.0.0.1; the client is given the test CA only.
    SelfSigned,
}

pub struct Case {
    /// The first column of the chapter's table.
    pub name: &'static str,
    pub tls: Tls,
    /// A first call answered properly on a connection kept alive before the call that is judged.
    pub kept_alive: bool,
    /// What the server does: the first connection's script, then those of the next ones (the last repeats).
    pub scripts: fn() -> Vec<Vec<Step>>,
    /// The judged call's result and HTTP status (0: none).
    pub code: &'static str,
    pub http_status: i64,
    /// Words its message must hold (each case also gets the checks of its code).
    pub words: &'static [&'static str],
    /// POSTs each connection carried, exactly: `[2]` the judged call went out on the kept-alive connection,
    /// `[1, 1]` on a new one.
    pub posts: &'static [usize],
}

#[derive(Clone, Copy, Debug)]
pub enum Call {
    /// `sx_start_cash`, process-wide settings (plain HTTP only: it takes no CA).
    Plain,
    /// `sx_client_start_cash` on a client of its own with a fixed token.
    Client,
}

/// A test CA, its PEM file (one per instance) and the servers' configurations.
pub struct Certificates {
    ca_file: PathBuf,
    trusted: Arc<ServerConfig>,
    other_name: Arc<ServerConfig>,
    expired: Arc<ServerConfig>,
    self_signed: Arc<ServerConfig>,
}

impl Certificates {
    pub fn new() -> Certificates {
        let ca = script::TestCa::new("smartx hostile test CA");
        Certificates {
            ca_file: ca.write(&super::c_build_dir(), "hostile-ca"),
            trusted: ca.server(&["127.0.0.1"], false),
            other_name: ca.server(&["other.example"], false),
            expired: ca.server(&["127.0.0.1"], true),
            self_signed: script::self_signed_server(&["127.0.0.1"]),
        }
    }

    fn server(&self, tls: Tls) -> Option<Arc<ServerConfig>> {
        match tls {
            Tls::Off => None,
            Tls::Trusted => Some(Arc::clone(&self.trusted)),
            Tls::OtherName => Some(Arc::clone(&self.other_name)),
            Tls::Expired => Some(Arc::clone(&self.expired)),
            Tls::SelfSigned => Some(Arc::clone(&self.self_signed)),
        }
    }
}

impl Drop for Certificates {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.ca_file);
    }
}

/// Runs one case through one call; the failures found, as text.
pub fn check(case: &Case, call: Call, certificates: &Certificates) -> Vec<String> {
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(format!("{} ({call:?}): {what}", case.name));
    let server = script::start(certificates.server(case.tls), (case.scripts)());
    let scheme = if case.tls == Tls::Off { "http" } else { "https" };
    let timeouts = format!("{CONNECT_MS},{TOTAL_MS}");
    let mut steps = match call {
        Call::Plain => vec![format!("defaults={timeouts}")],
        Call::Client => vec![format!("timeouts={timeouts},{TOTAL_MS}"), format!("token={TOKEN}")],
    };
    if case.tls != Tls::Off {
        steps.push(format!("ca={}", certificates.ca_file.display()));
    }
    let cash = |id: &str| match call {
        Call::Plain => format!("sxcash={id},{TOKEN}"),
        Call::Client => format!("cash={id}"),
    };
    let first = case.kept_alive.then(|| {
        steps.push(cash(FIRST_CALL));
        steps.push(format!("sleep={BETWEEN_MS}"));
        steps.len() - 1
    });
    steps.push(cash(JUDGED_CALL));
    let judged = steps.len();
    let mut command = Command::new(c_program("client"));
    command.arg(server.url(scheme)).args(&steps);
    let done = run(&mut command, Duration::from_secs(60));
    let values = done.values();
    let key = |step: usize, what: &str| format!("{step}.{what}");
    for step in 1..judged {
        if values.has(&key(step, "name")) && values.raw(&key(step, "name")) != "SX_OK" {
            fail(format!("step {} ({}) failed:\n{}", step, steps[step - 1], done.output()));
        }
    }
    if let Some(first) = first {
        if !values.text(&key(first, "answer")).contains(FIRST) {
            fail(format!("the first call did not get the first answer:\n{}", done.output()));
        }
    }
    if !values.has(&key(judged, "name")) {
        fail(format!("the judged call did not end:\n{}", done.output()));
        return failures;
    }
    let name = values.raw(&key(judged, "name"));
    let message = values.text(&key(judged, "message"));
    let answer = values.text(&key(judged, "answer"));
    let response = values.text(&key(judged, "response"));
    let ms = values.num(&key(judged, "ms"));
    eprintln!("{} ({call:?}): {name} in {ms} ms: {message}", case.name);
    if name != case.code {
        fail(format!("{name}, not {}:\n{}", case.code, done.output()));
    }
    let status = values.int(&key(judged, "status"));
    if status != case.http_status {
        fail(format!("HTTP status {status}, not {}", case.http_status));
    }
    if ms > TOTAL_MS + MARGIN_MS {
        fail(format!("the call took {ms} ms, past its total timeout of {TOTAL_MS} ms"));
    }
    if done.output().contains(TOKEN) {
        fail(format!("the token is in the output:\n{}", done.output()));
    }
    // An answer that came before the request, or that belonged to the first call, taken as this call's answer
    // would report a payment as done that the server may never have seen.
    for (what, text) in [("answer", &answer), ("last response", &response)] {
        if text.contains(STALE) || text.contains(FIRST) {
            fail(format!("the {what} is one the server sent before this request: {text}"));
        }
    }
    if name == "SX_OK" && !answer.contains(FRESH) {
        fail(format!("paid with an answer that is not this call's: {answer:?}"));
    }
    for what in message_failures(case.code, case.words, &message) {
        fail(what);
    }
    let posts = posts_per_connection(&server);
    if posts != case.posts {
        fail(format!("POSTs per connection {posts:?}, not {:?}: each call's POST goes out exactly once", case.posts));
    }
    failures
}

/// What is wrong with the message of a call that ended with `code`: a word of `words` or of the code's advice
/// missing, no message at all, or the library's own jargon (the message is for a cashier's screen).
pub fn message_failures(code: &str, words: &[&str], message: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let advice: &[&str] = match code {
        "SX_OK" => &[],
        "SX_ERR_OUTCOME_UNKNOWN" => &["may have been executed", "read the transaction back"],
        "SX_ERR_CONNECT" | "SX_ERR_TLS" => &["Nothing was sent"],
        _ => &["HTTP "],
    };
    for word in words.iter().chain(advice) {
        if !message.contains(word) {
            failures.push(format!("the message lacks {word:?}: {message}"));
        }
    }
    if code != "SX_OK" && message.is_empty() {
        failures.push("no message".into());
    }
    for jargon in ["Io(", "Kind(", "io error", "timeout: global", "Protocol(", "close_notify"] {
        if message.contains(jargon) {
            failures.push(format!("library jargon {jargon:?} in: {message}"));
        }
    }
    failures
}

/// How many payment requests each connection carried.
pub fn posts_per_connection(server: &RawServer) -> Vec<usize> {
    const POST: &[u8] = b"POST /api/v2/Smart/Transactions/";
    server.received().iter().map(|bytes| bytes.windows(POST.len()).filter(|w| *w == POST).count()).collect()
}
