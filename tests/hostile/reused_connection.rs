//! Hostile servers on a kept-alive connection: a first payment answered properly, with the connection kept
//! alive, then something no server should do before or during the second payment. Each case runs through the
//! C ABI twice (tests/data/c/client.c: `sx_start_cash` with the process-wide settings, and `sx_client_start_cash`),
//! and the second call must end with its documented result code within the total timeout, a message without
//! the token, and each POST sent once (counted at the server, per connection). Above all, the second call
//! never takes bytes the server sent before its request as its answer: a stale answer read as the reply to a
//! new payment would report as paid a payment the server may never have seen.
//!
//! [`CASES`] is the table of the book's "Hostile servers" chapter, "A kept-alive connection"; a test holds the
//! two equal.

use crate::support;

use std::time::Duration;

use support::hostile::{
    chapter_table, check, fresh, in_parallel, kept_alive, paid, Call, Case, Certificates, Tls, FIRST, FRESH, STALE,
};
use support::script::Step;

/// A moment after the first answer: it has surely arrived at the client, which is still reading it or has
/// read it, and the second call is [`support::hostile::BETWEEN_MS`] away.
const A_MOMENT: Duration = Duration::from_millis(50);

fn first() -> Vec<u8> {
    kept_alive("", &paid(FIRST))
}

fn then(bytes: &[u8]) -> Vec<u8> {
    let mut out = first();
    out.extend_from_slice(bytes);
    out
}

/// The first connection answers the first request properly, then does `after`; later connections answer
/// properly. A second request on the first connection after `after` gets a stale answer.
fn after_first(after: Vec<Step>) -> Vec<Vec<Step>> {
    let mut script = vec![Step::Request];
    script.extend(after);
    vec![script, fresh()]
}

/// What a connection that should never be used again answers, if it is: a stale paid answer.
fn stale_if_asked() -> Vec<Step> {
    vec![Step::Request, Step::Send(kept_alive("", &paid(STALE)))]
}

fn with(mut steps: Vec<Step>, more: Vec<Step>) -> Vec<Step> {
    steps.extend(more);
    steps
}

const CASES: &[Case] = &[
    Case {
        name: "closes the idle connection (FIN) between the calls",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || after_first(vec![Step::Send(first()), Step::Pause(A_MOMENT)]),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "resets the idle connection (RST) between the calls",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || after_first(vec![Step::Send(first()), Step::Pause(A_MOMENT), Step::Reset]),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "reads the second request, then closes without answering",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || after_first(vec![Step::Send(first()), Step::Request]),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["closed the connection"],
        posts: &[2],
    },
    Case {
        name: "reads the second request, then resets",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || after_first(vec![Step::Send(first()), Step::Request, Step::Reset]),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["reset"],
        posts: &[2],
    },
    Case {
        name: "bytes beyond `Content-Length`, in the same packet as the first answer",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || after_first(with(vec![Step::Send(then(b"garbage\r\n"))], stale_if_asked())),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "bytes beyond `Content-Length`, a moment after the first answer",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || {
            after_first(with(
                vec![Step::Send(first()), Step::Pause(A_MOMENT), Step::Send(b"garbage\r\n".to_vec())],
                stale_if_asked(),
            ))
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "a second paid `200` nobody asked for, in the same packet as the first answer",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || after_first(with(vec![Step::Send(then(&kept_alive("", &paid(STALE))))], stale_if_asked())),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "a second paid `200` nobody asked for, a moment after the first answer",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || {
            after_first(with(
                vec![Step::Send(first()), Step::Pause(A_MOMENT), Step::Send(kept_alive("", &paid(STALE)))],
                stale_if_asked(),
            ))
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    Case {
        name: "`Connection: close` in the first answer, the connection held open",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || {
            after_first(with(vec![Step::Send(kept_alive("Connection: close\r\n", &paid(FIRST)))], stale_if_asked()))
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[1, 1],
    },
    // HTTP/1.0 keeps a connection alive only when the answer says so; it does here, and honestly.
    Case {
        name: "HTTP/1.0 answers with `Connection: keep-alive`",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || {
            let answer = |id| {
                let body = paid(id);
                let mut out = format!(
                    "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                out.extend(body);
                out
            };
            after_first(vec![Step::Send(answer(FIRST)), Step::Request, Step::Send(answer(FRESH))])
        },
        code: "SX_OK",
        http_status: 200,
        words: &[],
        posts: &[2],
    },
    Case {
        name: "the second answer's body cut short (`Content-Length` larger), then close",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || {
            let whole = kept_alive("", &paid(FRESH));
            after_first(vec![Step::Send(first()), Step::Request, Step::Send(whole[..whole.len() - 10].to_vec())])
        },
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        posts: &[2],
    },
    Case {
        name: "the second answer's body sent 1 byte a second",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || {
            let whole = kept_alive("", &paid(FRESH));
            let body_at = whole.len() - paid(FRESH).len();
            after_first(vec![
                Step::Send(first()),
                Step::Request,
                Step::Send(whole[..body_at].to_vec()),
                Step::Trickle(whole[body_at..].to_vec(), Duration::from_secs(1)),
            ])
        },
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off", "timed out"],
        posts: &[2],
    },
    // A reset says the server gave up: the body that runs to the close may be cut short.
    Case {
        name: "the second answer without a length (read to close), ended by a reset",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || {
            let mut answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_vec();
            answer.extend(paid(FRESH));
            after_first(vec![
                Step::Send(first()),
                Step::Request,
                Step::Send(answer),
                Step::Pause(A_MOMENT),
                Step::Reset,
            ])
        },
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off", "reset"],
        posts: &[2],
    },
    Case {
        name: "the second request never answered",
        tls: Tls::Off,
        kept_alive: true,
        scripts: || after_first(vec![Step::Send(first()), Step::Request, Step::Hold]),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["within the total timeout"],
        posts: &[2],
    },
];

#[test]
fn a_kept_alive_connection_never_hands_a_payment_a_stale_answer_nor_sends_it_twice() {
    let certificates = Certificates::new();
    let runs: Vec<(&Case, Call)> = CASES.iter().flat_map(|case| [(case, Call::Plain), (case, Call::Client)]).collect();
    let failures = in_parallel(&runs, |&(case, call)| check(case, call, &certificates));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The book's "Hostile servers" chapter ("A kept-alive connection") lists exactly these cases with these codes.
#[test]
fn the_chapter_table_is_the_case_list() {
    let rows = chapter_table("## A kept-alive connection");
    let cases: Vec<(String, String, String)> =
        CASES.iter().map(|c| (c.name.to_owned(), c.code.to_owned(), c.http_status.to_string())).collect();
    assert_eq!(
        rows, cases,
        "docs/src/hostile-servers.md's table and tests/hostile/reused_connection.rs's CASES differ"
    );
}
