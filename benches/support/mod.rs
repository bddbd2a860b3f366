//! What the soak and journal benches share: a result code turned into an error with its message, and the
//! process's resident memory.

use smartx::{sx_last_error_message, SX_OK};

use crate::BenchResult;

/// `Ok` for `SX_OK`, else an error naming the call, its code and this thread's last error message.
pub fn check(call: &str, rc: u32) -> BenchResult<()> {
    if rc == SX_OK {
        Ok(())
    } else {
        Err(format!("{call} returned {rc}: {}", last_error_message()).into())
    }
}

/// This thread's last error message (at most 4 KiB of it), or why there is none.
pub fn last_error_message() -> String {
    let mut buf = vec![0u8; 4096];
    let mut len = 0usize;
    // SAFETY: buf is writable for buf.len() bytes; len is a valid usize.
    let rc = unsafe { sx_last_error_message(buf.as_mut_ptr().cast(), buf.len(), &mut len) };
    if rc != SX_OK {
        return format!("(no message: {rc})");
    }
    String::from_utf8_lossy(&buf[..len]).into_owned()
}

/// The process's resident memory in KiB, from the VmRSS line of /proc/self/status.
pub fn rss_kib() -> BenchResult<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).ok_or("no VmRSS in /proc/self/status")?;
    let kib = line.trim_start_matches("VmRSS:").trim().trim_end_matches("kB").trim();
    Ok(kib.parse()?)
}
