//! Local moderation for admins: suspending remote actors, removing remote objects, and
//! reports (received `Flag`s, and reports sent to other servers).

use super::ApiRoutes;
use crate::domain::accounts::Role;
use crate::domain::moderation::{self, Report};
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult, JsonBody};
use axum::{
    extract::{Path, Query},
    http::{Method, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .on(Method::GET, "/api/v1/admin/suspensions", suspensions)
        .on(Method::POST, "/api/v1/admin/suspensions", suspend)
        .on(Method::DELETE, "/api/v1/admin/suspensions", unsuspend)
        .on(
            Method::GET,
            "/api/v1/admin/removed-objects",
            removed_objects,
        )
        .on(Method::POST, "/api/v1/admin/removed-objects", remove_object)
        .on(Method::GET, "/api/v1/admin/reports", reports)
        .on(Method::POST, "/api/v1/admin/reports", send_report)
        .on(
            Method::POST,
            "/api/v1/admin/reports/{id}/resolve",
            resolve_report,
        )
}

/// The document of these endpoints (see `openapi`).
pub(super) fn doc() -> utoipa::openapi::OpenApi {
    #[derive(utoipa::OpenApi)]
    #[openapi(paths(
        suspensions,
        suspend,
        unsuspend,
        removed_objects,
        remove_object,
        reports,
        send_report,
        resolve_report
    ))]
    struct Doc;
    <Doc as utoipa::OpenApi>::openapi()
}

/// A remote actor this node no longer deals with.
#[derive(Serialize, ToSchema)]
pub struct MarkedActor {
    ap_id: String,
    /// `suspended` (by an admin, reversible) or `gone` (the actor deleted itself).
    state: String,
    reason: String,
    created_at: i64,
}

#[utoipa::path(get, path = "/api/v1/admin/suspensions", tag = "moderation",
    security(("bearer" = [])),
    responses((status = 200, description = "Suspended and gone actors", body = [MarkedActor])))]
async fn suspensions(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Vec<MarkedActor>>> {
    staff.require(&[Role::Admin])?;
    let rows = data.store.marked_actors().await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| MarkedActor {
                ap_id: r.ap_id,
                state: r.state,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspendRequest {
    actor: String,
    #[serde(default)]
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Suspended {
    actor: String,
    /// Always `suspended`.
    state: &'static str,
    /// How many of the actor's posts were deleted here.
    removed_posts: u64,
}

#[utoipa::path(post, path = "/api/v1/admin/suspensions", tag = "moderation",
    security(("bearer" = [])), request_body = SuspendRequest,
    responses((status = 201, description = "Suspended, their posts removed", body = Suspended)))]
async fn suspend(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<SuspendRequest>,
) -> ApiResult<(StatusCode, Json<Suspended>)> {
    let removed_posts =
        moderation::suspend_actor(data.store.as_ref(), Some(&staff), &r.actor, &r.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(Suspended {
            actor: r.actor,
            state: "suspended",
            removed_posts,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActorQuery {
    /// The actor's id (URL).
    actor: String,
}

#[utoipa::path(delete, path = "/api/v1/admin/suspensions", tag = "moderation",
    security(("bearer" = [])), params(ActorQuery),
    responses((status = 204, description = "No longer suspended")))]
async fn unsuspend(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<ActorQuery>,
) -> ApiResult<StatusCode> {
    moderation::unsuspend_actor(data.store.as_ref(), Some(&staff), &q.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A remote object removed here; it is refused if it comes again.
#[derive(Serialize, ToSchema)]
pub struct RemovedObject {
    ap_id: String,
    reason: String,
    created_at: i64,
}

#[utoipa::path(get, path = "/api/v1/admin/removed-objects", tag = "moderation",
    security(("bearer" = [])),
    responses((status = 200, description = "Removed remote objects", body = [RemovedObject])))]
async fn removed_objects(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Vec<RemovedObject>>> {
    staff.require(&[Role::Admin])?;
    let rows = data.store.removed_objects().await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| RemovedObject {
                ap_id: r.ap_id,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveRequest {
    object: String,
    #[serde(default)]
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Removed {
    object: String,
    /// This node held a copy, now deleted.
    removed_copy: bool,
}

#[utoipa::path(post, path = "/api/v1/admin/removed-objects", tag = "moderation",
    security(("bearer" = [])), request_body = RemoveRequest,
    responses((status = 201, description = "Removed", body = Removed)))]
async fn remove_object(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<RemoveRequest>,
) -> ApiResult<(StatusCode, Json<Removed>)> {
    let removed_copy =
        moderation::remove_object(data.store.as_ref(), Some(&staff), &r.object, &r.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(Removed {
            object: r.object,
            removed_copy,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `open` or `resolved`; both when absent.
    state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/reports", tag = "moderation",
    security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "Reports received and sent", body = [Report])))]
async fn reports(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Json<Vec<Report>>> {
    let list = moderation::list_reports(data.store.as_ref(), &staff, q.state.as_deref()).await?;
    Ok(Json(list))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The remote actor, or a remote post (then its author is reported with it).
    target: String,
    #[serde(default)]
    comment: String,
}

#[utoipa::path(post, path = "/api/v1/admin/reports", tag = "moderation",
    security(("bearer" = [])), request_body = ReportRequest,
    responses((status = 201, description = "Sent to the target's server", body = Report)))]
async fn send_report(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(r): JsonBody<ReportRequest>,
) -> ApiResult<(StatusCode, Json<Report>)> {
    let report = crate::app::moderation::send_report(&data, &staff, &r.target, &r.comment).await?;
    Ok((StatusCode::CREATED, Json(report)))
}

#[utoipa::path(post, path = "/api/v1/admin/reports/{id}/resolve", tag = "moderation",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The report's id")),
    responses((status = 204, description = "Resolved")))]
async fn resolve_report(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    moderation::resolve_report(data.store.as_ref(), &staff, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
