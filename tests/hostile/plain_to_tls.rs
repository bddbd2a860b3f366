//! An `http://` base URL pointed at a TLS port (issue 16 item 11, its last case). The plaintext request reaches a
//! TLS server, which cannot have executed it: it answers with a TLS alert record, or closes. An answer that
//! starts with a TLS record header where the HTTP status line belongs is `SX_ERR_TLS`, "nothing was executed",
//! never `SX_ERR_OUTCOME_UNKNOWN` ("may have been registered"). Through the C ABI, against real loopback TLS
//! servers: the sandbox with `--tls` (tokio-rustls) and a blocking rustls server (tests/support/script.rs).

use crate::support;

use support::{last_error, result_name as name};

use std::ffi::CString;
use std::ptr;

use smartx::*;
use support::script::{self, Step};
use support::Sandbox;

/// A client of `http://127.0.0.1:{port}` with a token.
struct Client(*mut sx_client);

impl Client {
    fn plain(port: u16) -> Client {
        let url = CString::new(format!("http://127.0.0.1:{port}")).unwrap();
        let mut client = ptr::null_mut();
        // SAFETY: a NUL-terminated URL and a valid out-pointer.
        assert_eq!(unsafe { sx_client_new(url.as_ptr(), &mut client) }, SX_OK, "{}", last_error());
        // SAFETY: a live client and a NUL-terminated token.
        assert_eq!(unsafe { sx_client_use_token(client, c"t".as_ptr()) }, SX_OK, "{}", last_error());
        // SAFETY: a live client.
        assert_eq!(unsafe { sx_client_set_timeouts(client, 2000, 5000, 5000) }, SX_OK);
        Client(client)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: the client from sx_client_new, freed once.
        unsafe { sx_client_free(self.0) };
    }
}

/// A start and a read of `id`, each with its result and message; `*out` stays NULL.
fn start_and_read(client: &Client, id: &str) -> Vec<(&'static str, sx_result, String)> {
    let id = CString::new(id).unwrap();
    let mut out = Vec::new();
    let mut tx = ptr::null_mut();
    // SAFETY: a live client, NUL-terminated strings, a valid out-pointer.
    let result = unsafe { sx_transaction_start(client.0, id.as_ptr(), c"cash".as_ptr(), &mut tx) };
    out.push(("sx_transaction_start", result, last_error()));
    assert!(tx.is_null(), "a failed start writes no transaction");
    // SAFETY: as above.
    let result = unsafe { sx_transaction_get(client.0, id.as_ptr(), &mut tx) };
    out.push(("sx_transaction_get", result, last_error()));
    assert!(tx.is_null(), "a failed read writes no transaction");
    out
}

fn assert_speaks_tls(port: u16, outcomes: &[(&str, sx_result, String)]) {
    let words = format!("the server at 127.0.0.1:{port} speaks TLS: use https://. Nothing was executed");
    for (call, result, message) in outcomes {
        assert_eq!(name(*result), "SX_ERR_TLS", "{call}: {message}");
        assert!(message.contains(&words), "{call}: {message:?} does not say {words:?}");
        assert!(!message.contains("may have been"), "{call}: {message}");
    }
}

#[test]
fn http_to_the_sandbox_tls_port_is_a_tls_failure_and_executes_nothing() {
    let sandbox = Sandbox::start_tls(&["--token", "t"]);
    let id = sandbox.create_one();
    let client = Client::plain(sandbox.port());
    let outcomes = start_and_read(&client, &id);
    assert_speaks_tls(sandbox.port(), &outcomes);
    assert_eq!(sandbox.api_requests(), 0, "the TLS server executed a plaintext request");
    assert!(sandbox.requests(&id).is_empty());
}

/// A blocking rustls server: whatever it answers to the plaintext request (its alert), the client reads it as TLS.
#[test]
fn http_to_a_rustls_port_is_a_tls_failure() {
    let server = script::start(Some(script::self_signed_server(&["127.0.0.1"])), vec![vec![Step::Request]]);
    let port = server.port;
    let client = Client::plain(port);
    let outcomes = start_and_read(&client, "STX_A");
    assert_speaks_tls(port, &outcomes);
    assert!(
        server.received().iter().all(|got| !got.ends_with(b"\r\n\r\n")),
        "the TLS server read an HTTP request: {:?}",
        server.received()
    );
}
