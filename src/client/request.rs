//! One HTTP request of any kind (API call or token request) and the answer as it came, before its meaning
//! is decided: the API's classification ([`Sent::classified`]) or the token endpoint's (in `auth`).

use std::time::Instant;

use super::error::{Error, ErrorKind};
use super::http::{plain_words, transport_error, Client, Exchange, MAX_BODY_BYTES};
use super::log::{Level, Log};
use super::outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    /// Only the update of a transaction not started yet.
    Put,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// What a request carries. Form fields may be secrets: they are never logged.
#[derive(Clone)]
pub enum Body {
    Empty,
    Json(Vec<u8>),
    Form(Vec<(&'static str, String)>),
}

/// A request to `{base}{path}`.
#[derive(Clone)]
pub struct Request<'a> {
    pub method: Method,
    /// From the host on, e.g. `/oauth/token` or `/api/v2/Smart/Transactions/STX_1/start/cash`.
    pub path: &'a str,
    pub body: Body,
    pub bearer: Option<&'a str>,
    /// Waits for a card terminal: the terminal timeout applies instead of the total one.
    pub waits_for_terminal: bool,
}

impl<'a> Request<'a> {
    pub fn post(path: &'a str, body: Body) -> Request<'a> {
        Request { method: Method::Post, path, body, bearer: None, waits_for_terminal: false }
    }

    pub fn put(path: &'a str, body: Body) -> Request<'a> {
        Request { method: Method::Put, path, body, bearer: None, waits_for_terminal: false }
    }

    /// The calls that wait for a card terminal: the client's terminal timeout applies instead of the total one.
    pub fn waiting_for_terminal(self) -> Request<'a> {
        Request { waits_for_terminal: true, ..self }
    }

    pub fn get(path: &'a str) -> Request<'a> {
        Request { method: Method::Get, path, body: Body::Empty, bearer: None, waits_for_terminal: false }
    }

    pub fn bearer(self, token: &'a str) -> Request<'a> {
        Request { bearer: Some(token), ..self }
    }
}

/// What one request brought back, before its meaning is decided.
#[derive(Debug)]
pub struct Sent {
    pub http_status: Option<u16>,
    /// The complete answer; empty when none arrived.
    pub body: Vec<u8>,
    location: Option<String>,
    /// A failure of the transport (nothing sent, or no complete answer).
    pub transport: Result<(), Error>,
}

impl Sent {
    /// The API's meaning of the answer.
    pub fn classified(self) -> Exchange {
        match (self.transport, self.http_status) {
            (Ok(()), Some(status)) => {
                let result = outcome::classify(status, &self.body, self.location.as_deref());
                Exchange { http_status: Some(status), body: self.body, result }
            }
            (Err(error), status) => Exchange { http_status: status, body: Vec::new(), result: Err(error) },
            (Ok(()), None) => unreachable!("an answer without a status is a transport failure"),
        }
    }
}

impl Client {
    /// Sends one request, once, and logs one line at info: method, path, status (or failure) and time taken.
    pub fn send(&self, request: &Request, log: &Log) -> Sent {
        let started = Instant::now();
        log.write(Level::Debug, || {
            let (kind, size) = match &request.body {
                Body::Empty => ("no body", 0),
                Body::Json(json) => ("JSON", json.len()),
                // The names only: form values are credentials.
                Body::Form(fields) => ("form", fields.len()),
            };
            let token = if request.bearer.is_some() { "with" } else { "without" };
            let unit = if matches!(request.body, Body::Form(_)) { "fields" } else { "bytes" };
            format!(
                "{} {}: sending {kind} ({size} {unit}) {token} a bearer token",
                request.method.as_str(),
                request.path
            )
        });
        let sent = self.send_unlogged(request);
        log.write(Level::Debug, || {
            format!("{} {}: {} bytes of answer", request.method.as_str(), request.path, sent.body.len())
        });
        log.write(Level::Info, || {
            let outcome = match (&sent.transport, sent.http_status) {
                (Ok(()), Some(status)) => format!("HTTP {status}"),
                (Err(e), Some(status)) => format!("HTTP {status}, {}", e.message),
                (Err(e), None) => e.message.clone(),
                (Ok(()), None) => "no answer".into(),
            };
            format!("{} {} -> {outcome} in {} ms", request.method.as_str(), request.path, started.elapsed().as_millis())
        });
        sent
    }

    /// Runs the request watched: a transport failure is classified by how far the exchange got.
    fn send_unlogged(&self, request: &Request) -> Sent {
        let connect_deadline = Instant::now() + self.timeouts.connect.min(self.timeouts.total);
        let watch = self.board.watch(connect_deadline);
        self.send_watched(request, &watch)
    }

    fn send_watched(&self, request: &Request, watch: &super::transport::Watch) -> Sent {
        let url = format!("{}{}", self.base.as_str(), request.path);
        let bearer = request.bearer.map(|token| format!("Bearer {token}"));
        let answer = match request.method {
            Method::Get => {
                let mut builder = self.agent.get(&url);
                if let Some(bearer) = &bearer {
                    // Every SDK sends Authorization; the seed and some guide pages show Authenticate: send both.
                    builder = builder.header("Authorization", bearer).header("Authenticate", bearer);
                }
                if request.waits_for_terminal {
                    builder = builder.config().timeout_global(Some(self.terminal)).build();
                }
                builder.call()
            }
            Method::Post | Method::Put => {
                let mut builder =
                    if request.method == Method::Put { self.agent.put(&url) } else { self.agent.post(&url) };
                if let Some(bearer) = &bearer {
                    builder = builder.header("Authorization", bearer).header("Authenticate", bearer);
                }
                if request.waits_for_terminal {
                    builder = builder.config().timeout_global(Some(self.terminal)).build();
                }
                match &request.body {
                    Body::Empty => builder.send_empty(),
                    Body::Json(json) => builder.content_type("application/json").send(json.as_slice()),
                    Body::Form(fields) => builder.send_form(fields.iter().map(|(k, v)| (*k, v.as_str()))),
                }
            }
        };
        let mut response = match answer {
            Ok(response) => response,
            Err(e) => {
                let error = transport_error(&e, watch.stage(), &self.base, self.timeouts);
                return Sent { http_status: None, body: Vec::new(), location: None, transport: Err(error) };
            }
        };
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let error = match response.body_mut().with_config().limit(MAX_BODY_BYTES).read_to_vec() {
            Ok(body) => return Sent { http_status: Some(status), body, location, transport: Ok(()) },
            Err(ureq::Error::BodyExceedsLimit(_)) => outcome::unread(status, MAX_BODY_BYTES >> 20),
            Err(e) => Error::new(
                ErrorKind::OutcomeUnknown,
                format!(
                    "HTTP {status}: the answer broke off ({}). The request was received and may have been \
                     executed: read the transaction back before trying again",
                    plain_words(&e, self.timeouts)
                ),
            ),
        };
        // The head arrived, the body did not: the status is known, no answer is kept.
        Sent { http_status: Some(status), body: Vec::new(), location, transport: Err(error) }
    }
}
