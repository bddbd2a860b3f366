//! TCP under ureq's HTTP, with the system calls of a call on a kept-alive connection cut to what it needs: one
//! write, one read and a one-call probe of the pooled connection.
//!
//! ureq 3.5's own TCP transport makes seven per call on loopback: it sets the send and the receive timeout before
//! every write and read (the timeout counts down to the call's deadline, so it differs every time), and it probes a
//! pooled connection with three calls (non-blocking on, a read, non-blocking off). Here:
//! - the probe is one `recv(MSG_PEEK | MSG_DONTWAIT)` on unix (Windows, which has no `MSG_DONTWAIT`, keeps the
//!   three calls);
//! - a socket timeout is set only when the one set does not fit the time left: it must not be longer than what
//!   is left, and not so much shorter that a long wait wakes up often. Steady calls with the same settings find
//!   it fitting and set nothing. A wait that times out on the socket before the deadline goes on with the rest,
//!   so that the call's deadline is the one ureq computes, exactly as before. Windows, where a timed-out socket
//!   call leaves the socket in an undefined state, sets the time left before every wait instead, as ureq does.
//!
//! Connecting is ureq's: each resolved address in turn within the connect timeout, `TCP_NODELAY` as configured,
//! and the socket registered for ureq's shutdown.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle, Transport,
};
use ureq::Timeout;

use super::board::{Abandoned, Board};

/// Opens TCP connections when no earlier connector of the chain (the CONNECT proxy's) made one.
#[derive(Debug)]
pub struct TcpConnector {
    /// Where the calls' connect deadlines are, for the waits of a connection still being set up.
    pub board: Arc<Board>,
}

impl<In: Transport> Connector<In> for TcpConnector {
    type Out = Either<In, TcpTransport>;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, ureq::Error> {
        if let Some(chained) = chained {
            return Ok(Some(Either::A(chained)));
        }
        let stream = connect_any(details.addrs.iter().copied(), details.timeout)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let stream = Arc::new(stream);
        // ureq's Agent::shutdown shuts registered sockets down (ureq implements `ShutdownHandle` for TcpStream).
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        let buffers = LazyBuffers::new(details.config.input_buffer_size(), details.config.output_buffer_size());
        Ok(Some(Either::B(TcpTransport {
            stream,
            buffers,
            read_timeout: SocketTimeout::default(),
            write_timeout: SocketTimeout::default(),
            connecting: Some(Arc::clone(&self.board)),
            board: Arc::clone(&self.board),
        })))
    }
}

/// An address gets at least this long, even when the time left is shorter (ureq's minimum too).
const MIN_PER_ADDRESS: Duration = Duration::from_millis(10);

/// Connects to the first address that answers. Each address but the last gets half of the time left, so that
/// one that never answers leaves time for the others (ureq shares its budget the same way); refused and
/// unreachable addresses move on at once. Past the deadline, the call is a timeout.
fn connect_any(
    addrs: impl ExactSizeIterator<Item = SocketAddr>,
    timeout: NextTimeout,
) -> Result<TcpStream, ureq::Error> {
    let deadline = Deadline::new(timeout)?;
    let count = addrs.len();
    let mut last_error = None;
    for (at, addr) in addrs.enumerate() {
        let attempt = match deadline.left()? {
            None => TcpStream::connect(addr),
            Some(left) => {
                let share = if at + 1 == count { left } else { (left / 2).max(MIN_PER_ADDRESS) };
                TcpStream::connect_timeout(&addr, share)
            }
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) if is_timeout(&e) => last_error = Some(ureq::Error::Timeout(Timeout::Connect)),
            Err(e) if is_address_specific(&e) => last_error = Some(ureq::Error::Io(e)),
            Err(e) => return Err(e.into()),
        }
    }
    if deadline.left().is_err() {
        return Err(ureq::Error::Timeout(timeout.reason));
    }
    Err(last_error.unwrap_or_else(|| io::Error::from(io::ErrorKind::ConnectionRefused).into()))
}

/// A failure of this address only: the next one may still answer (ureq's list, with its Windows case).
fn is_address_specific(e: &io::Error) -> bool {
    // WSAEACCES: a firewall or VPN refusing an address family.
    if cfg!(windows) && e.raw_os_error() == Some(10013) {
        return true;
    }
    use io::ErrorKind as K;
    matches!(
        e.kind(),
        K::ConnectionRefused | K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown | K::AddrNotAvailable
    )
}

/// A socket timeout ran out (`EAGAIN` on unix, `WSAETIMEDOUT` on Windows).
fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// Where a wait must end: `None` when ureq sets no deadline.
#[derive(Clone, Copy)]
struct Deadline {
    at: Option<Instant>,
    reason: Timeout,
}

impl Deadline {
    fn new(timeout: NextTimeout) -> Result<Deadline, ureq::Error> {
        if timeout.after.is_not_happening() {
            return Ok(Deadline { at: None, reason: timeout.reason });
        }
        if timeout.after.is_zero() {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        Ok(Deadline { at: Instant::now().checked_add(*timeout.after), reason: timeout.reason })
    }

    /// The time left (never zero), `None` without a deadline, or the timeout error once it has passed.
    fn left(&self) -> Result<Option<Duration>, ureq::Error> {
        let Some(at) = self.at else { return Ok(None) };
        let left = at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ureq::Error::Timeout(self.reason));
        }
        Ok(Some(left))
    }
}

/// The timeout set on one direction of a socket (`SO_RCVTIMEO` or `SO_SNDTIMEO`), as last set.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct SocketTimeout(Option<Duration>);

/// Below this much time left, the socket timeout is set to exactly what is left.
const EXACT_BELOW: Duration = Duration::from_millis(1);

impl SocketTimeout {
    /// The timeout to set before waiting with `left` to go (`None`: no deadline), or `None` when the one set fits.
    ///
    /// On unix it fits when it is at most `left` and at least an eighth of it; a new one is seven eighths of
    /// `left`, so that the next call, whose time left is again the whole timeout less a few microseconds, finds
    /// it fitting. A wait that times out early goes on with the rest (see the module's comment). Elsewhere only
    /// the exact time left fits.
    fn needed(self, left: Option<Duration>) -> Option<SocketTimeout> {
        let Some(left) = left else {
            return (self.0.is_some()).then_some(SocketTimeout(None));
        };
        let fits = match self.0 {
            Some(set) if cfg!(unix) => set <= left && set >= left / 8,
            set => set == Some(left),
        };
        if fits {
            return None;
        }
        let wanted = if cfg!(unix) && left >= EXACT_BELOW { left - left / 8 } else { left };
        Some(SocketTimeout(Some(wanted)))
    }
}

/// A TCP connection for ureq: the socket, ureq's buffers, and the socket timeouts as last set.
#[derive(Debug)]
pub struct TcpTransport {
    /// In an `Arc` so that ureq's shutdown handle can reach it while a call waits on it.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    read_timeout: SocketTimeout,
    write_timeout: SocketTimeout,
    /// While the call that opened the connection is still connecting. ureq's CONNECT step gives every wait for
    /// the proxy's answer the same timeout, not the time left, so a proxy sending a byte now and then held a
    /// call far past its connect deadline (a byte every 0.3 s: 11 s with a 2 s total timeout). Each wait is cut
    /// to the connect deadline until the connection is up (the TLS handshake too, which ureq already bounds);
    /// then this is `None`, and a pooled connection's waits cost no look-up.
    connecting: Option<Arc<Board>>,
    /// Where a call that may be given up (a device poll) says so: see [`ABANDON_CHECK`].
    board: Arc<Board>,
}

/// A call that may be given up waits for its answer in slices this long and asks between them (unix: a socket
/// timeout leaves the socket usable there; on Windows such a call waits to its deadline).
const ABANDON_CHECK: Duration = Duration::from_millis(200);

impl TcpTransport {
    /// `timeout`, cut to the connect deadline of this thread's call while it is still connecting.
    fn bounded(&mut self, timeout: NextTimeout) -> NextTimeout {
        let Some(board) = &self.connecting else { return timeout };
        let Some(deadline) = board.connect_deadline_while_connecting() else {
            self.connecting = None;
            return timeout;
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if timeout.after.is_not_happening() || left < *timeout.after {
            NextTimeout { after: UreqDuration::Exact(left), reason: Timeout::Connect, ..timeout }
        } else {
            timeout
        }
    }
}

impl TcpTransport {
    /// No time to wait: takes what already waits on the socket, else the timeout. A socket timeout cannot do
    /// this (the kernel rounds it up to a clock tick, up to 4 ms): the probe of an idle TLS connection reads TLS's
    /// own messages that wait there this way (`chain.rs`).
    fn take_waiting(&mut self, reason: Timeout) -> Result<bool, ureq::Error> {
        self.stream.set_nonblocking(true)?;
        let read = (&*self.stream).read(self.buffers.input_append_buf());
        self.stream.set_nonblocking(false)?;
        match read {
            Ok(amount) => {
                self.buffers.input_appended(amount);
                Ok(amount > 0)
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(ureq::Error::Timeout(reason)),
            Err(e) => Err(e.into()),
        }
    }
}

/// Sets the timeout of one direction if the one set does not fit what is left.
fn fit_timeout(
    set: &mut SocketTimeout,
    left: Option<Duration>,
    apply: impl FnOnce(Option<Duration>) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(needed) = set.needed(left) {
        apply(needed.0)?;
        *set = needed;
    }
    Ok(())
}

/// What to do after a wait on the socket failed with `e`: go on (`Ok`), or the error that ends the call. A
/// timeout or an interruption (`EINTR`: Linux does not restart socket calls that have a timeout) goes on while
/// the deadline has not passed; on Windows a timeout ends the wait, since its socket timeouts are exact.
fn after_failed_wait(e: io::Error, deadline: &Deadline) -> Result<(), ureq::Error> {
    let timed_out = is_timeout(&e);
    if !timed_out && e.kind() != io::ErrorKind::Interrupted {
        return Err(e.into());
    }
    if deadline.at.is_none() {
        // No deadline: only a signal handler installed without SA_RESTART interrupts, and it asked for it.
        return Err(if timed_out { ureq::Error::Timeout(deadline.reason) } else { e.into() });
    }
    if timed_out && !cfg!(unix) {
        return Err(ureq::Error::Timeout(deadline.reason));
    }
    deadline.left().map(drop)
}

impl Transport for TcpTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let deadline = Deadline::new(self.bounded(timeout).for_write())?;
        let output = &self.buffers.output()[..amount];
        let mut written = 0;
        while written < output.len() {
            let stream = &*self.stream;
            fit_timeout(&mut self.write_timeout, deadline.left()?, |t| stream.set_write_timeout(t))?;
            match (&*self.stream).write(&output[written..]) {
                Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero).into()),
                Ok(n) => written += n,
                Err(e) => after_failed_wait(e, &deadline)?,
            }
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        if timeout.after.is_zero() {
            return self.take_waiting(timeout.reason);
        }
        let deadline = Deadline::new(self.bounded(timeout).for_read())?;
        let abandonable = cfg!(unix) && self.board.abandoned().is_some();
        loop {
            if abandonable && self.board.abandoned() == Some(true) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, Abandoned).into());
            }
            let left = deadline.left()?;
            let wait =
                if abandonable { Some(left.map_or(ABANDON_CHECK, |left| left.min(ABANDON_CHECK))) } else { left };
            let stream = &*self.stream;
            fit_timeout(&mut self.read_timeout, wait, |t| stream.set_read_timeout(t))?;
            match (&*self.stream).read(self.buffers.input_append_buf()) {
                Ok(amount) => {
                    self.buffers.input_appended(amount);
                    return Ok(amount > 0);
                }
                // A slice ended: ask again, then wait on, up to the deadline.
                Err(e) if abandonable && is_timeout(&e) => drop(deadline.left()?),
                Err(e) => after_failed_wait(e, &deadline)?,
            }
        }
    }

    fn is_open(&mut self) -> bool {
        probe(&self.stream)
    }
}

/// Whether an idle kept-alive connection can carry another request: open, and nothing arrived on it since its
/// last answer (a close, a reset, or bytes nobody asked for all mean it must be replaced). Looks without waiting
/// and without taking anything.
#[cfg(unix)]
fn probe(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut byte = 0u8;
    // SAFETY: the descriptor is the open socket `stream` owns, borrowed for the call; `recv` writes at most one
    // byte, into `byte`, which lives across the call.
    let received =
        unsafe { libc::recv(stream.as_raw_fd(), (&raw mut byte).cast(), 1, libc::MSG_PEEK | libc::MSG_DONTWAIT) };
    // -1 with EAGAIN: nothing to read, the connection is idle and open. 0 is a close, 1 a stray byte.
    received < 0 && is_timeout(&io::Error::last_os_error())
}

#[cfg(not(unix))]
fn probe(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let idle = matches!(stream.peek(&mut [0u8]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && idle
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::thread;

    const S: fn(u64) -> Duration = Duration::from_secs;
    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    #[cfg(unix)]
    fn steady_calls_keep_the_timeout_set_and_a_shorter_wait_sets_one() {
        let first = SocketTimeout(None).needed(Some(S(60))).unwrap();
        assert_eq!(first, SocketTimeout(Some(MS(52_500))));
        // The next calls: the whole timeout left, less what the call so far took.
        assert_eq!(first.needed(Some(S(60) - MS(1))), None);
        assert_eq!(first.needed(Some(S(60))), None);
        // A call waiting for the card terminal (5 minutes) may wake up on the way, but sets nothing.
        assert_eq!(first.needed(Some(S(300))), None);
        // Less left than the timeout set: a shorter one.
        assert_eq!(first.needed(Some(S(10))), Some(SocketTimeout(Some(MS(8_750)))));
        // Far more left: a longer one, so that the wait does not wake up often.
        assert_eq!(SocketTimeout(Some(MS(100))).needed(Some(S(60))), Some(SocketTimeout(Some(MS(52_500)))));
        // The last bit exactly.
        let tiny = Duration::from_micros(300);
        assert_eq!(first.needed(Some(tiny)), Some(SocketTimeout(Some(tiny))));
        // No deadline: no timeout, set once.
        assert_eq!(first.needed(None), Some(SocketTimeout(None)));
        assert_eq!(SocketTimeout(None).needed(None), None);
    }

    /// The socket timeout is shorter than the deadline, so a wait times out on the socket first: it goes on with
    /// the rest, and the read ends at the deadline, neither before it nor long after.
    #[test]
    fn a_read_that_times_out_on_the_socket_goes_on_to_the_deadline() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = thread::spawn(move || listener.accept().map(|(stream, _)| stream));
        let timeout = NextTimeout {
            after: ureq::unversioned::transport::time::Duration::Exact(MS(400)),
            reason: Timeout::Global,
            ..NextTimeout::default()
        };
        let stream = connect_any([addr].into_iter(), timeout).unwrap();
        let _held = server.join().unwrap().unwrap();
        let mut transport = TcpTransport {
            stream: Arc::new(stream),
            buffers: LazyBuffers::new(1024, 1024),
            read_timeout: SocketTimeout::default(),
            write_timeout: SocketTimeout::default(),
            connecting: None,
            board: Arc::default(),
        };
        let started = Instant::now();
        let result = transport.await_input(timeout);
        let waited = started.elapsed();
        assert!(matches!(result, Err(ureq::Error::Timeout(Timeout::Global))), "{result:?}");
        assert!(waited >= MS(400), "the read gave up after {waited:?}, before its deadline");
        assert!(waited < S(5), "the read went on for {waited:?}, long past its deadline of 0.4 s");
    }
}
