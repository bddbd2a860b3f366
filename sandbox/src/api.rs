//! The API's calls (`/api/v2/Smart/Transactions...` and `/oauth/token`), all through one pipeline: record,
//! check the token, pick the behaviour (a rule for the path first, then the transaction's own), answer in the
//! API's place or execute, then deliver the answer as the behaviour says.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};

use crate::answer::{self, JsonAnswer};
use crate::auth;
use crate::behaviour::{Behaviour, ConnectionKill};
use crate::errors;
use crate::ids;
use crate::log::log;
use crate::loyalty::CardRefusal;
use crate::store::{AppState, Filter, Refused, RequestRecord};
use crate::transaction::{waits_for_terminal, DEVICE_ID};

pub(crate) type App = State<Arc<AppState>>;
pub(crate) type Kill = Option<Extension<ConnectionKill>>;

/// Default and largest page of a list.
const DEFAULT_COUNT: usize = 20;
const MAX_COUNT: usize = 1000;

/// The parts of a request every call needs.
pub struct Call {
    pub(crate) method: Method,
    pub(crate) uri: Uri,
    pub(crate) headers: HeaderMap,
    pub(crate) kill: Kill,
}

/// Which transaction a call names: its requests are recorded there, and its behaviour applies, except to the
/// read, which always tells the truth so a client can learn what happened after a lost answer.
pub(crate) enum Target<'a> {
    Nothing,
    Changes(&'a str),
    Reads(&'a str),
}

/// What a behaviour asks of the execution itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Effects {
    decline: bool,
    terminal_delay: Duration,
}

/// The result of executing a call.
pub(crate) enum Work {
    Done(JsonAnswer),
    /// The card terminal is busy: `finish` runs after `delay` in a task of its own, so the transaction reaches
    /// its end even when the client has gone away meanwhile.
    Terminal {
        delay: Duration,
        finish: Box<dyn FnOnce(&AppState) -> JsonAnswer + Send>,
    },
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers.get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

pub(crate) async fn respond(
    app: Arc<AppState>,
    call: Call,
    target: Target<'_>,
    needs_auth: bool,
    work: impl FnOnce(&AppState, Effects) -> Work,
) -> Response {
    let path = call.uri.path().to_owned();
    let auth = auth::check(&call.headers, |token| app.accepts(token));
    let own_behaviour = match target {
        Target::Nothing => None,
        Target::Changes(id) | Target::Reads(id) => {
            let record = RequestRecord {
                method: call.method.to_string(),
                path: path.clone(),
                authorization: auth.authorization,
                authenticate: auth.authenticate,
                user_agent: header_text(&call.headers, USER_AGENT),
                accept: header_text(&call.headers, ACCEPT),
            };
            let behaviour = app.store().record(id, record);
            behaviour.filter(|_| matches!(target, Target::Changes(_)))
        }
    };
    if needs_auth && !auth.is_authorized() {
        return errors::unauthorized(app.reject_status()).into_response();
    }
    let behaviour = app.take_rule(call.method.as_str(), &path).or(own_behaviour).unwrap_or_default();

    // Behaviours that answer in the API's place: nothing is executed.
    match &behaviour {
        Behaviour::Html { status: code } => return answer::html_page(status(*code)),
        Behaviour::Redirect { location, status: code } => return answer::redirect(status(*code), location),
        Behaviour::Empty { status: code } => return answer::empty(status(*code)),
        Behaviour::Error { status: code, code: api_code, error, details } => {
            return errors::custom(status(*code), api_code, error, details).into_response()
        }
        Behaviour::ResetBefore => return reset_connection(call.kill, &call.method, &path).await,
        _ => {}
    }

    let effects = match behaviour {
        Behaviour::Terminal { delay_ms, decline } => {
            Effects { decline, terminal_delay: Duration::from_millis(delay_ms) }
        }
        Behaviour::Failed => Effects { decline: true, terminal_delay: app.terminal_delay },
        _ => Effects { decline: false, terminal_delay: app.terminal_delay },
    };
    let answer = match work(&app, effects) {
        Work::Done(answer) => answer,
        Work::Terminal { delay, finish } => {
            let app = app.clone();
            let terminal = tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                finish(&app)
            });
            terminal.await.unwrap_or_else(|_| errors::internal())
        }
    };

    // Executed (or refused); now the answer is delivered as the behaviour says.
    let success = answer.status.is_success();
    match behaviour {
        Behaviour::Late { delay_ms } => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            answer.into_response()
        }
        Behaviour::Reset => reset_connection(call.kill, &call.method, &path).await,
        Behaviour::Truncate => answer.truncated(),
        Behaviour::Huge { mib, declared } if success => answer.huge(mib, declared),
        Behaviour::Malformed if success => answer.malformed(),
        _ => answer.into_response(),
    }
}

/// Has the connection task drop the connection with SO_LINGER 0 (RST); this request never gets an answer.
async fn reset_connection(kill: Kill, method: &Method, path: &str) -> Response {
    match kill {
        Some(Extension(kill)) => {
            log!("{method} {path} -> connection reset on purpose");
            kill.fire();
            std::future::pending().await
        }
        None => (StatusCode::INTERNAL_SERVER_ERROR, "reset needs the sandbox's own connection loop\n").into_response(),
    }
}

fn refusal(refused: Refused) -> JsonAnswer {
    match refused {
        Refused::UnknownId => errors::transaction_not_found(),
        Refused::AlreadyStarted => errors::already_started(),
        Refused::Invalid(details) => errors::bad_request(&details),
    }
}

fn answer_of(result: Result<String, Refused>) -> JsonAnswer {
    result.map_or_else(refusal, JsonAnswer::ok)
}

/// The body as JSON; an empty body is `{}`. The one reading of a request body, the API's and the control API's.
pub fn json_body(body: &[u8]) -> Result<Value, serde_json::Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body)
}

/// [`json_body`], refused in the API's words.
pub(crate) fn api_json_body(body: &Bytes) -> Result<Value, JsonAnswer> {
    json_body(body).map_err(|e| errors::bad_request(&format!("The body is not JSON: {e}")))
}

macro_rules! call {
    ($method:ident, $uri:ident, $headers:ident, $kill:ident) => {
        $crate::api::Call { method: $method, uri: $uri, headers: $headers, kill: $kill }
    };
}
pub(crate) use call;

/// POST /api/v2/Smart/Transactions
pub async fn create(
    State(app): App,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(app, call!(method, uri, headers, kill), Target::Nothing, true, |app, _| {
        Work::Done(match api_json_body(&body) {
            Ok(request) => answer_of(app.store().create_from_request(&request)),
            Err(refused) => refused,
        })
    })
    .await
}

/// GET /api/v2/Smart/Transactions?count=&offset=&q=
pub async fn list(State(app): App, kill: Kill, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let query: HashMap<String, String> =
        form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect();
    respond(app, call!(method, uri, headers, kill), Target::Nothing, true, |app, _| {
        let number = |key: &str, default: usize| match query.get(key) {
            None => Ok(default),
            Some(text) => text.parse::<usize>().map_err(|_| errors::bad_request(&format!("{key} must be a number"))),
        };
        let page = Filter::parse(query.get("q").map(String::as_str))
            .map_err(|e| errors::bad_request(&e))
            .and_then(|filter| Ok((filter, number("offset", 0)?, number("count", DEFAULT_COUNT)?.min(MAX_COUNT))))
            .map(|(filter, offset, count)| app.store().list(&filter, offset, count));
        Work::Done(match page {
            // Built as text so every transaction keeps its own bytes (the seed's are the fixture's).
            Ok(page) => JsonAnswer::ok(format!(
                "{{\"count\":{},\"data\":[{}],\"scroll_id\":\"{}\"}}",
                page.count,
                page.texts.join(","),
                ids::support_id()
            )),
            Err(refused) => refused,
        })
    })
    .await
}

/// GET /api/v2/Smart/Transactions/{id}
pub async fn read(
    State(app): App,
    path: Result<Path<String>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Ok(Path(id)) = path else {
        return errors::unknown_route().into_response();
    };
    respond(app, call!(method, uri, headers, kill), Target::Reads(&id), true, |app, _| {
        Work::Done(answer_of(app.store().text(&id)))
    })
    .await
}

/// PUT /api/v2/Smart/Transactions/{id}
pub async fn update(
    State(app): App,
    path: Result<Path<String>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(Path(id)) = path else {
        return errors::unknown_route().into_response();
    };
    respond(app, call!(method, uri, headers, kill), Target::Changes(&id), true, |app, _| {
        Work::Done(match api_json_body(&body) {
            Ok(request) => answer_of(app.store().update(&id, &request)),
            Err(refused) => refused,
        })
    })
    .await
}

/// The body of `start/cashless_direct`: tid, trace and cardtype, as strings or numbers.
fn direct_payment(body: &Bytes) -> Result<Value, JsonAnswer> {
    let request = api_json_body(body)?;
    for key in ["tid", "trace", "cardtype"] {
        match request.get(key) {
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(Value::Number(_)) => {}
            _ => return Err(errors::bad_request(&format!("start/cashless_direct needs {key}"))),
        }
    }
    Ok(request)
}

/// POST /api/v2/Smart/Transactions/{id}/start/{method}
pub async fn start(
    State(app): App,
    path: Result<Path<(String, String)>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(Path((id, payment_method))) = path else {
        return errors::unknown_route().into_response();
    };
    respond(app, call!(method, uri, headers, kill), Target::Changes(&id), true, |app, effects| {
        let direct = match payment_method.as_str() {
            "cashless_direct" => match direct_payment(&body) {
                Ok(direct) => Some(direct),
                Err(refused) => return Work::Done(refused),
            },
            _ => None,
        };
        if payment_method == "loyalty" {
            if let Err(refused) = card_can_pay(app, &id) {
                return Work::Done(refused);
            }
        }
        let started = app.store().start(&id, &payment_method, effects.decline, direct.as_ref());
        if payment_method == "loyalty" && started.is_ok() && !effects.decline {
            card_paid(app, &id);
        }
        match started {
            Ok(_) if waits_for_terminal(&payment_method) => {
                let (id, payment_method) = (id.clone(), payment_method.clone());
                Work::Terminal {
                    delay: effects.terminal_delay,
                    finish: Box::new(move |app| {
                        answer_of(app.store().finish_start(&id, &payment_method, effects.decline))
                    }),
                }
            }
            started => Work::Done(answer_of(started)),
        }
    })
    .await
}

/// The card number and sum of a transaction paid by its first card ident.
fn card_and_sum(app: &AppState, id: &str) -> Option<(String, i64)> {
    let tx = app.store().transaction(id)?;
    let number = tx.idents.first()?.get("value")?.as_str()?.to_owned();
    Some((number, tx.sum()))
}

/// Before a `loyalty` start: a locked card or one without the sum refuses the payment (the API's 400).
fn card_can_pay(app: &AppState, id: &str) -> Result<(), JsonAnswer> {
    let Some((number, sum)) = card_and_sum(app, id) else { return Ok(()) };
    match app.loyalty().can_pay(&number, sum) {
        Ok(()) => Ok(()),
        Err(CardRefusal::Locked) => Err(errors::bad_request("The merchant card is locked")),
        Err(CardRefusal::Insufficient { balance, sum }) => {
            Err(errors::bad_request(&format!("Insufficient card balance: {balance} cent for a sum of {sum} cent")))
        }
    }
}

/// After a `loyalty` start: the sum comes off the card.
fn card_paid(app: &AppState, id: &str) {
    if let Some((number, sum)) = card_and_sum(app, id) {
        app.loyalty().pay(&number, sum);
    }
}

/// POST /api/v2/Smart/Transactions/{id}/{action}: preTransaction, cancel, abort (by transaction id),
/// canceltrx (by receipt number), endOfDay and diagnosis (by device, `me`).
pub async fn action(
    State(app): App,
    path: Result<Path<(String, String)>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Ok(Path((subject, action))) = path else {
        return errors::unknown_route().into_response();
    };
    let call = call!(method, uri, headers, kill);
    match action.as_str() {
        "preTransaction" | "cancel" | "abort" => {
            respond(app, call, Target::Changes(&subject), true, |app, _| {
                let mut store = app.store();
                Work::Done(match action.as_str() {
                    "preTransaction" => {
                        store.pre_transaction(&subject).map_or_else(refusal, |v| JsonAnswer::new(StatusCode::OK, &v))
                    }
                    "cancel" => answer_of(store.cancel(&subject)),
                    _ => answer_of(store.abort(&subject)),
                })
            })
            .await
        }
        "canceltrx" => {
            respond(app, call, Target::Nothing, true, |_, effects| Work::Terminal {
                delay: effects.terminal_delay,
                finish: Box::new(move |app| answer_of(app.store().cancel_by_receipt_number(&subject))),
            })
            .await
        }
        "endOfDay" | "diagnosis" => {
            respond(app, call, Target::Nothing, true, |_, effects| {
                if subject != "me" && subject != DEVICE_ID {
                    return Work::Done(errors::device_not_found());
                }
                Work::Terminal {
                    delay: effects.terminal_delay,
                    finish: Box::new(move |app| device_answer(app, &action)),
                }
            })
            .await
        }
        _ => errors::unknown_route().into_response(),
    }
}

/// The terminal's report: end of day settles the card payments paid since the last one; diagnosis says it is
/// ready.
fn device_answer(app: &AppState, action: &str) -> JsonAnswer {
    let line = |kind: &str, value: Value| json!({ "type": kind, "value": value });
    let receipt = if action == "endOfDay" {
        let (count, sum) = app.store().close_day();
        vec![
            line("separator", json!({ "caption": "Kassenschnitt" })),
            line("name-value", json!({ "name": "Kartenzahlungen", "value": count.to_string(), "decoration": [] })),
            line(
                "name-value",
                json!({ "name": "Summe EUR", "value": format!("{},{:02}", sum / 100, sum % 100), "decoration": ["important"] }),
            ),
            json!({ "type": "space" }),
        ]
    } else {
        vec![
            line("separator", json!({ "caption": "Diagnose" })),
            line("textline", json!({ "text": "Terminal bereit", "decoration": ["align-center"] })),
            line("name-value", json!({ "name": "Terminal-ID", "value": "52500123", "decoration": [] })),
        ]
    };
    JsonAnswer::new(
        StatusCode::OK,
        &json!({ "object": "smart.devices", "id": DEVICE_ID, "status": "ok", "receipt": receipt }),
    )
}

/// POST /oauth/token: form or JSON fields; subject to rules like every call, but not to a bearer token.
pub async fn oauth_token(
    State(app): App,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = token_fields(&headers, &body);
    respond(app, call!(method, uri, headers, kill), Target::Nothing, false, |app, _| {
        let fields = match fields {
            Ok(fields) => fields,
            Err(message) => {
                let error = json!({ "error": "invalid_request", "error_description": message });
                return Work::Done(JsonAnswer::new(StatusCode::BAD_REQUEST, &error));
            }
        };
        let answer = app.oauth().token(&fields, Instant::now());
        let grant = fields.get("grant_type").map_or("-", String::as_str);
        Work::Done(match answer {
            Ok(reply) => {
                log!("POST /oauth/token grant {grant:?}: 200");
                JsonAnswer::new(StatusCode::OK, &reply)
            }
            Err(refused) => {
                log!("POST /oauth/token grant {grant:?}: {} {}", refused.status, refused.error);
                JsonAnswer::new(status(refused.status), &refused.body())
            }
        })
    })
    .await
}

/// The flat fields of a token request: JSON when the body is a JSON object (or says so), else form-urlencoded.
/// JSON numbers and booleans are taken as their text, as a lenient server would.
fn token_fields(headers: &HeaderMap, body: &[u8]) -> Result<HashMap<String, String>, String> {
    let declared_json = header_text(headers, CONTENT_TYPE).is_some_and(|t| t.to_ascii_lowercase().contains("json"));
    let looks_json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if declared_json || looks_json {
        let value: Value = serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
        let object = value.as_object().ok_or("body must be a JSON object")?;
        return Ok(object
            .iter()
            .filter_map(|(key, value)| {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => return None,
                };
                Some((key.clone(), text))
            })
            .collect());
    }
    Ok(form_urlencoded::parse(body).into_owned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_fields_from_form_and_json() {
        let mut headers = HeaderMap::new();
        let form = token_fields(&headers, b"grant_type=client_credentials&client_id=a%20b&client_secret=s").unwrap();
        assert_eq!(form["client_id"], "a b");
        let json = token_fields(&headers, br#" {"grant_type":"device","code":"c","n":5}"#).unwrap();
        assert_eq!((json["grant_type"].as_str(), json["n"].as_str()), ("device", "5"));
        headers.insert(CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
        assert!(token_fields(&headers, b"grant_type=x").is_err());
        assert!(token_fields(&headers, b"[1]").is_err());
    }

    #[test]
    fn cashless_direct_needs_tid_trace_and_cardtype() {
        assert!(direct_payment(&Bytes::from_static(br#"{"tid":"1","trace":2,"cardtype":"girocard"}"#)).is_ok());
        assert!(direct_payment(&Bytes::from_static(br#"{"tid":"1","trace":2}"#)).is_err());
        assert!(direct_payment(&Bytes::from_static(b"")).is_err());
    }
}
