//! Publishing through the API: updates, programs, practices, advocacy notes and referral
//! offers share one shape of endpoint each (`/api/v1/{kind}`), and the home feed.

use crate::app::publishing;
use crate::db::PostRow;
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::posts::{self, Draft, Visibility};
use crate::federation::FedData;
use crate::web::error::{ApiError, ApiResult};
use crate::web::{auth::Authenticated, JsonBody};
use axum::{
    extract::{Path, Query},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

pub fn routes() -> Router {
    let mut router = Router::new().route("/api/v1/feed", get(feed));
    for kind in ObjectKind::all() {
        let collection = format!("/api/v1/{}", kind.plural());
        let item = format!("{collection}/{{uuid}}");
        router = router
            .route(
                &collection,
                get(move |d: FedData, a: Authenticated, Query(p): Query<Page>| list(kind, d, a, p))
                    .post(
                        move |d: FedData, a: Authenticated, JsonBody(r): JsonBody<DraftRequest>| {
                            create(kind, d, a, r)
                        },
                    ),
            )
            .route(
                &item,
                get(
                    move |d: FedData, a: Authenticated, Path(id): Path<String>| {
                        show(kind, d, a, id)
                    },
                )
                .patch(
                    move |d: FedData,
                          a: Authenticated,
                          Path(id): Path<String>,
                          JsonBody(r): JsonBody<DraftRequest>| {
                        edit(kind, d, a, id, r)
                    },
                )
                .delete(
                    move |d: FedData, a: Authenticated, Path(id): Path<String>| {
                        delete(kind, d, a, id)
                    },
                ),
            );
    }
    router
}

/// A post as the API shows it: common fields, then the kind's own fields.
pub fn post_json(data: &FedData, p: &PostRow) -> Value {
    let mut out = json!({
        "id": data.urls.uuid_of_object(&p.ap_id),
        // Pass as `before` to get the next page of a list.
        "cursor": p.id,
        "url": p.ap_id,
        "kind": p.kind,
        "author": p.author_ap_id,
        "visibility": p.visibility,
        "name": p.name,
        "summary": p.summary,
        "content": p.content,
        "source": p.source,
        "tags": p.tags.split_whitespace().collect::<Vec<_>>(),
        "published_at": p.published_at,
        "updated_at": p.updated_at,
        "expires_at": p.expires_at,
    });
    if let (Ok(details), Value::Object(map)) = (posts::details_of(p), &mut out) {
        if let Some(Value::Object(fields)) = details.to_json() {
            map.extend(fields);
        }
    }
    out
}

#[derive(Deserialize)]
pub struct Page {
    before: Option<i64>,
    limit: Option<i64>,
}

impl Page {
    fn limit(&self) -> i64 {
        self.limit.unwrap_or(20).clamp(1, 100)
    }
}

/// What staff send to create or edit a post: the common fields, and the kind's own fields
/// at the same level (`themes`, `countries`, `acceptingReferrals`...).
#[derive(Deserialize)]
pub struct DraftRequest {
    #[serde(default)]
    name: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    tags: Vec<String>,
    /// Absent: public for a new post, unchanged for an edit.
    #[serde(default)]
    visibility: Option<Visibility>,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

impl DraftRequest {
    /// The draft, refusing fields the kind does not have (a typo must not vanish silently).
    fn into_draft(self, kind: ObjectKind) -> ApiResult<Draft> {
        let details = Details::from_json(kind, Value::Object(self.fields.clone()))?;
        let known = match details.to_json() {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        if let Some(unknown) = self.fields.keys().find(|k| !known.contains_key(*k)) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{} has no field {unknown:?}", kind.as_str()),
            ));
        }
        Ok(Draft {
            name: self.name,
            summary: self.summary,
            text: self.text,
            tags: self.tags,
            visibility: self.visibility,
            details,
        })
    }
}

async fn list(
    kind: ObjectKind,
    data: FedData,
    Authenticated(staff): Authenticated,
    page: Page,
) -> ApiResult<Json<Value>> {
    let rows = data
        .store
        .organisation_posts(
            staff.organisation_id,
            Some(kind.as_str()),
            false,
            page.before,
            page.limit(),
        )
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

async fn create(
    kind: ObjectKind,
    data: FedData,
    Authenticated(staff): Authenticated,
    request: DraftRequest,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let draft = request.into_draft(kind)?;
    let post = publishing::publish(&data, &staff, &draft).await?;
    Ok((StatusCode::CREATED, Json(post_json(&data, &post))))
}

async fn show(
    kind: ObjectKind,
    data: FedData,
    Authenticated(staff): Authenticated,
    uuid: String,
) -> ApiResult<Json<Value>> {
    let ap_id = data.urls.object(kind, &uuid);
    let post = posts::own_post(data.store.as_ref(), &staff, kind, ap_id.as_str()).await?;
    Ok(Json(post_json(&data, &post)))
}

async fn edit(
    kind: ObjectKind,
    data: FedData,
    Authenticated(staff): Authenticated,
    uuid: String,
    request: DraftRequest,
) -> ApiResult<Json<Value>> {
    let ap_id = data.urls.object(kind, &uuid);
    let draft = request.into_draft(kind)?;
    let post = publishing::edit(&data, &staff, ap_id.as_str(), &draft).await?;
    Ok(Json(post_json(&data, &post)))
}

async fn delete(
    kind: ObjectKind,
    data: FedData,
    Authenticated(staff): Authenticated,
    uuid: String,
) -> ApiResult<StatusCode> {
    let ap_id = data.urls.object(kind, &uuid);
    publishing::delete(&data, &staff, kind, ap_id.as_str()).await?;
    Ok(StatusCode::NO_CONTENT)
}
