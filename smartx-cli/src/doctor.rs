//! `smartx doctor`: the way from the till to the API, one step at a time (config, dns, tcp, tls, clock, token,
//! api); the first failure stops the run and names what to do.

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Value};
use smartx::api::{self, RefQuery};
use smartx::http::diagnose::{self, Handshake, Route, Stream};
use smartx::http::ErrorKind;

use crate::out::{Failure, Report, EXIT_FAILED};
use crate::session::{Credentials, Session};
use crate::Global;

/// A clock further off than this from the server's is a warning.
const MAX_SKEW: Duration = Duration::from_secs(60);
/// A certificate that expires sooner is a warning.
const EXPIRY_WARNING_DAYS: i64 = 14;
/// The wait of each network step without `--timeout-ms`.
const DEFAULT_STEP_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Warn,
    Fail,
    Skipped,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skipped => "skipped",
        }
    }
}

/// What a step found: its status and a plain-language detail (with what to do, on failure).
struct Found {
    status: Status,
    detail: String,
}

fn ok(detail: impl Into<String>) -> Found {
    Found { status: Status::Ok, detail: detail.into() }
}

fn warn(detail: impl Into<String>) -> Found {
    Found { status: Status::Warn, detail: detail.into() }
}

fn skipped(detail: impl Into<String>) -> Found {
    Found { status: Status::Skipped, detail: detail.into() }
}

fn fail(detail: impl AsRef<str>, todo: impl AsRef<str>) -> Found {
    Found {
        status: Status::Fail,
        detail: format!("{}. What to do: {}", detail.as_ref().trim_end_matches('.'), todo.as_ref()),
    }
}

const STEPS: [&str; 7] = ["config", "dns", "tcp", "tls", "clock", "token", "api"];

/// The run so far: the steps printed, and whether one failed.
struct Run<'r> {
    report: &'r mut Report,
    steps: Vec<Value>,
    failed: Option<(&'static str, String)>,
}

impl Run<'_> {
    /// Runs step `name` (or skips it after a failure) and prints its line.
    fn step<T>(&mut self, name: &'static str, work: impl FnOnce() -> (Found, Option<T>)) -> Option<T> {
        let started = Instant::now();
        let (found, value) = if self.failed.is_some() {
            (skipped("not run: an earlier step failed"), None)
        } else {
            crate::out::waiting(&format!("doctor: {name}"), work)
        };
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        if found.status == Status::Fail {
            self.failed = Some((name, found.detail.clone()));
        }
        self.report.line(format!("{name:<7} {:<7} {ms:>6} ms  {}", found.status.name(), found.detail));
        self.steps.push(json!({"name": name, "status": found.status.name(), "ms": ms, "detail": found.detail}));
        value
    }
}

pub fn run(global: &Global, report: &mut Report) -> Result<(), Failure> {
    let mut run = Run { report, steps: Vec::new(), failed: None };
    let wait = global.timeout_ms.map_or(DEFAULT_STEP_WAIT, |ms| Duration::from_millis(ms.into()));

    let session = run.step("config", || match Session::open(global) {
        Ok(session) => {
            let found = ok(describe_config(&session));
            (found, Some(session))
        }
        Err(failure) => (fail(&failure.message, failure.todo.as_deref().unwrap_or("correct the configuration")), None),
    });
    let route = session.as_ref().and_then(|s| Route::of(&s.settings).ok());
    let hop = route.as_ref().map(|r| r.first_hop().clone());
    let via = if route.as_ref().is_some_and(|r| r.proxy.is_some()) { "the proxy " } else { "" };

    let addrs: Option<Vec<SocketAddr>> = run.step("dns", || {
        let hop = hop.as_ref().expect("config succeeded");
        if hop.is_ip() {
            let addrs = diagnose::resolve(hop, wait).unwrap_or_default();
            return (skipped(format!("{via}{} is an IP address: nothing to look up", hop.host)), Some(addrs));
        }
        match diagnose::resolve(hop, wait) {
            Ok(addrs) => {
                let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
                (ok(format!("{via}{} is {}", hop.host, shown.join(", "))), Some(addrs))
            }
            Err(e) => (
                fail(
                    e.message,
                    "check the host name in --base-url (or --proxy), the till's DNS server and its network cable or Wi-Fi",
                ),
                None,
            ),
        }
    });

    let tcp = run.step("tcp", || {
        let (route, addrs) = (route.as_ref().expect("config succeeded"), addrs.as_deref().unwrap_or_default());
        let hop = route.first_hop();
        let mut stream = match diagnose::connect(addrs, wait) {
            Ok(stream) => stream,
            Err(e) => {
                let todo = if e.message.contains("within") {
                    format!("a firewall may drop the packets to {via}port {}: ask the network's administrator to open it, or set --proxy", hop.port)
                } else {
                    format!("nothing listens at {via}{}: check the port in --base-url (or --proxy) and that the server runs", hop.authority())
                };
                return (fail(e.message, todo), None);
            }
        };
        let peer = stream.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        if route.proxy.is_none() {
            return (ok(format!("connected to {peer}")), Some(stream));
        }
        match diagnose::tunnel(&mut stream, &route.api) {
            Ok(()) => (ok(format!("connected to the proxy {peer}; its tunnel to {} is open", route.api.authority())), Some(stream)),
            Err(e) => (fail(e.message, "ask the proxy's administrator to allow CONNECT to the API's host and port"), None),
        }
    });

    let stream: Option<Box<dyn Stream>> = run.step("tls", || {
        let (session, route) = (session.as_ref().expect("config succeeded"), route.as_ref().expect("config succeeded"));
        let tcp = tcp.expect("tcp succeeded");
        if !route.tls {
            return (skipped("plain http on loopback: no TLS"), Some(Box::new(tcp) as Box<dyn Stream>));
        }
        match diagnose::handshake(tcp, &session.settings.roots, &route.api) {
            Ok((stream, handshake)) => (describe_tls(&handshake), Some(stream)),
            Err(e) => (
                fail(
                    e.message,
                    "if the API's certificate is signed by your own CA (a test server, a TLS-inspecting proxy or firewall), pass that CA with --ca-file; check that the till's clock is right",
                ),
                None,
            ),
        }
    });

    run.step("clock", || {
        let route = route.as_ref().expect("config succeeded");
        let mut stream = stream.expect("tls succeeded");
        let date = diagnose::server_date(stream.as_mut(), &route.api);
        let found = match date {
            Ok(Some(date)) => match httpdate::parse_http_date(&date) {
                Ok(server) => compare_clocks(server, SystemTime::now()),
                Err(_) => warn(format!("the server's Date {date:?} is no date: the clock cannot be compared")),
            },
            Ok(None) => warn("the server's answer has no Date: the clock cannot be compared"),
            Err(e) => warn(format!("no answer to compare the clock with ({})", e.message)),
        };
        (found, Some(()))
    });

    run.step("token", || {
        let session = session.as_ref().expect("config succeeded");
        if session.credentials == Some(Credentials::Fixed) {
            return (skipped("a fixed token (SX_TOKEN) is used as it is: nothing to grant"), Some(()));
        }
        match session.client.authenticate() {
            Ok(()) => {
                let saved = session.save_renewed().err().map(|f| format!("; {}", f.message)).unwrap_or_default();
                (ok(format!("granted for {}{saved}", session.credentials.as_ref().map(Credentials::describe).unwrap_or_default())), Some(()))
            }
            Err(e) => {
                let todo = match e.kind {
                    ErrorKind::Unauthorized | ErrorKind::Api | ErrorKind::Expired => {
                        "the credentials were refused: check SX_CLIENT_ID and SX_CLIENT_SECRET with the vendor, or pair again (`smartx pair --force`)"
                    }
                    kind => crate::out::what_to_do(kind),
                };
                (fail(e.message, todo), None)
            }
        }
    });

    run.step("api", || {
        let session = session.as_ref().expect("config succeeded");
        let query = RefQuery::transaction_ref("smartx-doctor").expect("a valid reference");
        let answer = api::list(&session.client, &query, 1, 0);
        let _ = session.save_renewed();
        match answer.into_result() {
            Ok(_) => (ok("GET /api/v2/Smart/Transactions?count=1 answered: the API takes this till's calls"), Some(())),
            Err(e) => {
                let todo = match e.kind {
                    ErrorKind::Unauthorized => "the token was refused: check SX_TOKEN, or the client's rights with the vendor",
                    ErrorKind::Connect | ErrorKind::OutcomeUnknown => "the API did not answer in time: try again later, or with a larger --timeout-ms; if it stays, call the vendor",
                    kind => crate::out::what_to_do(kind),
                };
                (fail(e.message, todo), None)
            }
        }
    });

    debug_assert_eq!(run.steps.iter().map(|s| s["name"].as_str().unwrap_or("")).collect::<Vec<_>>(), STEPS);
    let failed = run.failed.take();
    run.report.field("steps", Value::Array(std::mem::take(&mut run.steps)));
    match failed {
        None => Ok(()),
        Some((name, detail)) => Err(Failure::new(name, format!("the {name} step failed: {detail}")).exit(EXIT_FAILED)),
    }
}

fn describe_config(session: &Session) -> String {
    let s = &session.settings;
    let proxy = s.proxy.as_ref().map_or("no proxy".to_owned(), |_| "a proxy".to_owned());
    let credentials = session.credentials.as_ref().map(Credentials::describe).unwrap_or_default();
    format!("base URL {}, {proxy}, credentials: {credentials}", s.base.as_str())
}

fn compare_clocks(server: SystemTime, local: SystemTime) -> Found {
    let (ahead, by) = match server.duration_since(local) {
        Ok(by) => (true, by),
        Err(e) => (false, e.duration()),
    };
    let seconds = by.as_secs();
    let side = if ahead { "ahead of" } else { "behind" };
    if by > MAX_SKEW {
        warn(format!(
            "the server's clock is {seconds} s {side} this till's: set the till's clock (NTP); tokens and certificates are judged by it"
        ))
    } else {
        ok(format!("the server's clock is within {seconds} s of this till's"))
    }
}

fn describe_tls(handshake: &Handshake) -> Found {
    let mut certificates = Vec::new();
    let mut soonest: Option<i64> = None;
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    for der in &handshake.chain {
        match x509_parser::parse_x509_certificate(der) {
            Ok((_, cert)) => {
                let days = (cert.validity().not_after.timestamp() - now) / 86_400;
                soonest = Some(soonest.map_or(days, |s| s.min(days)));
                certificates.push(format!("{} issued by {} ({days} days left)", cert.subject(), cert.issuer()));
            }
            Err(_) => certificates.push("a certificate that cannot be read".into()),
        }
    }
    let detail = format!("{}, chain: {}", handshake.protocol, certificates.join("; "));
    match soonest {
        Some(days) if days < EXPIRY_WARNING_DAYS => {
            warn(format!("{detail}: a certificate expires in {days} days; tell the vendor"))
        }
        _ => ok(detail),
    }
}
