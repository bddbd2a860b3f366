//! API error bodies, shaped (and ordered) like fixtures/error-response.json:
//! `{"status":"error","error","error_details","error_user","code","supportId"}`.

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;

use crate::answer::JsonAnswer;
use crate::ids;

/// Field order as the API sends it.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    status: &'static str,
    error: String,
    error_details: String,
    /// German text for the cashier.
    error_user: String,
    /// The API sends integers or strings; kept as given.
    code: Value,
    #[serde(rename = "supportId")]
    support_id: String,
}

impl ErrorBody {
    /// An error body with a fresh supportId.
    pub fn new(error: &str, details: &str, user: &str, code: Value) -> ErrorBody {
        ErrorBody {
            status: "error",
            error: error.to_owned(),
            error_details: details.to_owned(),
            error_user: user.to_owned(),
            code,
            support_id: ids::support_id(),
        }
    }
}

fn answer(status: StatusCode, error: &str, details: &str, user: &str, code: Value) -> JsonAnswer {
    JsonAnswer::new(status, &ErrorBody::new(error, details, user, code))
}

/// The cashier text the API uses for codes it has no specific text for.
fn generic_user_text(code: &Value) -> String {
    let code = match code {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    format!("Es ist ein unbekannter Fehler aufgetreten (Code {code})")
}

/// 401 (or 403, as the API also answers an expired token): missing, unknown or expired bearer token, with
/// the fixture's body.
pub fn unauthorized(status: u16) -> JsonAnswer {
    answer(
        StatusCode::from_u16(status).unwrap_or(StatusCode::UNAUTHORIZED),
        "ProductNotAllowedException",
        "Valid auth token required",
        "Es ist ein unbekannter Fehler aufgetreten (Code 2003)",
        Value::from(2003),
    )
}

/// 404: no transaction with that id.
pub fn transaction_not_found() -> JsonAnswer {
    answer(
        StatusCode::NOT_FOUND,
        "ProductNotFoundException",
        "Transaction not found",
        "Der Vorgang wurde nicht gefunden (Code 1404)",
        Value::from(1404),
    )
}

/// 404: a path under /api/ the sandbox does not serve.
pub fn unknown_route() -> JsonAnswer {
    answer(
        StatusCode::NOT_FOUND,
        "ProductNotFoundException",
        "Unknown API route",
        "Der Vorgang wurde nicht gefunden (Code 1404)",
        Value::from(1404),
    )
}

/// 400: start on a transaction that is no longer "created".
pub fn already_started() -> JsonAnswer {
    answer(
        StatusCode::BAD_REQUEST,
        "ProductBadRequestException",
        "Transaction was already started",
        "Der Vorgang wurde bereits gestartet (Code 1400)",
        Value::from(1400),
    )
}

/// 400: a body the API refuses, or a call its state rules do not allow now.
pub fn bad_request(details: &str) -> JsonAnswer {
    answer(
        StatusCode::BAD_REQUEST,
        "ProductBadRequestException",
        details,
        "Die Anfrage ist ungültig (Code 1400)",
        Value::from(1400),
    )
}

/// 404: endOfDay or diagnosis for a device that is not the caller.
pub fn device_not_found() -> JsonAnswer {
    answer(
        StatusCode::NOT_FOUND,
        "ProductNotFoundException",
        "Device not found",
        "Das Gerät wurde nicht gefunden (Code 1404)",
        Value::from(1404),
    )
}

/// 500: the sandbox itself failed (a panicked terminal task).
pub fn internal() -> JsonAnswer {
    answer(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ProductInternalException",
        "Internal error",
        "Es ist ein unbekannter Fehler aufgetreten (Code 1000)",
        Value::from(1000),
    )
}

/// The `error` behaviour: whatever status, code and texts the test asked for.
pub fn custom(status: StatusCode, code: &Value, error: &str, details: &str) -> JsonAnswer {
    answer(status, error, details, &generic_user_text(code), code.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../fixtures/error-response.json");

    #[test]
    fn unauthorized_matches_the_fixture_but_for_the_support_id() {
        let body: Value = serde_json::from_slice(&unauthorized(401).body).unwrap();
        let mut fixture: Value = serde_json::from_str(FIXTURE).unwrap();
        let support_id = body["supportId"].as_str().unwrap();
        assert_eq!(support_id.len(), 32);
        fixture["supportId"] = support_id.into();
        assert_eq!(body, fixture);
        assert_eq!(unauthorized(401).status, StatusCode::UNAUTHORIZED);
    }

    #[test]
    fn members_come_in_the_fixtures_order() {
        let text = String::from_utf8(already_started().body.to_vec()).unwrap();
        let positions: Vec<usize> =
            ["\"status\"", "\"error\"", "\"error_details\"", "\"error_user\"", "\"code\"", "\"supportId\""]
                .iter()
                .map(|key| text.find(key).unwrap_or_else(|| panic!("{key} missing in {text}")))
                .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    }

    #[test]
    fn custom_errors_keep_string_codes() {
        let answer = custom(StatusCode::FORBIDDEN, &Value::from("2003"), "E", "D");
        let body: Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "2003");
        assert_eq!(body["error_user"], "Es ist ein unbekannter Fehler aufgetreten (Code 2003)");
        assert_eq!(body["error_details"], "D");
    }
}
