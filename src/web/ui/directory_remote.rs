//! The page of a remote object this node holds (from the directory or the home feed), marked
//! with the node it came from and linked to the original. Public objects for everyone;
//! followers-only ones only for staff of an organisation that follows the author.

use super::page::{url_encode, Page, PageResult};
use super::public::{object_page, ObjectView};
use super::templates::origin_of;
use crate::db::PostRow;
use crate::domain::accounts::Role;
use crate::federation::FedData;
use askama::Template;
use axum::{extract::Query, http::StatusCode};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct RemoteQuery {
    #[serde(default)]
    id: String,
}

/// Whether a followers-only object was delivered to the signed-in reader's organisation
/// (it follows the author), as the home feed shows it. Such pages are never cached
/// (`Page::render` sends `no-store` to staff).
async fn delivered_to_reader(page: &Page, data: &FedData, post: &PostRow) -> PageResult<bool> {
    let Some(staff) = &page.staff else {
        return Ok(false);
    };
    let following = data
        .store
        .organisations_following(&post.author_ap_id)
        .await?;
    Ok(following.contains(&staff.organisation_id))
}

/// `object.html` with the link to the original.
#[derive(Template)]
#[template(path = "directory_remote.html")]
struct RemotePage<'a> {
    page: &'a Page,
    object: ObjectView,
    kind_label: String,
    author_name: String,
    author_url: String,
    origin: Option<String>,
    facts: Vec<(String, String)>,
    original_url: String,
    refer_url: Option<String>,
    /// For admins: report the object, remove it here, suspend its author (moderation pages).
    moderate: Option<Moderate>,
}

struct Moderate {
    report: String,
    remove: String,
    suspend: String,
}

fn moderate(page: &Page, post: &PostRow) -> Option<Moderate> {
    let admin = page.staff.as_ref().is_some_and(|s| s.role == Role::Admin);
    admin.then(|| Moderate {
        report: format!("/admin/reports?target={}#send", url_encode(&post.ap_id)),
        remove: format!(
            "/admin/moderation/remove?object={}",
            url_encode(&post.ap_id)
        ),
        suspend: format!(
            "/admin/moderation/suspend?actor={}",
            url_encode(&post.author_ap_id)
        ),
    })
}

pub async fn remote(page: Page, data: FedData, Query(q): Query<RemoteQuery>) -> PageResult {
    let post = match data.store.post_by_ap_id(&q.id).await? {
        // Local objects have their own page; this one only shows copies of remote ones.
        Some(p) if p.organisation_id.is_none() && p.deleted_at.is_none() => p,
        _ => return Ok(page.error(StatusCode::NOT_FOUND, "error-not-found")),
    };
    if post.visibility != "public" && !delivered_to_reader(&page, &data, &post).await? {
        return Ok(page.error(StatusCode::NOT_FOUND, "error-not-found"));
    }
    let actor = data.store.remote_actor_by_ap_id(&post.author_ap_id).await?;
    let (name, url) = match actor {
        Some(a) => (
            if a.name.trim().is_empty() {
                format!("{}@{}", a.username, a.domain)
            } else {
                a.name
            },
            // A profile URL that is not a web address is not made a link.
            a.url
                .as_deref()
                .and_then(crate::domain::text::web_url)
                .unwrap_or(a.ap_id),
        ),
        None => (post.author_ap_id.clone(), post.author_ap_id.clone()),
    };
    let base = object_page(&page, &post, &name, &url, origin_of(&post.ap_id));
    let template = RemotePage {
        page: &page,
        object: base.object,
        kind_label: base.kind_label,
        author_name: base.author_name,
        author_url: base.author_url,
        origin: base.origin,
        facts: base.facts,
        original_url: post.ap_id.clone(),
        // "Refer a person", when the reader may and the object takes referrals.
        refer_url: base.refer_url,
        moderate: moderate(&page, &post),
    };
    Ok(page.render(&template))
}
