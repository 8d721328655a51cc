//! Following other organisations, and deciding on who follows us.

use crate::app::following;
use crate::db::{actors::Direction, FollowRow};
use crate::domain::accounts::Role;
use crate::federation::FedData;
use crate::web::{auth::Authenticated, error::ApiResult, JsonBody};
use axum::{
    extract::Query,
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route(
            "/api/v1/following",
            get(list_following).post(follow).delete(unfollow),
        )
        .route("/api/v1/followers", get(list_followers))
        .route("/api/v1/followers/accept", post(accept_follower))
        .route("/api/v1/followers/reject", post(reject_follower))
}

fn follow_json(f: &FollowRow) -> Value {
    json!({
        "actor": f.actor_ap_id,
        "account": format!("{}@{}", f.actor_username, f.actor_domain),
        "state": f.state,
        "since": f.created_at,
    })
}

async fn list(
    data: &FedData,
    organisation_id: i64,
    direction: Direction,
) -> ApiResult<Json<Value>> {
    let rows = data.store.list_follows(direction, organisation_id).await?;
    Ok(Json(Value::Array(rows.iter().map(follow_json).collect())))
}

async fn list_following(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Value>> {
    list(&data, staff.organisation_id, Direction::Following).await
}

async fn list_followers(
    data: FedData,
    Authenticated(staff): Authenticated,
) -> ApiResult<Json<Value>> {
    staff.require(&[Role::Editor])?;
    list(&data, staff.organisation_id, Direction::Followers).await
}

#[derive(Deserialize)]
struct FollowRequest {
    /// `name@domain`
    handle: String,
}

async fn follow(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<FollowRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let row = following::follow(&data, &staff, &req.handle).await?;
    Ok((StatusCode::ACCEPTED, Json(follow_json(&row))))
}

#[derive(Deserialize)]
struct ActorParam {
    /// The remote actor's id (URL).
    actor: String,
}

async fn unfollow(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(q): Query<ActorParam>,
) -> ApiResult<StatusCode> {
    following::unfollow(&data, &staff, &q.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn accept_follower(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<ActorParam>,
) -> ApiResult<StatusCode> {
    following::decide_follower(&data, &staff, &req.actor, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reject_follower(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<ActorParam>,
) -> ApiResult<StatusCode> {
    following::decide_follower(&data, &staff, &req.actor, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
