//! Nothing secret, even in pieces; no advice that contradicts the code (issue 16, items 8 to 11). Through the C
//! ABI, called in-process as C calls it, against loopback servers that lie (tests/support/raw.rs); the bound on
//! the kept secrets through the Rust core, which alone can count them.

use crate::support;

use support::{last_error, result_name as name};

use std::collections::HashSet;
use std::ffi::{c_char, c_void, CStr, CString};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

use smartx::api;
use smartx::auth::ClientId;
use smartx::http::{BaseUrl, Request};
use smartx::*;
use support::raw::{http_answer, RawServer, Record, Reply};

/// A fixed token as a register would give it.
const TOKEN: &str = "tok-SECRETS-7c1e94b2d05a3f68";
const CLIENT_SECRET: &str = "cs9-PIECES-4e8a1d7b93c2";
const SEED: &[u8] = include_bytes!("../../fixtures/start-cash-response.json");

/// The pieces of `secret` of 6 characters that `text` holds.
fn pieces_in(text: &str, secret: &str) -> Vec<String> {
    let found: HashSet<String> = secret
        .as_bytes()
        .windows(6)
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .filter(|w| text.contains(w.as_str()))
        .collect();
    found.into_iter().collect()
}

/// A client on `base_url` with short timeouts.
fn new_client(base_url: &str) -> *mut sx_client {
    let url = CString::new(base_url).unwrap();
    let mut client = ptr::null_mut();
    // SAFETY: a NUL-terminated URL and a valid out-pointer.
    assert_eq!(unsafe { sx_client_new(url.as_ptr(), &mut client) }, SX_OK, "{}", last_error());
    // SAFETY: a live client.
    assert_eq!(unsafe { sx_client_set_timeouts(client, 1000, 3000, 3000) }, SX_OK);
    client
}

fn use_token(client: *mut sx_client, token: &str) {
    let token = CString::new(token).unwrap();
    // SAFETY: a live client and a NUL-terminated token.
    assert_eq!(unsafe { sx_client_use_token(client, token.as_ptr()) }, SX_OK, "{}", last_error());
}

fn use_credentials(client: *mut sx_client, secret: &str) {
    let secret = CString::new(secret).unwrap();
    // SAFETY: a live client and NUL-terminated strings.
    let result = unsafe { sx_client_use_client_credentials(client, c"smartx-register".as_ptr(), secret.as_ptr()) };
    assert_eq!(result, SX_OK, "{}", last_error());
}

fn free(client: *mut sx_client) {
    // SAFETY: a live client no other thread uses.
    unsafe { sx_client_free(client) }
}

/// `sx_client_start_cash` for `id`; its result and the message of the thread's last error.
fn start_cash(client: *mut sx_client, id: &str) -> (sx_result, String) {
    let id = CString::new(id).unwrap();
    let mut buf = vec![0 as c_char; 64 * 1024];
    let mut len = 0usize;
    // SAFETY: a live client, a NUL-terminated id, a buffer of its length and a valid out_len.
    let result = unsafe { sx_client_start_cash(client, id.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len) };
    (result, if result == SX_OK { String::new() } else { last_error() })
}

/// `sx_transaction_get` for `id`; its result and the last error's message.
fn get(client: *mut sx_client, id: &str) -> (sx_result, String) {
    let id = CString::new(id).unwrap();
    let mut tx = ptr::null_mut();
    // SAFETY: a live client, a NUL-terminated id and a valid out-pointer.
    let result = unsafe { sx_transaction_get(client, id.as_ptr(), &mut tx) };
    // SAFETY: NULL or a transaction the call made.
    unsafe { sx_transaction_free(tx) };
    (result, if result == SX_OK { String::new() } else { last_error() })
}

/// An API error answer with `details` as its `error_details`.
fn api_error(status_line: &str, details: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "status": "error",
        "error": "ProductBadRequestException",
        "error_details": details,
        "code": 1400,
        "supportId": "f8e0173c15b92750819a91ac8d5cc878",
    });
    http_answer(status_line, "", body.to_string().as_bytes())
}

/// The log lines a client wrote, gathered by [`collect`].
#[derive(Default)]
struct Lines(Mutex<Vec<String>>);

unsafe extern "C" fn collect(user_data: *mut c_void, level: u32, message: *const c_char) {
    // SAFETY: user_data is the `Lines` the test keeps alive while the client may log; message is NUL-terminated.
    let (lines, message) = unsafe { (&*(user_data as *const Lines), CStr::from_ptr(message)) };
    lines.0.lock().unwrap().push(format!("{level} {}", message.to_string_lossy()));
}

fn log_to(client: *mut sx_client, lines: &Lines) {
    let user_data = lines as *const Lines as *mut c_void;
    // SAFETY: a live client; `lines` outlives the client in every test.
    assert_eq!(unsafe { sx_client_set_log(client, Some(collect), user_data, SX_LOG_DEBUG) }, SX_OK);
}

// ---------------------------------------------------------------------------------------------------------------
// A loopback HTTP server that answers each request by a function of it, on kept-alive connections.

struct Asked {
    head: String,
}

/// Reads one request (its head, and past a body of its Content-Length); `None` when the connection ended.
fn read_request(stream: &mut TcpStream, pending: &mut Vec<u8>) -> Option<Asked> {
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => pending.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&pending[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap())
        })
        .unwrap_or(0);
    while pending.len() < head_end + length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => pending.extend_from_slice(&buf[..n]),
        }
    }
    pending.drain(..head_end + length);
    Some(Asked { head })
}

/// `answer` gives the bytes of each answer; an answer without `Connection: close` keeps the connection.
fn answering(answer: impl Fn(&Asked) -> Vec<u8> + Send + Sync + 'static) -> RawServer {
    RawServer::serving(move |mut stream: TcpStream, record: Record| {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let mut pending = Vec::new();
        let mut got = Vec::new();
        while let Some(asked) = read_request(&mut stream, &mut pending) {
            got.extend_from_slice(asked.head.as_bytes());
            record.read(&got);
            let bytes = answer(&asked);
            if stream.write_all(&bytes).is_err() || String::from_utf8_lossy(&bytes).contains("Connection: close") {
                break;
            }
        }
        record.read(&got);
    })
}

fn json_answer(body: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len())
        .into_bytes()
}

// ---------------------------------------------------------------------------------------------------------------
// Item 8: the list of secrets stays bounded.

/// 2 500 renewals (a token endpoint granting tokens that are due at once): the client keeps a bounded number
/// of secrets, and a token it held a renewal ago is still scrubbed from a message that echoes it.
#[test]
fn renewals_keep_a_bounded_number_of_secrets() {
    const RENEWALS: usize = 2500;
    let granted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&granted);
    let server = answering(move |asked| {
        if asked.head.starts_with("POST /oauth/token ") {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            json_answer(&format!(r#"{{"access_token":"{}","expires_in":0,"token_type":"bearer"}}"#, token_no(n)))
        } else if asked.head.starts_with("GET /api/v2/Smart/Transactions/STX_ECHO ") {
            // Echoes the token before the current one, as a late or confused answer may.
            let n = counter.load(Ordering::SeqCst);
            let body = format!(
                r#"{{"status":"error","error":"X","error_details":"your earlier token {} is gone"}}"#,
                token_no(n - 1)
            );
            let mut answer = format!("HTTP/1.1 400 Bad Request\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
            answer.extend_from_slice(body.as_bytes());
            answer
        } else {
            json_answer(r#"{"object":"smart.transactions","id":"STX_1","status":"ok"}"#)
        }
    });
    let client = api::Client::new(BaseUrl::parse(&server.url("http")).unwrap());
    client.use_client_credentials(ClientId { id: "smartx-register".into(), secret: CLIENT_SECRET.into() });
    for _ in 0..RENEWALS {
        let exchange = client.call(Request::get("/api/v2/Smart/Transactions/STX_1"));
        assert!(exchange.result.is_ok(), "{:?}", exchange.result);
    }
    assert!(granted.load(Ordering::SeqCst) >= RENEWALS, "{} tokens granted", granted.load(Ordering::SeqCst));
    let kept = client.kept_secrets();
    assert!(kept <= 10, "{kept} secrets kept after {RENEWALS} renewals");
    let echoed = client.call(Request::get("/api/v2/Smart/Transactions/STX_ECHO")).result.unwrap_err();
    let n = granted.load(Ordering::SeqCst);
    assert!(!echoed.message.contains(&token_no(n - 1)), "an earlier token in: {}", echoed.message);
    assert!(echoed.message.contains("your earlier token <redacted> is gone"), "{}", echoed.message);
}

fn token_no(n: usize) -> String {
    format!("granted-{n:06}-{:016x}", (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

// ---------------------------------------------------------------------------------------------------------------
// Item 9: no piece of 6 or more characters of a secret; no card number whole in any spelling.

/// A server that echoes pieces of the token (its middle 6, 7, 9 and all but the ends) in its error body: none
/// of 6 or more characters reaches the message.
#[test]
fn pieces_of_the_token_echoed_by_the_server_are_scrubbed() {
    let pieces = [&TOKEN[8..14], &TOKEN[10..17], &TOKEN[3..12], &TOKEN[1..TOKEN.len() - 1]];
    let details = format!("tokens seen: [{}] [{}] [{}] [{}]", pieces[0], pieces[1], pieces[2], pieces[3]);
    let server = RawServer::start(Reply::AfterRequestHead(api_error("400 Bad Request", &details)));
    let client = new_client(&server.url("http"));
    use_token(client, TOKEN);
    let (result, message) = get(client, "STX_PIECES");
    free(client);
    assert_eq!(name(result), "SX_ERR_API", "{message}");
    assert!(message.contains("tokens seen"), "{message}");
    assert_eq!(pieces_in(&message, TOKEN), Vec::<String>::new(), "pieces of the token in: {message}");
}

/// A 401 whose details are cut where the message shortens them, inside the token: scrubbed before shortened,
/// so not even the token's first characters remain.
#[test]
fn a_token_cut_where_the_message_is_shortened_is_scrubbed_first() {
    // error_details are shortened to 300 characters: the cut leaves the token's first 7.
    let details = format!("{}{TOKEN}", "d".repeat(300 - 7));
    let server = RawServer::start(Reply::AfterRequestHead(api_error("401 Unauthorized", &details)));
    let client = new_client(&server.url("http"));
    use_token(client, TOKEN);
    let (result, message) = get(client, "STX_CUT");
    free(client);
    assert_eq!(name(result), "SX_ERR_UNAUTHORIZED", "{message}");
    assert!(!message.contains(&TOKEN[..5]), "the token's start in: {message}");
    assert_eq!(pieces_in(&message, TOKEN), Vec::<String>::new(), "pieces of the token in: {message}");
}

/// The token endpoint echoes a piece of the client secret: neither the message nor any log line holds it.
#[test]
fn pieces_of_the_client_secret_reach_neither_message_nor_log() {
    let description = format!("client secret ...{}... is not known", &CLIENT_SECRET[9..16]);
    let body = serde_json::json!({"error": "invalid_client", "error_description": description}).to_string();
    let server = RawServer::start(Reply::AfterRequestHead(http_answer("400 Bad Request", "", body.as_bytes())));
    let client = new_client(&server.url("http"));
    let lines = Lines::default();
    log_to(client, &lines);
    use_credentials(client, CLIENT_SECRET);
    let (result, message) = start_cash(client, "STX_SECRET");
    free(client);
    assert_eq!(name(result), "SX_ERR_UNAUTHORIZED", "{message}");
    let log = lines.0.lock().unwrap().join("\n");
    assert!(log.contains("is not known"), "the refusal is logged:\n{log}");
    assert_eq!(pieces_in(&message, CLIENT_SECRET), Vec::<String>::new(), "in the message: {message}");
    assert_eq!(pieces_in(&log, CLIENT_SECRET), Vec::<String>::new(), "in the log:\n{log}");
}

/// Creates a transaction with `card` as the basket's ident against a server that echoes it in `echoes`; the
/// message of the refusal.
fn create_with_ident(card: &str, echoes: &[&str]) -> String {
    let details = format!("unknown card {}", echoes.join(" / "));
    let server = RawServer::start(Reply::AfterRequestHead(api_error("400 Bad Request", &details)));
    let client = new_client(&server.url("http"));
    use_token(client, TOKEN);
    let lines = Lines::default();
    log_to(client, &lines);
    let mut basket = ptr::null_mut();
    let whole = alphanumerics(card);
    let card = CString::new(card).unwrap();
    let mut tx = ptr::null_mut();
    // SAFETY: NUL-terminated strings, valid out-pointers, live handles freed once.
    let result = unsafe {
        assert_eq!(sx_basket_new(c"EUR".as_ptr(), &mut basket), SX_OK);
        let added = sx_basket_add_product(basket, c"Brot".as_ptr(), ptr::null(), ptr::null(), 1, 250, 7);
        assert_eq!(added, SX_OK, "{}", last_error());
        assert_eq!(sx_basket_set_ident(basket, card.as_ptr()), SX_OK, "{}", last_error());
        let result = sx_transaction_create(client, basket, &mut tx);
        sx_transaction_free(tx);
        sx_basket_free(basket);
        result
    };
    let message = last_error();
    free(client);
    assert_eq!(name(result), "SX_ERR_API", "{message}");
    let log = lines.0.lock().unwrap().join("\n");
    assert!(!alphanumerics(&log).contains(&whole), "the card number whole in the log:\n{log}");
    message
}

/// The message's letters and digits only, in lower case: a number spelt with other separators or case is
/// still found.
fn alphanumerics(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

#[test]
fn a_card_number_echoed_in_any_spelling_never_shows_whole() {
    let card = "4111111111111111";
    let message = create_with_ident(
        card,
        &[
            "4111 1111-1111 1111",
            "4111  1111  1111  1111",
            "4111.1111.1111.1111",
            "4111/1111/1111/1111",
            "4111111111111111",
            "card4111111111111111",
            "card_4111111111111111",
        ],
    );
    assert!(message.contains("unknown card"), "{message}");
    assert!(!alphanumerics(&message).contains(card), "the card number whole in: {message}");
    assert!(message.contains("1111"), "the last four stay: {message}");

    let card = "AB12CD34EF56GH78";
    let message = create_with_ident(card, &["ab12cd34ef56gh78", "AB12 cd34-EF56 gh78", "Ab12Cd34Ef56Gh78"]);
    assert!(!alphanumerics(&message).contains(&card.to_ascii_lowercase()), "the card number whole in: {message}");
}

// ---------------------------------------------------------------------------------------------------------------
// Item 10: once sx_client_set_log returns, the previous callback is never called again.

/// A log callback's state: its lines, and whether the register has let it go (its memory freed, in C).
#[derive(Default)]
struct Sink {
    lines: Mutex<Vec<String>>,
    retired: AtomicBool,
    /// Lines that came after the register let it go: a use after free in C.
    late: AtomicUsize,
    /// For [`slow`]: inside the callback, and out of it again.
    entered: AtomicBool,
    left: AtomicBool,
    /// For [`swapping`]: the client, and what `sx_client_set_log` returned inside the callback.
    client: AtomicUsize,
    swapped: Mutex<Option<sx_result>>,
}

unsafe extern "C" fn guarded(user_data: *mut c_void, _level: u32, message: *const c_char) {
    // SAFETY: user_data is a `Sink` the test keeps alive to check it; message is NUL-terminated.
    let (sink, message) = unsafe { (&*(user_data as *const Sink), CStr::from_ptr(message)) };
    if sink.retired.load(Ordering::SeqCst) {
        sink.late.fetch_add(1, Ordering::SeqCst);
    }
    sink.lines.lock().unwrap().push(message.to_string_lossy().into_owned());
}

/// Takes its time over the first line.
unsafe extern "C" fn slow(user_data: *mut c_void, level: u32, message: *const c_char) {
    // SAFETY: as for `guarded`.
    let sink = unsafe { &*(user_data as *const Sink) };
    let first = !sink.entered.swap(true, Ordering::SeqCst);
    if first {
        thread::sleep(Duration::from_millis(500));
    }
    // SAFETY: as for `guarded`.
    unsafe { guarded(user_data, level, message) };
    if first {
        sink.left.store(true, Ordering::SeqCst);
    }
}

/// Changes the log from inside the callback.
unsafe extern "C" fn swapping(user_data: *mut c_void, level: u32, message: *const c_char) {
    // SAFETY: as for `guarded`.
    let sink = unsafe { &*(user_data as *const Sink) };
    let mut swapped = sink.swapped.lock().unwrap();
    if swapped.is_none() {
        let client = sink.client.load(Ordering::SeqCst) as *mut sx_client;
        // SAFETY: the client is alive during its own call.
        *swapped = Some(unsafe { sx_client_set_log(client, None, ptr::null_mut(), 0) });
    }
    drop(swapped);
    // SAFETY: as for `guarded`.
    unsafe { guarded(user_data, level, message) };
}

fn set_log(client: *mut sx_client, callback: sx_log_callback, sink: &Sink) -> sx_result {
    // SAFETY: a live client; the sink outlives it in every test.
    unsafe { sx_client_set_log(client, callback, sink as *const Sink as *mut c_void, SX_LOG_DEBUG) }
}

/// A client pointer that crosses to the thread that makes the call; the test frees it after joining.
struct Shared(*mut sx_client);
// SAFETY: sx_client is thread-safe; the test keeps it alive until every thread is joined.
unsafe impl Send for Shared {}

/// A server that holds each API request until `release` is set, then answers it paid.
fn held_until(release: Arc<AtomicBool>, arrived: Arc<AtomicUsize>) -> RawServer {
    answering(move |_| {
        arrived.fetch_add(1, Ordering::SeqCst);
        while !release.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(5));
        }
        http_answer("200 OK", "", SEED)
    })
}

/// Thread A makes a call whose answer the server holds back; meanwhile the register swaps the callback and
/// lets the old one go. The call's later lines go to the new callback only.
#[test]
fn the_old_log_callback_is_never_called_after_set_log_returns() {
    let (release, arrived) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let server = held_until(Arc::clone(&release), Arc::clone(&arrived));
    let client = new_client(&server.url("http"));
    use_token(client, TOKEN);
    let (old, new) = (Sink::default(), Sink::default());
    assert_eq!(set_log(client, Some(guarded), &old), SX_OK);
    let shared = Shared(client);
    let call = thread::spawn(move || {
        let shared = shared;
        start_cash(shared.0, support::SEED_ID).0
    });
    while arrived.load(Ordering::SeqCst) == 0 {
        thread::sleep(Duration::from_millis(5));
    }
    assert!(!old.lines.lock().unwrap().is_empty(), "the call logged before it was sent");
    assert_eq!(set_log(client, Some(guarded), &new), SX_OK);
    old.retired.store(true, Ordering::SeqCst);
    release.store(true, Ordering::SeqCst);
    assert_eq!(call.join().unwrap(), SX_OK);
    free(client);
    let late = old.late.load(Ordering::SeqCst);
    assert_eq!(late, 0, "the old callback got {late} lines after set_log returned: {:?}", old.lines.lock().unwrap());
    assert!(
        new.lines.lock().unwrap().iter().any(|l| l.contains("HTTP 200")),
        "the call's last lines go to the new callback: {:?}",
        new.lines.lock().unwrap()
    );
}

/// A callback under way on another thread when the log is changed: set_log returns after it did.
#[test]
fn set_log_waits_for_a_callback_in_progress() {
    let (release, arrived) = (Arc::new(AtomicBool::new(true)), Arc::new(AtomicUsize::new(0)));
    let server = held_until(release, arrived);
    let client = new_client(&server.url("http"));
    use_token(client, TOKEN);
    let old = Sink::default();
    assert_eq!(set_log(client, Some(slow), &old), SX_OK);
    let shared = Shared(client);
    let call = thread::spawn(move || {
        let shared = shared;
        start_cash(shared.0, support::SEED_ID).0
    });
    while !old.entered.load(Ordering::SeqCst) {
        thread::sleep(Duration::from_millis(1));
    }
    // SAFETY: a live client.
    assert_eq!(unsafe { sx_client_set_log(client, None, ptr::null_mut(), 0) }, SX_OK);
    let left = old.left.load(Ordering::SeqCst);
    old.retired.store(true, Ordering::SeqCst);
    assert_eq!(call.join().unwrap(), SX_OK);
    free(client);
    assert!(left, "set_log returned while the callback was still running on the other thread");
    assert_eq!(old.late.load(Ordering::SeqCst), 0);
}

/// A callback that changes the log of its own client: refused with SX_ERR_INVALID_ARGUMENT, not a deadlock.
#[test]
fn set_log_from_inside_the_callback_is_refused_not_a_deadlock() {
    let server = RawServer::start(Reply::AfterRequestHead(http_answer("200 OK", "", SEED)));
    let client = new_client(&server.url("http"));
    use_token(client, TOKEN);
    let sink = Arc::new(Sink::default());
    sink.client.store(client as usize, Ordering::SeqCst);
    assert_eq!(set_log(client, Some(swapping), &sink), SX_OK);
    let (done, finished) = mpsc::channel();
    let shared = Shared(client);
    thread::spawn(move || {
        let shared = shared;
        let _ = done.send(start_cash(shared.0, support::SEED_ID).0);
    });
    let result = finished.recv_timeout(Duration::from_secs(60)).expect("the call deadlocked");
    assert_eq!(result, SX_OK);
    free(client);
    assert_eq!(*sink.swapped.lock().unwrap(), Some(SX_ERR_INVALID_ARGUMENT));
    assert!(sink.lines.lock().unwrap().len() >= 2, "the log stayed as it was: {:?}", sink.lines.lock().unwrap());
}

// ---------------------------------------------------------------------------------------------------------------
// Item 11: every message fits its code and its call.

/// Words that say a request may have been executed: never in the message of a code that means "not sent".
const EXECUTED: &[&str] =
    &["may have been executed", "probably registered", "probably executed", "read the transaction back"];

fn said(message: &str, words: &[&str]) -> Vec<String> {
    words.iter().filter(|w| message.contains(**w)).map(|w| (*w).to_owned()).collect()
}

/// The token request fails after it was sent (no answer; an answer cut short): the call was never sent, and
/// its message does not say it may have been executed.
#[test]
fn a_failed_token_request_never_says_the_call_may_have_been_executed() {
    let cut_short = http_answer("200 OK", "", br#"{"access_token":"tok-cut-short-1234","expires_in":1200}"#);
    for reply in [Reply::Silent, Reply::AfterRequestHead(cut_short[..cut_short.len() - 20].to_vec())] {
        let server = RawServer::start(reply);
        let client = new_client(&server.url("http"));
        // SAFETY: a live client.
        assert_eq!(unsafe { sx_client_set_timeouts(client, 500, 1500, 1500) }, SX_OK);
        use_credentials(client, CLIENT_SECRET);
        let (result, message) = start_cash(client, "STX_NO_TOKEN");
        free(client);
        assert_eq!(name(result), "SX_ERR_CONNECT", "{message}");
        assert!(message.contains("not sent"), "{message}");
        assert_eq!(said(&message, EXECUTED), Vec::<String>::new(), "{message}");
    }
}

/// A 401 from the token endpoint is SX_ERR_UNAUTHORIZED, whatever its body says.
#[test]
fn a_token_endpoint_401_is_unauthorized_whatever_its_body() {
    for body in [
        &br#"{"error":"invalid_grant","error_description":"x"}"#[..],
        br#"{"error":"server_error"}"#,
        b"<html>no</html>",
        b"",
    ] {
        let server = RawServer::start(Reply::AfterRequestHead(http_answer("401 Unauthorized", "", body)));
        let client = new_client(&server.url("http"));
        use_credentials(client, CLIENT_SECRET);
        let (result, message) = start_cash(client, "STX_401");
        free(client);
        assert_eq!(name(result), "SX_ERR_UNAUTHORIZED", "{}: {message}", String::from_utf8_lossy(body));
        assert_eq!(said(&message, EXECUTED), Vec::<String>::new(), "{message}");
    }
}

/// A token answer without `expires_in` (optional in RFC 6749), or with one that is no lifetime, is used with
/// the default lifetime: two calls, one token.
#[test]
fn a_token_without_a_valid_expires_in_is_used() {
    for expires_in in ["", r#","expires_in":-5"#, r#","expires_in":"soon""#, r#","expires_in":1e300"#] {
        let tokens = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&tokens);
        let token_answer = format!(r#"{{"access_token":"tok-no-expiry-7d3a","token_type":"bearer"{expires_in}}}"#);
        let server = answering(move |asked| {
            if asked.head.starts_with("POST /oauth/token ") {
                counter.fetch_add(1, Ordering::SeqCst);
                json_answer(&token_answer)
            } else {
                json_answer(std::str::from_utf8(SEED).unwrap())
            }
        });
        let client = new_client(&server.url("http"));
        use_credentials(client, CLIENT_SECRET);
        let first = start_cash(client, support::SEED_ID);
        let second = start_cash(client, support::SEED_ID);
        free(client);
        assert_eq!(
            (name(first.0), name(second.0)),
            ("SX_OK".into(), "SX_OK".into()),
            "{expires_in}: {first:?} {second:?}"
        );
        assert_eq!(tokens.load(Ordering::SeqCst), 1, "{expires_in}");
    }
}

/// A start refused because the transaction was started before (by an earlier call whose answer was lost, say)
/// says it may have been paid: read it back.
#[test]
fn a_start_refused_as_already_started_says_read_it_back() {
    let body = serde_json::json!({
        "status": "error",
        "error": "ProductBadRequestException",
        "error_details": "Transaction was already started",
        "error_user": "Der Vorgang wurde bereits gestartet (Code 1400)",
        "code": 1400,
        "supportId": "0b5c0d0e",
    });
    let server =
        RawServer::start(Reply::AfterRequestHead(http_answer("400 Bad Request", "", body.to_string().as_bytes())));
    let client = new_client(&server.url("http"));
    use_token(client, TOKEN);
    let mut tx = ptr::null_mut();
    // SAFETY: a live client, NUL-terminated strings, a valid out-pointer.
    let result = unsafe { sx_transaction_start(client, c"STX_AGAIN".as_ptr(), c"cash".as_ptr(), &mut tx) };
    let message = last_error();
    // SAFETY: NULL or a transaction the call made.
    unsafe { sx_transaction_free(tx) };
    free(client);
    assert_eq!(name(result), "SX_ERR_API", "{message}");
    assert!(message.contains("already started") && message.contains("read it back"), "{message}");
    assert!(message.contains("possibly paid"), "{message}");
}

/// Calls that move no money never speak of the payment.
#[test]
fn calls_that_move_no_money_never_speak_of_the_payment() {
    for answer in [
        http_answer("200 OK", "", b"<html>"),
        http_answer("200 OK", "", b""),
        http_answer("200 OK", "", br#"{"object":"x"}"#),
    ] {
        let server = RawServer::start(Reply::AfterRequestHead(answer));
        let client = new_client(&server.url("http"));
        use_token(client, TOKEN);
        let (result, message) = get(client, "STX_READ");
        free(client);
        assert_eq!(name(result), "SX_ERR_BAD_RESPONSE", "{message}");
        assert!(!message.contains("payment") && !message.contains("registered"), "{message}");
    }
}

/// Log lines read as sentences: a failure is not followed by "in 0 ms", and no status is said twice.
#[test]
fn log_lines_read_as_sentences() {
    let port = support::closed_port();
    let client = new_client(&format!("http://127.0.0.1:{port}"));
    use_token(client, TOKEN);
    let lines = Lines::default();
    log_to(client, &lines);
    let (result, _) = start_cash(client, "STX_CLOSED");
    assert_eq!(name(result), "SX_ERR_CONNECT");
    free(client);
    let broken = http_answer("200 OK", "", SEED);
    let server = RawServer::start(Reply::AfterRequestHead(broken[..broken.len() - 40].to_vec()));
    let client = new_client(&server.url("http"));
    use_token(client, TOKEN);
    log_to(client, &lines);
    let (result, _) = start_cash(client, "STX_BROKEN");
    assert_eq!(name(result), "SX_ERR_OUTCOME_UNKNOWN");
    free(client);
    let lines = lines.0.lock().unwrap();
    let requests: Vec<&String> = lines.iter().filter(|l| l.starts_with("3 ")).collect();
    assert_eq!(requests.len(), 2, "{lines:?}");
    for line in requests {
        assert!(!line.contains("try again in"), "{line}");
        assert!(line.contains(" ms"), "{line}");
        assert!(line.matches("HTTP 200").count() <= 1, "the status twice: {line}");
    }
}

/// A refused refresh token is logged once, saying its OAuth code and status once: the warning read "the refresh
/// token was refused (invalid_grant): HTTP 400 from /oauth/token: invalid_grant (...)".
#[test]
fn a_refused_refresh_token_is_logged_without_saying_its_code_twice() {
    let server = answering(|_| {
        let body = r#"{"error":"invalid_grant","error_description":"the refresh token has expired"}"#;
        http_answer("400 Bad Request", "", body.as_bytes())
    });
    let client = new_client(&server.url("http"));
    let secret = CString::new(CLIENT_SECRET).unwrap();
    // SAFETY: a live client and NUL-terminated strings.
    let result = unsafe {
        sx_client_use_refresh_token(client, c"smartx-register".as_ptr(), secret.as_ptr(), c"rt-REFUSED-93ad71".as_ptr())
    };
    assert_eq!(result, SX_OK, "{}", last_error());
    let lines = Lines::default();
    log_to(client, &lines);
    let (result, message) = start_cash(client, "STX_REFRESH");
    free(client);
    assert_eq!(name(result), "SX_ERR_EXPIRED", "{message}");
    assert_eq!(message.matches("invalid_grant").count(), 1, "{message}");
    let lines = lines.0.lock().unwrap();
    let refused: Vec<&String> = lines.iter().filter(|l| l.contains("invalid_grant")).collect();
    assert!(!refused.is_empty(), "the refusal is not logged: {lines:?}");
    for line in refused {
        assert_eq!(line.matches("invalid_grant").count(), 1, "the code twice: {line}");
        assert!(line.matches("HTTP 400").count() <= 1, "the status twice: {line}");
    }
}

/// Item 10 as a C host sees it, under valgrind (tests/data/c/log_swap.c): a card start waits at the sandbox's terminal
/// on another thread while the host changes the log and frees the old callback's state at once. A line written
/// to the old callback after sx_client_set_log returned would be a write into freed memory.
#[test]
fn a_host_frees_the_old_log_state_at_once_clean_under_valgrind() {
    let Some(mut valgrind) = support::valgrind() else { return };
    let sandbox = support::Sandbox::start(&["--terminal-delay-ms", "1500"]);
    let program = support::c_program_with("log_swap", &["-pthread"]);
    let done = support::run(valgrind.arg(program).arg(&sandbox.base_url), Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
    assert!(done.stdout.contains("result=SX_OK"), "{}", done.output());
}
