//! `sx_client_prepare` (issue 23, item 2) through the C ABI called from Rust: after it, the payment goes out on
//! the connection it made ready and gets by with the token it renewed; it sends no API request; a second one
//! while all is fresh does nothing; it ends within the connect timeout. Against the sandbox over TLS behind a
//! loopback forwarder that counts connections and closes them as a server does after an idle gap, and against
//! scripted raw servers that record every byte.

use crate::support;

use std::ffi::{CStr, CString};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use smartx::*;
use support::hostile::{kept_alive, paid, FRESH, JUDGED_CALL};
use support::raw::{FullBacklog, RawServer};
use support::script::{self, Step};
use support::{closed_port, last_error, result_name, Sandbox, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// A client through the C ABI; freed when dropped.
struct Client(*mut sx_client);

impl Client {
    fn new(base_url: &str) -> Client {
        let mut client = ptr::null_mut();
        assert_eq!(unsafe { sx_client_new(c(base_url).as_ptr(), &mut client) }, SX_OK);
        Client(client)
    }

    fn timeouts(self, connect_ms: u32, total_ms: u32) -> Client {
        assert_eq!(unsafe { sx_client_set_timeouts(self.0, connect_ms, total_ms, 0) }, SX_OK);
        self
    }

    fn client_credentials(self) -> Client {
        let (id, secret) = (c(DEFAULT_CLIENT_ID), c(DEFAULT_CLIENT_SECRET));
        assert_eq!(unsafe { sx_client_use_client_credentials(self.0, id.as_ptr(), secret.as_ptr()) }, SX_OK);
        self
    }

    fn token(self, token: &str) -> Client {
        assert_eq!(unsafe { sx_client_use_token(self.0, c(token).as_ptr()) }, SX_OK);
        self
    }

    fn trusting(self, sandbox: &Sandbox) -> Client {
        let path = c(sandbox.ca_file().to_str().unwrap());
        assert_eq!(unsafe { sx_client_add_ca_file(self.0, path.as_ptr()) }, SX_OK, "{}", last_error());
        self
    }

    fn prepare(&self) -> sx_result {
        unsafe { sx_client_prepare(self.0) }
    }

    fn prepared(&self) {
        let result = self.prepare();
        assert_eq!(result, SX_OK, "sx_client_prepare: {} {}", result_name(result), last_error());
    }

    fn pay(&self, id: &str) {
        let mut buf = vec![0 as std::ffi::c_char; 64 * 1024];
        let mut len = 0usize;
        let id = c(id);
        let result = unsafe { sx_client_start_cash(self.0, id.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len) };
        let answer = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned();
        assert_eq!(result, SX_OK, "start cash: {} {} {answer}", result_name(result), last_error());
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: made by sx_client_new, no thread uses it any more.
        unsafe { sx_client_free(self.0) }
    }
}

/// A loopback TCP forwarder in front of a server: counts the connections it accepts, and closes every one of
/// them on demand, as a server does with idle connections after a few seconds.
struct Forwarder {
    port: u16,
    accepted: Arc<AtomicUsize>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Forwarder {
    fn start(target_port: u16) -> Forwarder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (counted, kept) = (Arc::clone(&accepted), Arc::clone(&open));
        thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let Ok(server) = TcpStream::connect(("127.0.0.1", target_port)) else { continue };
                counted.fetch_add(1, Ordering::SeqCst);
                kept.lock().unwrap().push(client.try_clone().unwrap());
                let (client_in, server_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                thread::spawn(move || pipe(client_in, server_out));
                thread::spawn(move || pipe(server, client));
            }
        });
        Forwarder { port, accepted, open }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Closes every connection (both ways), as a server's idle timeout does.
    fn close_all(&self) {
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // The close reaches the client's socket before its next call.
        thread::sleep(Duration::from_millis(100));
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

/// The next sale after an idle gap (the server closed the connection): prepare makes a connection ready and
/// sends no API request; the payment then goes out on that connection, with no token request of its own.
#[test]
fn after_an_idle_gap_prepare_readies_the_connection_the_payment_uses_and_sends_no_api_request() {
    let sandbox = Sandbox::start_tls(&[]);
    let forwarder = Forwarder::start(sandbox.port());
    let ids = sandbox.create_batch("STX_PREP", 2);
    let client = Client::new(&forwarder.url()).trusting(&sandbox).client_credentials();

    // The first sale of the day: the token and the connection.
    client.prepared();
    assert_eq!(sandbox.api_requests(), 0, "prepare sent an API request");
    assert_eq!(sandbox.token_requests("total"), 1, "{}", sandbox.token_counts());
    assert_eq!(forwarder.connections(), 1);
    client.pay(&ids[0]);
    assert_eq!(forwarder.connections(), 1, "the first payment did not use the prepared connection");

    // The idle gap: the server closes the connection. Prepare makes a new one, and sends nothing on it.
    forwarder.close_all();
    client.prepared();
    assert_eq!(forwarder.connections(), 2, "prepare did not connect ahead after the server closed the connection");
    assert_eq!(sandbox.api_requests(), 1, "prepare sent an API request");
    assert_eq!(sandbox.token_requests("total"), 1, "{}", sandbox.token_counts());

    client.pay(&ids[1]);
    assert_eq!(forwarder.connections(), 2, "the payment did not use the connection prepare made ready");
    assert_eq!(sandbox.api_requests(), 2);
    assert_eq!(sandbox.token_requests("total"), 1, "{}", sandbox.token_counts());
}

/// Called again while the token and the connection are fresh, prepare connects nowhere and asks for no token.
#[test]
fn a_second_prepare_while_all_is_fresh_does_nothing() {
    let sandbox = Sandbox::start_tls(&[]);
    let forwarder = Forwarder::start(sandbox.port());
    let client = Client::new(&forwarder.url()).trusting(&sandbox).client_credentials();
    client.prepared();
    let tokens = sandbox.token_requests("total");
    let connections = forwarder.connections();
    for _ in 0..20 {
        client.prepared();
    }
    assert_eq!(forwarder.connections(), connections, "a prepare while fresh opened a connection");
    assert_eq!(sandbox.token_requests("total"), tokens, "a prepare while fresh asked for a token");
    assert_eq!(sandbox.api_requests(), 0);
}

/// A token that would be due before the payment is renewed by prepare, so that the payment sends no token
/// request. Tokens live 3 s here: renewed 1.5 s after they were got, so 1 s in, prepare renews early.
#[test]
fn prepare_renews_a_token_that_would_be_due_soon() {
    let sandbox = Sandbox::start_tls(&["--token-lifetime-ms", "3000"]);
    let forwarder = Forwarder::start(sandbox.port());
    let ids = sandbox.create_batch("STX_RENEW", 2);
    let client = Client::new(&forwarder.url()).trusting(&sandbox).client_credentials();
    client.pay(&ids[0]);
    assert_eq!(sandbox.token_requests("total"), 1, "{}", sandbox.token_counts());
    thread::sleep(Duration::from_millis(1000));
    client.prepared();
    assert_eq!(
        sandbox.token_requests("total"),
        2,
        "prepare did not renew a token due in 0.5 s: {}",
        sandbox.token_counts()
    );
    client.pay(&ids[1]);
    assert_eq!(sandbox.token_requests("total"), 2, "the payment renewed the token: {}", sandbox.token_counts());
    assert_eq!(forwarder.connections(), 1, "prepare and the payment did not share the connection");
}

/// Against a server that records every byte: the connection prepare made carried nothing before the payment,
/// and the payment went out on it (one connection, whose first bytes are the payment's request line).
#[test]
fn the_prepared_connection_carries_nothing_but_the_payment() {
    for tls in [false, true] {
        let ca = script::TestCa::new("prepare test CA");
        let config = tls.then(|| ca.server(&["127.0.0.1"], false));
        let server =
            script::start(config, vec![vec![Step::Request, Step::Send(kept_alive("", &paid(FRESH))), Step::Hold]]);
        let scheme = if tls { "https" } else { "http" };
        let client = Client::new(&server.url(scheme)).token("tok-PREPARE-4711");
        if tls {
            let dir = support::c_build_dir();
            let path = c(ca.write(&dir, "prepare-ca").to_str().unwrap());
            assert_eq!(unsafe { sx_client_add_ca_file(client.0, path.as_ptr()) }, SX_OK, "{}", last_error());
        }
        client.prepared();
        client.pay(JUDGED_CALL);
        drop(client);
        let received = server.received();
        assert_eq!(received.len(), 1, "{scheme}: connections {}", received.len());
        let first_line = String::from_utf8_lossy(&received[0]).lines().next().unwrap_or_default().to_owned();
        assert!(
            first_line.starts_with(&format!("POST /api/v2/Smart/Transactions/{JUDGED_CALL}/start/cash ")),
            "{scheme}: the connection carried {first_line:?} first"
        );
        assert_eq!(
            String::from_utf8_lossy(&received[0]).matches(" HTTP/1.1\r\n").count(),
            1,
            "{scheme}: more than the payment"
        );
    }
}

/// A server that takes no connection: prepare gives up at the connect timeout, as a connect error.
#[test]
fn prepare_ends_within_the_connect_timeout_as_a_connect_error() {
    let backlog = FullBacklog::start();
    let client = Client::new(&backlog.url()).timeouts(500, 30_000).token("tok-PREPARE-4711");
    let started = Instant::now();
    let result = client.prepare();
    let took = started.elapsed();
    assert_eq!(result_name(result), "SX_ERR_CONNECT", "{}", last_error());
    assert!(took < Duration::from_millis(500 + 1500), "prepare took {took:?} with a connect timeout of 0.5 s");

    let refused = Client::new(&format!("http://127.0.0.1:{}", closed_port())).token("tok-PREPARE-4711");
    assert_eq!(result_name(refused.prepare()), "SX_ERR_CONNECT", "{}", last_error());
}

/// A token endpoint that takes the request and never answers: prepare still ends by the connect timeout, its
/// own deadline, and sends nothing but the token request.
#[test]
fn prepare_ends_by_its_deadline_when_the_token_endpoint_hangs() {
    let server = RawServer::start(support::raw::Reply::Silent);
    let client = Client::new(&server.url("http")).timeouts(500, 30_000).client_credentials();
    let started = Instant::now();
    let result = client.prepare();
    let took = started.elapsed();
    assert_ne!(result, SX_OK, "prepare succeeded against a token endpoint that never answers");
    assert!(took < Duration::from_millis(500 + 1500), "prepare took {took:?} with a connect timeout of 0.5 s");
    drop(client);
    let received = server.received();
    assert!(!received.is_empty(), "prepare asked for no token");
    for request in &received {
        let head = String::from_utf8_lossy(request);
        assert!(head.starts_with("POST /oauth/token "), "prepare sent more than the token request:\n{head}");
    }
}

/// Without credentials there is no token to get ready: the call's own result code, and nothing sent.
#[test]
fn prepare_without_credentials_is_unauthorized_and_null_is_a_null_argument() {
    let server = RawServer::start(support::raw::Reply::Silent);
    let client = Client::new(&server.url("http"));
    assert_eq!(result_name(client.prepare()), "SX_ERR_UNAUTHORIZED", "{}", last_error());
    assert_eq!(result_name(unsafe { sx_client_prepare(ptr::null_mut()) }), "SX_ERR_NULL_ARGUMENT");
    drop(client);
    assert!(server.received().is_empty(), "prepare without credentials connected");
}
