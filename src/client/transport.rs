//! Where an exchange stood when it failed, known for certain rather than guessed from an error's text.
//!
//! ureq's connector chain is wrapped: the chain itself is ureq's own (CONNECT proxy, TCP, rustls), with a marker
//! between TCP and TLS, and every transport it makes is wrapped in [`WatchedTransport`], which notes the moment
//! request bytes are handed to the socket. A call runs inside [`Board::watch`]; afterwards [`Watch::stage`] says
//! how far it got. Everything in a blocking ureq call (resolving, connecting, the handshake, writing, reading)
//! runs on the calling thread, so the board keys its entries by thread. A pooled connection skips connecting
//! and goes straight to [`Stage::Sent`] when it is written to.
//!
//! The wrapper knows nothing of the API: it works for any request made through the agent.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Instant;

use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, NextTimeout, RustlsConnector, TcpConnector, Transport,
};
use ureq::Timeout;

/// How far a call got. Ordered: a call only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Looking up the host, or not even that far (nothing connected).
    Resolving,
    /// Opening the TCP connection (or the proxy tunnel).
    Connecting,
    /// TCP is up; the TLS handshake runs. Nothing of the request was sent.
    Handshaking,
    /// Connected and, for https, the handshake done; nothing of the request was sent yet.
    Connected,
    /// Bytes of the request were handed to the connection: the server may have acted on it.
    Sent,
}

/// The calls under way through one agent, by thread.
#[derive(Default)]
pub struct Board {
    calls: Mutex<Vec<Entry>>,
}

struct Entry {
    thread: ThreadId,
    stage: Stage,
    /// Connector calls under way: a CONNECT proxy runs the chain again inside the chain, and what it writes
    /// to the proxy is not the request.
    connecting: u32,
    /// Resolving, connecting and the handshake together end here: the connect timeout covers them all.
    connect_deadline: Instant,
}

impl fmt::Debug for Board {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Board")
    }
}

impl Board {
    /// Starts watching a call on this thread; the call must run before the returned guard is dropped.
    pub fn watch(self: &Arc<Self>, connect_deadline: Instant) -> Watch {
        let thread = thread::current().id();
        let entry = Entry { thread, stage: Stage::Resolving, connecting: 0, connect_deadline };
        self.lock().push(entry);
        Watch { board: Arc::clone(self), thread }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Updates this thread's innermost call, if one is watched (a call made outside `watch` is not).
    fn update<R>(&self, f: impl FnOnce(&mut Entry) -> R) -> Option<R> {
        let thread = thread::current().id();
        self.lock().iter_mut().rev().find(|e| e.thread == thread).map(f)
    }
}

/// A watched call; dropping it ends the watch.
pub struct Watch {
    board: Arc<Board>,
    thread: ThreadId,
}

impl Watch {
    /// How far the call got.
    pub fn stage(&self) -> Stage {
        let calls = self.board.lock();
        calls.iter().rev().find(|e| e.thread == self.thread).map_or(Stage::Sent, |e| e.stage)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut calls = self.board.lock();
        if let Some(at) = calls.iter().rposition(|e| e.thread == self.thread) {
            calls.swap_remove(at);
        }
    }
}

/// ureq's own chain (CONNECT proxy, TCP, rustls) with the board's marks. Give it to `Agent::with_parts`.
pub fn connector(board: Arc<Board>) -> impl Connector<()> {
    let chain =
        ().chain(ConnectProxyConnector::default())
            .chain(TcpConnector::default())
            .chain(TcpUp { board: Arc::clone(&board) })
            .chain(RustlsConnector::default());
    Watched { inner: chain, board }
}

/// Marks the end of TCP: what fails after this, before the request, is the TLS handshake.
#[derive(Debug)]
struct TcpUp {
    board: Arc<Board>,
}

impl<In: Transport> Connector<In> for TcpUp {
    type Out = In;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<In>, ureq::Error> {
        if chained.is_some() && details.needs_tls() {
            self.board.update(|e| {
                if e.connecting == 1 {
                    e.stage = e.stage.max(Stage::Handshaking);
                }
            });
        }
        Ok(chained)
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
        let deadline = self.board.update(|e| {
            e.connecting += 1;
            e.stage = e.stage.max(Stage::Connecting);
            e.connect_deadline
        });
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
        Ok(result?.map(|inner| WatchedTransport { inner, board: Arc::clone(&self.board) }))
    }
}

/// A transport that notes on the board when request bytes are handed to it.
#[derive(Debug)]
pub struct WatchedTransport<T> {
    inner: T,
    board: Arc<Board>,
}

impl<T: Transport> Transport for WatchedTransport<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        // Marked before writing: a write that fails half-way may still have sent something.
        if amount > 0 {
            self.board.update(|e| {
                if e.connecting == 0 {
                    e.stage = Stage::Sent;
                }
            });
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
