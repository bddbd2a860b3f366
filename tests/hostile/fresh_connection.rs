//! Hostile servers: answers no API would send, from a raw loopback server (tests/support/raw.rs), each through
//! the C ABI twice (tests/data/c/driver.c: `sx_start_cash` with the process-wide settings, and
//! `sx_client_start_cash` on a client of its own). Each must end with its documented result code within the
//! total timeout, a message without the token, bounded memory, and the POST sent exactly once. The same servers
//! then stand in for the token endpoint of a client with credentials (tests/data/c/client.c): the payment must never
//! go out.
//!
//! [`CASES`] is the table of the book's "Hostile servers" chapter, "A fresh connection"; a test holds the two equal.

use crate::support;

use std::process::Command;
use std::time::Duration;

use support::hostile::{chapter_table, in_parallel, message_failures, CONNECT_MS, MARGIN_MS, TOKEN, TOTAL_MS};
use support::raw::{http_answer, FullBacklog, RawServer, Reply};
use support::{c_program, run, sanitizers, Values};

const SEED: &[u8] = include_bytes!("../../fixtures/start-cash-response.json");
/// The seed's answer as `gzip -9 -n` compresses it.
const SEED_GZIP: &[u8] = include_bytes!("../data/hostile/start-cash-response.json.gz");
/// How much more than a plain call's peak resident memory a hostile answer may cost: none measurably today (the
/// head is read into ureq's fixed input buffer); a library that buffered a 10 MB head would cost 10 MB more.
/// Bodies over the cap are read up to it ([`BODY_CAP_MIB`]), once (a doubled buffer would be 32 MiB).
const EXTRA_MIB: u64 = 4;
const BODY_CAP_MIB: u64 = 16;

struct Case {
    /// The first column of the chapter's table.
    name: &'static str,
    /// What the server does; `None`: a listener whose backlog is full.
    reply: Option<fn() -> Reply>,
    code: &'static str,
    http_status: i64,
    /// Words the message must hold (each case also gets the checks of its code).
    words: &'static [&'static str],
    /// Extra peak memory allowed over a plain call, in MiB.
    extra_mib: u64,
}

const CASES: &[Case] = &[
    Case {
        name: "100 000 header lines (10 MB)",
        reply: Some(|| {
            let mut answer = b"HTTP/1.1 200 OK\r\n".to_vec();
            for i in 0..100_000 {
                answer.extend(format!("X-Hostile-{i:06}: {}\r\n", "h".repeat(80)).into_bytes());
            }
            answer.extend(http_answer_rest(SEED));
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        // More than ureq's 128 header lines.
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "one header line of 10 MB",
        reply: Some(|| {
            let mut answer = format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\n", "b".repeat(10 << 20)).into_bytes();
            answer.extend(http_answer_rest(SEED));
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["headers are too large"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "headers of 60 KiB, under the 64 KiB limit",
        reply: Some(|| {
            let mut answer = format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\n", "b".repeat(60 << 10)).into_bytes();
            answer.extend(http_answer_rest(SEED));
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a status line that is not HTTP (`ICY 200 OK`)",
        reply: Some(|| {
            let mut answer = b"ICY 200 OK\r\n".to_vec();
            answer.extend(http_answer_rest(SEED));
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`100`, `102` and `103` answers, with and without headers, before a paid `200`",
        reply: Some(|| {
            let mut answer = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX-A: b\r\n\r\n".to_vec();
            answer.extend(b"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\nLink: </y>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n");
            answer.extend(http_answer("200 OK", "", SEED));
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`100` answers, then the connection closes",
        reply: Some(|| Reply::AfterRequestHead(b"HTTP/1.1 100 Continue\r\nX-A: b\r\n\r\n".repeat(3))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`100 Continue` with a header line of 10 MB",
        reply: Some(|| {
            let mut answer = format!("HTTP/1.1 100 Continue\r\nX-Big: {}\r\n\r\n", "b".repeat(10 << 20)).into_bytes();
            answer.extend(http_answer("200 OK", "", SEED));
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`100 Continue` answers without end",
        reply: Some(|| Reply::Endless(b"HTTP/1.1 100 Continue\r\nX-A: b\r\n\r\n".repeat(100))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["within the total timeout"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`204` with a body",
        reply: Some(|| Reply::AfterRequestHead(http_answer("204 No Content", "", SEED))),
        code: "SX_ERR_BAD_RESPONSE",
        http_status: 204,
        words: &["empty", "probably registered"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`304` with a body",
        reply: Some(|| Reply::AfterRequestHead(http_answer("304 Not Modified", "", SEED))),
        code: "SX_ERR_HTTP",
        http_status: 304,
        words: &["not modified", "read the transaction back"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`Content-Length` larger than the body, then close",
        reply: Some(|| {
            let mut answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                SEED.len() + 100
            )
            .into_bytes();
            answer.extend(SEED);
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`Content-Length` smaller than the body",
        reply: Some(|| {
            let mut answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                SEED.len() / 2
            )
            .into_bytes();
            answer.extend(SEED);
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_BAD_RESPONSE",
        http_status: 200,
        words: &["probably registered"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "two `Content-Length` headers that disagree",
        reply: Some(|| {
            Reply::AfterRequestHead(http_answer("200 OK", &format!("Content-Length: {}\r\n", SEED.len() + 7), SEED))
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    // RFC 9112 6.3: Transfer-Encoding overrides Content-Length. The chunks make a complete, paid transaction, so
    // it is one; a framing that disagreed with itself would not make one.
    Case {
        name: "`Content-Length` with `Transfer-Encoding: chunked` (chunked wins, RFC 9112)",
        reply: Some(|| {
            let mut answer =
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    .to_vec();
            answer.extend(chunked(SEED));
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a body sent 1 byte a second",
        reply: Some(|| Reply::Trickle {
            head: format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                SEED.len()
            )
            .into_bytes(),
            body: SEED.to_vec(),
            every: Duration::from_secs(1),
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off", "timed out"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a gzip body nobody asked for (`Content-Encoding: gzip`)",
        reply: Some(|| Reply::AfterRequestHead(http_answer("200 OK", "Content-Encoding: gzip\r\n", SEED_GZIP))),
        code: "SX_ERR_BAD_RESPONSE",
        http_status: 200,
        words: &["probably registered"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "HTTP/1.0 without a length: the body ends at close",
        reply: Some(|| {
            let mut answer = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n".to_vec();
            answer.extend(SEED);
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "HTTP/1.0 without a length that never closes",
        reply: Some(|| {
            let mut head = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n".to_vec();
            head.extend(SEED);
            Reply::Trickle { head, body: vec![b' '; 60], every: Duration::from_secs(1) }
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off", "timed out"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "accepts, reads the request and never answers",
        reply: Some(|| Reply::Silent),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["within the total timeout"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a listener whose backlog is full (never accepts)",
        reply: None,
        code: "SX_ERR_CONNECT",
        http_status: 0,
        words: &["connect timeout"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`303` redirect to the same server, with the token in `Location`",
        reply: Some(|| Reply::AfterRequestHead(redirect("303 See Other"))),
        code: "SX_ERR_HTTP",
        http_status: 303,
        words: &["not followed", "<redacted>"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`307` redirect to the same server, with the token in `Location`",
        reply: Some(|| Reply::AfterRequestHead(redirect("307 Temporary Redirect"))),
        code: "SX_ERR_HTTP",
        http_status: 307,
        words: &["not followed", "<redacted>"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a body of 17 MiB (over the 16 MiB cap)",
        reply: Some(|| Reply::AfterRequestHead(http_answer("200 OK", "", &huge_json()))),
        code: "SX_ERR_BAD_RESPONSE",
        http_status: 200,
        words: &["larger than 16 MiB"],
        extra_mib: BODY_CAP_MIB + EXTRA_MIB,
    },
    Case {
        name: "a `500` body of 17 MiB",
        reply: Some(|| Reply::AfterRequestHead(http_answer("500 Internal Server Error", "", &huge_json()))),
        code: "SX_ERR_BAD_RESPONSE",
        http_status: 500,
        words: &["larger than 16 MiB", "not known"],
        extra_mib: BODY_CAP_MIB + EXTRA_MIB,
    },
    Case {
        name: "HTML instead of JSON, `200`",
        reply: Some(|| Reply::AfterRequestHead(http_answer("200 OK", "", b"<html><body>Welcome</body></html>"))),
        code: "SX_ERR_BAD_RESPONSE",
        http_status: 200,
        words: &["probably registered"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "HTML instead of JSON, `502`",
        reply: Some(|| {
            Reply::AfterRequestHead(http_answer("502 Bad Gateway", "", b"<html><body>Bad Gateway</body></html>"))
        }),
        code: "SX_ERR_HTTP",
        http_status: 502,
        words: &["not an API error"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "truncated JSON with a matching `Content-Length`",
        reply: Some(|| Reply::AfterRequestHead(http_answer("200 OK", "", &SEED[..SEED.len() / 2]))),
        code: "SX_ERR_BAD_RESPONSE",
        http_status: 200,
        words: &["probably registered"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "chunked with a chunk size that is not hex",
        reply: Some(|| {
            let mut answer =
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
                    .to_vec();
            answer.extend(SEED);
            answer.extend(b"\r\n0\r\n\r\n");
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "chunked without the last chunk, then close",
        reply: Some(|| {
            let mut answer =
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            let whole = chunked(SEED);
            answer.extend(&whole[..whole.len() - b"0\r\n\r\n".len()]);
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a status of `999`",
        reply: Some(|| Reply::AfterRequestHead(http_answer("999 Whatever", "", SEED))),
        code: "SX_ERR_HTTP",
        http_status: 999,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "closes in the middle of the headers",
        reply: Some(|| Reply::AfterRequestHead(b"HTTP/1.1 200 OK\r\nContent-Type: applic".to_vec())),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["closed the connection"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "the status line and headers sent a byte every 0.3 s",
        reply: Some(|| Reply::Trickle {
            head: Vec::new(),
            body: http_answer("200 OK", "", SEED),
            every: Duration::from_millis(300),
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["total timeout"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "accepts, reads the request and closes without a byte",
        reply: Some(|| Reply::AfterRequestHead(Vec::new())),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["closed the connection"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`101 Switching Protocols` nobody asked for, then a paid `200`",
        reply: Some(|| {
            let mut answer =
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n".to_vec();
            answer.extend(http_answer("200 OK", "", SEED));
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_HTTP",
        http_status: 101,
        words: &["switch of protocols", "read the transaction back"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a status of `2000`",
        reply: Some(|| Reply::AfterRequestHead(http_answer("2000 OK", "", SEED))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "an `HTTP/2 200` status line",
        reply: Some(|| Reply::AfterRequestHead(with_status_line("HTTP/2 200 OK", SEED))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a status line without a reason phrase (`HTTP/1.1 200`)",
        reply: Some(|| Reply::AfterRequestHead(with_status_line("HTTP/1.1 200", SEED))),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "bare LF line ends instead of CRLF",
        reply: Some(|| Reply::AfterRequestHead(bare_lf(&http_answer("200 OK", "", SEED)))),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a NUL byte in a header value",
        reply: Some(|| Reply::AfterRequestHead(http_answer("200 OK", "X-Hostile: a\0b\r\n", SEED))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a header line without a colon",
        reply: Some(|| Reply::AfterRequestHead(http_answer("200 OK", "NoColonHere\r\n", SEED))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a folded header line (obsolete line folding)",
        reply: Some(|| Reply::AfterRequestHead(http_answer("200 OK", "X-Hostile: a\r\n  folded\r\n", SEED))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "`Content-Length: -1`",
        reply: Some(|| Reply::AfterRequestHead(with_length("-1", SEED))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a `Content-Length` over 2^64",
        reply: Some(|| Reply::AfterRequestHead(with_length("99999999999999999999999", SEED))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 0,
        words: &["not valid HTTP"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a `Content-Length` of 2^64 - 1, then close",
        reply: Some(|| Reply::AfterRequestHead(with_length("18446744073709551615", SEED))),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a chunk size over 2^64",
        reply: Some(|| {
            let mut answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n".to_vec();
            answer.extend(SEED);
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a chunk extension of 10 MB",
        reply: Some(|| {
            let mut answer = format!(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x};hostile={}\r\n",
                SEED.len(),
                "x".repeat(10 << 20)
            )
            .into_bytes();
            answer.extend(SEED);
            answer.extend(b"\r\n0\r\n\r\n");
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_ERR_OUTCOME_UNKNOWN",
        http_status: 200,
        words: &["broke off"],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "10 MB of trailer lines after the last chunk (ignored)",
        reply: Some(|| {
            let mut answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            answer.extend(chunked(SEED));
            answer.truncate(answer.len() - 2);
            for i in 0..100_000 {
                answer.extend(format!("X-Trailer-{i:06}: {}\r\n", "t".repeat(80)).into_bytes());
            }
            answer.extend(b"\r\n");
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "the body in chunks of 1 byte",
        reply: Some(|| {
            let mut answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            for byte in SEED {
                answer.extend(b"1\r\n");
                answer.push(*byte);
                answer.extend(b"\r\n");
            }
            answer.extend(b"0\r\n\r\n");
            Reply::AfterRequestHead(answer)
        }),
        code: "SX_OK",
        http_status: 200,
        words: &[],
        extra_mib: EXTRA_MIB,
    },
    Case {
        name: "a `200` body that is not UTF-8 (Latin-1)",
        reply: Some(|| Reply::AfterRequestHead(http_answer("200 OK", "", b"{\"status\":\"ok\",\"id\":\"STX_\xe4\"}"))),
        code: "SX_ERR_BAD_RESPONSE",
        http_status: 200,
        words: &["not valid UTF-8", "probably registered"],
        extra_mib: EXTRA_MIB,
    },
];

/// The headers after the status line of a plain answer with `body`, and the body.
fn http_answer_rest(body: &[u8]) -> Vec<u8> {
    let answer = http_answer("200 OK", "", body);
    let after_status = answer.windows(2).position(|w| w == b"\r\n").expect("a status line") + 2;
    answer[after_status..].to_vec()
}

/// A plain answer with `body` under another status line.
fn with_status_line(status_line: &str, body: &[u8]) -> Vec<u8> {
    let mut answer = format!("{status_line}\r\n").into_bytes();
    answer.extend(http_answer_rest(body));
    answer
}

/// An answer that states `length` as its `Content-Length`, then sends `body` and closes.
fn with_length(length: &str, body: &[u8]) -> Vec<u8> {
    let mut answer =
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n").into_bytes();
    answer.extend(body);
    answer
}

/// `answer` with its head's CRLF line ends as bare LF (the body left as it is).
fn bare_lf(answer: &[u8]) -> Vec<u8> {
    let head_end = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("a head") + 4;
    let mut out: Vec<u8> = answer[..head_end].iter().copied().filter(|&b| b != b'\r').collect();
    out.extend(&answer[head_end..]);
    out
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in body.chunks(100) {
        out.extend(format!("{:x}\r\n", piece.len()).into_bytes());
        out.extend(piece);
        out.extend(b"\r\n");
    }
    out.extend(b"0\r\n\r\n");
    out
}

fn redirect(status_line: &str) -> Vec<u8> {
    // A relative target, on the same server (the answer is made before its port is known), with the token: were
    // the redirect followed, the raw server would count a second request.
    http_answer(status_line, &format!("Location: /api/v2/Smart/Transactions/STX_AGAIN/start/cash?t={TOKEN}\r\n"), b"")
}

/// A valid transaction of 17 MiB: the seed with a long `extra` field.
fn huge_json() -> Vec<u8> {
    let mut body = br#"{"status":"ok","extra":""#.to_vec();
    body.extend(std::iter::repeat_n(b'x', 17 << 20));
    body.extend(br#""}"#);
    body
}

#[derive(Clone, Copy, Debug)]
enum Call {
    /// `sx_start_cash`, process-wide settings.
    Plain,
    /// `sx_client_start_cash` on a client of its own with a fixed token.
    Client,
}

fn drive(base_url: &str, call: Call) -> Values {
    let mut command = Command::new(c_program("driver"));
    // The id of the transaction SEED is about: an answer about another is none of this call's.
    command.arg(base_url).arg("STX_KJXJDUN542NR3WMRHRVU5WWM6ZQEA2").arg(TOKEN).arg("65536");
    command.arg(CONNECT_MS.to_string()).arg(TOTAL_MS.to_string());
    if let Call::Client = call {
        command.arg("client");
    }
    let done = run(&mut command, Duration::from_secs(60));
    assert_eq!(done.code(), 0, "the driver failed:\n{}", done.output());
    let values = done.values();
    assert_eq!(values.num("set_timeouts_result"), 0, "{}", values.output);
    assert_eq!(values.num("guard_intact"), 1, "{}", values.output);
    values
}

/// Runs one case through one call; the failures found, as text.
fn check(case: &Case, call: Call, plain_peak_kb: u64) -> Vec<String> {
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(format!("{} ({call:?}): {what}", case.name));
    let (values, server) = match case.reply {
        Some(reply) => {
            let server = RawServer::start(reply());
            (drive(&server.url("http"), call), Some(server))
        }
        None => {
            let backlog = FullBacklog::start();
            (drive(&backlog.url(), call), None)
        }
    };
    let name = values.raw("name");
    eprintln!(
        "{} ({call:?}): {name} in {} ms, peak {} kB (plain {plain_peak_kb} kB): {}",
        case.name,
        values.num("elapsed_ms"),
        values.raw("peak_rss_kb"),
        values.text("message")
    );
    if name != case.code {
        fail(format!("{name}, not {}:\n{}", case.code, values.output));
    }
    if values.int("http_status") != case.http_status {
        fail(format!("HTTP status {}, not {}", values.int("http_status"), case.http_status));
    }
    let elapsed = values.num("elapsed_ms");
    if elapsed > TOTAL_MS + MARGIN_MS {
        fail(format!("the call took {elapsed} ms, past its total timeout of {TOTAL_MS} ms"));
    }
    let message = values.text("message");
    let response = values.text("last_response");
    if message.contains(TOKEN) || response.contains(TOKEN) {
        fail(format!("the token is in the message or the last response: {message}"));
    }
    for what in message_failures(case.code, case.words, &message) {
        fail(what);
    }
    let peak_kb = values.num("peak_rss_kb");
    // Under the sanitizers the resident memory is the shadow memory's: the bound would say nothing.
    if sanitizers().is_none() && peak_kb > plain_peak_kb + (case.extra_mib << 10) {
        fail(format!("peak memory {peak_kb} kB, over {plain_peak_kb} kB of a plain call + {} MiB", case.extra_mib));
    }
    match &server {
        Some(server) => {
            let received = server.received();
            let posts = received.iter().filter(|r| r.starts_with(b"POST /api/v2/Smart/Transactions/")).count();
            if received.len() != 1 || posts != 1 {
                fail(format!("{} connections, {posts} POSTs: the POST must go out exactly once", received.len()));
            }
            // The gzip answer is one nobody asked for: the library asks for no encoding.
            if received.iter().any(|r| String::from_utf8_lossy(r).to_ascii_lowercase().contains("accept-encoding")) {
                fail("the request asks for an encoding".into());
            }
        }
        None => {
            if values.num("last_response_len") != 0 {
                fail("an answer from a listener that never accepted".into());
            }
        }
    }
    failures
}

fn plain_peak_kb(call: Call) -> u64 {
    let server = RawServer::start(Reply::AfterRequestHead(http_answer("200 OK", "", SEED)));
    let values = drive(&server.url("http"), call);
    assert_eq!(values.raw("name"), "SX_OK", "{}", values.output);
    values.num("peak_rss_kb")
}

#[test]
fn every_hostile_server_gets_its_documented_code_in_time_once_and_in_bounded_memory() {
    let plain = [plain_peak_kb(Call::Plain), plain_peak_kb(Call::Client)];
    let runs: Vec<(&Case, Call, u64)> =
        CASES.iter().flat_map(|case| [(case, Call::Plain, plain[0]), (case, Call::Client, plain[1])]).collect();
    let failures = in_parallel(&runs, |&(case, call, plain)| check(case, call, plain));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The book's "Hostile servers" chapter ("A fresh connection") lists exactly these cases with these codes.
#[test]
fn the_chapter_table_is_the_case_list() {
    let rows = chapter_table("## A fresh connection");
    let cases: Vec<(String, String, String)> =
        CASES.iter().map(|c| (c.name.to_owned(), c.code.to_owned(), c.http_status.to_string())).collect();
    assert_eq!(rows, cases, "docs/src/hostile-servers.md's table and tests/hostile/fresh_connection.rs's CASES differ");
}

/// The same servers as the token endpoint of a client with credentials: the token request fails, the payment
/// is never sent, the call ends by its deadline, and the client secret is in no output.
#[test]
fn a_hostile_token_endpoint_never_lets_the_payment_go_out() {
    const SECRET: &str = "csecret-HOSTILE-9b3e0d5a17";
    let failures = in_parallel(CASES, |case| {
        // The full backlog is not a token endpoint: nothing is sent to it.
        let Some(reply) = case.reply else { return Vec::new() };
        let mut failures = Vec::new();
        let server = RawServer::start(reply());
        let mut command = Command::new(c_program("client"));
        command
            .arg(server.url("http"))
            .arg(format!("timeouts={CONNECT_MS},{TOTAL_MS},{TOTAL_MS}"))
            .arg(format!("cc=smartx-register,{SECRET}"))
            .arg("cash=STX_HOSTILE");
        let started = std::time::Instant::now();
        let done = run(&mut command, Duration::from_secs(60));
        let took = started.elapsed();
        let values = done.values();
        let name = values.raw("3.name");
        eprintln!("{} (token endpoint): {name}: {}", case.name, values.text("3.message"));
        if name == "SX_OK" {
            failures.push(format!("{}: paid without a token", case.name));
        }
        // The payment was never sent: nothing may tell the register it might have been executed.
        if ["SX_ERR_OUTCOME_UNKNOWN", "SX_ERR_BAD_RESPONSE"].contains(&name) {
            failures.push(format!("{}: {name} although the payment was never sent", case.name));
        }
        if done.output().contains(SECRET) {
            failures.push(format!("{}: the client secret is in the output", case.name));
        }
        // The whole program: starting it, the token request's deadline and the margin.
        if took > Duration::from_millis(TOTAL_MS + MARGIN_MS) {
            failures.push(format!("{}: the program took {took:?}", case.name));
        }
        let received = server.received();
        if received.len() != 1 || !received[0].starts_with(b"POST /oauth/token ") {
            let heads: Vec<_> =
                received.iter().map(|r| String::from_utf8_lossy(&r[..r.len().min(40)]).into_owned()).collect();
            failures.push(format!("{}: one token request and nothing else, not {heads:?}", case.name));
        }
        failures
    });
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
