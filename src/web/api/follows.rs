//! Following other organisations, and deciding on who follows us.

use super::ApiRoutes;
use crate::app::following;
use crate::db::{actors::Direction, FollowRow};
use crate::domain::accounts::Role;
use crate::domain::follows::FollowState;
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult, JsonBody};
use axum::{
    extract::Query,
    http::{Method, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .on(Method::GET, "/api/v1/following", list_following)
        .on(Method::POST, "/api/v1/following", follow)
        .on(Method::DELETE, "/api/v1/following", unfollow)
        .on(Method::GET, "/api/v1/followers", list_followers)
        .on(Method::POST, "/api/v1/followers/accept", accept_follower)
        .on(Method::POST, "/api/v1/followers/reject", reject_follower)
}

/// The document of these endpoints (see `openapi`).
pub(super) fn doc() -> utoipa::openapi::OpenApi {
    #[derive(utoipa::OpenApi)]
    #[openapi(paths(
        list_following,
        follow,
        unfollow,
        list_followers,
        accept_follower,
        reject_follower
    ))]
    struct Doc;
    <Doc as utoipa::OpenApi>::openapi()
}

/// One follow, either way.
#[derive(Serialize, ToSchema)]
pub struct Follow {
    /// The remote actor's id.
    actor: String,
    /// `name@domain`.
    account: String,
    /// `pending`, `accepted` or `rejected`.
    state: FollowState,
    since: i64,
}

impl From<&FollowRow> for Follow {
    fn from(f: &FollowRow) -> Follow {
        Follow {
            actor: f.actor_ap_id.clone(),
            account: format!("{}@{}", f.actor_username, f.actor_domain),
            state: f.state,
            since: f.created_at,
        }
    }
}

async fn list(
    data: &FedData,
    organisation_id: i64,
    direction: Direction,
) -> ApiResult<Json<Vec<Follow>>> {
    let rows = data.store.list_follows(direction, organisation_id).await?;
    Ok(Json(rows.iter().map(Follow::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/following", tag = "follows", security(("bearer" = [])),
    responses((status = 200, description = "Who the organisation follows", body = [Follow])))]
async fn list_following(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Vec<Follow>>> {
    list(&data, staff.organisation_id, Direction::Following).await
}

#[utoipa::path(get, path = "/api/v1/followers", tag = "follows", security(("bearer" = [])),
    responses((status = 200, description = "Who follows the organisation (editors and admins)",
        body = [Follow])))]
async fn list_followers(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Vec<Follow>>> {
    staff.require(&[Role::Editor])?;
    list(&data, staff.organisation_id, Direction::Followers).await
}

#[derive(Deserialize, ToSchema)]
pub struct FollowRequest {
    /// `name@domain`
    handle: String,
}

#[utoipa::path(post, path = "/api/v1/following", tag = "follows", security(("bearer" = [])),
    request_body = FollowRequest,
    responses((status = 202, description = "Sent; pending until the other side accepts",
        body = Follow)))]
async fn follow(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<FollowRequest>,
) -> ApiResult<(StatusCode, Json<Follow>)> {
    let row = following::follow(&data, &staff, &req.handle).await?;
    Ok((StatusCode::ACCEPTED, Json(Follow::from(&row))))
}

#[derive(Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActorParam {
    /// The remote actor's id (URL).
    actor: String,
}

#[utoipa::path(delete, path = "/api/v1/following", tag = "follows", security(("bearer" = [])),
    params(ActorParam), responses((status = 204, description = "Unfollowed")))]
async fn unfollow(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<ActorParam>,
) -> ApiResult<StatusCode> {
    following::unfollow(&data, &staff, &q.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/followers/accept", tag = "follows",
    security(("bearer" = [])), request_body = ActorParam,
    responses((status = 204, description = "The pending follower is accepted")))]
async fn accept_follower(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<ActorParam>,
) -> ApiResult<StatusCode> {
    following::decide_follower(&data, &staff, &req.actor, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/followers/reject", tag = "follows",
    security(("bearer" = [])), request_body = ActorParam,
    responses((status = 204, description = "The pending follower is rejected")))]
async fn reject_follower(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<ActorParam>,
) -> ApiResult<StatusCode> {
    following::decide_follower(&data, &staff, &req.actor, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
