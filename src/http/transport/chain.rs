//! Where an exchange stood when it failed, known for certain rather than guessed from an error's text.
//!
//! ureq's connector chain is wrapped: the chain itself is ureq's CONNECT proxy, our TCP (`tcp.rs`) and ureq's
//! rustls, with a marker between TCP and TLS, and every transport it makes is wrapped in [`WatchedTransport`],
//! which notes the moment request bytes are handed to the socket. A call runs inside [`Board::watch`]; afterwards
//! [`Watch::stage`] says how far it got. Everything in a blocking ureq call (resolving, connecting, the handshake,
//! writing, reading) runs on the calling thread, so the board keys its entries by thread. A pooled connection
//! skips connecting and goes straight to [`Stage::Sent`] when it is written to.
//!
//! The wrapper knows nothing of the API: it works for any request made through the agent.

use std::sync::Arc;
use std::time::Instant;

use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, NextTimeout, Transport,
};
use ureq::Timeout;

use super::board::{Board, CutOff, Stage};
use super::tcp::TcpConnector;
use super::tls::TrustedRoots;
use super::tls_records::BelowTls;

/// ureq's chain (its CONNECT proxy, our TCP, its rustls given `roots`) with the board's marks. Give it to
/// `Agent::with_parts`.
pub fn connector(board: Arc<Board>, roots: TrustedRoots) -> impl Connector<()> {
    let chain =
        ().chain(ConnectProxyConnector::default())
            .chain(TcpConnector { board: Arc::clone(&board) })
            .chain(TcpUp { board: Arc::clone(&board) })
            .chain(roots);
    Watched { inner: chain, board }
}

/// Marks the end of TCP: what fails after this, before the request, is the TLS handshake. Puts [`BelowTls`]
/// beneath rustls, so that the probe of a pooled connection sees bytes rustls holds back.
#[derive(Debug)]
struct TcpUp {
    board: Arc<Board>,
}

impl<In: Transport> Connector<In> for TcpUp {
    type Out = Either<In, BelowTls<In>>;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else { return Ok(None) };
        if !details.needs_tls() {
            return Ok(Some(Either::A(transport)));
        }
        self.board.update(|e| {
            if e.connecting == 1 {
                e.stage = e.stage.max(Stage::Handshaking);
            }
        });
        Ok(Some(Either::B(BelowTls::new(transport))))
    }
}

#[derive(Debug)]
struct Watched<C> {
    inner: C,
    board: Arc<Board>,
}

impl<C: Connector<()>> Connector<()> for Watched<C> {
    type Out = WatchedTransport<C::Out>;

    fn connect(&self, details: &ConnectionDetails, chained: Option<()>) -> Result<Option<Self::Out>, ureq::Error> {
        let entered = self.board.update(|e| {
            e.connecting += 1;
            e.stage = e.stage.max(Stage::Connecting);
            (e.connect_deadline, e.connecting > 1)
        });
        let deadline = entered.map(|(deadline, _)| deadline);
        // A connection the chain makes inside the chain (a CONNECT proxy's, to the proxy) carries the CONNECT and
        // then the tunnelled bytes, TLS records included: not the request's own connection.
        let carries_the_request = !entered.is_some_and(|(_, nested)| nested);
        // The look-up already used part of the connect timeout: what is left bounds TCP and the handshake.
        let timeout = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if details.timeout.after.is_not_happening() || left < *details.timeout.after {
                    NextTimeout { after: UreqDuration::Exact(left), reason: Timeout::Connect, ..details.timeout }
                } else {
                    details.timeout
                }
            }
            None => details.timeout,
        };
        let bounded = ConnectionDetails {
            uri: details.uri,
            addrs: details.addrs.clone(),
            config: details.config,
            request_level: details.request_level,
            resolver: details.resolver,
            now: details.now,
            timeout,
            current_time: Arc::clone(&details.current_time),
            run_connector: Arc::clone(&details.run_connector),
            register_shutdown: Arc::clone(&details.register_shutdown),
        };
        let result = self.inner.connect(&bounded, chained);
        let connected = matches!(result, Ok(Some(_)));
        self.board.update(|e| {
            e.connecting -= 1;
            if connected && e.connecting == 0 {
                e.stage = e.stage.max(Stage::Connected);
            }
        });
        Ok(result?.map(|inner| WatchedTransport {
            inner,
            board: Arc::clone(&self.board),
            awaiting_head: false,
            returning_to_pool: false,
            carries_the_request,
            answer_here: false,
        }))
    }
}

/// A transport that notes on the board when request bytes are handed to it, and drops interim (1xx) answers.
///
/// RFC 9110 (15.2) lets any number of 1xx answers, with header fields, precede the final one. ureq-proto 0.7
/// refuses a `100 Continue` that carries a header field (as Python's `http.server` sends it), which would turn
/// an executed payment into an unknown outcome; so interim answers are taken out of the input here, before
/// ureq parses it. Only between sending a request and the start of its final answer: a body is never touched.
#[derive(Debug)]
pub struct WatchedTransport<T> {
    inner: T,
    board: Arc<Board>,
    awaiting_head: bool,
    /// A request went out since the last probe: the next `is_open` is ureq's as the connection goes back to the
    /// pool, which the probe before its next use makes redundant.
    returning_to_pool: bool,
    /// The connection the HTTP request goes over (not one made inside the chain to reach a proxy): only there
    /// is a TLS record in answer to a request in clear a server that speaks TLS.
    carries_the_request: bool,
    /// The request of a call made only to have the connection ready ([`Board::watch_ahead`]) was not written:
    /// its answer, [`READY_ANSWER`], is given from here at the next wait for input.
    answer_here: bool,
}

/// What a request made only to have a connection ready is answered with, inside the process: a complete,
/// empty answer, after which ureq puts the connection back in its pool as after any other.
const READY_ANSWER: &[u8] = b"HTTP/1.1 204 No Content\r\n\r\n";

/// The answer to a plaintext request began with a TLS record: the server speaks TLS on this port (an `http://`
/// base URL pointed at an https port). A TLS server reads the plaintext request as a corrupt record and answers
/// with an alert; it never executes it.
#[derive(Debug)]
pub struct SpeaksTls;

impl std::fmt::Display for SpeaksTls {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the answer is a TLS record, not HTTP")
    }
}

impl std::error::Error for SpeaksTls {}

/// Whether `input`, where an HTTP status line belongs, starts with a TLS record header: an alert (0x15) or a
/// handshake (0x16) record of version 3.0 to 3.4 (SSL 3.0 to TLS 1.3, whose records say 3.1 or 3.3). `None`
/// while too few bytes have arrived to say. No HTTP answer starts with a control character.
fn tls_record_start(input: &[u8]) -> Option<bool> {
    let matches = |at: usize, byte: u8| match at {
        0 => byte == 0x15 || byte == 0x16,
        1 => byte == 0x03,
        _ => byte <= 0x04,
    };
    for (at, &byte) in input.iter().take(3).enumerate() {
        if !matches(at, byte) {
            return Some(false);
        }
    }
    (input.len() >= 3).then_some(true)
}

/// ureq ends an answer whose body runs to the close of the connection (no length, no chunks) at any of these
/// errors as if the server had closed it in order, so a payment's answer cut short would pass as complete.
/// Given to ureq as another kind (`Other`, holding [`CutOff`]), they end the call as the failures they are.
fn cut_off(e: ureq::Error) -> ureq::Error {
    use std::io::ErrorKind as K;
    match e {
        ureq::Error::Io(io) if matches!(io.kind(), K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted) => {
            ureq::Error::Io(std::io::Error::other(CutOff(io.kind())))
        }
        other => other,
    }
}

/// The length of a complete interim answer (1xx, but not 101, which switches protocols) at the start of
/// `input`; `Some(0)` when `input` starts a final answer; `None` when too little has arrived to say.
fn interim_answer_len(input: &[u8]) -> Option<usize> {
    const PREFIX: &[u8] = b"HTTP/1.";
    if input.len() < 12 {
        let seen = input.len().min(PREFIX.len());
        return if input[..seen] == PREFIX[..seen] { None } else { Some(0) };
    }
    let informational = input.starts_with(PREFIX) && input[8] == b' ' && input[9] == b'1' && &input[9..12] != b"101";
    if !informational {
        return Some(0);
    }
    input.windows(4).position(|w| w == b"\r\n\r\n").map(|at| at + 4)
}

impl<T: Transport> WatchedTransport<T> {
    /// Looks at the start of an answer before ureq parses it: a TLS record on a plaintext connection ends the
    /// call as [`SpeaksTls`] (ureq would call it a malformed status line, an unknown outcome), and interim
    /// answers are dropped. While the first bytes could still be a TLS record header, it waits for the rest
    /// (within the same deadline).
    fn inspect_head(&mut self, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if self.awaiting_head && self.carries_the_request && !self.inner.is_tls() {
            let waited_from = Instant::now();
            loop {
                match tls_record_start(self.inner.buffers().input()) {
                    Some(true) => return Err(ureq::Error::Io(std::io::Error::other(SpeaksTls))),
                    Some(false) => break,
                    None if self.inner.buffers().input().is_empty() => break,
                    None => {
                        let after = match timeout.after {
                            UreqDuration::Exact(after) => {
                                UreqDuration::Exact(after.saturating_sub(waited_from.elapsed()))
                            }
                            other => other,
                        };
                        if !self.inner.await_input(NextTimeout { after, ..timeout }).map_err(cut_off)? {
                            break;
                        }
                    }
                }
            }
        }
        self.drop_interim_answers();
        Ok(())
    }

    /// Whether what arrived on an idle TLS connection was only TLS's own messages: a TLS 1.3 server sends its
    /// session tickets after the handshake, so they wait unread on a connection made ready ahead of a call, and
    /// the TCP probe alone would throw that connection away. What waits is read through TLS without waiting
    /// (a zero timeout, which the TCP transport serves from what is there): any data (a stale answer), a close
    /// or a broken record still means the connection is not used.
    fn only_tls_messages_came(&mut self) -> bool {
        if !self.inner.is_tls() || !self.inner.buffers().input().is_empty() {
            return false;
        }
        let moment = NextTimeout {
            after: UreqDuration::Exact(std::time::Duration::ZERO),
            reason: Timeout::RecvResponse,
            ..NextTimeout::default()
        };
        match self.inner.await_input(moment) {
            // Data, or the end of the connection.
            Ok(_) => false,
            Err(ureq::Error::Timeout(_)) => self.inner.buffers().input().is_empty() && self.inner.is_open(),
            Err(_) => false,
        }
    }

    /// Puts [`READY_ANSWER`] where ureq reads the answer from, as if it had arrived.
    fn give_ready_answer(&mut self) -> bool {
        self.answer_here = false;
        let buffers = self.inner.buffers();
        let room = buffers.input_append_buf();
        let Some(room) = room.get_mut(..READY_ANSWER.len()) else { return false };
        room.copy_from_slice(READY_ANSWER);
        buffers.input_appended(READY_ANSWER.len());
        true
    }

    fn drop_interim_answers(&mut self) {
        while self.awaiting_head {
            match interim_answer_len(self.inner.buffers().input()) {
                Some(0) => self.awaiting_head = false,
                Some(len) => self.inner.buffers().input_consume(len),
                None => return,
            }
        }
    }
}

impl<T: Transport> Transport for WatchedTransport<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        // Marked before writing: a write that fails half-way may still have sent something.
        if amount > 0 {
            self.returning_to_pool = true;
            let ahead = self.board.update(|e| {
                if e.connecting > 0 {
                    return false;
                }
                if !e.ahead {
                    e.stage = Stage::Sent;
                }
                e.ahead
            });
            if ahead == Some(true) && self.carries_the_request {
                // Connected (or taken from the pool and probed): the connection is ready, and nothing is sent.
                self.answer_here = true;
                return Ok(());
            }
            self.awaiting_head = true;
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        if self.answer_here {
            return Ok(self.give_ready_answer());
        }
        let progress = self.inner.maybe_await_input(timeout).map_err(cut_off)?;
        self.inspect_head(timeout)?;
        Ok(progress)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        if self.answer_here {
            return Ok(self.give_ready_answer());
        }
        let progress = self.inner.await_input(timeout).map_err(cut_off)?;
        self.inspect_head(timeout)?;
        Ok(progress)
    }

    /// ureq asks twice between two requests on a connection: when it goes back to the pool after a complete
    /// answer, and when it is taken out for the next request. A TCP probe is a system call (three on Windows).
    /// Only the second probe is made: a close or stray bytes that came before the first are still there for it,
    /// and it is the one that decides whether the connection is used.
    fn is_open(&mut self) -> bool {
        if std::mem::take(&mut self.returning_to_pool) {
            return true;
        }
        self.inner.is_open() || self.only_tls_messages_came()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::thread;
    use std::time::Duration;

    use super::{interim_answer_len, tls_record_start};
    use crate::http::{Agent, BaseUrl, ErrorKind, Settings, Timeouts, Token, TransactionId};

    /// What a keep-alive server does on a connection after its first complete answer.
    #[derive(Clone, Copy)]
    enum After {
        /// Sends the bytes of an answer nobody asked for, a moment later.
        StrayAnswer,
        /// Closes the connection (FIN), without having said `Connection: close`.
        Close,
    }

    /// A server answering every request on a connection with `{"status":"ok","id":"STX_<connection number>"}`, and
    /// doing `after` once the first answer on a connection is out. Returns its port and its connection count.
    fn keep_alive_server(after: After) -> (u16, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&connections);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let number = counted.fetch_add(1, Ordering::SeqCst) + 1;
                let Ok(mut stream) = stream else { continue };
                thread::spawn(move || serve(&mut stream, number, after));
            }
        });
        (port, connections)
    }

    fn serve(stream: &mut TcpStream, number: usize, after: After) {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => return,
            }
        }
        // The answer is about the transaction the request named (the calls below name STX_1, STX_2, ...).
        let body = format!(r#"{{"status":"ok","id":"STX_{number}"}}"#);
        let answer = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        let _ = stream.write_all(answer.as_bytes());
        thread::sleep(Duration::from_millis(50));
        match after {
            After::StrayAnswer => {
                let _ = stream.write_all(answer.as_bytes());
                let _ = stream.read(&mut byte);
            }
            After::Close => {}
        }
    }

    /// The probe that is left (before a pooled connection is used again) finds what happened on the connection
    /// since its last answer: the second call goes out on a new connection and gets its own answer.
    #[test]
    fn a_pooled_connection_is_probed_before_it_is_used_again() {
        for after in [After::StrayAnswer, After::Close] {
            let (port, connections) = keep_alive_server(after);
            let base = BaseUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap();
            let client = Agent::new(base, Timeouts::from_millis(5_000, 10_000));
            let token = || Token::parse(b"test-token").unwrap();
            let first = client.start_cash_for_test(TransactionId::parse("STX_1").unwrap(), token());
            assert!(first.result.is_ok(), "{:?}", first.result);
            assert_eq!(first.body, br#"{"status":"ok","id":"STX_1"}"#);
            thread::sleep(Duration::from_millis(200));
            let second = client.start_cash_for_test(TransactionId::parse("STX_2").unwrap(), token());
            assert!(second.result.is_ok(), "{:?}", second.result);
            assert_eq!(second.body, br#"{"status":"ok","id":"STX_2"}"#, "the second call used the first connection");
            assert_eq!(connections.load(Ordering::SeqCst), 2);
        }
    }

    /// The trust store is joined at the first TLS connection, not when a client is made nor for plain http.
    #[test]
    fn the_roots_are_loaded_only_when_tls_is_first_needed() {
        let (port, _) = keep_alive_server(After::Close);
        let settings = Settings::new(
            BaseUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
            Timeouts::from_millis(5_000, 10_000),
        );
        let client = Agent::with_settings(&settings);
        let token = || Token::parse(b"test-token").unwrap();
        let plain = client.start_cash_for_test(TransactionId::parse("STX_1").unwrap(), token());
        assert!(plain.result.is_ok(), "{:?}", plain.result);
        assert!(!settings.roots.is_loaded(), "a plain http call loaded the trust store");
        // A server that closes every connection at once: the handshake fails, after the roots were needed.
        let closing = TcpListener::bind("127.0.0.1:0").unwrap();
        let closing_port = closing.local_addr().unwrap().port();
        thread::spawn(move || closing.incoming().for_each(drop));
        let https = client.with_base(BaseUrl::parse(&format!("https://127.0.0.1:{closing_port}")).unwrap());
        let refused = https.start_cash_for_test(TransactionId::parse("STX_2").unwrap(), token());
        assert_eq!(refused.result.unwrap_err().kind, ErrorKind::Tls);
        assert!(settings.roots.is_loaded(), "the handshake ran without the trust store");
    }

    /// An answer without a length runs to the close of the connection. A close ends it; a reset may have cut it
    /// short, and ends the call as an unknown outcome (before, ureq took what had come as the whole answer).
    #[test]
    fn a_reset_does_not_end_an_answer_that_runs_to_the_close() {
        use std::os::fd::AsRawFd;
        for reset in [false, true] {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = thread::spawn(move || {
                let (mut stream, _) = listener.accept().unwrap();
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
                    head.push(byte[0]);
                }
                let answer = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"status\":\"ok\",\"id\":\"STX_1\"}";
                stream.write_all(answer).unwrap();
                // The client has read the body by now and waits for the close.
                thread::sleep(Duration::from_millis(100));
                if reset {
                    let linger = libc::linger { l_onoff: 1, l_linger: 0 };
                    // SAFETY: a valid socket and a linger struct of the size given.
                    let set = unsafe {
                        libc::setsockopt(
                            stream.as_raw_fd(),
                            libc::SOL_SOCKET,
                            libc::SO_LINGER,
                            std::ptr::from_ref(&linger).cast(),
                            std::mem::size_of::<libc::linger>() as libc::socklen_t,
                        )
                    };
                    assert_eq!(set, 0);
                }
            });
            let base = BaseUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap();
            let client = Agent::new(base, Timeouts::from_millis(5_000, 10_000));
            let exchange = client
                .start_cash_for_test(TransactionId::parse("STX_1").unwrap(), Token::parse(b"test-token").unwrap());
            server.join().unwrap();
            if reset {
                let error = exchange.result.unwrap_err();
                assert_eq!(error.kind, ErrorKind::OutcomeUnknown, "{}", error.message);
                assert!(error.message.contains("reset the connection"), "{}", error.message);
                assert_eq!(exchange.http_status, Some(200));
                assert!(exchange.body.is_empty(), "no answer is kept");
            } else {
                assert!(exchange.result.is_ok(), "{:?}", exchange.result);
                assert_eq!(exchange.body, br#"{"status":"ok","id":"STX_1"}"#);
            }
        }
    }

    #[test]
    fn a_tls_record_header_is_recognised_where_a_status_line_belongs() {
        // A TLS 1.2 alert (decode_error), a TLS 1.0 alert, a handshake record.
        assert_eq!(tls_record_start(b"\x15\x03\x03\x00\x02\x02\x32"), Some(true));
        assert_eq!(tls_record_start(b"\x15\x03\x01\x00\x02\x02\x28"), Some(true));
        assert_eq!(tls_record_start(b"\x16\x03\x03\x00\x40"), Some(true));
        assert_eq!(tls_record_start(b"\x15"), None, "too few bytes: wait");
        assert_eq!(tls_record_start(b"\x15\x03"), None);
        assert_eq!(tls_record_start(b""), None);
        assert_eq!(tls_record_start(b"\x15\x03\x05"), Some(false), "no such version");
        assert_eq!(
            tls_record_start(b"\x17\x03\x03"),
            Some(false),
            "application data is not an answer to a clear request"
        );
        assert_eq!(tls_record_start(b"HTTP/1.1 200 OK\r\n"), Some(false));
        assert_eq!(tls_record_start(b"\x15\x04"), Some(false));
    }

    #[test]
    fn interim_answers_are_recognised_and_final_ones_left_alone() {
        assert_eq!(interim_answer_len(b"HTTP/1.1 100 Continue\r\nServer: x\r\n\r\nHTTP/1.1 200"), Some(36));
        assert_eq!(interim_answer_len(b"HTTP/1.1 103 Early Hints\r\n\r\n"), Some(28));
        assert_eq!(interim_answer_len(b"HTTP/1.1 100 Continue\r\n"), None, "incomplete: wait");
        assert_eq!(interim_answer_len(b"HTTP/1."), None);
        assert_eq!(interim_answer_len(b"HTTP/1.1 200 OK\r\n\r\n"), Some(0));
        assert_eq!(interim_answer_len(b"HTTP/1.1 101 Switching\r\n\r\n"), Some(0));
        assert_eq!(interim_answer_len(b"{\"status\":\"ok\"}"), Some(0));
        assert_eq!(interim_answer_len(b"x"), Some(0));
    }
}
