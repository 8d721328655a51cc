//! RSS 2.0 and Atom feeds of an organisation's public posts, and the JSON-LD context at `/ns`.

use super::error::ApiResult;
use super::ui::templates::post_title;
use crate::db::{OrganisationRow, PostRow};
use crate::domain::posts::escape;
use crate::federation::{protocol::context::gotong_terms, FedData};
use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use chrono::{DateTime, Utc};

pub fn routes() -> Router {
    Router::new()
        .route("/o/{handle}/feed.rss", get(rss))
        .route("/o/{handle}/feed.atom", get(atom))
        .route("/ns", get(context))
}

const FEED_SIZE: i64 = 50;

async fn feed_posts(data: &FedData, handle: &str) -> ApiResult<(OrganisationRow, Vec<PostRow>)> {
    let org = crate::domain::organisations::by_handle(data.store.as_ref(), handle).await?;
    let posts = data
        .store
        .organisation_posts(org.id, None, true, None, FEED_SIZE)
        .await?;
    Ok((org, posts))
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

async fn rss(data: FedData, Path(handle): Path<String>) -> ApiResult<Response> {
    let (org, posts) = feed_posts(&data, &handle).await?;
    let actor = data.urls.actor(&org.handle);
    let items: String = posts
        .iter()
        .map(|p| {
            format!(
                "<item><title>{}</title><link>{}</link><guid isPermaLink=\"true\">{}</guid>\
                 <pubDate>{}</pubDate><category>{}</category><description>{}</description></item>",
                escape(&post_title(p)),
                escape(&p.ap_id),
                escape(&p.ap_id),
                time(p.published_at).to_rfc2822(),
                escape(&p.kind),
                escape(&p.content)
            )
        })
        .collect();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>{}</title><link>{}</link><description>{}</description>{items}</channel></rss>",
        escape(&org.name),
        escape(actor.as_str()),
        escape(&crate::domain::posts::html_text(&org.summary)),
    );
    Ok((
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

async fn atom(data: FedData, Path(handle): Path<String>) -> ApiResult<Response> {
    let (org, posts) = feed_posts(&data, &handle).await?;
    let actor = data.urls.actor(&org.handle);
    let feed_url = format!("{actor}/feed.atom");
    let updated = posts
        .iter()
        .map(|p| p.updated_at.unwrap_or(p.published_at))
        .max()
        .unwrap_or(org.created_at);
    let entries: String = posts
        .iter()
        .map(|p| {
            format!(
                "<entry><id>{id}</id><title>{}</title><link href=\"{id}\"/>\
                 <published>{}</published><updated>{}</updated><category term=\"{}\"/>\
                 <content type=\"html\">{}</content></entry>",
                escape(&post_title(p)),
                time(p.published_at).to_rfc3339(),
                time(p.updated_at.unwrap_or(p.published_at)).to_rfc3339(),
                escape(&p.kind),
                escape(&p.content),
                id = escape(&p.ap_id),
            )
        })
        .collect();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <id>{}</id><title>{}</title><updated>{}</updated><link rel=\"self\" href=\"{}\"/>\
         <link href=\"{}\"/><author><name>{}</name></author>{entries}</feed>",
        escape(&feed_url),
        escape(&org.name),
        time(updated).to_rfc3339(),
        escape(&feed_url),
        escape(actor.as_str()),
        escape(&org.name),
    );
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// Gotong's JSON-LD term definitions, the same ones every object carries inline.
async fn context() -> Response {
    (
        [(header::CONTENT_TYPE, "application/ld+json")],
        Json(serde_json::json!({ "@context": gotong_terms() })),
    )
        .into_response()
}
