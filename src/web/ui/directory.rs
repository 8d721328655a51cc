//! The regional directory page: search and filters over the programs, good practices,
//! advocacy notes and open referral offers this node holds (its own and those of the
//! organisations it follows), with the same query as `GET /api/v1/directory`.

use super::directory_view::{filter_options, organisation_options, ResultCard, SearchForm};
use super::page::{Page, PageResult};
use crate::domain::export;
use crate::federation::FedData;
use crate::web::api::directory::directory_query;
use askama::Template;
use axum::{
    extract::RawQuery,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

pub fn routes() -> Router {
    Router::new()
        .route("/directory", get(directory))
        .route("/directory/feed.rss", get(feed))
        .route("/remote", get(super::directory_remote::remote))
}

/// Results per page.
pub const PAGE_SIZE: i64 = 20;

/// One `<option>`: value, label, whether it is chosen.
pub type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage<'a> {
    page: &'a Page,
    form: SearchForm,
    kinds: Vec<Choice>,
    themes: Vec<Choice>,
    populations: Vec<Choice>,
    countries: Vec<Choice>,
    organisations: Vec<Choice>,
    results: Vec<ResultCard>,
    /// Whether the visitor searched or filtered (an empty directory says something else).
    searched: bool,
    page_number: i64,
    previous: Option<String>,
    next: Option<String>,
    hsds_url: String,
    csv_url: String,
    rss_url: String,
}

fn parse(query: Option<&str>) -> SearchForm {
    serde_html_form::from_str(query.unwrap_or_default()).unwrap_or_default()
}

pub async fn directory(page: Page, data: FedData, RawQuery(query): RawQuery) -> PageResult {
    let form = parse(query.as_deref());
    let page_number = form.page_number();
    let params = form.params(PAGE_SIZE, (page_number - 1) * PAGE_SIZE);
    // An organisation this node does not know matches nothing: say so with the empty list.
    let hits = match directory_query(&data, &params).await {
        Ok(query) => data.store.search_directory(&query).await?,
        Err(e) if e.status.is_client_error() => vec![],
        Err(e) => return Err(e.into()),
    };
    let posts: Vec<_> = hits.iter().map(|h| &h.post).collect();
    let names = export::author_names(data.store.as_ref(), &posts).await?;
    let results: Vec<ResultCard> = hits
        .iter()
        .map(|hit| ResultCard::of(&page, &hit.post, &names))
        .collect();
    let filters = form.filter_query();
    let link = |n: i64| {
        let mut q = filters.clone();
        if n > 1 {
            q.push(("page".into(), n.to_string()));
        }
        format!("/directory{}", query_string(&q))
    };
    let next = (results.len() as i64 == PAGE_SIZE).then(|| link(page_number + 1));
    let previous = (page_number > 1).then(|| link(page_number - 1));
    let exports = query_string(&filters);
    let (kinds, themes, populations, countries) = filter_options(&page, &form);
    let organisations = organisation_options(&data, &form).await?;
    Ok(page.render(&DirectoryPage {
        page: &page,
        searched: !filters.is_empty(),
        form,
        kinds,
        themes,
        populations,
        countries,
        organisations,
        results,
        page_number,
        previous,
        next,
        hsds_url: format!("/api/v1/directory/export.hsds.json{exports}"),
        csv_url: format!("/api/v1/directory/export.csv{exports}"),
        rss_url: format!("/directory/feed.rss{exports}"),
    }))
}

/// `?a=b&c=d`, or nothing when there are no pairs.
pub fn query_string(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("?{encoded}")
}

/// The newest entries matching the same filters, as RSS 2.0, so a search can be followed in
/// a feed reader.
async fn feed(
    data: FedData,
    RawQuery(query): RawQuery,
) -> Result<Response, super::page::PageError> {
    let form = parse(query.as_deref());
    let params = form.params(50, 0);
    let hits = match directory_query(&data, &params).await {
        Ok(query) => data.store.search_directory(&query).await?,
        Err(e) if e.status == StatusCode::NOT_FOUND => vec![],
        Err(e) => return Err(e.into()),
    };
    let escape = crate::domain::text::escape;
    let items: String = hits
        .iter()
        .map(|hit| {
            let p = &hit.post;
            let time = chrono::DateTime::from_timestamp_millis(p.published_at).unwrap_or_default();
            format!(
                "<item><title>{}</title><link>{id}</link><guid isPermaLink=\"true\">{id}</guid>\
                 <pubDate>{}</pubDate><category>{}</category><description>{}</description></item>",
                escape(&super::templates::post_title(p)),
                time.to_rfc2822(),
                escape(&p.kind),
                escape(&p.summary),
                id = escape(&p.ap_id),
            )
        })
        .collect();
    let base = data.urls.base();
    let page_url = format!("{base}/directory{}", query_string(&form.filter_query()));
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Gotong directory · {}</title><link>{}</link><description>{}</description>{items}\
         </channel></rss>",
        escape(&data.config.domain),
        escape(&page_url),
        escape("Programs, good practices, advocacy notes and referral offers"),
    );
    Ok((
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        body,
    )
        .into_response())
}
