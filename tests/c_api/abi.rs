//! Every row of the result-code table produced for real through the C ABI: tests/data/c/driver.c
//! makes one sx_start_cash call against a smartx-sandbox, and these tests assert what it saw.
//! Each test has its own sandbox, so request counters are exact.

use crate::support;

use std::ffi::OsString;
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use support::{c_program, c_program_with, closed_port, os_bytes, run, Sandbox, Values};

/// A recognisable token: no output of any call may contain it.
const TOKEN: &str = "tok-C-ABI-SECRET-93f1d2e7";
const WRONG_TOKEN: &str = "tok-WRONG-SECRET-55aa01";
const RUN_LIMIT: Duration = Duration::from_secs(60);

fn sandbox() -> Sandbox {
    Sandbox::start(&["--token", TOKEN])
}

/// One run of tests/data/c/driver.c.
struct Driver {
    base_url: OsString,
    id: OsString,
    token: OsString,
    cap: String,
    timeouts: Option<(u32, u32)>,
    env: Vec<(String, String)>,
}

fn driver(base_url: &str, id: &str, token: &str) -> Driver {
    Driver {
        base_url: base_url.into(),
        id: id.into(),
        token: token.into(),
        cap: "65536".into(),
        timeouts: None,
        env: Vec::new(),
    }
}

impl Driver {
    fn id_bytes(mut self, id: OsString) -> Self {
        self.id = id;
        self
    }

    fn token_bytes(mut self, token: OsString) -> Self {
        self.token = token;
        self
    }

    fn cap(mut self, cap: &str) -> Self {
        self.cap = cap.into();
        self
    }

    fn timeouts(mut self, connect_ms: u32, total_ms: u32) -> Self {
        self.timeouts = Some((connect_ms, total_ms));
        self
    }

    fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    fn run(self) -> Values {
        let mut command = Command::new(c_program("driver"));
        command.arg(&self.base_url).arg(&self.id).arg(&self.token).arg(&self.cap);
        if let Some((connect_ms, total_ms)) = self.timeouts {
            command.arg(connect_ms.to_string()).arg(total_ms.to_string());
        }
        for (key, value) in &self.env {
            command.env(key, value);
        }
        let done = run(&mut command, RUN_LIMIT);
        assert_eq!(done.code(), 0, "the driver failed:\n{}", done.output());
        let values = done.values();
        assert_clean(&values);
        values
    }
}

/// The token never appears in anything the library handed out (message, body, last response).
fn assert_clean(values: &Values) {
    for token in [TOKEN, WRONG_TOKEN] {
        assert!(!values.output.contains(token), "the token {token} leaked:\n{}", values.output);
    }
    assert_eq!(values.num("guard_intact"), 1, "written past out_cap:\n{}", values.output);
}

fn assert_result(values: &Values, code: u64, name: &str) {
    assert_eq!(values.num("result"), code, "want {name}:\n{}", values.output);
    assert_eq!(values.raw("name"), name, "{}", values.output);
}

/// For outcomes with nothing sent: no status, no body, a message.
fn assert_nothing_received(values: &Values) {
    assert_eq!(values.int("http_status"), 0, "{}", values.output);
    assert_eq!(values.num("out_len"), 0, "{}", values.output);
    assert_eq!(values.num("last_response_len"), 0, "{}", values.output);
    assert!(!values.text("message").is_empty(), "no error message:\n{}", values.output);
}

/// The answer body was written to out_buf and equals sx_last_response.
fn written_body(values: &Values) -> Value {
    assert_eq!(values.num("buffer_written"), 1, "body not written:\n{}", values.output);
    assert_eq!(values.num("buffer_matches_last_response"), 1, "{}", values.output);
    let body = values.text("body");
    assert_eq!(values.num("out_len"), body.len() as u64, "{}", values.output);
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("body is not JSON ({e}):\n{}", values.output))
}

fn message(values: &Values) -> String {
    values.text("message")
}

#[test]
fn ok_writes_the_answer_and_sends_both_auth_headers() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let before = sandbox.api_requests();

    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 0, "SX_OK");
    assert_eq!(values.num("set_base_url_result"), 0, "{}", values.output);
    assert_eq!(values.int("http_status"), 200, "{}", values.output);
    assert_eq!(message(&values), "", "success leaves no error message");
    let body = written_body(&values);
    assert_eq!(values.num("last_response_len"), values.num("out_len"));
    assert_eq!(body["id"], json!(id));
    assert_eq!(body["status"], json!("ok"));
    assert_eq!(body["payment_method"], json!("cash"));

    assert_eq!(sandbox.api_requests() - before, 1, "exactly one request");
    let requests = sandbox.requests(&id);
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = &requests[0];
    assert_eq!(request["method"], json!("POST"));
    assert_eq!(request["path"], json!(format!("/api/v2/Smart/Transactions/{id}/start/cash")));
    assert_eq!(request["authorization"], json!("valid"), "{request}");
    assert_eq!(request["authenticate"], json!("valid"), "{request}");
    assert_eq!(request["user_agent"], json!(format!("smartx/{}", env!("CARGO_PKG_VERSION"))));
    assert_eq!(request["accept"], json!("application/json"), "{request}");
    assert_eq!(sandbox.read_back(&id, TOKEN)["status"], json!("ok"));
}

#[test]
fn null_id_or_token_sends_nothing() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    for (null_id, null_token) in [(true, false), (false, true)] {
        let values =
            driver(&sandbox.base_url, if null_id { "@NULL" } else { &id }, if null_token { "@NULL" } else { TOKEN })
                .run();
        assert_result(&values, 1, "SX_ERR_NULL_ARGUMENT");
        assert_nothing_received(&values);
    }
    assert_eq!(sandbox.api_requests(), 0, "nothing may be sent");
    assert!(sandbox.requests(&id).is_empty());
}

#[test]
fn invalid_id_or_token_sends_nothing() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let bad_ids: Vec<OsString> = vec![
        "STX/../x".into(),
        "STX 1".into(),
        "".into(),
        "A".repeat(129).into(),
        os_bytes(b"STX_\xff\xfe"),
        "STX_\u{e4}".into(),
    ];
    for bad_id in bad_ids {
        let values = driver(&sandbox.base_url, "x", TOKEN).id_bytes(bad_id.clone()).run();
        assert_result(&values, 2, "SX_ERR_INVALID_ARGUMENT");
        assert_nothing_received(&values);
    }
    let bad_tokens: Vec<OsString> = vec![
        format!("{TOKEN}\r\nX-Injected: 1").into(),
        format!("{TOKEN}\n").into(),
        format!("{TOKEN} x").into(),
        "".into(),
        format!("{TOKEN}{}", "x".repeat(4097 - TOKEN.len())).into(),
        os_bytes(&[TOKEN.as_bytes(), b"\xff"].concat()),
    ];
    for bad_token in bad_tokens {
        let values = driver(&sandbox.base_url, &id, "x").token_bytes(bad_token).run();
        assert_result(&values, 2, "SX_ERR_INVALID_ARGUMENT");
        assert_nothing_received(&values);
    }
    assert_eq!(sandbox.api_requests(), 0, "nothing may be sent");

    // The limits themselves pass: 128 id characters, 4096 token characters.
    let long_id = format!("STX_{}", "A".repeat(124));
    sandbox.create(json!({ "id": long_id }));
    let long_token = format!("{TOKEN}{}", "x".repeat(4096 - TOKEN.len()));
    let values = driver(&sandbox.base_url, &long_id, &long_token).run();
    assert_eq!(values.int("http_status"), 401, "a 4096-character token is sent:\n{}", values.output);
    assert_result(&values, 20, "SX_ERR_UNAUTHORIZED");
    assert!(!values.output.contains(&long_token));
}

#[test]
fn non_loopback_http_is_refused_without_any_connection() {
    for url in ["http://example.invalid:9", "http://192.0.2.1:1", "http://10.255.255.1:9"] {
        // Through sx_set_base_url, and through SX_BASE_URL (which the library reads at first use).
        let values = driver(url, "STX_NO_CONTACT", TOKEN).env("SX_BASE_URL", url).run();
        assert_eq!(values.num("set_base_url_result"), 2, "{url} accepted:\n{}", values.output);
        assert_result(&values, 2, "SX_ERR_INVALID_ARGUMENT");
        assert_nothing_received(&values);
        // Connecting to 10.255.255.1 or resolving example.invalid would take far longer.
        assert!(values.num("elapsed_ms") < 1000, "{url}: took {} ms", values.num("elapsed_ms"));

        let values = driver("@NULL", "STX_NO_CONTACT", TOKEN).env("SX_BASE_URL", url).run();
        assert_result(&values, 2, "SX_ERR_INVALID_ARGUMENT");
        assert_nothing_received(&values);
        assert!(values.num("elapsed_ms") < 1000, "{url}: took {} ms", values.num("elapsed_ms"));
    }
}

/// Two URLs that are not loopback by the contract's rule but would reach a listener on this machine if the
/// library connected: 0.0.0.0 (Linux connects it locally) and an IPv4-mapped IPv6 address. A listener that
/// is never accepted from still queues every completed handshake, so an empty queue proves no connection.
#[test]
fn non_loopback_http_that_would_reach_this_machine_is_never_contacted() {
    let listener = std::net::TcpListener::bind("0.0.0.0:0").expect("bind 0.0.0.0:0");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("local address").port();
    for url in [format!("http://0.0.0.0:{port}"), format!("http://[::ffff:127.0.0.1]:{port}")] {
        // Short timeouts: were the library to connect, the listener never answers and the call must end soon.
        let values = driver(&url, "STX_NO_CONTACT", TOKEN).env("SX_BASE_URL", &url).timeouts(500, 1000).run();
        assert_eq!(values.num("set_base_url_result"), 2, "{url} accepted:\n{}", values.output);
        match listener.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("{url}: the library connected ({other:?})"),
        }
        assert_result(&values, 2, "SX_ERR_INVALID_ARGUMENT");
    }
}

#[test]
fn base_url_from_the_environment_is_used() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let values = driver("@NULL", &id, TOKEN).env("SX_BASE_URL", &sandbox.base_url).run();
    assert_result(&values, 0, "SX_OK");
    assert_eq!(sandbox.requests(&id).len(), 1);
}

#[test]
fn buffer_too_small_keeps_the_answer_for_sx_last_response() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let values = driver(&sandbox.base_url, &id, TOKEN).cap("16").run();
    assert_result(&values, 3, "SX_ERR_BUFFER_TOO_SMALL");
    assert_eq!(values.int("http_status"), 200, "{}", values.output);
    assert_eq!(values.num("buffer_untouched"), 1, "nothing may be written:\n{}", values.output);
    let out_len = values.num("out_len");
    assert!(out_len > 16, "{}", values.output);
    assert_eq!(values.num("last_response_len"), out_len, "{}", values.output);
    let kept: Value = serde_json::from_str(&values.text("last_response")).expect("the kept answer is JSON");
    assert_eq!(kept["id"], json!(id));
    assert_eq!(kept["status"], json!("ok"));
    assert_eq!(sandbox.requests(&id).len(), 1, "the payment was sent once");

    // A size query (NULL, 0) is a payment call too: registered once, answer kept.
    let id = sandbox.create_one();
    let values = driver(&sandbox.base_url, &id, TOKEN).cap("@NULLBUF").run();
    assert_result(&values, 3, "SX_ERR_BUFFER_TOO_SMALL");
    assert!(values.num("out_len") > 0);
    assert_eq!(values.num("last_response_len"), values.num("out_len"), "{}", values.output);
    assert_eq!(sandbox.requests(&id).len(), 1);
    assert_eq!(sandbox.api_requests(), 2);
}

#[test]
fn connect_error_on_a_closed_port() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let values = driver(&url, "STX_CLOSED_PORT", TOKEN).run();
    assert_result(&values, 10, "SX_ERR_CONNECT");
    assert_nothing_received(&values);
}

#[test]
fn outcome_unknown_when_the_answer_is_late() {
    let sandbox = sandbox();
    let id = sandbox.create_with(json!({ "mode": "late", "delay_ms": 3000 }));
    let values = driver(&sandbox.base_url, &id, TOKEN).timeouts(1000, 500).run();
    assert_eq!(values.num("set_timeouts_result"), 0);
    assert_result(&values, 11, "SX_ERR_OUTCOME_UNKNOWN");
    assert_eq!(values.int("http_status"), 0, "{}", values.output);
    assert!(values.num("elapsed_ms") < 2500, "the total timeout was not applied:\n{}", values.output);
    assert!(!message(&values).is_empty());
    // Unknown is not failed: the payment was executed.
    assert_eq!(sandbox.status_after(&id, TOKEN), "ok");
}

#[test]
fn outcome_unknown_when_the_connection_is_reset() {
    let sandbox = sandbox();
    let id = sandbox.create_with(json!({ "mode": "reset" }));
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 11, "SX_ERR_OUTCOME_UNKNOWN");
    assert_eq!(values.int("http_status"), 0, "{}", values.output);
    assert_eq!(sandbox.status_after(&id, TOKEN), "ok");
}

#[test]
fn outcome_unknown_when_the_body_is_truncated() {
    let sandbox = sandbox();
    let id = sandbox.create_with(json!({ "mode": "truncate" }));
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 11, "SX_ERR_OUTCOME_UNKNOWN");
    assert_eq!(sandbox.status_after(&id, TOKEN), "ok");
    assert_eq!(sandbox.requests(&id).len(), 2, "one start, one read-back: never retried");
}

#[test]
fn tls_failure_sends_nothing() {
    let sandbox = Sandbox::start(&["--tls", "--token", TOKEN]);
    assert!(sandbox.base_url.starts_with("https://127.0.0.1:"), "{}", sandbox.base_url);
    let id = sandbox.create_one();
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 12, "SX_ERR_TLS");
    assert_nothing_received(&values);
    assert_eq!(sandbox.api_requests(), 0, "no request may get through a failed handshake");
    assert_eq!(sandbox.read_back(&id, TOKEN)["status"], json!("created"));
}

#[test]
fn unauthorized_on_401_and_on_403_with_an_auth_code() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    let values = driver(&sandbox.base_url, &id, WRONG_TOKEN).run();
    assert_result(&values, 20, "SX_ERR_UNAUTHORIZED");
    assert_eq!(values.int("http_status"), 401);
    let text = message(&values);
    for part in ["401", "ProductNotAllowedException", "Valid auth token required"] {
        assert!(text.contains(part), "{part:?} missing from the message {text:?}");
    }
    assert_eq!(written_body(&values)["status"], json!("error"));
    assert_eq!(sandbox.requests(&id)[0]["authorization"], json!("invalid"));
    assert_eq!(sandbox.read_back(&id, TOKEN)["status"], json!("created"));

    let id = sandbox.create_with(json!({
        "mode": "error", "status": 403, "code": 2003,
        "error": "ProductNotAllowedException", "details": "Valid auth token required"
    }));
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 20, "SX_ERR_UNAUTHORIZED");
    assert_eq!(values.int("http_status"), 403);
    assert!(message(&values).contains("403"), "{}", values.output);
}

#[test]
fn api_errors_name_status_error_details_and_support_id() {
    let sandbox = sandbox();
    for (status, code) in [(400, 1001), (500, 1500), (403, 1403)] {
        let id = sandbox.create_with(json!({
            "mode": "error", "status": status, "code": code,
            "error": "TestValidationException", "details": "the basket sum does not match"
        }));
        let values = driver(&sandbox.base_url, &id, TOKEN).run();
        assert_result(&values, 21, "SX_ERR_API");
        assert_eq!(values.int("http_status"), status);
        let body = written_body(&values);
        assert_eq!(body["status"], json!("error"));
        let support_id = body["supportId"].as_str().expect("a supportId in the error body");
        let text = message(&values);
        for part in [&status.to_string(), "TestValidationException", "the basket sum does not match", support_id] {
            assert!(text.contains(part), "{part:?} missing from the message {text:?}");
        }
        assert_eq!(sandbox.status_after(&id, TOKEN), "created", "an API error executes nothing");
    }
}

#[test]
fn api_error_for_an_unknown_transaction() {
    let sandbox = sandbox();
    let values = driver(&sandbox.base_url, "STX_DOES_NOT_EXIST", TOKEN).run();
    assert_result(&values, 21, "SX_ERR_API");
    assert_eq!(values.int("http_status"), 404);
}

#[test]
fn starting_twice_is_an_api_error_and_executes_once() {
    let sandbox = sandbox();
    let id = sandbox.create_one();
    assert_result(&driver(&sandbox.base_url, &id, TOKEN).run(), 0, "SX_OK");
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 21, "SX_ERR_API");
    assert_eq!(values.int("http_status"), 400);
    assert!(message(&values).contains("400"), "{}", values.output);
    assert_eq!(sandbox.requests(&id).len(), 2);
}

#[test]
fn http_errors_for_html_empty_and_redirect() {
    let sandbox = sandbox();
    let id = sandbox.create_with(json!({ "mode": "html", "status": 500 }));
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 22, "SX_ERR_HTTP");
    assert_eq!(values.int("http_status"), 500);
    assert!(message(&values).contains("500"), "{}", values.output);

    let id = sandbox.create_with(json!({ "mode": "empty", "status": 502 }));
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 22, "SX_ERR_HTTP");
    assert_eq!(values.int("http_status"), 502);
    assert_eq!(values.num("out_len"), 0);
}

#[test]
fn redirects_are_never_followed() {
    let sandbox = sandbox();
    // The redirect target accepts any token: only a request that is never sent keeps it at 0.
    let elsewhere = Sandbox::start(&[]);
    for status in [307, 302, 308] {
        let id = sandbox.create_with(json!({
            "mode": "redirect", "status": status,
            "location": format!("{}/api/v2/Smart/Transactions/{}/start/cash", elsewhere.base_url, SEED_ID_ELSEWHERE)
        }));
        let values = driver(&sandbox.base_url, &id, TOKEN).run();
        assert_result(&values, 22, "SX_ERR_HTTP");
        assert_eq!(values.int("http_status"), status);
        assert_eq!(sandbox.status_after(&id, TOKEN), "created");
    }
    assert_eq!(elsewhere.api_requests(), 0, "the token was carried to the redirect target");
}

/// The seed transaction exists in every sandbox: a followed redirect would start it.
const SEED_ID_ELSEWHERE: &str = support::SEED_ID;

#[test]
fn bad_response_for_malformed_json_and_empty_200() {
    let sandbox = sandbox();
    let id = sandbox.create_with(json!({ "mode": "malformed" }));
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 30, "SX_ERR_BAD_RESPONSE");
    assert_eq!(values.int("http_status"), 200);
    assert!(!message(&values).is_empty());

    let id = sandbox.create_with(json!({ "mode": "empty", "status": 200 }));
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 30, "SX_ERR_BAD_RESPONSE");
    assert_eq!(values.int("http_status"), 200);
    assert_eq!(values.num("out_len"), 0);
}

#[test]
fn bad_response_for_a_20_mib_body_declared_or_chunked() {
    let sandbox = sandbox();
    for declared in [true, false] {
        let id = sandbox.create_with(json!({ "mode": "huge", "mib": 20, "declared": declared }));
        let values = driver(&sandbox.base_url, &id, TOKEN).run();
        assert_result(&values, 30, "SX_ERR_BAD_RESPONSE");
        assert_eq!(values.int("http_status"), 200);
        assert!(values.num("out_len") <= 16 << 20, "more than 16 MiB kept:\n{}", values.raw("out_len"));
    }
}

#[test]
fn not_ok_still_writes_the_transaction() {
    let sandbox = sandbox();
    let id = sandbox.create_with(json!({ "mode": "failed" }));
    let values = driver(&sandbox.base_url, &id, TOKEN).run();
    assert_result(&values, 31, "SX_ERR_NOT_OK");
    assert_eq!(values.int("http_status"), 200);
    let body = written_body(&values);
    assert_eq!(body["status"], json!("failed"));
    assert_eq!(body["id"], json!(id));
    assert!(message(&values).contains("failed"), "{}", values.output);
}

#[test]
fn two_hundred_calls_from_eight_threads() {
    let sandbox = sandbox();
    let ids = sandbox.create_batch("STX_THREADS", 200);
    assert_eq!(ids.len(), 200);
    let before = sandbox.api_requests();

    let threads = c_program_with("threads", &["-pthread"]);
    let mut command = Command::new(threads);
    command.args([&sandbox.base_url, TOKEN, "STX_THREADS"]);
    let done = run(&mut command, Duration::from_secs(180));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains("total: 200 of 200 right"), "{}", done.output());
    assert!(!done.output().contains(TOKEN));
    assert_eq!(sandbox.api_requests() - before, 200, "exactly one request per call");
    for id in [&ids[0], &ids[117], &ids[199]] {
        assert_eq!(sandbox.requests(id).len(), 1, "{id}");
    }
}

/// tests/data/c/unload.c loads the library with dlopen, as a plug-in host does: sx_shutdown forgets the settings and
/// the last answer, a later call starts afresh from the environment, and the library unloads and loads again.
#[test]
fn shutdown_starts_afresh_and_the_library_unloads_and_reloads() {
    let sandbox = sandbox();
    let ids = [sandbox.create_one(), sandbox.create_one(), sandbox.create_one()];
    // Not linked with -lsmartx (--as-needed drops it, nothing refers to it): dlopen really loads and unloads.
    let unload = c_program_with("unload", &["-Wl,--as-needed"]);
    let library = support::libdir().join("libsmartx.so");
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let args = |program: &mut Command| {
        program.arg(&library).arg(&sandbox.base_url).arg(TOKEN).args(&ids).env("SX_BASE_URL", &closed);
    };

    let mut plain = Command::new(&unload);
    args(&mut plain);
    let done = run(&mut plain, RUN_LIMIT);
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stdout.contains(" passed, 0 failed"), "{}", done.output());
    let seen: Vec<usize> = ids.iter().map(|id| sandbox.requests(id).len()).collect();
    assert_eq!(seen, [1, 0, 1], "the call after sx_shutdown must go to SX_BASE_URL, not to the forgotten URL");

    // The same under valgrind, on fresh transactions: no error, no leak across unload and reload.
    let Some(mut checked) = support::valgrind() else { return };
    let ids = [sandbox.create_one(), sandbox.create_one(), sandbox.create_one()];
    checked.arg(&unload).arg(&library).arg(&sandbox.base_url).arg(TOKEN).args(&ids).env("SX_BASE_URL", &closed);
    let done = run(&mut checked, Duration::from_secs(300));
    assert_eq!(done.code(), 0, "{}", done.output());
    assert!(done.stderr.contains("ERROR SUMMARY: 0 errors"), "{}", done.output());
}
