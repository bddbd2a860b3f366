//! `smartx`, the command-line tool (smartx-cli), run as the built binary against real loopback servers: the
//! sandbox (plain and TLS), a closed port, a silent server, a server with a skewed clock. Asserts the doctor's
//! steps, the exit codes, the one JSON document, receipts byte for byte against `sx_receipt_render`, the token
//! file's mode, that `pay cash` asks before sending, that Ctrl-C ends a pairing cleanly, and that no secret
//! appears in any output, whole or as a 6-character piece.

// The library's test support (the sandbox process, raw servers), shared with the library's own tests.
#[path = "../../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::raw::{http_answer, RawServer, Reply};
use support::{closed_port, run, Run, Sandbox, SEED_ID};

const CLIENT_ID: &str = "cli-client";
const CLIENT_SECRET: &str = "Qx7Vb2mK4pL8nR3wZtY6";
const TOKEN: &str = "Zt5Wq8Hj3Lm6Np9Rk2Dv";
const LIMIT: Duration = Duration::from_secs(60);

fn sandbox() -> Sandbox {
    Sandbox::start(&[
        "--client",
        &format!("{CLIENT_ID}:{CLIENT_SECRET}"),
        "--token",
        TOKEN,
        "--device-interval-ms",
        "1000",
    ])
}

/// `smartx ARGS` with only the environment variables given (the SX_ ones of the caller removed).
fn smartx_command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_smartx"));
    command.args(args);
    for var in ["SX_TOKEN", "SX_CLIENT_ID", "SX_CLIENT_SECRET", "SX_BASE_URL"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    command
}

fn smartx(args: &[&str], env: &[(&str, &str)]) -> Run {
    let run = run(&mut smartx_command(args, env), LIMIT);
    assert_no_secret(&run.stdout, &[CLIENT_SECRET, TOKEN]);
    assert_no_secret(&run.stderr, &[CLIENT_SECRET, TOKEN]);
    run
}

const WITH_TOKEN: &[(&str, &str)] = &[("SX_TOKEN", TOKEN)];
const WITH_CLIENT: &[(&str, &str)] = &[("SX_CLIENT_ID", CLIENT_ID), ("SX_CLIENT_SECRET", CLIENT_SECRET)];

/// No secret, nor any 6-character piece of one, in `text`.
fn assert_no_secret(text: &str, secrets: &[&str]) {
    for secret in secrets {
        for piece in secret.as_bytes().windows(6) {
            let piece = std::str::from_utf8(piece).expect("ASCII secrets");
            assert!(!text.contains(piece), "a piece {piece:?} of a secret is in the output:\n{text}");
        }
    }
}

/// The one JSON document on stdout (nothing else there).
fn document(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!("stdout is not exactly one JSON document ({e}):\n{}\nstderr:\n{}", run.stdout, run.stderr)
    })
}

/// The doctor's steps as (name, status).
fn steps(doc: &Value) -> Vec<(String, String)> {
    doc["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            assert!(s["ms"].is_u64() && s["detail"].is_string(), "{s}");
            (s["name"].as_str().unwrap().to_owned(), s["status"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn expect_steps(doc: &Value, expected: [&str; 7]) {
    let names = ["config", "dns", "tcp", "tls", "clock", "token", "api"];
    let want: Vec<(String, String)> = names.iter().zip(expected).map(|(n, s)| (n.to_string(), s.to_string())).collect();
    assert_eq!(steps(doc), want, "{doc:#}");
}

fn detail<'d>(doc: &'d Value, name: &str) -> &'d str {
    doc["steps"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()["detail"].as_str().unwrap()
}

#[test]
fn doctor_on_the_sandbox_passes_every_step() {
    let sandbox = sandbox();
    let run = smartx(&["doctor", "--json", "--base-url", &sandbox.base_url], WITH_CLIENT);
    assert_eq!(run.code(), 0, "{}", run.output());
    let doc = document(&run);
    assert_eq!(doc["ok"], true);
    expect_steps(&doc, ["ok", "skipped", "ok", "skipped", "ok", "ok", "ok"]);
    // A fixed token is not granted: the token step is skipped, the api step still runs with it.
    let run = smartx(&["--json", "doctor", "--base-url", &sandbox.base_url], WITH_TOKEN);
    expect_steps(&document(&run), ["ok", "skipped", "ok", "skipped", "ok", "skipped", "ok"]);
    // Text: one line per step, in order.
    let run = smartx(&["doctor", "--base-url", &sandbox.base_url], WITH_TOKEN);
    let names: Vec<&str> = run.stdout.lines().map(|l| l.split_whitespace().next().unwrap_or("")).collect();
    assert_eq!(names, ["config", "dns", "tcp", "tls", "clock", "token", "api"], "{}", run.stdout);
}

#[test]
fn doctor_over_tls_shows_the_chain_and_fails_on_an_untrusted_certificate() {
    let sandbox = Sandbox::start_tls(&["--token", TOKEN]);
    let ca = sandbox.ca_file().to_str().unwrap().to_owned();
    let run = smartx(&["doctor", "--json", "--base-url", &sandbox.base_url, "--ca-file", &ca], WITH_TOKEN);
    assert_eq!(run.code(), 0, "{}", run.output());
    let doc = document(&run);
    expect_steps(&doc, ["ok", "skipped", "ok", "ok", "ok", "skipped", "ok"]);
    let tls = detail(&doc, "tls");
    assert!(
        tls.contains("TLSv1_") && tls.contains("issued by CN=smartx-sandbox test CA") && tls.contains("days left"),
        "{tls}"
    );

    // Without its CA the sandbox's certificate is untrusted: tls fails, says what to do, the rest is skipped.
    let run = smartx(&["doctor", "--json", "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 1, "{}", run.output());
    let doc = document(&run);
    assert_eq!(doc["ok"], false);
    expect_steps(&doc, ["ok", "skipped", "ok", "fail", "skipped", "skipped", "skipped"]);
    assert!(detail(&doc, "tls").contains("not trusted") && detail(&doc, "tls").contains("--ca-file"), "{doc:#}");
    assert_eq!(doc["error"]["code"], "tls", "{doc:#}");
}

#[test]
fn doctor_on_a_closed_port_fails_at_tcp() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let run = smartx(&["doctor", "--json", "--base-url", &url], WITH_TOKEN);
    assert_eq!(run.code(), 1, "{}", run.output());
    let doc = document(&run);
    expect_steps(&doc, ["ok", "skipped", "fail", "skipped", "skipped", "skipped", "skipped"]);
    assert!(detail(&doc, "tcp").contains("What to do"), "{doc:#}");
}

#[test]
fn doctor_on_a_silent_server_warns_on_the_clock_fails_the_api_and_ends_within_its_timeouts() {
    let server = RawServer::start(Reply::Silent);
    let started = Instant::now();
    let run = smartx(&["doctor", "--json", "--timeout-ms", "1000", "--base-url", &server.url("http")], WITH_TOKEN);
    let took = started.elapsed();
    assert_eq!(run.code(), 1, "{}", run.output());
    let doc = document(&run);
    expect_steps(&doc, ["ok", "skipped", "ok", "skipped", "warn", "skipped", "fail"]);
    // Two waits of 1 s (the clock's answer, the api's), and a generous margin for a busy machine.
    assert!(took < Duration::from_secs(8), "took {took:?}");
}

#[test]
fn doctor_warns_on_a_skewed_clock_but_passes() {
    let two_hours_ahead = httpdate_two_hours_ahead();
    let answer = http_answer("200 OK", &format!("Date: {two_hours_ahead}\r\n"), br#"{"count":0,"data":[]}"#);
    let server = RawServer::start(Reply::AfterRequestHead(answer));
    let run = smartx(&["doctor", "--json", "--base-url", &server.url("http")], WITH_TOKEN);
    assert_eq!(run.code(), 0, "{}", run.output());
    let doc = document(&run);
    assert_eq!(doc["ok"], true);
    expect_steps(&doc, ["ok", "skipped", "ok", "skipped", "warn", "skipped", "ok"]);
    assert!(detail(&doc, "clock").contains("ahead of"), "{doc:#}");
}

/// An HTTP date two hours from now, written without a date crate (the tests have none).
fn httpdate_two_hours_ahead() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 7200;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil from days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let name =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(month - 1) as usize];
    format!("{weekday}, {day:02} {name} {year} {:02}:{:02}:{:02} GMT", rest / 3600, rest % 3600 / 60, rest % 60)
}

#[test]
fn doctor_with_wrong_credentials_fails_at_token_without_showing_the_secret() {
    let sandbox = sandbox();
    let wrong = "Wr0ngS3cr3tXy9Pq";
    let run = smartx(
        &["doctor", "--json", "--base-url", &sandbox.base_url],
        &[("SX_CLIENT_ID", CLIENT_ID), ("SX_CLIENT_SECRET", wrong)],
    );
    assert_no_secret(&run.output(), &[wrong]);
    assert_eq!(run.code(), 1, "{}", run.output());
    let doc = document(&run);
    expect_steps(&doc, ["ok", "skipped", "ok", "skipped", "ok", "fail", "skipped"]);
    assert!(detail(&doc, "token").contains("SX_CLIENT_SECRET"), "{doc:#}");
}

#[test]
fn a_token_file_readable_by_others_is_refused_naming_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = sandbox();
    let path = scratch("mode-0644.token");
    std::fs::write(&path, "some-refresh-token\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let file = path.to_str().unwrap();
    let before = sandbox.token_counts();
    let run = smartx(&["doctor", "--json", "--token-file", file, "--base-url", &sandbox.base_url], WITH_CLIENT);
    assert_eq!(run.code(), 1, "{}", run.output());
    let doc = document(&run);
    expect_steps(&doc, ["fail", "skipped", "skipped", "skipped", "skipped", "skipped", "skipped"]);
    assert!(detail(&doc, "config").contains("0644"), "{doc:#}");
    let run = smartx(&["tx", "get", SEED_ID, "--token-file", file, "--base-url", &sandbox.base_url], WITH_CLIENT);
    assert_eq!(run.code(), 1, "{}", run.output());
    assert!(run.stderr.contains("mode 0644"), "{}", run.stderr);
    assert_eq!(sandbox.token_counts(), before, "a refused token file sent nothing");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smartx-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn pay_cash_without_a_terminal_or_yes_sends_nothing() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let before = sandbox.api_requests();
    let run = smartx(&["pay", "cash", &id, "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 2, "{}", run.output());
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    let run = smartx(&["--json", "pay", "cash", &id, "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 2);
    assert_eq!(document(&run)["error"]["code"], "usage");
    assert_eq!(sandbox.api_requests(), before, "nothing was sent");
    assert!(sandbox.requests(&id).is_empty(), "{:?}", sandbox.requests(&id));
}

/// `sx_receipt_render` of the answer `json`, through the C ABI.
fn c_render(json: &[u8], options: &smartx::sx_render_options, which: u32) -> Vec<u8> {
    c_render_copy(json, options, which, None)
}

/// `sx_receipt_render`, or with a marker `sx_receipt_render_copy`, of the answer `json`, through the C ABI.
fn c_render_copy(json: &[u8], options: &smartx::sx_render_options, which: u32, marker: Option<&str>) -> Vec<u8> {
    let marker = marker.map(|m| std::ffi::CString::new(m).unwrap());
    let mut tx = std::ptr::null_mut();
    // SAFETY: the JSON is readable for its length; `tx` is writable.
    let result = unsafe { smartx::sx_transaction_parse(json.as_ptr().cast(), json.len(), &mut tx) };
    assert_eq!(result, smartx::SX_OK);
    let render = |buf: &mut [u8], len: &mut usize| match &marker {
        // SAFETY: a live transaction, a NUL-terminated marker, `buf` writable for its length (NULL when empty).
        Some(marker) => unsafe {
            let ptr = if buf.is_empty() { std::ptr::null_mut() } else { buf.as_mut_ptr().cast() };
            smartx::sx_receipt_render_copy(tx, which, options, marker.as_ptr(), ptr, buf.len(), len)
        },
        // SAFETY: as above, without a marker.
        None => unsafe {
            let ptr = if buf.is_empty() { std::ptr::null_mut() } else { buf.as_mut_ptr().cast() };
            smartx::sx_receipt_render(tx, which, options, ptr, buf.len(), len)
        },
    };
    let mut len = 0usize;
    render(&mut [], &mut len);
    let mut buf = vec![0u8; len + 1];
    assert_eq!(render(&mut buf, &mut len), smartx::SX_OK);
    // SAFETY: the transaction parsed above, freed once.
    unsafe { smartx::sx_transaction_free(tx) };
    buf.truncate(len);
    buf
}

#[test]
fn pay_cash_then_check_and_receipts_equal_the_librarys_bytes() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let run = smartx(&["pay", "cash", &id, "--yes", "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 0, "{}", run.output());
    let (status, body) = sandbox.http("GET", &format!("/api/v2/Smart/Transactions/{id}"), None, Some(TOKEN));
    assert_eq!(status, 200);
    let text = c_render(body.as_bytes(), &smartx::sx_render_options::default(), smartx::SX_RECEIPT_CUSTOMER);
    assert!(!text.is_empty(), "a paid sandbox transaction has a receipt");
    // The pay's stdout: the verdict line, then the receipt as sx_receipt_render gives it.
    assert!(run.stdout.ends_with(std::str::from_utf8(&text).unwrap()), "{}", run.stdout);

    let run = smartx(&["tx", "check", &id, "--json", "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 0, "{}", run.output());
    assert_eq!(document(&run)["verdict"], "paid");

    // A created transaction is not paid: exit 3.
    let run = smartx(&["tx", "check", SEED_ID, "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 3, "{}", run.output());

    // The receipt command by id, text to stdout.
    let run = smartx(&["receipt", &id, "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 0, "{}", run.output());
    assert_eq!(run.stdout.as_bytes(), text.as_slice());

    // From a saved answer, ESC/POS in CP437 with a cut at 32 columns, written to a file in place.
    let answer = scratch("answer.json");
    std::fs::write(&answer, &body).unwrap();
    let out = scratch("receipt.bin");
    std::fs::write(&out, vec![b'x'; 10_000]).unwrap();
    let args = ["receipt", "--file", answer.to_str().unwrap(), "--format", "escpos", "--codepage", "cp437", "--cut"];
    let run = smartx(&[&args[..], &["--columns", "32", "--out", out.to_str().unwrap()]].concat(), &[]);
    assert_eq!(run.code(), 0, "{}", run.output());
    assert_eq!(run.stdout, "", "with --out nothing goes to stdout");
    let options = smartx::sx_render_options {
        columns: 32,
        format: smartx::SX_FORMAT_ESCPOS,
        codepage: smartx::SX_CODEPAGE_CP437,
        flags: smartx::SX_RENDER_CUT,
    };
    assert_eq!(std::fs::read(&out).unwrap(), c_render(body.as_bytes(), &options, smartx::SX_RECEIPT_CUSTOMER));

    // --merchant on a transaction without a merchant copy says so and fails.
    let tx: Value = serde_json::from_str(&body).unwrap();
    if tx["receipt_merchant"].as_array().is_none_or(|lines| lines.is_empty()) {
        let run = smartx(&["receipt", "--merchant", "--file", answer.to_str().unwrap()], &[]);
        assert_eq!(run.code(), 1, "{}", run.output());
        assert!(run.stderr.contains("no merchant copy"), "{}", run.stderr);
    }
}

#[test]
fn tx_list_keeps_exact_matches_and_json_is_one_document() {
    let sandbox = sandbox();
    let run = smartx(&["tx", "list", "--ref", "no-such-ref", "--json", "--base-url", &sandbox.base_url], WITH_CLIENT);
    assert_eq!(run.code(), 0, "{}", run.output());
    let doc = document(&run);
    assert_eq!(doc["count"], 0);
    // A usage error with --json is a JSON document too, and exit 2.
    let run = smartx(&["--json", "tx", "get"], &[]);
    assert_eq!(run.code(), 2, "{}", run.output());
    assert_eq!(document(&run)["error"]["code"], "usage");
    let run = smartx(&["--json", "tx", "get", "not an id", "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 2, "{}", run.output());
}

/// Starts `smartx pair` and waits for the line that shows the code; gives the child and that line.
fn start_pair(sandbox: &Sandbox, token_file: &Path) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut command = smartx_command(
        &["pair", "--device-uuid", "/vendor/cli/device/1", "--token-file", token_file.to_str().unwrap()],
        WITH_CLIENT,
    );
    command.args(["--base-url", &sandbox.base_url]);
    let mut child =
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start smartx pair");
    let stderr = child.stderr.take().unwrap();
    let (lines, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    (child, rx)
}

fn wait_exit(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("smartx did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn ctrl_c_cancels_a_pairing_promptly_and_saves_nothing() {
    let sandbox = sandbox();
    let token_file = scratch("cancelled.token");
    let (mut child, lines) = start_pair(&sandbox, &token_file);
    let shown = lines.recv_timeout(Duration::from_secs(30)).expect("the code is shown on stderr");
    assert!(shown.contains("Enter the code"), "{shown}");
    // SAFETY: a signal to the child this test started and has not reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let sent = Instant::now();
    let status = wait_exit(&mut child, Duration::from_secs(10));
    assert!(sent.elapsed() < Duration::from_secs(5), "Ctrl-C took {:?}", sent.elapsed());
    assert_eq!(status.code(), Some(1), "a clean exit with a failure code, not a kill by the signal");
    let rest: Vec<String> = lines.try_iter().collect();
    assert!(rest.iter().any(|l| l.contains("cancelled")), "{rest:?}");
    assert!(!token_file.exists(), "nothing was saved");
}

#[test]
fn pair_saves_a_private_token_file_that_later_commands_use_without_showing_it() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = sandbox();
    let token_file = scratch("paired.token");
    let (mut child, lines) = start_pair(&sandbox, &token_file);
    let shown = lines.recv_timeout(Duration::from_secs(30)).expect("the code is shown on stderr");
    assert!(shown.contains("Enter the code"), "{shown}");
    assert_eq!(sandbox.confirm_device(None), 1);
    let status = wait_exit(&mut child, Duration::from_secs(30));
    assert_eq!(status.code(), Some(0));
    let mode = std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let refresh = std::fs::read_to_string(&token_file).unwrap().trim().to_owned();
    assert!(refresh.len() >= 6);

    let file = token_file.to_str().unwrap();
    let run = smartx(&["doctor", "--json", "--token-file", file, "--base-url", &sandbox.base_url], WITH_CLIENT);
    assert_eq!(run.code(), 0, "{}", run.output());
    expect_steps(&document(&run), ["ok", "skipped", "ok", "skipped", "ok", "ok", "ok"]);
    assert_no_secret(&run.output(), &[&refresh]);
    let now = std::fs::read_to_string(&token_file).unwrap().trim().to_owned();
    assert_no_secret(&run.output(), &[&now]);

    // An existing token file is not overwritten without --force, and nothing is sent.
    let before = sandbox.token_counts();
    let run = smartx(
        &["pair", "--device-uuid", "/vendor/cli/device/1", "--token-file", file, "--base-url", &sandbox.base_url],
        WITH_CLIENT,
    );
    assert_eq!(run.code(), 1, "{}", run.output());
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(sandbox.token_counts(), before);
}

#[test]
fn journal_commands_list_reconcile_and_reprint() {
    use smartx::api::{self, Client, PaymentMethod};
    use smartx::http::{BaseUrl, Token, TransactionId};
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let journal = scratch("till.journal");
    {
        let client = Client::new(BaseUrl::parse(&sandbox.base_url).unwrap());
        client.use_token(Token::parse(TOKEN.as_bytes()).unwrap());
        client.open_journal(&journal).unwrap();
        api::start(&client, TransactionId::parse(&id).unwrap(), PaymentMethod::CASH).into_result().unwrap();
    }
    let file = journal.to_str().unwrap();
    let run = smartx(&["journal", "pending", "--journal", file, "--json"], &[]);
    assert_eq!(run.code(), 0, "{}", run.output());
    assert_eq!(document(&run)["pending"], serde_json::json!([]));
    let run =
        smartx(&["journal", "reconcile", "--journal", file, "--json", "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 0, "{}", run.output());
    assert_eq!(document(&run)["still_pending"], 0);
    let run = smartx(&["journal", "reprint", "1", "--journal", file, "--marker", "*** KOPIE ***"], &[]);
    assert_eq!(run.code(), 0, "{}", run.output());
    let (_, body) = sandbox.http("GET", &format!("/api/v2/Smart/Transactions/{id}"), None, Some(TOKEN));
    let options = smartx::sx_render_options::default();
    let copy = c_render_copy(body.as_bytes(), &options, smartx::SX_RECEIPT_CUSTOMER, Some("*** KOPIE ***"));
    assert_eq!(run.stdout.as_bytes(), copy.as_slice());
    assert!(run.stdout.lines().next().is_some_and(|l| l.trim() == "*** KOPIE ***"), "{}", run.stdout);
    let run = smartx(&["journal", "reprint", "99", "--journal", file], &[]);
    assert_ne!(run.code(), 0);
}

#[test]
fn completions_and_help_exist_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = smartx(&["completions", shell], &[]);
        assert_eq!(run.code(), 0, "{shell}: {}", run.output());
        assert!(run.stdout.contains("doctor"), "{shell}");
    }
    let run = smartx(&["doctor", "--help"], &[]);
    assert_eq!(run.code(), 0);
    assert!(run.stdout.contains("--base-url") && run.stdout.contains("--timeout-ms"), "{}", run.stdout);
    let run = smartx(&["--version"], &[]);
    assert!(run.stdout.starts_with("smartx "), "{}", run.stdout);
}

#[test]
fn doctor_through_a_proxy_tunnels_tls_onwards() {
    let sandbox = Sandbox::start_tls(&["--token", TOKEN]);
    let proxy = support::proxy::ConnectProxy::start();
    let ca = sandbox.ca_file().to_str().unwrap().to_owned();
    let args = ["doctor", "--json", "--base-url", &sandbox.base_url, "--ca-file", &ca, "--proxy", &proxy.url];
    let run = smartx(&args, WITH_TOKEN);
    assert_eq!(run.code(), 0, "{}", run.output());
    let doc = document(&run);
    expect_steps(&doc, ["ok", "skipped", "ok", "ok", "ok", "skipped", "ok"]);
    assert!(detail(&doc, "dns").contains("the proxy"), "{doc:#}");
    assert!(detail(&doc, "tcp").contains("tunnel"), "{doc:#}");
    // The doctor's own tunnel and the api call's: both through the proxy, to the sandbox.
    let target = format!("CONNECT 127.0.0.1:{} HTTP/1.1", sandbox.port());
    assert!(proxy.connects().len() >= 2 && proxy.connects().iter().all(|c| *c == target), "{:?}", proxy.connects());
}

#[test]
fn pay_cash_after_a_lost_answer_reads_back_once_and_never_repeats_the_start() {
    let sandbox = sandbox();
    let starts = |id: &str| sandbox.requests(id).iter().filter(|r| r.to_string().contains("/start/")).count();

    // Executed, answer lost: the read-back says paid, exit 0, the receipt is printed.
    let paid = sandbox.create_one();
    sandbox.set_next_behaviour(
        "POST",
        &format!("/api/v2/Smart/Transactions/{paid}/start"),
        serde_json::json!({"mode": "reset"}),
    );
    let run = smartx(&["pay", "cash", &paid, "--yes", "--json", "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 0, "{}", run.output());
    let doc = document(&run);
    assert_eq!(doc["verdict"], "paid", "{doc:#}");
    assert!(doc["answer_lost"].is_string() && doc["receipt"].is_string(), "{doc:#}");
    assert_eq!(starts(&paid), 1, "{:?}", sandbox.requests(&paid));

    // Not executed, answer lost: the read-back says created, exit 3 (paying again is safe), nothing repeated.
    let not_paid = sandbox.create_one();
    sandbox.set_next_behaviour(
        "POST",
        &format!("/api/v2/Smart/Transactions/{not_paid}/start"),
        serde_json::json!({"mode": "reset_before"}),
    );
    let run = smartx(&["pay", "cash", &not_paid, "--yes", "--base-url", &sandbox.base_url], WITH_TOKEN);
    assert_eq!(run.code(), 3, "{}", run.output());
    assert!(run.stdout.contains("starting the payment again is safe"), "{}", run.stdout);
    assert!(starts(&not_paid) <= 1, "{:?}", sandbox.requests(&not_paid));
}

#[test]
fn doctor_fails_at_dns_for_a_name_that_cannot_be_found() {
    let run = smartx(&["doctor", "--json", "--base-url", "https://api.till.invalid"], WITH_TOKEN);
    assert_eq!(run.code(), 1, "{}", run.output());
    let doc = document(&run);
    expect_steps(&doc, ["ok", "fail", "skipped", "skipped", "skipped", "skipped", "skipped"]);
    assert!(detail(&doc, "dns").contains("was not found") && detail(&doc, "dns").contains("What to do"), "{doc:#}");
}
