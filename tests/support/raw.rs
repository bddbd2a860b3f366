//! Tiny loopback servers that answer with exact bytes, for what the sandbox cannot do: broken TLS handshakes,
//! informational answers, hostile answers (tests/hostile/fresh_connection.rs), API fields it does not let a test set.
//! Each records what every connection sent.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

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
    /// Reads an HTTP request head, writes `head`, then `body` one byte per `every`, and closes.
    Trickle { head: Vec<u8>, body: Vec<u8>, every: Duration },
    /// Reads an HTTP request head, then writes these bytes again and again until the client leaves (at most a
    /// minute).
    Endless(Vec<u8>),
    /// Reads an HTTP request head and never answers: holds the connection until the client closes it.
    Silent,
}

/// One accepted connection: what it sent, and whether the server has read as much of it as its reply reads (the
/// request head, or the first bytes) or it has ended.
#[derive(Default)]
struct Connection {
    bytes: Vec<u8>,
    read: bool,
}

type Log = Arc<Mutex<Vec<Connection>>>;

pub struct RawServer {
    pub port: u16,
    connections: Log,
    /// How many times `received` asked for every waiting connection to be accepted, and up to which of those
    /// asks the accepting thread has found none waiting.
    asked: Arc<AtomicU64>,
    drained: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl RawServer {
    pub fn start(reply: Reply) -> RawServer {
        RawServer::serving(move |stream, record| serve(stream, &reply, record))
    }

    /// A server that hands each accepted connection to `handle`, on a thread of its own. `handle` gives what the
    /// connection sent to its [`Record`] once it has read as much as it reads.
    pub fn serving(handle: impl Fn(TcpStream, Record) + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        // Not blocking in accept, so that the thread can say when no connection is waiting, and stop.
        listener.set_nonblocking(true).expect("nonblocking listener");
        let server = RawServer {
            port,
            connections: Log::default(),
            asked: Arc::default(),
            drained: Arc::default(),
            stop: Arc::default(),
        };
        let (log, asked, drained, stop) = (
            Arc::clone(&server.connections),
            Arc::clone(&server.asked),
            Arc::clone(&server.drained),
            Arc::clone(&server.stop),
        );
        let handle = Arc::new(handle);
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                // Read before accepting: a WouldBlock after it means every connection made before the ask is in.
                let ask = asked.load(Ordering::SeqCst);
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let index = {
                            let mut log = lock(&log);
                            log.push(Connection::default());
                            log.len() - 1
                        };
                        let (log, handle) = (Arc::clone(&log), Arc::clone(&handle));
                        // A connection of its own: a slow or silent one does not hold up the next.
                        thread::spawn(move || handle(stream, Record { log, index }));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        drained.store(ask, Ordering::SeqCst);
                        thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        server
    }

    /// The bytes each connection sent, counted exactly: every connection made before this call (a client's
    /// connect has returned, so the kernel holds it) has been accepted and read as far as its reply reads, so a
    /// client's retry cannot arrive unseen after the check.
    pub fn received(&self) -> Vec<Vec<u8>> {
        let ask = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        let limit = Instant::now() + Duration::from_secs(20);
        loop {
            if self.drained.load(Ordering::SeqCst) >= ask {
                let log = lock(&self.connections);
                if log.iter().all(|c| c.read) {
                    return log.iter().map(|c| c.bytes.clone()).collect();
                }
            }
            assert!(Instant::now() < limit, "the raw server did not take its connections within 20 s");
            thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        // The listener closes; connections under way are served to their end.
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn lock(log: &Log) -> std::sync::MutexGuard<'_, Vec<Connection>> {
    log.lock().unwrap_or_else(|e| e.into_inner())
}

/// Where one connection's handler leaves what the connection sent.
pub struct Record {
    log: Log,
    index: usize,
}

impl Record {
    /// What the connection sent so far, read as far as its handler reads: [`RawServer::received`] counts it.
    pub fn read(&self, got: &[u8]) {
        let mut log = lock(&self.log);
        log[self.index].bytes = got.to_vec();
        log[self.index].read = true;
    }
}

/// Makes the close of `stream` a reset (RST, not FIN): SO_LINGER with a zero timeout.
pub fn reset(stream: &TcpStream) {
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

fn serve(mut stream: TcpStream, reply: &Reply, log: Record) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let record = |got: &[u8]| log.read(got);
    match reply {
        Reply::AfterFirstRead(bytes) => {
            if let Ok(n) = stream.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
            record(&got);
            let _ = stream.write_all(bytes);
        }
        Reply::ResetAfterFirstRead => {
            if let Ok(n) = stream.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
            record(&got);
            reset(&stream);
        }
        Reply::AfterRequestHead(bytes) => {
            read_head(&mut stream, &mut got);
            record(&got);
            let _ = stream.write_all(bytes);
        }
        Reply::InPieces(pieces) => {
            read_head(&mut stream, &mut got);
            record(&got);
            for piece in pieces {
                let _ = stream.write_all(piece);
                let _ = stream.flush();
                thread::sleep(Duration::from_millis(2));
            }
        }
        Reply::Trickle { head, body, every } => {
            read_head(&mut stream, &mut got);
            record(&got);
            let _ = stream.write_all(head);
            for byte in body {
                // A write to a connection the client has closed fails within a byte or two: stop there.
                if stream.write_all(&[*byte]).is_err() {
                    break;
                }
                thread::sleep(*every);
            }
        }
        Reply::Endless(bytes) => {
            read_head(&mut stream, &mut got);
            record(&got);
            let until = Instant::now() + Duration::from_secs(60);
            while Instant::now() < until && stream.write_all(bytes).is_ok() {}
        }
        Reply::Silent => {
            read_head(&mut stream, &mut got);
            record(&got);
            // Until the client closes (0) or the read timeout: a server that took the request and hangs.
            while let Ok(1..) = stream.read(&mut buf) {}
        }
    }
    let _ = stream.flush();
    record(&got);
}

/// Reads until the end of a request head (or of the connection), appending to `got`.
pub fn read_head(stream: &mut impl Read, got: &mut Vec<u8>) {
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

/// A loopback listener that never accepts and whose accept queue is full: Linux drops the SYN of a further
/// connection, so a client's connect gets no answer at all, as from a server too busy to take one.
pub struct FullBacklog {
    pub port: u16,
    _listener: TcpListener,
    _queued: Vec<TcpStream>,
}

impl FullBacklog {
    pub fn start() -> FullBacklog {
        // std listens with a backlog of 128; a backlog of 0 (one queued connection on Linux) fills at once.
        // SAFETY: plain socket calls on a descriptor made here; the address is a valid sockaddr_in of its size.
        let listener = unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
            assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
            let listener = TcpListener::from_raw_fd(fd);
            let addr = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: 0,
                sin_addr: libc::in_addr { s_addr: u32::from(Ipv4Addr::LOCALHOST).to_be() },
                sin_zero: [0; 8],
            };
            let bound = libc::bind(
                fd,
                (&addr as *const libc::sockaddr_in).cast(),
                std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
            );
            assert_eq!(bound, 0, "bind: {}", std::io::Error::last_os_error());
            assert_eq!(libc::listen(fd, 0), 0, "listen: {}", std::io::Error::last_os_error());
            listener
        };
        let port = listener.local_addr().expect("local address").port();
        let addr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
        let mut queued = Vec::new();
        loop {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                Ok(stream) => queued.push(stream),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => break,
                Err(e) => panic!("filling the backlog: {e}"),
            }
            assert!(queued.len() < 64, "the accept queue of a listener with backlog 0 does not fill");
        }
        FullBacklog { port, _listener: listener, _queued: queued }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}
