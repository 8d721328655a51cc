//! Publishing through the API: updates, programs, practices, advocacy notes and referral
//! offers share one shape of endpoint each (`/api/v1/{kind}`), and the home feed.

use super::ApiRoutes;
use crate::app::publishing;
use crate::db::PostRow;
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::posts::{self, Draft, Visibility};
use crate::federation::FedData;
use crate::web::error::{ApiError, ApiResult};
use crate::web::{auth::Authenticated, JsonBody};
use axum::{
    extract::{Path, Query},
    http::{Method, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

/// The same five endpoints for every kind; `openapi::objects` describes them from the same
/// list of kinds.
pub fn routes() -> ApiRoutes {
    let mut routes = ApiRoutes::default().on(Method::GET, "/api/v1/feed", feed);
    for kind in ObjectKind::all() {
        let collection = format!("/api/v1/{}", kind.plural());
        let item = format!("{collection}/{{uuid}}");
        routes = routes
            .on(
                Method::GET,
                &collection,
                move |d: FedData, a: Authenticated, Query(p): Query<Page>| list(kind, d, a, p),
            )
            .on(
                Method::POST,
                &collection,
                move |d: FedData, a: Authenticated, JsonBody(r): JsonBody<DraftRequest>| {
                    create(kind, d, a, r)
                },
            )
            .on(
                Method::GET,
                &item,
                move |d: FedData, a: Authenticated, Path(id): Path<String>| show(kind, d, a, id),
            )
            .on(
                Method::PATCH,
                &item,
                move |d: FedData,
                      a: Authenticated,
                      Path(id): Path<String>,
                      JsonBody(r): JsonBody<DraftRequest>| edit(kind, d, a, id, r),
            )
            .on(
                Method::DELETE,
                &item,
                move |d: FedData, a: Authenticated, Path(id): Path<String>| delete(kind, d, a, id),
            );
    }
    routes
}

/// The document of these endpoints (see `openapi`).
pub(super) fn doc() -> utoipa::openapi::OpenApi {
    #[derive(utoipa::OpenApi)]
    #[openapi(paths(feed))]
    struct Doc;
    <Doc as utoipa::OpenApi>::openapi()
}

/// A post as the API shows it: common fields, then the kind's own fields at the same level
/// (see the kind's schema: `Program`, `Practice`, `Advocacy`, `Offer`).
#[derive(Serialize, ToSchema)]
pub struct Post {
    /// The uuid in the post's URL, for `/api/v1/{kind}/{uuid}`.
    id: Option<String>,
    /// Pass as `before` to get the next page of a list.
    cursor: i64,
    url: String,
    #[schema(value_type = ObjectKind)]
    kind: String,
    /// The author's actor id.
    author: String,
    #[schema(value_type = Visibility)]
    visibility: String,
    name: String,
    summary: String,
    /// Sanitised HTML.
    content: String,
    /// What staff wrote (Markdown), for local posts.
    source: Option<String>,
    tags: Vec<String>,
    published_at: i64,
    updated_at: Option<i64>,
    expires_at: Option<i64>,
    #[serde(flatten)]
    details: Map<String, Value>,
}

impl Post {
    pub fn new(data: &FedData, p: &PostRow) -> Post {
        let details = match posts::details_of(p).map(|d| d.to_json()) {
            Ok(Some(Value::Object(fields))) => fields,
            _ => Map::new(),
        };
        Post {
            id: data.urls.uuid_of_object(&p.ap_id).map(str::to_string),
            cursor: p.id,
            url: p.ap_id.clone(),
            kind: p.kind.clone(),
            author: p.author_ap_id.clone(),
            visibility: p.visibility.clone(),
            name: p.name.clone(),
            summary: p.summary.clone(),
            content: p.content.clone(),
            source: p.source.clone(),
            tags: p.tags.split_whitespace().map(str::to_string).collect(),
            published_at: p.published_at,
            updated_at: p.updated_at,
            expires_at: p.expires_at,
            details,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// The `cursor` of the last item of the previous page.
    before: Option<i64>,
    /// 1 to 100, 20 when absent.
    limit: Option<i64>,
}

impl Page {
    fn limit(&self) -> i64 {
        self.limit.unwrap_or(20).clamp(1, 100)
    }
}

/// What staff send to create or edit a post: the common fields, and the kind's own fields
/// at the same level (`themes`, `countries`, `acceptingReferrals`...).
#[derive(Deserialize, ToSchema)]
pub struct DraftRequest {
    #[serde(default)]
    name: String,
    #[serde(default)]
    summary: String,
    /// Markdown.
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
) -> ApiResult<Json<Vec<Post>>> {
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
    Ok(Json(rows.iter().map(|p| Post::new(&data, p)).collect()))
}

/// The home feed: the organisation's posts and those of the organisations it follows.
#[utoipa::path(get, path = "/api/v1/feed", tag = "publishing", security(("bearer" = [])),
    params(Page), responses((status = 200, description = "Newest first", body = [Post])))]
async fn feed(
    data: FedData,
    Authenticated(staff): Authenticated,
    Query(page): Query<Page>,
) -> ApiResult<Json<Vec<Post>>> {
    let rows = data
        .store
        .home_feed(staff.organisation_id, page.before, page.limit())
        .await?;
    Ok(Json(rows.iter().map(|p| Post::new(&data, p)).collect()))
}

async fn create(
    kind: ObjectKind,
    data: FedData,
    Authenticated(staff): Authenticated,
    request: DraftRequest,
) -> ApiResult<(StatusCode, Json<Post>)> {
    let draft = request.into_draft(kind)?;
    let post = publishing::publish(&data, &staff, &draft).await?;
    Ok((StatusCode::CREATED, Json(Post::new(&data, &post))))
}

async fn show(
    kind: ObjectKind,
    data: FedData,
    Authenticated(staff): Authenticated,
    uuid: String,
) -> ApiResult<Json<Post>> {
    let ap_id = data.urls.object(kind, &uuid);
    let post = posts::own_post(data.store.as_ref(), &staff, kind, ap_id.as_str()).await?;
    Ok(Json(Post::new(&data, &post)))
}

async fn edit(
    kind: ObjectKind,
    data: FedData,
    Authenticated(staff): Authenticated,
    uuid: String,
    request: DraftRequest,
) -> ApiResult<Json<Post>> {
    let ap_id = data.urls.object(kind, &uuid);
    let draft = request.into_draft(kind)?;
    let post = publishing::edit(&data, &staff, ap_id.as_str(), &draft).await?;
    Ok(Json(Post::new(&data, &post)))
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
