//! The control API (`/_sandbox/...`): what tests use to set the sandbox up and to read what it saw. No part of
//! the API; its routes are listed by [`routes`].

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::api;
use crate::behaviour::{Behaviour, Rule};
use crate::ids;
use crate::oauth::DeviceSelector;
use crate::store::AppState;

/// Upper bound for `count` in one create call.
const MAX_CREATE_COUNT: u64 = 100_000;
const DEFAULT_PREFIX: &str = "STX_SANDBOX";

type App = State<Arc<AppState>>;

/// The control API's routes, every one under `/_sandbox/`: they drive the sandbox and are no part of the API.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/_sandbox/transactions", post(create_transactions))
        .route("/_sandbox/transactions/{id}/behaviour", put(set_behaviour))
        .route("/_sandbox/transactions/{id}/requests", get(list_requests))
        .route("/_sandbox/devices/{id}/online", put(crate::loyalty_api::set_device_online))
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/rules", post(add_rule).delete(clear_rules))
        .route("/_sandbox/oauth/stats", get(oauth_stats))
        .route("/_sandbox/oauth/confirm", post(oauth_confirm))
        .route("/_sandbox/oauth/expire", post(oauth_expire))
        .route("/_sandbox/oauth/slow_down", post(oauth_slow_down))
        .route("/_sandbox/oauth/reject_status", put(oauth_reject_status))
}

fn bad_request(message: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, format!("{}\n", message.into())).into_response()
}

/// The body as JSON (an empty body is `{}`, so `curl -X POST .../_sandbox/transactions` creates one random
/// transaction); the error in the control API's words.
fn json_body(body: &Bytes) -> Result<Value, String> {
    api::json_body(body).map_err(|e| format!("body is not JSON: {e}"))
}

/// Which ids a create request asks for, and their behaviour.
fn plan_create(request: &Value) -> Result<(Vec<String>, Behaviour), String> {
    let fields = request.as_object().ok_or("body must be a JSON object")?;
    let behaviour = match fields.get("behaviour") {
        None | Some(Value::Null) => Behaviour::Normal,
        Some(b) => Behaviour::from_json(b).map_err(|e| format!("behaviour: {e}"))?,
    };
    let ids = match (fields.get("id"), fields.get("count")) {
        (Some(_), Some(_)) => return Err("give \"id\" or \"count\", not both".into()),
        (Some(id), None) => {
            let id = id
                .as_str()
                .filter(|id| ids::is_valid_id(id))
                .ok_or("\"id\" must be a string of [A-Za-z0-9_] (1..128 chars)")?;
            vec![id.to_owned()]
        }
        (None, Some(count)) => {
            let count = count
                .as_u64()
                .filter(|n| *n <= MAX_CREATE_COUNT)
                .ok_or_else(|| format!("\"count\" must be an integer 0..={MAX_CREATE_COUNT}"))?;
            let prefix = match fields.get("prefix") {
                None => DEFAULT_PREFIX,
                Some(prefix) => prefix
                    .as_str()
                    .filter(|p| ids::is_valid_id(p))
                    .ok_or("\"prefix\" must be a string of [A-Za-z0-9_] (1..128 chars)")?,
            };
            (0..count).map(|i| format!("{prefix}_{i}")).collect()
        }
        (None, None) => vec![ids::random_transaction_id()],
    };
    Ok((ids, behaviour))
}

/// POST /_sandbox/transactions: fresh copies of the seed (replacing existing ids), status "created".
async fn create_transactions(State(app): App, body: Bytes) -> Response {
    let (ids, behaviour) = match json_body(&body).and_then(|request| plan_create(&request)) {
        Ok(plan) => plan,
        Err(message) => return bad_request(message),
    };
    {
        let mut store = app.store();
        for id in &ids {
            store.create(id, behaviour.clone());
        }
    }
    (StatusCode::CREATED, Json(json!({ "ids": ids }))).into_response()
}

/// PUT /_sandbox/transactions/{id}/behaviour
async fn set_behaviour(State(app): App, Path(id): Path<String>, body: Bytes) -> Response {
    let parsed = json_body(&body).and_then(|value| Behaviour::from_json(&value).map_err(|e| format!("behaviour: {e}")));
    let behaviour = match parsed {
        Ok(behaviour) => behaviour,
        Err(message) => return bad_request(message),
    };
    let known = app.store().set_behaviour(&id, behaviour);
    if known {
        StatusCode::NO_CONTENT.into_response()
    } else {
        (StatusCode::NOT_FOUND, "unknown transaction\n").into_response()
    }
}

/// GET /_sandbox/transactions/{id}/requests
async fn list_requests(State(app): App, Path(id): Path<String>) -> Response {
    let requests = app.store().requests(&id);
    match requests {
        Some(requests) => Json(requests).into_response(),
        None => (StatusCode::NOT_FOUND, "unknown transaction\n").into_response(),
    }
}

/// GET /_sandbox/stats
async fn stats(State(app): App) -> Json<Value> {
    Json(json!({ "api_requests": app.api_requests() }))
}

/// POST /_sandbox/rules `{"method"?, "path"?, "times"?, "behaviour"}`: a behaviour for the next matching calls.
async fn add_rule(State(app): App, body: Bytes) -> Response {
    match json_body(&body).and_then(|value| Rule::from_json(&value)) {
        Ok(rule) => {
            app.add_rule(rule);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(message) => bad_request(message),
    }
}

/// DELETE /_sandbox/rules
async fn clear_rules(State(app): App) -> Response {
    app.clear_rules();
    StatusCode::NO_CONTENT.into_response()
}

/// GET /_sandbox/oauth/stats: token requests by grant.
async fn oauth_stats(State(app): App) -> Response {
    let counts = app.oauth().counts();
    Json(counts).into_response()
}

/// POST /_sandbox/oauth/confirm `{"user_code"?, "device_code"?, "deny"?}`: the merchant confirms (or denies)
/// the pending device codes named, or all of them; answers `{"confirmed": n}`.
async fn oauth_confirm(State(app): App, body: Bytes) -> Response {
    let request = match json_body(&body) {
        Ok(request) => request,
        Err(message) => return bad_request(message),
    };
    let text = |key: &str| request.get(key).and_then(Value::as_str).map(str::to_owned);
    let selector = match (text("user_code"), text("device_code")) {
        (Some(code), _) => DeviceSelector::UserCode(code),
        (None, Some(code)) => DeviceSelector::DeviceCode(code),
        (None, None) => DeviceSelector::All,
    };
    let deny = request.get("deny").and_then(Value::as_bool).unwrap_or(false);
    let changed = app.oauth().confirm(&selector, !deny);
    Json(json!({ "confirmed": changed })).into_response()
}

/// POST /_sandbox/oauth/expire `{"refresh_tokens"?: bool}`: every issued access token expires now; with
/// `refresh_tokens`, the refresh tokens are revoked too.
async fn oauth_expire(State(app): App, body: Bytes) -> Response {
    let request = match json_body(&body) {
        Ok(request) => request,
        Err(message) => return bad_request(message),
    };
    let refresh_tokens = request.get("refresh_tokens").and_then(Value::as_bool).unwrap_or(false);
    app.oauth().expire_all(refresh_tokens, Instant::now());
    StatusCode::NO_CONTENT.into_response()
}

/// POST /_sandbox/oauth/slow_down `{"polls": n}`: the next n device polls answer `slow_down`.
async fn oauth_slow_down(State(app): App, body: Bytes) -> Response {
    let polls = json_body(&body).ok().and_then(|r| r.get("polls").and_then(Value::as_u64));
    match polls.and_then(|n| u32::try_from(n).ok()) {
        Some(polls) => {
            app.oauth().force_slow_downs(polls);
            StatusCode::NO_CONTENT.into_response()
        }
        None => bad_request("body must be {\"polls\": n}"),
    }
}

/// PUT /_sandbox/oauth/reject_status `{"status": 401|403}`: how a refused token is answered from now on.
async fn oauth_reject_status(State(app): App, body: Bytes) -> Response {
    let wanted = json_body(&body).ok().and_then(|r| r.get("status").and_then(Value::as_u64));
    match wanted {
        Some(code @ (401 | 403)) => {
            app.set_reject_status(code as u16);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => bad_request("body must be {\"status\": 401} or {\"status\": 403}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids_of(request: Value) -> Result<Vec<String>, String> {
        plan_create(&request).map(|(ids, _)| ids)
    }

    #[test]
    fn create_one_named_transaction() {
        assert_eq!(ids_of(json!({"id":"STX_MINE"})), Ok(vec!["STX_MINE".to_owned()]));
    }

    #[test]
    fn create_numbered_transactions_with_default_and_own_prefix() {
        assert_eq!(ids_of(json!({"count":2})), Ok(vec!["STX_SANDBOX_0".to_owned(), "STX_SANDBOX_1".to_owned()]));
        assert_eq!(ids_of(json!({"count":3,"prefix":"STX_LOAD"})).unwrap()[2], "STX_LOAD_2");
        assert_eq!(ids_of(json!({"count":0})), Ok(vec![]));
    }

    #[test]
    fn create_without_id_or_count_makes_one_random_id() {
        let ids = ids_of(json!({})).unwrap();
        assert_eq!(ids.len(), 1);
        assert!(ids[0].starts_with("STX_") && ids[0].len() == 34, "{ids:?}");
    }

    #[test]
    fn create_carries_the_behaviour() {
        let (_, behaviour) = plan_create(&json!({"behaviour":{"mode":"reset"}})).unwrap();
        assert_eq!(behaviour, Behaviour::Reset);
    }

    #[test]
    fn bad_create_requests_are_refused() {
        for bad in [
            json!([]),
            json!({"id":"a","count":1}),
            json!({"id":"a/b"}),
            json!({"id":7}),
            json!({"count":-1}),
            json!({"count":100_001}),
            json!({"count":1,"prefix":"x y"}),
            json!({"behaviour":{"mode":"nope"}}),
        ] {
            assert!(plan_create(&bad).is_err(), "{bad} accepted");
        }
    }
}
