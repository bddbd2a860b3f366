//! One HTTP request of any kind (API call or token request) and the answer as it came, before its meaning
//! is decided: the API's classification ([`Sent::classified`]) or the token endpoint's (in `auth`).

use std::io::Read;
use std::time::Instant;

use super::error::{Error, ErrorKind};
use super::http::{plain_words, transport_error, Client, Exchange, MAX_BODY_BYTES};
use super::log::{Level, Log};
use super::outcome;
use super::validate::TransactionId;

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
    /// What a 2xx answer must be to be this request's success.
    pub expect: Expect<'a>,
}

/// What a 2xx answer must be to count as the answer to its request and as the call's success. It travels with
/// the request, so that every way a call is sent (an `sx_client`, the process-wide `sx_start_cash`) has its
/// answer judged in the one place where an answer becomes a result ([`Sent::classified`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'a> {
    pub subject: Subject<'a>,
    pub state: Wanted,
}

/// Which transaction the answer must be.
#[derive(Debug, Clone, Copy, Default)]
pub enum Subject<'a> {
    /// Anything (a list, a pre-check, a terminal's report): not checked here.
    #[default]
    Unchecked,
    /// A transaction with an id of its own: the answer of a create or of a reversal by receipt number, which
    /// name none in their request.
    Identified,
    /// The transaction the request names (`.../Transactions/{id}...`). On a kept-alive connection the id is
    /// also the only thing that ties an answer to its request: HTTP/1.1 has no request ids.
    Transaction(TransactionId<'a>),
}

/// The states of the transaction that make the call a success; another state is [`ErrorKind::NotOk`] with the
/// transaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Wanted {
    /// `ok`: a payment (a start) or a terminal's report.
    #[default]
    Paid,
    /// Any status: a read, a create, an update.
    AnyState,
    /// `cancelled` or `canceled`: a cancel or a reversal by receipt number.
    Cancelled,
    /// `aborted`: an abort.
    Aborted,
}

impl<'a> Request<'a> {
    pub fn post(path: &'a str, body: Body) -> Request<'a> {
        Request { method: Method::Post, path, body, bearer: None, waits_for_terminal: false, expect: Expect::default() }
    }

    pub fn put(path: &'a str, body: Body) -> Request<'a> {
        Request { method: Method::Put, path, body, bearer: None, waits_for_terminal: false, expect: Expect::default() }
    }

    /// The calls that wait for a card terminal: the client's terminal timeout applies instead of the total one.
    pub fn waiting_for_terminal(self) -> Request<'a> {
        Request { waits_for_terminal: true, ..self }
    }

    pub fn get(path: &'a str) -> Request<'a> {
        Request {
            method: Method::Get,
            path,
            body: Body::Empty,
            bearer: None,
            waits_for_terminal: false,
            expect: Expect::default(),
        }
    }

    /// The answer must be `subject`, in a `state` the call makes.
    pub fn expecting(self, subject: Subject<'a>, state: Wanted) -> Request<'a> {
        Request { expect: Expect { subject, state }, ..self }
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
    /// The API's meaning of the answer to `request`.
    pub fn classified(self, request: &Request) -> Exchange {
        match (self.transport, self.http_status) {
            (Ok(()), Some(status)) => {
                let (result, transaction) =
                    outcome::judge(status, &self.body, self.location.as_deref(), request.method, request.expect);
                Exchange { http_status: Some(status), body: self.body, transaction, result }
            }
            (Err(error), status) => {
                Exchange { http_status: status, body: Vec::new(), transaction: None, result: Err(error) }
            }
            (Ok(()), None) => unreachable!("an answer without a status is a transport failure"),
        }
    }
}

impl Client {
    /// Sends one request, once, and judges its answer by what the request expects (its [`Expect`]).
    pub fn exchange(&self, request: &Request, log: &Log) -> Exchange {
        self.send(request, log).classified(request)
    }

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
        let mut body = Vec::with_capacity(presized(response.body().content_length()));
        let read = response.body_mut().with_config().limit(MAX_BODY_BYTES).reader().read_to_end(&mut body);
        let error = match read.map_err(ureq::Error::from) {
            Ok(_) => return Sent { http_status: Some(status), body, location, transport: Ok(()) },
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

/// Room for the body the server declares, made once instead of growing as the bytes come (a 4 KB answer
/// otherwise costs several reallocations and copies); at most 1 MiB, so that a length claimed but never sent
/// costs no more than that.
fn presized(content_length: Option<u64>) -> usize {
    const MAX_PRESIZED: u64 = 1 << 20;
    content_length.map_or(0, |len| len.min(MAX_PRESIZED) as usize)
}
