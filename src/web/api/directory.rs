//! The regional directory (public): search with filters over every organisation's programs,
//! practices, advocacy notes and open referral offers this node holds; and the vocabularies.

use super::{objects::Post, ApiRoutes};
use crate::db::DirectoryQuery;
use crate::domain::{export, follows::parse_account_handle, vocab};
use crate::federation::FedData;
use crate::web::error::{ApiError, ApiResult};
use axum::{
    extract::Query,
    http::{header, Method, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .on(Method::GET, "/api/v1/directory", search)
        .on(
            Method::GET,
            "/api/v1/directory/export.hsds.json",
            export_hsds,
        )
        .on(Method::GET, "/api/v1/directory/export.csv", export_csv)
        .on(Method::GET, "/api/v1/vocabularies", vocabularies)
}

/// The document of these endpoints (see `openapi`).
pub(super) fn doc() -> utoipa::openapi::OpenApi {
    #[derive(utoipa::OpenApi)]
    #[openapi(paths(search, export_hsds, export_csv, vocabularies))]
    struct Doc;
    <Doc as utoipa::OpenApi>::openapi()
}

/// Query parameters; list filters take comma-separated codes, all of which must match.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryParams {
    /// Words to search for.
    pub q: Option<String>,
    /// `program`, `practice`, `advocacy`, `offer`.
    pub kind: Option<String>,
    pub theme: Option<String>,
    pub country: Option<String>,
    pub population: Option<String>,
    pub language: Option<String>,
    pub tag: Option<String>,
    /// Only what takes referrals now.
    pub accepting: Option<bool>,
    /// The organisation's actor URL or `handle@domain`.
    pub organisation: Option<String>,
    /// 1 to 100, 20 when absent.
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

/// Who published a directory entry.
#[derive(Serialize, ToSchema)]
pub struct HitOrganisation {
    actor: String,
    /// `null` when this node does not know the name.
    name: Option<String>,
    /// Published on this node.
    local: bool,
}

/// A post found in the directory: the post, its organisation, and how well it matched.
#[derive(Serialize, ToSchema)]
pub struct DirectoryHit {
    #[serde(flatten)]
    post: Post,
    organisation: HitOrganisation,
    rank: f64,
}

#[derive(Serialize, ToSchema)]
pub struct DirectoryPage {
    results: Vec<DirectoryHit>,
    /// Pass as `offset` for the next page; `null` on the last page.
    next_offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/directory", tag = "directory", params(DirectoryParams),
    responses((status = 200, description = "Best matches first", body = DirectoryPage)))]
async fn search(
    data: FedData,
    Query(params): Query<DirectoryParams>,
) -> ApiResult<Json<DirectoryPage>> {
    let query = directory_query(&data, &params).await?;
    let hits = data.store.search_directory(&query).await?;
    let posts: Vec<_> = hits.iter().map(|h| &h.post).collect();
    let names = export::author_names(data.store.as_ref(), &posts).await?;
    let results: Vec<DirectoryHit> = hits
        .iter()
        .map(|hit| DirectoryHit {
            post: Post::new(&data, &hit.post),
            organisation: HitOrganisation {
                actor: hit.post.author_ap_id.clone(),
                name: names.get(&hit.post.author_ap_id).cloned(),
                local: hit.post.organisation_id.is_some(),
            },
            rank: hit.rank,
        })
        .collect();
    let next_offset = (results.len() as i64 == query.limit).then_some(query.offset + query.limit);
    Ok(Json(DirectoryPage {
        results,
        next_offset,
    }))
}

/// A code and its English label.
#[derive(Serialize, ToSchema)]
pub struct Term {
    code: &'static str,
    label: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Vocabularies {
    themes: Vec<Term>,
    populations: Vec<Term>,
    countries: Vec<Term>,
}

/// The codes the directory's filters and the posts' fields use.
#[utoipa::path(get, path = "/api/v1/vocabularies", tag = "directory",
    responses((status = 200, description = "Every vocabulary", body = Vocabularies)))]
async fn vocabularies() -> Json<Vocabularies> {
    let list = |items: &[(&'static str, &'static str)]| -> Vec<Term> {
        items
            .iter()
            .map(|&(code, label)| Term { code, label })
            .collect()
    };
    Json(Vocabularies {
        themes: list(vocab::THEMES),
        populations: list(vocab::POPULATIONS),
        countries: list(vocab::COUNTRIES),
    })
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
#[utoipa::path(get, path = "/api/v1/directory/export.hsds.json", tag = "directory",
    params(DirectoryParams),
    responses((status = 200, description = "HSDS 3.0 organization records with their services",
        body = Value)))]
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
#[utoipa::path(get, path = "/api/v1/directory/export.csv", tag = "directory",
    params(DirectoryParams),
    responses((status = 200, description = "One program a row, after a header and an HXL row",
        content_type = "text/csv", body = String)))]
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
