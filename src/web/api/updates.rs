//! Organisation updates: publish, list, edit, delete; and the home feed of followed actors.

use crate::db::PostRow;
use crate::domain::posts::{self, Visibility};
use crate::federation::{outbound, FedData};
use crate::web::{auth::Authenticated, error::ApiResult, JsonBody};
use axum::{
    extract::{Path, Query},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route("/api/v1/updates", get(list_updates).post(publish))
        .route(
            "/api/v1/updates/{uuid}",
            get(show).patch(edit).delete(delete),
        )
        .route("/api/v1/feed", get(feed))
}

fn post_json(data: &FedData, p: &PostRow) -> Value {
    json!({
        "id": data.urls.uuid_of_update(&p.ap_id),
        "url": p.ap_id,
        "author": p.author_ap_id,
        "visibility": p.visibility,
        "content": p.content,
        "source": p.source,
        "published_at": p.published_at,
        "updated_at": p.updated_at,
    })
}

#[derive(Deserialize)]
struct Page {
    before: Option<i64>,
    limit: Option<i64>,
}

impl Page {
    fn limit(&self) -> i64 {
        self.limit.unwrap_or(20).clamp(1, 100)
    }
}

async fn list_updates(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(page): Query<Page>,
) -> ApiResult<Json<Value>> {
    let rows = data
        .store
        .organisation_posts(staff.organisation_id, false, page.before, page.limit())
        .await?;
    Ok(Json(rows.iter().map(|p| post_json(&data, p)).collect()))
}

async fn feed(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(page): Query<Page>,
) -> ApiResult<Json<Value>> {
    let rows = data
        .store
        .home_feed(staff.organisation_id, page.before, page.limit())
        .await?;
    Ok(Json(rows.iter().map(|p| post_json(&data, p)).collect()))
}

#[derive(Deserialize)]
struct NewUpdate {
    text: String,
    #[serde(default = "public")]
    visibility: Visibility,
}

fn public() -> Visibility {
    Visibility::Public
}

async fn publish(
    data: FedData,
    Authenticated(staff): Authenticated,
    JsonBody(req): JsonBody<NewUpdate>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let post = outbound::publish_update(&data, &staff, &req.text, req.visibility).await?;
    Ok((StatusCode::CREATED, Json(post_json(&data, &post))))
}

async fn show(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(uuid): Path<String>,
) -> ApiResult<Json<Value>> {
    let ap_id = data.urls.update(&uuid);
    let post = posts::own_post(data.store.as_ref(), &staff, ap_id.as_str()).await?;
    Ok(Json(post_json(&data, &post)))
}

#[derive(Deserialize)]
struct EditUpdate {
    text: String,
}

async fn edit(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(uuid): Path<String>,
    JsonBody(req): JsonBody<EditUpdate>,
) -> ApiResult<Json<Value>> {
    let ap_id = data.urls.update(&uuid);
    let post = outbound::edit_update(&data, &staff, ap_id.as_str(), &req.text).await?;
    Ok(Json(post_json(&data, &post)))
}

async fn delete(
    data: FedData,
    Authenticated(staff): Authenticated,
    Path(uuid): Path<String>,
) -> ApiResult<StatusCode> {
    let ap_id = data.urls.update(&uuid);
    outbound::delete_update(&data, &staff, ap_id.as_str()).await?;
    Ok(StatusCode::NO_CONTENT)
}
