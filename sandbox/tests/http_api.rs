//! The sandbox binary on loopback, driven over HTTP with a plain client: OAuth flows, token expiry, the
//! lifecycle and its state rules, rules for the next call, the state file, and HTTPS with its own CA.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const SEED_ID: &str = "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2";
const CLIENT: [(&str, &str); 2] = [("client_id", "till"), ("client_secret", "s3cret")];
const TOKEN: &str = "fixed-token";

struct Sandbox {
    child: Child,
    url: String,
    agent: ureq::Agent,
}

impl Sandbox {
    fn start(args: &[&str]) -> Sandbox {
        Sandbox::start_with_agent(args, plain_agent())
    }

    fn start_with_agent(args: &[&str], agent: ureq::Agent) -> Sandbox {
        Sandbox::start_in(Path::new("."), args, agent)
    }

    /// Started with `dir` as its working directory (where `--dev` keeps its state file).
    fn start_in(dir: &Path, args: &[&str], agent: ureq::Agent) -> Sandbox {
        let mut child = Command::new(env!("CARGO_BIN_EXE_smartx-sandbox"))
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start smartx-sandbox");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next());
            for _ in lines {}
        });
        let url = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Some(Ok(line))) => line.trim().to_owned(),
            other => {
                let _ = child.kill();
                panic!("no base URL from the sandbox {args:?}: {other:?}");
            }
        };
        Sandbox { child, url, agent }
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>, token: Option<&str>) -> (u16, String) {
        let url = format!("{}{path}", self.url);
        let auth = token.map(|t| format!("Bearer {t}"));
        let result = match method {
            "GET" => {
                let mut request = self.agent.get(&url);
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                request.call()
            }
            "DELETE" => self.agent.delete(&url).call(),
            _ => {
                let mut request = if method == "PUT" { self.agent.put(&url) } else { self.agent.post(&url) };
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                let text = body.map(|b| b.to_string()).unwrap_or_default();
                request.header("Content-Type", "application/json").send(text)
            }
        };
        let mut response = result.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().expect("a body"))
    }

    fn json(&self, method: &str, path: &str, body: Option<Value>, token: Option<&str>) -> (u16, Value) {
        let (status, text) = self.request(method, path, body, token);
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}")))
    }

    fn api(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.json(method, &format!("/api/v2/Smart/Transactions{path}"), body, Some(TOKEN))
    }

    fn control(&self, method: &str, path: &str, body: Value) -> u16 {
        self.request(method, &format!("/_sandbox/{path}"), Some(body), None).0
    }

    fn token(&self, fields: &[(&str, &str)]) -> (u16, Value) {
        let mut all = CLIENT.to_vec();
        all.extend_from_slice(fields);
        let url = format!("{}/oauth/token", self.url);
        let mut response = self.agent.post(&url).send_form(all).expect("POST /oauth/token");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().expect("a body");
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("token answer {e}: {text}")))
    }

    fn counts(&self) -> Value {
        self.json("GET", "/_sandbox/oauth/stats", None, None).1
    }

    fn create(&self, reference: &str, sum_cents: i64) -> String {
        let (status, tx) = self.api("POST", "", Some(sale(reference, sum_cents)));
        assert_eq!(status, 200, "{tx}");
        assert_eq!(tx["status"], "created");
        tx["id"].as_str().expect("an id").to_owned()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn plain_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn sale(reference: &str, sum_cents: i64) -> Value {
    json!({
        "intent": "sale", "transactionRef": reference, "merchantRef": "Kasse 1",
        "basket": {"products": [{"id": 1, "desc": "Ware", "quantity": 1, "priceOne": sum_cents, "tax": 19}]},
        "basket_info": {"sum": sum_cents, "currency": "EUR"},
    })
}

fn temp_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join(format!("{name}-{}-{:?}", std::process::id(), Instant::now()).replace([' ', ':', '.'], "_"))
}

#[test]
fn client_credentials_refresh_and_expiry() {
    let sandbox = Sandbox::start(&["--client", "till:s3cret", "--token-lifetime-ms", "600"]);
    let (status, answer) = sandbox.token(&[("grant_type", "client_credentials")]);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["expires_in"], 1);
    let token = answer["access_token"].as_str().unwrap().to_owned();
    let refresh = answer["refresh_token"].as_str().unwrap().to_owned();
    let read = |token: &str| sandbox.json("GET", &format!("/api/v2/Smart/Transactions/{SEED_ID}"), None, Some(token));
    assert_eq!(read(&token).0, 200);
    let (status, error) = read("never-issued");
    assert_eq!((status, error["code"].as_i64()), (401, Some(2003)), "{error}");

    thread::sleep(Duration::from_millis(700));
    let (status, error) = read(&token);
    assert_eq!(status, 401, "an expired token: {error}");
    assert_eq!(error["error"], "ProductNotAllowedException");

    let (status, renewed) = sandbox.token(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]);
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(renewed["refresh_token"], refresh.as_str(), "no new refresh token");
    let fresh = renewed["access_token"].as_str().unwrap().to_owned();
    assert_eq!(read(&fresh).0, 200);

    assert_eq!(sandbox.control("PUT", "oauth/reject_status", json!({"status": 403})), 204);
    assert_eq!(sandbox.control("POST", "oauth/expire", json!({"refresh_tokens": true})), 204);
    let (status, error) = read(&fresh);
    assert_eq!((status, error["code"].as_i64()), (403, Some(2003)));
    let (status, error) = sandbox.token(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]);
    assert_eq!((status, error["error"].as_str()), (400, Some("invalid_grant")));

    // JSON bodies work too; a wrong secret does not.
    let url = format!("{}/oauth/token", sandbox.url);
    let body = json!({"grant_type": "client_credentials", "client_id": "till", "client_secret": "wrong"});
    let mut response = sandbox.agent.post(&url).send_json(&body).unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let text = response.body_mut().read_to_string().unwrap();
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["error"], "invalid_client");

    let counts = sandbox.counts();
    assert_eq!((counts["client_credentials"].as_u64(), counts["refresh_token"].as_u64()), (Some(2), Some(2)));
}

#[test]
fn device_flow_pending_slow_down_confirm_and_expiry() {
    let sandbox =
        Sandbox::start(&["--client", "till:s3cret", "--device-interval-ms", "1500", "--device-expires-ms", "5000"]);
    let (status, step1) = sandbox.token(&[("grant_type", "device"), ("uuid", "/vendor/acme/cashier/till-7")]);
    assert_eq!(status, 200, "{step1}");
    assert_eq!(step1["interval"], 1.5);
    let code = step1["device_code"].as_str().unwrap().to_owned();
    let poll = || sandbox.token(&[("grant_type", "device"), ("code", &code)]);

    let (status, pending) = poll();
    assert_eq!((status, pending["error"].as_str()), (401, Some("authorization_pending")));
    let (_, fast) = poll();
    // A second poll right away is well inside 90 % of the 1.5 s interval, even on a busy machine.
    assert_eq!(fast["error"], "slow_down", "polled at once");
    thread::sleep(Duration::from_millis(1550));
    assert_eq!(sandbox.control("POST", "oauth/slow_down", json!({"polls": 1})), 204);
    assert_eq!(poll().1["error"], "slow_down", "on demand");
    thread::sleep(Duration::from_millis(1550));
    let user_code = step1["user_code"].as_str().unwrap();
    let (status, text) =
        sandbox.request("POST", "/_sandbox/oauth/confirm", Some(json!({"user_code": user_code})), None);
    assert_eq!((status, text.as_str()), (200, "{\"confirmed\":1}"));
    let (status, token) = poll();
    assert_eq!(status, 200, "{token}");
    assert!(token["access_token"].is_string() && token["refresh_token"].is_string());

    let (_, step1) = sandbox.token(&[("grant_type", "device"), ("uuid", "/till-8")]);
    let late_code = step1["device_code"].as_str().unwrap().to_owned();
    thread::sleep(Duration::from_millis(5100));
    let (status, expired) = sandbox.token(&[("grant_type", "device"), ("code", &late_code)]);
    assert_eq!((status, expired["error"].as_str()), (400, Some("expired_token")));
    assert_eq!(sandbox.counts()["device_poll"], 5);
}

#[test]
fn device_codes_confirm_themselves_after_n_polls() {
    let sandbox = Sandbox::start(&["--device-interval-ms", "50", "--device-auto-confirm", "2"]);
    let default_client = [("client_id", "sandbox-client"), ("client_secret", "sandbox-secret")];
    let url = format!("{}/oauth/token", sandbox.url);
    let ask = |extra: &[(&str, &str)]| {
        let mut fields = default_client.to_vec();
        fields.extend_from_slice(extra);
        let mut response = sandbox.agent.post(&url).send_form(fields).unwrap();
        let text = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), serde_json::from_str::<Value>(&text).unwrap())
    };
    let (_, step1) = ask(&[("grant_type", "device"), ("uuid", "u")]);
    let code = step1["device_code"].as_str().unwrap().to_owned();
    assert_eq!(ask(&[("grant_type", "device"), ("code", &code)]).0, 401);
    thread::sleep(Duration::from_millis(60));
    assert_eq!(ask(&[("grant_type", "device"), ("code", &code)]).0, 200);
}

#[test]
fn the_lifecycle_and_its_state_rules() {
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    // The seed's cash start is the fixture, byte for byte.
    let (status, text) =
        sandbox.request("POST", &format!("/api/v2/Smart/Transactions/{SEED_ID}/start/cash"), None, Some(TOKEN));
    assert_eq!(status, 200);
    assert_eq!(text, include_str!("../../fixtures/start-cash-response.json"));
    let (status, again) = sandbox.api("POST", &format!("/{SEED_ID}/start/cash"), None);
    assert_eq!((status, again["status"].as_str(), again["code"].as_i64()), (400, Some("error"), Some(1400)));

    let mut wrong = sale("R-0", 100);
    wrong["basket_info"]["sum"] = json!(99);
    assert_eq!(sandbox.api("POST", "", Some(wrong)).0, 400);

    let id = sandbox.create("Belegnr. 1", 530);
    let (_, read) = sandbox.api("GET", &format!("/{id}"), None);
    assert_eq!(read["basket_info"]["sum"], 530);
    let (_, pre) = sandbox.api("POST", &format!("/{id}/preTransaction"), None);
    assert_eq!(pre, json!({"missing_sum": 530, "bonus_products": []}));
    let (status, updated) = sandbox.api("PUT", &format!("/{id}"), Some(sale("Belegnr. 1", 700)));
    assert_eq!((status, updated["basket_info"]["sum"].as_i64()), (200, Some(700)));
    let (_, paid) = sandbox.api("POST", &format!("/{id}/start/cash"), None);
    assert_eq!((paid["status"].as_str(), paid["payment_method"].as_str()), (Some("ok"), Some("cash")));
    assert_eq!(sandbox.api("PUT", &format!("/{id}"), Some(sale("x", 1))).0, 400, "update after start");
    assert_eq!(sandbox.api("POST", &format!("/{id}/abort"), None).0, 400, "abort after start");
    let (_, cancelled) = sandbox.api("POST", &format!("/{id}/cancel"), None);
    assert_eq!(cancelled["status"], "cancelled");

    let never = sandbox.create("Belegnr. 2", 100);
    assert_eq!(sandbox.api("POST", &format!("/{never}/cancel"), None).0, 400, "cancel before ok");
    assert_eq!(sandbox.api("POST", &format!("/{never}/abort"), None).1["status"], "aborted");
    let (status, missing) = sandbox.api("GET", "/STX_UNKNOWN", None);
    assert_eq!((status, missing["status"].as_str()), (404, Some("error")));

    let (_, list) = sandbox.api("GET", "?q=transactionRef:%22Belegnr.%201%22&count=5", None);
    assert_eq!(list["count"], 1);
    assert_eq!(list["data"][0]["id"], id.as_str());
    assert!(list["scroll_id"].is_string());
    let (_, page) = sandbox.api("GET", "?count=1&offset=1", None);
    assert_eq!((page["count"].as_u64(), page["data"].as_array().map(Vec::len)), (Some(3), Some(1)));
}

#[test]
fn card_payments_take_the_terminal_time_decline_and_reverse() {
    let sandbox = Sandbox::start(&["--token", TOKEN, "--terminal-delay-ms", "1500"]);
    let id = sandbox.create("card", 530);
    let started = Instant::now();
    let payer = {
        let url = format!("{}/api/v2/Smart/Transactions/{id}/start/cashless", sandbox.url);
        thread::spawn(move || {
            let mut response =
                plain_agent().post(&url).header("Authorization", "Bearer fixed-token").send_empty().unwrap();
            serde_json::from_str::<Value>(&response.body_mut().read_to_string().unwrap()).unwrap()
        })
    };
    // While the terminal works the transaction reads "processing" (read until the start has arrived).
    let status_seen = loop {
        let status = sandbox.api("GET", &format!("/{id}"), None).1["status"].as_str().unwrap().to_owned();
        if status != "created" {
            break status;
        }
        thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status_seen, "processing");
    let paid = payer.join().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1500));
    assert_eq!(paid["status"], "ok");
    assert_eq!(paid["receipt_merchant_print"], true);
    let number = paid["receipt_number"].as_u64().unwrap();

    let declined = sandbox.create("declined", 100);
    let behaviour = json!({"mode": "terminal", "delay_ms": 0, "decline": true});
    assert_eq!(sandbox.control("PUT", &format!("transactions/{declined}/behaviour"), behaviour), 204);
    let (_, failed) = sandbox.api("POST", &format!("/{declined}/start/cashless"), None);
    assert_eq!(failed["status"], "failed");
    assert!(failed["receipt"].to_string().contains("Karte abgelehnt"));
    assert_eq!(failed["receipt_number"].as_u64(), Some(number + 1));

    let (_, reversed) = sandbox.api("POST", &format!("/{number}/canceltrx"), None);
    assert_eq!(reversed["status"], "cancelled");
    let direct = json!({"tid": "52500123", "trace": "77", "cardtype": "girocard"});
    let (_, settled) =
        sandbox.api("POST", &format!("/{}/start/cashless_direct", sandbox.create("kept", 250)), Some(direct));
    assert_eq!(settled["status"], "ok");
    let started = Instant::now();
    let (status, eod) = sandbox.api("POST", "/me/endOfDay", None);
    assert_eq!(status, 200, "{eod}");
    assert_eq!(eod["receipt"][1]["value"]["value"], "1", "the one card payment still paid: {eod}");
    let settled_number = settled["receipt_number"].as_u64().unwrap();
    assert_eq!(sandbox.api("POST", &format!("/{settled_number}/canceltrx"), None).0, 400, "settled by the end of day");
    assert!(started.elapsed() >= Duration::from_millis(1500), "end of day waits for the terminal");
    assert_eq!(sandbox.api("POST", "/me/diagnosis", None).1["status"], "ok");
    assert_eq!(sandbox.api("POST", "/SDV_OTHER/endOfDay", None).0, 404);

    let (status, direct) = sandbox.api(
        "POST",
        &format!("/{}/start/cashless_direct", sandbox.create("direct", 5)),
        Some(json!({"tid": "1"})),
    );
    assert_eq!(status, 400, "cashless_direct needs tid, trace and cardtype: {direct}");
}

#[test]
fn rules_set_the_behaviour_of_the_next_call_of_a_path() {
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let count = || sandbox.api("GET", "", None).1["count"].as_u64().unwrap();
    let rule = json!({"method": "POST", "path": "/api/v2/Smart/Transactions", "behaviour": {"mode": "reset_before"}});
    assert_eq!(sandbox.control("POST", "rules", rule), 204);
    let url = format!("{}/api/v2/Smart/Transactions", sandbox.url);
    let lost = sandbox.agent.post(&url).header("Authorization", "Bearer fixed-token").send(sale("lost", 1).to_string());
    assert!(lost.is_err(), "the connection is reset");
    assert_eq!(count(), 1, "lost before executing: nothing created");

    let rule = json!({"path": "/api/v2/Smart/Transactions", "method": "POST", "behaviour": {"mode": "reset"}});
    assert_eq!(sandbox.control("POST", "rules", rule), 204);
    let lost = sandbox.agent.post(&url).header("Authorization", "Bearer fixed-token").send(sale("lost", 1).to_string());
    assert!(lost.is_err());
    assert_eq!(count(), 2, "lost after executing: created");

    let rule = json!({"path": "/api/v2/Smart/Transactions/me/endOfDay", "times": 0, "behaviour": {"mode": "error", "status": 503}});
    assert_eq!(sandbox.control("POST", "rules", rule), 204);
    for _ in 0..2 {
        assert_eq!(sandbox.api("POST", "/me/endOfDay", None).0, 503);
    }
    assert_eq!(sandbox.control("DELETE", "rules", json!({})), 204);
    assert_eq!(sandbox.api("POST", "/me/endOfDay", None).0, 200);
}

/// The development preset: any bearer token, plain HTTP on loopback, and the transactions kept in
/// ./smartx-sandbox.state.json across a restart (here on a free port instead of 8080).
#[test]
fn dev_preset_accepts_any_token_and_keeps_a_payment_across_a_restart() {
    let dir = temp_path("dev");
    std::fs::create_dir_all(&dir).unwrap();
    let token = "any-token-of-a-developer";
    let id = {
        let sandbox = Sandbox::start_in(&dir, &["--dev", "--port", "0"], plain_agent());
        assert!(sandbox.url.starts_with("http://127.0.0.1:"), "{}", sandbox.url);
        let (status, created) =
            sandbox.json("POST", "/api/v2/Smart/Transactions", Some(sale("Beleg dev", 290)), Some(token));
        assert_eq!(status, 200, "{created}");
        let id = created["id"].as_str().expect("an id").to_owned();
        let path = format!("/api/v2/Smart/Transactions/{id}/start/cash");
        let (status, paid) = sandbox.json("POST", &path, None, Some(token));
        assert_eq!((status, paid["status"].as_str()), (200, Some("ok")), "{paid}");
        id
    };
    assert!(dir.join("smartx-sandbox.state.json").is_file(), "no state file beside it in {}", dir.display());
    let sandbox = Sandbox::start_in(&dir, &["--dev", "--port=0"], plain_agent());
    let (status, read) = sandbox.json("GET", &format!("/api/v2/Smart/Transactions/{id}"), None, Some("another-token"));
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["status"], "ok");
    assert_eq!(read["transactionRef"], "Beleg dev");
    drop(sandbox);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_state_file_keeps_transactions_across_restarts() {
    let state = temp_path("state.json");
    let state_arg = state.to_str().unwrap().to_owned();
    let id = {
        let sandbox = Sandbox::start(&["--token", TOKEN, "--state", &state_arg]);
        let id = sandbox.create("kept", 250);
        assert_eq!(sandbox.api("POST", &format!("/{id}/start/cash"), None).1["status"], "ok");
        id
    };
    let sandbox = Sandbox::start(&["--token", TOKEN, "--state", &state_arg]);
    let (status, tx) = sandbox.api("GET", &format!("/{id}"), None);
    assert_eq!((status, tx["status"].as_str(), tx["transactionRef"].as_str()), (200, Some("ok"), Some("kept")));
    drop(sandbox);
    let _ = std::fs::remove_file(&state);
}

#[test]
fn https_is_trusted_with_the_written_ca_only() {
    let ca = temp_path("ca.pem");
    let ca_arg = ca.to_str().unwrap().to_owned();
    let sandbox = Sandbox::start(&["--tls", "--ca-out", &ca_arg]);
    assert!(sandbox.url.starts_with("https://127.0.0.1:"), "{}", sandbox.url);
    let pem = std::fs::read(&ca).expect("the CA file");
    let cert = ureq::tls::Certificate::from_pem(&pem).expect("a PEM certificate");
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[cert])).build();
    let trusting: ureq::Agent = ureq::Agent::config_builder().tls_config(tls).build().into();
    let stats = format!("{}/_sandbox/stats", sandbox.url);
    assert!(trusting.get(&stats).call().is_ok());
    assert!(trusting.get(stats.replace("127.0.0.1", "localhost")).call().is_ok());
    let err = plain_agent().get(&stats).call().expect_err("an unknown CA must be refused");
    assert!(format!("{err:?}").contains("UnknownIssuer"), "{err:?}");
    let _ = std::fs::remove_file(&ca);
}
