//! Templates and view models shared by several pages (cards, dates, the error page).

use super::page::Page;
use crate::db::PostRow;
use askama::Template;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub page: &'a Page,
    pub status: u16,
    pub message: String,
}

/// One object in a list: a link, its title and summary, when it was published.
pub struct Card {
    pub url: String,
    pub title: String,
    pub summary: String,
    pub published_iso: String,
    pub published_date: String,
    /// The node it came from, for remote content.
    pub origin: Option<String>,
    pub kind: String,
}

impl Card {
    pub fn of_post(post: &PostRow, url: String, origin: Option<String>) -> Card {
        Card {
            url,
            title: post_title(post),
            summary: post.summary.clone(),
            published_iso: iso_time(post.published_at),
            published_date: date(post.published_at),
            origin,
            kind: post.kind.clone(),
        }
    }
}

/// A title for any object: its name, else the start of its text.
pub fn post_title(post: &PostRow) -> String {
    if !post.name.trim().is_empty() {
        return post.name.clone();
    }
    let text = crate::domain::text::html_text(&post.content);
    let mut title: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        title.push('…');
    }
    title
}

/// Milliseconds since the epoch as an RFC 3339 time, for `<time datetime>`.
pub fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Milliseconds since the epoch as a plain date (YYYY-MM-DD reads the same in every language).
pub fn date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The host (and port) of a URL, to say where remote content comes from.
pub fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}
