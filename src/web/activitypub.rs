//! ActivityPub endpoints: actors, inboxes, outboxes, collections and objects.

use super::error::{ApiError, ApiResult};
use super::signed_fetch::{SignedFetch, SignedFetchUnlessPage};
use super::ui::{self, page::Page};
use super::{wants_activity_json, ACTIVITY_JSON, MAX_BODY_BYTES};
use crate::db::actors::Direction;
use crate::domain::follows::FollowState;
use crate::domain::objects::ObjectKind;
use crate::federation::inbox::{receive, IncomingPost};
use crate::federation::protocol::{
    context::default_context, OrderedCollection, OrderedCollectionPage,
};
use crate::federation::{render, FedData, FederationError};
use axum::{
    body::Body,
    extract::{OriginalUri, Path, Query},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn routes() -> Router {
    Router::new()
        .route("/o/{handle}", get(actor))
        .route("/o/{handle}/inbox", post(inbox))
        .route("/inbox", post(inbox))
        .route("/o/{handle}/outbox", get(outbox))
        .route("/o/{handle}/followers", get(followers))
        .route("/o/{handle}/following", get(following))
        .route("/o/{handle}/directory", get(directory))
        .route("/referrals/{uuid}", get(referral))
        .route("/{kind}/{uuid}", get(object))
}

/// ActivityPub JSON with the media type Mastodon expects.
fn activity_json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    (status, [(header::CONTENT_TYPE, ACTIVITY_JSON)], Json(body)).into_response()
}

/// The organisation actor, served to anyone even with authorised fetch on: a server checking
/// our signature must read our key without signing (and signing would need our key in turn).
async fn actor(
    page: Page,
    data: FedData,
    Path(handle): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let org = data
        .store
        .organisation_by_handle(&handle)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    if !wants_activity_json(&headers) {
        return Ok(ui::public::organisation(page, &data, &org)
            .await
            .into_response());
    }
    let actor = render::organisation_actor(&data.urls, &org);
    Ok(activity_json(StatusCode::OK, &actor))
}

async fn inbox(
    data: FedData,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            FederationError::PayloadTooLarge(format!("body larger than {MAX_BODY_BYTES} bytes"))
        })?;
    let headers: BTreeMap<String, String> = headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let path_and_query = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| uri.path().to_string());
    let received = receive(
        &data,
        IncomingPost {
            path_and_query,
            headers,
            body: body.to_vec(),
        },
        crate::db::now_ms(),
    )
    .await?;
    tracing::debug!("inbox: {received:?}");
    Ok(StatusCode::ACCEPTED.into_response())
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<bool>,
    before: Option<i64>,
}

const OUTBOX_PAGE_SIZE: i64 = 20;

async fn outbox(
    _signed: SignedFetch,
    data: FedData,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Response> {
    let org = crate::domain::organisations::by_handle(data.store.as_ref(), &handle).await?;
    let outbox_id = data.urls.outbox(&org.handle);
    if q.page != Some(true) {
        let total = data.store.count_organisation_posts(org.id, true).await?;
        let collection = OrderedCollection {
            context: Some(default_context()),
            kind: "OrderedCollection".into(),
            id: outbox_id,
            total_items: Some(total),
            first: Some(data.urls.outbox_page(&org.handle, None)),
        };
        return Ok(activity_json(StatusCode::OK, &collection));
    }
    let posts = data
        .store
        .organisation_posts(org.id, None, true, q.before, OUTBOX_PAGE_SIZE)
        .await?;
    let next = (posts.len() as i64 == OUTBOX_PAGE_SIZE)
        .then(|| {
            posts
                .last()
                .map(|p| data.urls.outbox_page(&org.handle, Some(p.id)))
        })
        .flatten();
    let items = posts
        .iter()
        .filter_map(|p| render::create_activity(&data.urls, &org.handle, p))
        .filter_map(|a| serde_json::to_value(a).ok())
        .collect();
    let page = OrderedCollectionPage {
        context: Some(default_context()),
        kind: "OrderedCollectionPage".into(),
        id: data.urls.outbox_page(&org.handle, q.before),
        part_of: outbox_id,
        next,
        ordered_items: items,
    };
    Ok(activity_json(StatusCode::OK, &page))
}

/// Follower and following collections show only their size: which organisations and people
/// follow whom is not published (as Mastodon's "hide network").
async fn relation_count(data: &FedData, handle: &str, direction: Direction) -> ApiResult<Response> {
    let org = crate::domain::organisations::by_handle(data.store.as_ref(), handle).await?;
    let total = data
        .store
        .count_follows(direction, org.id, FollowState::Accepted)
        .await?;
    let id = match direction {
        Direction::Followers => data.urls.followers(&org.handle),
        Direction::Following => data.urls.following(&org.handle),
    };
    let collection = OrderedCollection {
        context: Some(default_context()),
        kind: "OrderedCollection".into(),
        id,
        total_items: Some(total),
        first: None,
    };
    Ok(activity_json(StatusCode::OK, &collection))
}

async fn followers(
    _signed: SignedFetch,
    data: FedData,
    Path(handle): Path<String>,
) -> ApiResult<Response> {
    relation_count(&data, &handle, Direction::Followers).await
}

async fn following(
    _signed: SignedFetch,
    data: FedData,
    Path(handle): Path<String>,
) -> ApiResult<Response> {
    relation_count(&data, &handle, Direction::Following).await
}

/// A local object at `/{kind}/{uuid}`: the ActivityStreams object, a 410 Tombstone once
/// deleted, and 404 for followers-only posts (they are delivered to followers, never served to
/// anonymous fetches).
async fn object(
    _signed: SignedFetchUnlessPage,
    page: Page,
    data: FedData,
    Path((segment, uuid)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let kind = ObjectKind::all()
        .find(|k| k.plural() == segment)
        .ok_or_else(|| ApiError::not_found("page"))?;
    let ap_id = data.urls.object(kind, &uuid);
    let post = data
        .store
        .post_by_ap_id(ap_id.as_str())
        .await?
        .filter(|p| p.organisation_id.is_some() && p.visibility == "public")
        .ok_or_else(|| ApiError::not_found(kind.as_str()))?;
    let org = data
        .store
        .organisation_by_id(post.organisation_id.unwrap_or_default())
        .await?;
    if post.deleted_at.is_some() {
        let mut tomb = serde_json::to_value(render::tombstone(&post)).unwrap_or_default();
        tomb["@context"] = default_context();
        return Ok(activity_json(StatusCode::GONE, &tomb));
    }
    if !wants_activity_json(&headers) {
        return Ok(ui::public::object(page, &data, &org, &post).into_response());
    }
    let mut note = render::post_object(&data.urls, &org.handle, &post);
    note.context = Some(default_context());
    Ok(activity_json(StatusCode::OK, &note))
}

const DIRECTORY_PAGE_SIZE: i64 = 50;

/// The organisation's current programs, practices, advocacy notes and open offers, for a new
/// follower to fill its directory at once (advertised as `gotongDirectory` on the actor).
async fn directory(
    _signed: SignedFetch,
    data: FedData,
    Path(handle): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Response> {
    let org = crate::domain::organisations::by_handle(data.store.as_ref(), &handle).await?;
    let id = data.urls.directory(&org.handle);
    if q.page != Some(true) {
        let collection = OrderedCollection {
            context: Some(default_context()),
            kind: "OrderedCollection".into(),
            id,
            total_items: None,
            first: Some(data.urls.directory_page(&org.handle, None)),
        };
        return Ok(activity_json(StatusCode::OK, &collection));
    }
    let query = crate::db::DirectoryQuery {
        author: Some(data.urls.actor(&org.handle).to_string()),
        now: crate::db::now_ms(),
        limit: DIRECTORY_PAGE_SIZE,
        before: q.before,
        ..Default::default()
    };
    let hits = data.store.search_directory(&query).await?;
    let next = (hits.len() as i64 == DIRECTORY_PAGE_SIZE)
        .then(|| {
            hits.last()
                .map(|h| data.urls.directory_page(&org.handle, Some(h.post.id)))
        })
        .flatten();
    let items = hits
        .iter()
        .filter_map(|h| {
            serde_json::to_value(render::post_object(&data.urls, &org.handle, &h.post)).ok()
        })
        .collect();
    let page = OrderedCollectionPage {
        context: Some(default_context()),
        kind: "OrderedCollectionPage".into(),
        id: data.urls.directory_page(&org.handle, q.before),
        part_of: id,
        next,
        ordered_items: items,
    };
    Ok(activity_json(StatusCode::OK, &page))
}

/// A referral, only for the other party, proven by an HTTP signature (authorised fetch).
/// A request whose signature fails is refused (401) before the referral is looked up, so the
/// refusal says nothing about whether it exists; any other signer is told it does not exist.
async fn referral(
    data: FedData,
    Path(uuid): Path<String>,
    request: axum::extract::Request,
) -> ApiResult<Response> {
    let not_found = || ApiError::not_found("referral");
    let (parts, _) = request.into_parts();
    let signer = match super::signed_fetch::verify_get(&data, &parts).await {
        Ok(signer) => signer,
        Err(FederationError::Unauthorized(reason)) => {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, reason))
        }
        Err(_) => return Err(not_found()),
    };
    let row = data
        .store
        .referral_by_ap_id(None, data.urls.referral(&uuid).as_str())
        .await?
        .ok_or_else(not_found)?;
    if signer.row.ap_id != row.counterpart {
        return Err(not_found());
    }
    let body = crate::federation::referrals::fetched(&data, &row).await?;
    let mut response = activity_json(StatusCode::OK, &body);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}
