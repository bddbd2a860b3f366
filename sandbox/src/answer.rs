//! The answers the API side sends: ordinary JSON, and the deliberately broken shapes the behaviours ask for.

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::bodies::{PaddedJson, Truncated};

const JSON: &str = "application/json";

/// A JSON answer not yet turned into a response, so a behaviour can still deliver it late or truncated.
#[derive(Debug, Clone)]
pub struct JsonAnswer {
    pub status: StatusCode,
    pub body: Bytes,
}

impl JsonAnswer {
    /// Serializing plain structs and serde_json values cannot fail (all keys are strings).
    pub fn new(status: StatusCode, value: &impl Serialize) -> JsonAnswer {
        let body = serde_json::to_vec(value).unwrap_or_default();
        JsonAnswer { status, body: Bytes::from(body) }
    }

    /// 200 with JSON text that is already serialized.
    pub fn ok(json_text: String) -> JsonAnswer {
        JsonAnswer { status: StatusCode::OK, body: Bytes::from(json_text) }
    }

    /// Full Content-Length, half the body, then the connection closes.
    pub fn truncated(self) -> Response {
        let mut response = Response::new(Body::new(Truncated::new(self.body)));
        *response.status_mut() = self.status;
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        response
    }

    /// A complete HTTP message whose JSON stops halfway.
    pub fn malformed(self) -> Response {
        let half = self.body.slice(..self.body.len() / 2);
        JsonAnswer { status: self.status, body: half }.into_response()
    }

    /// This answer's JSON object padded to `mib` MiB, with Content-Length or chunked.
    pub fn huge(self, mib: u64, declared: bool) -> Response {
        let body = PaddedJson::new(&self.body, mib * 1024 * 1024, declared);
        let mut response = Response::new(Body::new(body));
        *response.status_mut() = self.status;
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        response
    }
}

impl IntoResponse for JsonAnswer {
    fn into_response(self) -> Response {
        (self.status, [(CONTENT_TYPE, JSON)], self.body).into_response()
    }
}

/// An HTML error page like a proxy or load balancer in front of the API would send.
pub fn html_page(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head>\n\
         <body><h1>{code} {reason}</h1><p>smartx-sandbox: HTML instead of JSON on purpose.</p></body></html>\n",
        code = status.as_u16()
    );
    (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// A redirect the client must not follow for a payment POST.
pub fn redirect(status: StatusCode, location: &str) -> Response {
    let mut response = status.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// This status with no body at all (Content-Length: 0 where the status allows a body).
pub fn empty(status: StatusCode) -> Response {
    let mut response = status.into_response();
    if status != StatusCode::NO_CONTENT && status != StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
    response
}
