//! Minimal public HTML pages for browsers; the full web interface comes later.

use super::error::ApiResult;
use crate::db::{OrganisationRow, PostRow};
use crate::federation::FedData;
use axum::{
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};

pub fn routes() -> Router {
    Router::new().route("/", get(home))
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn layout(title: &str, body: &str) -> Response {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Gotong</title></head><body><main>{body}</main></body></html>",
        escape(title)
    ))
    .into_response()
}

async fn home(data: FedData) -> ApiResult<Response> {
    let orgs = data.store.list_organisations().await?;
    let items: String = orgs
        .iter()
        .map(|o| {
            format!(
                "<li><a href=\"{}\">{}</a> <code>@{}@{}</code></li>",
                data.urls.actor(&o.handle),
                escape(&o.name),
                escape(&o.handle),
                escape(&data.config.domain)
            )
        })
        .collect();
    Ok(layout(
        "Gotong",
        &format!(
            "<h1>Gotong node {}</h1><ul>{items}</ul>",
            escape(&data.config.domain)
        ),
    ))
}

pub async fn organisation_page(data: &FedData, org: &OrganisationRow) -> ApiResult<Response> {
    let posts = data
        .store
        .organisation_posts(org.id, None, true, None, 20)
        .await?;
    let items: String = posts
        .iter()
        .map(|p| {
            format!(
                "<article>{}<p><a href=\"{}\">link</a></p></article>",
                p.content, p.ap_id
            )
        })
        .collect();
    Ok(layout(
        &org.name,
        &format!(
            "<h1>{}</h1><p><code>@{}@{}</code></p><div>{}</div><h2>Updates</h2>{items}",
            escape(&org.name),
            escape(&org.handle),
            escape(&data.config.domain),
            org.summary // produced by text_to_html, already escaped
        ),
    ))
}

pub fn object_page(_data: &FedData, org: &OrganisationRow, post: &PostRow) -> ApiResult<Response> {
    // Local content is produced by `text_to_html`, so it is already escaped.
    Ok(layout(
        &org.name,
        &format!(
            "<h1>{}</h1><p>{}</p><p>{}</p><article>{}</article>",
            escape(if post.name.is_empty() {
                &org.name
            } else {
                &post.name
            }),
            escape(&org.name),
            escape(&post.summary),
            post.content
        ),
    ))
}
