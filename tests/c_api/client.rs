//! `sx_client` through the C ABI against the sandbox: tests/data/c/client.c runs a script of steps on one client
//! and prints what each returned; these tests assert it, and what the sandbox counted. Each test has its own
//! sandbox, so its counters are exact.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::Duration;

use support::proxy::ConnectProxy;
use support::raw::{http_answer, RawServer, Reply};
use support::{c_build_dir, c_program_with, closed_port, run, Run, Sandbox, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};

const RUN_LIMIT: Duration = Duration::from_secs(90);
const CC: &str = "cc=sandbox-client,sandbox-secret";
const PAIR: &str = "pair=sandbox-client,sandbox-secret,/vendor/acme/cashier/till-7";

fn client(base_url: &str, steps: &[&str]) -> Run {
    let program = c_program_with("client", &["-pthread"]);
    run(Command::new(program).arg(base_url).args(steps), RUN_LIMIT)
}

fn ok(run: &Run, step: u32) {
    let values = run.values();
    assert_eq!(values.num(&format!("{step}.result")), 0, "step {step} failed:\n{}", run.output());
}

fn result(run: &Run, step: u32) -> u64 {
    run.values().num(&format!("{step}.result"))
}

/// A file the C program waits for; the test creates it when the sandbox is ready for the next step.
fn signal_file(name: &str) -> PathBuf {
    let path = c_build_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Runs the client program with `steps` and, once its first API request has arrived, expires every token the
/// sandbox issued and creates `ready`, which the program's `waitfile=` step waits for: the token the client holds
/// goes stale between two of its calls.
fn client_across_expiry(sandbox: &Sandbox, ready: &Path, steps: Vec<String>) -> Run {
    let base_url = sandbox.base_url.clone();
    let runner = thread::spawn(move || client(&base_url, &steps.iter().map(String::as_str).collect::<Vec<_>>()));
    while sandbox.api_requests() < 1 {
        thread::sleep(Duration::from_millis(10));
    }
    sandbox.expire_tokens(false);
    std::fs::write(ready, "").unwrap();
    runner.join().unwrap()
}

#[test]
fn client_credentials_get_one_token_for_many_calls() {
    let sandbox = Sandbox::start(&[]);
    let ids = sandbox.create_batch("STX_CC", 3);
    let cash: Vec<String> = ids.iter().map(|id| format!("cash={id}")).collect();
    let run = client(&sandbox.base_url, &[CC, &cash[0], &cash[1], &cash[2]]);
    for step in 1..=4 {
        ok(&run, step);
    }
    assert_eq!(run.values().num("2.status"), 200);
    assert_eq!(sandbox.token_requests("client_credentials"), 1, "{}", sandbox.token_counts());
    assert_eq!(sandbox.token_requests("total"), 1);
}

#[test]
fn wrong_client_credentials_are_unauthorized_and_nothing_is_paid() {
    let sandbox = Sandbox::start(&[]);
    let id = sandbox.create_one();
    let run = client(&sandbox.base_url, &["cc=sandbox-client,wrong-secret-4711", &format!("cash={id}")]);
    assert_eq!(result(&run, 2), 20, "{}", run.output());
    // The token endpoint's refusal is the thread's last HTTP status: the call's own request was never sent.
    assert_eq!(run.values().num("2.status"), 401, "{}", run.output());
    assert_eq!(sandbox.api_requests(), 0);
    assert!(!run.stdout.contains("wrong-secret-4711"), "{}", run.output());
}

#[test]
fn a_due_token_is_renewed_before_the_call() {
    // expires_in 2 s: the client renews after half of it (lifetimes under 20 s), so no call meets a 401.
    let sandbox = Sandbox::start(&["--token-lifetime-ms", "2000"]);
    let ids = sandbox.create_batch("STX_DUE", 2);
    let run = client(&sandbox.base_url, &[CC, &format!("cash={}", ids[0]), "sleep=1300", &format!("cash={}", ids[1])]);
    ok(&run, 2);
    ok(&run, 4);
    assert_eq!(sandbox.token_requests("total"), 2, "{}", sandbox.token_counts());
    assert_eq!(sandbox.requests(&ids[1]).len(), 1, "no refused request, no repeat");
}

/// The server refuses a token the client still holds for valid: one new token, the call sent once more.
fn repeat_after_refusal(reject_status: &str) {
    let sandbox = Sandbox::start(&["--reject-status", reject_status]);
    let ids = sandbox.create_batch("STX_REP", 2);
    let ready = signal_file(&format!("expired-{reject_status}"));
    let waitfile = format!("waitfile={}", ready.display());
    let steps = [CC.to_owned(), format!("cash={}", ids[0]), waitfile, format!("cash={}", ids[1])];
    let run = client_across_expiry(&sandbox, &ready, Vec::from(steps));
    ok(&run, 2);
    ok(&run, 4);
    assert_eq!(run.values().num("4.status"), 200);
    // The refused request and its single repeat; one new token.
    assert_eq!(sandbox.requests(&ids[1]).len(), 2, "{:?}", sandbox.requests(&ids[1]));
    assert_eq!(sandbox.token_requests("total"), 2, "{}", sandbox.token_counts());
    let _ = std::fs::remove_file(&ready);
}

#[test]
fn a_401_gets_a_new_token_and_one_repeat() {
    repeat_after_refusal("401");
}

#[test]
fn a_403_with_code_2003_gets_a_new_token_and_one_repeat() {
    repeat_after_refusal("403");
}

#[test]
fn a_fixed_token_is_never_repeated() {
    let sandbox = Sandbox::start(&["--token", "fixed-token-SECRET-1234"]);
    let id = sandbox.create_one();
    let run = client(&sandbox.base_url, &["log=4", "token=wrong-token-SECRET-9876", &format!("cash={id}")]);
    assert_eq!(result(&run, 3), 20, "{}", run.output());
    assert_eq!(sandbox.requests(&id).len(), 1, "one request only");
    assert_eq!(sandbox.token_requests("total"), 0);
    assert!(!run.stderr.contains("wrong-token-SECRET-9876") && !run.stdout.contains("wrong-token-SECRET"));
    let run = client(&sandbox.base_url, &["token=fixed-token-SECRET-1234", &format!("cash={id}")]);
    ok(&run, 2);
}

#[test]
fn sixteen_threads_share_one_client_across_an_expiry_with_one_token_request() {
    let sandbox = Sandbox::start(&["--token-lifetime-ms", "2000"]);
    let first = sandbox.create_one();
    sandbox.create_batch("STX_T", 16);
    let run = client(&sandbox.base_url, &[CC, &format!("cash={first}"), "sleep=2100", "threads=16,STX_T"]);
    ok(&run, 2);
    assert_eq!(run.values().num("4.ok"), 16, "{}", run.output());
    // The first token, then exactly one more for sixteen threads.
    assert_eq!(sandbox.token_requests("total"), 2, "{}", sandbox.token_counts());
}

#[test]
fn sixteen_threads_refused_at_once_get_one_new_token() {
    let sandbox = Sandbox::start(&[]);
    let first = sandbox.create_one();
    sandbox.create_batch("STX_R", 16);
    let ready = signal_file("expired-threads");
    let steps =
        [CC.to_owned(), format!("cash={first}"), format!("waitfile={}", ready.display()), "threads=16,STX_R".into()];
    let run = client_across_expiry(&sandbox, &ready, Vec::from(steps));
    assert_eq!(run.values().num("4.ok"), 16, "{}", run.output());
    assert_eq!(sandbox.token_requests("total"), 2, "{}", sandbox.token_counts());
    // No call was sent more than twice.
    for i in 0..16 {
        assert!(sandbox.requests(&format!("STX_R_{i}")).len() <= 2);
    }
    let _ = std::fs::remove_file(&ready);
}

#[test]
fn pairing_confirmed_then_paying_with_the_paired_tokens_and_the_refresh_token_next_morning() {
    let sandbox =
        Sandbox::start(&["--device-interval-ms", "200", "--device-auto-confirm", "3", "--token-lifetime-ms", "2000"]);
    let ids = sandbox.create_batch("STX_PAIR", 3);
    let run = client(&sandbox.base_url, &[PAIR, &format!("cash={}", ids[0]), "rt"]);
    ok(&run, 1);
    let values = run.values();
    assert_eq!(values.raw("1.user_code").len(), 8, "{}", run.output());
    assert_eq!(values.raw("1.url"), "http://www.secuoffice.com");
    ok(&run, 2);
    let rt = values.raw("3.rt").to_owned();
    assert_eq!(rt.len(), 40, "{}", run.output());
    assert_eq!(sandbox.token_requests("device_code"), 1);
    assert!(sandbox.token_requests("device_poll") >= 3);

    // The next morning: a new process with the stored refresh token.
    let refresh = format!("refresh={DEFAULT_CLIENT_ID},{DEFAULT_CLIENT_SECRET},{rt}");
    let run = client(&sandbox.base_url, &[&refresh, &format!("cash={}", ids[1])]);
    ok(&run, 2);
    assert_eq!(sandbox.token_requests("refresh_token"), 1, "{}", sandbox.token_counts());

    // A revoked refresh token: SX_ERR_EXPIRED, pair again.
    sandbox.expire_tokens(true);
    let run = client(&sandbox.base_url, &[&refresh, &format!("cash={}", ids[2])]);
    assert_eq!(result(&run, 2), 41, "{}", run.output());
}

#[test]
fn pairing_expires() {
    let sandbox = Sandbox::start(&["--device-interval-ms", "200", "--device-expires-ms", "1000"]);
    let run = client(&sandbox.base_url, &[PAIR]);
    assert_eq!(result(&run, 1), 41, "{}", run.output());
}

#[test]
fn pairing_is_cancelled_within_a_second_whatever_the_interval() {
    // Polls every 5 s (the default): the cancel comes in the middle of the first wait.
    let sandbox = Sandbox::start(&[]);
    let run = client(&sandbox.base_url, &["cancel_after=300", PAIR]);
    assert_eq!(result(&run, 2), 40, "{}", run.output());
    assert!(run.values().num("2.ms") < 1300, "{}", run.output());
    assert_eq!(sandbox.token_requests("device_poll"), 0);
}

#[test]
fn pairing_denied_by_the_merchant_is_unauthorized() {
    let sandbox = Sandbox::start(&["--device-interval-ms", "200"]);
    let base_url = sandbox.base_url.clone();
    let runner = thread::spawn(move || client(&base_url, &[PAIR]));
    while sandbox.token_requests("device_code") < 1 {
        thread::sleep(Duration::from_millis(10));
    }
    sandbox.deny_devices();
    let run = runner.join().unwrap();
    assert_eq!(result(&run, 1), 20, "{}", run.output());
}

#[test]
fn a_private_ca_is_trusted_only_when_given() {
    let sandbox = Sandbox::start_tls(&[]);
    let id = sandbox.create_one();
    let cash = format!("cash={id}");
    let run = client(&sandbox.base_url, &[CC, &cash]);
    assert_eq!(result(&run, 2), 12, "untrusted: SX_ERR_TLS\n{}", run.output());
    assert_eq!(sandbox.token_requests("total"), 0, "nothing was sent");
    assert_eq!(sandbox.api_requests(), 0);

    let ca = format!("ca={}", sandbox.ca_file().display());
    let run = client(&sandbox.base_url, &[&ca, CC, &cash]);
    ok(&run, 1);
    ok(&run, 3);
    assert_eq!(sandbox.requests(&id).len(), 1);
}

#[test]
fn a_ca_file_is_checked_when_added() {
    let dir = c_build_dir();
    let not_pem = dir.join(format!("not-a-cert-{}.pem", std::process::id()));
    std::fs::write(&not_pem, "hello\n").unwrap();
    let missing = format!("ca={}", dir.join("no-such-file.pem").display());
    let run = client("http://127.0.0.1:9", &[&missing, &format!("ca={}", not_pem.display())]);
    assert_eq!(result(&run, 1), 2, "{}", run.output());
    assert_eq!(result(&run, 2), 2, "{}", run.output());
    let _ = std::fs::remove_file(&not_pem);
}

#[test]
fn calls_go_through_the_proxy_when_set() {
    let sandbox = Sandbox::start_tls(&[]);
    let id = sandbox.create_one();
    let proxy = ConnectProxy::start();
    let ca = format!("ca={}", sandbox.ca_file().display());
    let run = client(&sandbox.base_url, &[&ca, &format!("proxy={}", proxy.url), CC, &format!("cash={id}")]);
    ok(&run, 4);
    let connects = proxy.connects();
    let target = format!("CONNECT 127.0.0.1:{} HTTP/1.1", sandbox.port());
    assert!(!connects.is_empty() && connects.iter().all(|c| *c == target), "{connects:?}");

    // A proxy that is not there: nothing reaches the server.
    let dead = format!("proxy=http://127.0.0.1:{}", closed_port());
    let run = client(&sandbox.base_url, &[&ca, &dead, CC, &format!("cash={id}")]);
    assert_eq!(result(&run, 4), 10, "{}", run.output());
    let run = client(&sandbox.base_url, &["proxy=https://127.0.0.1:1", "proxy=http://user:pw-SECRET@127.0.0.1:1"]);
    assert_eq!((result(&run, 1), result(&run, 2)), (2, 2), "{}", run.output());
    assert!(!run.stdout.contains("pw-SECRET"));
}

/// Proxies that misbehave before the tunnel is up: the payment is never sent, the call is `SX_ERR_CONNECT` by its
/// connect deadline, and the token is in no output. ureq's CONNECT step gives every read the same timeout, so a
/// proxy answering a byte every 0.3 s held a call with a 0.5 s connect and a 2 s total timeout for 11 s before
/// the transport cut each wait to the connect deadline. A proxy that says the tunnel is up and then closes took
/// the request: `SX_ERR_OUTCOME_UNKNOWN`.
#[test]
fn a_hostile_proxy_never_lets_the_payment_through_and_holds_the_deadlines() {
    const TOKEN: &str = "token=tok-PROXY-SECRET-8d3e1f";
    /// What the proxy does, how, and the result code that must come of it.
    type ProxyCase = (&'static str, fn() -> Reply, u64);
    let cases: [ProxyCase; 7] = [
        ("407", || Reply::AfterRequestHead(http_answer("407 Proxy Authentication Required", "", b"")), 10),
        ("502", || Reply::AfterRequestHead(http_answer("502 Bad Gateway", "", b"<html>bad gateway</html>")), 10),
        ("silent", || Reply::Silent, 10),
        ("not HTTP", || Reply::AfterRequestHead(b"ICY 200 OK\r\n\r\n".to_vec()), 10),
        (
            "10 MB header",
            || Reply::AfterRequestHead(format!("HTTP/1.1 200 OK\r\nX: {}\r\n\r\n", "x".repeat(10 << 20)).into_bytes()),
            10,
        ),
        (
            "a byte every 0.3 s",
            || {
                let body = b"HTTP/1.1 200 Connection established\r\n\r\n".to_vec();
                Reply::Trickle { head: Vec::new(), body, every: Duration::from_millis(300) }
            },
            10,
        ),
        ("up, then closed", || Reply::AfterRequestHead(b"HTTP/1.1 200 Connection established\r\n\r\n".to_vec()), 11),
    ];
    let sandbox = Sandbox::start(&[]);
    let id = sandbox.create_one();
    for (name, reply, code) in cases {
        let proxy = RawServer::start(reply());
        let steps = ["timeouts=500,2000,3000", TOKEN, &format!("proxy={}", proxy.url("http")), &format!("cash={id}")];
        let run = client(&sandbox.base_url, &steps);
        let values = run.values();
        assert_eq!(result(&run, 4), code, "{name}: {}", run.output());
        let ms = values.num("4.ms");
        let bound = if code == 10 { 500 } else { 2000 } + 4000;
        assert!(ms <= bound, "{name}: the call took {ms} ms, past its deadline and a loaded machine's margin");
        assert!(!run.output().contains("PROXY-SECRET"), "{name}: the token is in the output:\n{}", run.output());
        assert_eq!(sandbox.api_requests(), 0, "{name}: the payment went past the proxy");
    }
}

#[test]
fn the_debug_log_holds_every_request_and_no_secret() {
    let sandbox = Sandbox::start(&[
        "--device-interval-ms",
        "200",
        "--device-auto-confirm",
        "2",
        "--token-lifetime-ms",
        "2000",
        "--client",
        "till-client:client-SECRET-5b1e",
    ]);
    let ids = sandbox.create_batch("STX_LOG", 3);
    let pair = "pair=till-client,client-SECRET-5b1e,/vendor/acme/till-9";
    let ready = signal_file("expired-log");
    let steps = [
        "log=4".to_owned(),
        pair.into(),
        format!("cash={}", ids[0]),
        "rt".into(),
        format!("waitfile={}", ready.display()),
        format!("cash={}", ids[1]),
        "sleep=1100".into(),
        format!("cash={}", ids[2]),
        "cash=4111111111111111".into(),
    ];
    let run = client_across_expiry(&sandbox, &ready, Vec::from(steps));
    for step in [2, 3, 6, 8] {
        ok(&run, step);
    }
    let log: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("LOG ")).collect();
    let text = log.join("\n");
    // One info line per request, with method, path, status and time.
    assert!(log.iter().any(|l| l.starts_with("LOG 3 POST /oauth/token -> HTTP 200 after ")), "{text}");
    assert!(log
        .iter()
        .any(|l| l.contains(&format!("POST /api/v2/Smart/Transactions/{}/start/cash -> HTTP 401", ids[1]))));
    assert!(log.iter().any(|l| l.starts_with("LOG 2 ") && l.contains("refused")), "{text}");
    assert!(log.iter().any(|l| l.starts_with("LOG 4 ")), "{text}");
    // No secret: the client secret, the refresh token, and no token-shaped string (the sandbox's access
    // tokens are 26 lowercase letters and digits, device codes 32 hex digits, refresh tokens 40).
    let rt = run.values().raw("4.rt").to_owned();
    assert_eq!(rt.len(), 40);
    for secret in ["client-SECRET-5b1e", &rt, "4111111111111111", "411111111111"] {
        assert!(!text.contains(secret), "{secret} in the log:\n{text}");
    }
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let token_like = word.len() >= 26 && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        assert!(!token_like || word.starts_with("STX"), "a token-like word in the log: {word}\n{text}");
    }
    assert!(text.contains("************1111"), "a card number shows its last four only:\n{text}");
    let _ = std::fs::remove_file(&ready);
}
