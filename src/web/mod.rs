//! HTTP: the ActivityPub endpoints, discovery, the staff JSON API and minimal pages.
//!
//! The server starts from a bound listener and a shutdown future, so tests run several nodes
//! in one process.

pub mod activitypub;
pub mod api;
pub mod auth;
pub mod error;
pub mod feeds;
pub mod pages;
pub mod ratelimit;
pub mod signed_fetch;
pub mod wellknown;

use crate::{config::Config, db::Store, federation};
use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::{
    extract::{rejection::JsonRejection, DefaultBodyLimit, FromRequest, Request},
    http::{header, HeaderMap},
    Router,
};
use error::ApiError;
use serde::de::DeserializeOwned;
use std::{future::Future, sync::Arc};
use tokio::{net::TcpListener, sync::watch};

/// The media type of everything ActivityPub we serve and send.
pub const ACTIVITY_JSON: &str = "application/activity+json";
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

/// JSON request bodies whose rejections are JSON errors too.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// Keeps axum's statuses (400 unreadable JSON, 422 wrong shape, 413 too large, 415 not JSON)
/// but answers in our JSON error format.
fn json_rejection(rejection: JsonRejection) -> ApiError {
    ApiError::new(rejection.status(), rejection.body_text())
}

pub fn router(federation: FederationConfig<federation::NodeContext>) -> Router {
    let limits = ratelimit::RateLimits::new(&federation.config);
    Router::new()
        .merge(wellknown::routes())
        .merge(activitypub::routes())
        .merge(api::routes())
        .merge(feeds::routes())
        .merge(pages::routes())
        .layer(axum::middleware::from_fn_with_state(
            limits,
            ratelimit::limit,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(FederationMiddleware::new(federation))
}

/// Serves a node on `listener` until `shutdown` completes, with its delivery worker and inbox
/// processor. Both stop with the server; unfinished work stays queued in the database.
pub async fn launch_with_tcp_listener(
    config: Config,
    store: Arc<dyn Store>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    if config.dev {
        tracing::warn!(
            "DEVELOPMENT MODE: federating over plain http and to loopback addresses; never use this on a public server"
        );
    }
    let federation = federation::federation_config(Arc::new(config), store).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let context = (*federation).clone();
    let delivery = tokio::spawn(federation::delivery::run_worker(context, stop_rx.clone()));
    let processor = tokio::spawn(federation::processing::run_processor(
        federation.clone(),
        stop_rx.clone(),
    ));
    let retention = tokio::spawn(crate::jobs::run_hourly(
        federation.store.clone(),
        federation.config.referral_retention_days,
        stop_rx,
    ));
    let app = router(federation);
    tracing::info!("listening on {}", listener.local_addr()?);
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
        })
        .await;
    let _ = stop_tx.send(true);
    let _ = delivery.await;
    let _ = processor.await;
    let _ = retention.await;
    Ok(served?)
}
