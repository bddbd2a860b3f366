//! The API's routes beyond the transaction (`/api/v2/Loyalty/MerchantCards...`, `/api/v2/Smart/Devices...`,
//! `/api/v2/General/Contracts/{id}/getAvailablePaymentMethods`), through the same pipeline as the others
//! ([`api::respond`]): a token is needed, and the rules' fault behaviours (HTML, empty, reset, late, truncated,
//! malformed ...) apply by method and path prefix. The state is in [`crate::loyalty`].

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::answer::JsonAnswer;
use crate::api::{self, api_json_body, call, respond, App, Kill, Target, Work};
use crate::errors;
use crate::loyalty::Loyalty;

fn not_found(what: &str) -> JsonAnswer {
    errors::custom(StatusCode::NOT_FOUND, &Value::from(1404), "ProductNotFoundException", &format!("{what} not found"))
}

/// GET /api/v2/Loyalty/MerchantCards?q=card.cardnumber:N
pub async fn search_cards(State(app): App, kill: Kill, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let query: HashMap<String, String> =
        form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect();
    respond(app, call!(method, uri, headers, kill), Target::Nothing, true, |app, _| {
        Work::Done(match app.loyalty().search(query.get("q").map(String::as_str)) {
            Ok(page) => JsonAnswer::new(StatusCode::OK, &page),
            Err(e) => errors::bad_request(&e),
        })
    })
    .await
}

/// GET /api/v2/Loyalty/MerchantCards/{id}
pub async fn read_card(
    State(app): App,
    path: Result<Path<String>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Ok(Path(id)) = path else { return errors::unknown_route().into_response() };
    respond(app, call!(method, uri, headers, kill), Target::Nothing, true, |app, _| {
        Work::Done(match app.loyalty().read(&id) {
            Some(card) => JsonAnswer::new(StatusCode::OK, &card),
            None => not_found("Merchant card"),
        })
    })
    .await
}

/// POST /api/v2/Loyalty/MerchantCards/{id}/{checkCsc|checkPasscode|getCardBalanceReceipt}
pub async fn card_action(
    State(app): App,
    path: Result<Path<(String, String)>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(Path((id, action))) = path else { return errors::unknown_route().into_response() };
    if !matches!(action.as_str(), "checkCsc" | "checkPasscode" | "getCardBalanceReceipt") {
        return errors::unknown_route().into_response();
    }
    respond(app, call!(method, uri, headers, kill), Target::Nothing, true, |app, _| {
        let request = match api_json_body(&body) {
            Ok(request) => request,
            Err(refused) => return Work::Done(refused),
        };
        let loyalty = app.loyalty();
        Work::Done(match action.as_str() {
            "getCardBalanceReceipt" => match loyalty.balance_receipt(&id, &request) {
                Some(Ok(slip)) => JsonAnswer::new(StatusCode::OK, &slip),
                Some(Err(e)) => errors::bad_request(&e),
                None => not_found("Merchant card"),
            },
            check => match loyalty.check(&id, &request, check) {
                Some(Ok(result)) => JsonAnswer::new(StatusCode::OK, &json!({ "result": result })),
                Some(Err(e)) => errors::bad_request(&e),
                None => not_found("Merchant card"),
            },
        })
    })
    .await
}

/// GET /api/v2/Smart/Devices/{id}
pub async fn read_device(
    State(app): App,
    path: Result<Path<String>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Ok(Path(id)) = path else { return errors::unknown_route().into_response() };
    respond(app, call!(method, uri, headers, kill), Target::Nothing, true, |app, _| {
        Work::Done(match app.loyalty().device(&id) {
            Some(device) => JsonAnswer::new(StatusCode::OK, &device),
            None => errors::device_not_found(),
        })
    })
    .await
}

/// GET /api/v2/Smart/Devices/{id}/routing/{type}
pub async fn routed_device(
    State(app): App,
    path: Result<Path<(String, String)>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Ok(Path((id, kind))) = path else { return errors::unknown_route().into_response() };
    respond(app, call!(method, uri, headers, kill), Target::Nothing, true, |app, _| {
        Work::Done(match app.loyalty().routed(&id, &kind) {
            Some(device) => JsonAnswer::new(StatusCode::OK, &device),
            None => errors::device_not_found(),
        })
    })
    .await
}

/// POST /api/v2/General/Contracts/{id}/getAvailablePaymentMethods
pub async fn payment_methods(
    State(app): App,
    path: Result<Path<String>, PathRejection>,
    kill: Kill,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(Path(id)) = path else { return errors::unknown_route().into_response() };
    respond(app, call!(method, uri, headers, kill), Target::Nothing, true, |_, _| {
        let request = match api_json_body(&body) {
            Ok(request) => request,
            Err(refused) => return Work::Done(refused),
        };
        let Some(currency) = request.get("currency").and_then(Value::as_str) else {
            return Work::Done(errors::bad_request("currency is required"));
        };
        Work::Done(match Loyalty::payment_methods(&id, currency) {
            Some(methods) => JsonAnswer::new(StatusCode::OK, &methods),
            None => not_found("Contract"),
        })
    })
    .await
}

/// PUT /_sandbox/devices/{id}/online `{"online": false}`: the terminal goes offline (or back online).
pub async fn set_device_online(State(app): App, Path(id): Path<String>, body: Bytes) -> Response {
    let online = api::json_body(&body).ok().and_then(|v| v.get("online").and_then(Value::as_bool));
    match online {
        Some(online) if app.loyalty().set_online(&id, online) => StatusCode::NO_CONTENT.into_response(),
        Some(_) => (StatusCode::NOT_FOUND, "no such device\n").into_response(),
        None => (StatusCode::BAD_REQUEST, "body must be {\"online\": true|false}\n").into_response(),
    }
}
