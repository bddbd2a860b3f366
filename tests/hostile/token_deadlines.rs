//! Deadlines are kept whatever the token endpoint does (issue 16, items 4 to 7), through the C ABI called from
//! Rust, against a loopback server that lies: slow or silent token answers, a 401 once, device answers with no
//! interval, refresh grants that fail in ways other than a refusal. The server counts the requests by grant.
//!
//! The time bounds are generous: each bug they catch made the call two to five times longer, or endless.

use crate::support;

use support::last_error;

use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr, CString};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::ptr;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use smartx::*;
use support::raw::{http_answer, RawServer, Record};

const SEED: &[u8] = include_bytes!("../../fixtures/start-cash-response.json");
const CLIENT_ID: &str = "till-client";
const SECRET: &str = "csecret-DEADLINE-4f1a9c";
const PAYMENT: &str = "/api/v2/Smart/Transactions/STX_PAYING/start/cash";

/// One request as the server saw it: method and path, and the form fields of a token request.
struct Seen {
    head: String,
    fields: HashMap<String, String>,
}

impl Seen {
    fn grant(&self) -> &str {
        match (self.fields.get("grant_type").map(String::as_str), self.fields.contains_key("code")) {
            (Some("device"), true) => "device_poll",
            (Some("device"), false) => "device_code",
            (Some(grant), _) => grant,
            (None, _) => "api",
        }
    }

    fn is_payment(&self) -> bool {
        self.head.starts_with(&format!("POST {PAYMENT} "))
    }
}

/// What the server does with one request.
enum Act {
    /// Waits, then answers with these bytes and closes.
    Answer(Duration, Vec<u8>),
    /// Never answers: holds the connection until the client leaves.
    Silent,
}

fn json(status: &str, body: &str) -> Act {
    Act::Answer(Duration::ZERO, http_answer(status, "", body.as_bytes()))
}

fn token(access: &str, expires_in: u32, refresh: Option<&str>) -> Act {
    let refresh = refresh.map_or(String::new(), |r| format!(r#","refresh_token":"{r}""#));
    json(
        "200 OK",
        &format!(r#"{{"access_token":"{access}","expires_in":{expires_in},"token_type":"bearer"{refresh}}}"#),
    )
}

/// The id every payment here asks for.
const PAID_ID: &str = "STX_PAYING";

/// The seed's paid answer, about the transaction asked for (an answer about another is no payment of this call).
fn paid_answer() -> Vec<u8> {
    let seed = std::str::from_utf8(SEED).unwrap().replace(support::SEED_ID, PAID_ID);
    http_answer("200 OK", "", seed.as_bytes())
}

fn paid() -> Act {
    Act::Answer(Duration::ZERO, paid_answer())
}

/// A loopback server that decides each request's answer by what came before it, and keeps every request.
struct Lying {
    raw: RawServer,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Lying {
    /// `act` gets the request and the grants seen before it (`"api"` for an API request).
    fn start(act: impl Fn(&Seen, &[String]) -> Act + Send + Sync + 'static) -> Lying {
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&seen);
        let raw = RawServer::serving(move |stream, record| {
            let Some(request) = read_request(&stream, &record) else { return };
            let before = {
                let mut log = log.lock().unwrap();
                let before = log.clone();
                log.push(if request.is_payment() { "payment".into() } else { request.grant().to_owned() });
                before
            };
            answer(stream, act(&request, &before));
        });
        Lying { raw, seen }
    }

    fn url(&self) -> String {
        self.raw.url("http")
    }

    /// The requests so far, by grant (`"payment"` for the payment).
    fn seen(&self) -> Vec<String> {
        self.raw.received();
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, what: &str) -> usize {
        self.seen().iter().filter(|s| *s == what).count()
    }
}

fn read_request(mut stream: &TcpStream, record: &Record) -> Option<Seen> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        if let Some(at) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => {
                record.read(&got);
                return None;
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&got[..end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
        .unwrap_or(0usize);
    while got.len() < end + length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    record.read(&got);
    let body = String::from_utf8_lossy(&got[end..]).into_owned();
    let fields = body
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("%2F", "/")))
        .collect();
    Some(Seen { head, fields })
}

fn answer(mut stream: TcpStream, act: Act) {
    match act {
        Act::Answer(delay, bytes) => {
            thread::sleep(delay);
            let _ = stream.write_all(&bytes);
        }
        Act::Silent => {
            let mut buf = [0u8; 512];
            while let Ok(1..) = stream.read(&mut buf) {}
        }
    }
}

/// A client handle that threads may share: the library's clients are thread-safe.
#[derive(Clone, Copy)]
struct Client(*mut sx_client);
// SAFETY: sx_client is documented thread-safe; the handle is freed only after every thread has ended.
unsafe impl Send for Client {}
// SAFETY: as for Send.
unsafe impl Sync for Client {}

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

impl Client {
    fn new(base_url: &str, connect_ms: u32, total_ms: u32) -> Client {
        let mut client = ptr::null_mut();
        // SAFETY: a NUL-terminated URL and a valid out-pointer.
        assert_eq!(unsafe { sx_client_new(c(base_url).as_ptr(), &mut client) }, SX_OK);
        // SAFETY: a live client.
        assert_eq!(unsafe { sx_client_set_timeouts(client, connect_ms, total_ms, 0) }, SX_OK);
        Client(client)
    }

    fn with_credentials(self) -> Client {
        // SAFETY: a live client and NUL-terminated strings.
        let result = unsafe { sx_client_use_client_credentials(self.0, c(CLIENT_ID).as_ptr(), c(SECRET).as_ptr()) };
        assert_eq!(result, SX_OK);
        self
    }

    fn with_refresh_token(self, refresh_token: &str) -> Client {
        let (id, secret, refresh) = (c(CLIENT_ID), c(SECRET), c(refresh_token));
        // SAFETY: a live client and NUL-terminated strings.
        let result = unsafe { sx_client_use_refresh_token(self.0, id.as_ptr(), secret.as_ptr(), refresh.as_ptr()) };
        assert_eq!(result, SX_OK);
        self
    }

    /// `sx_client_start_cash`: the result, the message and the time it took.
    fn pay(self) -> (sx_result, String, Duration) {
        let mut buf = vec![0 as c_char; 64 << 10];
        let mut len = 0usize;
        let id = c(PAID_ID);
        let started = Instant::now();
        // SAFETY: a live client, a NUL-terminated id, a buffer of its length and a valid out_len.
        let result = unsafe { sx_client_start_cash(self.0, id.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len) };
        (result, last_error(), started.elapsed())
    }

    fn refresh_token(self) -> String {
        let mut buf = [0 as c_char; 256];
        let mut len = 0usize;
        // SAFETY: a live client, a buffer of its length and a valid out_len.
        assert_eq!(unsafe { sx_client_refresh_token(self.0, buf.as_mut_ptr(), buf.len(), &mut len) }, SX_OK);
        // SAFETY: written NUL-terminated on SX_OK.
        unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap().to_owned()
    }

    /// `sx_client_pair`: the result, the message and the time it took.
    fn pair(self) -> (sx_result, String, Duration) {
        unsafe extern "C" fn on_code(_: *mut c_void, _: *const c_char, _: *const c_char, _: u32) {}
        let (id, secret, uuid) = (c(CLIENT_ID), c(SECRET), c("/vendor/acme/cashier/till-7"));
        let started = Instant::now();
        // SAFETY: a live client, NUL-terminated strings, a callback that ignores its arguments.
        let result = unsafe {
            sx_client_pair(self.0, id.as_ptr(), secret.as_ptr(), uuid.as_ptr(), Some(on_code), ptr::null_mut())
        };
        (result, last_error(), started.elapsed())
    }

    fn cancel(self) {
        // SAFETY: a live client.
        unsafe { sx_client_cancel(self.0) }
    }

    fn free(self) {
        // SAFETY: made by sx_client_new, no thread uses it any more.
        unsafe { sx_client_free(self.0) }
    }
}

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let limit = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < limit, "waited 20 s for {what}");
        thread::sleep(Duration::from_millis(10));
    }
}

/// Item 4: token 0.9 s, the payment refused (401), token 0.9 s again: the second token request has 0.1 s left
/// of the 1 s total and ends there; the payment is not sent a second time, and the register learns that it was
/// not sent. Before, each request had a whole timeout of its own: 2.7 s and more.
#[test]
fn a_call_ends_within_its_total_timeout_token_requests_and_repeat_included() {
    const TOTAL_MS: u32 = 1000;
    let server = Lying::start(|request, before| {
        if request.grant() == "client_credentials" {
            let n = before.iter().filter(|s| *s == "client_credentials").count();
            let Act::Answer(_, bytes) = token(&format!("slow-token-{n}"), 1200, None) else { unreachable!() };
            Act::Answer(Duration::from_millis(900), bytes)
        } else if before.contains(&"payment".to_owned()) {
            Act::Answer(Duration::from_millis(900), paid_answer())
        } else {
            json("401 Unauthorized", r#"{"status":"error","error":"ProductNotAllowedException","code":2001}"#)
        }
    });
    let client = Client::new(&server.url(), 1000, TOTAL_MS).with_credentials();
    let (result, message, took) = client.pay();
    client.free();
    eprintln!("{result} in {took:?}: {message}");
    assert!(
        took < Duration::from_millis(u64::from(TOTAL_MS) + 500),
        "the call took {took:?} against a total timeout of {TOTAL_MS} ms"
    );
    assert_eq!(result, SX_ERR_CONNECT, "{message}");
    assert!(message.contains("not sent") && !message.contains("read the transaction back"), "{message}");
    assert!(!message.contains(SECRET));
    assert_eq!(server.count("payment"), 1, "{:?}", server.seen());
}

/// Item 4: five threads, one client, a token endpoint that never answers: one token request, whose failure the
/// four threads that waited for it share; all end by their own 1 s deadline. Before, the renewing thread held
/// the lock on the wire and each waiting thread then ran its own renewal in turn: 1, 2, 3, 4, 5 s.
#[test]
fn five_threads_against_a_silent_token_endpoint_all_end_within_one_timeout() {
    const TOTAL_MS: u32 = 1000;
    let server = Lying::start(|request, _| if request.grant() == "api" { paid() } else { Act::Silent });
    let client = Client::new(&server.url(), 1000, TOTAL_MS).with_credentials();
    let started = Instant::now();
    let threads: Vec<_> = (0..5).map(|_| thread::spawn(move || client.pay())).collect();
    let ends: Vec<_> = threads.into_iter().map(|t| (t.join().unwrap(), started.elapsed())).collect();
    client.free();
    for ((result, message, _), end) in &ends {
        eprintln!("{result} after {end:?}: {message}");
    }
    let last = ends.iter().map(|(_, end)| *end).max().unwrap();
    assert!(last < Duration::from_millis(u64::from(TOTAL_MS) + 800), "the last thread ended after {last:?}");
    for ((result, message, _), _) in &ends {
        assert_eq!(*result, SX_ERR_CONNECT, "{message}");
        assert!(message.contains("not sent"), "{message}");
    }
    assert_eq!(server.count("client_credentials"), 1, "one renewal at a time: {:?}", server.seen());
    assert_eq!(server.count("payment"), 0);
}

/// Item 4: the refresh token is read while a renewal hangs on the wire, at once. Before, the getter waited for
/// the lock the renewing thread held for its whole timeout. Item 7's other half: a refresh token that is the
/// only way to a token is kept after a failure that is not a refusal.
#[test]
fn the_refresh_token_getter_never_waits_for_a_renewal() {
    const TOTAL_MS: u32 = 3000;
    const REFRESH: &str = "rt-KEEP-7d2c0e9b";
    let server = Lying::start(|request, _| if request.grant() == "api" { paid() } else { Act::Silent });
    let client = Client::new(&server.url(), 1000, TOTAL_MS).with_refresh_token(REFRESH);
    let paying = thread::spawn(move || client.pay());
    wait_until("the refresh grant", || server.count("refresh_token") == 1);
    let started = Instant::now();
    let refresh = client.refresh_token();
    let took = started.elapsed();
    assert_eq!(refresh, REFRESH);
    assert!(took < Duration::from_millis(500), "the getter waited {took:?} for the renewal on the wire");
    let (result, message, _) = paying.join().unwrap();
    assert_eq!(result, SX_ERR_CONNECT, "{message}");
    assert_eq!(client.refresh_token(), REFRESH, "a timeout is no reason to drop the only refresh token");
    client.free();
}

/// The device flow's first answer, with `interval` as given (a JSON value), expiring after `expires_in` s.
fn device_code(interval: &str, expires_in: u32) -> Act {
    json(
        "200 OK",
        &format!(
            r#"{{"device_code":"devcode-0123456789abcdef","user_code":"ABCD1234","verification_url":"http://www.secuoffice.com","expires_in":{expires_in},"interval":{interval}}}"#
        ),
    )
}

/// Item 5: `sx_client_cancel` while a device poll hangs on the wire ends the pairing within a second with
/// SX_ERR_CANCELLED. Before, the poll waited for its whole timeout and ended as an unknown outcome whose message
/// said to read the transaction back.
#[test]
fn cancel_ends_a_pairing_within_a_second_while_a_poll_hangs() {
    let server = Lying::start(|request, _| match request.grant() {
        "device_code" => device_code("1", 600),
        _ => Act::Silent,
    });
    let client = Client::new(&server.url(), 1000, 5000);
    let pairing = thread::spawn(move || client.pair());
    wait_until("the first poll", || server.count("device_poll") == 1);
    thread::sleep(Duration::from_millis(200));
    let cancelled_at = Instant::now();
    client.cancel();
    let (result, message, _) = pairing.join().unwrap();
    let took = cancelled_at.elapsed();
    client.free();
    eprintln!("{result} {took:?} after the cancel: {message}");
    assert_eq!(result, SX_ERR_CANCELLED, "{message}");
    assert!(took < Duration::from_millis(1000), "the pairing ended {took:?} after the cancel");
    assert_eq!(server.count("device_poll"), 1);
}

/// Item 6: a device answer whose interval is 0, a thousandth of a second or negative does not make the library
/// poll in a loop (26 555 polls in 1.5 s before): at most one poll a second, and the RFC's 5 s for a negative
/// one. The code expires after 3 s.
#[test]
fn a_device_answer_with_no_interval_polls_at_most_once_a_second() {
    let runs: Vec<_> = ["0", "0.001", "-1"]
        .into_iter()
        .map(|interval| {
            thread::spawn(move || {
                let server = Lying::start(move |request, _| match request.grant() {
                    "device_code" => device_code(interval, 3),
                    _ => json("401 Unauthorized", r#"{"error":"authorization_pending","error_description":"not yet"}"#),
                });
                let client = Client::new(&server.url(), 1000, 5000);
                let (result, message, took) = client.pair();
                client.free();
                (interval, result, message, took, server.count("device_poll"))
            })
        })
        .collect();
    for run in runs {
        let (interval, result, message, took, polls) = run.join().unwrap();
        eprintln!("interval {interval}: {result} after {took:?} and {polls} polls: {message}");
        assert_eq!(result, SX_ERR_EXPIRED, "interval {interval}: {message}");
        assert!(polls <= 3, "interval {interval}: {polls} polls in 3 s");
    }
}

/// Item 7: a client with credentials holds a refresh token (from its grant); its token is due; the refresh
/// grant fails otherwise than by a refusal (a 500 with HTML, a 200 with HTML, no answer). That call fails; the
/// next one gets its token with the client credentials. Before, every call tried the unusable refresh token
/// again, and failed, forever.
#[test]
fn a_refresh_grant_that_fails_falls_back_to_the_client_credentials_at_the_next_call() {
    let html = |status: &'static str| {
        move || Act::Answer(Duration::ZERO, http_answer(status, "", b"<html><body>gateway</body></html>"))
    };
    /// A way for the refresh grant to fail, and its name.
    type Fault = (&'static str, Box<dyn Fn() -> Act + Send + Sync>);
    let faults: [Fault; 3] = [
        ("500 with HTML", Box::new(html("500 Internal Server Error"))),
        ("200 with HTML", Box::new(html("200 OK"))),
        ("no answer", Box::new(|| Act::Silent)),
    ];
    let runs: Vec<_> = faults
        .into_iter()
        .map(|(name, fault)| {
            thread::spawn(move || {
                let server = Lying::start(move |request, before| match request.grant() {
                    "client_credentials" => {
                        let n = before.iter().filter(|s| *s == "client_credentials").count();
                        // expires_in 1 s: due after half of it.
                        token(&format!("access-token-{n}"), 1, Some("rt-FROM-GRANT-51c3"))
                    }
                    "refresh_token" => fault(),
                    _ => paid(),
                });
                let client = Client::new(&server.url(), 1000, 1000).with_credentials();
                let first = client.pay();
                thread::sleep(Duration::from_millis(700));
                let failed = client.pay();
                let next = client.pay();
                client.free();
                (name, first, failed, next, server.seen())
            })
        })
        .collect();
    for run in runs {
        let (name, first, failed, next, seen) = run.join().unwrap();
        eprintln!("{name}: {} / {}: {} / {}: {}; {seen:?}", first.0, failed.0, failed.1, next.0, next.1);
        assert_eq!(first.0, SX_OK, "{name}: {}", first.1);
        assert_ne!(failed.0, SX_OK, "{name}: {}", failed.1);
        assert!(!failed.1.contains(SECRET) && !failed.1.contains("rt-FROM-GRANT"), "{name}: {}", failed.1);
        assert_eq!(next.0, SX_OK, "{name}: the call after the failed refresh: {}", next.1);
        let grants: Vec<&str> = seen.iter().map(String::as_str).filter(|s| *s != "payment").collect();
        assert_eq!(grants, ["client_credentials", "refresh_token", "client_credentials"], "{name}");
    }
}
