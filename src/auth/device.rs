//! The device flow (pairing): a code for the merchant, then polls until the merchant confirms it, the code
//! expires or the register cancels.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::token::{self, ClientId, DeviceCode, Granted, Refusal};
use crate::http::{Agent, Bound, Error, ErrorKind, Level, Log};

/// `slow_down` adds this to the interval (RFC 8628).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// The shortest wait between two polls, whatever interval the server names (0 made the library poll in a loop,
/// 26 555 polls in 1.5 s). RFC 8628 names none; its default, when the server names no interval, is 5 s.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// Ends waits from another thread. Each `cancel` ends the pairings under way when it is called, not later ones.
#[derive(Default)]
pub struct Cancel {
    calls: Mutex<u64>,
    woken: Condvar,
}

impl Cancel {
    pub fn cancel(&self) {
        *self.calls.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.woken.notify_all();
    }

    /// A mark to compare later waits with: cancels before it do not count.
    pub fn mark(&self) -> u64 {
        *self.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits `duration`, or less when cancelled after `mark`. Err: cancelled.
    pub fn wait(&self, mark: u64, duration: Duration) -> Result<(), ()> {
        let deadline = Instant::now() + duration;
        let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if *calls != mark {
                return Err(());
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(());
            }
            calls = self.woken.wait_timeout(calls, deadline - now).unwrap_or_else(PoisonError::into_inner).0;
        }
    }
}

fn cancelled() -> Error {
    Error::new(ErrorKind::Cancelled, "the pairing was cancelled")
}

/// Runs the device flow to its end. `show` gets the code for the merchant once. Each request has the total
/// timeout, and a cancel ends it while it waits for its answer.
pub fn pair(
    http: &Agent,
    log: &Log,
    cancel: &Arc<Cancel>,
    client: &ClientId,
    uuid: &str,
    show: &mut dyn FnMut(&DeviceCode),
) -> Result<Granted, Error> {
    let mark = cancel.mark();
    let cancelled_since_mark = {
        let cancel = Arc::clone(cancel);
        Arc::new(move || cancel.mark() != mark)
    };
    let bound = || Bound::until(Instant::now() + http.timeouts().total).abandoned_when(cancelled_since_mark.clone());
    let code = token::device_code(http, log, client, uuid, &bound()).map_err(|refusal| {
        if cancel.mark() != mark {
            return cancelled();
        }
        refusal.into_error()
    })?;
    log.secrets.add(&code.device_code);
    let deadline = Instant::now() + code.expires_in;
    let mut interval = code.interval.max(MIN_INTERVAL);
    if interval > code.interval {
        log.write(Level::Warn, || {
            format!(
                "pairing: the server asked for a poll every {} ms; polling every {} ms, the shortest interval here",
                code.interval.as_millis(),
                interval.as_millis()
            )
        });
    }
    log.write(Level::Info, || {
        format!(
            "pairing: waiting for the merchant to confirm the code (expires in {} s, polls every {} ms)",
            code.expires_in.as_secs(),
            interval.as_millis()
        )
    });
    show(&code);
    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        cancel.wait(mark, interval.min(deadline - now)).map_err(|()| cancelled())?;
        if Instant::now() >= deadline {
            break;
        }
        match token::device_poll(http, log, client, &code.device_code, &bound()) {
            Ok(granted) => {
                log.write(Level::Info, || "pairing: confirmed".into());
                return Ok(granted);
            }
            // A cancel that came while the poll was on the wire ended it: the pairing's end, not its failure.
            Err(_) if cancel.mark() != mark => return Err(cancelled()),
            Err(Refusal::OAuth(error, _)) if error == "authorization_pending" => {}
            Err(Refusal::OAuth(error, _)) if error == "slow_down" => {
                interval += SLOW_DOWN_STEP;
                log.write(Level::Warn, || {
                    format!("pairing: the server asked to slow down; polling every {} ms", interval.as_millis())
                });
            }
            Err(Refusal::OAuth(error, e)) if error == "expired_token" => {
                return Err(Error::new(
                    ErrorKind::Expired,
                    format!("the pairing code expired: start again ({})", e.message),
                ))
            }
            Err(refusal) => {
                let e = refusal.into_error();
                log.write(Level::Error, || format!("pairing failed: {}", e.message));
                return Err(e);
            }
        }
    }
    log.write(Level::Error, || "pairing: the code expired before the merchant confirmed it".into());
    Err(Error::new(ErrorKind::Expired, "the pairing code expired before the merchant confirmed it: start again"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn cancel_ends_a_long_wait_at_once_and_only_waits_marked_before_it() {
        let cancel = Arc::new(Cancel::default());
        cancel.cancel(); // before the mark: does not count
        let mark = cancel.mark();
        assert_eq!(cancel.wait(mark, Duration::from_millis(1)), Ok(()));
        let other = Arc::clone(&cancel);
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            other.cancel();
        });
        let started = Instant::now();
        assert_eq!(cancel.wait(mark, Duration::from_secs(600)), Err(()));
        assert!(started.elapsed() < Duration::from_secs(60));
        canceller.join().unwrap();
    }
}
