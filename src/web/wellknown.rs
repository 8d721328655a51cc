//! Discovery: WebFinger (RFC 7033) and NodeInfo 2.1.

use super::error::{ApiError, ApiResult};
use crate::federation::{FedData, NodeContext};
use axum::{
    extract::Query,
    http::{header, StatusCode},
    response::IntoResponse,
    routing::get,
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route("/.well-known/webfinger", get(webfinger))
        .route("/.well-known/nodeinfo", get(nodeinfo_links))
        .route("/nodeinfo/2.1", get(nodeinfo))
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: Option<String>,
}

/// The local handle named by `acct:handle@domain` or by an actor URL of this node.
fn local_handle<'a>(ctx: &NodeContext, resource: &'a str) -> Option<&'a str> {
    if let Some(acct) = resource.strip_prefix("acct:") {
        let (handle, domain) = acct.rsplit_once('@')?;
        return domain
            .eq_ignore_ascii_case(&ctx.config.domain)
            .then_some(handle);
    }
    ctx.urls.handle_of_actor(resource)
}

async fn webfinger(data: FedData, Query(q): Query<WebfingerQuery>) -> ApiResult<impl IntoResponse> {
    let resource = q
        .resource
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "missing resource parameter"))?;
    let handle = local_handle(&data, &resource).ok_or_else(|| ApiError::not_found("resource"))?;
    let org = data
        .store
        .organisation_by_handle(handle)
        .await?
        .ok_or_else(|| ApiError::not_found("resource"))?;
    let actor = data.urls.actor(&org.handle);
    let body = json!({
        "subject": format!("acct:{}@{}", org.handle, data.config.domain),
        "aliases": [actor],
        "links": [
            { "rel": "self", "type": "application/activity+json", "href": actor },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor }
        ]
    });
    Ok(([(header::CONTENT_TYPE, "application/jrd+json")], Json(body)))
}

async fn nodeinfo_links(data: FedData) -> Json<Value> {
    Json(json!({
        "links": [{
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": format!("{}/nodeinfo/2.1", data.urls.base())
        }]
    }))
}

async fn nodeinfo(data: FedData) -> ApiResult<impl IntoResponse> {
    let organisations = data.store.list_organisations().await?;
    let local_posts = data.store.count_local_posts().await?;
    let node_name = organisations
        .first()
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let body = json!({
        "version": "2.1",
        "software": {
            "name": "gotong",
            "version": env!("CARGO_PKG_VERSION")
        },
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": [] },
        "openRegistrations": false,
        "usage": {
            "users": { "total": organisations.len() },
            "localPosts": local_posts
        },
        "metadata": { "nodeName": node_name }
    });
    let profile = "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"";
    Ok(([(header::CONTENT_TYPE, profile)], Json(body)))
}
