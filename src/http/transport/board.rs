//! Where each call through an agent stands: the board the connection chain marks (`chain.rs`, `tcp.rs`) and the
//! HTTP layer reads after a failure, to tell "nothing sent" from "may have been executed" for certain rather than
//! from an error's text. Everything in a blocking ureq call runs on the calling thread, so the board keys its
//! entries by thread. No ureq type: this is the one file of `transport` that the rest of `http` depends on
//! for its words, and it depends on nothing of theirs.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// Asked between waits for the answer: `true` gives the call up (the register cancelled it).
pub type Abandon = Arc<dyn Fn() -> bool + Send + Sync>;

/// Tells threads apart by the address of a per-thread marker: unlike `thread::current()`, it allocates nothing
/// (a foreign thread's `Thread` handle would be left behind when the library is unloaded) and holds no state.
pub(crate) type ThreadKey = usize;

pub(crate) fn this_thread() -> ThreadKey {
    thread_local! {
        static MARKER: u8 = const { 0 };
    }
    MARKER.with(|marker| std::ptr::from_ref(marker).addr())
}

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
    /// How many of `calls` may be given up: while none may, a wait costs no look-up.
    abandonable: AtomicUsize,
}

pub(super) struct Entry {
    pub(super) thread: ThreadKey,
    pub(super) stage: Stage,
    /// Connector calls under way: a CONNECT proxy runs the chain again inside the chain, and what it writes
    /// to the proxy is not the request.
    pub(super) connecting: u32,
    /// Resolving, connecting and the handshake together end here: the connect timeout covers them all.
    pub(super) connect_deadline: Instant,
    /// Asked between waits for the answer: `true` gives the call up.
    pub(super) abandon: Option<Abandon>,
    /// A connection made ready ahead of a call ([`Board::watch_ahead`]): its request is answered inside the
    /// process and never written.
    pub(super) ahead: bool,
}

impl fmt::Debug for Board {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Board")
    }
}

impl Board {
    /// Starts watching a call on this thread; the call must run before the returned guard is dropped. A call
    /// with `abandon` ends as soon as it says so while waiting for the answer.
    pub fn watch(self: &Arc<Self>, connect_deadline: Instant, abandon: Option<Abandon>) -> Watch {
        self.enter(Entry {
            thread: this_thread(),
            stage: Stage::Resolving,
            connecting: 0,
            connect_deadline,
            abandon,
            ahead: false,
        })
    }

    /// Starts watching, on this thread, a request made only to have a connection ready ahead of a call: it goes
    /// through the whole chain (look-up, TCP, TLS, or a pooled connection), and then the chain answers it
    /// itself instead of writing it, so that the connection goes back to the pool as after any answer.
    pub fn watch_ahead(self: &Arc<Self>, connect_deadline: Instant) -> Watch {
        self.enter(Entry {
            thread: this_thread(),
            stage: Stage::Resolving,
            connecting: 0,
            connect_deadline,
            abandon: None,
            ahead: true,
        })
    }

    fn enter(self: &Arc<Self>, entry: Entry) -> Watch {
        let thread = entry.thread;
        if entry.abandon.is_some() {
            self.abandonable.fetch_add(1, Ordering::SeqCst);
        }
        self.lock().push(entry);
        Watch { board: Arc::clone(self), thread }
    }

    /// Whether this thread's innermost call was given up; `None` when it cannot be (the common case, answered
    /// without a look-up while no call on the board can be).
    pub fn abandoned(&self) -> Option<bool> {
        if self.abandonable.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let thread = this_thread();
        let abandon = self.lock().iter().rev().find(|e| e.thread == thread)?.abandon.clone()?;
        // Asked outside the board's lock: it takes a lock of its own.
        Some(abandon())
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The connect deadline of this thread's innermost call while it is connecting (resolving, TCP, a CONNECT
    /// proxy's answer, the TLS handshake); `None` once it is connected, or when no call is watched.
    pub fn connect_deadline_while_connecting(&self) -> Option<Instant> {
        let thread = this_thread();
        let calls = self.lock();
        let entry = calls.iter().rev().find(|e| e.thread == thread)?;
        (entry.connecting > 0).then_some(entry.connect_deadline)
    }

    /// Updates this thread's innermost call, if one is watched (a call made outside `watch` is not).
    pub(super) fn update<R>(&self, f: impl FnOnce(&mut Entry) -> R) -> Option<R> {
        let thread = this_thread();
        self.lock().iter_mut().rev().find(|e| e.thread == thread).map(f)
    }
}

/// A watched call; dropping it ends the watch.
pub struct Watch {
    board: Arc<Board>,
    thread: ThreadKey,
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
            if calls.swap_remove(at).abandon.is_some() {
                self.board.abandonable.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// A connection that ended in a way that may have cut the answer short: the server reset or aborted it, or,
/// over TLS, closed TCP without TLS's close_notify (rustls's `UnexpectedEof`), which anyone on the path can
/// forge. The original error's kind.
#[derive(Debug)]
pub struct CutOff(pub std::io::ErrorKind);

impl fmt::Display for CutOff {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "the connection was cut off ({:?})", self.0)
    }
}

impl std::error::Error for CutOff {}

/// A call given up by its `abandon` (the register cancelled it) while it waited for the answer.
#[derive(Debug)]
pub struct Abandoned;

impl fmt::Display for Abandoned {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the request was given up: cancelled")
    }
}

impl std::error::Error for Abandoned {}
