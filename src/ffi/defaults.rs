//! The process-wide client behind the plain C functions (`sx_set_base_url`, `sx_set_timeouts`, `sx_start_cash`,
//! `sx_shutdown`): the C API's stand-in for a client handle. One connection pool for every thread, so that
//! consecutive calls reuse the connection, and the configuration set by function or by environment. It lives in
//! the C layer because only the C API needs a process-wide default; the core holds no globals.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::http::{Agent, BaseUrl, Error, Timeouts};

/// What the caller set explicitly, and the client built from it (and the environment) at first use.
#[derive(Default)]
struct State {
    base_url: Option<BaseUrl>,
    timeouts: Option<Timeouts>,
    client: Option<Arc<Agent>>,
}

static STATE: Mutex<State> = Mutex::new(State { base_url: None, timeouts: None, client: None });

/// The state stays usable after a panic elsewhere: every update below is a single assignment.
fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The shared client, built at first use from what was set, else the environment, else the defaults.
/// The lock is held only to clone an `Arc`; calls run in parallel.
pub(crate) fn client() -> Result<Arc<Agent>, Error> {
    let mut state = state();
    if let Some(client) = &state.client {
        return Ok(Arc::clone(client));
    }
    let base = match &state.base_url {
        Some(base) => base.clone(),
        None => BaseUrl::from_env()?,
    };
    let timeouts = match state.timeouts {
        Some(timeouts) => timeouts,
        None => Timeouts::from_env()?,
    };
    let client = Arc::new(Agent::new(base, timeouts));
    state.client = Some(Arc::clone(&client));
    Ok(client)
}

/// Checks and sets the base URL for every later call. Calls under way finish with the old one.
pub(crate) fn set_base_url(url: &str) -> Result<(), Error> {
    let base = BaseUrl::parse(url)?;
    let mut state = state();
    // Keep the pool: only the address of later calls changes.
    state.client = state.client.as_ref().map(|c| Arc::new(c.with_base(base.clone())));
    state.base_url = Some(base);
    Ok(())
}

/// Sets the timeouts for every later call; the next call builds a new pool with them.
pub(crate) fn set_timeouts(timeouts: Timeouts) {
    let mut state = state();
    state.timeouts = Some(timeouts);
    state.client = None;
}

/// Forgets the client, its idle connections and every setting; the next call starts afresh. Calls under way
/// keep their own reference and finish normally.
pub(crate) fn shutdown() {
    *state() = State::default();
}
