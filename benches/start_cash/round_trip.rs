//! The smartx side of the round trip: sx_start_cash on fresh transactions, one after another.

use std::ffi::{CStr, CString};
use std::hint::black_box;
use std::time::Instant;

use smartx::{sx_last_error_message, sx_start_cash, SX_OK};

use crate::receipt::{parse_and_walk, Receipts};
use crate::stats::{process_cpu_us, Run};
use crate::BenchResult;

/// Answer buffer a register would keep for the call: the start/cash answer is ~4.4 KB.
const OUT_CAP: usize = 64 * 1024;

/// Starts `warm_up` (unmeasured: the shared client opens its keep-alive connection), then each of `ids`.
/// Each measured call does what the C baseline does per call: start, check the outcome, parse the answer and
/// read the customer receipt. `start_only_ns` keeps the sx_start_cash part alone for the split in the output.
pub fn run(warm_up: &str, ids: &[String], token: &CStr) -> BenchResult<(Run, Vec<u64>)> {
    let mut out = vec![0u8; OUT_CAP];
    start_and_read(warm_up, token, &mut out)?;

    let mut latencies_ns = Vec::with_capacity(ids.len());
    let mut start_only_ns = Vec::with_capacity(ids.len());
    let cpu_before = process_cpu_us();
    let wall = Instant::now();
    for id in ids {
        let call = Instant::now();
        let started = start_and_read(id, token, &mut out)?;
        latencies_ns.push(call.elapsed().as_nanos() as u64);
        start_only_ns.push(started);
    }
    let run = Run { wall_ns: wall.elapsed().as_nanos() as u64, cpu_us: process_cpu_us() - cpu_before, latencies_ns };
    Ok((run, start_only_ns))
}

/// One register payment: returns how long sx_start_cash itself took, in ns.
fn start_and_read(id: &str, token: &CStr, out: &mut [u8]) -> BenchResult<u64> {
    let id = CString::new(id)?;
    let mut len = 0usize;
    let call = Instant::now();
    // SAFETY: id and token are NUL-terminated; out is writable for out.len() bytes; len is a valid usize.
    let rc = unsafe { sx_start_cash(id.as_ptr(), token.as_ptr(), out.as_mut_ptr().cast(), out.len(), &mut len) };
    let start_ns = call.elapsed().as_nanos() as u64;
    if rc != SX_OK {
        return Err(format!("sx_start_cash({id:?}) returned {rc}: {}", last_error_message()).into());
    }
    black_box(parse_and_walk(&out[..len], Receipts::Customer)?);
    Ok(start_ns)
}

fn last_error_message() -> String {
    let mut buf = vec![0u8; 4096];
    let mut len = 0usize;
    // SAFETY: buf is writable for buf.len() bytes; len is a valid usize.
    let rc = unsafe { sx_last_error_message(buf.as_mut_ptr().cast(), buf.len(), &mut len) };
    if rc != SX_OK {
        return format!("(no message: {rc})");
    }
    String::from_utf8_lossy(&buf[..len]).into_owned()
}
