//! Domain lists subscribed from other nodes: list, add, remove, and refresh on demand.

use crate::app::subscriptions::refresh;
use crate::domain::accounts::Role;
use crate::domain::policy::RuleAction;
use crate::domain::subscriptions;
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiError, error::ApiResult, JsonBody};
use axum::{
    extract::Path,
    http::StatusCode,
    routing::{delete, get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route("/api/v1/admin/subscriptions", get(list).post(subscribe))
        .route("/api/v1/admin/subscriptions/{id}", delete(unsubscribe))
        .route(
            "/api/v1/admin/subscriptions/{id}/refresh",
            post(refresh_one),
        )
}

async fn list(data: FedData, Authenticated(staff): Authenticated) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    let mut out = Vec::new();
    for sub in data.store.subscriptions().await? {
        let domains = data.store.subscribed_domains(sub.id).await?;
        out.push(json!({ "subscription": sub, "domains": domains }));
    }
    Ok(Json(json!(out)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubscribeRequest {
    url: String,
    /// What the listed domains become here: `allow` or `block`.
    kind: RuleAction,
}

/// Subscribes and fetches the list at once; a failed first fetch is reported with the
/// subscription, which stays and is retried at the next refresh.
async fn subscribe(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<SubscribeRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let sub = subscriptions::subscribe(
        data.store.as_ref(),
        Some(&staff),
        staff.organisation_id,
        &r.url,
        r.kind,
    )
    .await?;
    let fetched = refresh(&data, &sub).await;
    let (changes, error) = match fetched {
        Ok(changes) => (Some(changes), None),
        Err(why) => (None, Some(why)),
    };
    Ok((
        StatusCode::CREATED,
        Json(json!({ "subscription": sub, "changes": changes, "error": error })),
    ))
}

async fn unsubscribe(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    subscriptions::unsubscribe(data.store.as_ref(), Some(&staff), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refreshes one list now: 200 with what changed, or 502 with why the fetch failed (the last
/// good list stays in force).
async fn refresh_one(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    let sub = data
        .store
        .subscription_by_id(id)
        .await?
        .ok_or_else(|| ApiError::not_found("subscription"))?;
    match refresh(&data, &sub).await {
        Ok(changes) => Ok(Json(json!(changes))),
        Err(why) => Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            format!("the list could not be fetched: {why}"),
        )),
    }
}
