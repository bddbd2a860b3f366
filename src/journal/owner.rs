//! Which process wrote an entry, and whether it still runs: how reconcile tells a call under way in another
//! process from one a crash ended.
//!
//! Each entry records its writer: the process id, the process's start time as the system keeps it (Linux:
//! field 22 of `/proc/<pid>/stat`, in clock ticks since boot; Windows: the creation time of `GetProcessTimes`;
//! elsewhere 0) and a token of the journal connection that wrote it. A process id alone is not enough: ids are
//! reused after a restart, and a till restarts after every crash. The pair (id, start time) names one process
//! for as long as the machine runs. When the library cannot tell (no `/proc`, access refused), it says "alive":
//! an entry wrongly skipped stays PENDING for a later reconcile, while an entry wrongly read back could be
//! settled before its own answer came.

use std::hash::{BuildHasher, Hasher};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub pid: i64,
    /// 0 where the system has no start time the library reads.
    pub started: i64,
    /// The journal connection that wrote the entry: several clients of one process each have their own.
    pub token: i64,
}

impl Owner {
    /// This process, with a new token for one journal connection.
    pub fn this_process() -> Owner {
        let pid = i64::from(std::process::id());
        // std's RandomState is seeded from the system's randomness (and differs for every instance): a token
        // two connections of one process never share.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_i64(pid);
        Owner { pid, started: start_time(pid).unwrap_or(0), token: hasher.finish() as i64 }
    }

    /// Whether the process that wrote an entry is the same as this one.
    pub fn same_process(&self, other: &Owner) -> bool {
        self.pid == other.pid && self.started == other.started
    }
}

/// Whether the process `owner` names may still run. An owner with process id 0 (an entry of schema 1, which
/// kept none) counts as ended.
pub fn may_be_alive(owner: &Owner) -> bool {
    if owner.pid <= 0 {
        return false;
    }
    alive(owner)
}

#[cfg(target_os = "linux")]
fn start_time(pid: i64) -> Option<i64> {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => parse_start_time(&stat),
        Err(_) => None,
    }
}

/// Field 22 of `/proc/<pid>/stat`; the name in field 2 is in parentheses and may hold spaces and ')'.
#[cfg(any(target_os = "linux", test))]
fn parse_start_time(stat: &str) -> Option<i64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Fields from 3 (state) on: the start time is the 20th of them.
    after_name.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(target_os = "linux")]
fn alive(owner: &Owner) -> bool {
    match std::fs::read_to_string(format!("/proc/{}/stat", owner.pid)) {
        Ok(stat) => match parse_start_time(&stat) {
            // Another process with a reused id: the owner has ended.
            Some(started) => owner.started == 0 || started == owner.started,
            None => true,
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(_) => true,
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn start_time(_pid: i64) -> Option<i64> {
    None
}

/// Without a start time: `kill(pid, 0)` says whether some process has the id (a reused id reads as alive).
#[cfg(all(unix, not(target_os = "linux")))]
fn alive(owner: &Owner) -> bool {
    let Ok(pid) = libc::pid_t::try_from(owner.pid) else { return false };
    // SAFETY: signal 0 sends nothing; it only checks that the process exists.
    let sent = unsafe { libc::kill(pid, 0) };
    sent == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(windows)]
fn start_time(pid: i64) -> Option<i64> {
    windows::creation_time(u32::try_from(pid).ok()?).ok().flatten()
}

#[cfg(windows)]
fn alive(owner: &Owner) -> bool {
    let Ok(pid) = u32::try_from(owner.pid) else { return false };
    match windows::creation_time(pid) {
        Ok(Some(started)) => owner.started == 0 || started == owner.started,
        Ok(None) => false,
        Err(()) => true,
    }
}

#[cfg(windows)]
mod windows {
    use windows_sys::Win32::Foundation::{CloseHandle, GetLastError, ERROR_INVALID_PARAMETER, FILETIME, STILL_ACTIVE};
    use windows_sys::Win32::System::Threading::{
        GetExitCodeProcess, GetProcessTimes, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
    };

    /// `Ok(Some(time))`: the process runs and started then; `Ok(None)`: no such process runs; `Err`: unknown.
    pub(super) fn creation_time(pid: u32) -> Result<Option<i64>, ()> {
        // SAFETY: plain call; a null handle is checked below.
        let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
        if handle.is_null() {
            // SAFETY: plain call, right after the failed one.
            return if unsafe { GetLastError() } == ERROR_INVALID_PARAMETER { Ok(None) } else { Err(()) };
        }
        let zero = FILETIME { dwLowDateTime: 0, dwHighDateTime: 0 };
        let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
        let mut code = 0u32;
        // SAFETY: a live handle and four writable FILETIMEs.
        let timed = unsafe { GetProcessTimes(handle, &mut created, &mut exited, &mut kernel, &mut user) };
        // SAFETY: a live handle and a writable u32.
        let coded = unsafe { GetExitCodeProcess(handle, &mut code) };
        // SAFETY: the handle opened above, closed once.
        unsafe { CloseHandle(handle) };
        if timed == 0 || coded == 0 {
            return Err(());
        }
        if code != STILL_ACTIVE as u32 {
            return Ok(None);
        }
        Ok(Some((i64::from(created.dwHighDateTime) << 32) | i64::from(created.dwLowDateTime)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_time_is_field_22_whatever_the_name() {
        let stat = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 50";
        assert_eq!(parse_start_time(stat), Some(987654));
        assert_eq!(parse_start_time("4242 (x) S 1"), None);
    }

    #[test]
    fn this_process_is_alive_and_a_reused_id_is_not() {
        let me = Owner::this_process();
        assert!(may_be_alive(&me));
        assert_ne!(me.token, Owner::this_process().token);
        if cfg!(target_os = "linux") {
            assert!(me.started > 0);
            assert!(!may_be_alive(&Owner { started: me.started + 1, ..me }));
        }
        assert!(!may_be_alive(&Owner { pid: 0, started: 0, token: 1 }));
    }
}
