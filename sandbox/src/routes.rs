//! Every route the sandbox answers: the API's (`/api/...` and `/oauth/token`, handled in api.rs) and the control
//! API's (`/_sandbox/...`, in control.rs); anything else is not found.

use std::sync::Arc;

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::api;
use crate::control;
use crate::errors;
use crate::loyalty_api;
use crate::store::AppState;

pub fn router(app: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/v2/Smart/Transactions", post(api::create).get(api::list))
        .route("/api/v2/Smart/Transactions/{id}", get(api::read).put(api::update))
        .route("/api/v2/Smart/Transactions/{id}/start/{method}", post(api::start))
        .route("/api/v2/Smart/Transactions/{id}/{action}", post(api::action))
        .route("/api/v2/Loyalty/MerchantCards", get(loyalty_api::search_cards))
        .route("/api/v2/Loyalty/MerchantCards/{id}", get(loyalty_api::read_card))
        .route("/api/v2/Loyalty/MerchantCards/{id}/{action}", post(loyalty_api::card_action))
        .route("/api/v2/Smart/Devices/{id}", get(loyalty_api::read_device))
        .route("/api/v2/Smart/Devices/{id}/routing/{kind}", get(loyalty_api::routed_device))
        .route("/api/v2/General/Contracts/{id}/getAvailablePaymentMethods", post(loyalty_api::payment_methods))
        .route("/oauth/token", post(api::oauth_token))
        .merge(control::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .with_state(app)
}

/// Unknown routes: an API error body under /api/, plain text elsewhere.
async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        errors::unknown_route().into_response()
    } else {
        (StatusCode::NOT_FOUND, "not found\n").into_response()
    }
}
