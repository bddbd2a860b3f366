//! The process-wide client behind the plain C functions (`sx_set_base_url`, `sx_set_timeouts`, `sx_start_cash`,
//! `sx_shutdown`): the C API's stand-in for a client handle. One connection pool for every thread, so that
//! consecutive calls reuse the connection, and the configuration set by function or by environment. It lives in
//! the C layer because only the C API needs a process-wide default; the core holds no globals.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::api;
use crate::http::{Agent, BaseUrl, Error, Settings, Timeouts};

/// What the caller set explicitly, and the agent (the connection pool) built from it and the environment at
/// first use, with the settings it was built from.
#[derive(Default)]
struct State {
    base_url: Option<BaseUrl>,
    timeouts: Option<Timeouts>,
    agent: Option<(Settings, Arc<Agent>)>,
}

static STATE: Mutex<State> = Mutex::new(State { base_url: None, timeouts: None, agent: None });

/// The state stays usable after a panic elsewhere: every update below is a single assignment.
fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A client over the shared agent, which is built at first use from what was set, else the environment, else
/// the defaults; it has no token, no journal and no log. The lock is held only to clone an `Arc`; calls run in
/// parallel.
pub(crate) fn client() -> Result<api::Client, Error> {
    let mut state = state();
    if let Some((settings, agent)) = &state.agent {
        return Ok(api::Client::over(settings.clone(), Arc::clone(agent)));
    }
    let base = match &state.base_url {
        Some(base) => base.clone(),
        None => BaseUrl::from_env()?,
    };
    let timeouts = match state.timeouts {
        Some(timeouts) => timeouts,
        None => Timeouts::from_env()?,
    };
    let settings = Settings::new(base, timeouts);
    let agent = Arc::new(Agent::with_settings(&settings));
    state.agent = Some((settings.clone(), Arc::clone(&agent)));
    Ok(api::Client::over(settings, agent))
}

/// Checks and sets the base URL for every later call. Calls under way finish with the old one.
pub(crate) fn set_base_url(url: &str) -> Result<(), Error> {
    let base = BaseUrl::parse(url)?;
    let mut state = state();
    // Keep the pool: only the address of later calls changes.
    state.agent = state.agent.as_ref().map(|(settings, agent)| {
        (Settings { base: base.clone(), ..settings.clone() }, Arc::new(agent.with_base(base.clone())))
    });
    state.base_url = Some(base);
    Ok(())
}

/// Sets the timeouts for every later call; the next call builds a new pool with them.
pub(crate) fn set_timeouts(timeouts: Timeouts) {
    let mut state = state();
    state.timeouts = Some(timeouts);
    state.agent = None;
}

/// Forgets the client, its idle connections and every setting; the next call starts afresh. Calls under way
/// keep their own reference and finish normally.
pub(crate) fn shutdown() {
    *state() = State::default();
}
