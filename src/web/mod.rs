//! HTTP: the ActivityPub endpoints, discovery, the staff JSON API and the browser interface.
//! What a request changes is done by the use cases in `crate::app` (or `crate::domain` when
//! it touches only this node); the handlers here read requests and shape answers.
//!
//! `router` builds the whole HTTP application; `crate::node` starts it with the node's
//! workers.

pub mod activitypub;
pub mod api;
pub mod auth;
pub mod error;
pub mod feeds;
pub mod lists;
pub mod ratelimit;
pub mod signed_fetch;
pub mod ui;
pub mod wellknown;

use crate::federation;
use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::{
    extract::{DefaultBodyLimit, FromRequest, Request},
    http::{header, HeaderMap, StatusCode},
    Router,
};
use error::ApiError;
use serde::de::DeserializeOwned;
use std::sync::Arc;

pub use crate::federation::protocol::ACTIVITY_JSON;
/// Largest request body accepted, inbox or API.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// True when the client asked for ActivityPub JSON rather than a page (ActivityPub §3.2).
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| {
            accept.contains("application/activity+json")
                || accept.contains("application/ld+json")
                || accept.contains("application/json")
        })
}

/// JSON request bodies, with every refusal as a JSON error: 415 when not JSON, 400 when
/// unreadable (or holding NUL characters, which no database field accepts), 422 when the
/// shape is wrong.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "expected a JSON body (Content-Type: application/json)",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| ApiError::new(r.status(), r.body_text()))?;
        if bytes.windows(6).any(|w| w == b"\\u0000") {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "NUL characters are not accepted",
            ));
        }
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            let status = match e.classify() {
                serde_json::error::Category::Data => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::BAD_REQUEST,
            };
            ApiError::new(status, format!("invalid JSON body: {e}"))
        })
    }
}

/// Refusals that axum's extractors write as plain text (an unreadable query string or path)
/// are turned into the JSON error format.
async fn json_errors(response: axum::response::Response) -> axum::response::Response {
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(response.status().is_client_error() && plain) {
        return response;
    }
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    axum::response::IntoResponse::into_response(ApiError::new(
        status,
        String::from_utf8_lossy(&body).to_string(),
    ))
}

pub fn router(federation: FederationConfig<federation::NodeContext>) -> anyhow::Result<Router> {
    let limits = ratelimit::RateLimits::new(&federation.config);
    let catalog = Arc::new(ui::i18n::Catalog::load()?);
    Ok(Router::new()
        .merge(wellknown::routes())
        .merge(activitypub::routes())
        .merge(api::routes())
        .merge(feeds::routes())
        .merge(lists::routes())
        .merge(ui::routes(catalog.clone()))
        .layer(axum::middleware::map_response(json_errors))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            ratelimit::limit,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // The actor and object URLs answer browsers with pages too.
        .layer(axum::Extension(catalog))
        .layer(FederationMiddleware::new(federation)))
}
