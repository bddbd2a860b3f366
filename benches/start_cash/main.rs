//! `cargo bench --bench start_cash`: smartx's sx_start_cash against the local sandbox, next
//! to a hand-written libcurl + cJSON client doing the same work and to the raw-socket floor, plus the cost of
//! parsing an answer and of rendering its receipt for a printer.
//! See benches/README.md for what each figure means.

mod baseline;
mod floor;
mod receipt;
mod round_trip;
mod sandbox;
mod stats;

use std::ffi::CString;
use std::path::Path;
use std::process::ExitCode;

use baseline::Baseline;
use floor::Floor;
use sandbox::Sandbox;
use stats::{Run, Summary};

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
/// A local, made-up token: the sandbox is told to accept only this one, so auth is really checked.
const TOKEN: &str = "smartx-bench-local-token";
const SMARTX_PREFIX: &str = "STX_BENCH_A";
const BASELINE_PREFIX: &str = "STX_BENCH_B";
const FLOOR_PREFIX: &str = "STX_BENCH_F";
const PARSE_WARMUP: usize = 1000;
const PARSE_FIXTURES: [&str; 2] = ["start-cash-response.json", "start-cashless-response.json"];
const BASELINE_INSTALL: &str = "apt-get install libcurl4-openssl-dev libcjson-dev pkg-config";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> BenchResult<()> {
    let calls = env_count("SMARTX_BENCH_CALLS", 2000)?;
    let rounds = env_count("SMARTX_BENCH_ROUNDS", 12)?;
    let parse_iters = env_count("SMARTX_BENCH_PARSE_ITERS", 20_000)?;
    if rounds == 0 || calls < rounds || parse_iters == 0 {
        return Err("need SMARTX_BENCH_ROUNDS >= 1, SMARTX_BENCH_CALLS >= rounds, SMARTX_BENCH_PARSE_ITERS >= 1".into());
    }
    let sandbox_exe = sandbox::build()?;
    let target_dir = sandbox_exe.parent().ok_or("sandbox path has no directory")?;
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "smartx start/cash benchmark: {calls} calls per client in {rounds} rounds, {parse_iters} parse iterations, \
         {cpus} CPUs"
    );

    let log = target_dir.join("smartx-sandbox-bench.log");
    let sandbox = Sandbox::start(&sandbox_exe, TOKEN, &log)?;
    println!("sandbox: {} (log: {})", sandbox.base_url(), log.display());
    let baseline = Baseline::build(target_dir)?;
    if baseline.is_none() {
        println!("baseline skipped: {BASELINE_INSTALL}");
    }
    set_base_url(sandbox.base_url())?;

    let trips = compare_round_trips(&sandbox, baseline.as_ref(), calls, rounds)?;
    drop(sandbox);
    let parse_rows = compare_parse(baseline.as_ref(), parse_iters)?;
    let render_rows = measure_render(parse_iters)?;
    println!();
    print_table(&trips, &parse_rows);
    println!();
    print_parse_and_render(&parse_rows, &render_rows)?;
    Ok(())
}

/// One row of the render figures: fixture, ns per render as text, ns per render as ESC/POS (CP858).
type RenderRow = (&'static str, f64, f64);

/// Render cost per fixture: the customer receipt at 42 columns, as text and as ESC/POS; the best of
/// `PARSE_REPEATS` repeats counts, as for parsing.
fn measure_render(iters: usize) -> BenchResult<Vec<RenderRow>> {
    println!();
    println!("sx_receipt_render of the customer receipt at 42 columns, per call ({iters} after {PARSE_WARMUP} warm-up; best of {PARSE_REPEATS}):");
    let mut rows = Vec::new();
    for fixture in PARSE_FIXTURES {
        let json = std::fs::read(Path::new(FIXTURES).join(fixture))?;
        let best = |format| -> BenchResult<f64> {
            let mut ns = u64::MAX;
            for _ in 0..PARSE_REPEATS {
                ns = ns.min(receipt::bench_render(&json, format, iters, PARSE_WARMUP)?);
            }
            Ok(ns as f64 / iters as f64)
        };
        let (text, escpos) = (best(smartx::SX_FORMAT_TEXT)?, best(smartx::SX_FORMAT_ESCPOS)?);
        println!("  {fixture:<30} text {text:>8.0} ns   ESC/POS CP858 {escpos:>8.0} ns");
        rows.push((fixture, text, escpos));
    }
    Ok(rows)
}

/// Parsing and rendering side by side: rendering a receipt must cost less than parsing the answer it came in.
fn print_parse_and_render(parse_rows: &[ParseRow], render_rows: &[RenderRow]) -> BenchResult<()> {
    println!(
        "{:<40} {:>10} {:>12} {:>14} {:>14}",
        "smartx parse vs render (ns)", "parse+walk", "render text", "render ESC/POS", "render/parse"
    );
    for ((fixture, parse, _), (_, text, escpos)) in parse_rows.iter().zip(render_rows) {
        let name = fixture.trim_end_matches("-response.json");
        let ratio = text.max(*escpos) / parse;
        println!("{name:<40} {parse:>10.0} {text:>12.0} {escpos:>14.0} {ratio:>14.2}");
        if ratio >= 1.0 {
            return Err(format!("{name}: rendering costs more than parsing ({ratio:.2})").into());
        }
    }
    println!("(render/parse below 1.0: a receipt is laid out for less than the answer costs to parse)");
    Ok(())
}

struct RoundTrips {
    smartx: Run,
    baseline: Option<Run>,
    floor: Run,
    /// The sx_start_cash part of each smartx call (ns), sorted.
    start_only_ns: Vec<u64>,
}

/// The clients of the round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Smartx,
    Baseline,
    Floor,
}

/// Every order of the three clients: round `r` runs `ORDERS[r % 6]`, so that over six rounds each client runs
/// first, second and third equally often, and before and after each other one equally often.
const ORDERS: [[Who; 3]; 6] = {
    use Who::*;
    [
        [Smartx, Baseline, Floor],
        [Floor, Baseline, Smartx],
        [Baseline, Floor, Smartx],
        [Smartx, Floor, Baseline],
        [Floor, Smartx, Baseline],
        [Baseline, Smartx, Floor],
    ]
};

/// Runs the clients in `rounds` blocks whose order changes from round to round (see [`ORDERS`]), so that drift
/// during the run (other load on the machine, sandbox state, CPU clock) weighs on all alike. Each block begins
/// with one unmeasured warm-up call on its own transaction.
fn compare_round_trips(
    sandbox: &Sandbox,
    baseline: Option<&Baseline>,
    calls: usize,
    rounds: usize,
) -> BenchResult<RoundTrips> {
    // Per client: per round one warm-up transaction, then that round's measured ones, in id order.
    let smartx_ids = sandbox.create_transactions(SMARTX_PREFIX, calls + rounds)?;
    let baseline_ids = match baseline {
        Some(_) => sandbox.create_transactions(BASELINE_PREFIX, calls + rounds)?,
        None => Vec::new(),
    };
    let floor_ids = sandbox.create_transactions(FLOOR_PREFIX, calls + rounds)?;
    println!();
    println!(
        "Round trip, per call: POST start/cash, check \"status\":\"ok\", parse the answer, read the customer receipt \
         (the floor: the same request, the answer read by its length, nothing parsed)."
    );
    println!(
        "Order: {rounds} rounds; the order of the clients changes every round and goes through all six orders \
         every six rounds; each client on its own fresh transactions, each block after one unmeasured warm-up \
         call; figures pool all rounds."
    );

    let token = CString::new(TOKEN)?;
    let mut floor_client = Floor::connect(sandbox.base_url(), TOKEN)?;
    let mut trips =
        RoundTrips { smartx: Run::default(), baseline: None, floor: Run::default(), start_only_ns: Vec::new() };
    let mut curl = Run::default();
    let mut first = 0;
    for round in 0..rounds {
        let count = calls / rounds + usize::from(round < calls % rounds);
        let label = |who: &str| format!("r{} {who}", round + 1);
        for who in ORDERS[round % ORDERS.len()] {
            match who {
                Who::Smartx => {
                    let ids = &smartx_ids[first + 1..=first + count];
                    let (run, start_only) = round_trip::run(&smartx_ids[first], ids, &token)?;
                    run.summary().print(&label("smartx"));
                    trips.smartx.absorb(run);
                    trips.start_only_ns.extend(start_only);
                }
                Who::Baseline => {
                    if let Some(baseline) = baseline {
                        let run = baseline.round_trip(sandbox.base_url(), TOKEN, BASELINE_PREFIX, first, count)?;
                        run.summary().print(&label("curl"));
                        curl.absorb(run);
                    }
                }
                Who::Floor => {
                    let run = floor_client.run(&floor_ids[first], &floor_ids[first + 1..=first + count])?;
                    run.summary().print(&label("floor"));
                    trips.floor.absorb(run);
                }
            }
        }
        first += count + 1;
    }

    println!("All rounds:");
    trips.smartx.summary().print("smartx");
    trips.baseline = baseline.map(|_| curl);
    if let Some(run) = &trips.baseline {
        run.summary().print("baseline");
    }
    trips.floor.summary().print("floor");
    trips.start_only_ns.sort_unstable();
    println!(
        "  of which sx_start_cash alone (HTTP exchange, outcome check with its parse, answer copy): median {:.1} µs, \
         p90 {:.1} µs, p99 {:.1} µs",
        stats::percentile(&trips.start_only_ns, 50.0) as f64 / 1e3,
        stats::percentile(&trips.start_only_ns, 90.0) as f64 / 1e3,
        stats::percentile(&trips.start_only_ns, 99.0) as f64 / 1e3,
    );
    check_sandbox_saw_every_call(sandbox, &[&smartx_ids, &baseline_ids, &floor_ids])?;
    Ok(trips)
}

/// The figures only mean something if every call reached the sandbox with valid credentials: count the API
/// requests and look at one transaction of each client.
fn check_sandbox_saw_every_call(sandbox: &Sandbox, ids_per_client: &[&[String]]) -> BenchResult<()> {
    let expected = ids_per_client.iter().map(|ids| ids.len() as u64).sum::<u64>();
    let served = sandbox.api_requests()?;
    if served != expected {
        return Err(format!("the sandbox served {served} API requests, expected {expected}").into());
    }
    // Index 1 is each client's first measured call (index 0 was its first warm-up).
    for id in ids_per_client.iter().filter_map(|ids| ids.get(1)) {
        let requests = sandbox.requests(id)?;
        let valid = |key: &str| requests.iter().all(|r| r[key] == "valid");
        if requests.len() != 1 || !valid("authorization") || !valid("authenticate") {
            return Err(format!("{id}: expected one request with both auth headers valid, saw {requests:?}").into());
        }
    }
    println!(
        "sandbox check: {served} API requests served, as expected; each client sent valid Authorization and \
         Authenticate headers"
    );
    Ok(())
}

/// One row of the parse comparison: fixture, smartx ns per iteration, baseline ns per iteration.
type ParseRow = (&'static str, f64, Option<f64>);

/// Each client's parse loop runs this many times per fixture, in alternating order.
const PARSE_REPEATS: usize = 3;

/// Parse cost per fixture. The clients take turns (smartx first in odd repeats, the baseline in even ones) and
/// each client's best repeat counts: other load on the machine only ever adds time to a CPU-bound loop.
fn compare_parse(baseline: Option<&Baseline>, iters: usize) -> BenchResult<Vec<ParseRow>> {
    println!();
    println!(
        "Parse + read every receipt line + free, per iteration ({iters} after {PARSE_WARMUP} warm-up; {PARSE_REPEATS} \
         alternating repeats per client, the best counts):"
    );
    let mut rows = Vec::new();
    for fixture in PARSE_FIXTURES {
        let path = Path::new(FIXTURES).join(fixture);
        let json = std::fs::read(&path)?;
        let (mut smartx_ns, mut curl_ns) = (u64::MAX, u64::MAX);
        for repeat in 0..PARSE_REPEATS {
            let mut smartx_turn = || -> BenchResult<()> {
                smartx_ns = smartx_ns.min(receipt::bench_parse(&json, iters, PARSE_WARMUP)?);
                Ok(())
            };
            let mut curl_turn = || -> BenchResult<()> {
                if let Some(baseline) = baseline {
                    curl_ns = curl_ns.min(baseline.parse(&path, iters, PARSE_WARMUP)?);
                }
                Ok(())
            };
            if repeat % 2 == 0 {
                smartx_turn()?;
                curl_turn()?;
            } else {
                curl_turn()?;
                smartx_turn()?;
            }
        }
        let smartx = smartx_ns as f64 / iters as f64;
        let curl = baseline.map(|_| curl_ns as f64 / iters as f64);
        print!("  {fixture:<30} smartx {smartx:>8.0} ns");
        if let Some(curl) = curl {
            print!("   cJSON baseline {curl:>8.0} ns");
        }
        println!();
        rows.push((fixture, smartx, curl));
    }
    Ok(rows)
}

fn print_table(trips: &RoundTrips, parse_rows: &[ParseRow]) {
    let smartx = trips.smartx.summary();
    let curl = trips.baseline.as_ref().map(Run::summary);
    let floor = trips.floor.summary();
    if curl.is_none() {
        println!("No libcurl+cJSON column: baseline skipped: {BASELINE_INSTALL}");
    }
    println!(
        "{:<40} {:>9} {:>9} {:>9} {:>14} {:>13} {:>14}",
        "round trip per call", "smartx", "libcurl", "floor", "smartx/libcurl", "smartx/floor", "libcurl/floor"
    );
    let cell = |v: Option<f64>, width: usize| v.map_or(format!("{:>width$}", "-"), |v| format!("{v:>width$.1}"));
    let ratio = |a: Option<f64>, b: Option<f64>, width: usize| match (a, b) {
        (Some(a), Some(b)) => format!("{:>width$.2}", a / b),
        _ => format!("{:>width$}", "-"),
    };
    let row = |name: &str, ours: Option<f64>, theirs: Option<f64>, bottom: Option<f64>| {
        println!(
            "{name:<40} {} {} {} {} {} {}",
            cell(ours, 9),
            cell(theirs, 9),
            cell(bottom, 9),
            ratio(ours, theirs, 14),
            ratio(ours, bottom, 13),
            ratio(theirs, bottom, 14)
        );
    };
    let of = |f: fn(&Summary) -> f64| (Some(f(&smartx)), curl.as_ref().map(f), Some(f(&floor)));
    for (name, pick) in [
        ("wall, mean (µs)", (|s: &Summary| s.mean_us) as fn(&Summary) -> f64),
        ("wall, median (µs)", |s| s.median_us),
        ("wall, p90 (µs)", |s| s.p90_us),
        ("wall, p99 (µs)", |s| s.p99_us),
        ("CPU (µs)", |s| s.cpu_per_call_us),
    ] {
        let (ours, theirs, bottom) = of(pick);
        row(name, ours, theirs, bottom);
    }
    let start_only = stats::percentile(&trips.start_only_ns, 50.0) as f64 / 1e3;
    row("sx_start_cash alone, wall median (µs)", Some(start_only), None, Some(floor.median_us));
    println!(
        "(ratio below 1.0 = the first is faster / cheaper; the floor parses nothing, the others parse the answer)"
    );
    println!();
    println!("{:<40} {:>9} {:>9} {:>14}", "parse + walk per iteration", "smartx", "cJSON", "smartx/cJSON");
    for (fixture, ours, theirs) in parse_rows {
        let name = fixture.trim_end_matches("-response.json");
        println!(
            "{:<40} {} {} {}",
            format!("{name} (ns)"),
            cell(Some(*ours), 9),
            cell(*theirs, 9),
            ratio(Some(*ours), *theirs, 14)
        );
    }
}

fn set_base_url(url: &str) -> BenchResult<()> {
    let url = CString::new(url)?;
    // SAFETY: url is NUL-terminated and outlives the call (the library copies it).
    let rc = unsafe { smartx::sx_set_base_url(url.as_ptr()) };
    if rc != smartx::SX_OK {
        return Err(format!("sx_set_base_url returned {rc}").into());
    }
    Ok(())
}

fn env_count(name: &str, default: usize) -> BenchResult<usize> {
    match std::env::var(name) {
        Ok(value) => Ok(value.parse().map_err(|e| format!("{name}={value:?}: {e}"))?),
        Err(_) => Ok(default),
    }
}
