//! Parsing a transaction with smartx and reading its receipts the way a register does before printing, and
//! rendering a receipt for the printer.

use std::ffi::{c_char, CStr};
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Instant;

use smartx::{
    sx_receipt_count, sx_receipt_line, sx_receipt_line_get, sx_receipt_render, sx_render_options, sx_transaction_free,
    sx_transaction_parse, SX_CODEPAGE_CP858, SX_OK, SX_RECEIPT_CUSTOMER, SX_RECEIPT_MERCHANT,
};

use crate::BenchResult;

/// Which receipts to read: the round trip reads the customer's (as the C baseline does), the parse bench both.
#[derive(Debug, Clone, Copy)]
pub enum Receipts {
    Customer,
    CustomerAndMerchant,
}

/// Parses `json`, reads every line of the chosen receipts (touching each string) and frees the transaction.
/// Returns a checksum so the optimiser cannot drop the work.
pub fn parse_and_walk(json: &[u8], receipts: Receipts) -> BenchResult<usize> {
    let mut tx = std::ptr::null_mut();
    // SAFETY: json is valid for json.len() bytes; tx is written only on success.
    let rc = unsafe { sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) };
    if rc != SX_OK {
        return Err(format!("sx_transaction_parse returned {rc}").into());
    }
    let walked = match receipts {
        Receipts::Customer => walk(tx, SX_RECEIPT_CUSTOMER),
        Receipts::CustomerAndMerchant => walk(tx, SX_RECEIPT_CUSTOMER)
            .and_then(|customer| walk(tx, SX_RECEIPT_MERCHANT).map(|merchant| customer + merchant)),
    };
    // SAFETY: tx came from sx_transaction_parse and is freed once; no line pointer outlives this.
    unsafe { sx_transaction_free(tx) };
    walked
}

fn walk(tx: *const smartx::sx_transaction, which: u32) -> BenchResult<usize> {
    // SAFETY: tx is a live transaction from sx_transaction_parse.
    let count = unsafe { sx_receipt_count(tx, which) };
    let mut sum = count;
    for index in 0..count {
        let mut line = MaybeUninit::<sx_receipt_line>::uninit();
        // SAFETY: tx is live, line points to writable memory for one sx_receipt_line.
        let rc = unsafe { sx_receipt_line_get(tx, which, index, line.as_mut_ptr()) };
        if rc != SX_OK {
            return Err(format!("sx_receipt_line_get({which}, {index}) returned {rc}").into());
        }
        // SAFETY: written in full on SX_OK.
        let line = unsafe { line.assume_init() };
        sum += line.kind as usize + line.decorations as usize;
        for text in [line.r#type, line.caption, line.text, line.name, line.value] {
            sum += string_len(text);
        }
    }
    Ok(sum)
}

/// Reads a line string to its end, like a printer driver would (the contract says it is never NULL).
fn string_len(text: *const c_char) -> usize {
    // SAFETY: the line's strings are NUL-terminated and live until sx_transaction_free.
    unsafe { CStr::from_ptr(text) }.to_bytes().len()
}

/// Wall time in ns of `iters` parse + walk + free cycles of `json`, after `warmup` unmeasured ones.
pub fn bench_parse(json: &[u8], iters: usize, warmup: usize) -> BenchResult<u64> {
    for _ in 0..warmup {
        black_box(parse_and_walk(black_box(json), Receipts::CustomerAndMerchant)?);
    }
    let start = Instant::now();
    for _ in 0..iters {
        black_box(parse_and_walk(black_box(json), Receipts::CustomerAndMerchant)?);
    }
    Ok(start.elapsed().as_nanos() as u64)
}

/// Wall time in ns of `iters` renders of the customer receipt of `json` (parsed once) at 42 columns, after
/// `warmup` unmeasured ones: one `sx_receipt_render` into a buffer that fits, as a register does when its
/// buffer is large enough (a size query first would be a second call).
pub fn bench_render(json: &[u8], format: u32, iters: usize, warmup: usize) -> BenchResult<u64> {
    let mut tx = std::ptr::null_mut();
    // SAFETY: json is valid for json.len() bytes; tx is written only on success.
    let rc = unsafe { sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) };
    if rc != SX_OK {
        return Err(format!("sx_transaction_parse returned {rc}").into());
    }
    let options = sx_render_options { columns: 42, format, codepage: SX_CODEPAGE_CP858, flags: 0 };
    let mut buf = vec![0u8; 64 * 1024];
    let mut render = || -> BenchResult<usize> {
        let mut len = 0usize;
        // SAFETY: tx is live, options readable, buf writable for its length, len writable.
        let rc = unsafe {
            sx_receipt_render(tx, SX_RECEIPT_CUSTOMER, &options, buf.as_mut_ptr().cast(), buf.len(), &mut len)
        };
        if rc != SX_OK {
            return Err(format!("sx_receipt_render returned {rc}").into());
        }
        Ok(len)
    };
    let timed = (|| {
        for _ in 0..warmup {
            black_box(render()?);
        }
        let start = Instant::now();
        for _ in 0..iters {
            black_box(render()?);
        }
        Ok(start.elapsed().as_nanos() as u64)
    })();
    // SAFETY: tx came from sx_transaction_parse and is freed once.
    unsafe { sx_transaction_free(tx) };
    timed
}
