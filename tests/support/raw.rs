//! Tiny loopback servers that answer with exact bytes, for what the sandbox cannot do: broken TLS handshakes,
//! informational answers, API fields it does not let a test set. Each records what every connection sent.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What a raw server does with each connection.
#[derive(Clone)]
pub enum Reply {
    /// Reads what the client sends first (a TLS ClientHello), then writes these bytes and closes.
    AfterFirstRead(Vec<u8>),
    /// Reads the first bytes, then resets the connection (RST, not FIN).
    ResetAfterFirstRead,
    /// Reads an HTTP request head, then writes these bytes and closes.
    AfterRequestHead(Vec<u8>),
    /// Reads an HTTP request head, then writes these pieces one by one, a few milliseconds apart, and closes.
    InPieces(Vec<Vec<u8>>),
}

pub struct RawServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl RawServer {
    pub fn start(reply: Reply) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let bytes = serve(stream, &reply);
                log.lock().unwrap_or_else(|e| e.into_inner()).push(bytes);
            }
        });
        RawServer { port, received }
    }

    /// The bytes each connection sent so far.
    pub fn received(&self) -> Vec<Vec<u8>> {
        self.received.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }
}

fn serve(mut stream: TcpStream, reply: &Reply) -> Vec<u8> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    match reply {
        Reply::AfterFirstRead(bytes) => {
            if let Ok(n) = stream.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
            let _ = stream.write_all(bytes);
        }
        Reply::ResetAfterFirstRead => {
            if let Ok(n) = stream.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
            let linger = libc::linger { l_onoff: 1, l_linger: 0 };
            // SAFETY: a valid socket and a linger struct of the size given.
            unsafe {
                libc::setsockopt(
                    stream.as_raw_fd(),
                    libc::SOL_SOCKET,
                    libc::SO_LINGER,
                    (&linger as *const libc::linger).cast(),
                    std::mem::size_of::<libc::linger>() as libc::socklen_t,
                );
            }
        }
        Reply::AfterRequestHead(bytes) => {
            read_head(&mut stream, &mut got);
            let _ = stream.write_all(bytes);
        }
        Reply::InPieces(pieces) => {
            read_head(&mut stream, &mut got);
            for piece in pieces {
                let _ = stream.write_all(piece);
                let _ = stream.flush();
                thread::sleep(Duration::from_millis(2));
            }
        }
    }
    let _ = stream.flush();
    got
}

fn read_head(stream: &mut TcpStream, got: &mut Vec<u8>) {
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// An HTTP/1.1 answer with a JSON body and `Connection: close`.
pub fn http_answer(status_line: &str, extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status_line}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}
