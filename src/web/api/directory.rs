//! The regional directory (public): search with filters over every organisation's programs,
//! practices, advocacy notes and open referral offers this node holds; and the vocabularies.

use super::objects::post_json;
use crate::db::DirectoryQuery;
use crate::domain::{export, follows::parse_account_handle, vocab};
use crate::federation::FedData;
use crate::web::error::{ApiError, ApiResult};
use axum::{
    extract::Query,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router {
    Router::new()
        .route("/api/v1/directory", get(search))
        .route("/api/v1/directory/export.hsds.json", get(export_hsds))
        .route("/api/v1/directory/export.csv", get(export_csv))
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

async fn search(data: FedData, Query(params): Query<DirectoryParams>) -> ApiResult<Json<Value>> {
    let query = directory_query(&data, &params).await?;
    let hits = data.store.search_directory(&query).await?;
    let posts: Vec<_> = hits.iter().map(|h| &h.post).collect();
    let names = export::author_names(data.store.as_ref(), &posts).await?;
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

/// Programs matching the filters, with their organisations' names.
async fn programs_for_export(
    data: &FedData,
    params: &DirectoryParams,
) -> ApiResult<(
    Vec<crate::db::PostRow>,
    std::collections::BTreeMap<String, String>,
)> {
    let query = directory_query(data, params).await?;
    let programs = export::matching_programs(data.store.as_ref(), query).await?;
    let refs: Vec<_> = programs.iter().collect();
    let names = export::author_names(data.store.as_ref(), &refs).await?;
    Ok((programs, names))
}

/// Open Referral HSDS 3.0 JSON of the programs matching the directory filters.
async fn export_hsds(
    data: FedData,
    Query(params): Query<DirectoryParams>,
) -> ApiResult<Json<Value>> {
    let (programs, names) = programs_for_export(&data, &params).await?;
    Ok(Json(export::hsds(&export::program_records(
        &programs, &names,
    ))))
}

/// CSV with an HXL hashtag row of the programs matching the directory filters.
async fn export_csv(data: FedData, Query(params): Query<DirectoryParams>) -> ApiResult<Response> {
    let (programs, names) = programs_for_export(&data, &params).await?;
    let body = export::csv(&export::program_records(&programs, &names));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"programs.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
