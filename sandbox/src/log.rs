//! stderr logging that never blocks a runtime worker.
//!
//! Lines go through a bounded channel to one writer thread. A test harness that pipes stderr and never reads it
//! would otherwise stall every request once the pipe is full; here lines are dropped instead.

use std::io::Write;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::OnceLock;

static SENDER: OnceLock<SyncSender<String>> = OnceLock::new();

/// Starts the writer thread; lines logged before this go straight to stderr.
pub fn init() {
    let (sender, receiver) = sync_channel::<String>(4096);
    if SENDER.set(sender).is_err() {
        return;
    }
    let spawned = std::thread::Builder::new().name("sandbox-log".into()).spawn(move || {
        for line in receiver {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "smartx-sandbox: {line}");
        }
    });
    if let Err(err) = spawned {
        let _ = writeln!(std::io::stderr(), "smartx-sandbox: no log thread: {err}");
    }
}

/// Logs one line (never a token: callers pass method, path, status and addresses only).
pub fn line(text: String) {
    match SENDER.get() {
        Some(sender) => {
            let _ = sender.try_send(text);
        }
        None => {
            let _ = writeln!(std::io::stderr(), "smartx-sandbox: {text}");
        }
    }
}

/// `log!("...", args)`: format and hand to [`line()`].
macro_rules! log {
    ($($arg:tt)*) => {
        $crate::log::line(format!($($arg)*))
    };
}
pub(crate) use log;
