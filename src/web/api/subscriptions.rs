//! Domain lists subscribed from other nodes: list, add, remove, and refresh on demand.

use super::ApiRoutes;
use crate::app::subscriptions::refresh;
use crate::db::SubscriptionRow;
use crate::domain::accounts::Role;
use crate::domain::policy::RuleAction;
use crate::domain::subscriptions::{self, Changes};
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiError, error::ApiResult, JsonBody};
use axum::{
    extract::Path,
    http::{Method, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .on(Method::GET, "/api/v1/admin/subscriptions", list)
        .on(Method::POST, "/api/v1/admin/subscriptions", subscribe)
        .on(
            Method::DELETE,
            "/api/v1/admin/subscriptions/{id}",
            unsubscribe,
        )
        .on(
            Method::POST,
            "/api/v1/admin/subscriptions/{id}/refresh",
            refresh_one,
        )
}

/// The document of these endpoints (see `openapi`).
pub(super) fn doc() -> utoipa::openapi::OpenApi {
    #[derive(utoipa::OpenApi)]
    #[openapi(paths(list, subscribe, unsubscribe, refresh_one))]
    struct Doc;
    <Doc as utoipa::OpenApi>::openapi()
}

/// A subscribed domain list.
#[derive(Serialize, ToSchema)]
pub struct Subscription {
    id: i64,
    organisation_id: i64,
    url: String,
    /// What the listed domains become here.
    #[schema(value_type = RuleAction)]
    kind: String,
    last_fetched_at: Option<i64>,
    last_error: Option<String>,
    created_at: i64,
}

impl From<SubscriptionRow> for Subscription {
    fn from(s: SubscriptionRow) -> Subscription {
        Subscription {
            id: s.id,
            organisation_id: s.organisation_id,
            url: s.url,
            kind: s.kind,
            last_fetched_at: s.last_fetched_at,
            last_error: s.last_error,
            created_at: s.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionWithDomains {
    subscription: Subscription,
    /// The domains of its last good copy.
    domains: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/subscriptions", tag = "subscriptions",
    operation_id = "list_subscriptions",
    security(("bearer" = [])),
    responses((status = 200, description = "Every subscribed list",
        body = [SubscriptionWithDomains])))]
async fn list(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Vec<SubscriptionWithDomains>>> {
    staff.require(&[Role::Admin])?;
    let mut out = Vec::new();
    for sub in data.store.subscriptions().await? {
        let domains = data.store.subscribed_domains(sub.id).await?;
        out.push(SubscriptionWithDomains {
            subscription: sub.into(),
            domains,
        });
    }
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscribeRequest {
    url: String,
    /// What the listed domains become here: `allow` or `block`.
    kind: RuleAction,
}

#[derive(Serialize, ToSchema)]
pub struct Subscribed {
    subscription: Subscription,
    /// What the first fetch changed; `null` when it failed.
    changes: Option<Changes>,
    /// Why the first fetch failed; it is tried again at the next refresh.
    error: Option<String>,
}

/// Subscribes and fetches the list at once; a failed first fetch is reported with the
/// subscription, which stays and is retried at the next refresh.
#[utoipa::path(post, path = "/api/v1/admin/subscriptions", tag = "subscriptions",
    security(("bearer" = [])), request_body = SubscribeRequest,
    responses((status = 201, description = "Subscribed", body = Subscribed)))]
async fn subscribe(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<SubscribeRequest>,
) -> ApiResult<(StatusCode, Json<Subscribed>)> {
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
        Json(Subscribed {
            subscription: sub.into(),
            changes,
            error,
        }),
    ))
}

#[utoipa::path(delete, path = "/api/v1/admin/subscriptions/{id}", tag = "subscriptions",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The subscription's id")),
    responses((status = 204, description = "Unsubscribed; its rules are gone")))]
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
#[utoipa::path(post, path = "/api/v1/admin/subscriptions/{id}/refresh", tag = "subscriptions",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "What changed", body = Changes),
        (status = 502, description = "The list could not be fetched", body = crate::web::error::ErrorBody),
    ))]
async fn refresh_one(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<Json<Changes>> {
    staff.require(&[Role::Admin])?;
    let sub = data
        .store
        .subscription_by_id(id)
        .await?
        .ok_or_else(|| ApiError::not_found("subscription"))?;
    match refresh(&data, &sub).await {
        Ok(changes) => Ok(Json(changes)),
        Err(why) => Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            format!("the list could not be fetched: {why}"),
        )),
    }
}
