//! `cargo bench --bench soak`: 100 000 payments (`SMARTX_SOAK_PAYMENTS`) against the local sandbox, each
//! `sx_start_cash` + `sx_transaction_parse` + a walk of the receipt + `sx_receipt_render` (text and ESC/POS) +
//! `sx_transaction_free`, one after another as a register makes them over weeks. Prints the process's resident
//! memory (VmRSS of /proc/self/status) at the start, the middle and the end, and fails when the end exceeds the
//! middle by more than 5 %: memory that keeps growing after the warm-up is a leak a till would die of.
//! See benches/README.md.

// The sandbox helpers of the start_cash bench; this bench uses only part of them.
#[allow(dead_code)]
#[path = "start_cash/sandbox.rs"]
mod sandbox;
mod support;

use std::ffi::{c_char, CStr, CString};
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::process::ExitCode;
use std::time::Instant;

use sandbox::Sandbox;
use smartx::{
    sx_receipt_count, sx_receipt_line, sx_receipt_line_get, sx_receipt_render, sx_render_options, sx_set_base_url,
    sx_shutdown, sx_start_cash, sx_transaction, sx_transaction_free, sx_transaction_parse, SX_CODEPAGE_CP858,
    SX_ERR_BUFFER_TOO_SMALL, SX_FORMAT_ESCPOS, SX_FORMAT_TEXT, SX_OK, SX_RECEIPT_CUSTOMER,
};
use support::{check, last_error_message, rss_kib};

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// A local, made-up token: the sandbox accepts only this one.
const TOKEN: &str = "smartx-soak-local-token";
const PREFIX: &str = "STX_SOAK";
/// Transactions are created in blocks of this many (one control call each).
const BLOCK: usize = 10_000;
/// How much the end may exceed the middle.
const GROWTH_LIMIT: f64 = 1.05;
/// The answer buffer a register keeps for the call (the start/cash answer is ~4.4 KB).
const OUT_CAP: usize = 64 * 1024;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("soak failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> BenchResult<bool> {
    let payments = match std::env::var("SMARTX_SOAK_PAYMENTS") {
        Ok(value) => value.parse::<usize>().map_err(|e| format!("SMARTX_SOAK_PAYMENTS={value:?}: {e}"))?,
        Err(_) => 100_000,
    };
    if payments < 2 {
        return Err("SMARTX_SOAK_PAYMENTS must be at least 2".into());
    }
    let sandbox_exe = sandbox::build()?;
    let log = sandbox_exe.with_file_name("smartx-sandbox-soak.log");
    let sandbox = Sandbox::start(&sandbox_exe, TOKEN, &log)?;
    println!("smartx soak: {payments} payments + parse + render + free against {}", sandbox.base_url());

    let base_url = CString::new(sandbox.base_url())?;
    // SAFETY: base_url is NUL-terminated.
    check("sx_set_base_url", unsafe { sx_set_base_url(base_url.as_ptr()) })?;
    let token = CString::new(TOKEN)?;
    let mut payment = Payment { out: vec![0u8; OUT_CAP], rendered: Vec::new() };

    // Every transaction is made before the first payment, so that nothing but the payments runs in between.
    for first in (0..payments).step_by(BLOCK) {
        let ids = sandbox.create_transactions(&format!("{PREFIX}_{first}"), BLOCK.min(payments - first))?;
        if ids.first().map(String::as_str) != Some(&format!("{PREFIX}_{first}_0")) {
            return Err(format!("the sandbox named the transactions otherwise: {:?}", ids.first()).into());
        }
    }

    let start_rss = rss_kib()?;
    println!("{:>7} payments: RSS {start_rss} KiB (start)", 0);
    let clock = Instant::now();
    let mut middle_rss = 0;
    for n in 0..payments {
        let id = CString::new(format!("{PREFIX}_{}_{}", n - n % BLOCK, n % BLOCK))?;
        payment.make(&id, &token)?;
        let done = n + 1;
        if done == payments / 2 {
            middle_rss = rss_kib()?;
            println!("{done:>7} payments: RSS {middle_rss} KiB (middle), {:.1} s", clock.elapsed().as_secs_f64());
        } else if done % (payments / 10).max(1) == 0 && done != payments {
            println!("{done:>7} payments: RSS {} KiB, {:.1} s", rss_kib()?, clock.elapsed().as_secs_f64());
        }
    }
    let elapsed = clock.elapsed();
    let end_rss = rss_kib()?;
    println!("{payments:>7} payments: RSS {end_rss} KiB (end), {:.1} s", elapsed.as_secs_f64());

    // Every payment was one request: nothing repeated, nothing skipped.
    let served = sandbox.api_requests()?;
    if served != payments as u64 {
        return Err(format!("the sandbox served {served} API requests for {payments} payments").into());
    }
    // No call is under way: frees the shared client and this thread's last answer.
    sx_shutdown();

    let growth = end_rss as f64 / middle_rss as f64;
    println!(
        "start {start_rss} KiB, middle {middle_rss} KiB, end {end_rss} KiB: end/middle {growth:.3} (limit \
         {GROWTH_LIMIT}); {:.1} s, {:.0} payments/s",
        elapsed.as_secs_f64(),
        payments as f64 / elapsed.as_secs_f64()
    );
    if growth > GROWTH_LIMIT {
        eprintln!("soak failed: resident memory grew by {:.1} % in the second half", (growth - 1.0) * 100.0);
        return Ok(false);
    }
    Ok(true)
}

/// The buffers a register keeps between payments.
struct Payment {
    out: Vec<u8>,
    rendered: Vec<u8>,
}

impl Payment {
    /// One payment as a register makes it: start, parse, read every receipt line, render for the printer in
    /// both formats, free.
    fn make(&mut self, id: &CStr, token: &CStr) -> BenchResult<()> {
        let mut len = 0usize;
        // SAFETY: id and token are NUL-terminated; out is writable for its length; len is a valid usize.
        let rc = unsafe {
            sx_start_cash(id.as_ptr(), token.as_ptr(), self.out.as_mut_ptr().cast(), self.out.len(), &mut len)
        };
        if rc != SX_OK {
            return Err(format!("sx_start_cash({id:?}) returned {rc}: {}", last_error_message()).into());
        }
        let mut tx = std::ptr::null_mut();
        // SAFETY: out holds len bytes of the answer; tx is written only on success.
        check("sx_transaction_parse", unsafe { sx_transaction_parse(self.out.as_ptr().cast(), len, &mut tx) })?;
        let done = self.read(tx);
        // SAFETY: tx came from sx_transaction_parse and is freed once; nothing of it is used afterwards.
        unsafe { sx_transaction_free(tx) };
        done
    }

    fn read(&mut self, tx: *const sx_transaction) -> BenchResult<()> {
        // SAFETY: tx is a live transaction.
        let count = unsafe { sx_receipt_count(tx, SX_RECEIPT_CUSTOMER) };
        if count == 0 {
            return Err("a paid answer without a receipt".into());
        }
        for index in 0..count {
            let mut line = MaybeUninit::<sx_receipt_line>::uninit();
            // SAFETY: tx is live; line is writable for one sx_receipt_line.
            check("sx_receipt_line_get", unsafe {
                sx_receipt_line_get(tx, SX_RECEIPT_CUSTOMER, index, line.as_mut_ptr())
            })?;
            // SAFETY: written in full on SX_OK.
            let line = unsafe { line.assume_init() };
            for text in [line.r#type, line.caption, line.text, line.name, line.value] {
                black_box(c_len(text));
            }
        }
        for format in [SX_FORMAT_TEXT, SX_FORMAT_ESCPOS] {
            let options = sx_render_options { columns: 42, format, codepage: SX_CODEPAGE_CP858, flags: 0 };
            let mut len = 0usize;
            // SAFETY: a size query (NULL buffer, capacity 0); options and len are valid.
            let rc = unsafe { sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &options, std::ptr::null_mut(), 0, &mut len) };
            if rc != SX_ERR_BUFFER_TOO_SMALL {
                return Err(format!("the render size query returned {rc}").into());
            }
            self.rendered.resize(len + 1, 0);
            // SAFETY: rendered is writable for its length; options and len are valid.
            check("sx_receipt_render", unsafe {
                sx_receipt_render(
                    tx,
                    SX_RECEIPT_CUSTOMER,
                    &options,
                    self.rendered.as_mut_ptr().cast(),
                    self.rendered.len(),
                    &mut len,
                )
            })?;
            black_box(&self.rendered[..len]);
        }
        Ok(())
    }
}

fn c_len(text: *const c_char) -> usize {
    // SAFETY: the line's strings are NUL-terminated and live until sx_transaction_free.
    unsafe { CStr::from_ptr(text) }.to_bytes().len()
}
