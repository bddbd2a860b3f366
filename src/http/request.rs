//! One HTTP request of any kind (API call or token request) and the answer as it came, before its meaning
//! is decided: the API's classification ([`Sent::classified`]) or the token endpoint's (in `auth`).

use std::io::Read;
use std::time::{Duration, Instant};

use super::config::Timeouts;
use super::error::{Error, ErrorKind};
use super::exchange::{Agent, Answer, MAX_BODY_BYTES};
use super::expect::{Effect, Expect, Subject, Wanted};
use super::failure::{plain_words, sent_advice, transport_error};
use super::log::{Level, Log, Secrets};
use super::outcome;
use super::transport::Abandon;

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
    /// How its failures are told: what the request does (a token, a read, a change, a payment).
    pub effect: Effect,
    /// What a 2xx answer must be to be this request's success.
    pub expect: Expect<'a>,
    /// What log lines show instead of `path` (see [`Request::shown_as`]); `None`: the path itself.
    pub shown_path: Option<&'a str>,
}

impl<'a> Request<'a> {
    pub fn post(path: &'a str, body: Body) -> Request<'a> {
        Request {
            method: Method::Post,
            path,
            body,
            bearer: None,
            waits_for_terminal: false,
            effect: Effect::Change,
            expect: Expect::default(),
            shown_path: None,
        }
    }

    pub fn put(path: &'a str, body: Body) -> Request<'a> {
        Request {
            method: Method::Put,
            path,
            body,
            bearer: None,
            waits_for_terminal: false,
            effect: Effect::Change,
            expect: Expect::default(),
            shown_path: None,
        }
    }

    /// A start: its messages speak of the payment.
    pub fn paying(self) -> Request<'a> {
        Request { effect: Effect::Payment, ..self }
    }

    /// A token request: its failures leave the advice to the call it was for.
    pub fn for_token(self) -> Request<'a> {
        Request { effect: Effect::Token, ..self }
    }

    /// A POST that changes nothing (a card check, a balance receipt, a list of payment methods): its messages
    /// say that it is safe to send again.
    pub fn reading(self) -> Request<'a> {
        Request { effect: Effect::Read, ..self }
    }

    /// The path as log lines show it, when `path` holds what must not be logged in full (a card number).
    pub fn shown_as(self, shown_path: &'a str) -> Request<'a> {
        Request { shown_path: Some(shown_path), ..self }
    }

    /// The path for log lines and messages.
    pub fn logged_path(&self) -> &'a str {
        self.shown_path.unwrap_or(self.path)
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
            effect: Effect::Read,
            expect: Expect::default(),
            shown_path: None,
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

/// When a request must be over, and what may end it earlier. Every request of one call (its token requests
/// and its one repeat too) gets the call's deadline, so that the call as a whole keeps its timeout.
#[derive(Clone)]
pub struct Bound {
    pub deadline: Instant,
    pub abandon: Option<Abandon>,
}

impl Bound {
    pub fn until(deadline: Instant) -> Bound {
        Bound { deadline, abandon: None }
    }

    pub fn abandoned_when(self, abandon: Abandon) -> Bound {
        Bound { abandon: Some(abandon), ..self }
    }
}

/// What one request brought back, before its meaning is decided.
#[derive(Debug)]
pub struct Sent {
    pub http_status: Option<u16>,
    /// The complete answer; empty when none arrived.
    pub body: Vec<u8>,
    location: Option<String>,
    effect: Effect,
    /// A failure of the transport (nothing sent, or no complete answer).
    pub transport: Result<(), Error>,
}

impl Sent {
    /// The API's meaning of the answer to `request`; `secrets` are scrubbed from the server's texts in it.
    pub fn classified(self, request: &Request, secrets: &Secrets) -> Answer {
        match (self.transport, self.http_status) {
            (Ok(()), Some(status)) => {
                let asked = outcome::Asked { effect: self.effect, expect: request.expect, secrets };
                let (result, transaction) = outcome::judge(status, &self.body, self.location.as_deref(), asked);
                Answer::judged(status, self.body, result, transaction)
            }
            (Err(error), status) => Answer::failed(status, error),
            (Ok(()), None) => unreachable!("an answer without a status is a transport failure"),
        }
    }
}

impl Agent {
    /// The timeouts of a call like `request`: the terminal timeout replaces the total one for the calls that wait
    /// for a card terminal.
    pub fn timeouts_of(&self, request: &Request) -> Timeouts {
        let total = if request.waits_for_terminal { self.terminal } else { self.timeouts.total };
        Timeouts { total, ..self.timeouts }
    }

    /// When a call like `request` that starts now must be over.
    pub fn deadline(&self, request: &Request) -> Instant {
        Instant::now() + self.timeouts_of(request).total
    }

    /// Sends one request, once, as a call of its own, and judges its answer by what the request expects (its
    /// [`Expect`]).
    pub fn exchange(&self, request: &Request, log: &Log) -> Answer {
        self.send(request, log).classified(request, &log.secrets)
    }

    /// [`Agent::exchange`] within `bound`: one request of a call that may send several.
    pub fn exchange_within(&self, request: &Request, log: &Log, bound: &Bound) -> Answer {
        self.send_within(request, log, bound).classified(request, &log.secrets)
    }

    /// Sends one request, once, as a call of its own (bounded by its own timeouts); see [`Agent::send_within`].
    pub fn send(&self, request: &Request, log: &Log) -> Sent {
        self.send_within(request, log, &Bound::until(self.deadline(request)))
    }

    /// Sends one request, once, within `bound`, and logs one line at info: method, path, status (or failure)
    /// and time taken.
    pub fn send_within(&self, request: &Request, log: &Log, bound: &Bound) -> Sent {
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
                request.logged_path()
            )
        });
        let sent = self.send_unlogged(request, bound);
        log.write(Level::Debug, || {
            format!("{} {}: {} bytes of answer", request.method.as_str(), request.logged_path(), sent.body.len())
        });
        log.write(Level::Info, || {
            let (method, path, took) = (request.method.as_str(), request.logged_path(), started.elapsed().as_millis());
            match (&sent.transport, sent.http_status) {
                (Ok(()), Some(status)) => format!("{method} {path} -> HTTP {status} after {took} ms"),
                // The message names the status itself, when there is one.
                (Err(e), _) => format!("{method} {path} failed after {took} ms: {}", e.message),
                (Ok(()), None) => format!("{method} {path}: no answer after {took} ms"),
            }
        });
        sent
    }

    /// Runs the request watched: a transport failure is classified by how far the exchange got. Its ureq
    /// timeout is the time left to `bound`'s deadline, and connecting gets the connect timeout or what is left,
    /// whichever is shorter; with no time left it is not sent at all.
    fn send_unlogged(&self, request: &Request, bound: &Bound) -> Sent {
        let now = Instant::now();
        let left = bound.deadline.saturating_duration_since(now);
        if left.is_zero() {
            let error = Error::new(
                ErrorKind::Connect,
                format!(
                    "{} {}: the call's time ran out before this request could be sent (the timeout counts every \
                     request of the call, token requests included). Nothing was sent: it is safe to try again",
                    request.method.as_str(),
                    request.logged_path()
                ),
            );
            return Sent {
                http_status: None,
                body: Vec::new(),
                location: None,
                effect: request.effect,
                transport: Err(error),
            };
        }
        let connect = self.timeouts.connect.min(left);
        let watch = self.board.watch(now + connect, bound.abandon.clone());
        self.send_watched(request, &watch, left, connect)
    }

    fn send_watched(
        &self,
        request: &Request,
        watch: &super::transport::Watch,
        left: Duration,
        connect: Duration,
    ) -> Sent {
        let timeouts = self.timeouts_of(request);
        let url = format!("{}{}", self.base.as_str(), request.path);
        let bearer = request.bearer.map(|token| format!("Bearer {token}"));
        let answer = match request.method {
            Method::Get => {
                let mut builder = self.agent.get(&url);
                if let Some(bearer) = &bearer {
                    // Every SDK sends Authorization; the seed and some guide pages show Authenticate: send both.
                    builder = builder.header("Authorization", bearer).header("Authenticate", bearer);
                }
                bounded(builder, left, connect).call()
            }
            Method::Post | Method::Put => {
                let mut builder =
                    if request.method == Method::Put { self.agent.put(&url) } else { self.agent.post(&url) };
                if let Some(bearer) = &bearer {
                    builder = builder.header("Authorization", bearer).header("Authenticate", bearer);
                }
                let builder = bounded(builder, left, connect);
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
                let error = transport_error(&e, watch.stage(), &self.base, timeouts, request.effect);
                return Sent {
                    http_status: None,
                    body: Vec::new(),
                    location: None,
                    effect: request.effect,
                    transport: Err(error),
                };
            }
        };
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut body = Vec::with_capacity(presized(response.body().content_length()));
        let read = response.body_mut().with_config().limit(MAX_BODY_BYTES).reader().read_to_end(&mut body);
        let error = match read.map_err(ureq::Error::from) {
            Ok(_) => {
                return Sent { http_status: Some(status), body, location, effect: request.effect, transport: Ok(()) }
            }
            Err(ureq::Error::BodyExceedsLimit(_)) => outcome::unread(status, MAX_BODY_BYTES >> 20, request.effect),
            Err(e) => Error::new(
                ErrorKind::OutcomeUnknown,
                format!(
                    "HTTP {status}: the answer broke off ({}).{}",
                    plain_words(&e, timeouts),
                    sent_advice(request.effect)
                ),
            ),
        };
        // The head arrived, the body did not: the status is known, no answer is kept.
        Sent { http_status: Some(status), body: Vec::new(), location, effect: request.effect, transport: Err(error) }
    }
}

impl Agent {
    /// Makes a connection to the API ready for the next request, within `bound` and at most the connect
    /// timeout: looks the host up, connects and completes TLS, or finds a pooled connection still open. Sends
    /// nothing: the request that carries this through ureq's pool and connector chain is answered inside the
    /// process ([`Board::watch_ahead`](super::transport::Board::watch_ahead)), and the connection goes back to
    /// the pool. A failure is one of connecting (`Connect`, `Tls`), with nothing sent.
    pub fn connect_ahead(&self, bound: &Bound) -> Result<(), Error> {
        let left = bound.deadline.saturating_duration_since(Instant::now());
        let connect = self.timeouts.connect.min(left);
        if connect.is_zero() {
            return Err(Error::new(ErrorKind::Connect, "no time was left to connect ahead. Nothing was sent"));
        }
        let watch = self.board.watch_ahead(Instant::now() + connect);
        let url = format!("{}/", self.base.as_str());
        let answer = bounded(self.agent.get(&url), connect, connect).call();
        // The answer is empty; reading it to its end puts the connection back in the pool.
        match answer.and_then(|mut ready| ready.body_mut().read_to_vec().map(drop)) {
            Ok(()) => Ok(()),
            Err(e) => Err(transport_error(&e, watch.stage(), &self.base, self.timeouts, Effect::Read)),
        }
    }
}

/// `builder` with the time this request has: `left` in all, `connect` of it to look up and connect.
fn bounded<B>(builder: ureq::RequestBuilder<B>, left: Duration, connect: Duration) -> ureq::RequestBuilder<B> {
    builder.config().timeout_global(Some(left)).timeout_resolve(Some(connect)).timeout_connect(Some(connect)).build()
}

/// Room for the body the server declares, made once instead of growing as the bytes come (a 4 KB answer
/// otherwise costs several reallocations and copies); at most 1 MiB, so that a length claimed but never sent
/// costs no more than that.
fn presized(content_length: Option<u64>) -> usize {
    const MAX_PRESIZED: u64 = 1 << 20;
    content_length.map_or(0, |len| len.min(MAX_PRESIZED) as usize)
}

/// `POST .../Transactions/{id}/start/cash` sent once with `token`: for this layer's own tests, which know nothing
/// of the API client above it (the library's one start is `api::start`).
#[cfg(test)]
impl Agent {
    pub(crate) fn start_cash_for_test(&self, id: super::TransactionId, token: super::Token) -> Answer {
        let path = format!("/api/v2/Smart/Transactions/{}/start/cash", id.as_str());
        let request = Request::post(&path, Body::Empty)
            .paying()
            .bearer(token.as_str())
            .expecting(Subject::Transaction(id), Wanted::Paid);
        self.exchange(&request, &super::Log::default())
    }
}
