//! TLS resumption (issue 23, item 3): a client's second TLS connection to the API resumes the session of its
//! first (an abbreviated handshake: no certificate sent and checked again), also after its configuration
//! changed. Through the C ABI, against a rustls server on loopback that reports each handshake's kind and closes
//! every connection after one answer, so that each call needs a new one.

use crate::support;

use std::ffi::CString;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::ptr;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use rustls::{HandshakeKind, ServerConfig, ServerConnection, StreamOwned};
use smartx::*;
use support::hostile::{kept_alive, paid, FRESH, JUDGED_CALL};
use support::raw::read_head;
use support::script::TestCa;
use support::{c_build_dir, last_error, result_name};

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// A TLS server that answers one request per connection and closes it; returns its port and the kind of each
/// handshake, in order.
fn reporting_server(config: Arc<ServerConfig>) -> (u16, Arc<Mutex<Vec<HandshakeKind>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let kinds: Arc<Mutex<Vec<HandshakeKind>>> = Arc::default();
    let seen = Arc::clone(&kinds);
    thread::spawn(move || {
        for tcp in listener.incoming().map_while(Result::ok) {
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(30)));
            let mut tls = StreamOwned::new(ServerConnection::new(Arc::clone(&config)).unwrap(), tcp);
            let mut head = Vec::new();
            read_head(&mut tls, &mut head);
            if let Some(kind) = tls.conn.handshake_kind() {
                seen.lock().unwrap().push(kind);
            }
            let _ = tls.write_all(&kept_alive("Connection: close\r\n", &paid(FRESH)));
            tls.conn.send_close_notify();
            let _ = tls.flush();
            let mut rest = [0u8; 64];
            let _ = tls.sock.set_read_timeout(Some(Duration::from_millis(200)));
            let _ = tls.sock.read(&mut rest);
        }
    });
    (port, kinds)
}

fn pay(client: *mut sx_client) {
    let mut buf = vec![0 as std::ffi::c_char; 16 * 1024];
    let mut len = 0usize;
    let id = c(JUDGED_CALL);
    let result = unsafe { sx_client_start_cash(client, id.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len) };
    assert_eq!(result, SX_OK, "{} {}", result_name(result), last_error());
}

#[test]
fn the_second_tls_connection_resumes_the_first_session() {
    for tls12 in [false, true] {
        let ca = TestCa::new("resumption test CA");
        let mut config = Arc::unwrap_or_clone(ca.server(&["127.0.0.1"], false));
        if tls12 {
            let versioned = ServerConfig::builder_with_protocol_versions(&[&rustls::version::TLS12]);
            // The same certificate and key, TLS 1.2 only.
            let resolver = Arc::clone(&config.cert_resolver);
            let mut only12 = versioned.with_no_client_auth().with_cert_resolver(resolver);
            only12.alpn_protocols = config.alpn_protocols.clone();
            config = only12;
        }
        let (port, kinds) = reporting_server(Arc::new(config));
        let mut client = ptr::null_mut();
        let url = c(&format!("https://127.0.0.1:{port}"));
        assert_eq!(unsafe { sx_client_new(url.as_ptr(), &mut client) }, SX_OK);
        let ca_path = c(ca.write(&c_build_dir(), &format!("resumption-ca-{tls12}")).to_str().unwrap());
        assert_eq!(unsafe { sx_client_add_ca_file(client, ca_path.as_ptr()) }, SX_OK, "{}", last_error());
        assert_eq!(unsafe { sx_client_use_token(client, c("tok-RESUME-4711").as_ptr()) }, SX_OK);
        pay(client);
        pay(client);
        // New timeouts make the client build a new agent: the session cache is the trusted roots', kept.
        assert_eq!(unsafe { sx_client_set_timeouts(client, 5000, 20_000, 0) }, SX_OK);
        pay(client);
        // SAFETY: made by sx_client_new above, not used afterwards.
        unsafe { sx_client_free(client) };
        let kinds = kinds.lock().unwrap().clone();
        let version = if tls12 { "TLS 1.2" } else { "TLS 1.3" };
        assert_eq!(
            kinds,
            [HandshakeKind::Full, HandshakeKind::Resumed, HandshakeKind::Resumed],
            "{version}: the handshakes of three connections"
        );
    }
}
