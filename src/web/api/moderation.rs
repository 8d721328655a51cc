//! Local moderation for admins: suspending remote actors, removing remote objects, and
//! reports (received `Flag`s, and reports sent to other servers).

use crate::domain::accounts::Role;
use crate::domain::moderation;
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult, JsonBody};
use axum::{
    extract::{Path, Query},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route(
            "/api/v1/admin/suspensions",
            get(suspensions).post(suspend).delete(unsuspend),
        )
        .route(
            "/api/v1/admin/removed-objects",
            get(removed_objects).post(remove_object),
        )
        .route("/api/v1/admin/reports", get(reports).post(send_report))
        .route("/api/v1/admin/reports/{id}/resolve", post(resolve_report))
}

async fn suspensions(data: FedData, Authenticated(staff): Authenticated) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    Ok(Json(json!(data.store.marked_actors().await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuspendRequest {
    actor: String,
    #[serde(default)]
    reason: String,
}

async fn suspend(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<SuspendRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let removed =
        moderation::suspend_actor(data.store.as_ref(), Some(&staff), &r.actor, &r.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "actor": r.actor, "state": "suspended", "removed_posts": removed })),
    ))
}

#[derive(Deserialize)]
struct ActorQuery {
    actor: String,
}

async fn unsuspend(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<ActorQuery>,
) -> ApiResult<StatusCode> {
    moderation::unsuspend_actor(data.store.as_ref(), Some(&staff), &q.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn removed_objects(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Admin])?;
    Ok(Json(json!(data.store.removed_objects().await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveRequest {
    object: String,
    #[serde(default)]
    reason: String,
}

async fn remove_object(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<RemoveRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let had_copy =
        moderation::remove_object(data.store.as_ref(), Some(&staff), &r.object, &r.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "object": r.object, "removed_copy": had_copy })),
    ))
}

#[derive(Deserialize)]
struct ReportQuery {
    state: Option<String>,
}

async fn reports(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Json<Value>> {
    let list = moderation::list_reports(data.store.as_ref(), &staff, q.state.as_deref()).await?;
    Ok(Json(json!(list)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportRequest {
    /// The remote actor, or a remote post (then its author is reported with it).
    target: String,
    #[serde(default)]
    comment: String,
}

async fn send_report(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<ReportRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let report = crate::app::moderation::send_report(&data, &staff, &r.target, &r.comment).await?;
    Ok((StatusCode::CREATED, Json(json!(report))))
}

async fn resolve_report(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    moderation::resolve_report(data.store.as_ref(), &staff, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
