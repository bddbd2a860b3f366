//! `cargo bench --bench journal`: what the journal costs a sale. In one run, against the local sandbox, the same
//! `sx_client_start_cash` on two clients, one without a journal and one with (`sx_client_open_journal`), taken in
//! turns so that both see the same machine; prints the median and mean of each, the extra time of a journaled
//! sale and the ratio, and the time one `fdatasync` takes on the journal's disk here: the extra is the two
//! synced commits of a journaled call (its entry before the request, its outcome after it), so a till's disk
//! costs what its sync costs, twice (see docs/src/journal.md).
//!
//! `SMARTX_JOURNAL_SALES` (default 2000) sales of each kind. `SMARTX_JOURNAL_SOAK=100000`: instead, that many
//! journaled sales, printing the resident memory (VmRSS) at the start, the middle and the end; fails when the end
//! exceeds the middle by more than 5 %. `SMARTX_JOURNAL_DIR`: the folder of the journal (default: the system's
//! temporary folder).

// The sandbox helpers of the start_cash bench; this bench uses only part of them.
#[allow(dead_code)]
#[path = "start_cash/sandbox.rs"]
mod sandbox;
mod support;

use std::ffi::{CStr, CString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use sandbox::Sandbox;
use smartx::{
    sx_client, sx_client_free, sx_client_new, sx_client_open_journal, sx_client_start_cash, sx_client_use_token,
};
use support::{check, rss_kib};

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

const TOKEN: &str = "smartx-journal-bench-local-token";
const BLOCK: usize = 10_000;
const GROWTH_LIMIT: f64 = 1.05;
const OUT_CAP: usize = 64 * 1024;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("journal bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn number(var: &str, default: usize) -> BenchResult<usize> {
    match std::env::var(var) {
        Ok(value) => Ok(value.parse::<usize>().map_err(|e| format!("{var}={value:?}: {e}"))?),
        Err(_) => Ok(default),
    }
}

fn run() -> BenchResult<bool> {
    let soak = number("SMARTX_JOURNAL_SOAK", 0)?;
    let sales = if soak > 0 { soak } else { number("SMARTX_JOURNAL_SALES", 2000)?.max(10) };
    let dir = std::env::var_os("SMARTX_JOURNAL_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let dir = dir.join(format!("smartx-journal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let journal = dir.join("till.journal");

    let sandbox_exe = sandbox::build()?;
    let log = sandbox_exe.with_file_name("smartx-sandbox-journal-bench.log");
    let sandbox = Sandbox::start(&sandbox_exe, TOKEN, &log)?;
    let kinds = if soak > 0 { 1 } else { 2 };
    let mut ids = Vec::with_capacity(sales * kinds);
    for first in (0..sales * kinds).step_by(BLOCK) {
        ids.extend(sandbox.create_transactions(&format!("STX_JB_{first}"), BLOCK.min(sales * kinds - first))?);
    }
    let ids: Vec<CString> = ids.into_iter().map(CString::new).collect::<Result<_, _>>()?;

    let journaled = Client::new(sandbox.base_url(), Some(&journal))?;
    let outcome = if soak > 0 {
        soak_run(&journaled, &ids)?
    } else {
        let plain = Client::new(sandbox.base_url(), None)?;
        compare(&plain, &journaled, &ids, &journal)?;
        true
    };
    drop(journaled);
    let served = sandbox.api_requests()?;
    if served != (sales * kinds) as u64 {
        return Err(format!("the sandbox served {served} API requests for {} sales", sales * kinds).into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(outcome)
}

fn compare(plain: &Client, journaled: &Client, ids: &[CString], journal: &Path) -> BenchResult<()> {
    let sales = ids.len() / 2;
    println!("smartx journal bench: {sales} cash sales without a journal and {sales} with one ({})", journal.display());
    // A warm-up of each: the token, the connection, SQLite's first pages.
    let (mut without, mut with) = (Vec::with_capacity(sales), Vec::with_capacity(sales));
    for (n, pair) in ids.chunks(2).enumerate() {
        // In turns, the journaled one first every other time, so that neither always follows the other.
        let order: [(&Client, &CString, bool); 2] = if n % 2 == 0 {
            [(plain, &pair[0], false), (journaled, &pair[1], true)]
        } else {
            [(journaled, &pair[1], true), (plain, &pair[0], false)]
        };
        for (client, id, is_journaled) in order {
            let took = client.sale(id)?;
            if n >= 5 {
                if is_journaled { &mut with } else { &mut without }.push(took);
            }
        }
    }
    let sync = fdatasync_time(&journal.with_extension("sync-probe"), 200)?;
    let (p, j) = (stats(&mut without), stats(&mut with));
    println!("without a journal: median {:.3} ms, mean {:.3} ms", ms(p.median), ms(p.mean));
    println!("with a journal:    median {:.3} ms, mean {:.3} ms", ms(j.median), ms(j.mean));
    let extra = j.median.saturating_sub(p.median);
    println!(
        "extra per journaled sale: {:.3} ms (median), ratio {:.2} (median) / {:.2} (mean)",
        ms(extra),
        ms(j.median) / ms(p.median),
        ms(j.mean) / ms(p.mean)
    );
    println!(
        "one 4 KiB write + fdatasync on the journal's disk here: median {:.3} ms; a journaled sale syncs twice: \
         2 x {:.3} = {:.3} ms of the extra {:.3} ms",
        ms(sync.median),
        ms(sync.median),
        2.0 * ms(sync.median),
        ms(extra)
    );
    for till_sync_ms in [0.2, 1.0, 5.0] {
        let rest = (ms(extra) - 2.0 * ms(sync.median)).max(0.0);
        let projected = ms(p.median) + rest + 2.0 * till_sync_ms;
        println!(
            "  on a disk that syncs in {till_sync_ms} ms: a journaled sale {:.2} ms against {:.2} ms, ratio {:.2} \
             (this machine's request to the local sandbox; a real request over the internet takes 100+ ms)",
            projected,
            ms(p.median),
            projected / ms(p.median)
        );
    }
    Ok(())
}

fn soak_run(journaled: &Client, ids: &[CString]) -> BenchResult<bool> {
    let sales = ids.len();
    println!("smartx journal soak: {sales} journaled cash sales");
    let start_rss = rss_kib()?;
    println!("{:>7} sales: RSS {start_rss} KiB (start)", 0);
    let clock = Instant::now();
    let mut middle_rss = 0;
    for (n, id) in ids.iter().enumerate() {
        journaled.sale(id)?;
        let done = n + 1;
        if done == sales / 2 {
            middle_rss = rss_kib()?;
            println!("{done:>7} sales: RSS {middle_rss} KiB (middle), {:.1} s", clock.elapsed().as_secs_f64());
        } else if done % (sales / 10).max(1) == 0 && done != sales {
            println!("{done:>7} sales: RSS {} KiB, {:.1} s", rss_kib()?, clock.elapsed().as_secs_f64());
        }
    }
    let end_rss = rss_kib()?;
    let growth = end_rss as f64 / middle_rss.max(1) as f64;
    println!(
        "{sales:>7} sales: RSS {end_rss} KiB (end), {:.1} s; end/middle {growth:.3} (limit {GROWTH_LIMIT})",
        clock.elapsed().as_secs_f64()
    );
    Ok(growth <= GROWTH_LIMIT)
}

struct Client {
    raw: *mut sx_client,
    out: std::cell::RefCell<Vec<u8>>,
}

impl Client {
    fn new(base_url: &str, journal: Option<&Path>) -> BenchResult<Client> {
        let url = CString::new(base_url)?;
        let mut raw = std::ptr::null_mut();
        // SAFETY: a NUL-terminated URL and a writable out-pointer.
        check("sx_client_new", unsafe { sx_client_new(url.as_ptr(), &mut raw) })?;
        let client = Client { raw, out: std::cell::RefCell::new(vec![0; OUT_CAP]) };
        let token = CString::new(TOKEN)?;
        // SAFETY: a live client and a NUL-terminated token.
        check("sx_client_use_token", unsafe { sx_client_use_token(client.raw, token.as_ptr()) })?;
        if let Some(path) = journal {
            let path = CString::new(path.to_str().ok_or("a UTF-8 journal path")?)?;
            // SAFETY: a live client and a NUL-terminated path.
            check("sx_client_open_journal", unsafe { sx_client_open_journal(client.raw, path.as_ptr()) })?;
        }
        Ok(client)
    }

    /// One cash sale; how long the call took.
    fn sale(&self, id: &CStr) -> BenchResult<Duration> {
        let mut out = self.out.borrow_mut();
        let mut len = 0usize;
        let clock = Instant::now();
        // SAFETY: a live client, a NUL-terminated id, a buffer writable for its length, a writable length.
        let rc = unsafe { sx_client_start_cash(self.raw, id.as_ptr(), out.as_mut_ptr().cast(), out.len(), &mut len) };
        let took = clock.elapsed();
        check("sx_client_start_cash", rc)?;
        Ok(took)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: the client made in new, freed once.
        unsafe { sx_client_free(self.raw) };
    }
}

struct Stats {
    median: Duration,
    mean: Duration,
}

fn stats(times: &mut [Duration]) -> Stats {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    Stats { median: times[times.len() / 2], mean }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `rounds` times: 4 KiB appended to a file beside the journal, then `fdatasync`, as a WAL commit does.
fn fdatasync_time(path: &Path, rounds: usize) -> BenchResult<Stats> {
    let mut file = std::fs::OpenOptions::new().create(true).truncate(true).write(true).open(path)?;
    let page = [0x5Au8; 4096];
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        file.write_all(&page)?;
        let clock = Instant::now();
        file.sync_data()?;
        times.push(clock.elapsed());
    }
    drop(file);
    let _ = std::fs::remove_file(path);
    Ok(stats(&mut times))
}
