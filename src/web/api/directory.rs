//! The regional directory (public): search with filters over every organisation's programs,
//! practices, advocacy notes and open referral offers this node holds; and the vocabularies.

use super::objects::post_json;
use crate::db::{DirectoryQuery, SearchHit};
use crate::domain::{follows::parse_account_handle, vocab};
use crate::federation::FedData;
use crate::web::error::{ApiError, ApiResult};
use axum::{extract::Query, http::StatusCode, routing::get, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes() -> Router {
    Router::new()
        .route("/api/v1/directory", get(search))
        .route("/api/v1/vocabularies", get(vocabularies))
}

/// Query parameters; list filters take comma-separated codes, all of which must match.
#[derive(Deserialize, Default)]
pub struct DirectoryParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub theme: Option<String>,
    pub country: Option<String>,
    pub population: Option<String>,
    pub language: Option<String>,
    pub tag: Option<String>,
    pub accepting: Option<bool>,
    /// The organisation's actor URL or `handle@domain`.
    pub organisation: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

fn split(list: &Option<String>) -> impl Iterator<Item = String> + '_ {
    list.iter()
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Turns request parameters into a store query; `organisation` is resolved to an actor id.
pub async fn directory_query(data: &FedData, p: &DirectoryParams) -> ApiResult<DirectoryQuery> {
    let mut facets = Vec::new();
    for (facet, list) in [
        ("theme", &p.theme),
        ("country", &p.country),
        ("population", &p.population),
        ("language", &p.language),
        ("tag", &p.tag),
    ] {
        facets.extend(split(list).map(|v| (facet, v)));
    }
    if p.accepting == Some(true) {
        facets.push(("accepting", "true".to_string()));
    }
    let author = match &p.organisation {
        None => None,
        Some(o) if o.starts_with("http://") || o.starts_with("https://") => Some(o.clone()),
        Some(handle) => Some(actor_of_handle(data, handle).await?),
    };
    Ok(DirectoryQuery {
        text: p.q.clone(),
        kinds: split(&p.kind).collect(),
        facets,
        author,
        now: crate::db::now_ms(),
        limit: p.limit.unwrap_or(20).clamp(1, 100),
        offset: p.offset.unwrap_or(0).max(0),
        before: None,
    })
}

async fn actor_of_handle(data: &FedData, handle: &str) -> ApiResult<String> {
    let (user, domain) = parse_account_handle(handle)?;
    if domain == data.config.domain.to_lowercase() {
        return Ok(data.urls.actor(&user).to_string());
    }
    match data.store.remote_actor_by_handle(&user, &domain).await? {
        Some(actor) => Ok(actor.ap_id),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no organisation {handle} is known here"),
        )),
    }
}

/// Display names of the authors of `hits`, by actor id.
async fn author_names(data: &FedData, hits: &[SearchHit]) -> ApiResult<HashMap<String, String>> {
    let mut names = HashMap::new();
    for hit in hits {
        let author = &hit.post.author_ap_id;
        if names.contains_key(author) {
            continue;
        }
        let name = match hit.post.organisation_id {
            Some(id) => data.store.organisation_by_id(id).await?.name,
            None => data
                .store
                .remote_actor_by_ap_id(author)
                .await?
                .map(|a| a.name)
                .unwrap_or_default(),
        };
        names.insert(author.clone(), name);
    }
    Ok(names)
}

async fn search(data: FedData, Query(params): Query<DirectoryParams>) -> ApiResult<Json<Value>> {
    let query = directory_query(&data, &params).await?;
    let hits = data.store.search_directory(&query).await?;
    let names = author_names(&data, &hits).await?;
    let results: Vec<Value> = hits
        .iter()
        .map(|hit| {
            let mut item = post_json(&data, &hit.post);
            item["organisation"] = json!({
                "actor": hit.post.author_ap_id,
                "name": names.get(&hit.post.author_ap_id),
                "local": hit.post.organisation_id.is_some(),
            });
            item["rank"] = json!(hit.rank);
            item
        })
        .collect();
    let next_offset = (results.len() as i64 == query.limit).then_some(query.offset + query.limit);
    Ok(Json(
        json!({ "results": results, "next_offset": next_offset }),
    ))
}

async fn vocabularies() -> Json<Value> {
    let list = |items: &[(&str, &str)]| -> Vec<Value> {
        items
            .iter()
            .map(|(code, label)| json!({ "code": code, "label": label }))
            .collect()
    };
    Json(json!({
        "themes": list(vocab::THEMES),
        "populations": list(vocab::POPULATIONS),
        "countries": list(vocab::COUNTRIES),
    }))
}
