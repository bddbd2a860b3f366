//! The raw-socket floor: the same request smartx sends, written to a kept-alive loopback socket, and the answer
//! read by its `Content-Length`, with no HTTP library, no JSON and no outcome check beyond the status line. What
//! is left is the kernel's loopback, the sandbox's own work and the scheduler: no client can go below it.
//!
//! In Rust, in the bench's own process, rather than in C: it then shares the loop, the clock and the
//! `getrusage` reading with the smartx column, needs no compiler or development package (it is there when the
//! baseline is skipped), and `std::net::TcpStream` is a bare socket (`write`/`read` go straight to the system
//! calls, no buffering), so C would make the same system calls.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use crate::stats::{process_cpu_us, Run};
use crate::BenchResult;

const USER_AGENT: &str = concat!("smartx/", env!("CARGO_PKG_VERSION"));

/// Enough for the start/cash answer (~4.5 KB with its head); grows if an answer is larger.
const BUF_CAP: usize = 16 * 1024;

pub struct Floor {
    stream: TcpStream,
    host: String,
    token: String,
    request: Vec<u8>,
    answer: Vec<u8>,
}

impl Floor {
    /// Connects once; the connection is kept alive for every later call, as smartx's pool keeps its own.
    pub fn connect(base_url: &str, token: &str) -> BenchResult<Floor> {
        let host = base_url.strip_prefix("http://").ok_or("the floor speaks plain http only")?.trim_end_matches('/');
        let addr: SocketAddr = host.parse().map_err(|e| format!("{host}: not an IP address and port: {e}"))?;
        let stream = TcpStream::connect(addr)?;
        // As smartx and the baseline do: the request must not wait for an ACK of an earlier segment.
        stream.set_nodelay(true)?;
        Ok(Floor {
            stream,
            host: host.to_owned(),
            token: token.to_owned(),
            request: Vec::with_capacity(512),
            answer: vec![0; BUF_CAP],
        })
    }

    /// Starts `warm_up` (unmeasured), then each of `ids`, one after another on the same connection.
    pub fn run(&mut self, warm_up: &str, ids: &[String]) -> BenchResult<Run> {
        self.start_cash(warm_up)?;
        let mut latencies_ns = Vec::with_capacity(ids.len());
        let cpu_before = process_cpu_us();
        let wall = Instant::now();
        for id in ids {
            let call = Instant::now();
            self.start_cash(id)?;
            latencies_ns.push(call.elapsed().as_nanos() as u64);
        }
        Ok(Run { wall_ns: wall.elapsed().as_nanos() as u64, cpu_us: process_cpu_us() - cpu_before, latencies_ns })
    }

    /// One request, written in one `write`, and its whole answer read; returns the body's length.
    fn start_cash(&mut self, id: &str) -> BenchResult<usize> {
        self.request.clear();
        // The bytes smartx sends (ureq's header order), so that the sandbox does the same work for both.
        write!(
            self.request,
            "POST /api/v2/Smart/Transactions/{id}/start/cash HTTP/1.1\r\ncontent-length: 0\r\n\
             user-agent: {USER_AGENT}\r\naccept: application/json\r\nhost: {host}\r\n\
             authorization: Bearer {token}\r\nauthenticate: Bearer {token}\r\n\r\n",
            host = self.host,
            token = self.token,
        )?;
        self.stream.write_all(&self.request)?;

        let mut filled = 0;
        let (head_len, body_len) = loop {
            if let Some(head_end) = find(&self.answer[..filled], b"\r\n\r\n") {
                break (head_end + 4, content_length(&self.answer[..head_end])?);
            }
            filled += self.read_more(filled)?;
        };
        if !self.answer.starts_with(b"HTTP/1.1 200 ") {
            let line = self.answer[..filled].split(|&b| b == b'\r').next().unwrap_or_default();
            return Err(format!("floor: {id}: {}", String::from_utf8_lossy(line)).into());
        }
        let total = head_len + body_len;
        if self.answer.len() < total {
            self.answer.resize(total, 0);
        }
        while filled < total {
            filled += self.read_more(filled)?;
        }
        if filled != total {
            return Err(format!("floor: {id}: {} bytes past the answer", filled - total).into());
        }
        Ok(body_len)
    }

    fn read_more(&mut self, filled: usize) -> BenchResult<usize> {
        if filled == self.answer.len() {
            self.answer.resize(filled * 2, 0);
        }
        match self.stream.read(&mut self.answer[filled..])? {
            0 => Err("floor: the sandbox closed the connection".into()),
            n => Ok(n),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of the `content-length` header in an answer's head (the sandbox always sends one).
fn content_length(head: &[u8]) -> BenchResult<usize> {
    head.split(|&b| b == b'\n')
        .find_map(|line| {
            let line = std::str::from_utf8(line).ok()?;
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
        })
        .ok_or_else(|| "floor: an answer without Content-Length".into())
}
