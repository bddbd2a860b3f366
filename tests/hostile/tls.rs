//! Hostile servers over TLS: a rustls server with a certificate from a test CA the client is given
//! (tests/support/script.rs), which completes the handshake and then misbehaves: never answers, ends an answer
//! without close_notify, sends an alert or bytes that are not TLS, trickles; or shows a certificate the client
//! must refuse before anything is sent. Each case runs through `sx_client_start_cash` (tests/data/c/client.c; the
//! process-wide settings take no CA) and must end with its documented result code within the total timeout, a
//! message without the token, each POST sent once (counted at the server, decrypted), and never a stale answer.
//!
//! [`CASES`] is the table of the book's "Hostile servers" chapter, "TLS servers"; a test holds the two equal.

use crate::support;

use std::time::Duration;

use support::hostile::{
    chapter_table, check, fresh, in_parallel, kept_alive, paid, Call, Case, Certificates, Tls, FIRST, FRESH, STALE,
};
use support::script::Step;

/// An answer without a length whose body ends when the connection does (the `Connection: close` framing).
fn read_to_close() -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_vec();
    out.extend(paid(FRESH));
    out
}

/// A paid answer whose `Content-Length` is 10 more than what is sent of it.
fn cut_short() -> Vec<u8> {
    let whole = kept_alive("Connection: close\r\n", &paid(FRESH));
    whole[..whole.len() - 10].to_vec()
}

/// A paid answer of several TLS records (its body over 16 KiB), which the client reads in several rounds.
fn large(answer: &str) -> Vec<u8> {
    let body = format!(
        r#"{{"object":"smart.transactions","id":"{}","answer":"{answer}","status":"ok","receipt":[],"x":"{}"}}"#,
        support::hostile::about(answer),
        "x".repeat(40 << 10)
    );
    kept_alive("", body.as_bytes())
}

fn stale_if_asked() -> Vec<Step> {
    vec![Step::Request, Step::Send(kept_alive("", &paid(STALE)))]
}

fn kept(after: Vec<Step>) -> Vec<Vec<Step>> {
    let mut script = vec![Step::Request];
    script.extend(after);
    vec![script, fresh()]
}

const CASES: &[Case] = &[
    Case {
        name: "handshake done, the request read, never answered",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || vec![vec![Step::Request, Step::Hold]],
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["within the total timeout"],
        posts: &[1],
    },
    Case {
        name: "no `Content-Length`, the body ended by close_notify",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || vec![vec![Step::Request, Step::Send(read_to_close()), Step::CloseNotify]],
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1],
    },
    // Without close_notify, a close cannot be told from an attacker's (or a proxy's) cut: not a complete answer.
    Case {
        name: "no `Content-Length`, TCP closed without close_notify",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || vec![vec![Step::Request, Step::Send(read_to_close())]],
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        posts: &[1],
    },
    Case {
        name: "`Content-Length` cut short, TCP closed without close_notify",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || vec![vec![Step::Request, Step::Send(cut_short())]],
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        posts: &[1],
    },
    Case {
        name: "`Content-Length` cut short, then close_notify",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || vec![vec![Step::Request, Step::Send(cut_short()), Step::CloseNotify]],
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        posts: &[1],
    },
    Case {
        name: "a fatal alert in clear in the middle of the body",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || {
            let internal_error_alert = vec![0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50];
            vec![vec![
                Step::Request,
                Step::Send(cut_short()),
                // The head is read by then: the alert breaks off the body.
                Step::Pause(Duration::from_millis(100)),
                Step::SendRaw(internal_error_alert),
                Step::Hold,
            ]]
        },
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        posts: &[1],
    },
    Case {
        name: "the answer in clear (not TLS) after the handshake",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || vec![vec![Step::Request, Step::SendRaw(kept_alive("", &paid(STALE))), Step::Hold]],
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid"],
        posts: &[1],
    },
    // TLS 1.3 has no renegotiation; a HelloRequest of TLS 1.2 can only come unencrypted from a rustls server.
    Case {
        name: "a HelloRequest in clear after the handshake",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || {
            let hello_request = vec![0x16, 0x03, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00];
            vec![vec![Step::Request, Step::SendRaw(hello_request), Step::Hold]]
        },
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid"],
        posts: &[1],
    },
    Case {
        name: "a KeyUpdate before the answer (new keys, as TLS 1.3 allows)",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || vec![vec![Step::Request, Step::KeyUpdate, Step::Send(kept_alive("", &paid(FRESH)))]],
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1],
    },
    Case {
        name: "a body sent 1 byte a second over TLS",
        tls: Tls::Trusted,
        kept_alive: false,
        scripts: || {
            let whole = kept_alive("", &paid(FRESH));
            let body_at = whole.len() - paid(FRESH).len();
            vec![vec![
                Step::Request,
                Step::Send(whole[..body_at].to_vec()),
                Step::Trickle(whole[body_at..].to_vec(), Duration::from_secs(1)),
            ]]
        },
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off", "timed out"],
        posts: &[1],
    },
    Case {
        name: "a certificate for another name",
        tls: Tls::OtherName,
        kept_alive: false,
        scripts: || vec![vec![Step::Request]],
        code: "SX_ERR_TLS",
        http_status: 0,
        words: &["another name"],
        posts: &[0],
    },
    Case {
        name: "an expired certificate",
        tls: Tls::Expired,
        kept_alive: false,
        scripts: || vec![vec![Step::Request]],
        code: "SX_ERR_TLS",
        http_status: 0,
        words: &["expired"],
        posts: &[0],
    },
    Case {
        name: "a self-signed certificate not in the roots",
        tls: Tls::SelfSigned,
        kept_alive: false,
        scripts: || vec![vec![Step::Request]],
        code: "SX_ERR_TLS",
        http_status: 0,
        words: &["not signed by a trusted authority"],
        posts: &[0],
    },
    Case {
        name: "kept alive: close_notify and close between the calls",
        tls: Tls::Trusted,
        kept_alive: true,
        scripts: || {
            kept(vec![
                Step::Send(kept_alive("", &paid(FIRST))),
                Step::Pause(Duration::from_millis(50)),
                Step::CloseNotify,
            ])
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "kept alive: a paid `200` nobody asked for, in a record of its own right after the first answer",
        tls: Tls::Trusted,
        kept_alive: true,
        scripts: || {
            let mut after = vec![Step::Send(kept_alive("", &paid(FIRST))), Step::Send(kept_alive("", &paid(STALE)))];
            after.extend(stale_if_asked());
            kept(after)
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "kept alive: a paid `200` nobody asked for, right after a first answer of several records",
        tls: Tls::Trusted,
        kept_alive: true,
        scripts: || {
            let mut first = large(FIRST);
            first.extend(kept_alive("", &paid(STALE)));
            let mut after = vec![Step::Send(first)];
            after.extend(stale_if_asked());
            kept(after)
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "kept alive: a paid `200` of several records nobody asked for, sent with the first answer",
        tls: Tls::Trusted,
        kept_alive: true,
        scripts: || {
            let mut after = vec![Step::SendRecords(vec![kept_alive("", &paid(FIRST)), large(STALE)])];
            after.extend(stale_if_asked());
            kept(after)
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "kept alive: a paid `200` nobody asked for, a moment after the first answer",
        tls: Tls::Trusted,
        kept_alive: true,
        scripts: || {
            let mut after = vec![
                Step::Send(kept_alive("", &paid(FIRST))),
                Step::Pause(Duration::from_millis(50)),
                Step::Send(kept_alive("", &paid(STALE))),
            ];
            after.extend(stale_if_asked());
            kept(after)
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "kept alive: the second request read, then TCP closed without close_notify",
        tls: Tls::Trusted,
        kept_alive: true,
        scripts: || kept(vec![Step::Send(kept_alive("", &paid(FIRST))), Step::Request]),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["closed the connection"],
        posts: &[2],
    },
];

#[test]
fn hostile_tls_servers_get_their_documented_code_in_time_once_and_never_a_stale_answer() {
    let certificates = Certificates::new();
    let failures = in_parallel(CASES, |case| check(case, Call::Client, &certificates));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The book's "Hostile servers" chapter ("TLS servers") lists exactly these cases with these codes.
#[test]
fn the_chapter_table_is_the_case_list() {
    let rows = chapter_table("## TLS servers");
    let cases: Vec<(String, String, String)> =
        CASES.iter().map(|c| (c.name.to_owned(), c.code.to_owned(), c.http_status.to_string())).collect();
    assert_eq!(rows, cases, "docs/src/hostile-servers.md's table and tests/hostile/tls.rs's CASES differ");
}
