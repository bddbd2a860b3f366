//! The test support's helpers for the sandbox's control API work against the real binary, so the C ABI tests
//! that lean on them (token counts, device confirmation, expiry, the CA file, rules) can trust them.

use crate::support;

use serde_json::json;
use support::{Sandbox, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SEED_ID};

fn grant(sandbox: &Sandbox, extra: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let mut fields = vec![("client_id", DEFAULT_CLIENT_ID), ("client_secret", DEFAULT_CLIENT_SECRET)];
    fields.extend_from_slice(extra);
    sandbox.oauth_token(&fields)
}

#[test]
fn token_helpers_count_confirm_and_expire() {
    let client = format!("{DEFAULT_CLIENT_ID}:{DEFAULT_CLIENT_SECRET}");
    let sandbox = Sandbox::start(&["--client", &client, "--device-interval-ms", "200"]);
    let (status, token) = grant(&sandbox, &[("grant_type", "client_credentials")]);
    assert_eq!(status, 200, "{token}");
    let access = token["access_token"].as_str().unwrap().to_owned();
    assert_eq!(sandbox.token_requests("client_credentials"), 1);
    assert_eq!(sandbox.read_back(SEED_ID, &access)["status"], "created");

    sandbox.expire_tokens(false);
    let path = format!("/api/v2/Smart/Transactions/{SEED_ID}");
    assert_eq!(sandbox.http("GET", &path, None, Some(&access)).0, 401);
    sandbox.set_reject_status(403);
    assert_eq!(sandbox.http("GET", &path, None, Some(&access)).0, 403);

    let (_, step1) = grant(&sandbox, &[("grant_type", "device"), ("uuid", "/till")]);
    let code = step1["device_code"].as_str().unwrap().to_owned();
    sandbox.slow_down_polls(1);
    assert_eq!(grant(&sandbox, &[("grant_type", "device"), ("code", &code)]).1["error"], "slow_down");
    assert_eq!(sandbox.confirm_device(step1["user_code"].as_str()), 1);
    std::thread::sleep(std::time::Duration::from_millis(250));
    assert_eq!(grant(&sandbox, &[("grant_type", "device"), ("code", &code)]).0, 200);
    assert_eq!(sandbox.token_counts()["device_poll"], 2);
}

#[test]
fn rules_and_the_ca_file() {
    let sandbox = Sandbox::start_tls(&["--token", "t"]);
    let pem = std::fs::read_to_string(sandbox.ca_file()).expect("the CA file");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");

    sandbox.set_next_behaviour("GET", "/api/v2/Smart/Transactions/", json!({"mode": "empty", "status": 502}));
    let path = format!("/api/v2/Smart/Transactions/{SEED_ID}");
    assert_eq!(sandbox.http("GET", &path, None, Some("t")), (502, String::new()));
    assert_eq!(sandbox.http("GET", &path, None, Some("t")).0, 200, "used up by one call");
    sandbox.set_rule(None, "/api/", 0, json!({"mode": "html"}));
    assert_eq!(sandbox.http("GET", &path, None, Some("t")).0, 500);
    sandbox.clear_rules();
    assert_eq!(sandbox.http("GET", &path, None, Some("t")).0, 200);
}
