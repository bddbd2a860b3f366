//! `cargo bench --bench latency`: the cashier's wait over a real round trip (issue 23). A delaying TCP proxy on
//! loopback adds a one-way delay (default 15 ms: a 30 ms round trip) in front of the sandbox over TLS and, like
//! the API's load balancer, closes a connection idle for longer than a second. A register's day is a cold
//! process with no token and sales 1.5 s apart, so every sale after the first finds its connection closed. The
//! figure is the wall time of the payment call in round trips, for the libcurl + cJSON baseline
//! (benches/baseline/curl_cjson.c), smartx, and smartx with `sx_client_prepare` called when the sale starts:
//! the first sale of the day and the next ones. Each client runs as a process of its own. See benches/README.md.

#[allow(dead_code)] // the start_cash bench's baseline: only its build and its `sales` are used here
#[path = "start_cash/baseline.rs"]
mod baseline;
#[allow(dead_code)]
#[path = "start_cash/stats.rs"]
mod stats;

use std::ffi::{c_char, CString};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use baseline::Baseline;
use smartx::*;

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

const CLIENT_ID: &str = "latency-bench-client";
const CLIENT_SECRET: &str = "latency-bench-secret";
/// How long a connection may stay idle before the proxy closes it (the API's side of the idle gap).
const IDLE_CLOSE: Duration = Duration::from_millis(1000);
/// Between two sales: longer than `IDLE_CLOSE`, so every next sale finds its connection closed.
const GAP: Duration = Duration::from_millis(1500);
/// From the start of a sale (where the register calls `sx_client_prepare`) to the payment: scanning, the total.
const SCAN: Duration = Duration::from_millis(400);
/// At most this many connections through the proxy at once; more are refused.
const MAX_CONNECTIONS: usize = 16;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let result = if args.get(1).map(String::as_str) == Some("sales") { child(&args[2..]) } else { run() };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn setting(name: &str, default: u64) -> BenchResult<u64> {
    match std::env::var(name) {
        Ok(text) => Ok(text.parse().map_err(|_| format!("{name}={text:?} is not a number"))?),
        Err(_) => Ok(default),
    }
}

fn run() -> BenchResult<()> {
    let one_way = Duration::from_millis(setting("SMARTX_LATENCY_ONE_WAY_MS", 15)?);
    let sales = usize::try_from(setting("SMARTX_LATENCY_SALES", 6)?)?.max(2);
    let rtt = 2 * one_way;
    let exe = std::env::current_exe()?;
    let profile_dir = exe.parent().and_then(Path::parent).ok_or("the bench has no target directory")?.to_owned();
    let sandbox = Sandbox::start(&build_sandbox(&profile_dir)?, &profile_dir)?;
    let proxy = DelayProxy::start(sandbox.port, one_way, IDLE_CLOSE)?;
    let base_url = format!("https://127.0.0.1:{}", proxy.port);
    println!(
        "latency bench: one-way delay {} ms (RTT {} ms), idle connections closed after {} ms, {sales} sales {} ms \
         apart, prepare {} ms before the payment",
        one_way.as_millis(),
        rtt.as_millis(),
        IDLE_CLOSE.as_millis(),
        GAP.as_millis(),
        SCAN.as_millis()
    );

    let mut rows: Vec<(&str, Vec<u64>)> = Vec::new();
    match Baseline::build(&profile_dir)? {
        Some(baseline) => {
            sandbox.create("STX_LAT_B", sales + 1)?;
            let client = (CLIENT_ID, CLIENT_SECRET);
            rows.push((
                "libcurl + cJSON",
                baseline.sales(&base_url, &sandbox.ca, client, "STX_LAT_B", sales, ms(GAP))?,
            ));
        }
        None => println!("baseline skipped: apt-get install libcurl4-openssl-dev libcjson-dev pkg-config"),
    }
    for (label, prefix, prepare) in [("smartx", "STX_LAT_S", false), ("smartx + sx_client_prepare", "STX_LAT_P", true)]
    {
        sandbox.create(prefix, sales + 1)?;
        rows.push((label, child_sales(&exe, &base_url, &sandbox.ca, prefix, sales, prepare)?));
    }
    print_table(&rows, rtt);
    let (full, resumed) = handshake_cpu(sandbox.port, &sandbox.ca)?;
    println!();
    println!(
        "TLS handshake, client CPU (rustls, ring; each with one small request to take the session tickets): full \
         {full:.0} µs, resumed {resumed:.0} µs ({:.2}x)",
        resumed / full
    );
    Ok(())
}

/// Client CPU per TLS connection to the sandbox (directly, no proxy), with a full handshake and with a resumed
/// one, in µs: `HANDSHAKES` of each, alternating blocks.
fn handshake_cpu(port: u16, ca: &Path) -> BenchResult<(f64, f64)> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    const HANDSHAKES: usize = 100;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca)? {
        roots.add(cert?)?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = |resume: bool| -> BenchResult<Arc<rustls::ClientConfig>> {
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        if !resume {
            config.resumption = rustls::client::Resumption::disabled();
        }
        Ok(Arc::new(config))
    };
    let (full, resumed) = (config(false)?, config(true)?);
    connect_tls(&resumed, port)?; // fills the session cache
    let (mut full_us, mut resumed_us) = (0u64, 0u64);
    for _ in 0..4 {
        for (config, total, wanted) in [
            (&full, &mut full_us, rustls::HandshakeKind::Full),
            (&resumed, &mut resumed_us, rustls::HandshakeKind::Resumed),
        ] {
            let before = stats::process_cpu_us();
            for _ in 0..HANDSHAKES / 4 {
                let kind = connect_tls(config, port)?;
                if kind != Some(wanted) {
                    return Err(format!("a handshake was {kind:?}, not {wanted:?}").into());
                }
            }
            *total += stats::process_cpu_us() - before;
        }
    }
    Ok((full_us as f64 / HANDSHAKES as f64, resumed_us as f64 / HANDSHAKES as f64))
}

/// One TLS connection to the sandbox: the handshake, one request, its answer read to the close.
fn connect_tls(config: &Arc<rustls::ClientConfig>, port: u16) -> BenchResult<Option<rustls::HandshakeKind>> {
    let tcp = TcpStream::connect(("127.0.0.1", port))?;
    tcp.set_nodelay(true)?;
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1")?;
    let mut tls = rustls::StreamOwned::new(rustls::ClientConnection::new(Arc::clone(config), name)?, tcp);
    tls.write_all(b"GET /_sandbox/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
    let mut answer = Vec::new();
    // The sandbox closes without close_notify after `Connection: close`: the end of the answer either way.
    let _ = tls.read_to_end(&mut answer);
    if !answer.starts_with(b"HTTP/1.1 200") {
        return Err("the sandbox's stats did not answer 200".into());
    }
    Ok(tls.conn.handshake_kind())
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Runs the smartx sales in a process of its own (this bench again, as `sales ...`): a cold process.
fn child_sales(exe: &Path, base: &str, ca: &Path, prefix: &str, sales: usize, prepare: bool) -> BenchResult<Vec<u64>> {
    let out = Command::new(exe)
        .args(["sales", base])
        .arg(ca)
        .args([prefix, &sales.to_string(), if prepare { "prepare" } else { "plain" }])
        .output()?;
    if !out.status.success() {
        return Err(format!("the smartx sales failed: {}", String::from_utf8_lossy(&out.stderr).trim()).into());
    }
    let stdout = String::from_utf8(out.stdout)?;
    let line = stdout.lines().find_map(|l| l.strip_prefix("smartx sales_ns")).ok_or("no sales line")?;
    Ok(line.split_whitespace().map(str::parse).collect::<Result<_, _>>()?)
}

/// The child: `sales BASE CA PREFIX COUNT prepare|plain`. One client, client credentials, no token yet; sale
/// `i` pays `{PREFIX}_{i}` from 1.
fn child(args: &[String]) -> BenchResult<()> {
    let [base, ca, prefix, count, mode] = args else { return Err("sales BASE CA PREFIX COUNT prepare|plain".into()) };
    let count: usize = count.parse()?;
    let prepare = mode == "prepare";
    let mut client = std::ptr::null_mut();
    let c = |text: &str| CString::new(text).expect("no NUL");
    // SAFETY: NUL-terminated strings that outlive each call; `client` is written by sx_client_new and used only
    // while live, freed once at the end.
    unsafe {
        check("sx_client_new", sx_client_new(c(base).as_ptr(), &mut client))?;
        check("sx_client_add_ca_file", sx_client_add_ca_file(client, c(ca).as_ptr()))?;
        check(
            "sx_client_use_client_credentials",
            sx_client_use_client_credentials(client, c(CLIENT_ID).as_ptr(), c(CLIENT_SECRET).as_ptr()),
        )?;
    }
    let mut buf = vec![0 as c_char; 64 * 1024];
    let mut times = Vec::with_capacity(count);
    for sale in 1..=count {
        if sale > 1 {
            thread::sleep(GAP);
        }
        if prepare {
            // SAFETY: a live client.
            check("sx_client_prepare", unsafe { sx_client_prepare(client) })?;
            thread::sleep(SCAN);
        }
        let id = c(&format!("{prefix}_{sale}"));
        let mut len = 0usize;
        let started = Instant::now();
        // SAFETY: a live client, a NUL-terminated id, a buffer writable for its length.
        let rc = unsafe { sx_client_start_cash(client, id.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut len) };
        times.push(u64::try_from(started.elapsed().as_nanos())?);
        check("sx_client_start_cash", rc)?;
    }
    // SAFETY: made above, used by no one else.
    unsafe { sx_client_free(client) };
    let figures: Vec<String> = times.iter().map(u64::to_string).collect();
    println!("smartx sales_ns {}", figures.join(" "));
    Ok(())
}

fn check(call: &str, rc: sx_result) -> BenchResult<()> {
    if rc == SX_OK {
        return Ok(());
    }
    let mut buf = vec![0 as c_char; 4096];
    let mut len = 0usize;
    // SAFETY: buf is writable for its length.
    unsafe { sx_last_error_message(buf.as_mut_ptr(), buf.len(), &mut len) };
    let bytes: Vec<u8> = buf[..len].iter().map(|&b| b as u8).collect();
    Err(format!("{call} returned {rc}: {}", String::from_utf8_lossy(&bytes)).into())
}

fn print_table(rows: &[(&str, Vec<u64>)], rtt: Duration) {
    let rtt_ns = rtt.as_nanos() as f64;
    let median = |sales: &[u64]| {
        let mut next = sales[1..].to_vec();
        next.sort_unstable();
        next[next.len() / 2]
    };
    let baseline = rows.iter().find(|(label, _)| label.starts_with("libcurl")).map(|(_, s)| (s[0], median(s)));
    println!();
    println!("| client | first sale ms | RTTs | x baseline | next sales ms (median) | RTTs | x baseline |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (label, sales) in rows {
        let (first, next) = (sales[0], median(sales));
        let ratio = |mine: u64, theirs: Option<u64>| {
            theirs.map_or("-".to_owned(), |t| format!("{:.2}", mine as f64 / t as f64))
        };
        println!(
            "| {label} | {:.1} | {:.2} | {} | {:.1} | {:.2} | {} |",
            first as f64 / 1e6,
            first as f64 / rtt_ns,
            ratio(first, baseline.map(|b| b.0)),
            next as f64 / 1e6,
            next as f64 / rtt_ns,
            ratio(next, baseline.map(|b| b.1)),
        );
    }
    println!();
    for (label, sales) in rows {
        let each: Vec<String> = sales.iter().map(|&ns| format!("{:.2}", ns as f64 / rtt_ns)).collect();
        println!("{label}: every sale in RTTs: {}", each.join(" "));
    }
}

/// Builds the sandbox in release mode into this bench's target directory.
fn build_sandbox(profile_dir: &Path) -> BenchResult<PathBuf> {
    let target = profile_dir.parent().ok_or("no target directory")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release", "--package", "smartx-sandbox", "--target-dir"])
        .arg(target)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()?;
    if !status.success() {
        return Err(format!("building smartx-sandbox failed ({status})").into());
    }
    Ok(profile_dir.join("smartx-sandbox"))
}

/// The sandbox over TLS with the bench's OAuth client; its CA written next to the bench.
struct Sandbox {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    port: u16,
    ca: PathBuf,
    control: ureq::Agent,
}

impl Sandbox {
    fn start(exe: &Path, dir: &Path) -> BenchResult<Sandbox> {
        let ca = dir.join(format!("latency-bench-ca-{}.pem", std::process::id()));
        let client = format!("{CLIENT_ID}:{CLIENT_SECRET}");
        let mut child = Command::new(exe)
            .args(["--host", "127.0.0.1", "--port", "0", "--tls", "--ca-out"])
            .arg(&ca)
            .args(["--client", &client])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut first_line = String::new();
        stdout.read_line(&mut first_line)?;
        let port = first_line
            .trim()
            .strip_prefix("https://127.0.0.1:")
            .and_then(|port| port.parse().ok())
            .ok_or_else(|| format!("the sandbox printed {first_line:?} instead of its base URL"))?;
        // The control API shares the TLS port; it needs no check of the sandbox's own certificate.
        let control = ureq::Agent::config_builder()
            .tls_config(ureq::tls::TlsConfig::builder().disable_verification(true).build())
            .build()
            .into();
        Ok(Sandbox { child, _stdout: stdout, port, ca, control })
    }

    /// `{prefix}_0` .. `{prefix}_{count - 1}`, fresh.
    fn create(&self, prefix: &str, count: usize) -> BenchResult<()> {
        let body = format!(r#"{{"count":{count},"prefix":"{prefix}"}}"#);
        self.control
            .post(format!("https://127.0.0.1:{}/_sandbox/transactions", self.port))
            .content_type("application/json")
            .send(&body)?;
        Ok(())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.ca);
    }
}

/// A TCP proxy on loopback that delays every byte by `one_way` in each direction (and a connection's first
/// bytes from the client by the round trip of the TCP handshake) and closes a connection idle for `idle`. Each connection has a thread per direction that reads, one per direction that writes when the
/// bytes are due, and one that watches for idleness; at most `MAX_CONNECTIONS` at once.
struct DelayProxy {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl DelayProxy {
    fn start(target_port: u16, one_way: Duration, idle: Duration) -> BenchResult<DelayProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let live = Arc::new(AtomicUsize::new(0));
        thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                if live.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                    continue; // dropped: closed at once
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", target_port)) else { continue };
                live.fetch_add(1, Ordering::SeqCst);
                let live = Arc::clone(&live);
                thread::spawn(move || {
                    relay(client, server, one_way, idle);
                    live.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Ok(DelayProxy { port, stop })
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Relays one connection both ways with the delay, until both directions end or it was idle for `idle`.
fn relay(client: TcpStream, server: TcpStream, one_way: Duration, idle: Duration) {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let epoch = Instant::now();
    let last_activity = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let directions = [(client.try_clone(), server.try_clone()), (server.try_clone(), client.try_clone())];
    let mut pumps = Vec::new();
    // Loopback completes the TCP handshake at once; on the wire it takes a round trip before the client can send.
    // The client's first bytes wait that round trip here, which is the same to the client as a connect that took it.
    for ((from, to), handshake) in directions.into_iter().zip([2 * one_way, Duration::ZERO]) {
        let (Ok(from), Ok(to)) = (from, to) else { return };
        let (last_activity, done) = (Arc::clone(&last_activity), Arc::clone(&done));
        pumps.push(thread::spawn(move || {
            delayed_pipe(from, to, one_way, handshake, epoch, &last_activity);
            done.fetch_add(1, Ordering::SeqCst);
        }));
    }
    while done.load(Ordering::SeqCst) < 2 {
        thread::sleep(Duration::from_millis(20));
        let idle_for = epoch.elapsed().saturating_sub(Duration::from_nanos(last_activity.load(Ordering::SeqCst)));
        if idle_for > idle {
            // As the server's idle timeout: both sides see the connection end.
            let _ = client.shutdown(Shutdown::Both);
            let _ = server.shutdown(Shutdown::Both);
            break;
        }
    }
    for pump in pumps {
        let _ = pump.join();
    }
}

/// Copies `from` to `to`, each chunk written `one_way` after it was read, the first `first_extra` later still.
fn delayed_pipe(
    mut from: TcpStream,
    mut to: TcpStream,
    one_way: Duration,
    first_extra: Duration,
    epoch: Instant,
    last: &AtomicU64,
) {
    let (queue, due) = mpsc::channel::<(Instant, Vec<u8>)>();
    let mut writer_to = match to.try_clone() {
        Ok(to) => to,
        Err(_) => return,
    };
    let writer = thread::spawn(move || {
        for (at, bytes) in due {
            thread::sleep(at.saturating_duration_since(Instant::now()));
            if writer_to.write_all(&bytes).is_err() {
                break;
            }
        }
        let _ = writer_to.shutdown(Shutdown::Write);
    });
    let mut buf = vec![0u8; 16 * 1024];
    let mut extra = first_extra;
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                last.store(u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX), Ordering::SeqCst);
                let due = Instant::now() + one_way + std::mem::take(&mut extra);
                if queue.send((due, buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        }
    }
    drop(queue);
    let _ = writer.join();
    let _ = to.flush();
}
