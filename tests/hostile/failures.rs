//! Failures classified by where the exchange stood, answers a hostile or odd server sends, and secrets echoed
//! back: each through the C ABI (tests/data/c/driver.c) against a real loopback server, a smartx-sandbox or a
//! raw one from tests/support/raw.rs.

use crate::support;

use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::raw::{http_answer, RawServer, Reply};
use support::{c_program, run, Sandbox, Values};

const TOKEN: &str = "tok-FAIL-SECRET-7c1e5a90d2";
const SEED: &[u8] = include_bytes!("../../fixtures/start-cash-response.json");
/// The transaction SEED is about: a payment of another is not paid by it.
const SEED_ID: &str = "STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2";

/// One sx_start_cash through tests/data/c/driver.c; the output is not checked for the token here, because some of
/// these servers put it in the body, which is theirs to send.
fn drive(base_url: &str, id: &str, timeouts: Option<(u32, u32)>) -> Values {
    let mut command = Command::new(c_program("driver"));
    command.arg(base_url).arg(id).arg(TOKEN).arg("65536");
    if let Some((connect_ms, total_ms)) = timeouts {
        command.arg(connect_ms.to_string()).arg(total_ms.to_string());
    }
    let done = run(&mut command, Duration::from_secs(60));
    assert_eq!(done.code(), 0, "the driver failed:\n{}", done.output());
    let values = done.values();
    assert_eq!(values.num("guard_intact"), 1, "{}", values.output);
    values
}

fn assert_result(values: &Values, name: &str) {
    assert_eq!(values.raw("name"), name, "{}", values.output);
}

/// What a register reads: plain words, and never the token.
fn message(values: &Values) -> String {
    let text = values.text("message");
    assert!(!text.contains(TOKEN), "the token is in the message: {text}");
    for jargon in ["relative URL", "timeout: global", "Io(", "Kind(", "io error"] {
        assert!(!text.contains(jargon), "library jargon {jargon:?} in: {text}");
    }
    text
}

#[test]
fn a_host_that_does_not_resolve_is_a_connect_error() {
    let values = drive("https://no-such-host.example.invalid", "STX_DNS", None);
    assert_result(&values, "SX_ERR_CONNECT");
    assert_eq!(values.int("http_status"), 0);
    let text = message(&values);
    assert!(text.contains("no-such-host.example.invalid") && text.contains("not found"), "{text}");
    assert!(text.contains("Nothing was sent"), "{text}");
}

/// Every way a handshake can fail before the request: TLS, with nothing of the request sent.
#[test]
fn handshake_failures_are_tls_and_send_nothing() {
    let garbage_record = vec![0x16, 0x03, 0x03, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00];
    let internal_error_alert = vec![0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50];
    let plain_http = http_answer("400 Bad Request", "", b"{}");
    let cases = [
        ("plain HTTP on the port", Reply::AfterFirstRead(plain_http), "TLS"),
        ("close during the handshake", Reply::AfterFirstRead(Vec::new()), "closed the connection"),
        ("reset during the handshake", Reply::ResetAfterFirstRead, "TLS"),
        ("a corrupt record", Reply::AfterFirstRead(garbage_record), "TLS"),
        ("an internal_error alert", Reply::AfterFirstRead(internal_error_alert), "InternalError"),
    ];
    for (what, reply, words) in cases {
        let server = RawServer::start(reply);
        let values = drive(&server.url("https"), "STX_TLS", None);
        assert_eq!(values.raw("name"), "SX_ERR_TLS", "{what}:\n{}", values.output);
        assert_eq!(values.int("http_status"), 0, "{what}");
        let text = message(&values);
        assert!(text.contains(words) && text.contains("Nothing was sent"), "{what}: {text}");
        let received = server.received();
        assert_eq!(received.len(), 1, "{what}: one connection, never retried");
        assert_eq!(received[0].first(), Some(&0x16), "{what}: a ClientHello came");
        assert!(!received[0].windows(4).any(|w| w == b"POST"), "{what}: the request went out in clear");
    }
}

#[test]
fn fifty_continue_answers_before_the_real_one() {
    let mut answer = b"HTTP/1.1 100 Continue\r\n\r\n".repeat(50);
    answer.extend(http_answer("200 OK", "", SEED));
    let server = RawServer::start(Reply::AfterRequestHead(answer));
    let values = drive(&server.url("http"), SEED_ID, None);
    assert_result(&values, "SX_OK");
    assert_eq!(values.int("http_status"), 200);
    // The same, each answer in its own packet.
    let mut pieces = vec![b"HTTP/1.1 100 Continue\r\n\r\n".to_vec(); 50];
    pieces.push(http_answer("200 OK", "", SEED));
    let server = RawServer::start(Reply::InPieces(pieces));
    let values = drive(&server.url("http"), SEED_ID, None);
    assert_result(&values, "SX_OK");
    // And 102 Processing, 103 Early Hints and a continue with a header.
    let mut answer = b"HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n".to_vec();
    answer.extend(b"HTTP/1.1 100 Continue\r\nX-A: b\r\n\r\n".repeat(50));
    answer.extend(http_answer("200 OK", "", SEED));
    let server = RawServer::start(Reply::AfterRequestHead(answer));
    let values = drive(&server.url("http"), SEED_ID, None);
    assert_result(&values, "SX_OK");
}

#[test]
fn not_modified_is_worded_as_what_it_is() {
    let server = RawServer::start(Reply::AfterRequestHead(b"HTTP/1.1 304 Not Modified\r\n\r\n".to_vec()));
    let values = drive(&server.url("http"), "STX_304", None);
    assert_result(&values, "SX_ERR_HTTP");
    let text = message(&values);
    assert!(text.contains("304") && text.contains("not modified") && !text.contains("unnamed"), "{text}");
}

/// A 2xx whose answer sx_start_cash calls paid always parses with sx_transaction_parse, and lenient answers
/// that used to be refused (only a status, a byte-order mark, duplicate keys, 1e999) are paid receipts.
#[test]
fn what_is_paid_parses_and_lenient_answers_are_paid() {
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(SEED);
    // Each about the transaction paid (an answer about another is no payment of it).
    let bodies: Vec<(Vec<u8>, &str)> = vec![
        (br#"{"status":"ok","id":"STX_LENIENT"}"#.to_vec(), "STX_LENIENT"),
        (bom, SEED_ID),
        (
            br#"{"status":"failed","status":"ok","basket_info":{"sum":1e999},"extra":-1e400,"receipt":[{"type":"space"}],"id":"STX_LENIENT"}"#
                .to_vec(),
            "STX_LENIENT",
        ),
    ];
    for (body, id) in bodies {
        let server = RawServer::start(Reply::AfterRequestHead(http_answer("200 OK", "", &body)));
        let values = drive(&server.url("http"), id, None);
        assert_result(&values, "SX_OK");
        let answer = values.text("last_response").into_bytes();
        let mut tx = std::ptr::null_mut();
        // SAFETY: a readable buffer of answer.len() bytes and a writable out-pointer.
        let parsed = unsafe { smartx::sx_transaction_parse(answer.as_ptr().cast(), answer.len(), &mut tx) };
        assert_eq!(parsed, smartx::SX_OK, "paid, but the answer does not parse: {}", values.output);
        // SAFETY: tx came from sx_transaction_parse.
        unsafe { smartx::sx_transaction_free(tx) };
    }
    // A 2xx that cannot be read: the words say what it means for the payment.
    let server = RawServer::start(Reply::AfterRequestHead(http_answer("200 OK", "", b"<html>")));
    let values = drive(&server.url("http"), "STX_HTML", None);
    assert_result(&values, "SX_ERR_BAD_RESPONSE");
    let text = message(&values);
    assert!(text.contains("probably registered") && text.contains("do not pay again"), "{text}");
}

/// Whatever field a server echoes the token in, it does not reach sx_last_error_message.
#[test]
fn an_echoed_token_never_reaches_the_message() {
    let sandbox = Sandbox::start(&["--token", TOKEN]);
    let id = sandbox.create_with(json!({
        "mode": "error", "status": 400, "code": TOKEN,
        "error": format!("Bad {TOKEN}"), "details": format!("token was {TOKEN}, see")
    }));
    let text = message(&drive(&sandbox.base_url, &id, None));
    assert!(text.contains("<redacted>") && text.contains("see"), "{text}");

    let encoded: String = TOKEN.bytes().map(|b| format!("%{b:02X}")).collect();
    let id = sandbox.create_with(json!({
        "mode": "redirect", "status": 302, "location": format!("http://127.0.0.1:9/x?t={encoded}")
    }));
    let text = message(&drive(&sandbox.base_url, &id, None));
    assert!(text.contains("<redacted>") && text.contains("not followed"), "{text}");

    let echo = format!(
        r#"{{"status":"{TOKEN}","error":"E","error_details":"{TOKEN}","code":"{TOKEN}","supportId":"{TOKEN}"}}"#
    );
    for status_line in ["401 Unauthorized", "400 Bad Request", "200 OK"] {
        let server = RawServer::start(Reply::AfterRequestHead(http_answer(status_line, "", echo.as_bytes())));
        let values = drive(&server.url("http"), "STX_ECHO", None);
        let text = message(&values);
        assert!(text.contains("<redacted>"), "{status_line}: {text}");
    }
    // The token cut short where the message shortens a field is still found.
    let body = format!(r#"{{"status":"error","error":"E","error_details":"{}{TOKEN}"}}"#, "y".repeat(290));
    let server = RawServer::start(Reply::AfterRequestHead(http_answer("400 Bad Request", "", body.as_bytes())));
    let text = message(&drive(&server.url("http"), "STX_ECHO", None));
    assert!(!text.contains(&TOKEN[..10]) && text.contains("<redacted>"), "{text}");
}
